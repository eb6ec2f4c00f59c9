"""Swarm tasks: what one agent is asked to do, where it may write, and what it waits for.

tasks:
  - id: api-docs
    prompt: "Document every public function in src/api/"
    agent: documenter          # optional: an agent of `ao agents list`
    scope: ["src/api/**", "docs/api/**"]
    depends_on: []
    timeout: 900               # seconds
    gates: ci                  # a gate set, or "" for none
    retries: 1
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.errors import FatalError, located

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")
_KEYS = {"id", "prompt", "agent", "scope", "depends_on", "timeout", "gates", "retries", "source"}


@dataclass(frozen=True)
class Task:
    id: str
    prompt: str
    agent: str = ""
    scope: tuple[str, ...] = ()  # globs over repo paths; empty = the whole repository
    depends_on: tuple[str, ...] = ()
    timeout: float = 0.0
    gates: str | None = None  # None = the swarm's default gate set
    retries: int = 0
    source: dict[str, str] = field(default_factory=dict)  # e.g. {"beads": "bd-12"}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["scope"], data["depends_on"] = list(self.scope), list(self.depends_on)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Task:
        return cls(
            str(data["id"]),
            str(data["prompt"]),
            str(data.get("agent") or ""),
            tuple(data.get("scope") or ()),
            tuple(data.get("depends_on") or ()),
            float(data.get("timeout") or 0),
            data.get("gates"),
            int(data.get("retries") or 0),
            dict(data.get("source") or {}),
        )


def load_file(path: Path) -> list[Task]:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FatalError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FatalError(located(path, mark.line + 1 if mark else None, f"invalid YAML: {problem}")) from None
    if data is None:
        raise FatalError(located(path, 1, "no tasks: expected `tasks:` with a list"))
    return parse(yaml.safe_load(text), path, _lines(data))


def _lines(node: Any) -> dict[int, dict[str, int]]:
    """Per task index: the line of the entry ("") and of each of its keys, for errors."""
    import yaml

    out: dict[int, dict[str, int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "tasks" and isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    out[i] = {"": item.start_mark.line + 1}
                    if isinstance(item, yaml.MappingNode):
                        out[i].update({k.value: k.start_mark.line + 1 for k, _ in item.value})
    return out


def parse(data: Any, path: Path | str, lines: dict[int, dict[str, int]] | None = None) -> list[Task]:
    lines = lines or {}
    items = data.get("tasks") if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise FatalError(located(path, 1, "expected `tasks:` with a non-empty list"))
    tasks: list[Task] = []
    for index, item in enumerate(items):
        spots = lines.get(index, {})

        def bad(what: str, key: str = "", spots: dict[str, int] = spots) -> FatalError:
            return FatalError(located(path, spots.get(key) or spots.get(""), what))

        if not isinstance(item, dict):
            raise bad(f"task {index + 1}: expected a mapping with id and prompt")
        unknown = sorted(set(item) - _KEYS)
        if unknown:
            raise bad(f"task {item.get('id', index + 1)}: unknown key {unknown[0]!r}", unknown[0])
        ident = str(item.get("id") or "")
        if not _ID.match(ident):
            raise bad(f"task {index + 1}: id {ident!r} must be lowercase letters, digits, '-' or '_'", "id")
        if not str(item.get("prompt") or "").strip():
            raise bad(f"task {ident}: prompt is empty", "prompt")
        for key in ("scope", "depends_on"):
            value = item.get(key)
            if value is not None and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise bad(f"task {ident}: {key} must be a list of strings", key)
        for key in ("timeout", "retries"):
            value = item.get(key)
            if value is not None and (
                not isinstance(value, int | float) or isinstance(value, bool) or value < 0
            ):
                raise bad(f"task {ident}: {key} must be a number >= 0", key)
        tasks.append(Task.from_dict(item))
    check(tasks, path)
    return tasks


def check(tasks: list[Task], path: Path | str) -> None:
    ids = [t.id for t in tasks]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate:
        raise FatalError(located(path, None, f"task id {duplicate!r} appears twice"))
    for task in tasks:
        missing = [d for d in task.depends_on if d not in ids]
        if missing:
            raise FatalError(located(path, None, f"task {task.id}: depends on unknown task {missing[0]!r}"))
    cycle = _cycle(tasks)
    if cycle:
        raise FatalError(located(path, None, "dependency cycle: " + " -> ".join(cycle)))


def _cycle(tasks: list[Task]) -> list[str]:
    graph = {t.id: t.depends_on for t in tasks}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for dep in graph[node]:
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def order(tasks: list[Task]) -> list[Task]:
    """File order, except that a task comes after its dependencies (for merging)."""
    done: set[str] = set()
    out: list[Task] = []
    pending = list(tasks)
    while pending:
        task = next(t for t in pending if all(d in done for d in t.depends_on))  # `check` ruled out cycles
        out.append(task)
        done.add(task.id)
        pending.remove(task)
    return out
