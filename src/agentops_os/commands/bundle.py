"""`ao bundle create|list|show|load`: compressed context bundles (.agents/bundles/)."""

from __future__ import annotations

import sys

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError


@click.group("bundle")
def cli() -> None:
    """Compress notes, plans, logs and code into bundles; load them within budget."""


@cli.command("create")
@click.argument("name")
@click.argument("paths", nargs=-1, required=True)
@click.option("--ratio", type=float, help="Target compression ratio (default context.bundle_ratio, 5).")
@click.option("--llm", is_flag=True, help="Compress with the configured LLM runtime (context.llm_command).")
@click.option("--force", is_flag=True, help="Overwrite an existing bundle of this name.")
@click.option("--json", "as_json", is_flag=True, help="Print the bundle's metadata as JSON.")
def create(name: str, paths: tuple[str, ...], ratio: float | None, llm: bool, force: bool,
           as_json: bool) -> None:
    """Create bundle NAME from PATHS (files, directories, globs, - for stdin)."""
    from agentops_os.config import load_config
    from agentops_os.context.bundles import create as make
    from agentops_os.context.sources import collect
    from agentops_os.repo import require_root

    root = require_root()
    config = load_config(root)
    command = None
    if llm:
        command = str(config.get("context.llm_command") or "").strip()
        if not command:
            raise FatalError("no LLM runtime configured: set context.llm_command in agentops.toml "
                             "(the default extractive compression needs none)")
    stdin_text = sys.stdin.read() if "-" in paths else None
    collected = collect(list(paths), stdin_text=stdin_text)
    path, meta = make(root, name, collected, ratio=ratio or float(config.get("context.bundle_ratio")),
                      llm_command=command, force=force)
    if collected.binary:
        render.info(f"skipped {len(collected.binary)} binary file(s): {', '.join(collected.binary)}")
    if as_json:
        render.emit_json({"path": str(path.relative_to(root)), **meta})
        return
    sys.stdout.write(f"wrote {path.relative_to(root)}: {meta['tokens_before']} -> {meta['tokens_after']} "
                     f"tokens ({meta['ratio']}:1) from {len(meta['sources'])} source(s)\n")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_(as_json: bool) -> None:
    """Bundles with their sizes and ratios."""
    from agentops_os.context.bundles import list_bundles
    from agentops_os.repo import require_root

    errors: list[str] = []
    docs = list_bundles(require_root(), errors)
    rows = [{"name": d.get("name") or d.path.stem, "sources": len(d.get("sources") or []),
             "tokens_before": d.get("tokens_before"), "tokens_after": d.get("tokens_after"),
             "ratio": d.get("ratio"), "created": d.get("created")} for d in docs]
    if as_json:
        render.emit_json({"bundles": rows, "errors": errors})
    else:
        render.table(["name", "sources", "before", "after", "ratio", "created"],
                     [tuple(r.values()) for r in rows])
    for error in errors:
        render.info(f"skipped: {error}")


@cli.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(name: str, as_json: bool) -> None:
    """Print a bundle with its metadata."""
    from agentops_os.context.bundles import read
    from agentops_os.repo import require_root

    doc = read(require_root(), name)
    if as_json:
        render.emit_json({"meta": doc.meta, "body": doc.body})
        return
    meta = doc.meta
    sys.stdout.write(f"bundle  {meta.get('name')}\ncreated {meta.get('created')}\n"
                     f"tokens  {meta.get('tokens_before')} -> {meta.get('tokens_after')} "
                     f"({meta.get('ratio')}:1, {meta.get('method')})\nsources\n")
    for source in meta.get("sources") or []:
        sys.stdout.write(f"  {source.get('path')}  sha256:{str(source.get('sha256'))[:12]}  "
                         f"{source.get('tokens')} tokens\n")
    sys.stdout.write("\n" + doc.body)


@cli.command("load")
@click.argument("name")
@click.option("--budget", type=int, help="Token budget (default: context.budget_fraction of the window).")
@click.option("--model", help="Model whose window sets the default budget.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def load(name: str, budget: int | None, model: str | None, as_json: bool) -> None:
    """Print a bundle for injection, budget-checked; warn if its sources changed."""
    from agentops_os.config import load_config
    from agentops_os.context.bundles import load as load_bundle
    from agentops_os.context.tokens import factor_for
    from agentops_os.repo import require_root

    root = require_root()
    config = load_config(root)
    if budget is None:
        budget = int(config.window_for(model) * float(config.get("context.budget_fraction")))
    if budget <= 0:
        raise FatalError(f"--budget must be a positive number of tokens, got {budget}")
    loaded = load_bundle(root, name)
    tokens = round(loaded.tokens * factor_for(model or config.get("context.default_model"),
                                              config.get("context.token_factors", {})))
    for path in loaded.changed:
        render.info(f"warning: {path} changed since bundle {name!r} was made (re-create it)")
    for path in loaded.missing:
        render.info(f"warning: {path} is gone since bundle {name!r} was made")
    if tokens > budget:
        raise CheckFailed(f"bundle {name!r} has {tokens} tokens, over the budget of {budget}")
    if as_json:
        render.emit_json({"name": name, "tokens": tokens, "budget": budget, "changed": loaded.changed,
                          "missing": loaded.missing, "body": loaded.body})
        return
    sys.stdout.write(loaded.body)
