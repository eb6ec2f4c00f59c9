"""Which transcript files belong to a repository: Claude Code project directories and
Codex rollouts whose `cwd` lies inside it (or every file, with `--all-projects`)."""

from __future__ import annotations

import os
from pathlib import Path

from agentops_os.transcripts.locate import (
    claude_config_dirs,
    claude_project_slug,
    codex_transcripts,
)

# -- discovery -----------------------------------------------------------------------------

def discover(root: Path, *, all_projects: bool = False, paths: list[Path] | None = None) -> list[Path]:
    """Transcript files in scope. Default: Claude project dirs of this repo (and its
    subdirectories) plus every Codex rollout (filtered by cwd when read)."""
    if paths:
        found: list[Path] = []
        for path in paths:
            if path.is_file():
                found.append(path.resolve())
            elif path.is_dir():
                found.extend(sorted(p.resolve() for p in path.rglob("*.jsonl")))
        return found
    slug = claude_project_slug(root)
    found = []
    for directory in claude_config_dirs():
        projects = directory / "projects"
        for project in sorted(p for p in projects.iterdir() if p.is_dir()):
            if all_projects or project.name == slug or project.name.startswith(slug + "-"):
                found.extend(_walk_jsonl(project))
    found.extend(codex_transcripts())
    return found


def _walk_jsonl(directory: Path) -> list[Path]:
    out = []
    for base, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".jsonl"):
                out.append(Path(base) / name)
    return out


def inside(path: str | None, root: Path) -> bool:
    if not path:
        return False
    text = str(root)
    return path == text or path.startswith(text.rstrip("/") + "/")
