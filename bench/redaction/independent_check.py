"""Score ``redact_text`` on the independently authored case set in ``independent.py``.

Why a separate checker: the set is a held-out measurement written without looking at the redactor,
so its scoring must not borrow the project's own benchmark code either.  The goal it reports
against is >= 99 % of secrets stopped and <= 0.1 % of benign lines changed.

A secret counts as stopped when neither the secret nor any 8+ character substring of it survives in
the redacted output (checking every 8-character window is enough: any longer surviving substring
contains one).  A window that also occurs in the case text outside the secret (for example a shared
prefix that the surrounding context happens to repeat) is not held against the redactor.  A benign
line counts as changed when the output differs from the input in any way.

Run: ``/work/main/.venv/bin/python -m bench.redaction.independent_check``
"""

from __future__ import annotations

from collections import Counter

from agentops_os.store.redact import redact_text
from bench.redaction.independent import cases

WINDOW = 8
GOAL_STOPPED = 99.0
GOAL_CHANGED = 0.1


def _survives(secret: str, text: str, out: str) -> bool:
    if secret in out:
        return True
    rest = text.replace(secret, "\x00")
    for i in range(len(secret) - WINDOW + 1):
        window = secret[i:i + WINDOW]
        if window in out and window not in rest:
            return True
    return False


def _short(text: str, limit: int = 120) -> str:
    flat = text.replace("\n", "\\n")
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."


def _pct(n: int, total: int) -> float:
    return 100.0 * n / total if total else 0.0


def main() -> int:
    all_cases = cases()
    secrets = [c for c in all_cases if c["kind"] == "secret"]
    benign = [c for c in all_cases if c["kind"] == "benign"]
    per_shape: Counter[str] = Counter(c["shape"] for c in secrets)
    missed_shape: Counter[str] = Counter()
    misses: list[tuple[str, str]] = []
    for c in secrets:
        out = redact_text(c["text"])
        if _survives(c["secret"], c["text"], out):
            missed_shape[c["shape"]] += 1
            misses.append((c["shape"], out))
    changed: list[tuple[str, str, str]] = []
    for c in benign:
        out = redact_text(c["text"])
        if out != c["text"]:
            changed.append((c["shape"], c["text"], out))

    stopped = len(secrets) - len(misses)
    p_stopped = _pct(stopped, len(secrets))
    p_changed = _pct(len(changed), len(benign))
    print(f"independent redaction set: {len(secrets)} secret cases over {len(per_shape)} shapes, "
          f"{len(benign)} benign cases")
    print(f"secrets stopped: {stopped}/{len(secrets)} = {p_stopped:.2f} %  (goal >= {GOAL_STOPPED} %)")
    print(f"benign changed:  {len(changed)}/{len(benign)} = {p_changed:.2f} %  (goal <= {GOAL_CHANGED} %)")
    if missed_shape:
        print("\nmisses per shape:")
        for shape, n in sorted(missed_shape.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {shape}: {n}/{per_shape[shape]}")
        print("\nmissed secrets (redacted output):")
        for shape, out in misses:
            print(f"  [{shape}] {_short(out)}")
    if changed:
        print("\nchanged benign lines (input -> output):")
        for shape, text, out in changed:
            print(f"  [{shape}] {_short(text)}")
            print(f"      -> {_short(out)}")
    ok = p_stopped >= GOAL_STOPPED and p_changed <= GOAL_CHANGED
    print(f"\nverdict: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
