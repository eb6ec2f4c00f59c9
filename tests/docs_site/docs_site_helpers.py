"""Shared by the docs-site tests: paths, the repository an example runs in, the runner.

The ```console convention and its parser are tests/test_docs.py's (imported, not copied):
a `$ ` line is a command run by bash, the lines after it are fragments of the expected
output in order, ` # exit N` expects exit status N. All blocks of one page run in order in
one fresh git repository with one commit, HOME a temp directory, this environment's `ao`
on PATH.

One addition for the site: a fenced block with a file name, ```yaml title="tasks.yaml",
is a file the reader saves; it is written into the repository at that point of the page,
byte for byte as shown, before the commands after it run.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from conftest import git
from test_docs import Example, check_output, examples

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SITE = DOCS / "site"
MKDOCS_YML = ROOT / "mkdocs.yml"
_FILE_BLOCK = re.compile(r'^```[\w-]+ title="([^"]+)"[^\n]*\n(.*?)^```', re.MULTILINE | re.DOTALL)

__all__ = ["DOCS", "MKDOCS_YML", "ROOT", "SITE", "Ran", "examples", "file_blocks", "fresh_repo",
           "run_page", "site_pages"]


def site_pages() -> list[Path]:
    return sorted(SITE.rglob("*.md"))


def fresh_repo(tmp_path: Path) -> Path:
    """What the quickstart asks a reader to start from: a git repo with one commit."""
    repo = tmp_path / "docrepo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("# example project\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    return repo


def file_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, file name, content) of every ```LANG title="NAME" block, in page order."""
    return [(text.count("\n", 0, m.start()) + 1, m.group(1), m.group(2))
            for m in _FILE_BLOCK.finditer(text)]


@dataclass
class Ran:
    example: Example
    output: str


def run_page(page: Path, repo: Path, timeout: int = 300) -> list[Ran]:
    """Run every console example of PAGE in REPO, in order; fail on the first mismatch."""
    # Unbuffered, so stdout and stderr interleave in the order they were written.
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "PYTHONUNBUFFERED": "1"}
    ran: list[Ran] = []
    name = page.relative_to(DOCS)
    text = page.read_text(encoding="utf-8")
    files = file_blocks(text)
    for example in examples(text):
        while files and files[0][0] < example.line:
            _write(repo, *files.pop(0)[1:])
        proc = subprocess.run(["bash", "-c", example.command], cwd=repo, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        where = f"{name}:{example.line}: `{example.command}`"
        assert proc.returncode == example.exit_code, (
            f"{where} exited {proc.returncode}, expected {example.exit_code}\n{proc.stdout}")
        missing = check_output(proc.stdout, example.expected)
        assert missing is None, f"{where}: output lacks {missing!r} (in order)\n{proc.stdout}"
        ran.append(Ran(example, proc.stdout))
    for _, file_name, content in files:
        _write(repo, file_name, content)
    return ran


def _write(repo: Path, name: str, content: str) -> None:
    path = Path(name)
    assert not path.is_absolute() and ".." not in path.parts, f"file block {name!r}: not inside the repo"
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(content, encoding="utf-8")
