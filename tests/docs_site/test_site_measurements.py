"""The measurements page names every benchmark `python -m bench` runs, and the build
hook's results table reads bench/results/*.json (when present) without failing."""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path

import pytest
from docs_site_helpers import ROOT, SITE

PAGE = SITE / "measurements.md"
BENCH = ROOT / "bench"


def bench_dirs() -> list[str]:
    # The rule of bench/__main__.py's available(): a directory with a run.py.
    return sorted(p.name for p in BENCH.iterdir() if p.is_dir() and (p / "run.py").is_file())


def extra_benches() -> list[str]:
    """Benchmarks that are not a bench/<name>/ directory (EXTRA in bench/__main__.py)."""
    tree = ast.parse((BENCH / "__main__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "EXTRA" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return sorted(value)
    return []


def test_every_bench_is_described() -> None:
    text = PAGE.read_text(encoding="utf-8")
    names = bench_dirs()
    assert len(names) >= 10, names
    missing = [n for n in names if f"`bench/{n}`" not in text]
    assert not missing, f"benchmarks missing from {PAGE.name}: {missing}"
    missing_extra = [n for n in extra_benches() if f"`{n}`" not in text]
    assert not missing_extra, f"benchmarks missing from {PAGE.name}: {missing_extra}"
    described = {line.split("`bench/")[1].split("`")[0] for line in text.splitlines()
                 if line.startswith("| `bench/")}
    unknown = described - set(names)
    assert not unknown, f"{PAGE.name} describes benchmarks that do not exist: {unknown}"
    assert "[[bench-results]]" in text


@pytest.fixture
def hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    pytest.importorskip("mkdocs", reason="the docs extra is not installed (pip install -e '.[docs]')")
    spec = importlib.util.spec_from_file_location("ao_docs_hook", ROOT / "docs" / "diagrams" / "hook.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fake = tmp_path / "bench"
    for name in ("alpha", "beta"):
        (fake / name).mkdir(parents=True)
        (fake / name / "run.py").write_text("")
    (fake / "results").mkdir()
    monkeypatch.setattr(module, "BENCH", fake)
    monkeypatch.setattr(module, "ROOT", tmp_path)
    return module


def test_results_table(hook) -> None:
    results = hook.BENCH / "results"
    (results / "alpha.json").write_text(json.dumps({"met": False, "ratio": 2.691, "target_ratio": 2.0,
                                                    "nested": {"x": 1}}))
    (results / "alpha_eval.json").write_text(json.dumps({"met": True, "accuracy": 0.9}))
    table = hook.bench_table()
    assert "| `alpha` | `ratio` 2.69, `target_ratio` 2 | **no** |" in table
    assert "| `beta` | not run here (`python -m bench beta`) | – |" in table
    assert "| `alpha_eval` | `accuracy` 0.9 | yes |" in table


def test_a_corrupt_result_fails_the_build(hook) -> None:
    from mkdocs.exceptions import PluginError

    (hook.BENCH / "results" / "alpha.json").write_text("{not json")
    with pytest.raises(PluginError, match="alpha.json: not valid JSON"):
        hook.bench_table()
