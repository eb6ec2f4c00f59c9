"""`python -m bench [NAME ...]`: run benchmarks (all by default); results go to bench/results/."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXTRA = {"routing_eval": "routing.crossval"}  # benchmarks that are not a <name>/run.py


def available() -> list[str]:
    return sorted([p.name for p in HERE.iterdir() if p.is_dir() and (p / "run.py").exists()] + list(EXTRA))


def main(argv: list[str]) -> int:
    names: list[str] = []
    for arg in argv:  # the names come first; from the first option on, everything goes to the bench
        if arg.startswith("-"):
            break
        names.append(arg)
    if not names and argv:  # `python -m bench --help`: say what there is, run nothing
        print(f"usage: python -m bench [NAME ...] [OPTIONS]; benchmarks: {', '.join(available())}")
        return 0 if argv[0] in ("-h", "--help") else 2
    names = names or available()
    status = 0
    for name in names:
        if name not in available():
            print(f"bench: unknown benchmark {name!r}; one of: {', '.join(available())}", file=sys.stderr)
            return 2
        print(f"\n## bench/{name}")
        module = importlib.import_module(f"bench.{EXTRA.get(name, name + '.run')}")
        status |= int(module.main() or 0)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
