"""bench/bundles: compression ratio and essential-fact retention of `ao bundle create`.

Fixtures (committed, written by hand to look like real research notes, a plan, a
debugging journal and a deploy log) each come with the facts a reader needs
(`facts.json`). A fact is kept when it appears (case-insensitive) in the bundle.
Targets: ratio between 5:1 and 10:1, >= 90% of facts kept. Baseline in the same run:
keeping the first 1/ratio of each document (truncation).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agentops_os.context.bundles import DEFAULT_RATIO
from agentops_os.context.compress import compress
from agentops_os.context.tokens import estimate_tokens
from bench.common import write_results

HERE = Path(__file__).resolve().parent


def _kept(facts: list[str], text: str) -> list[str]:
    low = " ".join(text.lower().split())
    return [f for f in facts if " ".join(f.lower().split()) in low]


def main() -> int:
    facts: dict[str, list[str]] = json.loads((HERE / "facts.json").read_text())
    rows = []
    before_total = after_total = kept_total = facts_total = base_kept = 0
    for name, wanted in sorted(facts.items()):
        text = (HERE / "fixtures" / name).read_text()
        out = compress(text, DEFAULT_RATIO)
        before, after = estimate_tokens(text), estimate_tokens(out)
        kept = _kept(wanted, out)
        baseline = text[: int(len(text) / DEFAULT_RATIO)]
        rows.append({"doc": name, "tokens_before": before, "tokens_after": after,
                     "ratio": round(before / after, 2), "facts": len(wanted), "kept": len(kept),
                     "missing": [f for f in wanted if f not in kept],
                     "baseline_kept": len(_kept(wanted, baseline))})
        before_total += before
        after_total += after
        kept_total += len(kept)
        facts_total += len(wanted)
        base_kept += len(_kept(wanted, baseline))
    ratio = before_total / after_total
    retention = kept_total / facts_total
    print(f"{'document':34} {'before':>7} {'after':>6} {'ratio':>6} {'facts':>9} {'truncation':>10}")
    for r in rows:
        print(f"{r['doc']:34} {r['tokens_before']:7} {r['tokens_after']:6} {r['ratio']:5.1f}x "
              f"{r['kept']:3}/{r['facts']:<3}    {r['baseline_kept']:3}/{r['facts']:<3}")
        if r["missing"]:
            print(f"    missing: {', '.join(r['missing'])}")
    ratio_ok = 5.0 <= ratio <= 10.0
    retention_ok = retention >= 0.90
    print(f"overall ratio {ratio:.1f}:1 (target 5-10): {'met' if ratio_ok else 'MISSED'}")
    print(f"fact retention {retention:.0%} (target >= 90%): {'met' if retention_ok else 'MISSED'}; "
          f"truncation baseline at the same ratio keeps {base_kept / facts_total:.0%}")
    write_results("bundles", {"ratio": round(ratio, 2), "retention": round(retention, 4),
                              "baseline_retention": round(base_kept / facts_total, 4),
                              "target_ratio": [5, 10], "target_retention": 0.9,
                              "met": ratio_ok and retention_ok, "documents": rows})
    return 0 if ratio_ok and retention_ok else 1


if __name__ == "__main__":
    sys.exit(main())
