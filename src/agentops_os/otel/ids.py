"""Span and trace ids for exports sent in slices: the SDK's random ids, except for the
next trace or span id set here (a session's remembered ids, `otel.memory`), so that every
slice of a session lands in one trace under one `invoke_agent` span. Imports the SDK:
imported only by `otel.export`."""

from __future__ import annotations

from opentelemetry.sdk.trace.id_generator import IdGenerator, RandomIdGenerator


class FixedIds(IdGenerator):
    def __init__(self) -> None:
        self.random = RandomIdGenerator()
        self.trace_id: int | None = None
        self.span_id: int | None = None

    def generate_trace_id(self) -> int:
        value, self.trace_id = self.trace_id, None
        return value if value is not None else self.random.generate_trace_id()

    def generate_span_id(self) -> int:
        value, self.span_id = self.span_id, None
        return value if value is not None else self.random.generate_span_id()

    def is_trace_id_random(self) -> bool:
        return True  # remembered ids were drawn by RandomIdGenerator (W3C "random" trace flag)
