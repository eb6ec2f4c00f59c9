"""`ao init`: scaffold, merge with what the user has, never clobber, idempotent."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from agentops_os.setup.templates import AGENTS, CLAUDE_EVENTS
from conftest import git, run_ao

USER_SETTINGS = {
    "permissions": {"allow": ["Bash(npm test:*)"], "deny": ["Read(./.env)"]},
    "env": {"FOO": "bar"},
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./lint.sh"}]}],
        "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}],
    },
}


def snapshot(root: Path) -> dict[str, str]:
    """Hash of every file of the work tree and of .git/hooks (byte-level idempotence)."""
    files = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if Path(dirpath) == root:
            dirnames.remove(".git")
        for name in filenames:
            path = Path(dirpath) / name
            files[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted((root / ".git" / "hooks").iterdir()):
        files[f".git/hooks/{path.name}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def commit(repo: Path, message: str, name: str = "file.txt") -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(message)
    git(repo, "add", "-A")
    return subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, capture_output=True, text=True)


GOOD = "Add a thing\n\nContext: needed.\nSolution: added.\nLearning: small steps.\nImpact: none.\n"


def test_fresh_repo_gets_the_whole_scaffold(repo: Path) -> None:
    proc = run_ao("init")
    assert proc.returncode == 0, proc.stderr
    for kind in ("learnings", "pending", "handoffs", "bundles", "sessions", "runs", "audit", "improve"):
        assert (repo / ".agents" / kind / ".gitkeep").exists()
    constitution = (repo / ".agents" / "CONSTITUTION.md").read_text()
    assert "40%" in constitution and constitution.count("\n1. **") == 1 and "5. **" in constitution
    assert "[context]" in (repo / "agentops.toml").read_text()
    assert "<!-- agentops:begin" in (repo / "AGENTS.md").read_text()
    assert (repo / "CLAUDE.md").read_text() == "@AGENTS.md\n"
    assert ".agents/.index/" in (repo / ".gitignore").read_text().splitlines()
    assert '!`ao prime "$ARGUMENTS"`' in (repo / ".claude" / "commands" / "prime.md").read_text()
    settings = json.loads((repo / ".claude" / "settings.json").read_text())
    for event, (ao_event, matcher) in CLAUDE_EVENTS.items():
        (entry,) = settings["hooks"][event]
        timeout = {"timeout": 10} if event == "SessionEnd" else {}  # its short exit budget
        assert entry["hooks"] == [{"type": "command", "command": f"ao hook {ao_event}", **timeout}]
        assert entry.get("matcher") == matcher
    for hook in ("prepare-commit-msg", "commit-msg"):
        assert os.access(repo / ".git" / "hooks" / hook, os.X_OK)
    manifest = json.loads((repo / ".agents" / "scaffold.json").read_text())
    assert ".agents/CONSTITUTION.md" in manifest["files"]
    # Everything but the index is tracked: git sees the scaffold.
    status = git(repo, "status", "--porcelain", "--untracked-files=all")
    assert ".agents/learnings/.gitkeep" in status and ".index" not in status


@pytest.mark.parametrize("name", AGENTS)
def test_starter_agents_have_valid_single_purpose_frontmatter(repo: Path, name: str) -> None:
    run_ao("init")
    text = (repo / ".claude" / "agents" / f"{name}.md").read_text()
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    assert meta["name"] == name
    assert 40 <= len(meta["description"]) <= 300
    tools = [t.strip() for t in meta["tools"].split(",")]
    known = {"Read", "Grep", "Glob", "Write", "Edit", "Bash"}
    assert set(tools) <= known
    if name in ("researcher", "reviewer"):
        assert set(tools) == {"Read", "Grep", "Glob"}  # read-only
    assert 3 <= len(meta["examples"]) <= 5
    assert meta.get("model") in (None, "sonnet", "opus", "haiku", "inherit")
    assert body.strip()


def test_existing_setup_is_preserved_chained_and_rerun_is_a_noop(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pre-commit-ran"
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text(f'#!/bin/sh\necho ran >> "{marker}"\n')
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    user_commit_msg = repo / ".git" / "hooks" / "commit-msg"
    user_commit_msg.write_text(f'#!/bin/sh\necho msg-hook >> "{marker}"\n')
    user_commit_msg.chmod(0o755)
    (repo / ".claude").mkdir()
    (repo / ".claude" / "settings.json").write_text(json.dumps(USER_SETTINGS, indent=4))
    (repo / "AGENTS.md").write_text("# Our agents\n\nAlways run make check.\n")
    (repo / "CLAUDE.md").write_text("Project notes for Claude.\n")
    # Our own ao has no pre-commit hook, so install one (as `ao gate install` will) to
    # show the user's pre-commit hook is chained there too.
    from agentops_os.githooks import install_git_hook

    proc = run_ao("init")
    assert proc.returncode == 0, proc.stderr
    install_git_hook(repo, "pre-commit", "ao --version")

    settings_text = (repo / ".claude" / "settings.json").read_text()
    assert settings_text.startswith('{\n    "permissions"')  # the user's 4-space indent kept
    settings = json.loads(settings_text)
    assert settings["permissions"] == USER_SETTINGS["permissions"]
    assert settings["env"] == {"FOO": "bar"}
    assert settings["hooks"]["PreToolUse"][0] == USER_SETTINGS["hooks"]["PreToolUse"][0]
    assert settings["hooks"]["Stop"][0] == USER_SETTINGS["hooks"]["Stop"][0]
    assert settings["hooks"]["PreToolUse"][1]["hooks"][0]["command"] == "ao hook pre-tool-use"
    agents_md = (repo / "AGENTS.md").read_text()
    assert agents_md.startswith("# Our agents\n\nAlways run make check.\n")
    assert "## AgentOps" in agents_md
    assert (repo / "CLAUDE.md").read_text() == "Project notes for Claude.\n"
    assert "does not import AGENTS.md" in proc.stderr
    assert (repo / ".git" / "hooks" / "commit-msg.local").exists()

    # A real commit runs the user's hooks and ours.
    ok = commit(repo, GOOD)
    assert ok.returncode == 0, ok.stderr
    assert marker.read_text().splitlines() == ["ran", "msg-hook"]
    bad = commit(repo, "just a subject", "other.txt")
    assert bad.returncode != 0
    assert "Context" in bad.stderr and "missing" in bad.stderr

    before = snapshot(repo)
    again = run_ao("init")
    assert again.returncode == 0
    assert "nothing to do" in again.stderr
    assert snapshot(repo) == before

    # The marked section is updated in place, the user's text around it kept.
    (repo / "AGENTS.md").write_text(agents_md.replace("## AgentOps", "## AgentOps (old)") + "\nTail.\n")
    run_ao("init")
    updated = (repo / "AGENTS.md").read_text()
    assert updated.count("<!-- agentops:begin") == 1 and "## AgentOps\n" in updated
    assert updated.endswith("\nTail.\n") and "(old)" not in updated


def test_user_modified_scaffold_file_is_left_alone_unless_force(repo: Path) -> None:
    run_ao("init")
    constitution = repo / ".agents" / "CONSTITUTION.md"
    constitution.write_text("# Our own constitution\n")
    proc = run_ao("init")
    assert "left alone .agents/CONSTITUTION.md" in proc.stderr
    assert constitution.read_text() == "# Our own constitution\n"
    forced = run_ao("init", "--force")
    assert forced.returncode == 0
    assert "40%" in constitution.read_text()


def test_unmodified_scaffold_file_is_updated_when_the_template_changes(repo: Path) -> None:
    run_ao("init")
    prime = repo / ".claude" / "commands" / "prime.md"
    original = prime.read_text()
    old_template = "old template text\n"
    prime.write_text(old_template)
    manifest_path = repo / ".agents" / "scaffold.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"][".claude/commands/prime.md"] = hashlib.sha256(old_template.encode()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))
    proc = run_ao("init")
    assert "changed .claude/commands/prime.md: updated" in proc.stderr
    assert prime.read_text() == original


def test_dry_run_prints_a_diff_and_changes_nothing(repo: Path) -> None:
    before = snapshot(repo)
    proc = run_ao("init", "--dry-run")
    assert proc.returncode == 0
    assert "+++ b/.agents/CONSTITUTION.md" in proc.stdout
    assert "+++ b/.claude/settings.json" in proc.stdout
    assert '+ao commit check "$1" || exit $?' in proc.stdout
    assert "would change" in proc.stderr
    assert snapshot(repo) == before


def test_malformed_settings_changes_nothing_and_names_the_line(repo: Path) -> None:
    (repo / ".claude").mkdir()
    (repo / ".claude" / "settings.json").write_text('{\n  "permissions": {\n    "allow": [,]\n  }\n}\n')
    before = snapshot(repo)
    proc = run_ao("init")
    assert proc.returncode == 2
    assert ".claude/settings.json:3: invalid JSON" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert snapshot(repo) == before


def test_not_a_git_repo_is_exit_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    proc = run_ao("init", cwd=plain)
    assert proc.returncode == 2
    assert "not a git repository" in proc.stderr
    assert list(plain.iterdir()) == []


def test_core_hooks_path_is_respected(repo: Path) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    (repo / ".githooks").mkdir()
    user = repo / ".githooks" / "commit-msg"
    user.write_text('#!/bin/sh\ngrep -q "Signed-off-by" "$1" || { echo "needs sign-off" >&2; exit 1; }\n')
    user.chmod(0o755)
    assert run_ao("init").returncode == 0
    assert not (repo / ".git" / "hooks" / "commit-msg").exists()
    assert (repo / ".githooks" / "commit-msg.local").exists()
    unsigned = commit(repo, GOOD)
    assert unsigned.returncode != 0 and "needs sign-off" in unsigned.stderr
    signed = commit(repo, GOOD + "\nSigned-off-by: Test Dev <test@example.com>\n")
    assert signed.returncode == 0, signed.stderr


def test_prepare_commit_msg_inserts_the_template_only_for_edited_messages(repo: Path) -> None:
    run_ao("init")
    (repo / "x.txt").write_text("x")
    git(repo, "add", "x.txt")
    editor = repo.parent / "editor.sh"
    seen = repo.parent / "seen.txt"
    editor.write_text(f'#!/bin/sh\ncp "$1" "{seen}"\nprintf "%s" "{GOOD}" > "$1"\n')
    editor.chmod(0o755)
    env = {**os.environ, "GIT_EDITOR": str(editor)}
    proc = subprocess.run(["git", "commit", "-q"], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "# AgentOps (Law 3)" in seen.read_text()
    message = git(repo, "log", "-1", "--format=%B")
    assert "AgentOps (Law 3)" not in message and "Learning: small steps." in message
    # -m messages are not touched.
    assert commit(repo, GOOD, "y.txt").returncode == 0
    assert "AgentOps" not in git(repo, "log", "-1", "--format=%B")


@pytest.mark.parametrize("char", [";", "auto"])
def test_template_and_check_follow_core_comment_char(repo: Path, char: str) -> None:
    """With core.commentChar set, the template is written in that comment style (so git
    strips it) and `#` lines are message text, not comments."""
    run_ao("init")
    git(repo, "config", "core.commentChar", char)
    (repo / "x.txt").write_text("x")
    git(repo, "add", "x.txt")
    editor = repo.parent / "editor.sh"
    seen = repo.parent / "seen.txt"
    body = GOOD + "\n# Not a comment: a Markdown heading kept by git\n"
    editor.write_text(f'#!/bin/sh\ncp "$1" "{seen}"\n{{ printf "%s" "{body}"; cat "{seen}"; }} > "$1"\n')
    editor.chmod(0o755)
    env = {**os.environ, "GIT_EDITOR": str(editor)}
    proc = subprocess.run(["git", "commit", "-q"], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    template = seen.read_text()
    prefix = ";" if char == ";" else template.strip().splitlines()[-1][0]
    assert f"{prefix} AgentOps (Law 3)" in template
    message = git(repo, "log", "-1", "--format=%B")
    assert "AgentOps (Law 3)" not in message and "Learning: small steps." in message
    # with ";" a `#` line is text; with "auto" git chose "#" for this message, so it is not
    assert ("# Not a comment" in message) == (char == ";")
    lacking = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "Subject only\n\n# Context: x"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert lacking.returncode != 0 and "missing" in lacking.stderr


def test_merge_commits_pass_the_commit_msg_hook(repo: Path) -> None:
    run_ao("init")
    assert commit(repo, GOOD).returncode == 0
    git(repo, "checkout", "-q", "-b", "side")
    assert commit(repo, GOOD, "side.txt").returncode == 0
    git(repo, "checkout", "-q", "main")
    assert commit(repo, GOOD, "main.txt").returncode == 0
    proc = subprocess.run(["git", "merge", "--no-edit", "side"], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert git(repo, "log", "-1", "--format=%s").startswith("Merge branch 'side'")


def test_json_output_lists_the_changes(repo: Path) -> None:
    data = json.loads(run_ao("init", "--dry-run", "--json").stdout)
    assert data["dry_run"] is True
    claude_md = next(c for c in data["changes"] if c["path"] == "CLAUDE.md")
    assert claude_md["what"] == "created (imports AGENTS.md)" and "+@AGENTS.md" in claude_md["diff"]
    assert not (repo / "CLAUDE.md").exists()
    data = json.loads(run_ao("init", "--json").stdout)
    assert len(data["changes"]) >= 20 and data["skipped"] == []
    assert json.loads(run_ao("init", "--json").stdout)["changes"] == []


def test_init_with_a_profile_installs_its_agents_and_reruns_as_a_noop(repo: Path) -> None:
    first = run_ao("init", "--profile", "sre", cwd=repo)
    assert first.returncode == 0, first.stderr
    assert "profile sre: create .claude/agents/" in first.stderr
    agents = {p.name for p in (repo / ".claude" / "agents").glob("*.md")}
    assert {"researcher.md", "reviewer.md"} <= agents and len(agents) >= 8  # starters + sre's
    assert "ao profile sre" in (repo / "agentops.toml").read_text()  # presets merged in
    before = {
        p: p.read_bytes()
        for p in repo.rglob("*")
        if p.is_file() and ".git" not in p.parts and ".index" not in p.parts
    }
    again = run_ao("init", "--profile", "sre", cwd=repo)
    assert again.returncode == 0 and "nothing to do" in again.stderr
    assert before == {p: p.read_bytes() for p in before}
    lint = run_ao("agents", "lint", cwd=repo)
    assert lint.returncode == 0, lint.stdout + lint.stderr


def test_init_with_an_unknown_profile_is_exit_2(repo: Path) -> None:
    proc = run_ao("init", "--profile", "no-such-profile", cwd=repo)
    assert proc.returncode == 2 and "no-such-profile" in proc.stderr
    assert not (repo / ".agents").exists()  # nothing written before the profile was found
