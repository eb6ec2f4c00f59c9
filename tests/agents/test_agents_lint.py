from __future__ import annotations

from pathlib import Path

import pytest
from helpers_agents import write_agent
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.agents.catalog import load_catalog, load_paths
from agentops_os.agents.lint import LintSettings, job_clauses, lint_catalog
from agentops_os.agents.text import tokens
from agentops_os.config import load_config
from agentops_os.profiles.archive import builtin_dir, builtin_names
from conftest import run_ao


def findings(root: Path) -> list[tuple[str, str, str]]:
    settings = LintSettings.from_config(load_config(root))
    return [(f.name or Path(f.path).stem, f.severity, f.rule)
            for f in lint_catalog(load_catalog(root, include_user=False), settings)]


# The shape `ao init` scaffolds (issue 2): name, description, tools, optional model, examples.
STARTERS = {
    "researcher": ("Researches the codebase and the web to answer how something works before a change.",
                   "Read, Grep, Glob, WebSearch, WebFetch"),
    "planner": ("Turns research into a step-by-step implementation plan with files and tests to touch.",
                "Read, Grep, Glob, Write"),
    "implementer": ("Implements one planned change in small, tested commits.",
                    "Read, Grep, Glob, Edit, Write, Bash"),
    "reviewer": ("Reviews a finished change for bugs, risky edits and missing tests, without editing.",
                 "Read, Grep, Glob, Bash"),
}


def test_well_made_starter_agents_have_no_errors(repo: Path) -> None:
    for name, (description, tools) in STARTERS.items():
        write_agent(repo, name, description, tools=tools, model="sonnet",
                    examples=[f"example task for the {name}", "another example"])
    result = findings(repo)
    assert [f for f in result if f[1] == "error"] == []
    # Bash on a reviewer is allowed but flagged: it can change files.
    assert result == [("reviewer", "warning", "tools-bash-readonly")]


def test_required_frontmatter(repo: Path) -> None:
    path = repo / ".claude" / "agents" / "nameless.md"
    path.parent.mkdir(parents=True)
    path.write_text("---\ndescription: Reviews database migrations for locking problems and rollbacks.\n"
                    "tools: Read\n---\nbody\n")
    (repo / ".claude" / "agents" / "bare.md").write_text("Just a prompt, no frontmatter.\n")
    assert ("nameless", "error", "frontmatter-missing") in findings(repo)
    assert ("bare", "error", "frontmatter-missing") in findings(repo)


def test_name_must_match_file_and_format(repo: Path) -> None:
    write_agent(repo, "db-helper", "Writes safe schema migrations with rollbacks for Postgres.",
                file_name="db-migrator")
    write_agent(repo, "Bad_Name", "Reviews dashboards for confusing charts and missing units.")
    result = findings(repo)
    assert ("db-migrator", "error", "name-mismatch") in result
    assert ("Bad_Name", "error", "name-format") in result
    assert not any(f[2] == "name-mismatch" and f[0] == "Bad_Name" for f in result)


def test_description_length_bounds(repo: Path) -> None:
    write_agent(repo, "short", "Helps.")
    write_agent(repo, "long", "Handles database work. " * 60)
    write_agent(repo, "fine", "Writes unit tests for untested branches of existing Python code.")
    result = findings(repo)
    assert ("short", "error", "description-short") in result
    assert ("long", "warning", "description-long") in result
    assert [f for f in result if f[0] == "fine"] == []


def test_multi_job_descriptions_are_flagged(repo: Path) -> None:
    write_agent(repo, "everything",
                "Writes code, reviews pull requests, deploys services and updates the docs.",
                tools="Read, Write")
    write_agent(repo, "focused", "Reviews pull requests for bugs, security holes and missing tests.")
    result = findings(repo)
    assert ("everything", "warning", "description-multi-job") in result
    assert not any(f[0] == "focused" for f in result)


def test_job_clauses_counts_distinct_verbs() -> None:
    assert job_clauses("Writes code, reviews PRs and deploys services.") == ["writ", "review", "deploy"]
    assert job_clauses("Reviews diffs for bugs, security holes and style.") == ["review"]


def test_least_privilege_for_readonly_roles(repo: Path) -> None:
    write_agent(repo, "code-reviewer", "Reviews diffs for bugs and risky changes before merge.",
                tools="Read, Grep, Edit")
    write_agent(repo, "researcher", "Researches how a subsystem works and reports findings.", tools=None)
    write_agent(repo, "auditor-ro", "Audits dependencies for known vulnerabilities.", tools="Read, Grep")
    write_agent(repo, "implementer", "Implements a planned change in small tested commits.",
                tools="Read, Edit, Write, Bash")
    result = findings(repo)
    assert ("code-reviewer", "error", "tools-write-readonly") in result
    assert ("researcher", "error", "tools-write-readonly") in result  # inherits every tool
    assert not any(f[0] in ("auditor-ro", "implementer") for f in result)


def test_prompt_size_against_context_budget(repo: Path) -> None:
    # 200k window x 0.40 = 80k-token budget; 25% of it is 20k tokens (~80k characters).
    write_agent(repo, "huge", "Writes Kubernetes manifests for stateless services.", body="x" * 100_000)
    write_agent(repo, "medium", "Writes Helm charts for stateful services.", body="x" * 20_000)
    write_agent(repo, "small", "Writes Terraform for object storage buckets.", body="x" * 2_000)
    result = findings(repo)
    assert ("huge", "error", "prompt-size") in result
    assert ("medium", "warning", "prompt-size") in result
    assert not any(f[0] == "small" for f in result)


def test_prompt_budget_follows_config(repo: Path) -> None:
    (repo / "agentops.toml").write_text("[context]\nbudget_fraction = 0.01\n")
    write_agent(repo, "small", "Writes Terraform for object storage buckets.", body="x" * 2_000)
    assert ("small", "error", "prompt-size") in findings(repo)


def test_overlapping_agents(repo: Path) -> None:
    write_agent(repo, "sql-tuner", "Speeds up slow SQL queries by reading query plans and adding indexes.")
    write_agent(repo, "query-tuner", "Speeds up slow SQL queries by reading query plans and adding indexes.")
    write_agent(repo, "docs-writer", "Writes user documentation and tutorials for the product.")
    result = findings(repo)
    overlaps = [f for f in result if f[2] == "overlap"]
    assert len(overlaps) == 1 and overlaps[0][1] == "error"
    assert not any(f[0] == "docs-writer" for f in result)


def test_examples_must_be_strings(repo: Path) -> None:
    write_agent(repo, "bad-examples", "Writes unit tests for untested branches of existing code.",
                extra={"examples": "not a list"})
    assert ("bad-examples", "error", "examples-invalid") in findings(repo)


def test_bundled_profiles_are_lint_clean() -> None:
    assert set(builtin_names()) >= {"product-dev", "devops", "sre", "data-eng"}
    for name in builtin_names():
        catalog = load_paths([builtin_dir() / name])
        agents = catalog.of_kind("agent")
        assert len(agents) >= 4, name
        assert all(len(a.examples) >= 5 for a in agents), name
        assert lint_catalog(catalog, LintSettings.from_config(load_config(None))) == []


def test_cli_lint_exit_codes(repo: Path) -> None:
    write_agent(repo, "fine", "Writes unit tests for untested branches of existing Python code.")
    ok = run_ao("agents", "lint", "--json", cwd=repo)
    assert ok.returncode == 0, ok.stderr
    (repo / ".claude" / "agents" / "broken.md").write_text("---\nname: [x\n---\n")
    bad = run_ao("agents", "lint", cwd=repo)
    assert bad.returncode == 1
    assert "broken.md" in bad.stdout and "frontmatter-invalid" in bad.stdout
    listed = run_ao("agents", "list", cwd=repo)
    assert listed.returncode == 0 and "fine" in listed.stdout and "broken.md" in listed.stderr


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12), max_size=12))
def test_tokens_are_whole_input_words(words: list[str]) -> None:
    # Tokens are whole words of the input (or their documented alias), never a fragment:
    # "til" must never be found inside "until" (DESIGN §4).
    from agentops_os.agents.text import _ALIASES

    for token in tokens(" ".join(words)):
        assert token in words or token in _ALIASES.values()


@pytest.mark.parametrize("word", ["until", "utility", "subtitle"])
def test_no_partial_word_matches(word: str) -> None:
    assert "til" not in tokens(f"see {word} later")


def write_codex_agent(root: Path, name: str, description: str, sandbox: str | None, *,
                      file_name: str | None = None) -> Path:
    path = root / ".codex" / "agents" / f"{file_name or name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f'name = "{name}"', f'description = "{description}"',
             'developer_instructions = """\nReview the change and report findings.\n"""']
    if sandbox:
        lines.append(f'sandbox_mode = "{sandbox}"')
    path.write_text("\n".join(lines) + "\n")
    return path


def test_codex_custom_agents_are_catalogued_and_linted(repo: Path) -> None:
    write_codex_agent(repo, "pr-reviewer", "Reviews pull requests for bugs and missing tests.", "read-only")
    write_codex_agent(repo, "security-reviewer", "Reviews diffs for injection and secrets exposure.",
                      "workspace-write")
    write_codex_agent(repo, "migrator", "Writes safe database schema migrations with rollbacks.",
                      "workspace-write", file_name="db-migrator")
    broken = repo / ".codex" / "agents" / "broken.toml"
    broken.write_text('name = "broken"\ndescription = \n')
    catalog = load_catalog(repo, include_user=False)
    assert {e.name for e in catalog.of_kind("codex-agent")} == {"pr-reviewer", "security-reviewer",
                                                                  "db-migrator"}
    assert catalog.errors and "broken.toml:2: invalid TOML" in catalog.errors[0]
    result = findings(repo)
    assert ("security-reviewer", "error", "tools-write-readonly") in result
    assert ("db-migrator", "error", "name-mismatch") in result
    assert not any(f[0] == "pr-reviewer" for f in result)
