"""Writers of agent files shared by the agents tests."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_agent(root: Path, name: str, description: str, *, tools: str | None = "Read, Grep, Glob",
                examples: list[str] | None = None, body: str = "You do one job well.\n",
                model: str | None = None, file_name: str | None = None, extra: dict | None = None) -> Path:
    meta: dict = {"name": name, "description": description}
    if tools is not None:
        meta["tools"] = tools
    if model:
        meta["model"] = model
    if examples is not None:
        meta["examples"] = examples
    meta.update(extra or {})
    path = root / ".claude" / "agents" / f"{file_name or name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n" + body)
    return path
