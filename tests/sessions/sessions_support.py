from __future__ import annotations

import time
from pathlib import Path

import pytest

from agentops_os.transcripts.locate import claude_project_slug

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def install(name: str, home: Path, repo: Path) -> list[Path]:
    """Copy fixture `name` into the agent dirs under `home`, pointing its cwd at `repo`."""
    source = FIXTURES / name
    target = home / (".codex" if name.startswith("codex") else ".claude")
    out = []
    for path in sorted(source.rglob("*.jsonl")):
        rel = str(path.relative_to(source)).replace("PROJECT", claude_project_slug(str(repo)))
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(path.read_bytes().replace(b"{{CWD}}", str(repo).encode()))
        out.append(dest)
    return out


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """Daily buckets are local days: pin the zone so expected dates are stable."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def home(hermetic_env: Path) -> Path:
    return hermetic_env


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURES


@pytest.fixture
def put(home: Path, repo: Path):
    """put("claude-2.0") installs that fixture for the test repo; returns the written paths."""
    return lambda name: install(name, home, repo)
