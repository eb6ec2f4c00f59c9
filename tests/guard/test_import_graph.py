"""The guard's modules import each other in one direction only (no circle), counting
imports inside functions too, since a lazy import is still a dependency. Type-only
imports under `if TYPE_CHECKING:` are left out: they never run."""

from __future__ import annotations

import ast
from pathlib import Path

import agentops_os.guard

PACKAGE = Path(agentops_os.guard.__file__).parent
PREFIX = "agentops_os.guard."


def _runtime_imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "agentops_os.guard":
                found.update(PREFIX + alias.name for alias in node.names)
            elif node.module.startswith(PREFIX):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith(PREFIX))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_rules"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(PREFIX + str(node.args[0].value))  # commands' lazy import of a rule module
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def graph() -> dict[str, set[str]]:
    from agentops_os.guard.programs import RULE_MODULES

    modules = {PREFIX + p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    edges = {
        name: {m for m in _runtime_imports(ast.parse(path.read_text())) if m in modules} - {name}
        for name, path in modules.items()
    }
    edges[PREFIX + "commands"] |= {PREFIX + m for m in RULE_MODULES.values()}  # `rule_for`
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state:
                found = dfs(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state:
            found = dfs(node)
            if found:
                return found
    return None


def test_guard_imports_have_no_cycle() -> None:
    edges = graph()
    assert len(edges) >= 10  # the package really was read
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges) or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_rule_modules_never_import_the_dispatchers() -> None:
    edges = graph()
    for name, targets in edges.items():
        if name.startswith(PREFIX + "rules_"):
            assert not targets & {PREFIX + "commands", PREFIX + "tools", PREFIX + "judge"}, name


def test_no_module_is_a_giant() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path.name
