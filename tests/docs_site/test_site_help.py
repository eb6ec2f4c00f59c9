"""`ao --help` and every subcommand's `--help` agree with the docs.

- Every command group that `ao --help` lists has its page, docs/<group>.md, in the site.
- Every option shown by the `--help` of the group or any of its subcommands appears on
  that page (by any of its names: `-j` documents `-j, --jobs`).
- The other way round: an option a page documents for a command (in an options table,
  or in an inline `ao GROUP VERB ... --option` synopsis, on the reference pages and the
  guides alike) exists in that command's `--help`.

Pages that miss options today are listed in KNOWN_GAPS: the test fails when a new gap
appears, and also when a listed gap is fixed (so the list only shrinks).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from docs_site_helpers import DOCS, SITE

# group -> option names its page does not mention yet (reported; the pages belong to the
# commands' owners). Remove an entry when its page documents the option.
KNOWN_GAPS: dict[str, set[str]] = {}

_OPTION_LINE = re.compile(r"^  (-[^\s].*?)(?:\s{2,}|$)")
_NAME = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")
_SYNOPSIS = re.compile(r"`(ao [^`]+)`")
_TABLE_OPTION = re.compile(r"^\|\s*`(--?[A-Za-z0-9][\w-]*)")


def groups_from_help() -> list[str]:
    """The command groups as the real `ao --help` lists them."""
    out = subprocess.run([sys.executable, "-m", "agentops_os", "--help"], capture_output=True, text=True,
                         check=True).stdout
    names, in_commands = [], False
    for line in out.splitlines():
        if line.startswith("Commands:"):
            in_commands = True
        elif in_commands and line.startswith("  ") and line.strip():
            names.append(line.split()[0])
        elif in_commands and line and not line.startswith(" "):
            in_commands = False
    return names


def _cli() -> click.Group:
    from agentops_os.main import cli

    return cli


def walk(path: list[str]) -> Iterator[tuple[list[str], click.Command, click.Context]]:
    """(path, command, context) for the command at PATH and every subcommand below it."""
    cli = _cli()
    ctx = click.Context(cli, info_name="ao")
    command: click.Command = cli
    for word in path:
        assert isinstance(command, click.Group)
        sub = command.get_command(ctx, word)
        assert sub is not None, path
        ctx = click.Context(sub, info_name=word, parent=ctx)
        command = sub
    yield path, command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            yield from walk([*path, name])


def help_text(path: list[str]) -> str:
    result = CliRunner().invoke(_cli(), [*path, "--help"], prog_name="ao")
    assert result.exit_code == 0, (path, result.output)
    return result.output


def shown_options(text: str) -> list[tuple[str, ...]]:
    """Each option of a --help text's Options section, as the tuple of its names."""
    options, in_options = [], False
    for line in text.splitlines():
        if line.startswith("Options:"):
            in_options = True
            continue
        if in_options and line and not line.startswith(" "):
            in_options = False
        match = _OPTION_LINE.match(line) if in_options else None
        if match:
            names = tuple(_NAME.findall(match.group(1)))
            if names and "--help" not in names:
                options.append(names)
    return options


def mentioned(page_text: str, name: str) -> bool:
    return re.search(re.escape(name) + r"(?![\w-])", page_text) is not None


def test_every_group_has_a_page() -> None:
    groups = groups_from_help()
    assert len(groups) >= 30, groups
    assert sorted(groups) == sorted(_cli().list_commands(click.Context(_cli(), info_name="ao")))
    missing = [g for g in groups if not (DOCS / f"{g}.md").is_file()]
    assert not missing, f"commands without a docs page: {missing}"


def gaps() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for group in groups_from_help():
        page = (DOCS / f"{group}.md").read_text(encoding="utf-8")
        for path, _, _ in walk([group]):
            for names in shown_options(help_text(path)):
                if not any(mentioned(page, name) for name in names):
                    long = [n for n in names if n.startswith("--")] or list(names)
                    found.setdefault(group, set()).add(long[0])
    return found


def test_every_option_in_help_is_on_the_page() -> None:
    found = gaps()
    new = {g: sorted(names - KNOWN_GAPS.get(g, set())) for g, names in found.items()}
    new = {g: names for g, names in new.items() if names}
    assert not new, f"options in --help that their page docs/<group>.md never mentions: {new}"
    fixed = {g: sorted(names - found.get(g, set())) for g, names in KNOWN_GAPS.items()}
    fixed = {g: names for g, names in fixed.items() if names}
    assert not fixed, f"documented now: remove them from KNOWN_GAPS in {Path(__file__).name}: {fixed}"


def valid_names(path: list[str]) -> set[str]:
    names = {"-h", "--help"}
    for sub_path, _, _ in walk(path):
        for option in shown_options(help_text(sub_path)):
            names.update(option)
    return names


def resolve(words: list[str]) -> list[str]:
    """The longest command path that WORDS start with (`ao gate run NAME ...` -> gate, run)."""
    cli = _cli()
    ctx = click.Context(cli, info_name="ao")
    command: click.Command = cli
    path: list[str] = []
    for word in words:
        if not isinstance(command, click.Group):
            break
        sub = command.get_command(ctx, word)
        if sub is None:
            break
        ctx = click.Context(sub, info_name=word, parent=ctx)
        command, path = sub, [*path, word]
    return path


def documented_options(text: str, group: str | None) -> Iterator[tuple[list[str], str, str]]:
    """(command path, option, where) for the options a page documents for a command."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    for match in _SYNOPSIS.finditer(prose):
        span = re.sub(r"\$\([^)]*\)", "", match.group(1))  # `ao rpi "$(ao improve show ID --goal)"`
        path = resolve(span.split()[1:])
        if path:
            for name in _NAME.findall(span):
                yield path, name, f"`{match.group(1)}`"
    if group:  # an options table on a command's own page: | `--name` | ... |
        for line in prose.splitlines():
            table = _TABLE_OPTION.match(line)
            if table:
                yield [group], table.group(1), line.strip()


def test_options_the_pages_document_exist() -> None:
    pages = [(p, p.stem) for p in sorted(DOCS.glob("*.md")) if p.stem != "index"]
    pages += [(p, None) for p in sorted(SITE.rglob("*.md"))]
    pages.append((DOCS / "index.md", None))
    cache: dict[tuple[str, ...], set[str]] = {}
    wrong = []
    for page, group in pages:
        if group is not None and group not in groups_from_help_cached():
            group = None  # a page that is not a command's (redaction.md)
        for path, name, where in documented_options(page.read_text(encoding="utf-8"), group):
            key = tuple(path)
            if key not in cache:
                cache[key] = valid_names(path)
            if name not in cache[key]:
                wrong.append(f"{page.relative_to(DOCS)}: {where}: ao {' '.join(path)} has no {name}")
    assert not wrong, "\n".join(wrong)


_GROUPS: list[str] = []


def groups_from_help_cached() -> list[str]:
    if not _GROUPS:
        _GROUPS.extend(groups_from_help())
    return _GROUPS


@pytest.mark.parametrize("text, expected", [
    ("Options:\n  -j, --jobs INTEGER RANGE  Checks run at once.\n  --user / --no-user  Include.\n"
     "  --kind [agent|codex-prompt]\n                                  Only these.\n  -h, --help  Show.\n",
     [("-j", "--jobs"), ("--user", "--no-user"), ("--kind",)]),
])
def test_option_parser(text: str, expected: list[tuple[str, ...]]) -> None:
    assert shown_options(text) == expected


def test_reverse_check_catches_a_made_up_option() -> None:
    text = "Run `ao gate run NAME --changed --bogus` or `ao rpi \"$(ao improve show ID --goal)\"`.\n"
    found = list(documented_options(text, None))
    assert [(p, n) for p, n, _ in found] == [(["gate", "run"], "--changed"), (["gate", "run"], "--bogus")]
    assert "--bogus" not in valid_names(["gate", "run"]) and "--changed" in valid_names(["gate", "run"])
