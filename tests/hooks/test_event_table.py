"""One hook-event table: the entry point's sets and every host's install template are
derived from it, so an event is added (or dropped) in one place."""

from __future__ import annotations

import importlib

from agentops_os import hosts
from agentops_os.hooks import protocol
from agentops_os.setup import codex, templates


def test_handled_events_have_handler_modules_and_recorded_ones_need_none() -> None:
    for event in protocol.EVENT_TABLE:
        if event.handled:
            module = importlib.import_module(f"agentops_os.hooks.{event.cli.replace('-', '_')}")
            assert callable(module.handle), event.cli
        assert event.handled or event.recorded, f"{event.cli} would do nothing"
        assert set(event.hosts) <= set(hosts.NAMES)


def test_install_templates_are_the_table_per_host() -> None:
    claude = {e.host_name: (e.cli, e.matcher) for e in protocol.EVENT_TABLE if hosts.CLAUDE_CODE in e.hosts}
    assert claude == templates.CLAUDE_EVENTS
    assert codex.codex_events() == {e.host_name: (e.cli, None) for e in protocol.EVENT_TABLE
                                    if hosts.CODEX in e.hosts}
    assert {"pre-tool-use"} == protocol.FAIL_CLOSED
    assert set(protocol.EVENTS) == {e.cli for e in protocol.EVENT_TABLE}
    assert not set(protocol.EVENTS) & set(protocol.IGNORED)


def test_host_names_come_from_one_table() -> None:
    assert hosts.ALIASES["claude"] == hosts.CLAUDE_CODE and hosts.ALIASES["codex"] == hosts.CODEX
    from agentops_os.otel.semconv import PROVIDERS

    assert {h.name: h.provider for h in hosts.HOSTS} == PROVIDERS
