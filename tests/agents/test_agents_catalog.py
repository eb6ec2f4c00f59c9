from __future__ import annotations

import re
from pathlib import Path

from helpers_agents import write_agent

from agentops_os.agents.catalog import load_catalog, parse_tools


def test_catalog_reads_all_kinds_and_scopes(repo: Path, hermetic_env: Path) -> None:
    write_agent(repo, "researcher", "Researches how the code works before a change is planned.")
    cmd = repo / ".claude" / "commands" / "frontend" / "lint.md"
    cmd.parent.mkdir(parents=True)
    cmd.write_text("---\ndescription: Lint the frontend code\n"
                   "allowed-tools: Bash(npm run lint)\n---\nRun it.\n")
    skill = repo / ".claude" / "skills" / "pdf" / "SKILL.md"
    skill.parent.mkdir(parents=True)
    skill.write_text("---\nname: pdf\ndescription: Fill and read PDF forms.\n---\nUse pypdf.\n")
    write_agent(hermetic_env, "researcher", "User copy, shadowed by the project one.")
    write_agent(hermetic_env, "helper", "A user-level agent.")
    prompt = hermetic_env / ".codex" / "prompts" / "review.md"
    prompt.parent.mkdir(parents=True)
    prompt.write_text("---\ndescription: Review the staged diff\nargument-hint: [FILE]\n---\nReview $1.\n")

    catalog = load_catalog(repo)
    found = {(e.kind, e.name, e.scope, e.shadowed) for e in catalog.entries}
    assert ("agent", "researcher", "project", False) in found
    assert ("agent", "researcher", "user", True) in found
    assert ("agent", "helper", "user", False) in found
    assert ("command", "frontend:lint", "project", False) in found
    assert ("skill", "pdf", "project", False) in found
    assert ("codex-prompt", "review", "user", False) in found
    assert catalog.errors == []
    command = next(e for e in catalog.entries if e.kind == "command")
    assert command.tools == ["Bash(npm run lint)"]


def test_broken_frontmatter_is_reported_and_skipped(repo: Path) -> None:
    write_agent(repo, "good", "A good agent that reviews diffs carefully for bugs.")
    bad = repo / ".claude" / "agents" / "bad.md"
    bad.write_text("---\nname: bad\ndescription: [unclosed\n---\nbody\n")
    catalog = load_catalog(repo, include_user=False)
    assert [e.name for e in catalog.entries] == ["good"]
    assert len(catalog.errors) == 1
    assert re.match(re.escape(str(bad)) + r":\d+: invalid YAML", catalog.errors[0])


def test_parse_tools_accepts_string_and_list() -> None:
    assert parse_tools("Read, Grep,Glob") == ["Read", "Grep", "Glob"]
    assert parse_tools(["Read", "Write"]) == ["Read", "Write"]
    assert parse_tools(None) is None


def test_fingerprint_changes_when_an_agent_changes(repo: Path) -> None:
    path = write_agent(repo, "a1", "Writes Terraform for cloud infrastructure changes.")
    before = load_catalog(repo, include_user=False).fingerprint()
    path.write_text(path.read_text().replace("cloud", "AWS"))
    assert load_catalog(repo, include_user=False).fingerprint() != before
