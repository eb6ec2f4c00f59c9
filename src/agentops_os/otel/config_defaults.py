"""Configuration of the OpenTelemetry export (pure data; imported on the hook path)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "otel": {
        "export_on_session_end": False,
        "export_live": False,
        "endpoint": "",
    },
}

DOCS: dict[str, str] = {
    "otel.export_on_session_end": "When a session ends, export it (`ao export otel --session ID`) in the "
                                  "background; the SessionEnd hook does not wait for it.",
    "otel.export_live": "After each agent turn (Stop hook), export what the session did since its last "
                        "export (`ao export otel --session ID --live`) in the background; later exports "
                        "send only the rest.",
    "otel.endpoint": "OTLP/HTTP base URL for that export; empty = $OTEL_EXPORTER_OTLP_ENDPOINT, else "
                     "http://localhost:4318.",
}
