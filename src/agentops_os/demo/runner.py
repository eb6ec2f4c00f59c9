"""Run the demo steps against a fresh temporary repository.

Each step drives the real `ao` command in a subprocess, in the temp repo, with HOME
pointed at a temp directory, exactly as a user would; nothing is faked.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STEPS_DIR = Path(__file__).resolve().parent / "steps"


class DemoStepFailed(Exception):
    pass


@dataclass
class DemoContext:
    repo: Path
    home: Path
    out: Any = field(default=sys.stdout)
    facts: dict[str, Any] = field(default_factory=dict)  # steps share findings via this

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            HOME=str(self.home),
            GIT_AUTHOR_NAME="Demo Dev",
            GIT_AUTHOR_EMAIL="demo@example.com",
            GIT_COMMITTER_NAME="Demo Dev",
            GIT_COMMITTER_EMAIL="demo@example.com",
            GIT_CONFIG_NOSYSTEM="1",
            NO_COLOR="1",
        )
        env.pop("CLAUDE_CONFIG_DIR", None)
        env.pop("CODEX_HOME", None)
        # The demo's `ao` must be this very package, also inside git hooks it installs.
        bin_dir = str(Path(sys.executable).parent)
        env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
        return env

    def run(self, args: list[str], *, input: str | None = None, check: bool = True,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(args, cwd=str(cwd or self.repo), input=input, text=True,
                              capture_output=True, env=self.env())
        if check and proc.returncode != 0:
            raise DemoStepFailed(
                f"`{' '.join(args)}` exited {proc.returncode}:\n{proc.stderr.strip() or proc.stdout.strip()}"
            )
        return proc

    def ao(self, *args: str, input: str | None = None, expect: int | None = 0,
           show: bool = True) -> subprocess.CompletedProcess[str]:
        proc = self.run([sys.executable, "-m", "agentops_os", *args], input=input, check=False)
        if show:
            self.say(f"$ ao {' '.join(args)}")
            text = (proc.stdout + (proc.stderr if proc.returncode else "")).rstrip()
            for line in text.splitlines()[:40]:
                self.say("  " + line)
            if len(text.splitlines()) > 40:
                self.say(f"  ... ({len(text.splitlines()) - 40} more lines)")
        if expect is not None and proc.returncode != expect:
            raise DemoStepFailed(
                f"`ao {' '.join(args)}` exited {proc.returncode}, expected {expect}:\n"
                f"{proc.stderr.strip() or proc.stdout.strip()}"
            )
        return proc

    def git(self, *args: str) -> str:
        return self.run(["git", *args]).stdout

    def commit(self, subject: str, *, context: str, solution: str, learning: str,
               impact: str) -> str:
        """Commit what is staged with a message that passes `ao commit check` (Law 3);
        the demo repo's commit-msg hook (installed by `ao init`) rejects anything less."""
        parts = (f"Context: {context}", f"Solution: {solution}", f"Learning: {learning}",
                 f"Impact: {impact}")
        self.git("commit", "-q", "-m", subject, *[a for part in parts for a in ("-m", part)])
        return self.git("rev-parse", "HEAD").strip()

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()


def step_modules() -> list[Any]:
    modules = []
    for path in sorted(STEPS_DIR.glob("s*.py")):
        modules.append(importlib.import_module(f"agentops_os.demo.steps.{path.stem}"))
    return modules


def run_demo(workdir: Path | None = None, keep: bool = False, out: Any = sys.stdout) -> int:
    base = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="ao-demo-"))
    base.mkdir(parents=True, exist_ok=True)
    repo, home = base / "repo", base / "home"
    repo.mkdir(exist_ok=True)
    home.mkdir(exist_ok=True)
    ctx = DemoContext(repo=repo, home=home, out=out)
    results: list[tuple[str, str]] = []
    failed = False
    try:
        for module in step_modules():
            ctx.say(f"\n== {module.TITLE} ==")
            try:
                module.run(ctx)
                results.append((module.TITLE, "ok"))
            except DemoStepFailed as exc:
                ctx.say(f"!! step failed: {exc}")
                results.append((module.TITLE, "FAILED"))
                failed = True
                break
        ctx.say("\n== Summary ==")
        for title, status in results:
            ctx.say(f"  {status:6} {title}")
        ctx.say(f"  demo repository: {repo}" + ("" if keep else " (removed; use --keep)"))
    finally:
        if not keep and workdir is None:
            shutil.rmtree(base, ignore_errors=True)
    return 1 if failed else 0
