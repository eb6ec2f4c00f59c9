from __future__ import annotations

import shutil
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.config import load_config
from agentops_os.errors import FatalError
from agentops_os.profiles.archive import builtin_dir
from agentops_os.profiles.install import _with_block, diff_profile, install_profile, uninstall_profile
from conftest import run_ao


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*"))
            if p.is_file() and ".git" not in p.parts and ".index" not in p.parts}


def test_install_creates_files_and_a_record(repo: Path) -> None:
    report = install_profile(repo, "sre")
    assert {a.action for a in report.actions} == {"create"}
    assert (repo / ".claude/agents/incident-responder.md").is_file()
    assert (repo / ".claude/commands/incident.md").is_file()
    assert "ao profile sre: constitution" in (repo / ".agents/CONSTITUTION.md").read_text()
    assert "ao profile sre: gates" in (repo / "agentops.toml").read_text()
    load_config(repo)  # the repo's config still loads
    record = orjson.loads((repo / ".agents/profiles/sre.json").read_bytes())
    assert record["profile"] == "sre" and record["version"] == "1.0.0" and record["schema_version"] == 1
    assert len(record["files"]) == len(report.actions)


def test_dry_run_changes_nothing(repo: Path) -> None:
    before = tree(repo)
    report = install_profile(repo, "devops", dry_run=True)
    assert report.actions and all(a.action == "create" for a in report.actions)
    assert tree(repo) == before


def test_reinstall_is_idempotent(repo: Path) -> None:
    install_profile(repo, "data-eng")
    before = tree(repo)
    again = install_profile(repo, "data-eng")
    assert {a.action for a in again.actions} == {"same"}
    assert {k: v for k, v in tree(repo).items() if "profiles/" not in k} == \
        {k: v for k, v in before.items() if "profiles/" not in k}


def test_user_modified_file_is_a_conflict_and_survives_uninstall(repo: Path) -> None:
    install_profile(repo, "sre")
    mine = repo / ".claude/agents/slo-analyst.md"
    mine.write_text(mine.read_text() + "\nTeam note: our SLOs live in slo.yaml.\n")
    edited = mine.read_text()
    report = install_profile(repo, "sre")
    conflicts = [a for a in report.actions if a.action == "conflict"]
    assert [a.target for a in conflicts] == [".claude/agents/slo-analyst.md"]
    assert mine.read_text() == edited
    removed = uninstall_profile(repo, "sre")
    assert [a.target for a in removed.actions if a.action == "keep"] == [".claude/agents/slo-analyst.md"]
    assert mine.read_text() == edited
    assert not (repo / ".claude/agents/incident-responder.md").exists()
    assert not (repo / ".agents/profiles/sre.json").exists()


def test_existing_user_files_are_never_overwritten_or_removed(repo: Path) -> None:
    agents = repo / ".claude/agents"
    agents.mkdir(parents=True)
    (agents / "code-reviewer.md").write_text("---\nname: code-reviewer\ndescription: mine\n---\nmine\n")
    shutil.copy(builtin_dir() / "product-dev/agents/test-writer.md", agents / "test-writer.md")
    (repo / "agentops.toml").write_text("# my settings\n[context]\nbudget_fraction = 0.3\n")
    report = {a.target: a.action for a in install_profile(repo, "product-dev").actions}
    assert report[".claude/agents/code-reviewer.md"] == "conflict"
    assert report[".claude/agents/test-writer.md"] == "same"
    assert (agents / "code-reviewer.md").read_text().endswith("mine\n")
    assert load_config(repo).get("context.budget_fraction") == 0.3
    uninstall_profile(repo, "product-dev")
    # Not ours: the conflicting file and the identical pre-existing one both stay.
    assert (agents / "code-reviewer.md").is_file() and (agents / "test-writer.md").is_file()
    assert not (agents / "spec-writer.md").exists()
    assert (repo / "agentops.toml").read_text() == "# my settings\n[context]\nbudget_fraction = 0.3\n"


def test_presets_are_commented_out_when_the_config_does_not_accept_them(repo: Path) -> None:
    report = {a.target: a for a in install_profile(repo, "devops").actions}
    gates = report["agentops.toml#gates"]
    text = (repo / "agentops.toml").read_text()
    if "commented out" in gates.detail:
        assert "# [gates.checks.devops-terraform]" in text
    else:  # a gates schema is installed: the preset is live and the config loads
        assert "\n[gates.checks.devops-terraform]" in text
    load_config(repo)


def test_upgrade_updates_unchanged_files_only(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "sre-v2"
    shutil.copytree(builtin_dir() / "sre", source)
    install_profile(repo, str(source))
    (repo / ".claude/agents/capacity-planner.md").write_text("my own version\n")
    for name in ("capacity-planner", "slo-analyst"):
        path = source / "agents" / f"{name}.md"
        path.write_text(path.read_text() + "\nNew in 1.1.\n")
    (source / "profile.toml").write_text((source / "profile.toml").read_text().replace("1.0.0", "1.1.0"))
    report = {a.target: a.action for a in install_profile(repo, str(source)).actions}
    assert report[".claude/agents/slo-analyst.md"] == "update"
    assert report[".claude/agents/capacity-planner.md"] == "conflict"
    assert (repo / ".claude/agents/slo-analyst.md").read_text().endswith("New in 1.1.\n")
    assert (repo / ".claude/agents/capacity-planner.md").read_text() == "my own version\n"
    states = {a.target: a.action for a, _ in diff_profile(repo, str(source))}
    assert states[".claude/agents/capacity-planner.md"] == "modified"
    assert states[".claude/agents/slo-analyst.md"] == "same"


def test_uninstall_of_unknown_profile_is_an_input_error(repo: Path) -> None:
    with pytest.raises(FatalError):
        uninstall_profile(repo, "sre")
    with pytest.raises(FatalError):
        install_profile(repo, "no-such-profile")


def test_cli_install_diff_uninstall(repo: Path) -> None:
    dry = run_ao("profile", "install", "sre", "--dry-run", "--json", cwd=repo)
    assert dry.returncode == 0, dry.stderr
    assert orjson.loads(dry.stdout)["dry_run"] is True
    assert not (repo / ".claude").exists()
    assert run_ao("profile", "install", "sre", cwd=repo).returncode == 0
    listed = run_ao("profile", "list", "--json", cwd=repo)
    rows = {r["name"]: r for r in orjson.loads(listed.stdout)["profiles"]}
    assert rows["sre"]["installed"] == "1.0.0" and rows["devops"]["installed"] is None
    (repo / ".claude/agents/postmortem-writer.md").write_text("changed\n")
    diff = run_ao("profile", "diff", "sre", cwd=repo)
    assert diff.returncode == 0 and "modified" in diff.stdout
    assert "+++ b/.claude/agents/postmortem-writer.md" in diff.stdout
    out = run_ao("profile", "uninstall", "sre", cwd=repo)
    assert out.returncode == 0 and "keep" in out.stdout
    assert run_ao("profile", "uninstall", "sre", cwd=repo).returncode == 2


@given(st.text(alphabet="ab \n#=[]", max_size=60))
def test_adding_then_removing_a_block_restores_the_text(text: str) -> None:
    added = _with_block(text, "p", "gates", "agentops.toml", "x = 1\n")
    assert "# >>> ao profile p: gates >>>" in added
    removed = _with_block(added, "p", "gates", "agentops.toml", None)
    assert removed.rstrip("\n") == text.rstrip("\n")


def test_text_installed_under_agents_dir_is_redacted(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "leaky"
    shutil.copytree(builtin_dir() / "sre", source)
    (source / "profile.toml").write_text('name = "leaky"\nversion = "1.0.0"\n')
    for path in (source / "agents").glob("*.md"):
        path.unlink()
    key = "sk-ant-api03-" + "abcdefghijklmnopqrstuvwxyz012345"
    (source / "constitution.md").write_text(f"- Use token {key} for CI.\n")
    install_profile(repo, str(source))
    text = (repo / ".agents/CONSTITUTION.md").read_text()
    assert "sk-ant-api03" not in text and "[REDACTED:anthropic-key]" in text
    assert {a.action for a in install_profile(repo, str(source)).actions} == {"same"}


def test_preset_fragments_follow_the_gates_and_guard_schemas() -> None:
    import re
    import tomllib

    for profile in ("product-dev", "devops", "sre", "data-eng"):
        gates = tomllib.loads((builtin_dir() / profile / "gates.toml").read_text())
        checks = gates["gates"]["checks"]
        assert checks and all(name.startswith(profile + "-") for name in checks)  # never collide
        assert all(isinstance(c["command"], str) and isinstance(c["files"], list) for c in checks.values())
        assert set(gates["gates"]) == {"checks"}  # [gates.sets] is the user's: defined once
        rules = tomllib.loads((builtin_dir() / profile / "guard.toml").read_text())["guard"]["rules"]
        for rule in rules:
            re.compile(rule["match"])
            assert rule["decision"] in ("deny", "ask", "allow") and rule["reason"]


def test_presets_of_several_profiles_merge_into_valid_toml(repo: Path) -> None:
    import tomllib

    for profile in ("product-dev", "devops", "sre", "data-eng"):
        install_profile(repo, profile)
    text = (repo / "agentops.toml").read_text()
    uncommented = "".join(line[2:] if line.startswith("# ") and not line.startswith("# >>>")
                          and not line.startswith("# <<<") else line
                          for line in text.splitlines(keepends=True))
    try:  # with the gates/guard schemas installed the presets are live, prose comments and all
        merged = tomllib.loads(text)
    except tomllib.TOMLDecodeError:  # written commented out: the schemas are not installed
        merged = tomllib.loads(uncommented)
    assert len(merged["guard"]["rules"]) == 7
    assert len(merged["gates"]["checks"]) == 6
