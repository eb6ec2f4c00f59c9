"""The architecture's layers hold (contracts in `.importlinter`): the base layer imports no
other part of ao, the domain core never imports the CLI, hooks stay off the heavy features."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / ".importlinter"), cache_dir=str(tmp_path),
                        no_logo=True) == 0


def test_no_import_circles_between_packages() -> None:
    """Top-level packages of agentops_os form no circle (type-only imports left out; a
    lazy import inside a function counts). The one allowed pair: the base layer's settings
    snapshot asks the config loader to build it on a cache miss (see `.importlinter`)."""
    import grimp

    graph = grimp.build_graph("agentops_os", exclude_type_checking_imports=True)
    packages = sorted({".".join(m.split(".")[:2]) for m in graph.modules if m.count(".") >= 1})
    edges = {a: {b for b in packages if a != b and graph.direct_import_exists(
        importer=a, imported=b, as_packages=True)} for a in packages}
    edges["agentops_os.base"].discard("agentops_os.config")
    circles = _strongly_connected(edges)
    assert [c for c in circles if len(c) > 1] == []


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of nodes that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            out.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out
