"""Shell functions a command line defines, what calling one runs, and functions that are
fork bombs.

`function cleanup { git push --force origin main; }; cleanup` and `gp(){ command git push
"$@"; }; gp --force origin main` hide their command behind a name: the call `gp --force
origin main` is an unknown program to the rules, and the body, read alone, pushes "$@".
So the body is judged at each call with the call's arguments as its positional
parameters (`$1`…, `"$@"`, as positional.py does for `sh -c SCRIPT ARGS`). A function
the line never calls still has its body judged alone, where it stands.

Every spelling bash accepts is read from the tokens: `NAME() {…}`, `NAME () (…)`,
`function NAME {…}`, `function NAME() {…}`, `function NAME (…)`, also inside a quoted
script (`bash -c 'f(){ …; }; f'`) or a command substitution.

A function that starts itself as a new process (in the background, in a pipeline, a
subshell or a substitution) with no test that could end the recursion is a fork bomb,
whatever its name or spacing (`:(){ :|:& };:`, `f() { f & f; }`, `function b { b|b& }`);
functions that call each other that way count too.
"""

from __future__ import annotations

from agentops_os.guard.shell import (
    REDIRECTS,
    Command,
    Op,
    ShellSyntaxError,
    Token,
    Word,
    commands_of,
    tokenize,
)

MAX_NESTED = 3  # quoted scripts or substitutions inside each other that are searched
# Reserved words after which the next word is again in command position.
_COMMAND_START = frozenset({"{", "}", "(", "then", "else", "elif", "do", "if", "while", "until", "!", "time"})
_RESERVED = _COMMAND_START | {"fi", "done", "esac", "for", "select", "case", "in", "function", "[[", "]]"}
_COMPOUND_END = {"if": "fi", "case": "esac", "for": "done", "while": "done", "until": "done"}
_COMPOUND_END["select"] = "done"
# Commands and words that can end a recursion (a base case): a test, or leaving the function.
_TESTS = frozenset({"if", "case", "while", "until", "[", "[[", "test", "return", "exit", "break"})
_BACKGROUND = frozenset({"&"})
_PIPES = frozenset({"|", "|&"})


def may_define(source: str) -> bool:
    """A cheap first look: could `source` define a function at all?"""
    return "function" in source or "()" in source.replace(" ", "").replace("\t", "")


class Functions:
    """The functions one command line defines (name -> the token lists of its bodies)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.bodies: dict[str, list[list[Token]]] = {}
        self._seen: set[tuple[str, str]] = set()
        self._inside: dict[str, set[int]] = {}  # name -> ids of the line's own tokens in its bodies
        self._names: set[int] = set()  # ids of the line's own name tokens of `NAME() …`
        self._scan(tokens, 0, top=True)

    def __bool__(self) -> bool:
        return bool(self.bodies)

    def owners(self, names: set[str]) -> dict[int, set[str]]:
        """Ids of the line's own words in a body of one of `names` -> those functions."""
        out: dict[int, set[str]] = {}
        for name in names:
            for word in self._inside.get(name, ()):
                out.setdefault(word, set()).add(name)
        return out

    def is_definition(self, command: Command) -> bool:
        """`gp` of `gp(){ …; }`: the name, read as a command of its own, is no call."""
        return bool(command.words) and id(command.words[0]) in self._names

    def bound(self, name: str, args: list[Word]) -> list[list[Command]]:
        """Each body of `name`, parsed afresh, with `args` as its positional parameters
        (`$0` stays unknown: in a function it is the shell's name)."""
        from agentops_os.guard.positional import bind

        out: list[list[Command]] = []
        for body in self.bodies.get(name, []):
            commands = commands_of(body)
            bind(commands, [Word("$0", dynamic=True), *args])
            out.append(commands)
        return out

    def fork_bomb(self) -> str | None:
        """The name of a function that, once called, starts copies of itself without end:
        one on a cycle of calls, none of them guarded by a base case, that starts a new
        process at least once on the way round."""
        guarded = {name for name, bodies in self.bodies.items() if any(_has_base_case(b) for b in bodies)}
        edges = {
            name: [(c, fork) for c, fork in _calls(name, bodies, self.bodies) if c not in guarded]
            for name, bodies in self.bodies.items()
            if name not in guarded
        }
        component = _components({name: [c for c, _ in out] for name, out in edges.items()})
        for name, out in edges.items():
            for callee, fork in out:
                if fork and component[callee] == component[name]:
                    return name
        return None

    # -- reading definitions ---------------------------------------------------------------
    def _scan(self, tokens: list[Token], depth: int, top: bool) -> None:
        starts = _command_positions(tokens)
        for i, token in enumerate(tokens):
            if not isinstance(token, Word):
                continue
            if depth < MAX_NESTED:
                for sub in token.subs:
                    self._scan(sub, depth + 1, top=False)
                script = _script(token) if _nested_script(tokens, i) else None
                if script is not None:
                    self._scan(script, depth + 1, top=False)
            if i in starts:
                found = _definition_at(tokens, i, starts)
                if found is not None:
                    self._add(found[0], found[1], top)
                    if top:
                        self._names.add(id(token))

    def _add(self, name: str, body: list[Token], top: bool) -> None:
        key = (name, " ".join(t.text for t in body))
        if top:
            inside = self._inside.setdefault(name, set())
            inside.update(_word_ids(body))
        if key not in self._seen:
            self._seen.add(key)
            self.bodies.setdefault(name, []).append(body)


def _nested_script(tokens: list[Token], i: int) -> bool:
    """Whether the quoted word `tokens[i]` is a script a shell would run that may define a
    function: the text after `-c` (`bash -lc`, `su -c`) or of `eval`, with a definition's
    shape in it. Other quoted text (Python after `python3 -c`, a commit message) is not
    lexed again: it is rarely shell and can be long."""
    word, before = tokens[i], tokens[i - 1] if i else None
    if not isinstance(word, Word) or not word.quoted or not isinstance(before, Word):
        return False
    flag = before.text
    runs = flag in ("eval", "--command") or (flag.startswith("-") and flag[-1:] == "c" and flag[1:].isalpha())
    squeezed = "".join(word.text.split())
    return runs and ("(){" in squeezed or "()(" in squeezed or "function" in word.text)


def _components(graph: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected components of `graph` (Tarjan's algorithm, without recursion):
    node -> component number."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, k = work.pop()
            if k == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            callees = graph.get(node, [])
            if k < len(callees):
                work.append((node, k + 1))
                callee = callees[k]
                if callee not in index:
                    work.append((callee, 0))
                elif callee in on_stack:
                    low[node] = min(low[node], index[callee])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component


def _script(word: Word) -> list[Token] | None:
    """The tokens of a quoted word read as a shell script (`bash -c 'f(){ …; }; f'`), or
    None when it is no script."""
    try:
        return tokenize(word.text)
    except ShellSyntaxError:
        return None


def _word_ids(tokens: list[Token]) -> set[int]:
    return {id(t) for t in tokens if isinstance(t, Word)}


def _command_positions(tokens: list[Token]) -> set[int]:
    """Indexes of the tokens that stand where a command name may (after `;`, `|`, `(`,
    `{`, `then`, `do`, … or leading assignments)."""
    out: set[int] = set()
    start = True
    named = False  # the word after `function` is its name; the body's `{` comes next
    for i, token in enumerate(tokens):
        if isinstance(token, Op):
            start = token.text.lstrip("0123456789") not in REDIRECTS
            named = False
            continue
        if start:
            out.add(i)
        if named:
            start, named = True, False
            continue
        name, eq, _ = token.text.partition("=")
        assignment = bool(eq) and name.isidentifier()
        named = start and not token.quoted and token.text == "function"
        start = start and not token.quoted and (token.text in _COMMAND_START or assignment)
    return out


def _definition_at(tokens: list[Token], i: int, starts: set[int]) -> tuple[str, list[Token]] | None:
    """(name, body tokens) of a definition starting at `tokens[i]`, or None."""
    word = tokens[i]
    n = len(tokens)
    if not isinstance(word, Word) or word.quoted or word.dynamic:
        return None
    if word.text == "function" and i + 1 < n and isinstance(tokens[i + 1], Word):
        name, j = tokens[i + 1].text, i + 2
        if _is_op(tokens, j, "(") and _is_op(tokens, j + 1, ")"):
            j += 2
    elif _is_op(tokens, i + 1, "(") and _is_op(tokens, i + 2, ")"):
        name, j = word.text, i + 3
    else:
        return None
    if "=" in name or name in _RESERVED or not name:
        return None
    while _is_op(tokens, j, "\n"):
        j += 1
    body = _body(tokens, j, starts)
    return None if body is None else (name, body)


def _is_op(tokens: list[Token], j: int, text: str) -> bool:
    return j < len(tokens) and isinstance(tokens[j], Op) and tokens[j].text == text


def _body(tokens: list[Token], j: int, starts: set[int]) -> list[Token] | None:
    """The tokens of the compound command at `tokens[j]` (inside its braces or
    parentheses; a whole `if … fi` / loop), or None when there is none (`starts`: the
    command positions of `tokens`)."""
    if j >= len(tokens):
        return None
    first = tokens[j]
    if isinstance(first, Op):
        if first.text != "(":
            return None
        depth = 0
        for k in range(j, len(tokens)):
            token = tokens[k]
            if isinstance(token, Op) and token.text in ("(", ")"):
                depth += 1 if token.text == "(" else -1
                if depth == 0:  # kept: every call of such a body runs in a subshell (a new process)
                    return tokens[j : k + 1]
        return None
    if first.quoted:
        return None
    close = "}" if first.text == "{" else _COMPOUND_END.get(first.text)
    if close is None:
        return None
    opener = first.text if close == "}" else None
    depth = 0
    for k in range(j, len(tokens)):
        token = tokens[k]
        if not isinstance(token, Word) or token.quoted or k not in starts:
            continue
        if token.text == opener or (opener is None and _COMPOUND_END.get(token.text) == close):
            depth += 1
        elif token.text == close:
            depth -= 1
            if depth == 0:
                return tokens[j + 1 : k] if opener else tokens[j : k + 1]
    return None


# -- fork bombs ------------------------------------------------------------------------------
def _calls(
    name: str, bodies: list[list[Token]], defined: dict[str, list[list[Token]]]
) -> list[tuple[str, bool]]:
    """The defined functions `name`'s bodies call, each with whether that call starts a
    new process (`&`, a pipeline, `( … )` or `$( … )`)."""
    out: list[tuple[str, bool]] = []
    for body in bodies:
        _collect_calls(body, defined, False, out)
    return out


def _collect_calls(
    tokens: list[Token], defined: dict[str, list[list[Token]]], forked: bool, out: list[tuple[str, bool]]
) -> None:
    starts = _command_positions(tokens)
    subshell = 0
    for i, token in enumerate(tokens):
        if isinstance(token, Op):
            subshell += 1 if token.text == "(" else -1 if token.text == ")" else 0
            continue
        for sub in token.subs:
            _collect_calls(sub, defined, True, out)
        if i not in starts or token.text not in defined or token.text in _COMMAND_START:
            continue
        if i > 0 and isinstance(tokens[i - 1], Word) and tokens[i - 1].text in ("command", "builtin"):
            continue
        before = _operator_before(tokens, i)
        after = _operator_after(tokens, i)
        fork = forked or subshell > 0 or before in _PIPES or after in _PIPES or after in _BACKGROUND
        out.append((token.text, fork))


def _operator_before(tokens: list[Token], i: int) -> str:
    for k in range(i - 1, -1, -1):
        if isinstance(tokens[k], Op):
            return tokens[k].text
        if tokens[k].text not in _COMMAND_START:
            return ""
    return ""


def _operator_after(tokens: list[Token], i: int) -> str:
    """The operator that ends the simple command starting at `tokens[i]`."""
    for k in range(i + 1, len(tokens)):
        token = tokens[k]
        if isinstance(token, Op) and token.text.lstrip("0123456789") not in REDIRECTS:
            return token.text
        if isinstance(token, Word) and not token.quoted and token.text == "}":
            return ";"
    return ";"


def _has_base_case(body: list[Token]) -> bool:
    """A test or an exit whose outcome can change between calls (it reads a variable or
    the outcome of a command): a recursion that can end."""
    words = [t for t in body if isinstance(t, Word)]
    tested = any(w.text in _TESTS and not w.quoted for w in words) or any(
        isinstance(t, Op) and t.text in ("&&", "||") for t in body
    )
    return tested and any(w.dynamic or w.subs for w in words)
