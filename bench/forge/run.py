"""bench/forge: precision and recall of `ao forge`'s extractors on a labelled set.

The snippets (bench/forge/labelled.jsonl, >= 200) are realistic transcript turns, commit
messages and handoffs, true lessons and near-misses ("until", "still", "re-plan",
"selected"...). Transcript snippets are written as real Claude Code JSONL lines and read
back with the shared transcript reader, so the whole extraction path is measured.
A snippet counts as predicted when any candidate scores at or above `forge.min_score`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from agentops_os.config import load_config
from agentops_os.knowledge import extract
from agentops_os.knowledge.samples import claude_lines
from agentops_os.transcripts.read import read_events
from bench.common import write_results

HERE = Path(__file__).resolve().parent
TARGET_PRECISION = 0.85


def candidates(item: dict, workdir: Path) -> list[extract.Candidate]:
    if item["source"] == "commit":
        return list(extract.from_commit("0" * 40, item["message"]))
    if item["source"] == "handoff":
        return list(extract.from_handoff(f".agents/handoffs/{item['id']}.md", item["body"]))
    path = workdir / f"{item['id']}.jsonl"
    lines = claude_lines(f"{item['id']}-0000-4000-8000-000000000000", "/w/shop",
                         [tuple(t) for t in item["turns"]])
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return list(extract.from_events(read_events(path)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench forge")
    parser.add_argument("--verbose", action="store_true", help="List false positives and negatives.")
    # `python -m bench NAME` passes no options; `python -m bench.NAME.run --opt` does.
    args, _ = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    threshold = float(load_config(None).get("forge.min_score"))
    items = [json.loads(line) for line in (HERE / "labelled.jsonl").read_text().splitlines() if line]
    tp = fp = fn = tn = 0
    mistakes = []
    with tempfile.TemporaryDirectory() as tmp:
        for item in items:
            found = candidates(item, Path(tmp))
            best = max((c.score for c in found), default=0.0)
            predicted = best >= threshold
            if predicted and item["lesson"]:
                tp += 1
            elif predicted:
                fp += 1
                mistakes.append(("FP", item["id"], best, found[0].title if found else ""))
            elif item["lesson"]:
                fn += 1
                mistakes.append(("FN", item["id"], best, json.dumps(item)[:120]))
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    print(f"snippets: {len(items)} ({tp + fn} lessons, {fp + tn} non-lessons); threshold {threshold}")
    print(f"precision: {precision:.3f} (target >= {TARGET_PRECISION}: "
          f"{'met' if precision >= TARGET_PRECISION else 'MISSED'})")
    print(f"recall:    {recall:.3f}")
    print(f"tp={tp} fp={fp} fn={fn} tn={tn}")
    if args.verbose:
        for kind, ident, score, what in mistakes:
            print(f"  {kind} {ident} {score:.2f} {what}")
    write_results("forge", {"snippets": len(items), "threshold": threshold, "precision": precision,
                            "recall": recall, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
                            "target_precision": TARGET_PRECISION,
                            "met": precision >= TARGET_PRECISION})
    return 0 if precision >= TARGET_PRECISION else 1


if __name__ == "__main__":
    raise SystemExit(main())
