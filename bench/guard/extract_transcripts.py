"""Extract tool calls from exported Claude Code transcripts (Markdown exports) into the
benign corpus, one JSON line per call with its source. Used once by hand on public
transcripts fetched for the purpose; the output (data points: commands and file paths,
never file contents) is tests/guard/corpus/benign_transcripts.jsonl.

    python -m bench.guard.extract_transcripts OWNER/REPO COMMIT PROJECT_ROOT HOME FILE.md...

Absolute paths under the transcript's project root become `{repo}`, other paths under its
home `{home}`, so bench/guard can replay each call inside its own scratch repository.
Write/Edit contents are dropped (the guard judges the path, and we keep no one's code).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

TOOLS = ("Bash", "Write", "Edit", "MultiEdit", "Read", "NotebookEdit", "Grep", "Glob", "WebFetch")
_HEADERS = (
    re.compile(r"^🔧 Using tool: (\S+)\nInput: (\{.*?\n\})\n", re.S | re.M),
    re.compile(r"^🔧 \*\*Tool Use: (\S+)\*\* \(ID: [^)]*\)\n```json\n(\{.*?\n\})\n```", re.S | re.M),
)
_KEEP = {
    "Bash": ("command",),
    "Write": ("file_path",),
    "Edit": ("file_path",),
    "MultiEdit": ("file_path",),
    "Read": ("file_path",),
    "NotebookEdit": ("notebook_path",),
    "Grep": ("pattern", "path", "glob"),
    "Glob": ("pattern", "path"),
    "WebFetch": ("url",),
}


def _roots(text: str, home: str, given: str) -> list[str]:
    """The project root a transcript works in. Only the given root becomes `{repo}`:
    a sibling directory (another worktree, a file next to the checkout) stays where it
    was, under `{home}`, since mapping it onto the repository turned `rm -rf
    ../test-worktree` into a delete of the repository itself."""
    del text, home
    return [given]


def _place(value: str, roots: list[str], home: str) -> str:
    for root in roots:
        value = value.replace(root, "{repo}")
    return value.replace(home, "{home}")


def extract(repo: str, commit: str, root: str, home: str, path: Path) -> list[dict[str, object]]:
    text = path.read_text(encoding="utf-8", errors="replace")
    roots = _roots(text, home, root)
    rows: list[dict[str, object]] = []
    for pattern in _HEADERS:
        for match in pattern.finditer(text):
            tool = match.group(1)
            if tool not in TOOLS and not tool.startswith("mcp__"):
                continue
            try:
                data = json.loads(match.group(2))
            except ValueError:
                continue
            keep = _KEEP.get(tool, tuple(data))
            tool_input = {
                k: _place(v, roots, home) if isinstance(v, str) else v for k, v in data.items() if k in keep
            }
            if tool in ("Write", "Edit", "MultiEdit"):
                tool_input["content" if tool == "Write" else "new_string"] = "…"
            rows.append(
                {
                    "label": "benign",
                    "tool": tool,
                    "input": tool_input,
                    "source": f"github:{repo}@{commit[:12]}:{path.name}",
                    "offset": match.start(),
                }
            )
    for row in rows:
        digest = hashlib.sha256(json.dumps(row, sort_keys=True).encode()).digest()
        row["split"] = "heldout" if digest[0] % 10 < 3 else "tune"  # ~30% never tuned on
    return rows


def main(argv: list[str]) -> int:
    if len(argv) < 5:
        sys.stderr.write(__doc__ or "")
        return 2
    repo, commit, root, home, *files = argv
    for name in files:
        for row in extract(repo, commit, root, home, Path(name)):
            print(json.dumps(row, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
