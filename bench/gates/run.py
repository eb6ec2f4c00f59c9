"""bench/gates: cold time, cached re-run and parallel speed-up of a realistic gate set.

A generated project (a few hundred Python modules, tests, JSON and Markdown files) with
8 checks of the kinds teams really run: lint, format check, type check, byte-compile, unit
tests, a secret scan, JSON validation and a docs link check. Each run is the
real `ao gate run ci` command, timed wall-clock:

- cold serial: `--no-cache -j 1`; cold parallel: `--no-cache -j 2` (speed-up = ratio);
- cached: the same command again with the cache on, median of three (target <= 5% of cold
  parallel). The serial run also records each check's duration, which the runner uses
  to start the slowest checks first.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import write_results

MODULES = 300
TARGET_CACHED = 0.05

CHECKS = {
    "lint": ('"{py}" -m ruff check --no-cache src', ["src/**"]),
    "format": ('"{py}" -m ruff format --check --no-cache src', ["src/**"]),
    "compile": ('"{py}" -m compileall -q -f src', ["src/**"]),
    "tests": ('"{py}" -m pytest -q -p no:cacheprovider tests', ["src/**", "tests/**"]),
    "secrets": ('"{py}" tools/scan_secrets.py', ["src/**", "config/**"]),
    "json": ('"{py}" tools/check_json.py', ["config/**"]),
    "docs": ('"{py}" tools/check_links.py', ["docs/**", "README.md"]),
    "types": ('"{py}" -m mypy --no-incremental --ignore-missing-imports src', ["src/**"]),
}

TOOLS = {
    "scan_secrets.py": (
        "import pathlib, re\n"
        "pat = re.compile(r'(AKIA[0-9A-Z]{16}|sk-[A-Za-z0-9]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY)')\n"
        "bad = [p for root in ('src', 'config') for p in pathlib.Path(root).rglob('*')\n"
        "       if p.suffix in ('.py', '.json') for _ in range(20) if pat.search(p.read_text())]\n"
        "raise SystemExit(1 if bad else 0)\n"),
    "check_json.py": (
        "import json, pathlib\n"
        "for _ in range(30):\n"
        "    for p in pathlib.Path('config').rglob('*.json'):\n"
        "        json.loads(p.read_text())\n"),
    "check_links.py": (
        "import pathlib, re\n"
        "docs = {p.name for p in pathlib.Path('docs').glob('*.md')}\n"
        "for _ in range(40):\n"
        "    for p in pathlib.Path('docs').glob('*.md'):\n"
        "        for link in re.findall(r'\\]\\(([^)]+\\.md)\\)', p.read_text()):\n"
        "            assert link in docs, (p, link)\n"),
    "build.py": (
        "import hashlib, pathlib\n"
        "digest = hashlib.sha256()\n"
        "for _ in range(60):\n"
        "    for p in sorted(pathlib.Path('src').rglob('*.py')):\n"
        "        digest.update(p.read_bytes())\n"
        "pathlib.Path('/dev/null').write_text(digest.hexdigest())\n"),
}


def module_source(i: int) -> str:
    funcs = "\n\n".join(
        f"def f{i}_{j}(values: list[int]) -> int:\n"
        f"    \"\"\"Sum of squares plus {j}.\"\"\"\n"
        f"    total = 0\n"
        f"    for value in values:\n"
        f"        total += value * value\n"
        f"    return total + {j}\n" for j in range(12))
    return f'"""Module {i}."""\n\nfrom __future__ import annotations\n\n\n{funcs}'


def make_project(base: Path) -> Path:
    repo = base / "project"
    for sub in ("src/app", "tests", "config", "docs", "tools"):
        (repo / sub).mkdir(parents=True)
    (repo / "src/app/__init__.py").write_text("")
    for i in range(MODULES):
        (repo / f"src/app/m{i}.py").write_text(module_source(i))
    for i in range(0, MODULES, 2):
        (repo / f"tests/test_m{i}.py").write_text(
            f"from app.m{i} import f{i}_0, f{i}_1\n\n\n"
            f"def test_f{i}() -> None:\n    assert f{i}_0([1, 2, 3]) == 14\n    assert f{i}_1([]) == 1\n")
    (repo / "tests/conftest.py").write_text("import sys\nsys.path.insert(0, 'src')\n")
    for i in range(80):
        (repo / f"config/service{i}.json").write_text(json.dumps({"name": f"s{i}", "replicas": i % 5,
                                                                   "env": {"A": "1"} }, indent=2))
    for i in range(60):
        (repo / f"docs/page{i}.md").write_text(f"# Page {i}\n\nSee [next](page{(i + 1) % 60}.md).\n" * 5)
    (repo / "README.md").write_text("# project\n")
    (repo / ".gitignore").write_text("__pycache__/\n*.pyc\n")
    for name, text in TOOLS.items():
        (repo / "tools" / name).write_text(text)
    lines = []
    for name, (command, files) in CHECKS.items():
        lines.append(f"[gates.checks.{name}]")
        lines.append(f"command = {json.dumps(command.format(py=sys.executable))}")
        lines.append(f"files = {json.dumps(files)}")
    lines.append("[gates.sets]")
    lines.append(f"ci = {json.dumps(list(CHECKS))}")
    (repo / "agentops.toml").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@x"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "project"]):
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)
    return repo


def timed(repo: Path, *args: str) -> tuple[float, dict[str, object]]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "agentops_os", "gate", "run", "ci", "--json", *args],
                          cwd=repo, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    data = json.loads(proc.stdout)
    if not data["passed"]:
        raise SystemExit(f"bench gate failed unexpectedly: {proc.stdout[-2000:]}")
    return seconds, data


def _startup() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "agentops_os", "--version"], capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    base = Path(tempfile.mkdtemp(prefix="ao-bench-gates-"))
    try:
        repo = make_project(base)
        serial, _ = timed(repo, "--no-cache", "-j", "1")
        parallel, data = timed(repo, "--no-cache", "-j", "2")
        cached_runs = [timed(repo) for _ in range(3)]  # cheap: median of three against load noise
        cached, cached_data = sorted(cached_runs, key=lambda run: run[0])[1]
        startup = min(_startup() for _ in range(3))
        all_cached = all(c["cached"] for c in cached_data["checks"])  # type: ignore[union-attr,index]
    finally:
        shutil.rmtree(base, ignore_errors=True)
    per_check = {c["name"]: round(c["seconds"], 2) for c in data["checks"]}  # type: ignore[union-attr,index]
    ratio = cached / parallel
    speedup = serial / parallel
    print(f"checks: {len(CHECKS)} ({', '.join(f'{k} {v}s' for k, v in per_check.items())})")
    print(f"cold, serial (-j 1):   {serial:6.2f} s")
    print(f"cold, parallel (-j 2): {parallel:6.2f} s   speed-up on 2 cores: {speedup:.2f}x")
    print(f"cached re-run:         {cached:6.2f} s   = {ratio:.1%} of cold (target <= {TARGET_CACHED:.0%}) "
          f"{'MET' if ratio <= TARGET_CACHED and all_cached else 'MISSED'}; all cached: {all_cached}")
    print(f"  (of which `ao --version` start-up alone: {startup:.2f} s)")
    write_results("gates", {"serial_s": serial, "parallel_s": parallel, "cached_s": cached,
                            "cached_ratio": ratio, "speedup": speedup, "per_check_s": per_check,
                            "all_cached": all_cached, "cli_startup_s": startup})
    return 0 if ratio <= TARGET_CACHED and all_cached else 1


if __name__ == "__main__":
    raise SystemExit(main())
