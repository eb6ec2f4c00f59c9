"""Run a gate set: every check in parallel, each in its own process group with a timeout,
output captured; cached verdicts reused (see `cache`)."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agentops_os import procs
from agentops_os.gates import cache
from agentops_os.gates.config import Check, Gates
from agentops_os.gates.files import changed_files, matcher, snapshot

OUTPUT_LIMIT = 20_000


@dataclass
class CheckResult:
    name: str
    status: str  # "pass" | "fail" | "skip"
    cached: bool = False
    seconds: float = 0.0
    exit_code: int | None = None
    reason: str = ""
    output: str = ""
    files: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GateResult:
    gate: str
    checks: list[CheckResult]
    seconds: float

    @property
    def passed(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {"gate": self.gate, "passed": self.passed, "seconds": round(self.seconds, 3),
                "checks": [c.to_dict() for c in self.checks]}


def run_gate(root: Path, gates: Gates, name: str, *, changed: bool = False, jobs: int | None = None,
             use_cache: bool = True) -> GateResult:
    started = time.perf_counter()
    checks = [gates.checks[n] for n in gates.sets[name]]
    files = snapshot(root)
    touched = changed_files(root) if changed else None
    plans: list[tuple[Check, dict[str, str]]] = []
    results: dict[str, CheckResult] = {}
    for check in checks:
        covers = matcher(check.files)
        covered = {p: i for p, i in files.items() if covers(p)}
        if touched is not None and not any(covers(p) for p in touched):
            results[check.name] = CheckResult(check.name, "skip", reason="no changed files match",
                                              files=len(covered))
            continue
        plans.append((check, covered))
    # Cached verdicts are looked up here; only the checks that must run go to the pool (a
    # fully cached gate -- the common pre-push case -- starts no thread at all).
    to_run: list[tuple[Check, dict[str, str], str]] = []
    for check, covered in plans:
        key = cache.cache_key(check, covered)
        entry = cache.lookup(root, check, key) if use_cache else None
        if entry is not None:
            results[check.name] = CheckResult(check.name, entry["status"], True, 0.0, entry.get("exit_code"),
                                              entry.get("reason", ""), entry.get("output", ""), len(covered))
        else:
            to_run.append((check, covered, key))
    if to_run:
        from concurrent.futures import ThreadPoolExecutor

        to_run.sort(key=lambda item: -cache.last_seconds(root, item[0]))  # longest first
        workers = jobs or gates.jobs or os.cpu_count() or 1
        with ThreadPoolExecutor(max_workers=max(1, min(workers, len(to_run)))) as pool:
            futures = {check.name: pool.submit(_run_and_store, root, check, covered, key)
                       for check, covered, key in to_run}
            for check_name, future in futures.items():
                results[check_name] = future.result()
    return GateResult(name, [results[c.name] for c in checks], time.perf_counter() - started)


def _run_and_store(root: Path, check: Check, covered: dict[str, str], key: str) -> CheckResult:
    result = run_check(root, check)
    result.files = len(covered)
    if result.exit_code is not None and result.exit_code != 127:
        cache.store(root, check, key, {"status": result.status, "exit_code": result.exit_code,
                                       "reason": result.reason, "output": result.output,
                                       "seconds": result.seconds})
    return result


def run_check(root: Path, check: Check) -> CheckResult:
    cwd = root / check.cwd
    env = {**os.environ, **dict(check.env)}
    if isinstance(check.command, tuple):
        import shutil  # here, not at the top: a fully cached gate never starts a command

        args: list[str] | str = list(check.command)
        program = check.command[0]
        if shutil.which(program, path=env.get("PATH")) is None and not (cwd / program).is_file():
            return CheckResult(check.name, "fail", reason=f"command not found: {program}")
        shell = False
    else:
        args, shell = check.command, True
    try:
        done = procs.run(args, cwd=cwd, env=env, timeout=check.timeout, merge_stderr=True)
    except OSError as exc:
        return CheckResult(check.name, "fail", reason=f"could not start: {exc}")
    seconds, output = done.seconds, done.stdout[-OUTPUT_LIMIT:]
    if done.timed_out:
        return CheckResult(check.name, "fail", seconds=seconds,
                           reason=f"timed out after {check.timeout:g}s", output=output)
    code = done.returncode
    if code == 0:
        return CheckResult(check.name, "pass", seconds=seconds, exit_code=0, output=output)
    reason = f"exit code {code}"
    if code == 127 and shell:
        import shlex

        first = shlex.split(str(check.command))[0] if check.command else ""
        reason = f"command not found: {first}"
    return CheckResult(check.name, "fail", seconds=seconds, exit_code=code, reason=reason, output=output)


