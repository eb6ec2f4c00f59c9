"""Send sessions to an OTLP/HTTP back end as GenAI spans and metrics.

One `invoke_agent` span per session, with a `chat` child per model request (its tokens as
`gen_ai.usage.*`) and an `execute_tool` child per tool call, at the times the transcripts
recorded; metrics `gen_ai.client.token.usage` and `gen_ai.client.operation.duration`.
The official SDK builds the data and its OTLP/HTTP exporters send it; the exporters'
results are checked, so a back end that is down is an error, not a silent no-op. A
`TRACEPARENT` in the environment makes every session a child of the trace the caller
started. Imported only by `ao export otel`: nothing of this is on the hook path.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from agentops_os.errors import FatalError
from agentops_os.otel import semconv as sc
from agentops_os.otel.model import SessionTrace

SERVICE_NAME = "agentops"


@dataclass
class ExportReport:
    sessions: int = 0
    spans: int = 0
    metric_points: int = 0
    endpoint: str = ""


def _ns(seconds: float) -> int:
    return int(seconds * 1_000_000_000)


def export(sessions: list[SessionTrace], endpoint: str | None, *, timeout: float = 10.0) -> ExportReport:
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader, MetricExportResult
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    # The exporters log each retry as a multi-line warning; the outcome is reported once, below.
    logging.getLogger("opentelemetry").setLevel(logging.CRITICAL)
    resource = Resource.create({"service.name": SERVICE_NAME})
    collected = InMemorySpanExporter()
    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(SimpleSpanProcessor(collected))
    tracer = tracer_provider.get_tracer("agentops_os.otel")
    reader = InMemoryMetricReader()
    meter = MeterProvider(resource=resource, metric_readers=[reader]).get_meter("agentops_os.otel")
    tokens = meter.create_histogram(sc.METRIC_TOKEN_USAGE, unit="{token}",
                                    description="Tokens used per model request")
    duration = meter.create_histogram(sc.METRIC_OPERATION_DURATION, unit="s",
                                      description="Model request duration")
    parent = None
    traceparent = os.environ.get("TRACEPARENT")
    if traceparent:
        parent = TraceContextTextMapPropagator().extract({"traceparent": traceparent})

    for session in sessions:
        _session_spans(tracer, parent, session, tokens, duration)

    base = (endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "http://localhost:4318").rstrip("/")
    report = ExportReport(sessions=len(sessions), endpoint=base)
    spans = collected.get_finished_spans()
    report.spans = len(spans)
    if spans:
        result = OTLPSpanExporter(endpoint=f"{base}/v1/traces", timeout=timeout).export(spans)
        if result is not SpanExportResult.SUCCESS:
            raise FatalError(f"{base}/v1/traces: the OTLP endpoint could not be reached or refused "
                             f"{len(spans)} span(s) (retried up to {timeout:.0f}s)")
    data = reader.get_metrics_data()
    points = sum(len(metric.data.data_points) for rm in (data.resource_metrics if data else [])
                 for sm in rm.scope_metrics for metric in sm.metrics)
    report.metric_points = points
    if data is not None and points:
        exporter = OTLPMetricExporter(endpoint=f"{base}/v1/metrics", timeout=timeout)
        if exporter.export(data) is not MetricExportResult.SUCCESS:
            raise FatalError(f"{base}/v1/metrics: the OTLP endpoint did not accept the metrics")
    return report


def _session_spans(tracer: Any, parent: Any, session: SessionTrace, tokens: Any, duration: Any) -> None:
    from opentelemetry import trace
    from opentelemetry.trace import Status, StatusCode

    provider = sc.PROVIDERS.get(session.agent, session.agent)
    common = {sc.PROVIDER_NAME: provider, sc.CONVERSATION_ID: session.session_id}
    root = tracer.start_span(f"{sc.OP_INVOKE_AGENT} {session.agent}", context=parent,
                             kind=trace.SpanKind.INTERNAL, start_time=_ns(session.start),
                             attributes={**common, sc.OPERATION_NAME: sc.OP_INVOKE_AGENT,
                                         sc.AGENT_NAME: session.agent, sc.AGENT_ID: session.key})
    inside = trace.set_span_in_context(root)
    totals = {sc.USAGE_INPUT_TOKENS: 0, sc.USAGE_OUTPUT_TOKENS: 0, sc.USAGE_CACHE_READ_INPUT_TOKENS: 0,
              sc.USAGE_CACHE_CREATION_INPUT_TOKENS: 0}
    for request in session.requests:
        model = request.model or "unknown"
        usage = {sc.USAGE_INPUT_TOKENS: request.input + request.cache_read + request.cache_write,
                 sc.USAGE_OUTPUT_TOKENS: request.output,
                 sc.USAGE_CACHE_READ_INPUT_TOKENS: request.cache_read,
                 sc.USAGE_CACHE_CREATION_INPUT_TOKENS: request.cache_write}
        for name, value in usage.items():
            totals[name] += value
        span = tracer.start_span(f"{sc.OP_CHAT} {model}", context=inside, kind=trace.SpanKind.CLIENT,
                                 start_time=_ns(request.start),
                                 attributes={**common, sc.OPERATION_NAME: sc.OP_CHAT, sc.REQUEST_MODEL: model,
                                             sc.RESPONSE_MODEL: model, **usage})
        span.end(end_time=_ns(request.end))
        metric = {sc.OPERATION_NAME: sc.OP_CHAT, sc.PROVIDER_NAME: provider, sc.REQUEST_MODEL: model}
        tokens.record(usage[sc.USAGE_INPUT_TOKENS], {**metric, sc.TOKEN_TYPE: "input"})
        tokens.record(request.output, {**metric, sc.TOKEN_TYPE: "output"})
        duration.record(max(0.0, request.end - request.start), metric)
    for call in session.tools:
        attrs = {**common, sc.OPERATION_NAME: sc.OP_EXECUTE_TOOL, sc.TOOL_NAME: call.name}
        if call.call_id:
            attrs[sc.TOOL_CALL_ID] = call.call_id
        span = tracer.start_span(f"{sc.OP_EXECUTE_TOOL} {call.name}", context=inside,
                                 kind=trace.SpanKind.INTERNAL, start_time=_ns(call.start), attributes=attrs)
        if call.is_error:
            span.set_attribute(sc.ERROR_TYPE, "tool_error")
            span.set_status(Status(StatusCode.ERROR))
        span.end(end_time=_ns(call.end))
    root.set_attributes(totals)
    root.end(end_time=_ns(max(session.end, session.start)))
