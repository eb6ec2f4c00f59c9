"""A second opinion from a real bash parser (tree-sitter-bash), loaded only for shell
commands the guard's own lexer found worth a look.

The guard's lexer (`shell`) follows bash's quoting closely, but a lexer written by hand
can be wrong where bash is odd. tree-sitter-bash is a full grammar of bash: when it
finds a syntax error, or sees a program the lexer did not, the command is asked, never
allowed. Both must agree before a command passes.

Hook latency: `import tree_sitter` pulls in `typing`, and `tree_sitter_bash` pulls in
`importlib.resources` (together ~30 ms, more than the whole hook budget), so the two C
extension modules are loaded directly from their files, which costs about 2 ms.
Lines made only of plain words and list operators (`git status`, `pytest -q && git
status`) skip the parser: there is nothing in them a second parser could read
differently. A command already denied skips it too: a second reading can only ask.
"""

from __future__ import annotations

import os
import sys

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Command

# Characters that can change how bash reads a line; a line with none of them is a plain
# list of words, which both parsers read alike.
_SPECIAL = frozenset("'\"\\$`(){}[]<>|&;*?~#!\n\t=%")
_parser: Any = None
_failed: str | None = None

# Words that tree-sitter-bash reports as a command name but that are not programs the
# guard looks for (reserved words and the test bracket are structure, not programs).
_STRUCTURE = frozenset({"[", "[[", "]]", "]", "!", "{", "}", "time", "coproc"})


def _load_binding(package: str) -> Any:
    import _frozen_importlib as bootstrap  # both are already loaded by every interpreter
    import _frozen_importlib_external as external

    name = f"{package}._binding"
    if name in sys.modules:
        return sys.modules[name]
    spec = external.PathFinder.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{package} is not installed")
    for directory in spec.submodule_search_locations:
        for entry in sorted(os.listdir(directory)):
            if entry.startswith("_binding.") and entry.endswith((".so", ".pyd")):
                loader = external.ExtensionFileLoader(name, os.path.join(directory, entry))
                found = bootstrap.spec_from_loader(name, loader)
                if found is None:
                    continue
                module = bootstrap.module_from_spec(found)
                loader.exec_module(module)
                sys.modules[name] = module
                return module
    raise ImportError(f"{package} has no compiled binding")


def parser() -> Any:
    """The tree-sitter bash parser, built once per process (None if it cannot load)."""
    global _parser, _failed
    if _parser is None and _failed is None:
        try:
            core = _load_binding("tree_sitter")
            grammar = _load_binding("tree_sitter_bash")
            _parser = core.Parser(core.Language(grammar.language()))
        except (ImportError, OSError, AttributeError, ValueError, TypeError) as exc:
            _failed = f"{type(exc).__name__}: {exc}"
    return _parser


def program_names(source: str) -> tuple[list[str], bool] | None:
    """Names of every command tree-sitter-bash sees (as written), and whether it found
    a syntax error. None when the parser is not available."""
    ts = parser()
    if ts is None:
        return None
    data = source.encode("utf-8", "surrogatepass")
    tree = ts.parse(data)
    names: list[str] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "command_name":
            names.append(data[node.start_byte : node.end_byte].decode("utf-8", "replace"))
        stack.extend(node.children)
    return names, tree.root_node.has_error


def _plain(name: str) -> str:
    """`\\rm`, `'rm'`, `"/bin/rm"` -> rm: what the lexer would call the program."""
    text = name.replace("\\\n", "").replace("\\", "").replace("'", "").replace('"', "")
    return os.path.basename(text) or text


def plain_list(source: str) -> bool:
    """True for a line of plain words joined only by `&&`, `||`, `|` and `;`
    (`pytest -q && git status`): both parsers split such a line at the same places, so
    the second opinion (and the ~4 ms its C extension costs to load) is not needed.
    Anything else that bash reads specially (a lone `&`, `|&`, quotes, `$`, newlines)
    still goes to tree-sitter-bash."""
    rest = source.replace("&&", " ").replace("||", " ").replace("|", " ").replace(";", " ")
    return not any(c in _SPECIAL for c in rest)


def cross_check(
    judge: Scope, source: str, commands: list[Command], rewritten: set[str] | None = None
) -> Verdict | None:
    """Ask when tree-sitter-bash reads `source` differently from the guard's lexer
    (`rewritten`: words as written before the guard put known variable values in)."""
    if plain_list(source):
        return None
    found = program_names(source)
    if found is None:
        return None  # not installed: the lexer alone judges (ao doctor reports it)
    names, has_error = found
    if has_error and "<<" in source:
        from agentops_os.guard.shell import heredocs_closed

        closed = heredocs_closed(source)
        if closed != source:
            found = program_names(closed)
            names, has_error = found if found is not None else (names, has_error)
    if has_error:
        return judge.verdict(
            "unparseable",
            "ask",
            "bash's grammar (tree-sitter-bash) finds a syntax error in this command; please confirm",
        )
    seen = set(rewritten or ())
    for command in commands:
        for word in command.words:
            seen.add(_plain(word.text))
            seen.add(word.text)
    missing = [n for n in names if n not in _STRUCTURE and _plain(n) not in seen and n not in seen]
    if missing:
        return judge.verdict(
            "unparseable",
            "ask",
            f"bash would also run {missing[0][:60]!r}, which the guard's lexer did not see; please confirm",
        )
    return None
