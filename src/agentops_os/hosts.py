"""The agent hosts ao works with: one row each, the one place their names are spelled.

A host is an agent CLI whose sessions ao records and whose hooks it serves. What differs
per host lives in its row (aliases users type, the telemetry provider name, where its
hook registrations go); which hook events each host sends is in the event table
(`agentops_os.hooks.protocol.EVENT_TABLE`). Adding the next host starts here.

Imports nothing: the hook path reads these names.
"""

from __future__ import annotations

CLAUDE_CODE = "claude-code"
CODEX = "codex"


class Host:
    __slots__ = ("name", "aliases", "provider", "hooks_file")

    def __init__(self, name: str, aliases: tuple[str, ...], provider: str, hooks_file: str) -> None:
        self.name = name  # as recorded in the ledger and shown by `ao sessions`
        self.aliases = aliases  # what `--agent` also accepts
        self.provider = provider  # `gen_ai.provider.name` of its model calls (OpenTelemetry)
        self.hooks_file = hooks_file  # repo-relative file where `ao init` registers hooks


HOSTS: tuple[Host, ...] = (
    Host(CLAUDE_CODE, ("claude",), "anthropic", ".claude/settings.json"),
    Host(CODEX, (), "openai", ".codex/hooks.json"),
)

NAMES: tuple[str, ...] = tuple(h.name for h in HOSTS)
# Every spelling `--agent` accepts -> the host's name.
ALIASES: dict[str, str] = {alias: h.name for h in HOSTS for alias in (h.name, *h.aliases)}
PROVIDERS: dict[str, str] = {h.name: h.provider for h in HOSTS}
