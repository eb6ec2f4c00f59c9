"""`ao` command line: parse arguments and dispatch, nothing else.

Each command group is one module under `agentops_os/commands/` exposing `cli` (a click
command or group) and found by file name, so a new command touches no shared file and
`ao <group>` imports only its own module. Errors are turned into one line and an exit
code by `handle_errors`.
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from agentops_os import __version__
from agentops_os.errors import EXIT_CRASH, FatalError

COMMANDS_DIR = Path(__file__).resolve().parent / "commands"


def _command_names() -> list[str]:
    names = []
    for path in COMMANDS_DIR.glob("*.py"):
        if path.stem.startswith("_"):
            continue
        names.append(path.stem.rstrip("_").replace("_", "-"))
    return sorted(names)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*_command_names(), *self.commands])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in _command_names():
            return None
        module_name = cmd_name.replace("-", "_")
        if module_name in ("import", "global"):  # keywords get a trailing underscore
            module_name += "_"
        module = importlib.import_module(f"agentops_os.commands.{module_name}")
        command: click.Command = module.cli
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ao", message="%(prog)s %(version)s")
def cli() -> None:
    """AgentOps: the operations layer for AI coding agents.

    Records every agent session, keeps context inside a budget, carries learnings into
    the next session, gates every step, and guards dangerous tool calls. State lives in
    plain text under .agents/ next to your code. See docs/ for every command.
    """


@cli.command("hook", context_settings={"ignore_unknown_options": True})
@click.argument("event", required=False)
def hook(event: str | None) -> None:
    """Claude Code hook entry point (reads hook JSON on stdin)."""
    # Only reached via `ao --help`-style introspection; `ao hook` itself is dispatched
    # before this module is imported (see agentops_os.entry).
    from agentops_os.hooks.entry import run_hook

    raise SystemExit(run_hook([event] if event else []))


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=argv, prog_name="ao", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("ao: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return 2 if isinstance(exc, click.UsageError) else int(exc.exit_code or 2)
    except FatalError as exc:
        click.echo(f"ao: {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    except KeyboardInterrupt:
        click.echo("ao: interrupted", err=True)
        return 130
    except BrokenPipeError:
        # Output piped into `head`: the reader went away; not an error of ours.
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the one place unexpected crashes land
        return report_crash(argv, exc)
    return 0


def report_crash(argv: list[str] | None, exc: BaseException) -> int:
    """A crash log and two lines on stderr instead of a traceback (also for `agentops_os.fast`)."""
    log = write_crash_log(argv, exc)
    sys.stderr.write(f"ao: unexpected error: {type(exc).__name__}: {exc}\n"
                     f"ao: details for a bug report are in {log}\n")
    return EXIT_CRASH


def write_crash_log(argv: list[str] | None, exc: BaseException) -> Path:
    # Imported here: only a crash needs them, and they cost ~30 ms on every start.
    import platform
    import tempfile
    import traceback

    directory = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agentops"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        directory = Path(tempfile.gettempdir())
    path = directory / f"crash-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
    info: dict[str, Any] = {
        "ao": __version__,
        "python": sys.version.replace("\n", " "),
        "platform": platform.platform(),
        "argv": argv if argv is not None else sys.argv[1:],
    }
    lines = [f"{k}: {v}" for k, v in info.items()]
    lines.append("")
    lines.extend(traceback.format_exception(exc))
    text = "\n".join(lines)
    # argv and exception messages can carry tokens; built-in rules only (the config may be
    # why we crashed)
    try:
        from agentops_os.store.redact import redact_text

        text = redact_text(text)
    except Exception:  # noqa: BLE001 - a crash log without redaction is not written at all
        text = "\n".join(lines[:3]) + "\n(redaction failed: argv and traceback withheld)\n"
    path.write_text(text, encoding="utf-8")
    return path
