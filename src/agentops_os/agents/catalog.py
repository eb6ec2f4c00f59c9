"""Catalog of agent definitions found on disk: Claude Code subagents, commands and skills,
and Codex custom prompts and skills.

Where each kind lives (project files win over the user's of the same name, as in Claude Code):

| kind          | project                        | user                                        |
|---------------|--------------------------------|---------------------------------------------|
| agent         | `.claude/agents/*.md`          | `~/.claude/agents/*.md` (`CLAUDE_CONFIG_DIR`) |
| command       | `.claude/commands/**/*.md`     | `~/.claude/commands/**/*.md`                |
| skill         | `.claude/skills/*/SKILL.md`    | `~/.claude/skills/*/SKILL.md`               |
| codex-prompt  | —                              | `~/.codex/prompts/*.md` (`CODEX_HOME`)      |
| codex-skill   | `.codex/skills/*/SKILL.md`     | `~/.codex/skills/*/SKILL.md`                |
| codex-agent   | `.codex/agents/*.toml`         | `~/.codex/agents/*.toml`                    |

Codex custom agents are TOML (`name`, `description`, `developer_instructions`, optional
`model`, `sandbox_mode`, ...); the instructions play the part of the prompt body, and
`sandbox_mode` that of the tool list (read-only or not).

A file whose frontmatter cannot be parsed is reported in `Catalog.errors` (path and line)
and skipped; every other file is still listed and routed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.store import documents

KINDS = ("agent", "command", "skill", "codex-prompt", "codex-skill", "codex-agent")
AGENT_KINDS = ("agent", "codex-agent")


@dataclass
class Entry:
    """One agent definition: its frontmatter, prompt body and where it came from."""

    name: str
    kind: str
    scope: str  # "project" or "user"
    path: Path
    meta: dict[str, Any]
    body: str
    sha256: str
    shadowed: bool = False  # a project entry of the same kind and name wins

    @property
    def description(self) -> str:
        value = self.meta.get("description")
        return " ".join(str(value).split()) if value is not None else ""

    @property
    def tools(self) -> list[str] | None:
        """Tool allow-list, or None when the field is absent (the agent inherits all tools)."""
        key = "tools" if self.kind == "agent" else "allowed-tools"
        value = self.meta.get(key, self.meta.get("allowed_tools") if key != "tools" else None)
        return parse_tools(value)

    @property
    def model(self) -> str | None:
        value = self.meta.get("model")
        return str(value) if value else None

    @property
    def examples(self) -> list[str]:
        value = self.meta.get("examples")
        if isinstance(value, list):
            return [" ".join(str(v).split()) for v in value if isinstance(v, str | int | float)]
        return []

    def to_json(self, *, body: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "scope": self.scope,
            "path": str(self.path),
            "description": self.description,
            "tools": self.tools,
            "model": self.model,
            "examples": self.examples,
            "shadowed": self.shadowed,
            "sha256": self.sha256,
        }
        if body:
            data["body"] = self.body
        return data


@dataclass
class Catalog:
    entries: list[Entry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def of_kind(self, *kinds: str, include_shadowed: bool = False) -> list[Entry]:
        return [e for e in self.entries if e.kind in kinds and (include_shadowed or not e.shadowed)]

    def find(self, name: str) -> list[Entry]:
        return [e for e in self.entries if e.name == name]

    def fingerprint(self, kinds: Iterable[str] = ("agent",)) -> str:
        """Content hash of the routable entries: a change to any file changes it."""
        digest = hashlib.sha256()
        for entry in sorted(self.of_kind(*kinds), key=lambda e: (e.kind, e.name, str(e.path))):
            digest.update(f"{entry.kind}\0{entry.name}\0{entry.sha256}\n".encode())
        return digest.hexdigest()


def parse_tools(value: Any) -> list[str] | None:
    """`tools: Read, Grep` or a YAML list; None when absent."""
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    tools = [str(item).strip() for item in items]
    return [t for t in tools if t]


def claude_home() -> Path:
    configured = os.environ.get("CLAUDE_CONFIG_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".claude"


def codex_home() -> Path:
    configured = os.environ.get("CODEX_HOME")
    return Path(configured).expanduser() if configured else Path.home() / ".codex"


def sources(root: Path | None, include_user: bool) -> list[tuple[str, str, Path, str]]:
    """(kind, scope, directory, pattern) in precedence order: project before user."""
    out: list[tuple[str, str, Path, str]] = []
    if root is not None:
        out += [
            ("agent", "project", root / ".claude" / "agents", "*.md"),
            ("command", "project", root / ".claude" / "commands", "**/*.md"),
            ("skill", "project", root / ".claude" / "skills", "*/SKILL.md"),
            ("codex-skill", "project", root / ".codex" / "skills", "*/SKILL.md"),
            ("codex-agent", "project", root / ".codex" / "agents", "*.toml"),
        ]
    if include_user:
        claude, codex = claude_home(), codex_home()
        out += [
            ("agent", "user", claude / "agents", "*.md"),
            ("command", "user", claude / "commands", "**/*.md"),
            ("skill", "user", claude / "skills", "*/SKILL.md"),
            ("codex-prompt", "user", codex / "prompts", "*.md"),
            ("codex-skill", "user", codex / "skills", "*/SKILL.md"),
            ("codex-agent", "user", codex / "agents", "*.toml"),
        ]
    return out


def entry_name(kind: str, path: Path, base: Path) -> str:
    """The name a runtime knows the entry by: file stem, skill directory, or `dir:stem`
    for nested Claude commands (`/frontend:lint`)."""
    if kind in ("skill", "codex-skill"):
        return path.parent.name
    if kind == "command":
        rel = path.relative_to(base).with_suffix("")
        return ":".join(rel.parts)
    return path.stem


def read_entry(path: Path, kind: str, scope: str, base: Path | None = None) -> Entry:
    """Parse one definition file; raises `documents.DocumentError` on broken frontmatter."""
    raw = path.read_bytes()
    if path.suffix == ".toml":
        meta = _read_toml(path, raw)
        body = str(meta.get("developer_instructions", ""))
    else:
        doc = documents.read(path)
        meta, body = doc.meta, doc.body
    return Entry(
        name=entry_name(kind, path, base or path.parent),
        kind=kind,
        scope=scope,
        path=path,
        meta=meta,
        body=body,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _read_toml(path: Path, raw: bytes) -> dict[str, Any]:
    import re
    import tomllib

    from agentops_os.errors import located

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise documents.DocumentError(located(path, None, "not UTF-8 text")) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise documents.DocumentError(located(path, line, f"invalid TOML: {str(exc).split(' (at')[0]}")) \
            from None


def load_catalog(root: Path | None, *, include_user: bool = True,
                 kinds: Iterable[str] = KINDS) -> Catalog:
    wanted = set(kinds)
    catalog = Catalog()
    seen: set[tuple[str, str]] = set()
    for kind, scope, directory, pattern in sources(root, include_user):
        if kind not in wanted or not directory.is_dir():
            continue
        for path in sorted(directory.glob(pattern)):
            if not path.is_file():
                continue
            try:
                entry = read_entry(path, kind, scope, directory)
            except documents.DocumentError as exc:
                catalog.errors.append(str(exc))
                continue
            except OSError as exc:
                catalog.errors.append(f"{path}: unreadable: {exc.strerror or exc}")
                continue
            key = (kind, entry.name)
            entry.shadowed = key in seen
            seen.add(key)
            catalog.entries.append(entry)
    return catalog


def load_paths(paths: Iterable[Path]) -> Catalog:
    """A catalog of explicit files or directories (linting a profile before packing it).

    Directories are searched for `agents/*.md`, `commands/**/*.md`, `skills/*/SKILL.md`
    (a profile's layout) and `.claude/...` (a repo's); a bare `.md` file is an agent.
    """
    catalog = Catalog()
    for path in paths:
        path = Path(path)
        if path.is_file():
            kind = "skill" if path.name == "SKILL.md" else "agent"
            try:
                catalog.entries.append(read_entry(path, kind, "file"))
            except documents.DocumentError as exc:
                catalog.errors.append(str(exc))
            continue
        for base in (path, path / ".claude"):
            for kind, sub, pattern in (("agent", "agents", "*.md"), ("command", "commands", "**/*.md"),
                                       ("skill", "skills", "*/SKILL.md")):
                directory = base / sub
                if not directory.is_dir():
                    continue
                for file in sorted(directory.glob(pattern)):
                    try:
                        catalog.entries.append(read_entry(file, kind, "file", directory))
                    except documents.DocumentError as exc:
                        catalog.errors.append(str(exc))
    return catalog
