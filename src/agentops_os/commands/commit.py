"""`ao commit check|template`: commit messages that document context (Law 3)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError


def _required_parts() -> list[str]:
    from agentops_os.commits.message import PARTS
    from agentops_os.config import load_config
    from agentops_os.repo import find_root

    config = load_config(find_root())
    parts = [str(p).lower() for p in config.get("commit.required_parts")]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        where = config.path or "agentops.toml"
        raise FatalError(f"{where}: commit.required_parts: unknown part(s) {', '.join(unknown)}; "
                         f"use any of {', '.join(PARTS)}")
    return parts


def _comment_string() -> str:
    """git's comment prefix for this repo (core.commentChar / core.commentString)."""
    from agentops_os.git import comment_string

    return comment_string(Path.cwd())


def _read_message(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise FatalError(f"{source}: cannot read commit message ({exc.strerror})") from None


@click.group("commit")
def cli() -> None:
    """Check commit messages for Context, Solution, Learning and Impact."""


@cli.command("check")
@click.argument("message_file", metavar="FILE|-")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check(message_file: str, as_json: bool) -> None:
    """Check a commit message (the commit-msg hook runs this). Exit 1 if rejected."""
    from agentops_os.commits.message import check_message

    result = check_message(_read_message(message_file), _required_parts(), _comment_string())
    if as_json:
        render.emit_json({"ok": result.ok, "subject": result.subject, "exempt": result.exempt,
                          "missing": result.missing, "empty": result.empty,
                          "parts": sorted(result.found)})
    if result.ok:
        if not as_json:
            render.info(f"commit message ok ({result.exempt} commit, exempt)" if result.exempt
                        else "commit message ok")
        return
    if not result.subject:
        raise CheckFailed("commit message rejected: it is empty")
    render.info(result.explanation())
    raise CheckFailed("commit message rejected: " + ", ".join(
        [f"missing {p}" for p in result.missing] + [f"empty {p}" for p in result.empty]))


@cli.command("template")
@click.argument("message_file", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("source", required=False, default="")
@click.argument("sha", required=False, default="")
def template(message_file: Path, source: str, sha: str) -> None:
    """Insert the Context/Solution/Learning/Impact template (prepare-commit-msg hook).

    Leaves -m/-F messages, merges, squashes and amends alone; touches only the message
    file git passes, never the working tree (Law 4).
    """
    from agentops_os.commits.message import with_template

    try:
        text = message_file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise FatalError(f"{message_file}: cannot read commit message ({exc.strerror})") from None
    new = with_template(text, source or None, _comment_string())
    if new is not None:
        message_file.write_text(new, encoding="utf-8")
