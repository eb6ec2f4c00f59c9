"""Score `redact_text` on the fourth independently authored set (`independent_d.py`), by split,
the same way as the second and third sets (`independent_b_check.score`): the "tune" half may be
looked at and its misses fixed as classes; the "heldout" half is only counted, by shape.

Run: ``python -m bench.redaction.independent_d_check``
"""

from __future__ import annotations

from bench.redaction.independent_b_check import score
from bench.redaction.independent_d import cases


def main() -> int:
    return score(cases())


if __name__ == "__main__":
    raise SystemExit(main())
