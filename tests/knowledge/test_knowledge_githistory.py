from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.knowledge.githistory import HistoryReport, parse_stream

STREAM = (
    "\x1eaaa\x1f1700000000\x1fAnn <a@x>\x1ffix: résumé ✓\n\nBody line\nRefs: #1\n\x1f"
    "\nsrc/a.py\nsrc/日本.py\n"
    "\x1ebbb\x1f1700000100\x1fBob <b@x>\x1fchore: bump\n\x1f\n"
    "\x1eccc\x1fnot-a-time\x1fEve <e@x>\x1fbroken\x1f\n"
).encode()


def test_rows_and_skips() -> None:
    report = HistoryReport()
    rows = list(parse_stream(iter([STREAM]), report))
    assert rows == [
        ("fix: résumé ✓", "Body line\nRefs: #1", "src/a.py\nsrc/日本.py", "Ann <a@x>", "aaa", 1700000000),
        ("chore: bump", "", "", "Bob <b@x>", "bbb", 1700000100),
    ]
    assert report.skipped == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=8))
def test_chunk_boundaries_never_change_the_rows(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    chunks = [STREAM[a:b] for a, b in zip([0, *points], [*points, len(STREAM)], strict=True)]
    whole = list(parse_stream(iter([STREAM]), HistoryReport()))
    assert list(parse_stream(iter(chunks), HistoryReport())) == whole
