"""The Stop hook adds an item after a session with many tool errors; `ao prime` mentions
the open items relevant to its task; the line reader behind that agrees with YAML."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.improve import mention
from agentops_os.improve.model import cause_id
from agentops_os.store import documents
from conftest import run_ao


def _transcript(path: Path, errors: int, ok: int = 3, append: bool = False) -> None:
    lines = []
    for n in range(errors + ok):
        block = {"type": "tool_result", "tool_use_id": f"t{n}", "content": "exit 1" if n < errors else "ok"}
        if n < errors:
            block["is_error"] = True
        lines.append(json.dumps({"type": "user", "message": {"role": "user", "content": [block]}},
                                separators=(",", ":")))
    with path.open("a" if append else "w") as handle:  # transcripts only ever grow
        handle.write("\n".join(lines) + "\n")


def _stop(repo: Path, transcript: Path, session: str = "sess-1") -> subprocess.CompletedProcess[str]:
    payload = {"session_id": session, "transcript_path": str(transcript), "cwd": str(repo),
               "hook_event_name": "Stop", "stop_hook_active": False}
    proc = run_ao("hook", "stop", cwd=repo, input=json.dumps(payload))
    assert proc.returncode == 0, proc.stderr
    return proc


def test_stop_hook_adds_the_tool_error_item_once_per_session(repo: Path, tmp_path: Path) -> None:
    (repo / ".agents").mkdir()
    transcript = tmp_path / "t.jsonl"
    item = repo / ".agents" / "improve" / f"{cause_id('tools:errors')}.md"
    _transcript(transcript, errors=4)
    _stop(repo, transcript)
    assert not item.exists()  # below improve.stop_hook_tool_errors (10)
    _transcript(transcript, errors=8, append=True)  # the session went on and failed more
    _stop(repo, transcript)
    doc = documents.read(item)
    assert doc.meta["cause"] == "tools:errors" and doc.meta["occurrences"] == 1
    assert doc.meta["evidence"][0]["via"] == "stop-hook"
    assert doc.meta["evidence"][0]["detail"].startswith("12 tool errors")
    before = item.read_bytes()
    _stop(repo, transcript)  # reported already for this session: nothing changes
    assert item.read_bytes() == before
    other = tmp_path / "u.jsonl"
    _transcript(other, errors=10)
    _stop(repo, other, session="sess-2")
    assert documents.read(item).meta["occurrences"] == 2  # same cause, one more session
    # A scan without session summaries keeps the hook's evidence.
    assert run_ao("improve", "scan", cwd=repo).returncode == 0
    assert documents.read(item).meta["occurrences"] == 2


def test_stop_hook_counts_appended_lines_across_calls(repo: Path, tmp_path: Path) -> None:
    (repo / ".agents").mkdir()
    (repo / "agentops.toml").write_text("[improve]\nstop_hook_tool_errors = 3\n")
    transcript = tmp_path / "t.jsonl"
    _transcript(transcript, errors=2)
    _stop(repo, transcript)
    with transcript.open("a") as handle:  # one more failing result appended
        handle.write(json.dumps({"type": "user", "message": {"content": [
            {"type": "tool_result", "is_error": True}]}}, separators=(",", ":")) + "\n")
    _stop(repo, transcript)
    assert (repo / ".agents" / "improve" / f"{cause_id('tools:errors')}.md").exists()


def test_stop_hook_imports_nothing_heavy_below_the_threshold(repo: Path, tmp_path: Path) -> None:
    (repo / ".agents").mkdir()
    transcript = tmp_path / "t.jsonl"
    _transcript(transcript, errors=2)
    probe = (
        "import io, json, sys\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))\n"
        "from agentops_os.hooks.entry import run_hook\n"
        "run_hook(['stop'])\n"
        "print(json.dumps(sorted(m for m in ('click', 'yaml', 'rich', 'tomllib', 'pydantic', 'orjson')"
        " if m in sys.modules)))\n")
    payload = json.dumps({"session_id": "s", "transcript_path": str(transcript), "cwd": str(repo),
                          "hook_event_name": "Stop"})
    proc = subprocess.run([sys.executable, "-c", probe, payload], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == []


def test_prime_mentions_relevant_open_items_only(repo: Path) -> None:
    (repo / ".agents").mkdir()
    for title in ("Cache the npm install in CI", "Split the payments webhook handler"):
        assert run_ao("improve", "add", title, cwd=repo).returncode == 0
    proc = run_ao("prime", "speed up the npm install step in CI", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "## Open improvements (ao improve)" in proc.stdout
    assert "Cache the npm install in CI" in proc.stdout and "payments" not in proc.stdout
    listed = json.loads(run_ao("improve", "list", "--json", cwd=repo).stdout)
    npm = next(i["id"] for i in listed if "npm" in i["title"])
    assert run_ao("improve", "dismiss", npm, cwd=repo).returncode == 0
    assert "Open improvements" not in run_ao("prime", "speed up the npm install step in CI", cwd=repo).stdout
    packet = json.loads(run_ao("prime", "refactor the payments webhook", "--json", cwd=repo).stdout)
    assert [i["source"] for i in packet["items"] if i["section"] == "improve"] == [
        f".agents/improve/{next(i['id'] for i in listed if 'payments' in i['title'])}.md"]


def test_prime_without_a_backlog_has_no_improvement_section(repo: Path) -> None:
    (repo / ".agents").mkdir()
    proc = run_ao("prime", "anything at all", cwd=repo)
    assert proc.returncode == 0 and "Open improvements" not in proc.stdout


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=120)


@settings(max_examples=200, deadline=None)
@given(title=_TEXT.filter(lambda t: t.strip() == t and t), score=st.floats(0, 1e6, allow_nan=False))
def test_line_reader_reads_what_the_item_writer_writes(tmp_path_factory, title: str, score: float) -> None:  # type: ignore[no-untyped-def]
    meta = {"schema_version": 1, "id": "imp-0123456789", "cause": "manual:x", "title": title,
            "status": "open", "score": round(score, 3), "goal": title}
    path = tmp_path_factory.mktemp("m") / "imp-0123456789.md"
    path.write_text(documents.dumps(meta, "body\n"), encoding="utf-8")
    head = mention.read_head(str(path))
    assert head["id"] == "imp-0123456789" and head["status"] == "open"
    assert float(head["score"]) == round(score, 3)
    assert head["title"] == title == documents.read(path).meta["title"]


def test_stop_hook_counts_needles_cut_by_read_boundaries(repo: Path, tmp_path: Path) -> None:
    """Errors straddling the 1 MB read chunks and the end of the previous call count once."""
    (repo / ".agents").mkdir()
    (repo / "agentops.toml").write_text("[improve]\nstop_hook_tool_errors = 4\n")
    needle = '{"type":"tool_result","is_error":true}\n'
    cut = needle.index('"is_error"') + 5  # inside the needle
    transcript = tmp_path / "t.jsonl"
    transcript.write_text("x" * ((1 << 20) - cut) + needle + needle)  # the first straddles 1 MB
    _stop(repo, transcript)
    item = repo / ".agents" / "improve" / f"{cause_id('tools:errors')}.md"
    with transcript.open("a") as handle:
        handle.write(needle[:cut])  # the end of this call cuts the third one
    _stop(repo, transcript)
    assert not item.exists()  # 2 so far
    with transcript.open("a") as handle:
        handle.write(needle[cut:] + needle)
    _stop(repo, transcript)
    assert documents.read(item).meta["evidence"][0]["detail"].startswith("4 tool errors")


def test_parallel_stop_hooks_lose_no_session(repo: Path, tmp_path: Path) -> None:
    """Four sessions crossing the threshold at once all land in the one item (the backlog
    lock serialises the read-modify-write of the item file)."""
    (repo / ".agents").mkdir()
    procs = []
    for n in range(4):
        transcript = tmp_path / f"t{n}.jsonl"
        _transcript(transcript, errors=10)
        payload = {"session_id": f"par-{n}", "transcript_path": str(transcript), "cwd": str(repo),
                   "hook_event_name": "Stop"}
        procs.append(subprocess.Popen([sys.executable, "-m", "agentops_os", "hook", "stop"], cwd=repo,
                                      stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE))
        procs[-1].stdin.write(json.dumps(payload).encode())  # type: ignore[union-attr]
        procs[-1].stdin.close()  # type: ignore[union-attr]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    meta = documents.read(repo / ".agents" / "improve" / f"{cause_id('tools:errors')}.md").meta
    assert meta["occurrences"] == 4
    assert sorted(e["ref"] for e in meta["evidence"]) == [f"session:par-{n}" for n in range(4)]
