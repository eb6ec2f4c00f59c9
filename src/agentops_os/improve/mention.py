"""The open backlog items relevant to a task, for `ao prime` (which has a 150 ms budget).

Standard library only and no YAML: the few top-level frontmatter keys needed (id,
title, status, score, goal, cause) are read line by line from the files `backlog`
writes. A repo without `.agents/improve/` costs one failed `scandir`. Anything the line
reader cannot follow (a hand-edited file with block scalars) only loses that key;
`ao improve list` reads the files properly.
"""

from __future__ import annotations

import os
import re

from agentops_os.base.layout import agents_path

_KEY = re.compile(r"^([a-z_]+):\s?(.*)$")
_WANTED = ("id", "title", "status", "score", "goal", "cause")
LIVE = ("open", "accepted")


def read_head(path: str) -> dict[str, str]:
    """Top-level `key: scalar` pairs of the frontmatter (only `_WANTED` keys)."""
    out: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8") as handle:
            if handle.readline().rstrip() != "---":
                return out
            for line in handle:
                if line.startswith("---"):
                    break
                match = _KEY.match(line.rstrip("\n"))
                if match and match.group(1) in _WANTED:
                    value = _scalar(match.group(2))
                    if value is not None:
                        out[match.group(1)] = value
                    if len(out) == len(_WANTED):
                        break  # the evidence list after them is not needed
    except (OSError, UnicodeDecodeError):
        return {}
    return out


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
           "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
           "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if len(code) > 1:  # \xXX, \uXXXX, \UXXXXXXXX
        return chr(int(code[1:], 16))
    return _SIMPLE.get(code, code)


def _scalar(text: str) -> str | None:
    """A one-line YAML scalar as PyYAML writes it (plain, 'single' or "double" quoted);
    None for what continues on the next line (the line reader does not follow it)."""
    text = text.strip()
    if text.startswith("'"):
        return text[1:-1].replace("''", "'") if len(text) >= 2 and text.endswith("'") else None
    if text.startswith('"'):
        inner = text[1:-1]
        # closed only by a quote not itself escaped (an even run of backslashes before it)
        if len(text) < 2 or not text.endswith('"') or (len(inner) - len(inner.rstrip("\\"))) % 2:
            return None
        return _ESCAPE.sub(_unescape, text[1:-1])
    return text


def relevant(root: str, task_words: set[str], words: object, limit: int = 3) -> list[dict[str, str]]:
    """Up to `limit` open or accepted items sharing a word with the task, strongest first
    (shared words, then score, then id). `words` is prime's tokenizer (same stopwords)."""
    if limit <= 0 or not task_words:
        return []
    directory = agents_path(root, "improve")
    try:
        entries = [e.path for e in os.scandir(directory) if e.name.endswith(".md") and e.is_file()]
    except OSError:
        return []
    scored: list[tuple[int, float, str, dict[str, str]]] = []
    for path in entries:
        head = read_head(path)
        if head.get("status", "open") not in LIVE or "id" not in head:
            continue
        text = " ".join(head.get(k, "") for k in ("title", "goal", "cause")).replace(":", " ")
        shared = len(task_words & set(words(text)))  # type: ignore[operator]
        if not shared:
            continue
        try:
            score = float(head.get("score") or 0)
        except ValueError:
            score = 0.0
        head["source"] = f".agents/improve/{os.path.basename(path)}"
        scored.append((shared, score, head["id"], head))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    return [head for *_, head in scored[:limit]]
