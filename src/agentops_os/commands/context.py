"""`ao context count|check|status`: token budgets and the 40% rule."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError


@click.group("context")
def cli() -> None:
    """Count tokens, check files against the 40% budget, show a session's utilisation."""


def _collect(paths: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from agentops_os.context.sources import collect

    stdin_text = sys.stdin.read() if "-" in paths else None
    return collect(list(paths), stdin_text=stdin_text)


def _report_binary(binary: list[str]) -> None:
    if binary:
        render.info(f"skipped {len(binary)} binary file(s): {', '.join(binary[:10])}"
                    + (" ..." if len(binary) > 10 else ""))


@cli.command("count")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def count(paths: tuple[str, ...], as_json: bool) -> None:
    """Estimated tokens of files, directories (honouring .gitignore), globs or - (stdin)."""
    from agentops_os.context.budget import count_sources
    from agentops_os.context.tokens import METHOD

    collected = _collect(paths)
    counts = count_sources(collected)
    total = sum(c.tokens for c in counts)
    if as_json:
        render.emit_json({"method": METHOD, "total": total,
                          "files": [{"path": c.name, "tokens": c.tokens, "chars": c.chars} for c in counts],
                          "binary_skipped": collected.binary})
    else:
        rows = [(c.name, c.tokens) for c in counts]
        if len(rows) > 1:
            rows.append(("total", total))
        render.table(["path", "tokens"], rows)
    _report_binary(collected.binary)


@cli.command("check")
@click.argument("paths", nargs=-1, required=True)
@click.option("--model", help="Model whose window applies (default: context.default_model).")
@click.option("--window", type=int, help="Context window in tokens (overrides the model's).")
@click.option("--fraction", type=float, help="Budget as a fraction of the window (default 0.40).")
@click.option("--top", type=int, default=10, show_default=True, help="Biggest contributors to list.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def check(paths: tuple[str, ...], model: str | None, window: int | None, fraction: float | None,
          top: int, as_json: bool) -> None:
    """Check that PATHS fit the budget; exit 1 above it."""
    from agentops_os.config import load_config
    from agentops_os.context.budget import check as run_check
    from agentops_os.repo import find_root

    config = load_config(find_root())
    from agentops_os.context.budget import resolve_budget

    resolve_budget(config, model, window, fraction)  # range errors before reading files
    collected = _collect(paths)
    report = run_check(collected, config, model=model, window=window, fraction=fraction)
    if as_json:
        render.emit_json(report.to_json(top))
    else:
        render.table(["path", "tokens", "share"],
                     [(c.name, c.tokens, f"{c.tokens / report.total:.0%}" if report.total else "-")
                      for c in report.biggest(top)], title="biggest contributors")
        verdict = "OVER BUDGET" if report.over else "within budget"
        sys.stdout.write(
            f"{report.total} tokens in {len(report.counts)} file(s) = {report.utilisation:.1%} of "
            f"{report.window} ({report.model}); budget {report.budget} "
            f"({report.fraction:.0%}): {verdict}\n")
    _report_binary(collected.binary)
    if report.over:
        raise CheckFailed(f"{report.total} tokens exceed the budget of {report.budget} "
                          f"({report.fraction:.0%} of {report.window})")


@cli.command("status")
@click.option("--session", help="Claude Code session id (default: newest session of this repo).")
@click.option("--transcript", type=click.Path(path_type=Path, dir_okay=False),
              help="Read this transcript file (Claude Code or Codex) instead.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def status(session: str | None, transcript: Path | None, as_json: bool) -> None:
    """Current and peak context utilisation of a session, from its transcript."""
    from agentops_os.config import load_config
    from agentops_os.context.live import find_transcript, session_usage
    from agentops_os.repo import require_root

    root = require_root()
    config = load_config(root)
    path = transcript or find_transcript(root, session)
    if path is None:
        what = f"session {session}" if session else f"this repository ({root})"
        raise FatalError(f"no Claude Code transcript found for {what} under ~/.claude/projects "
                         "(or CLAUDE_CONFIG_DIR); pass --transcript PATH")
    if not path.is_file():
        raise FatalError(f"{path}: no such transcript file")
    usage = session_usage(path)
    if usage is None:
        raise FatalError(f"{path}: no assistant usage recorded yet")
    window = usage.window or config.window_for(usage.model)
    warn, stop = float(config.get("context.warn_fraction")), float(config.get("context.stop_fraction"))
    current, peak = usage.tokens / window, (usage.peak or 0) / window
    level = "stop" if current >= stop else "warn" if current >= warn else "ok"
    data = {"transcript": str(path), "model": usage.model, "window": window,
            "current_tokens": usage.tokens, "current": round(current, 4),
            "peak_tokens": usage.peak, "peak": round(peak, 4), "requests": usage.requests,
            "compactions": usage.compactions, "level": level,
            "warn_fraction": warn, "stop_fraction": stop}
    if as_json:
        render.emit_json(data)
        return
    sys.stdout.write(
        f"session  {path.stem}\nmodel    {usage.model or '?'} (window {window})\n"
        f"current  {usage.tokens} tokens = {current:.1%}\n"
        f"peak     {usage.peak} tokens = {peak:.1%}\n"
        f"requests {usage.requests}, compactions {usage.compactions}\n"
        f"level    {level} (warn at {warn:.0%}, stop at {stop:.0%})\n")
