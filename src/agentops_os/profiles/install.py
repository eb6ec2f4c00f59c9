"""Install, diff and uninstall a profile into a repository without clobbering anything.

Where a profile's files go:
- `agents/*.md` -> `.claude/agents/`, `commands/**` -> `.claude/commands/`, `skills/**` -> `.claude/skills/`
- `gates.toml`, `guard.toml` -> a marked block each in `agentops.toml`
  (`# >>> ao profile NAME: gates >>>` ... `# <<< ao profile NAME: gates <<<`). If the repo's
  configuration does not accept a preset yet (its schema is not installed), the block is
  written commented out and the install says so.
- `constitution.md` -> a marked block in `.agents/CONSTITUTION.md`.

Merging: a target that does not exist is created; one already identical is left as is; one
that differs is updated only if this profile installed it and nobody changed it since (its
sha256 still matches the install record), else it is a conflict, left alone and reported.
The install record (`.agents/profiles/NAME.json`, via Store) lists every target with the
sha256 of what was written; `uninstall` removes only targets whose content still matches.
"""

from __future__ import annotations

import difflib
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from agentops_os.errors import FatalError
from agentops_os.profiles.archive import Profile, load_profile, sha256
from agentops_os.store.atomic import write_atomic

CONFIG = "agentops.toml"
CONSTITUTION = ".agents/CONSTITUTION.md"
RECORD_KIND = "profiles"


@dataclass
class Item:
    target: str  # repo-relative path, or "path#block" for a marked block
    content: str
    block: str | None = None  # block id for marked blocks


@dataclass
class Action:
    target: str
    action: str  # create | update | same | conflict | remove | keep | missing | commented
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {"target": self.target, "action": self.action, "detail": self.detail}


@dataclass
class Report:
    profile: str
    version: str
    dry_run: bool
    actions: list[Action] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Action]:
        return [a for a in self.actions if a.action in ("conflict", "keep")]

    def to_json(self) -> dict[str, Any]:
        return {"profile": self.profile, "version": self.version, "dry_run": self.dry_run,
                "actions": [a.to_json() for a in self.actions],
                "conflicts": len(self.conflicts)}


def _markers(name: str, block: str, path: str) -> tuple[str, str]:
    if path.endswith(".md"):
        return (f"<!-- >>> ao profile {name}: {block} >>> -->",
                f"<!-- <<< ao profile {name}: {block} <<< -->")
    return (f"# >>> ao profile {name}: {block} >>>", f"# <<< ao profile {name}: {block} <<<")


def items(profile: Profile) -> list[Item]:
    out: list[Item] = []
    for rel, data in sorted(profile.files.items()):
        parts = PurePosixPath(rel).parts
        text = data.decode("utf-8")
        if not text.endswith("\n"):
            text += "\n"
        if parts[0] in ("agents", "commands", "skills") and len(parts) >= 2:
            out.append(Item(".claude/" + rel, text))
        elif rel in ("gates.toml", "guard.toml"):
            out.append(Item(f"{CONFIG}#{parts[0][:-5]}", text, parts[0][:-5]))
        elif rel == "constitution.md":
            out.append(Item(f"{CONSTITUTION}#constitution", text, "constitution"))
    return out


def _split_block(text: str, start: str, end: str) -> tuple[str, str | None, str]:
    """(before, block content or None, after) around the marked block."""
    lines = text.splitlines(keepends=True)
    try:
        i = next(n for n, line in enumerate(lines) if line.rstrip("\n") == start)
        j = next(n for n in range(i + 1, len(lines)) if lines[n].rstrip("\n") == end)
    except StopIteration:
        return text, None, ""
    return "".join(lines[:i]), "".join(lines[i + 1 : j]), "".join(lines[j + 1 :])


def _current(root: Path, item: Item, name: str) -> str | None:
    path = root / item.target.split("#", 1)[0]
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    if item.block is None:
        return text
    start, end = _markers(name, item.block, str(path))
    return _split_block(text, start, end)[1]


def _with_block(text: str, name: str, block: str, path: str, content: str | None) -> str:
    start, end = _markers(name, block, path)
    before, old, after = _split_block(text, start, end)
    if content is None:  # remove the block and the blank line that separated it
        if old is None:
            return text
        head = before.rstrip("\n")
        return (head + "\n" if head else "") + after.lstrip("\n")
    block_text = f"{start}\n{content}{end}\n"
    if old is not None:
        return before + block_text + after
    sep = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
    return text + sep + block_text


def _config_accepts(root: Path, text: str) -> str | None:
    """None when agentops.toml text loads with this repo's config schema, else the reason."""
    from agentops_os.config import load_config

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, CONFIG).write_text(text, encoding="utf-8")
        try:
            load_config(Path(tmp))
        except FatalError as exc:
            return str(exc).split(": ", 1)[-1]
    return None


def _record(root: Path, name: str) -> dict[str, Any] | None:
    from agentops_os.store import Store

    path = Store(root).path(RECORD_KIND, f"{name}.json")
    return Store(root).read_record(path) if path.exists() else None


def installed(root: Path) -> dict[str, dict[str, Any]]:
    from agentops_os.store import Store

    errors: list[str] = []
    return {str(r.get("profile")): r for _, r in Store(root).iter_records(RECORD_KIND, errors)}


def install_profile(root: Path, name_or_path: str, dry_run: bool = False) -> Report:
    """Install (or upgrade) a profile; never overwrites a file the user changed."""
    from agentops_os.store import Store

    root = Path(root)
    profile = load_profile(name_or_path)
    record = _record(root, profile.name) or {}
    owned: dict[str, str] = {f["target"]: f["sha256"] for f in record.get("files", [])}
    report = Report(profile.name, profile.version, dry_run)
    written: list[dict[str, str]] = []
    redactor = Store.open(root).redactor
    for item in items(profile):
        path = root / item.target.split("#", 1)[0]
        if item.target.startswith(".agents/"):  # everything under .agents/ is redacted (DESIGN §3.1)
            item.content = redactor.text(item.content)
        current = _current(root, item, profile.name)
        content = item.content
        if current is not None and (current == content or _is_commented(current, content)):
            report.actions.append(Action(item.target, "same"))
            if item.target in owned or item.block:
                written.append({"target": item.target, "sha256": sha256(current.encode())})
            continue
        ours = item.target in owned and current is not None and sha256(current.encode()) == owned[item.target]
        if current is not None and not ours:
            detail = "changed since install" if item.target in owned else "exists with other content"
            report.actions.append(Action(item.target, "conflict", detail + "; left alone"))
            if item.target in owned:  # still ours to report on uninstall, with the old hash
                written.append({"target": item.target, "sha256": owned[item.target]})
            continue
        action = "create" if current is None else "update"
        detail = ""
        if item.block:
            old_text = path.read_text(encoding="utf-8") if path.is_file() else ""
            new_text = _with_block(old_text, profile.name, item.block, str(path), content)
            if path.name == CONFIG:
                reason = _config_accepts(root, new_text)
                if reason:
                    content = _commented(content)
                    new_text = _with_block(old_text, profile.name, item.block, str(path), content)
                    detail = f"written commented out: this repo's config does not accept it yet ({reason})"
            data = new_text
        else:
            data = content
        report.actions.append(Action(item.target, action, detail))
        written.append({"target": item.target, "sha256": sha256(content.encode())})
        if not dry_run:
            write_atomic(path, data.encode("utf-8"))
    source = "builtin" if name_or_path == profile.name else profile.source
    unchanged = (record.get("version") == profile.version and record.get("source") == source
                 and record.get("files") == written)
    if not dry_run and not unchanged:  # a re-install that changes nothing writes no byte
        Store.open(root).write_record(RECORD_KIND, profile.name, {
            "profile": profile.name, "version": profile.version, "source": source,
            "installed_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "files": written,
        })
    return report


def _commented(content: str) -> str:
    return "".join(f"# {line}" if line.strip() else line for line in content.splitlines(keepends=True))


def _is_commented(current: str, content: str) -> bool:
    return current == _commented(content)


def uninstall_profile(root: Path, name: str, dry_run: bool = False) -> Report:
    """Remove what the profile installed and nobody changed since; report the rest."""
    from agentops_os.store import Store

    root = Path(root)
    record = _record(root, name)
    if record is None:
        raise FatalError(f"profile '{name}' is not installed (see `ao profile list`)")
    report = Report(name, str(record.get("version", "")), dry_run)
    for entry in record.get("files", []):
        target, digest = entry["target"], entry["sha256"]
        block = target.split("#", 1)[1] if "#" in target else None
        item = Item(target, "", block)
        path = root / target.split("#", 1)[0]
        current = _current(root, item, name)
        if current is None:
            report.actions.append(Action(target, "missing", "already gone"))
            continue
        if sha256(current.encode()) != digest:
            report.actions.append(Action(target, "keep", "changed since install; left in place"))
            continue
        report.actions.append(Action(target, "remove"))
        if dry_run:
            continue
        if block:
            text = _with_block(path.read_text(encoding="utf-8"), name, block, str(path), None)
            if text.strip():
                write_atomic(path, text.encode("utf-8"))
            else:  # nothing but our block was in it: the install created it
                path.unlink()
        else:
            path.unlink()
            for parent in path.parents:
                if parent == root or parent.name in (".claude", ".agents") or any(parent.iterdir()):
                    break
                parent.rmdir()
    if not dry_run:
        Store(root).path(RECORD_KIND, f"{name}.json").unlink()
    return report


def diff_profile(root: Path, name_or_path: str) -> list[tuple[Action, str]]:
    """Per target: its state against the profile, and a unified diff where they differ."""
    root = Path(root)
    profile = load_profile(name_or_path)
    owned = {f["target"]: f["sha256"] for f in (_record(root, profile.name) or {}).get("files", [])}
    out: list[tuple[Action, str]] = []
    for item in items(profile):
        current = _current(root, item, profile.name)
        if current is None:
            out.append((Action(item.target, "missing", "not installed"), ""))
            continue
        if current == item.content or _is_commented(current, item.content):
            out.append((Action(item.target, "same"), ""))
            continue
        changed = item.target not in owned or sha256(current.encode()) != owned[item.target]
        state = Action(item.target, "modified" if changed else "outdated",
                       "differs from the profile" if changed else "an older profile version")
        text = "".join(difflib.unified_diff(current.splitlines(keepends=True),
                                            item.content.splitlines(keepends=True),
                                            f"a/{item.target}", f"b/{item.target}"))
        out.append((state, text))
    return out
