"""Routing benchmark: accuracy on held-out tasks, abstention on out-of-scope tasks, warm
latency and model build time, for the agents of the four bundled profiles.

Data: `bench/routing/tasks.tsv` (split, agent or "none", task), written by hand. The
"train" rows play the part of past routing outcomes (history); "test" rows are only scored.
Baseline measured in the same run: a keyword-overlap router (the agent whose description and
examples share the most words with the task).

Usage: python -m bench routing
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from importlib import resources
from pathlib import Path

from agentops_os.agents.catalog import load_paths
from agentops_os.agents.routing import NONE, RoutingModel, Sample, background_samples, entry_samples
from agentops_os.agents.text import terms
from agentops_os.config import all_defaults

HERE = Path(__file__).resolve().parent
TARGETS = {"accuracy": 0.93, "abstention": 0.80, "latency_ms": 10.0, "build_s": 2.0}


def load_tasks() -> list[tuple[str, str, str]]:
    rows = []
    for line in (HERE / "tasks.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            split, label, task = line.split("\t")
            rows.append((split, label, task))
    return rows


def profile_entries():  # type: ignore[no-untyped-def]
    base = Path(str(resources.files("agentops_os").joinpath("data/profiles")))
    catalog = load_paths(sorted(p for p in base.iterdir() if p.is_dir()))
    assert not catalog.errors, catalog.errors
    return catalog.of_kind("agent")


def keyword_baseline(entries, task: str) -> str:  # type: ignore[no-untyped-def]
    words = set(terms(task))
    best, score = NONE, 0
    for entry in entries:
        vocab = set(terms(" ".join([entry.description, *entry.examples])))
        overlap = len(words & vocab)
        if overlap > score:
            best, score = entry.name, overlap
    return best


def rank_latencies_ms(model: RoutingModel, tasks: list[str], threshold: float, *, warm_up: bool = False,
                     passes: int = 3) -> list[float]:
    """Milliseconds per `model.rank` call over `passes` passes of `tasks` (the model in
    memory, as in a warm `ao route`); `warm_up` runs one untimed pass first."""
    if warm_up:
        for task in tasks:
            model.rank(task, 3, threshold=threshold)
    latencies = []
    for _ in range(passes):
        for task in tasks:
            t0 = time.perf_counter()
            model.rank(task, 3, threshold=threshold)
            latencies.append((time.perf_counter() - t0) * 1000)
    return latencies


def evaluate(predict, rows) -> dict[str, float]:  # type: ignore[no-untyped-def]
    inscope = [(label, task) for _, label, task in rows if label != NONE]
    oos = [task for _, label, task in rows if label == NONE]
    correct = sum(1 for label, task in inscope if predict(task) == label)
    abstained = sum(1 for task in oos if predict(task) == NONE)
    false_abstain = sum(1 for label, task in inscope if predict(task) == NONE)
    return {"accuracy": correct / len(inscope), "abstention": abstained / len(oos),
            "false_abstention": false_abstain / len(inscope), "n_inscope": len(inscope), "n_oos": len(oos)}


def main() -> int:
    from bench.common import write_results

    defaults, _ = all_defaults()
    threshold = float(defaults["route"]["min_confidence"])
    rows = load_tasks()
    train = [r for r in rows if r[0] == "train"]
    test = [r for r in rows if r[0] == "test"]
    entries = profile_entries()
    base_samples = [s for e in entries for s in entry_samples(e)] + background_samples()
    history = [Sample(task, label, "history") for _, label, task in train if label != NONE]

    started = time.perf_counter()
    import sklearn.linear_model  # noqa: F401 - imported once, as in a CLI call; timed separately
    import_s = time.perf_counter() - started

    builds = []
    for _ in range(3):
        model = RoutingModel(base_samples + history)
        builds.append(model.build_seconds)
    build_s = statistics.median(builds)
    plain = RoutingModel(base_samples)

    def predictor(m: RoutingModel):  # type: ignore[no-untyped-def]
        def predict(task: str) -> str:
            matches, abstained, _ = m.rank(task, 1, threshold=threshold)
            return NONE if abstained or not matches else matches[0].name
        return predict

    result = evaluate(predictor(model), test)
    result_plain = evaluate(predictor(plain), test)
    result_train_oos = evaluate(predictor(model), train)
    baseline = evaluate(lambda t: keyword_baseline(entries, t), test)

    latency_ms = statistics.median(rank_latencies_ms(model, [task for _, _, task in test], threshold))

    print(f"agents: {len(entries)} in 4 profiles; tasks: {len(rows)} "
          f"({len(train)} train, {len(test)} held-out: {result['n_inscope']} in scope, "
          f"{result['n_oos']} out of scope); threshold {threshold}")
    print(f"{'metric':34} {'router':>8} {'baseline':>9} {'ratio':>7} {'target':>8}  met")
    lines = [
        ("held-out accuracy (abstain=wrong)", result["accuracy"], baseline["accuracy"], TARGETS["accuracy"],
         result["accuracy"] >= TARGETS["accuracy"]),
        ("out-of-scope abstention", result["abstention"], baseline["abstention"], TARGETS["abstention"],
         result["abstention"] >= TARGETS["abstention"]),
    ]
    for name, ours, base, target, met in lines:
        ratio = ours / base if base else float("inf")
        print(f"{name:34} {ours:8.3f} {base:9.3f} {ratio:7.2f} {target:8.2f}  {'yes' if met else 'NO'}")
    print(f"{'false abstention (in scope)':34} {result['false_abstention']:8.3f} "
          f"{baseline['false_abstention']:9.3f}")
    print(f"{'accuracy without history':34} {result_plain['accuracy']:8.3f}  "
          f"(abstention {result_plain['abstention']:.3f})")
    print(f"{'train-split abstention (sanity)':34} {result_train_oos['abstention']:8.3f}")
    print(f"{'median warm latency (ms)':34} {latency_ms:8.3f} {'':9} {'':7} {TARGETS['latency_ms']:8.2f}  "
          f"{'yes' if latency_ms <= TARGETS['latency_ms'] else 'NO'}")
    print(f"{'model build (s, median of 3)':34} {build_s:8.3f} {'':9} {'':7} {TARGETS['build_s']:8.2f}  "
          f"{'yes' if build_s <= TARGETS['build_s'] else 'NO'}")
    print(f"{'scikit-learn import (s, once)':34} {import_s:8.3f}")
    confusions = Counter()
    predict = predictor(model)
    for _, label, task in test:
        got = predict(task)
        if got != label:
            confusions[(label, got)] += 1
            if "-v" in sys.argv:
                print(f"  miss: {label} -> {got}: {task}")
    if confusions:
        top = confusions.most_common(5)
        print("most common confusions: " + ", ".join(f"{a}->{b} x{n}" for (a, b), n in top))
    # Feedback: each misrouted in-scope test task, recorded once as a success of its right
    # agent (what `ao route feedback` does), then routed again by the rebuilt model.
    misrouted = [(label, task) for _, label, task in test if label != NONE and predict(task) != label]
    fixed = sum(predictor(RoutingModel(base_samples + history + [Sample(task, label, "history")]))(task)
                == label for label, task in misrouted)
    print(f"{'feedback fixes misrouted tasks':34} {fixed:4d}/{len(misrouted)}")
    met = (result["accuracy"] >= TARGETS["accuracy"] and result["abstention"] >= TARGETS["abstention"]
           and latency_ms <= TARGETS["latency_ms"] and build_s <= TARGETS["build_s"])
    write_results("routing", {
        "router": result, "router_without_history": result_plain, "baseline_keyword": baseline,
        "latency_ms_median": latency_ms, "build_seconds_median": build_s, "sklearn_import_seconds": import_s,
        "feedback_fixed": fixed, "feedback_misrouted": len(misrouted),
        "threshold": threshold, "targets": TARGETS, "targets_met": met,
    })
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
