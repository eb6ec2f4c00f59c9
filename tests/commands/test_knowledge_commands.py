"""`ao learn`, `ao forge`, `ao search`, `ao feedback` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git, run_ao


def test_learn_add_list_show_and_duplicate(repo: Path) -> None:
    added = run_ao("learn", "add", "Always set a timeout on HTTP calls", "--tag", "http", "--json")
    assert added.returncode == 0, added.stderr
    lid = json.loads(added.stdout)["id"]
    dup = run_ao("learn", "add", "Set a timeout on all HTTP calls")
    assert dup.returncode == 1 and f"--merge {lid}" in dup.stderr
    merged = run_ao("learn", "add", "Set a timeout on all HTTP calls", "--merge", lid)
    assert merged.returncode == 0 and f"merged into {lid}" in merged.stdout
    assert run_ao("learn", "add", "Set a timeout on all HTTP calls", "--force").returncode == 0
    listed = json.loads(run_ao("learn", "list", "--json").stdout)
    assert len(listed) == 2 and all(i["status"] == "active" for i in listed)
    shown = run_ao("learn", "show", lid)
    assert "source: manual" in shown.stdout and "Set a timeout on all HTTP calls" in shown.stdout
    assert run_ao("learn", "show", "l-nope").returncode == 2


def test_forge_review_search_feedback(repo: Path) -> None:
    (repo / "a.py").write_text("x = 1\n")
    git(repo, "add", "a.py")
    git(repo, "commit", "-q", "-m",
        "fix(queue): jitter\n\nContext: outage.\nLearning: retries without jitter amplify outages\n")
    forged = run_ao("forge", "--json")
    assert forged.returncode == 0, forged.stderr
    (cand,) = json.loads(forged.stdout)["candidates"]
    assert cand["source"]["type"] == "commit" and cand["status"] == "candidate" and cand["score"] >= 0.5
    pending = run_ao("learn", "review")  # not a TTY: lists and says how to decide
    assert cand["id"] in pending.stdout and "--accept" in pending.stderr
    accepted = json.loads(run_ao("learn", "review", "--accept", cand["id"], "--json").stdout)
    lid = accepted[0]["learning"]
    hits = json.loads(run_ao("search", "jitter outages", "--json").stdout)["hits"]
    assert hits[0]["id"] == lid and hits[0]["path"] == f".agents/learnings/{lid}.md"
    assert any(h["type"] == "commit" and len(h["sha"]) == 40 for h in hits)
    text = run_ao("search", "jitter", "--type", "commit")
    assert "fix(queue): jitter" in text.stdout and "learning" not in text.stdout
    fb = run_ao("feedback", lid, "harmful")
    assert fb.returncode == 0 and "0.50 -> 0.40" in fb.stdout
    assert run_ao("feedback", lid, "meh").returncode == 2
    retired = run_ao("learn", "retire", lid)
    assert retired.returncode == 0
    assert lid not in run_ao("search", "jitter", "--json").stdout


def test_search_bad_input_never_crashes(repo: Path) -> None:
    for query in ['"unbalanced', "AND OR NOT", "a* -b c:d (e", "NEAR(x y)", "日本語 ü ✓", "--"]:
        proc = run_ao("search", "--", query)
        assert proc.returncode == 0, (query, proc.stderr)
    assert run_ao("search", "x", "--since", "yesterday-ish").returncode == 2
    assert run_ao("search", "x", "--type", "nope").returncode == 2


def test_learn_edit_and_supersede(repo: Path) -> None:
    old = json.loads(run_ao("learn", "add", "Use a 60 s gateway timeout", "--json").stdout)["id"]
    new = json.loads(run_ao("learn", "add", "Gateway answers in 10 s now", "--json").stdout)["id"]
    edited = run_ao("learn", "edit", new, "--title", "Use a 10 s gateway timeout", "--supersedes", old)
    assert edited.returncode == 0, edited.stderr
    shown = json.loads(run_ao("learn", "show", new, "--json").stdout)
    assert shown["title"] == "Use a 10 s gateway timeout" and shown["supersedes"] == [old]
    assert json.loads(run_ao("learn", "show", old, "--json").stdout)["status"] == "retired"
    assert run_ao("learn", "edit", new).returncode == 2  # nothing to change, no terminal


def test_review_is_interactive_on_a_terminal(repo: Path) -> None:
    import os
    import pty
    import subprocess
    import sys

    for n, lesson in enumerate(["pin base images by digest, tags move", "quote YAML country codes like NO"]):
        (repo / f"f{n}").write_text("x")
        git(repo, "add", f"f{n}")
        git(repo, "commit", "-q", "-m", f"fix: thing {n}\n\nLearning: {lesson}\n")
    assert run_ao("forge").returncode == 0
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "agentops_os", "learn", "review"], cwd=repo,
                            stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    os.write(master, b"a\nr\n")
    output = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        output += data
    assert proc.wait(timeout=60) == 0
    text = output.decode()
    assert "[a]ccept, [r]eject" in text and "accepted c-" in text and "rejected c-" in text
    assert len(json.loads(run_ao("learn", "list", "--json").stdout)) == 1
