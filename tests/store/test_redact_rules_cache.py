"""The redaction rule tables cached in the user cache: the same tables as the JSON, never a
stale or broken cache taken for the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_os.store import redact


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "agentops"


def _tables(rules: redact._Rules) -> tuple[object, ...]:
    return rules.ids, rules.sources, rules.judges, rules.case_rules, rules.by_keyword


def test_the_first_process_writes_the_cache_and_the_next_reads_the_same_tables(cache: Path) -> None:
    fresh = redact._Rules()
    files = list(cache.glob("redaction-rules-*.marshal"))
    assert len(files) == 1
    again = redact._Rules()
    assert _tables(again) == _tables(fresh)
    raw = Path(redact.RULES_FILE).read_bytes()
    assert redact._cached_tables(raw) is not None
    assert _tables(fresh) == tuple(redact._index(raw))


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\xe9" * 40])
def test_a_broken_cache_falls_back_to_the_rule_file(cache: Path, damage: bytes) -> None:
    expected = _tables(redact._Rules())
    (path,) = cache.glob("redaction-rules-*.marshal")
    path.write_bytes(damage)
    assert _tables(redact._Rules()) == expected


def test_a_cache_of_another_shape_is_not_taken_for_the_rules(cache: Path) -> None:
    import marshal

    expected = _tables(redact._Rules())
    (path,) = cache.glob("redaction-rules-*.marshal")
    path.write_bytes(marshal.dumps(([], ["only one table"], [], [], ())))
    assert _tables(redact._Rules()) == expected


def test_changed_rules_are_never_read_from_an_old_cache(cache: Path) -> None:
    raw = Path(redact.RULES_FILE).read_bytes()
    assert redact._cache_file(raw) != redact._cache_file(raw + b" ")


def test_an_unwritable_cache_is_only_a_slower_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    rules = redact._Rules()
    assert rules.ids and redact.Redactor().text("token ghp_" + "a1B2" * 9) != "token ghp_" + "a1B2" * 9
