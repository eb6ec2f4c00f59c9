"""ReportData -> one HTML file with Plotly charts and plotly.js inlined: no CDN, opens
offline, mailable. A small script collects script errors into `#ao-errors`, so a test in a
headless browser (and a user) can see that every chart rendered."""

from __future__ import annotations

import html
from typing import Any

from agentops_os.report.data import ReportData

_ERRORS = """<pre id="ao-errors"></pre><script>
window.addEventListener('error', function (e) {
  document.getElementById('ao-errors').textContent += 'error: ' + e.message + '\\n'; });
</script>"""


def figures(data: ReportData) -> list[tuple[str, Any]]:
    import plotly.graph_objects as go

    out: list[tuple[str, Any]] = []

    def layout(fig: Any, title: str, y: str) -> Any:
        fig.update_layout(title=title, yaxis_title=y, height=380, margin={"l": 60, "r": 30, "t": 50, "b": 40},
                          template="plotly_white", legend={"orientation": "h"})
        return fig

    fig = go.Figure()
    for model, values in data.tokens_by_model.items():
        fig.add_bar(x=data.days, y=values, name=model)
    fig.add_scatter(x=data.days, y=data.cost_by_day, name="cost (USD)", yaxis="y2", mode="lines+markers")
    fig.update_layout(barmode="stack", yaxis2={"overlaying": "y", "side": "right", "title": "USD"})
    out.append(("tokens", layout(fig, "Tokens per day by model, and cost", "tokens")))

    fig = go.Figure(go.Histogram(x=data.utilisation, xbins={"start": 0, "end": 100, "size": 5},
                                 name="sessions"))
    for line in (40, 60, 80):
        fig.add_vline(x=line, line_dash="dash", annotation_text=f"{line}%")
    fig.update_xaxes(title="peak context utilisation (% of window)", range=[0, 100])
    out.append(("context", layout(fig, "Context utilisation per session", "sessions")))

    fig = go.Figure()
    fig.add_scatter(x=data.weeks, y=data.success_rate, name="success", mode="lines+markers")
    fig.add_scatter(x=data.weeks, y=data.collapse_rate, name="context collapse", mode="lines+markers")
    fig.add_scatter(x=data.weeks, y=data.tool_error_rate, name="tool errors", mode="lines+markers")
    out.append(("outcomes", layout(fig, "Success, context collapse and tool error rates per week", "%")))

    fig = go.Figure()
    fig.add_scatter(x=data.gate_weeks, y=data.gate_pass_rate, name="gate runs passed", mode="lines+markers")
    fig.add_scatter(x=data.gate_weeks, y=data.gate_cache_hits, name="checks from cache", mode="lines+markers")
    out.append(("gates", layout(fig, "Gates: pass rate and cache hits per week", "%")))

    out.append(("guard", layout(_stacked(go.Figure(), data.guard), "Guard decisions by rule", "calls")))

    fig = go.Figure()
    fig.add_bar(x=data.learning_weeks, y=data.learnings_created, name="created")
    status = ", ".join(f"{n} {s}" for s, n in sorted(data.learnings_by_status.items()))
    votes = ", ".join(f"marked {v} {n}x" for v, n in sorted(data.learning_votes.items()))
    out.append(("learnings", layout(fig, f"Learnings created per week ({status}; {votes})", "learnings")))

    routed = _stacked(go.Figure(), data.routing)
    out.append(("routing", layout(routed, "Routed tasks by agent and outcome", "tasks")))

    phases = sorted(data.phases)
    fig = go.Figure()
    fig.add_bar(x=phases, y=[data.phases[p].get("calls", 0) for p in phases], name="runs")
    out.append(("phases", layout(fig, "Workflow phases (ao rpi, ao swarm)", "phase runs")))
    return out


def _stacked(fig: Any, counts: dict[tuple[str, str], int]) -> Any:
    """A stacked bar chart of {(x, series): n}: one bar per x, one colour per series."""
    for series in sorted({s for _, s in counts}):
        xs = sorted({x for x, s in counts if s == series})
        fig.add_bar(x=xs, y=[counts[(x, series)] for x in xs], name=series)
    fig.update_layout(barmode="stack")
    return fig


def render(data: ReportData, title: str = "AgentOps report") -> str:
    from plotly.offline import get_plotlyjs

    charts = figures(data)
    blocks = [f'<section class="chart" id="chart-{name}">'
              + fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{name}",
                            config={"displaylogo": False})
              + "</section>" for name, fig in charts]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in data.notes)
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
        "section.chart{max-width:1100px;margin:0 auto 24px}#ao-errors:empty{display:none}"
        "#ao-errors{color:#b00}</style>"
        f"{_ERRORS}<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{data.sessions} session(s), {len(data.days)} day(s) with usage.</p>"
        + "".join(blocks)
        + (f"<ul class=\"notes\">{notes}</ul>" if notes else "")
        + "</body></html>\n"
    )
