from __future__ import annotations

import json
from pathlib import Path

from agentops_os.context import sample
from agentops_os.context.compress import compress
from agentops_os.context.prime import build
from agentops_os.context.tokens import estimate_tokens
from conftest import git, run_ao


def _store(repo: Path) -> None:
    agents = repo / ".agents"
    (agents / "learnings").mkdir(parents=True)
    (agents / "CONSTITUTION.md").write_text(
        "# Constitution\n\n## The 40% rule\n\n- Never load more than 40% of the window.\n"
        "## Laws\n\n1. Extract learnings.\n2. Improve the system.\n")
    (agents / "learnings" / "redis-cache.md").write_text(
        "---\ntitle: Stale redis cache breaks coupon tests\n---\nFlush coupon: keys before each test.\n")
    (agents / "learnings" / "deploy.md").write_text(
        "---\ntitle: Deploys need a memory bump\n---\nRaise billing-api memory to 768Mi.\n")
    agents_dir = repo / ".claude" / "agents"
    agents_dir.mkdir(parents=True)
    (agents_dir / "test-fixer.md").write_text(
        "---\nname: test-fixer\ndescription: Fixes flaky and failing tests\n---\nYou fix tests.\n")
    (agents_dir / "docs-writer.md").write_text(
        "---\nname: docs-writer\ndescription: Writes documentation\n---\nYou write docs.\n")


def test_prime_packet_sources_budget_and_determinism(repo: Path) -> None:
    _store(repo)
    task = "fix the flaky coupon test with the stale redis cache"
    proc = run_ao("prime", task, "--json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    sources = [i["source"] for i in data["items"]]
    assert sources[0] == ".agents/CONSTITUTION.md"
    assert ".claude/agents/test-fixer.md" in sources
    assert sources.index(".agents/learnings/redis-cache.md") < len(sources) - 1
    assert all(i["source"] for i in data["items"])
    workflows = data["items"][-1]
    assert workflows["section"] == "workflows" and 5 <= len(workflows["text"].splitlines()) <= 6
    assert data["tokens"] <= data["budget"] == 10_000
    again = json.loads(run_ao("prime", task, "--json", cwd=repo).stdout)
    assert again["text"] == data["text"]


def test_prime_never_exceeds_budget(repo: Path) -> None:
    _store(repo)
    for i in range(30):
        (repo / ".agents" / "learnings" / f"x{i}.md").write_text(
            f"---\ntitle: coupon lesson {i}\n---\n" + "coupon redis detail line\n" * 40)
    for budget in (40, 120, 300, 800):
        packet = build(repo, "coupon redis", budget)
        assert estimate_tokens(packet.text) <= budget
    tiny = run_ao("prime", "coupon", "--budget", "0", cwd=repo)
    assert tiny.returncode == 2


def test_prime_index_follows_file_changes(repo: Path) -> None:
    _store(repo)
    first = build(repo, "coupon redis", 2000)
    assert any("redis-cache" in i.source for i in first.items)
    (repo / ".agents" / "learnings" / "redis-cache.md").unlink()
    (repo / ".agents" / "learnings" / "coupons2.md").write_text("---\ntitle: Coupon redis v2\n---\nNew.\n")
    second = build(repo, "coupon redis", 2000)
    sources = [i.source for i in second.items]
    assert ".agents/learnings/coupons2.md" in sources
    assert not any("redis-cache" in s for s in sources)


def test_handoff_save_resume_roundtrip(repo: Path, hermetic_env: Path) -> None:
    sample.write(sample.claude_path(hermetic_env, repo), str(repo.resolve()))
    saved = run_ao("handoff", "save", "--json", cwd=repo)
    assert saved.returncode == 0, saved.stderr
    data = json.loads(saved.stdout)
    body = data["body"]
    assert data["branch"] == "main" and data["tokens_used"] == 90_000
    assert "Fix the order total rounding bug" in body
    assert "Add a regression test for discounts" in body.split("## Next steps")[1].split("##")[0]
    assert "Reproduce the failing total test" in body.split("## Done")[1].split("##")[0]
    assert "`pytest -q tests/test_orders.py` -> FAILED" in body
    assert "`shop/orders.py`" in body
    assert "integer cents" in body.split("## Decisions")[1]
    assert "Should discounts round per line or per order?" in body
    (repo / "new.py").write_text("x = 1\n")
    git(repo, "add", "new.py")
    git(repo, "commit", "-q", "-m", "Add new module")
    resumed = run_ao("resume", "--json", cwd=repo)
    assert resumed.returncode == 0, resumed.stderr
    info = json.loads(resumed.stdout)
    assert info["path"] == data["path"]
    assert any("Add new module" in c for c in info["commits_since"])
    assert any(f.endswith("new.py") for f in info["files_changed_since"])
    text = run_ao("resume", cwd=repo).stdout
    assert "## Since this handoff" in text and "Add new module" in text
    listed = json.loads(run_ao("handoff", "list", "--json", cwd=repo).stdout)
    assert len(listed["handoffs"]) == 1


def test_handoff_bad_session_and_empty_resume(repo: Path) -> None:
    bad = run_ao("handoff", "save", "--session", "nope", cwd=repo)
    assert bad.returncode == 2 and "no Claude Code transcript found for session nope" in bad.stderr
    none = run_ao("resume", cwd=repo)
    assert none.returncode == 1 and "no handoff on branch 'main'" in none.stderr


def test_compress_keeps_facts_and_drops_repetition() -> None:
    log = "".join(f"2026-11-03T12:00:{i % 60:02d}Z INFO healthcheck GET /healthz 200 in {i % 9} ms\n"
                  for i in range(200))
    log += "2026-11-03T12:05:00Z ERROR pod api-07 crashed: OOMKilled (memory limit 512Mi)\n"
    out = compress(log, 5)
    assert "OOMKilled" in out and "(x200)" in out
    assert estimate_tokens(out) * 5 <= estimate_tokens(log) + 5


def test_bundle_create_list_show_load(repo: Path) -> None:
    notes = repo / "notes.md"
    notes.write_text("# Notes\n\n" + "Basically we looked around for a while. " * 200
                     + "\n\nWe decided to use `billing/rate_limit.py` with 600 requests per minute.\n")
    made = run_ao("bundle", "create", "rl", "notes.md", "--json", cwd=repo)
    assert made.returncode == 0, made.stderr
    meta = json.loads(made.stdout)
    assert meta["ratio"] >= 5 and meta["sources"][0]["path"] == "notes.md"
    assert len(meta["sources"][0]["sha256"]) == 64
    assert run_ao("bundle", "create", "rl", "notes.md", cwd=repo).returncode == 2  # no clobber
    assert "rl" in run_ao("bundle", "list", cwd=repo).stdout
    assert "sha256:" in run_ao("bundle", "show", "rl", cwd=repo).stdout
    loaded = run_ao("bundle", "load", "rl", cwd=repo)
    assert loaded.returncode == 0 and "600 requests per minute" in loaded.stdout
    assert "changed" not in loaded.stderr
    notes.write_text(notes.read_text() + "more\n")
    changed = run_ao("bundle", "load", "rl", cwd=repo)
    assert "notes.md changed since bundle 'rl'" in changed.stderr
    assert run_ao("bundle", "load", "rl", "--budget", "5", cwd=repo).returncode == 1
    assert run_ao("bundle", "create", "x", "notes.md", "--ratio", "0.5", cwd=repo).returncode == 2
    llm = run_ao("bundle", "create", "y", "notes.md", "--llm", cwd=repo)
    assert llm.returncode == 2 and "no LLM runtime configured" in llm.stderr
    assert run_ao("bundle", "show", "nope", cwd=repo).returncode == 2


def test_prime_includes_bd_ready_when_installed(repo: Path, tmp_path: Path) -> None:
    import os

    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    bd = bin_dir / "bd"
    bd.write_text("#!/bin/sh\n[ \"$1 $2\" = 'ready --json' ] || exit 3\n"
                  "echo '[{\"id\": \"shop-12\", \"title\": \"Round discounts per line\", "
                  "\"priority\": 1}]'\n")
    bd.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    data = json.loads(run_ao("prime", "discounts", "--json", cwd=repo, env=env).stdout)
    ready = [i for i in data["items"] if i["section"] == "ready"]
    assert ready and ready[0]["source"] == "bd ready --json"
    assert "shop-12: Round discounts per line" in ready[0]["text"]
    without = json.loads(run_ao("prime", "discounts", "--json", cwd=repo).stdout)
    assert not [i for i in without["items"] if i["section"] == "ready"]


def test_code_sources_become_an_outline(repo: Path) -> None:
    lines = ["import os", "", "LIMIT = 600", ""]
    for i in range(30):
        lines += [f"def handler_{i}(request, limit=LIMIT):", f'    """Handle case {i}."""',
                  f"    value = request.get('v{i}', {i})", "    total = value * 2 + limit",
                  "    return total", ""]
    (repo / "app.py").write_text("\n".join(lines))
    made = json.loads(run_ao("bundle", "create", "app", "app.py", "--json", cwd=repo).stdout)
    body = (repo / ".agents" / "bundles" / "app.md").read_text()
    assert made["ratio"] >= 4
    assert "def handler_0(request, limit=LIMIT):" in body and "LIMIT = 600" in body
    assert "return total" not in body
