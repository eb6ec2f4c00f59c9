"""Redaction: how many secrets it stops, how much ordinary text it leaves alone, how fast.

    python -m bench redaction [--samples N] [--seed S]

- detection, tuned: every shipped rule's own `example` shape (rules.json), N samples each,
  put inside ordinary sentences;
- detection, contexts: `contexts.py`, shapes in config files, SDK calls, CI YAML, headers
  (written as a held-out set; its misses were then fixed, so it is tuned now);
- detection, held out: `heldout.py`, written after that and not tuned on;
- false positives: lines of ordinary code and text that hold no secret. Tuned on: the
  first 800 non-test modules of the standard library and this repo's commit messages.
  Held out: the rest of the standard library, the third-party packages of this venv, and
  the repo's docs. A changed line is a false positive (a few held-out "false positives"
  are real test keys shipped in packages: they are printed, so a reader can judge);
- throughput of `redact_text` over the false-positive corpus vs one pass of a single
  precompiled regex over the same lines (measured in the same run).

Targets: detection >= 99 % tuned and >= 95 % held out; false positives <= 0.1 % of lines.
A secret counts as stopped when neither it nor any 8+ character run of its random part
survives. The held-out set was written by the same author as the rules, from provider
documentation; it is not an independent evaluation (DESIGN §3.6 asks for one too).
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

from agentops_os.store.redact import redact_text
from agentops_os.store.redact_samples import expand, rule_examples
from bench.common import write_results
from bench.redaction import contexts, heldout

ROOT = Path(__file__).resolve().parents[2]
CONTEXTS = ["{s}", "Please use {s} for the deploy.", "error: request failed with {s} (401)",
            "    value = {s}\n", "- note: {s}"]
TARGETS = {"tuned_detection": 0.99, "contexts_detection": 0.99, "heldout_detection": 0.95,
           "false_positive_lines": 0.001}


def _marked(template: str, rng: random.Random) -> tuple[str, list[str]]:
    """Expand a held-out template; return the text and the secrets marked by << >>."""
    text = expand(template, rng)
    secrets = re.findall(r"<<(.*?)>>", text, re.DOTALL)
    return text.replace("<<", "").replace(">>", ""), secrets


def _survives(secret: str, out: str, template: str) -> bool:
    """The secret, or an 8+ character run of its random part, is still in `out`. Runs that
    are the format's fixed text (`packagist`, `AgEIcHlwaS5vcmc`, `PRIVATE`) do not count:
    the mark names the rule, and a prefix alone is no secret."""
    fixed = re.sub(r"\{[a-zA-Z0-9]+:\d+\}", " ", template).lower()
    lowered = out.lower()
    runs = [r for r in re.findall(r"[A-Za-z0-9]{8,}", secret) if r.lower() not in fixed]
    return secret.lower() in lowered or any(r.lower() in lowered for r in runs)


def tuned_detection(samples: int, rng: random.Random) -> tuple[int, int, list[str]]:
    import json

    from agentops_os.store.redact import RULES_FILE

    with open(RULES_FILE, encoding="utf-8") as handle:
        rules = {r["id"]: r for r in json.load(handle)["rules"]}
    total = stopped = 0
    missed: list[str] = []
    for rule_id, template in rule_examples():
        rule = rules[rule_id]
        pattern = re.compile(rule["regex"], re.IGNORECASE if rule.get("ignore_case") else 0)
        for n in range(samples):
            sample = expand(template, rng)
            match = pattern.search(sample)
            secret = match.group("secret") if match and "secret" in pattern.groupindex else sample
            text = CONTEXTS[n % len(CONTEXTS)].format(s=sample)
            total += 1
            if _survives(secret, redact_text(text), template):
                missed.append(rule_id)
            else:
                stopped += 1
    return stopped, total, missed


def marked_detection(shapes: list[tuple[str, str]], samples: int,
                     rng: random.Random) -> tuple[int, int, list[str]]:
    total = stopped = 0
    missed: list[str] = []
    for name, template in shapes:
        for _ in range(samples):
            text, secrets = _marked(template, rng)
            out = redact_text(text)
            total += 1
            if any(_survives(s, out, template) for s in secrets):
                missed.append(name)
            else:
                stopped += 1
    return stopped, total, missed


def _lines(paths: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        try:
            lines.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        except (OSError, UnicodeDecodeError):
            continue
    return lines


def corpora() -> dict[str, list[str]]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    modules = sorted(p for p in stdlib.rglob("*.py")
                     if "test" not in p.parts and "site-packages" not in p.parts
                     and not p.name.startswith("test"))
    purelib = Path(sysconfig.get_paths()["purelib"])
    third_party = sorted(p for p in purelib.rglob("*.py") if "agentops" not in str(p)
                         and "test" not in str(p.relative_to(purelib)).lower())
    log = subprocess.run(["git", "log", "--format=%B", "-n", "3000"], cwd=ROOT, capture_output=True,
                         text=True, check=False).stdout
    return {
        "tuned": _lines(modules[:800]) + [line for line in log.splitlines() if line.strip()],
        "heldout": (_lines(modules[800:]) + _lines(third_party[:3000])
                    + _lines(sorted((ROOT / "docs").glob("*.md")))),
    }


def false_positives(lines: list[str]) -> tuple[int, list[tuple[str, str]], float]:
    start = time.perf_counter()
    changed = [(line, out) for line in lines if (out := redact_text(line)) != line]
    return len(changed), changed, time.perf_counter() - start


def baseline_seconds(lines: list[str]) -> float:
    pattern = re.compile(r"[A-Za-z0-9_\-]{40,}")
    start = time.perf_counter()
    for line in lines:
        pattern.sub("x", line)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench redaction")
    parser.add_argument("--samples", type=int, default=20, help="samples per shape")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args(argv if argv is not None else [])
    rng = random.Random(options.seed)
    results: dict[str, object] = {"samples_per_shape": options.samples}
    ok = True
    runs = (("tuned", lambda n, r: tuned_detection(n, r)),
            ("contexts", lambda n, r: marked_detection(contexts.SHAPES, n, r)),
            ("heldout", lambda n, r: marked_detection(heldout.SHAPES, n, r)))
    for name, run in runs:
        stopped, total, missed = run(options.samples, rng)
        rate = stopped / total
        results[f"{name}_detection"] = rate
        results[f"{name}_shapes_missed"] = sorted(set(missed))
        met = rate >= TARGETS[f"{name}_detection"]
        ok &= met
        print(f"detection ({name}): {stopped}/{total} = {rate:.2%} "
              f"(target >= {TARGETS[f'{name}_detection']:.0%}: {'met' if met else 'NOT met'})")
        if missed:
            print(f"  missed shapes: {', '.join(sorted(set(missed)))}")
    texts = corpora()
    for name, lines in texts.items():
        count, changed, seconds = false_positives(lines)
        rate = count / len(lines)
        size = sum(len(line) for line in lines)
        base = baseline_seconds(lines)
        met = rate <= TARGETS["false_positive_lines"]
        ok &= met
        results[f"{name}_fp_lines"] = count
        results[f"{name}_lines"] = len(lines)
        results[f"{name}_fp_rate"] = rate
        results[f"{name}_mb_per_s"] = size / seconds / 1e6
        results[f"{name}_ratio_vs_one_regex"] = seconds / base
        print(f"false positives ({name}): {count}/{len(lines)} lines = {rate:.4%} "
              f"(target <= {TARGETS['false_positive_lines']:.1%}: {'met' if met else 'NOT met'})")
        print(f"  throughput: {size / seconds / 1e6:.2f} MB/s = {seconds / base:.1f}x one precompiled "
              f"regex pass over the same {len(lines)} lines ({size / 1e6:.1f} MB)")
        for line, out in changed[:8]:
            print(f"    {line.strip()[:100]!r}\n      -> {out.strip()[:100]!r}")
    results["met"] = ok
    independent(results)
    print("machine: shared with other work; throughput figures are noisy")
    write_results("redaction", results)
    return 0 if ok else 1


def independent(results: dict[str, object]) -> None:
    """The set another author wrote without reading the rules (independent.py). Its first
    run is in the issue notes; after it, public-data false positives were fixed by class,
    so its benign half is tuned now and its secret half is not. Reported, not a gate."""
    from agentops_os.store.redact import redact_text
    from bench.redaction.independent import cases
    from bench.redaction.independent_check import _survives

    rows = cases()
    secrets = [c for c in rows if c["kind"] == "secret"]
    benign = [c for c in rows if c["kind"] == "benign"]
    stopped = sum(not _survives(c["secret"], c["text"], redact_text(c["text"])) for c in secrets)
    changed = sum(redact_text(c["text"]) != c["text"] for c in benign)
    results["independent_detection"] = stopped / len(secrets)
    results["independent_fp_rate"] = changed / len(benign)
    detection, fp = stopped / len(secrets), changed / len(benign)
    print(f"detection (independent): {stopped}/{len(secrets)} = {detection:.2%} "
          f"(target >= 99%: {'met' if detection >= 0.99 else 'NOT met'}); "
          f"benign changed {changed}/{len(benign)} = {fp:.2%} "
          f"(target <= 0.1%: {'met' if fp <= 0.001 else 'NOT met'})")
    print("  (python -m bench.redaction.independent_check lists them)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
