"""Sessions as OpenTelemetry GenAI traces and metrics (`ao export otel`)."""
