"""A real OTLP/HTTP receiver on a loopback port: it keeps each request's body, in arrival
order, and decodes them with opentelemetry-proto. `hold` keeps its answers back until
`release()` (to show that a hook does not wait for an export)."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


class Receiver:
    def __init__(self) -> None:
        self.bodies: dict[str, list[bytes]] = {"/v1/traces": [], "/v1/metrics": []}
        self.answer = threading.Event()
        self.answer.set()
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                with owner.lock:
                    owner.bodies.setdefault(self.path, []).append(body)
                owner.answer.wait(60)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def hold(self) -> None:
        self.answer.clear()

    def release(self) -> None:
        self.answer.set()

    def close(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()

    def trace_requests(self) -> list[list[Any]]:
        """The spans of each /v1/traces request, one list per request."""
        with self.lock:
            bodies = list(self.bodies["/v1/traces"])
        out = []
        for body in bodies:
            spans: list[Any] = []
            for resource in ExportTraceServiceRequest.FromString(body).resource_spans:
                for scope in resource.scope_spans:
                    spans.extend(scope.spans)
            out.append(spans)
        return out

    def spans(self) -> list[Any]:
        """Every span received so far, in arrival order."""
        return [span for request in self.trace_requests() for span in request]

    def metric_names(self) -> set[str]:
        return {metric.name for request in self.metric_requests() for resource in request.resource_metrics
                for scope in resource.scope_metrics for metric in scope.metrics}

    def metric_requests(self) -> list[Any]:
        with self.lock:
            bodies = list(self.bodies["/v1/metrics"])
        return [ExportMetricsServiceRequest.FromString(body) for body in bodies]


def attrs(span: Any) -> dict[str, Any]:
    out = {}
    for kv in span.attributes:
        value = kv.value
        out[kv.key] = value.int_value if value.HasField("int_value") else value.string_value
    return out
