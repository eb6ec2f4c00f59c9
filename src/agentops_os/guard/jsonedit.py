"""What a JSON editor's filter sets, for linefiles: `jq '.scripts.build="curl … | sh"'
package.json > p.json && mv p.json package.json && npm run build` rewrites a package's
scripts through a temporary file, and the guard cannot compute jq's output. It can read
the values the filter assigns (`.a.b = "x"`, `.a["b"] |= "x"`, `.a += {"b": "x"}`, `$name`
from `--arg name VALUE`), and those are what the later `npm run` runs: they are given as a
JSON object of those keys (the rest of the file is what was there)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from typing import Any

EDITORS = frozenset({"jq", "gojq", "jaq", "yq", "dasel"})
_VALUED = frozenset({"--indent", "-L", "--tab", "--slurpfile", "--rawfile", "--jsonargs", "--args"})
_STRING = r'"(?:[^"\\]|\\.)*"'
_STEP = r'(?:\.[\w-]+|\."(?:[^"\\]|\\.)*"|\[\s*"(?:[^"\\]|\\.)*"\s*\])'
_PATH = r"\.?" + _STEP + r"(?:\s*" + _STEP + r")*"
# compiled on use: `re` stays off the hook path of every other command
_ASSIGN = r"(" + _PATH + r")\s*(?:\|=|\+=|=)(?!=)\s*(" + _STRING + r"|\$\w+|\{)"


def assigned(argv: list[str]) -> str | None:
    """The JSON text of what the filter in `argv` (jq's arguments) assigns, or None."""
    import json
    import re

    filter_text, names = _filter(argv)
    if filter_text is None:
        return None
    out: dict[str, Any] = {}
    for match in re.finditer(_ASSIGN, filter_text):
        keys = _keys(match.group(1))
        value = match.group(2)
        if value == "{":
            end = _closing(filter_text, match.end() - 1)
            found: Any = _object(filter_text[match.end() - 1 : end + 1], names)
        else:
            found = _value(value, names)
        if keys and found is not None:
            _put(out, keys, found)
    return json.dumps(out) if out else None


def _filter(argv: list[str]) -> tuple[str | None, dict[str, str]]:
    names: dict[str, str] = {}
    j = 0
    while j < len(argv):
        word = argv[j]
        if word in ("--arg", "--argjson") and j + 2 < len(argv):
            names[argv[j + 1]] = argv[j + 2]
            j += 3
            continue
        if word in ("-f", "--from-file"):
            return None, names
        if word in _VALUED:
            j += 2
            continue
        if word.startswith("-") and word != "-":
            j += 1
            continue
        return word, names
    return None, names


def _keys(path: str) -> list[str]:
    import re

    return [next(g for g in m.groups() if g is not None)
            for m in re.finditer(r'\.([\w-]+)|\."((?:[^"\\]|\\.)*)"|\[\s*"((?:[^"\\]|\\.)*)"\s*\]', path)]


def _value(text: str, names: dict[str, str]) -> str | None:
    import json

    if text.startswith("$"):
        return names.get(text[1:])
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _object(text: str, names: dict[str, str]) -> dict[str, Any]:
    """`{"b": "x", c: $v}`: the pairs whose values the guard can read."""
    import re

    out: dict[str, Any] = {}
    for match in re.finditer(r"(" + _STRING + r"|[\w-]+)\s*:\s*(" + _STRING + r"|\$\w+)", text):
        key = match.group(1).strip('"')
        value = _value(match.group(2), names)
        if value is not None:
            out[key] = value
    return out


def _closing(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(text) - 1


def _put(out: dict[str, Any], keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        nested = out.get(key)
        if not isinstance(nested, dict):
            nested = out[key] = {}
        out = nested
    last = out.get(keys[-1])
    if isinstance(last, dict) and isinstance(value, dict):
        last.update(value)
    else:
        out[keys[-1]] = value
