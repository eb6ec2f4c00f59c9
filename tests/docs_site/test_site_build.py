"""The docs site builds offline with `mkdocs build --strict`, every nav page is in it, every
factor page carries its diagram rendered from docs/diagrams/*.dot, and nothing loads from
the network."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from docs_site_helpers import DOCS, MKDOCS_YML, ROOT, SITE

pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")
pytest.importorskip("material", reason="the docs extra is not installed (pip install -e '.[docs]')")

DIAGRAMS = DOCS / "diagrams"
FACTOR_PAGES = sorted((SITE / "factors").glob("[0-1][0-9]-*.md"))


class _Loader(yaml.SafeLoader):
    """mkdocs.yml may use MkDocs' own tags (!ENV, !relative); none matter for the nav."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def nav_pages() -> list[str]:
    config = yaml.load(MKDOCS_YML.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config["nav"])
    return found


def output_path(site: Path, page: str) -> Path:
    """Where MkDocs writes a page with use_directory_urls (the default)."""
    stem = page[:-3]
    if stem == "index" or stem.endswith("/index"):
        return site / (stem + ".html")
    return site / stem / "index.html"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(MKDOCS_YML),
                           "-d", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return out


def test_every_nav_page_is_built(built_site: Path) -> None:
    pages = nav_pages()
    assert len(pages) == len(set(pages)), "a page is listed twice in the nav"
    for page in pages:
        assert (DOCS / page).is_file(), f"mkdocs.yml nav names {page}, which does not exist"
        assert output_path(built_site, page).is_file(), f"{page} was not built"


def test_every_page_is_in_the_nav() -> None:
    listed = set(nav_pages())
    sources = {str(p.relative_to(DOCS)) for p in DOCS.glob("*.md")}
    sources |= {str(p.relative_to(DOCS)) for p in SITE.rglob("*.md")}
    missing = sorted(sources - listed)
    assert not missing, f"pages missing from the nav of mkdocs.yml: {missing}"


def test_every_factor_page_has_its_diagram_inline(built_site: Path) -> None:
    assert len(FACTOR_PAGES) == 12, [p.name for p in FACTOR_PAGES]
    for number, page in enumerate(FACTOR_PAGES, start=1):
        name = f"factor-{number:02d}"
        assert (DIAGRAMS / f"{name}.dot").is_file(), f"no docs/diagrams/{name}.dot"
        html = output_path(built_site, str(page.relative_to(DOCS))).read_text(encoding="utf-8")
        figure = re.search(rf'<figure class="ao-diagram" id="diagram-{name}">(.*?)</figure>', html, re.DOTALL)
        assert figure, f"{page.name}: no inline diagram {name}"
        assert figure.group(1).lstrip().startswith("<svg"), f"{page.name}: the diagram is not inline SVG"
        assert "<g id=\"graph0\"" in figure.group(1), f"{page.name}: not a Graphviz rendering"


def test_architecture_diagram_and_every_source_is_used(built_site: Path) -> None:
    html = output_path(built_site, "site/architecture.md").read_text(encoding="utf-8")
    assert 'id="diagram-architecture"' in html
    used = set()
    for page in SITE.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        used |= set(re.findall(r"^\[\[diagram ([a-z0-9-]+)\]\]$", text, re.MULTILINE))
    sources = {p.stem for p in DIAGRAMS.glob("*.dot")}
    assert sources == used, f"diagram sources without a page: {sorted(sources - used)}"


def test_nothing_loads_from_the_network(built_site: Path) -> None:
    offenders = []
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for pattern in (r'<script[^>]*\ssrc="(?:https?:)?//', r'<link[^>]*\shref="(?:https?:)?//',
                        r'<img[^>]*\ssrc="(?:https?:)?//', r"@import\s+url\((?:https?:)?//"):
            if re.search(pattern, html):
                offenders.append(f"{page.relative_to(built_site)}: {pattern}")
    for css in built_site.rglob("*.css"):
        if re.search(r"url\((['\"]?)https?://", css.read_text(encoding="utf-8", errors="replace")):
            offenders.append(str(css.relative_to(built_site)))
    assert not offenders, offenders


def test_no_diagram_placeholder_is_left(built_site: Path) -> None:
    # A diagram placeholder that reached the HTML means the hook did not run on it.
    for page in built_site.rglob("*.html"):
        assert "[[diagram" not in page.read_text(encoding="utf-8"), page


# --- the build hook itself ---------------------------------------------------------------

def _hook():
    spec = importlib.util.spec_from_file_location("ao_docs_hook", DIAGRAMS / "hook.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_fails_clearly_without_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError

    hook = _hook()
    monkeypatch.setattr(hook.shutil, "which", lambda name: None)
    with pytest.raises(PluginError, match=r"Graphviz `dot` is not on PATH.*apt-get install graphviz"):
        hook.on_config({})


def test_unknown_or_broken_diagram_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import PluginError

    hook = _hook()

    class Page:
        class file:  # noqa: N801 - mimics mkdocs' page.file.src_path
            src_path = "site/x.md"

    with pytest.raises(PluginError, match="no docs/diagrams/nope.dot"):
        hook.on_page_markdown("text\n\n[[diagram nope]]\n", Page())
    monkeypatch.setattr(hook, "HERE", tmp_path)
    monkeypatch.setattr(hook, "ROOT", tmp_path)
    (tmp_path / "bad.dot").write_text("digraph { a -> }\n")
    with pytest.raises(PluginError, match="bad.dot: dot failed"):
        hook.render("bad")
