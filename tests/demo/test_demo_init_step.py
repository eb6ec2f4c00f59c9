"""The demo's set-up step runs against a real temporary repository."""

from __future__ import annotations

import io
from pathlib import Path

from agentops_os.demo.runner import DemoContext
from agentops_os.demo.steps import s00_repo, s10_init


def test_init_step(tmp_path: Path) -> None:
    repo, home = tmp_path / "repo", tmp_path / "demo-home"
    repo.mkdir()
    home.mkdir()
    out = io.StringIO()
    ctx = DemoContext(repo=repo, home=home, out=out)
    s00_repo.run(ctx)
    s10_init.run(ctx)
    text = out.getvalue()
    assert "nothing to do" in text
    assert "commit message rejected" in text
    assert ctx.facts["init_changes"] >= 20
    assert "Round order totals once" in ctx.git("log", "-1", "--format=%s")
    assert (repo / ".agents" / "CONSTITUTION.md").exists()
