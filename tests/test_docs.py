"""Run every ```console example of docs/*.md, so the docs cannot drift from the code.

Convention (COMMON.md): in a console block, a line starting with `$ ` is a command run
by bash; the lines after it, up to the next command, are fragments of the expected
output: each non-empty one must appear in the combined stdout+stderr, in order; `...`
lines are skipped. ` # exit N` at the end of a command expects exit status N (else 0).
All blocks of one file run in order, in the same fresh git repository with one commit,
with HOME a temp directory and this environment's `ao` on PATH.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import git

DOCS = Path(__file__).resolve().parent.parent / "docs"
_BLOCK = re.compile(r"^```console[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"\s+# exit (\d+)\s*$")


@dataclass
class Example:
    command: str
    line: int
    exit_code: int = 0
    expected: list[str] = field(default_factory=list)


def examples(text: str) -> list[Example]:
    found: list[Example] = []
    for block in _BLOCK.finditer(text):
        first_line = text.count("\n", 0, block.start(1)) + 1
        for offset, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                command = line[2:]
                code = 0
                match = _EXIT.search(command)
                if match:
                    code = int(match.group(1))
                    command = command[: match.start()]
                found.append(Example(command, first_line + offset, code))
            elif found and line.strip() and line.strip() != "...":
                found[-1].expected.append(line.strip())
    return found


def check_output(output: str, expected: list[str]) -> str | None:
    """None when every fragment appears in order; else the first one missing."""
    position = 0
    for fragment in expected:
        index = output.find(fragment, position)
        if index < 0:
            return fragment
        position = index + len(fragment)
    return None


def doc_files() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def test_examples_parser() -> None:
    text = "x\n```console\n$ echo hi # exit 3\nhi\n...\n\n$ true\n```\n"
    (first, second) = examples(text)
    assert (first.command, first.exit_code, first.expected, first.line) == ("echo hi", 3, ["hi"], 3)
    assert (second.command, second.exit_code, second.expected) == ("true", 0, [])
    assert check_output("a b c", ["a", "c"]) is None
    assert check_output("a b c", ["c", "a"]) == "a"


@pytest.mark.parametrize("doc", doc_files(), ids=lambda p: p.name)
def test_doc_examples(doc: Path, tmp_path: Path) -> None:
    repo = tmp_path / "docrepo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("# example project\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    # Unbuffered, so stdout and stderr interleave in the order they were written.
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "PYTHONUNBUFFERED": "1"}
    for example in examples(doc.read_text(encoding="utf-8")):
        proc = subprocess.run(["bash", "-c", example.command], cwd=repo, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        where = f"{doc.name}:{example.line}: `{example.command}`"
        assert proc.returncode == example.exit_code, (
            f"{where} exited {proc.returncode}, expected {example.exit_code}\n{proc.stdout}")
        missing = check_output(proc.stdout, example.expected)
        assert missing is None, f"{where}: output lacks {missing!r} (in order)\n{proc.stdout}"
