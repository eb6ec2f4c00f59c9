"""JSON decoding without `import json`, for the hook path.

`import json` pulls in `re` and its dependencies (about half a bare interpreter start);
the C scanner behind `json.loads` (`_json.make_scanner`) needs none of that. Used by
`hooks/entry.py` for stdin and by `context/tail.py` for transcript lines.
"""

from __future__ import annotations


class ScanContext:
    """The attributes `_json.make_scanner` reads: the defaults of `json.loads`."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> float:
        return float(name.replace("Infinity", "inf"))


WHITESPACE = " \t\n\r"


def make_scan():  # type: ignore[no-untyped-def]
    """`scan(text, index) -> (value, end)`, or None without the `_json` accelerator."""
    try:
        import _json

        return _json.make_scanner(ScanContext())  # type: ignore[arg-type]
    except (ImportError, AttributeError):  # pragma: no cover - pure-Python interpreters
        return None


def loads_or_none(text: str, scan: object = None) -> object:
    """The JSON value of `text`, or None when it is not exactly one JSON value.

    For input we may skip (a cut or garbled transcript line); callers that must name
    the problem use `json.loads`."""
    scan = scan or make_scan()
    start = len(text) - len(text.lstrip(WHITESPACE))
    if scan is None:  # pragma: no cover
        import json

        try:
            return json.loads(text)
        except ValueError:
            return None
    try:
        value, end = scan(text, start)  # type: ignore[operator]
    except Exception:  # noqa: BLE001 - StopIteration, ValueError or a bare SystemError
        return None
    return None if text[end:].strip(WHITESPACE) else value


def dumps(value: object) -> str:
    """`json.dumps(value)` (default separators, ensure_ascii) for dicts with str keys,
    lists, str, int, finite float, bool and None, without importing `json`; anything
    else falls back to `json.dumps`, so the output is always the same as `json`'s."""
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:  # pragma: no cover - pure-Python interpreters
        quote = None  # type: ignore[assignment]
    if quote is None or not _plain(value):
        import json

        return json.dumps(value)
    parts: list[str] = []
    _encode(value, parts, quote, ", ", ": ", False)
    return "".join(parts)


def canonical(value: object) -> str:
    """`json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
    without importing `json`: the audit ledger hashes this form and writes it from the
    guard's deny path. Same fallback rule as `dumps`."""
    try:
        from _json import encode_basestring as quote
    except ImportError:  # pragma: no cover - pure-Python interpreters
        quote = None  # type: ignore[assignment]
    if quote is None or not _plain(value):
        import json

        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    parts: list[str] = []
    _encode(value, parts, quote, ",", ":", True)
    return "".join(parts)


def _plain(value: object) -> bool:
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return value - value == 0  # finite
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    return False


def _encode(value: object, parts: list[str], quote: object, comma: str, colon: str,
            sort_keys: bool) -> None:
    if isinstance(value, str):
        parts.append(quote(value))  # type: ignore[operator]
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, float):
        parts.append(float.__repr__(value))
    elif isinstance(value, list):
        parts.append("[")
        for i, item in enumerate(value):
            if i:
                parts.append(comma)
            _encode(item, parts, quote, comma, colon, sort_keys)
        parts.append("]")
    else:
        items = value.items()  # type: ignore[attr-defined]
        parts.append("{")
        for i, (key, item) in enumerate(sorted(items) if sort_keys else items):
            if i:
                parts.append(comma)
            parts.append(quote(key))  # type: ignore[operator]
            parts.append(colon)
            _encode(item, parts, quote, comma, colon, sort_keys)
        parts.append("}")
