"""bench/retrieval: P@3 and MRR of `ao search` on labelled queries over a fixture corpus.

A real temp git repo is built: commits (with dates and changed paths), learnings and
handoffs written through the Store. Every query runs through the same `search()` that
`ao search` and `ao prime` use.

P@3 = |relevant in top 3| / min(3, |relevant|), averaged (a query with one relevant
answer scores 1 when it is in the top 3). MRR = mean of 1 / rank of the first relevant hit
(among the top 10).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from agentops_os.knowledge.search import search
from agentops_os.store import Store
from bench.common import write_results
from bench.retrieval.corpus import COMMITS, HANDOFFS, LEARNINGS, QUERIES, RETIRED

TARGETS = {"p_at_3": 0.8, "mrr": 0.85}


def _iso(days: int) -> str:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build(root: Path) -> dict[str, str]:
    """Create the corpus; returns commit SHA -> key."""
    env = dict(os.environ, GIT_AUTHOR_NAME="Dev", GIT_AUTHOR_EMAIL="dev@example.com",
               GIT_COMMITTER_NAME="Dev", GIT_COMMITTER_EMAIL="dev@example.com")

    def git(*args: str, extra: dict[str, str] | None = None) -> str:
        return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True,
                              env={**env, **(extra or {})}).stdout

    git("init", "-q", "-b", "main")
    shas: dict[str, str] = {}
    for key, (subject, body, paths, age) in sorted(COMMITS.items(), key=lambda kv: -kv[1][3]):
        for rel in paths:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"{key}\n")
        git("add", "-A")
        date = _iso(age)
        git("commit", "-q", "-m", f"{subject}\n\n{body}".strip() + "\n",
            extra={"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
        shas[git("rev-parse", "HEAD").strip()] = key
    store = Store(root)
    for lid, (title, body, tags, age) in LEARNINGS.items():
        store.write_document("learnings", lid, {
            "id": lid, "title": title, "tags": tags, "created": _iso(age),
            "source": {"type": "manual", "ref": None}, "confidence": 0.8, "utility": 0.5,
            "status": "retired" if lid in RETIRED else "active", "supersedes": []}, body + "\n")
    for stem, (title, body, age) in HANDOFFS.items():
        store.write_document("handoffs", stem, {"title": title, "created": _iso(age)}, body)
    return shas


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench retrieval")
    parser.add_argument("--verbose", action="store_true")
    # `python -m bench NAME` passes no options; `python -m bench.NAME.run --opt` does.
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        shas = build(root)
        p3_total = rr_total = 0.0
        misses = []
        for text, relevant in QUERIES:
            hits = search(root, text, limit=10)
            keys = []
            for hit in hits:
                if hit.type == "commit":
                    keys.append(shas.get(hit.id, hit.id))
                elif hit.type == "handoff":
                    keys.append(Path(hit.path or hit.id).stem)
                else:
                    keys.append(hit.id)
            wanted = set(relevant)
            p3 = len(wanted & set(keys[:3])) / min(3, len(wanted))
            rank = next((i + 1 for i, k in enumerate(keys) if k in wanted), None)
            p3_total += p3
            rr_total += 1.0 / rank if rank else 0.0
            if p3 < 1 or rank != 1:
                misses.append((text, p3, rank, keys[:3]))
    n = len(QUERIES)
    p_at_3, mrr = p3_total / n, rr_total / n
    print(f"queries: {n}; corpus: {len(LEARNINGS)} learnings, {len(HANDOFFS)} handoffs, "
          f"{len(COMMITS)} commits")
    for name, value in (("P@3", p_at_3), ("MRR", mrr)):
        target = TARGETS["p_at_3" if name == "P@3" else "mrr"]
        print(f"{name}: {value:.3f} (target >= {target}: {'met' if value >= target else 'MISSED'})")
    if args.verbose:
        for text, p3, rank, top in misses:
            print(f"  {text!r}: P@3={p3:.2f} first relevant at {rank}; top3={top}")
    met = p_at_3 >= TARGETS["p_at_3"] and mrr >= TARGETS["mrr"]
    write_results("retrieval", {"queries": n, "p_at_3": p_at_3, "mrr": mrr, "targets": TARGETS, "met": met})
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
