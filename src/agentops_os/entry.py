"""Console entry point for `ao`.

`ao hook ...` runs on every agent tool call, so it is dispatched here before anything
else is imported: the CLI framework, rich and the domain modules stay out of that path.
`ao prime` and `ao gate run` take a similar short cut (`agentops_os.fast`).
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["hook"]:
        from agentops_os.hooks.entry import run_hook

        return run_hook(args[1:])
    if args[:1] == ["prime"] or args[:2] == ["gate", "run"]:  # see agentops_os.fast
        from agentops_os.fast import dispatch

        code = dispatch(args)
        if code is not None:
            return code
    from agentops_os.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
