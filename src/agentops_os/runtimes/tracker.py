"""Folds a runtime's event stream into its `RunResult`, and enforces the live budgets.

The live context budget is the 40 % rule applied while the agent works: every usage event
says how full the window was at that request; past the limit the run is cancelled with
reason "budget" so that the workflow can save a handoff and start a fresh context. The
cost limit works the same way on the estimated spend so far.
"""

from __future__ import annotations

from collections.abc import Callable

from agentops_os.runtimes import events as ev

Price = Callable[[str, ev.Usage], float]  # (model, usage) -> USD


class Tracker:
    def __init__(self, runtime: str, options: ev.RunOptions, window: int,
                 listener: ev.Listener | None = None, price: Price | None = None) -> None:
        self.result = ev.RunResult(runtime=runtime, status=ev.OK, context_window=window)
        self.options = options
        self.listener = listener
        self.price = price
        self.estimated_cost = 0.0
        self.finished = False
        self.failure = ""
        self._texts: list[str] = []

    def __call__(self, event: ev.Event) -> None:
        result = self.result
        if isinstance(event, ev.Started):
            result.session_id = event.session_id or result.session_id
            result.model = event.model or result.model
        elif isinstance(event, ev.Text):
            self._texts.append(event.text)
        elif isinstance(event, ev.UsageReport):
            self._usage(event)
        elif isinstance(event, ev.Finished):
            self.finished = True
            if event.text:
                result.text = event.text
            if event.cost_usd is not None:
                result.cost_usd = event.cost_usd
            if event.usage.total:
                result.usage = event.usage
            if event.context_window and not self.options.context_window:
                result.context_window = event.context_window
        elif isinstance(event, ev.Failed):
            self.failure = self.failure or event.error
        if self.listener is not None:
            self.listener(event)

    def _usage(self, event: ev.UsageReport) -> None:
        result = self.result
        result.usage = result.usage + event.usage
        result.requests += 1
        result.model = event.model or result.model
        result.context_peak = max(result.context_peak, event.usage.context)
        if self.price is not None:
            self.estimated_cost += self.price(event.model or result.model, event.usage)
        limit = self.options.context_limit
        if limit and result.context_window and event.usage.context > limit * result.context_window:
            self.options.cancel.set(ev.BUDGET)
        if self.options.max_cost_usd and self.estimated_cost > self.options.max_cost_usd:
            self.options.cancel.set(ev.BUDGET)

    @property
    def text(self) -> str:
        return self.result.text or (self._texts[-1] if self._texts else "")

    def finish(self, *, returncode: int | None, timed_out: bool, cancelled: bool, stderr_tail: str,
               duration_s: float, describe_failure: Callable[[str, int | None], str]) -> ev.RunResult:
        """The final status: ao's own stops first (budget, cancel, timeout), then the host's
        verdict (a failure event, a missing final event, a non-zero exit)."""
        result = self.result
        result.text = self.text
        result.exit_code = returncode
        result.stderr_tail = stderr_tail
        result.duration_s = round(duration_s, 3)
        if result.cost_usd is None and self.price is not None and result.requests:
            result.cost_usd = round(self.estimated_cost, 6)
        if cancelled:
            reason = self.options.cancel.reason
            result.status = ev.BUDGET if reason == ev.BUDGET else ev.CANCELLED
            result.error = self._stop_reason(reason)
        elif timed_out:
            result.status = ev.TIMEOUT
            result.error = f"timed out after {self.options.timeout:g} s"
        elif self.failure or returncode not in (0, None) or not self.finished:
            result.status = ev.FAILED
            result.error = describe_failure(self.failure, returncode)
        return result

    def _stop_reason(self, reason: str) -> str:
        result = self.result
        if reason != ev.BUDGET:
            return reason or "cancelled"
        if self.options.max_cost_usd and self.estimated_cost > self.options.max_cost_usd:
            return f"cost limit: ${self.estimated_cost:.4f} > ${self.options.max_cost_usd:.4f}"
        return (f"context limit: {result.context_peak:,} of {result.context_window:,} tokens "
                f"({result.peak_fraction:.0%} > {self.options.context_limit:.0%})")
