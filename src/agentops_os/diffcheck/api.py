"""Public API of a source file, to tell removed or incompatibly changed API (bridge torching).

Python is read with `ast`: public top-level functions and classes and the public methods
of public classes, with their parameters. Other languages use per-language rules for
their export syntax (JS/TS `export`, Go capitalised names, Rust/Java `pub`/`public`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_EXPORT_RULES: dict[tuple[str, ...], re.Pattern[str]] = {
    (".js", ".jsx", ".ts", ".tsx", ".mjs"): re.compile(
        r"^\s*export\s+(?:default\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum)"
        r"\s+([A-Za-z_$][\w$]*)"),
    (".go",): re.compile(r"^func\s+(?:\([^)]*\)\s*)?([A-Z]\w*)\s*\("),
    (".rs",): re.compile(r"^\s*pub\s+(?:async\s+)?(?:fn|struct|enum|trait|type|const)\s+(\w+)"),
    (".java", ".kt"): re.compile(r"^\s*public\s+(?:static\s+)?(?:final\s+)?[\w<>\[\], ]+?\s+(\w+)\s*\("),
}


Params = tuple[tuple[str, str, bool], ...]  # (name, kind, has_default)


@dataclass(frozen=True)
class Symbol:
    name: str
    line: int
    params: tuple[tuple[str, str, bool], ...] | None  # (name, kind, has_default); None: not callable


def public_api(path: str, text: str) -> dict[str, Symbol] | None:
    """name -> Symbol; None when the language has no rule or the file does not parse."""
    if path.endswith(".py"):
        return _python(text)
    for suffixes, pattern in _EXPORT_RULES.items():
        if path.endswith(suffixes):
            found: dict[str, Symbol] = {}
            for number, line in enumerate(text.splitlines(), start=1):
                match = pattern.match(line)
                if match:
                    found.setdefault(match.group(1), Symbol(match.group(1), number, None))
            return found
    return None


def _python(text: str) -> dict[str, Symbol] | None:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    found: dict[str, Symbol] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            found[node.name] = Symbol(node.name, node.lineno, _params(node))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            found[node.name] = Symbol(node.name, node.lineno, None)
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and (
                        not item.name.startswith("_") or item.name == "__init__"):
                    name = f"{node.name}.{item.name}"
                    found[name] = Symbol(name, item.lineno, _params(item, method=True))
    return found


def _params(node: ast.FunctionDef | ast.AsyncFunctionDef, method: bool = False) -> Params:
    args = node.args
    out: list[tuple[str, str, bool]] = []
    positional = [*args.posonlyargs, *args.args]
    defaults_from = len(positional) - len(args.defaults)
    for index, arg in enumerate(positional):
        kind = "posonly" if index < len(args.posonlyargs) else "positional"
        out.append((arg.arg, kind, index >= defaults_from))
    if args.vararg:
        out.append((args.vararg.arg, "varargs", True))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        out.append((arg.arg, "keyword", default is not None))
    if args.kwarg:
        out.append((args.kwarg.arg, "varkw", True))
    if method and out and out[0][0] in ("self", "cls"):
        out = out[1:]
    return tuple(out)


def incompatible(old: Params, new: Params) -> str | None:
    """Why a caller of `old` could break with `new`, or None if every old call still works."""
    new_by_name = {p[0]: p for p in new}
    has_varkw = any(p[1] == "varkw" for p in new)
    old_positional = [p for p in old if p[1] in ("posonly", "positional")]
    new_positional = [p for p in new if p[1] in ("posonly", "positional")]
    for index, param in enumerate(old_positional):
        if index >= len(new_positional):
            if not any(p[1] == "varargs" for p in new):
                return f"parameter '{param[0]}' removed"
            continue
        if new_positional[index][0] != param[0] and param[1] == "positional":
            return f"parameter '{param[0]}' renamed or moved (now '{new_positional[index][0]}')"
    for param in old:
        if param[1] == "keyword" and param[0] not in new_by_name and not has_varkw:
            return f"keyword parameter '{param[0]}' removed"
    old_names = {p[0] for p in old}
    for param in new:
        if param[0] not in old_names and not param[2] and param[1] not in ("varargs", "varkw"):
            return f"new required parameter '{param[0]}'"
    for param in old:
        if param[2] and param[0] in new_by_name and not new_by_name[param[0]][2]:
            return f"parameter '{param[0]}' lost its default"
    return None


def functions(text: str) -> list[tuple[str, int, int]]:
    """(qualified name, first line, last line) of every Python function in `text`."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    out: list[tuple[str, int, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                out.append((name, child.lineno, child.end_lineno or child.lineno))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")

    visit(tree, "")
    return out
