"""Generate a large Claude Code transcript corpus in real line shapes (never committed).

Reuses the builders of `agentops_os.sessions.sample` (streaming repeats of
message.id/requestId with partial usage, tool calls and results, compactions, subagent
files under `<session>/subagents/`), scaled by `filler` tool rounds to reach a target size.
About 2,000 main session files per GB (plus one subagent file for every other session),
spread over ~20 projects and ~60 days. Deterministic for a given size and seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

from agentops_os.sessions.sample import build_claude_session, session_uuid
from agentops_os.transcripts.locate import claude_project_slug

GB = 1 << 30
START = datetime(2026, 8, 1, 8, 0, tzinfo=UTC)


def _dump(path: Path, lines: list[dict]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(orjson.dumps(line) + b"\n" for line in lines)
    path.write_bytes(data)
    return len(data)


def generate(home: Path, size: int, seed: int = 0, projects: int = 20) -> dict[str, int]:
    """Write about `size` bytes under `home/.claude/projects`; return counts."""
    rng = random.Random(seed)
    sessions = max(20, round(2000 * size / GB))
    per_session = size / sessions
    written = files = subagents = 0
    moment = START
    for index in range(sessions):
        cwd = f"/work/bench/project-{index % projects:02d}"
        project = home / ".claude" / "projects" / claude_project_slug(cwd)
        session_id = session_uuid(rng)
        # ~1.1 KB per filler round (tool_use line, streamed text line, tool_result line)
        remaining = size - written
        target = min(per_session * rng.uniform(0.5, 1.5), max(remaining, 0))
        filler = max(0, int((target - 25_000) / 2_400))
        main, sub = build_claude_session(rng, session_id, cwd, moment, turns=2,
                                         compact=index % 7 == 3, subagent=index % 2 == 0,
                                         filler=filler // 2)
        written += _dump(project / f"{session_id}.jsonl", main.lines)
        files += 1
        if sub is not None:
            written += _dump(project / session_id / "subagents" / f"agent-{sub.agent_id}.jsonl", sub.lines)
            files += 1
            subagents += 1
        moment += timedelta(minutes=rng.randint(10, 50))
    return {"bytes": written, "files": files, "sessions": sessions, "subagent_files": subagents}


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    print(generate(Path(sys.argv[1]), int(float(sys.argv[2]) * (1 << 20))))
