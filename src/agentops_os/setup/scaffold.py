"""Plan and apply `ao init`.

Rules (DESIGN §3.2 and §4):
- merge, never clobber: settings.json keys/hooks kept, git hooks chained, AGENTS.md only
  gets its marked section, CLAUDE.md only created when missing;
- a scaffold file the user changed is left alone unless `force`; "changed" is decided
  against `.agents/scaffold.json`, the content hashes of what init last wrote (tracked,
  so it survives clones; the derived `.index/` would not be the right place);
- idempotent: planning a second time yields no change at all;
- everything is planned first, so malformed input aborts before any byte is written.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from agentops_os import githooks
from agentops_os.repo import AGENTS_DIR, LAYOUT
from agentops_os.setup import codex as codex_setup
from agentops_os.setup import settings as claude_settings
from agentops_os.setup import templates
from agentops_os.store.atomic import write_atomic
from agentops_os.store.store import SCHEMA_VERSION, Store

MANIFEST = "scaffold.json"


@dataclass
class Change:
    rel: str  # path shown to the user
    old: str | None
    new: str
    what: str  # one line: "created", "added hooks for ...", ...
    apply: Callable[[], object] = field(repr=False, default=lambda: None)

    def diff(self) -> str:
        old = [] if self.old is None else self.old.splitlines(keepends=True)
        lines = difflib.unified_diff(old, self.new.splitlines(keepends=True),
                                     fromfile="/dev/null" if self.old is None else f"a/{self.rel}",
                                     tofile=f"b/{self.rel}")
        text = "".join(line if line.endswith("\n") else line + "\n" for line in lines)
        return text


@dataclass
class InitPlan:
    root: Path
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    notes: list[str] = field(default_factory=list)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def load_manifest(root: Path) -> dict[str, str]:
    text = _read(root / AGENTS_DIR / MANIFEST)
    if not text:
        return {}
    try:
        files = json.loads(text).get("files", {})
    except (ValueError, AttributeError):
        return {}  # a damaged manifest only means "treat every file as the user's"
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def plan_init(root: Path, *, force: bool = False, mcp: bool = False) -> InitPlan:
    store = Store.open(root)
    plan = InitPlan(root)
    old_manifest = load_manifest(root)
    manifest = dict(old_manifest)

    # Malformed input first: abort before anything else is even planned.
    settings_path = root / ".claude" / "settings.json"
    settings = claude_settings.load_settings(settings_path)
    codex_path = root / codex_setup.HOOKS_FILE
    codex_hooks = claude_settings.load_settings(codex_path)

    def repo_writer(path: Path, text: str) -> Callable[[], object]:
        return lambda: write_atomic(path, text.encode("utf-8"))

    def store_writer(rel: str, text: str) -> Callable[[], object]:
        return lambda: store.write_file(rel, text)

    def scaffold_file(rel: str, new: str, *, in_store: bool) -> None:
        path = root / rel
        if in_store:
            new = store.redactor.text(new)
        old = _read(path)
        if old == new:
            manifest[rel] = sha256(new)
            return
        if old is not None and not force and old_manifest.get(rel) != sha256(old):
            plan.skipped.append(f"{rel}: changed by you; left alone (ao init --force replaces it)")
            return
        manifest[rel] = sha256(new)
        writer = store_writer(rel.removeprefix(AGENTS_DIR + "/"), new) if in_store \
            else repo_writer(path, new)
        plan.changes.append(Change(rel, old, new, "created" if old is None else "updated", writer))

    # .agents/ tree: empty kinds tracked through .gitkeep files.
    for kind in LAYOUT:
        rel = f"{AGENTS_DIR}/{kind}/.gitkeep"
        if not (root / rel).exists():
            plan.changes.append(Change(rel, None, "", "created", store_writer(f"{kind}/.gitkeep", "")))
    scaffold_file(f"{AGENTS_DIR}/CONSTITUTION.md", templates.template("CONSTITUTION.md"), in_store=True)
    scaffold_file("agentops.toml", templates.agentops_toml(), in_store=False)
    for name in templates.AGENTS:
        scaffold_file(f".claude/agents/{name}.md", templates.template(f"claude/agents/{name}.md"),
                      in_store=False)
    scaffold_file(".claude/commands/prime.md", templates.template("claude/commands/prime.md"),
                  in_store=False)
    for phase in templates.RPI_PHASES:  # `ao rpi` phase prompts, the user's to edit
        scaffold_file(f"{AGENTS_DIR}/workflows/rpi/{phase}.md",
                      templates.template(f"workflows/rpi/{phase}.md"), in_store=True)

    _plan_agents_md(plan, repo_writer)
    claude_md = root / "CLAUDE.md"
    if not claude_md.exists():
        plan.changes.append(Change("CLAUDE.md", None, templates.CLAUDE_MD, "created (imports AGENTS.md)",
                                   repo_writer(claude_md, templates.CLAUDE_MD)))
    elif "@AGENTS.md" not in (_read(claude_md) or ""):
        plan.notes.append("CLAUDE.md exists and does not import AGENTS.md; add a line '@AGENTS.md' to it")

    ao = claude_settings.ao_for_settings(githooks.current_ao())
    merged, added = claude_settings.merged_settings(settings, ao)
    if added:
        old_text = _read(settings_path)
        new = claude_settings.dump_settings(merged, old_text)
        plan.changes.append(Change(".claude/settings.json", old_text, new,
                                   f"registered `{ao} hook` for {', '.join(added)}",
                                   repo_writer(settings_path, new)))
    merged, added = codex_setup.merged_hooks(codex_hooks, ao)
    if added:
        old_text = _read(codex_path)
        new = claude_settings.dump_settings(merged, old_text)
        plan.changes.append(Change(str(codex_setup.HOOKS_FILE), old_text, new,
                                   f"registered `{ao} hook` for Codex's {', '.join(added)}",
                                   repo_writer(codex_path, new)))
    if mcp:
        _plan_mcp(plan, ao, repo_writer)
    if ao != "ao":
        plan.notes.append(f"`ao` is not on PATH; Claude Code and Codex hooks call {ao} (absolute path)")

    _plan_gitignore(plan, repo_writer)
    _plan_git_hooks(plan)

    if manifest != old_manifest or (manifest and not (root / AGENTS_DIR / MANIFEST).exists()):
        text = json.dumps({"schema_version": SCHEMA_VERSION, "written_by": "ao init",
                           "files": dict(sorted(manifest.items()))}, indent=2) + "\n"
        rel = f"{AGENTS_DIR}/{MANIFEST}"
        plan.changes.append(Change(rel, _read(root / rel), text, "recorded scaffold hashes",
                                   store_writer(MANIFEST, text)))
    return plan


def _plan_agents_md(plan: InitPlan, repo_writer: Callable[[Path, str], Callable[[], object]]) -> None:
    path = plan.root / "AGENTS.md"
    old = _read(path)
    section = templates.agents_section()
    if old is None:
        new = ("# AGENTS.md\n\nInstructions for AI coding agents working in this repository.\n\n"
               + section)
        what = "created with the AgentOps section"
    elif templates.SECTION_BEGIN in old and templates.SECTION_END in old:
        start = old.index(templates.SECTION_BEGIN)
        end = old.index(templates.SECTION_END, start) + len(templates.SECTION_END)
        if old[end:end + 1] == "\n":
            end += 1
        new = old[:start] + section + old[end:]
        what = "updated the AgentOps section"
    else:
        new = old.rstrip("\n") + "\n\n" + section if old.strip() else section
        what = "appended the AgentOps section"
    if new != old:
        plan.changes.append(Change("AGENTS.md", old, new, what, repo_writer(path, new)))


def _plan_gitignore(plan: InitPlan, repo_writer: Callable[[Path, str], Callable[[], object]]) -> None:
    path = plan.root / ".gitignore"
    old = _read(path)
    wanted = templates.GITIGNORE_LINE
    variants = {wanted, wanted.rstrip("/"), "/" + wanted, "/" + wanted.rstrip("/")}
    if old is not None and any(line.strip() in variants for line in old.splitlines()):
        return
    base = "" if not old else old if old.endswith("\n") else old + "\n"
    new = base + "# AgentOps: derived index, rebuilt by `ao reindex`\n" + wanted + "\n"
    plan.changes.append(Change(".gitignore", old, new, f"ignores {wanted}", repo_writer(path, new)))


def _plan_git_hooks(plan: InitPlan) -> None:
    root = plan.root
    for hook, command in templates.GIT_HOOKS.items():
        text, move_to, what = githooks.plan_git_hook(root, hook, command)
        if text is None:
            continue
        path = githooks.hook_path(root, hook)
        try:
            rel = str(path.relative_to(root))
        except ValueError:
            rel = str(path)
        old = None if move_to else _read(path)
        if move_to:
            plan.notes.append(f"{rel}: your hook will be kept as {move_to} and still run first")

        def install(hook: str = hook, command: str = command) -> str:
            return githooks.install_git_hook(root, hook, command)

        plan.changes.append(Change(rel, old, text, what.split(": ", 1)[-1], install))


def _plan_mcp(plan: InitPlan, ao: str, repo_writer: Callable[[Path, str], Callable[[], object]]) -> None:
    from agentops_os.setup import mcp as mcp_setup

    for rel, render in ((mcp_setup.CLAUDE_FILE, mcp_setup.claude_mcp_json),
                        (mcp_setup.CODEX_FILE, mcp_setup.codex_config_toml)):
        path = plan.root / rel
        old = _read(path)
        new = render(old, ao)
        if new is not None:
            plan.changes.append(Change(str(rel), old, new, f"registered `{ao} mcp serve` as MCP server "
                                       f"{mcp_setup.SERVER_NAME!r}", repo_writer(path, new)))


def apply_init(plan: InitPlan) -> None:
    for change in plan.changes:
        change.apply()
