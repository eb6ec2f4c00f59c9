"""ReportData -> one HTML file with Plotly charts and plotly.js inlined: no CDN, opens
offline, mailable. A small script collects script errors into `#ao-errors`, so a test in a
headless browser (and a user) can see that every chart rendered."""

from __future__ import annotations

import html
from typing import Any

from agentops_os.report.data import ABSTAINED, ReportData

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
    fig.add_bar(x=data.learning_weeks, y=data.learnings_retrieved, name="retrieved")
    fig.update_layout(barmode="group")
    status = ", ".join(f"{n} {s}" for s, n in sorted(data.learnings_by_status.items()))
    votes = ", ".join(f"marked {v} {n}x" for v, n in sorted(data.learning_votes.items()))
    out.append(("learnings", layout(fig, f"Learnings created and retrieved per week ({status}; {votes})",
                                    "learnings")))

    fig = go.Figure()
    agents = sorted(({a for a, _ in data.routing} | set(data.decisions)) - {ABSTAINED})
    agents += [ABSTAINED] if ABSTAINED in data.decisions else []
    fig.add_bar(x=agents, y=[data.decisions.get(a, 0) for a in agents], name="ao route decisions")
    for outcome in sorted({o for _, o in data.routing}):
        fig.add_bar(x=agents, y=[data.routing.get((a, outcome), 0) for a in agents],
                    name=f"outcome: {outcome}")
    fig.update_layout(barmode="group")
    total = sum(data.decisions.values())
    confidence = sorted(data.decision_confidence)
    median = f", median top score {confidence[len(confidence) // 2]:.2f}" if confidence else ""
    title = (f"Routing: {total} decision(s), {data.decisions.get(ABSTAINED, 0)} abstained{median}; "
             "recorded outcomes by agent")
    out.append(("routing", layout(fig, title, "tasks")))

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


def top_learnings_table(data: ReportData) -> str:
    """The most retrieved learnings, with who served them and how they were marked."""
    if not data.top_learnings:
        return ('<section class="table" id="table-learnings"><p>No retrievals recorded yet (<code>ao '
                "prime</code>, <code>ao search</code> and the MCP tools record them).</p></section>")
    rows = "".join(
        f"<tr><td><code>{html.escape(row['id'])}</code></td><td>{html.escape(row['title'])}</td>"
        f"<td>{html.escape(row['status'])}</td><td>{row['retrieved']}</td>"
        f"<td>{html.escape(', '.join(f'{by} {n}' for by, n in row['by'].items()))}</td>"
        f"<td>{row['helpful']}</td><td>{row['harmful']}</td></tr>" for row in data.top_learnings)
    served = ", ".join(f"{by} {n}" for by, n in sorted(data.retrievals_by.items()))
    return ('<section class="table" id="table-learnings">'
            f"<h2>Most retrieved learnings</h2><p>{sum(data.retrievals_by.values())} served ({served}); "
            "SessionStart packets are not counted.</p>"
            "<table><thead><tr><th>id</th><th>title</th><th>status</th><th>retrieved</th><th>by</th>"
            f"<th>helpful</th><th>harmful</th></tr></thead><tbody>{rows}</tbody></table></section>")


def render(data: ReportData, title: str = "AgentOps report") -> str:
    from plotly.offline import get_plotlyjs

    charts = figures(data)
    blocks = [f'<section class="chart" id="chart-{name}">'
              + fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"plot-{name}",
                            config={"displaylogo": False})
              + "</section>" + (top_learnings_table(data) if name == "learnings" else "")
              for name, fig in charts]
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in data.notes)
    return (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
        "section.chart,section.table{max-width:1100px;margin:0 auto 24px}#ao-errors:empty{display:none}"
        "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}"
        "#ao-errors{color:#b00}</style>"
        f"{_ERRORS}<script>{get_plotlyjs()}</script></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{data.sessions} session(s), {len(data.days)} day(s) with usage.</p>"
        + "".join(blocks)
        + (f"<ul class=\"notes\">{notes}</ul>" if notes else "")
        + "</body></html>\n"
    )
