"""Score `redact_text` on the second independently authored set (`independent_b.py`), by split.

The set was written without seeing the redactor. Its "tune" half may be looked at and its
misses fixed (as classes); the "heldout" half is only counted, never shown, so that it keeps
measuring what the rules do on shapes nobody tuned for. Scoring is the first set's
(`independent_check._survives`): a secret is stopped when no 8+ character run of it survives.

Run: ``python -m bench.redaction.independent_b_check``
"""

from __future__ import annotations

from collections import Counter

from agentops_os.store.redact import redact_text
from bench.redaction.independent_b import cases
from bench.redaction.independent_check import GOAL_CHANGED, GOAL_STOPPED, _short, _survives


def main() -> int:
    return score(cases())


def score(every: list[dict[str, str]]) -> int:
    """Print stopped/changed figures per split; held-out misses only by shape."""
    for split in ("tune", "heldout"):
        secrets = [c for c in every if c["kind"] == "secret" and c["split"] == split]
        benign = [c for c in every if c["kind"] == "benign" and c["split"] == split]
        missed = [(c, out) for c in secrets
                  if _survives(c["secret"], c["text"], out := redact_text(c["text"]))]
        changed = [(c, out) for c in benign if (out := redact_text(c["text"])) != c["text"]]
        stopped = 100.0 * (len(secrets) - len(missed)) / max(1, len(secrets))
        altered = 100.0 * len(changed) / max(1, len(benign))
        print(f"[{split}] secrets stopped: {len(secrets) - len(missed)}/{len(secrets)} = {stopped:.2f} % "
              f"(goal >= {GOAL_STOPPED} %); benign changed: {len(changed)}/{len(benign)} = {altered:.2f} % "
              f"(goal <= {GOAL_CHANGED} %)")
        if split == "heldout":
            by_shape = Counter(c["shape"] for c, _ in missed)
            print(f"  held-out misses by shape (cases not shown): {dict(sorted(by_shape.items()))}")
            continue
        for c, out in missed:
            print(f"  missed [{c['shape']}] {_short(out, 160)}")
        for c, out in changed:
            print(f"  changed [{c['shape']}] {_short(c['text'], 80)} -> {_short(out, 80)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
