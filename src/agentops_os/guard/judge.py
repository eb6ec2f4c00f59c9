"""Judge one agent tool call against the guard policy: allow (no objection), ask or deny.

"allow" is never sent to the agent: a hook that answers allow would skip Claude Code's
own permission prompt. Only ask and deny are answered; everything else stays silent.

Import direction (checked by tests/guard/test_import_graph.py): judge -> tools ->
commands -> rules_* -> argv/unwrap/shell -> scope -> policy -> verdict. Nothing below
imports anything above it.
"""

from __future__ import annotations

from agentops_os.guard.scope import DISKS, Scope
from agentops_os.guard.verdict import ALLOW, RANK, Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ALLOW", "DISKS", "RANK", "Judge", "Verdict", "worst"]


class Judge(Scope):
    """The guard's entry point: a Scope that can judge whole tool calls."""

    def tool(self, tool_name: str, tool_input: dict[str, Any]) -> Verdict:
        """The verdict for one Claude Code tool call."""
        from agentops_os.guard import tools

        self._forget_line()
        return tools.judge_tool(self, tool_name, tool_input)

    def bash(self, command: str) -> Verdict:
        from agentops_os.guard import commands

        self._forget_line()
        return commands.judge_command(self, command)

    def _forget_line(self) -> None:
        """Downloads, links, git aliases and remotes belong to the command line that made
        them, not the next call."""
        self.downloaded.clear()
        self.links.clear()
        self.renamed.clear()
        self.git_line.clear()
