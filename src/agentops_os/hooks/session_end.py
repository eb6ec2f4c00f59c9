"""SessionEnd: write a handoff when a session ends (clear, logout, exit...)."""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    from agentops_os.context.auto import auto_handoff

    reason = context.payload.get("reason")
    auto_handoff(context, "context.handoff_on_session_end",
                 f"session-end-{reason}" if isinstance(reason, str) else "session-end")
    export_in_background(context)
    return None


def export_in_background(context: HookContext) -> None:
    """`otel.export_on_session_end`: start `ao export otel --session ID` detached (its own
    process group, so it outlives the hook that the host kills after its short SessionEnd
    budget) and return at once; its errors go to `.agents/.index/otel-export.log`."""
    from agentops_os.config import load_config

    session = context.payload.get("session_id")
    if not isinstance(session, str) or not session or not load_config(context.root).get(
            "otel.export_on_session_end"):
        return
    import subprocess
    import sys

    from agentops_os.repo import index_dir

    log_dir = index_dir(context.root)
    log_dir.mkdir(parents=True, exist_ok=True)
    with open(log_dir / "otel-export.log", "ab") as log:
        subprocess.Popen([sys.executable, "-m", "agentops_os", "export", "otel", "--session", session],
                         cwd=context.root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
                         start_new_session=True)
