"""MkDocs hook: Graphviz diagrams and benchmark results, rendered at build time.

Pages ask for a diagram with a paragraph of its own, `[[diagram NAME]]`; the hook renders
`docs/diagrams/NAME.dot` with Graphviz's `dot -Tsvg` and puts the SVG inline in the page.
No image file is committed and nothing is fetched when the site is viewed (a JavaScript
renderer such as Mermaid loads from a CDN, which breaks reading the docs offline).

`[[bench-results]]` becomes a table of the latest `bench/results/*.json` of this checkout
(they are gitignored: a fresh clone shows "not run").

Failing loudly is the point: no `dot` on PATH, a `.dot` file Graphviz rejects, or a page
asking for a diagram that does not exist stops the build with one line that says why.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BENCH = ROOT / "bench"
_DIAGRAM = re.compile(r"<p>\[\[diagram ([a-z0-9-]+)\]\]</p>")
_ANY_DIAGRAM = re.compile(r"\[\[diagram ([^\]]*)\]\]")
_BENCH = re.compile(r"^\[\[bench-results\]\]$", re.MULTILINE)
_SVG_START = re.compile(r"<svg\b")
_cache: dict[str, str] = {}


def dot_binary() -> str:
    found = shutil.which("dot")
    if not found:
        raise PluginError(
            "Graphviz `dot` is not on PATH: the docs' diagrams (docs/diagrams/*.dot) are "
            "rendered at build time. Install it (Debian/Ubuntu: apt-get install graphviz).")
    return found


def render(name: str) -> str:
    """The inline SVG of docs/diagrams/NAME.dot (cached by the source's content)."""
    source = HERE / f"{name}.dot"
    if not source.is_file():
        raise PluginError(f"diagram {name!r}: {source.relative_to(ROOT)} does not exist")
    text = source.read_text(encoding="utf-8")
    key = hashlib.sha256(text.encode()).hexdigest()
    if key in _cache:
        return _cache[key]
    proc = subprocess.run([dot_binary(), "-Tsvg"], input=text, capture_output=True,
                          text=True, timeout=60)
    if proc.returncode != 0:
        raise PluginError(f"{source.relative_to(ROOT)}: dot failed: {proc.stderr.strip()}")
    svg = proc.stdout
    start = _SVG_START.search(svg)
    if not start:
        raise PluginError(f"{source.relative_to(ROOT)}: dot printed no <svg>")
    # Drop the XML prolog and DOCTYPE (invalid inside HTML) and the comments dot writes.
    svg = re.sub(r"<!--.*?-->", "", svg[start.start():], flags=re.DOTALL).strip()
    # Natural size from dot's width/height; the stylesheet scales it down to the page
    # width (max-width: 100%, height: auto), which the viewBox keeps in proportion.
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(name)} diagram" ', 1)
    _cache[key] = svg
    return svg


def _figure(match: re.Match[str]) -> str:
    name = match.group(1)
    return (f'<figure class="ao-diagram" id="diagram-{name}">{render(name)}'
            f'<figcaption>Diagram source: <code>docs/diagrams/{name}.dot</code></figcaption></figure>')


def bench_names() -> list[str]:
    """Benchmarks as `python -m bench` finds them: bench/<name>/run.py."""
    return sorted(p.name for p in BENCH.iterdir() if p.is_dir() and (p / "run.py").is_file())


def _headline(data: dict[str, Any]) -> str:
    """The top-level numbers of a result file: ratios, rates, targets, `met`."""
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            shown = f"{value:.3g}" if isinstance(value, float) else str(value)
            parts.append(f"`{key}` {shown}")
        elif (isinstance(value, list) and len(value) == 2
              and all(isinstance(v, int | float) for v in value)):
            parts.append(f"`{key}` {value[0]}–{value[1]}")
    return ", ".join(parts[:8]) or "(no top-level figures)"


def bench_table() -> str:
    results = BENCH / "results"
    rows = ["| benchmark | latest result in this checkout | targets met |", "|---|---|---|"]
    for name in [*bench_names(), *_extra_results()]:
        path = results / f"{name}.json"
        if not path.is_file():
            rows.append(f"| `{name}` | not run here (`python -m bench {name}`) | – |")
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise PluginError(f"{path.relative_to(ROOT)}: not valid JSON ({exc})") from exc
        met = data.get("met") if isinstance(data, dict) else None
        shown = {True: "yes", False: "**no**"}.get(met, "–") if isinstance(met, bool) else "–"
        rows.append(f"| `{name}` | {_headline(data) if isinstance(data, dict) else '–'} | {shown} |")
    return "\n".join(rows)


def _extra_results() -> list[str]:
    """Result files of benchmarks that are not a bench/<name>/ directory (routing_eval)."""
    results = BENCH / "results"
    if not results.is_dir():
        return []
    names = set(bench_names())
    return sorted(p.stem for p in results.glob("*.json") if p.stem not in names)


# --- MkDocs events ----------------------------------------------------------------------

def on_config(config: Any, **kwargs: Any) -> Any:
    dot_binary()  # fail before any page is built
    return config


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    for match in _ANY_DIAGRAM.finditer(markdown):
        if not re.fullmatch(r"[a-z0-9-]+", match.group(1)):
            raise PluginError(f"{page.file.src_path}: bad diagram name {match.group(1)!r}")
        if not (HERE / f"{match.group(1)}.dot").is_file():
            raise PluginError(f"{page.file.src_path}: no docs/diagrams/{match.group(1)}.dot")
    if _BENCH.search(markdown):
        markdown = _BENCH.sub(lambda _: bench_table(), markdown)
    return markdown


def on_page_content(content: str, page: Any, **kwargs: Any) -> str:
    content = _DIAGRAM.sub(_figure, content)
    if "[[diagram " in content:
        raise PluginError(f"{page.file.src_path}: a [[diagram NAME]] must be a paragraph of its own")
    return content
