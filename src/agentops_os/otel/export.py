"""Send sessions to an OTLP/HTTP back end as GenAI spans and metrics.

One `invoke_agent` span per session, with a `chat` child per model request (its tokens as
`gen_ai.usage.*`) and an `execute_tool` child per tool call, at the times the transcripts
recorded; metrics `gen_ai.client.token.usage` and `gen_ai.client.operation.duration`.
The official SDK builds the data and its OTLP/HTTP exporters send it; the exporters'
results are checked, so a back end that is down is an error, not a silent no-op. A
`TRACEPARENT` in the environment makes every session a child of the trace the caller
started. Imported only by `ao export otel`: nothing of this is on the hook path.

With a `Memory` (`otel.memory`), a session is sent in slices: a live export (after a turn)
sends the requests and finished tool calls not sent before, as children of the session's
`invoke_agent` span, whose ids are fixed by the first slice and remembered; the session
span itself goes with the first export that is not live (the session's end). Histograms
use delta temporality: each export reports the requests it sends, so slices and repeated
runs add up in a back end instead of reading as counter resets.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from agentops_os.errors import FatalError
from agentops_os.otel import semconv as sc
from agentops_os.otel.model import Request, SessionTrace, ToolCall

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.otel.ids import FixedIds
    from agentops_os.otel.memory import Memory, SessionMemory

SERVICE_NAME = "agentops"


@dataclass
class ExportReport:
    sessions: int = 0
    spans: int = 0
    metric_points: int = 0
    endpoint: str = ""
    already_sent: int = 0  # spans an earlier export of the same session sent (not sent again)


def _ns(seconds: float) -> int:
    return int(seconds * 1_000_000_000)


@dataclass
class _Slice:
    """What one export sends of one session, and under which ids."""

    session: SessionTrace
    memory: SessionMemory
    requests: list[Request]
    tools: list[ToolCall]
    send_root: bool


def export(sessions: list[SessionTrace], endpoint: str | None, *, timeout: float = 10.0,
           memory: Memory | None = None, live: bool = False) -> ExportReport:
    """Send `sessions`. With `memory` (held locked by the caller), sessions already sent
    in part are sent only for the rest; `live` sends only finished work, leaves the
    session span for later and remembers what it sent."""
    from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.metrics import Histogram, MeterProvider
    from opentelemetry.sdk.metrics.export import AggregationTemporality as Temporality
    from opentelemetry.sdk.metrics.export import InMemoryMetricReader, MetricExportResult
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from agentops_os.otel.ids import FixedIds

    # The exporters log each retry as a multi-line warning; the outcome is reported once, below.
    logging.getLogger("opentelemetry").setLevel(logging.CRITICAL)
    resource = Resource.create({"service.name": SERVICE_NAME})
    collected = InMemorySpanExporter()
    ids = FixedIds()
    tracer_provider = TracerProvider(resource=resource, id_generator=ids)
    tracer_provider.add_span_processor(SimpleSpanProcessor(collected))
    tracer = tracer_provider.get_tracer("agentops_os.otel")
    reader = InMemoryMetricReader(preferred_temporality={Histogram: Temporality.DELTA})
    meter = MeterProvider(resource=resource, metric_readers=[reader]).get_meter("agentops_os.otel")
    tokens = meter.create_histogram(sc.METRIC_TOKEN_USAGE, unit="{token}",
                                    description="Tokens used per model request")
    duration = meter.create_histogram(sc.METRIC_OPERATION_DURATION, unit="s",
                                      description="Model request duration")

    report = ExportReport(sessions=len(sessions))
    slices = [_plan(session, memory, live, ids) for session in sessions]
    for part in slices:
        report.already_sent += (len(part.session.requests) - len(part.requests)
                                + sum(1 for t in part.session.tools if t.ident in part.memory.tools)
                                + (1 if part.memory.root_sent else 0))
        _session_spans(tracer, ids, part, tokens, duration)

    base = (endpoint or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT") or "http://localhost:4318").rstrip("/")
    report.endpoint = base
    spans = collected.get_finished_spans()
    report.spans = len(spans)
    if spans:
        result = OTLPSpanExporter(endpoint=f"{base}/v1/traces", timeout=timeout).export(spans)
        if result is not SpanExportResult.SUCCESS:
            raise FatalError(f"{base}/v1/traces: the OTLP endpoint could not be reached or refused "
                             f"{len(spans)} span(s) (retried up to {timeout:.0f}s)")
    if memory is not None:  # the spans are in: never send them again, whatever the metrics do
        for part in slices:
            if live or part.memory.stored:
                _remember(memory, part)
    data = reader.get_metrics_data()
    points = sum(len(metric.data.data_points) for rm in (data.resource_metrics if data else [])
                 for sm in rm.scope_metrics for metric in sm.metrics)
    report.metric_points = points
    if data is not None and points:
        exporter = OTLPMetricExporter(endpoint=f"{base}/v1/metrics", timeout=timeout)
        if exporter.export(data) is not MetricExportResult.SUCCESS:
            raise FatalError(f"{base}/v1/metrics: the OTLP endpoint did not accept the metrics")
    return report


def _plan(session: SessionTrace, memory: Memory | None, live: bool, ids: FixedIds) -> _Slice:
    from agentops_os.otel.memory import SessionMemory

    known = memory.get(session.key) if memory is not None else None
    if known is None:
        trace_id, parent_span_id, flags = _traceparent()
        known = SessionMemory(session.key, trace_id or ids.random.generate_trace_id(),
                              ids.random.generate_span_id(), parent_span_id, flags)
    requests = [r for r in session.requests if r.key not in known.requests or not r.key]
    tools = [t for t in session.tools if t.ident not in known.tools and (t.closed or not live)]
    return _Slice(session, known, requests, tools, send_root=not live and not known.root_sent)


def _traceparent() -> tuple[int, int, int]:
    """(trace id, span id, trace flags) of a valid `TRACEPARENT`, else zeros and sampled."""
    from opentelemetry import trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    value = os.environ.get("TRACEPARENT")
    if value:
        context = trace.get_current_span(TraceContextTextMapPropagator().extract({"traceparent": value}))
        found = context.get_span_context()
        if found.is_valid:
            return found.trace_id, found.span_id, int(found.trace_flags)
    return 0, 0, 1


def _remember(memory: Memory, part: _Slice) -> None:
    known = part.memory
    known.requests.update(r.key for r in part.requests if r.key)
    known.tools.update(t.ident for t in part.tools)
    known.root_sent = known.root_sent or part.send_root
    known.exports += 1 if part.requests or part.tools or part.send_root else 0
    memory.put(known)


def _session_spans(tracer: Any, ids: FixedIds, part: _Slice, tokens: Any, duration: Any) -> None:
    from opentelemetry import trace
    from opentelemetry.trace import NonRecordingSpan, SpanContext, Status, StatusCode, TraceFlags

    session, known = part.session, part.memory
    flags = TraceFlags(known.trace_flags)
    parent = None
    if known.parent_span_id:  # TRACEPARENT's span, remembered by the session's first export
        parent = trace.set_span_in_context(NonRecordingSpan(SpanContext(
            known.trace_id, known.parent_span_id, is_remote=True, trace_flags=flags)))
    provider = sc.PROVIDERS.get(session.agent, session.agent)
    common = {sc.PROVIDER_NAME: provider, sc.CONVERSATION_ID: session.session_id}
    totals = {sc.USAGE_INPUT_TOKENS: 0, sc.USAGE_OUTPUT_TOKENS: 0, sc.USAGE_CACHE_READ_INPUT_TOKENS: 0,
              sc.USAGE_CACHE_CREATION_INPUT_TOKENS: 0}
    for request in session.requests:  # the session span carries the whole session's totals
        for name, value in _usage(request).items():
            totals[name] += value
    root = None
    if part.send_root:
        ids.trace_id, ids.span_id = known.trace_id, known.span_id
        root = tracer.start_span(f"{sc.OP_INVOKE_AGENT} {session.agent}", context=parent,
                                 kind=trace.SpanKind.INTERNAL, start_time=_ns(session.start),
                                 attributes={**common, **totals, sc.OPERATION_NAME: sc.OP_INVOKE_AGENT,
                                             sc.AGENT_NAME: session.agent, sc.AGENT_ID: session.key})
        inside = trace.set_span_in_context(root)
    else:  # children of the session span another export sends (or sent)
        inside = trace.set_span_in_context(NonRecordingSpan(SpanContext(
            known.trace_id, known.span_id, is_remote=False, trace_flags=flags)))
    for request in part.requests:
        model = request.model or "unknown"
        usage = _usage(request)
        span = tracer.start_span(f"{sc.OP_CHAT} {model}", context=inside, kind=trace.SpanKind.CLIENT,
                                 start_time=_ns(request.start),
                                 attributes={**common, sc.OPERATION_NAME: sc.OP_CHAT, sc.REQUEST_MODEL: model,
                                             sc.RESPONSE_MODEL: model, **usage})
        span.end(end_time=_ns(request.end))
        metric = {sc.OPERATION_NAME: sc.OP_CHAT, sc.PROVIDER_NAME: provider, sc.REQUEST_MODEL: model}
        tokens.record(usage[sc.USAGE_INPUT_TOKENS], {**metric, sc.TOKEN_TYPE: "input"})
        tokens.record(request.output, {**metric, sc.TOKEN_TYPE: "output"})
        duration.record(max(0.0, request.end - request.start), metric)
    for call in part.tools:
        attrs = {**common, sc.OPERATION_NAME: sc.OP_EXECUTE_TOOL, sc.TOOL_NAME: call.name}
        if call.call_id:
            attrs[sc.TOOL_CALL_ID] = call.call_id
        span = tracer.start_span(f"{sc.OP_EXECUTE_TOOL} {call.name}", context=inside,
                                 kind=trace.SpanKind.INTERNAL, start_time=_ns(call.start), attributes=attrs)
        if call.is_error:
            span.set_attribute(sc.ERROR_TYPE, "tool_error")
            span.set_status(Status(StatusCode.ERROR))
        span.end(end_time=_ns(call.end))
    if root is not None:
        root.end(end_time=_ns(max(session.end, session.start)))


def _usage(request: Request) -> dict[str, int]:
    return {sc.USAGE_INPUT_TOKENS: request.input + request.cache_read + request.cache_write,
            sc.USAGE_OUTPUT_TOKENS: request.output,
            sc.USAGE_CACHE_READ_INPUT_TOKENS: request.cache_read,
            sc.USAGE_CACHE_CREATION_INPUT_TOKENS: request.cache_write}
