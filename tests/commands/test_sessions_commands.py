"""`ao sessions`, `ao usage`, `ao metrics` through the real entry point."""

from __future__ import annotations

import json
import os
from pathlib import Path

from agentops_os.sessions.sample import write_sample_corpus
from conftest import run_ao


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "HOME": str(home), "TZ": "UTC"}


def test_ingest_list_show_mark_usage_metrics(repo: Path, hermetic_env: Path) -> None:
    home = hermetic_env
    write_sample_corpus(home, repo)
    env = _env(home)
    first = run_ao("sessions", "ingest", "--json", cwd=repo, env=env)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["files_read"] == 5 and report["summaries_written"] == 4 and report["malformed"] == 0
    again = json.loads(run_ao("sessions", "ingest", "--json", cwd=repo, env=env).stdout)
    assert again["files_unchanged"] == 5 and again["bytes_read"] == 0
    listed = json.loads(run_ao("sessions", "list", "--json", cwd=repo, env=env).stdout)["sessions"]
    assert [s["agent"] for s in listed] == ["claude-code"] * 3 + ["codex"]
    compacted = next(s for s in listed if s["compactions"])
    short = compacted["session_id"][:8]
    marked = run_ao("sessions", "mark", short, "success", "--note", "fixed it", cwd=repo, env=env)
    assert marked.returncode == 0, marked.stderr
    assert (repo / ".agents/sessions/marks" / f"{compacted['key']}.json").exists()
    shown = json.loads(run_ao("sessions", "show", short, "--json", cwd=repo, env=env).stdout)
    assert shown["mark"] == "success" and shown["key"] == compacted["key"]
    daily = json.loads(run_ao("usage", "daily", "--json", cwd=repo, env=env).stdout)
    assert [d["date"] for d in daily["daily"]] == ["2026-11-02"]
    assert daily["totals"]["total_tokens"] == sum(s["tokens"]["total"] for s in listed)
    sessions = json.loads(run_ao("usage", "session", "--json", "--agent", "codex", cwd=repo, env=env).stdout)
    assert [s["agent"] for s in sessions["session"]] == ["codex"]
    metrics = json.loads(run_ao("metrics", "--json", cwd=repo, env=env).stdout)
    assert metrics["overall"]["sessions"] == 4 and metrics["overall"]["successes"] == 1  # the mark
    assert set(metrics["by"]["agent"]) == {"claude-code", "codex"}
    table = run_ao("metrics", "--by", "model", cwd=repo, env=env)
    assert table.returncode == 0 and "claude-sonnet-4-5-20250929" in table.stdout
    # the summaries carry no conversation content
    text = "".join(p.read_text() for p in (repo / ".agents/sessions").glob("*.json"))
    assert "KeyError" not in text and "def total" not in text


def test_bad_input_is_counted_and_named_with_verbose(repo: Path, hermetic_env: Path) -> None:
    paths = write_sample_corpus(hermetic_env, repo, sessions=1, codex=False)
    with paths[0].open("ab") as handle:
        handle.write(b"{not json\n\xff\xfe garbage\n")
    env = _env(hermetic_env)
    quiet = run_ao("sessions", "ingest", cwd=repo, env=env)
    assert quiet.returncode == 0
    assert "skipped 2 malformed transcript line(s) (--verbose names them)" in quiet.stderr
    paths[0].write_bytes(paths[0].read_bytes() + b"oops\n")
    loud = run_ao("sessions", "ingest", "--verbose", cwd=repo, env=env)
    lines = paths[0].read_bytes().count(b"\n")
    assert f"{paths[0]}:{lines}: not a JSON object" in loud.stderr


def test_usage_errors_exit_2_with_one_line(repo: Path, hermetic_env: Path) -> None:
    env = _env(hermetic_env)
    bad = run_ao("usage", "daily", "--since", "last week", cwd=repo, env=env)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "--since" in bad.stderr
    missing = run_ao("sessions", "ingest", "--path", "nope.jsonl", cwd=repo, env=env)
    assert missing.returncode == 2 and "nope.jsonl: no such file or directory" in missing.stderr
    unknown = run_ao("sessions", "show", "zzz", cwd=repo, env=env)
    assert unknown.returncode == 2 and "no session matches" in unknown.stderr
    empty = run_ao("usage", "monthly", cwd=repo, env=env)
    assert empty.returncode == 0 and "no usage in range" in empty.stderr


def test_reindex_refills_the_ledger(repo: Path, hermetic_env: Path) -> None:
    write_sample_corpus(hermetic_env, repo, sessions=2, codex=False)
    env = _env(hermetic_env)
    run_ao("sessions", "ingest", cwd=repo, env=env)
    assert run_ao("reindex", cwd=repo, env=env).returncode == 0
    listed = json.loads(run_ao("sessions", "list", "--json", "--no-ingest", cwd=repo, env=env).stdout)
    assert len(listed["sessions"]) == 2
