"""A POSIX-shell lexer and command splitter, just deep enough to judge what will run.

Why not `shlex`: it treats a newline as plain whitespace (so `cd x\\nrm -rf /` reads as one
command), forgets whether text came from single or double quotes (so `"$(rm -rf /)"`, which
does run, looks like a literal), and knows nothing of `$( )`, backticks, `<( )` or
here-documents. This lexer follows bash's quoting rules for those cases and hands back
simple commands with their words, redirections, pipeline upstream and every nested
command substitution parsed in turn. Anything it cannot follow (unbalanced quotes or
parentheses, nesting too deep) raises `ShellSyntaxError`;
the guard answers that with "ask", never with "allow".
"""

from __future__ import annotations

from agentops_os.guard.words import expand_braces

MAX_DEPTH = 12

# Longest first, so `>>` wins over `>` and `<<-` over `<<`.
_OPERATORS = (
    "<<<",
    "<<-",
    "&>>",
    ";;&",
    "&&",
    "||",
    ";;",
    ";&",
    "|&",
    "<<",
    ">>",
    ">|",
    "<>",
    "&>",
    ">&",
    "<&",
    ";",
    "&",
    "|",
    "(",
    ")",
    "<",
    ">",
)
REDIRECTS = frozenset({"<<<", "<<-", "&>>", "<<", ">>", ">|", "<>", "&>", ">&", "<&", "<", ">"})
WRITE_REDIRECTS = frozenset({">", ">>", ">|", "&>", "&>>", "<>"})
_SEPARATORS = frozenset({";", "&&", "||", "&", ";;", ";&", ";;&", "\n", "(", ")"})
_PIPES = frozenset({"|", "|&"})
_OPERATOR_START = frozenset(";&|()<>")
_GLOB = frozenset("*?[")
_ANSI_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


class ShellSyntaxError(ValueError):
    """The command cannot be lexed reliably; the guard must not guess."""


# Plain classes, not dataclasses: this module is imported on every tool call and
# generating dataclass methods costs more start-up time than the whole lexer.
class Word:
    __slots__ = ("text", "quoted", "dynamic", "glob", "subs", "tilde", "brace", "feeds")

    def __init__(
        self,
        text: str,
        quoted: bool = False,
        dynamic: bool = False,
        glob: bool = False,
        subs: list[list[Token]] | None = None,
        tilde: bool | None = None,
        brace: bool = False,
        feeds: list[list[Token]] | None = None,
    ) -> None:
        self.text = text
        self.quoted = quoted  # some part was quoted or escaped
        self.dynamic = dynamic  # contains a parameter expansion or command substitution
        self.glob = glob  # contains unquoted glob characters
        self.subs: list[list[Token]] = subs if subs is not None else []  # nested substitutions
        # bash expands a leading `~`, `~user`, `~+`, `~-` only when that prefix is unquoted
        # (`~/''` is the home directory, `'~'/x` is not); words made by the guard itself
        # (tilde None) count as unquoted unless quoted.
        self.tilde = (not quoted) if tilde is None else tilde
        self.brace = brace  # has an unquoted `{a,b}` / `{1..3}` brace expansion
        # those of `subs` that are `>(...)`: the command of this word writes into them
        self.feeds: list[list[Token]] = feeds if feeds is not None else []

    def __repr__(self) -> str:
        return f"Word({self.text!r})"


class Op:
    __slots__ = ("text", "heredoc")

    def __init__(self, text: str, heredoc: str | None = None) -> None:
        self.text = text
        self.heredoc = heredoc  # body of a `<<` here-document

    def __repr__(self) -> str:
        return f"Op({self.text!r})"


Token = Word | Op


class Redirect:
    __slots__ = ("op", "target", "body")

    def __init__(self, op: str, target: Word | None, body: str | None = None) -> None:
        self.op = op
        self.target = target
        self.body = body  # here-document body


class Command:
    """One simple command: its words, redirections and the commands piped into it."""

    __slots__ = ("words", "redirects", "upstream", "fed_by")

    def __init__(
        self,
        words: list[Word] | None = None,
        redirects: list[Redirect] | None = None,
        upstream: list[Command] | None = None,
    ) -> None:
        self.words: list[Word] = words if words is not None else []
        self.redirects: list[Redirect] = redirects if redirects is not None else []
        self.upstream: list[Command] = upstream if upstream is not None else []
        # Inside `>(...)`: the command whose output (how: "stdout", "argument" for a file
        # operand such as tee's, "other" for another descriptor) this one reads as stdin.
        self.fed_by: tuple[Command, str] | None = None

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]


class _WordBuffer:
    __slots__ = ("parts", "quoted", "dynamic", "glob", "subs", "tilde", "brace", "feeds")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.quoted = False
        self.dynamic = False
        self.glob = False
        self.subs: list[list[Token]] = []
        self.tilde = False
        self.brace = False
        self.feeds: list[list[Token]] = []

    def word(self) -> Word:
        return Word(
            "".join(self.parts),
            self.quoted,
            self.dynamic,
            self.glob,
            self.subs,
            self.tilde,
            self.brace,
            self.feeds,
        )


class _Lexer:
    def __init__(self, source: str, depth: int = 0, start: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise ShellSyntaxError("command substitutions nested too deeply")
        self.s = source
        self.i = start
        self.depth = depth
        self._pending_heredocs: list[tuple[Op, str, bool]] = []  # (op, delimiter, strip tabs)
        self.unterminated: list[str] = []  # delimiters of here-documents that run to the end
        self._want_delimiter: Op | None = None

    def run(self, until_paren: bool = False) -> list[Token]:
        tokens: list[Token] = []
        s, n = self.s, len(self.s)
        buf: _WordBuffer | None = None
        paren = 0
        case_depth = 0  # inside `case ... esac`, `pattern)` closes a pattern, not a subshell

        def flush() -> None:
            nonlocal buf, case_depth
            if buf is None:
                return
            word = buf.word()
            buf = None
            if not word.quoted:
                if word.text == "case":
                    case_depth += 1
                elif word.text == "esac" and case_depth:
                    case_depth -= 1
            if self._want_delimiter is not None:
                op = self._want_delimiter
                self._want_delimiter = None
                self._pending_heredocs.append((op, word.text, op.text == "<<-"))
            tokens.append(word)

        while self.i < n:
            c = s[self.i]
            if c == "\\" and s.startswith("\n", self.i + 1):
                self.i += 2  # line continuation
                continue
            if c in " \t\r":
                flush()
                self.i += 1
                continue
            if c == "\n":
                flush()
                tokens.append(Op("\n"))
                self.i += 1
                self._read_heredocs()
                continue
            if c == "#" and buf is None:
                end = s.find("\n", self.i)
                self.i = n if end < 0 else end
                continue
            if c in _OPERATOR_START:
                if c == "(" and buf is not None and _array_start(buf):
                    # `files=(a b)`: the words of an array, not a subshell (unless they hold
                    # substitutions, which are then judged as the commands they run)
                    end = _matching(s, self.i, "(", ")")
                    inner = s[self.i : end + 1]
                    if not any(m in inner for m in ("$(", "`", "<(", ">(")):
                        buf.parts.append(inner)
                        self.i = end + 1
                        continue
                if c in "<>" and s.startswith("(", self.i + 1):
                    buf = buf or _WordBuffer()
                    self._substitution(buf, self.i + 2)
                    if c == ">":  # `tee >(sh)`: what the command writes there is that shell's input
                        buf.feeds.append(buf.subs[-1])
                    continue
                fd = ""
                if (
                    c in "<>"
                    and buf is not None
                    and not buf.quoted
                    and buf.parts
                    and "".join(buf.parts).isdigit()
                ):
                    fd = "".join(buf.parts)
                    buf = None
                flush()
                if c == ")" and paren == 0 and case_depth:
                    tokens.append(Op(";"))
                    self.i += 1
                    continue
                if c == ")" and until_paren and paren == 0:
                    self.i += 1
                    return tokens
                op = next(o for o in _OPERATORS if s.startswith(o, self.i))
                self.i += len(op)
                if op == "(":
                    paren += 1
                elif op == ")":
                    paren -= 1
                    if paren < 0:
                        raise ShellSyntaxError("unbalanced ')'")
                token = Op(fd + op if fd else op)
                tokens.append(token)
                if op in ("<<", "<<-"):
                    self._want_delimiter = token
                continue
            buf = buf or _WordBuffer()
            if c == "'":
                end = s.find("'", self.i + 1)
                if end < 0:
                    raise ShellSyntaxError("unbalanced single quote")
                buf.parts.append(s[self.i + 1 : end])
                buf.quoted = True
                self.i = end + 1
            elif c == '"':
                self._double_quoted(buf)
            elif c == "\\":
                if self.i + 1 >= n:
                    raise ShellSyntaxError("trailing backslash")
                buf.parts.append(s[self.i + 1])
                buf.quoted = True
                self.i += 2
            elif c == "`":
                self._backtick(buf)
            elif c == "$":
                self._dollar(buf, in_double=False)
            else:
                if c == "~" and not buf.parts:
                    buf.tilde = True
                if c == "{" and (
                    "," in s[self.i : self.i + 200].split("}")[0]
                    or ".." in s[self.i : self.i + 200].split("}")[0]
                ):
                    buf.glob = True
                    buf.brace = True
                elif c in _GLOB:
                    buf.glob = True
                buf.parts.append(c)
                self.i += 1
        flush()
        if until_paren:
            raise ShellSyntaxError("unbalanced '$('")
        if paren:
            raise ShellSyntaxError("unbalanced '('")
        if self._want_delimiter is not None:
            raise ShellSyntaxError("here-document without a delimiter")
        for pending, delimiter, _strip in self._pending_heredocs:
            pending.heredoc = ""  # `cat <<EOF` as the last line: bash reads an empty body
            self.unterminated.append(delimiter)
        return tokens

    def _read_heredocs(self) -> None:
        s = self.s
        for op, delimiter, strip in self._pending_heredocs:
            lines: list[str] = []
            while True:
                if self.i >= len(s):
                    self.unterminated.append(delimiter)
                    break  # bash warns and takes the rest of the input as the body; so do we
                end = s.find("\n", self.i)
                line = s[self.i :] if end < 0 else s[self.i : end]
                self.i = len(s) if end < 0 else end + 1
                if (line.lstrip("\t") if strip else line) == delimiter:
                    break
                lines.append(line)
            op.heredoc = "\n".join(lines)
        self._pending_heredocs = []

    def _double_quoted(self, buf: _WordBuffer) -> None:
        s, n = self.s, len(self.s)
        self.i += 1
        buf.quoted = True
        while self.i < n:
            c = s[self.i]
            if c == '"':
                self.i += 1
                return
            if c == "\\" and self.i + 1 < n and s[self.i + 1] in '$`"\\\n':
                if s[self.i + 1] != "\n":
                    buf.parts.append(s[self.i + 1])
                self.i += 2
            elif c == "$":
                self._dollar(buf, in_double=True)
            elif c == "`":
                self._backtick(buf)
            else:
                buf.parts.append(c)
                self.i += 1
        raise ShellSyntaxError("unbalanced double quote")

    def _substitution(self, buf: _WordBuffer, start: int) -> None:
        inner = _Lexer(self.s, self.depth + 1, start)
        tokens = inner.run(until_paren=True)
        buf.subs.append(tokens)
        buf.dynamic = True
        buf.parts.append("$(" + self.s[start : inner.i - 1] + ")")
        self.i = inner.i

    def _backtick(self, buf: _WordBuffer) -> None:
        s, n = self.s, len(self.s)
        j = self.i + 1
        body: list[str] = []
        while j < n and s[j] != "`":
            if s[j] == "\\" and j + 1 < n and s[j + 1] in "`$\\":
                body.append(s[j + 1])
                j += 2
                continue
            body.append(s[j])
            j += 1
        if j >= n:
            raise ShellSyntaxError("unbalanced backtick")
        text = "".join(body)
        buf.subs.append(_Lexer(text, self.depth + 1).run())
        buf.dynamic = True
        buf.parts.append("$(" + text + ")")
        self.i = j + 1

    def _dollar(self, buf: _WordBuffer, in_double: bool) -> None:
        s, n = self.s, len(self.s)
        nxt = s[self.i + 1] if self.i + 1 < n else ""
        if s.startswith("((", self.i + 1):
            end = _matching(s, self.i + 1, "(", ")")
            buf.parts.append(s[self.i : end + 1])
            buf.dynamic = True
            self.i = end + 1
        elif nxt == "(":
            self._substitution(buf, self.i + 2)
        elif nxt == "{":
            end = _matching(s, self.i + 1, "{", "}")
            buf.parts.append(s[self.i : end + 1])
            buf.dynamic = True
            self.i = end + 1
        elif nxt == "'" and not in_double:
            self._ansi_c(buf)
        elif nxt == '"' and not in_double:
            self.i += 1
            self._double_quoted(buf)
        elif nxt and (nxt.isalnum() or nxt == "_"):
            j = self.i + 1
            if nxt.isdigit():
                j += 1
            else:
                while j < n and (s[j].isalnum() or s[j] == "_"):
                    j += 1
            buf.parts.append(s[self.i : j])
            buf.dynamic = True
            self.i = j
        elif nxt and nxt in "@*#?$!-":
            buf.parts.append(s[self.i : self.i + 2])
            buf.dynamic = True
            self.i += 2
        else:
            buf.parts.append("$")
            self.i += 1

    def _ansi_c(self, buf: _WordBuffer) -> None:
        """`$'...'`: bash's C-style quoting, a favourite for hiding `rm` as `$'\\x72m'`."""
        s, n = self.s, len(self.s)
        j = self.i + 2
        out: list[str] = []
        while j < n and s[j] != "'":
            if s[j] == "\\" and j + 1 < n:
                e = s[j + 1]
                if e == "x":
                    digits = _take(s, j + 2, "0123456789abcdefABCDEF", 2)
                    out.append(chr(int(digits, 16)) if digits else "\\x")
                    j += 2 + len(digits)
                    continue
                if e in "01234567":
                    digits = _take(s, j + 1, "01234567", 3)
                    out.append(chr(int(digits, 8)))
                    j += 1 + len(digits)
                    continue
                if e in "uU":
                    digits = _take(s, j + 2, "0123456789abcdefABCDEF", 4 if e == "u" else 8)
                    out.append(chr(int(digits, 16)) if digits else "\\" + e)
                    j += 2 + len(digits)
                    continue
                out.append(_ANSI_ESCAPES.get(e, "\\" + e))
                j += 2
                continue
            out.append(s[j])
            j += 1
        if j >= n:
            raise ShellSyntaxError("unbalanced $'...' quote")
        buf.parts.append("".join(out))
        buf.quoted = True
        self.i = j + 1


def _take(s: str, start: int, alphabet: str, limit: int) -> str:
    end = start
    while end < len(s) and end - start < limit and s[end] in alphabet:
        end += 1
    return s[start:end]


def _array_start(buf: _WordBuffer) -> bool:
    text = "".join(buf.parts)
    name = text[:-1].removesuffix("+")
    return not buf.quoted and text.endswith("=") and name.isidentifier() and name.isascii()


def _matching(s: str, start: int, open_: str, close: str) -> int:
    depth = 0
    j = start
    quote = ""
    while j < len(s):
        c = s[j]
        if quote:
            if c == quote:
                quote = ""
            elif c == "\\" and quote == '"':
                j += 1
        elif c in "'\"":
            quote = c
        elif c == "\\":
            j += 1
        elif c == open_:
            depth += 1
        elif c == close:
            depth -= 1
            if depth == 0:
                return j
        j += 1
    raise ShellSyntaxError(f"unbalanced '{open_}'")


def tokenize(source: str) -> list[Token]:
    return _Lexer(source).run()


def heredocs_closed(source: str) -> str:
    """`source` with the delimiter lines its unterminated here-documents lack: bash runs
    such a command (with a warning), tree-sitter-bash calls it an error; the cross-check
    compares the command bash runs."""
    lexer = _Lexer(source)
    try:
        lexer.run()
    except ShellSyntaxError:
        return source
    return "\n".join([source, *lexer.unterminated]) if lexer.unterminated else source


def quote(text: str) -> str:
    """`text` as one single-quoted shell word (the guard rebuilds command lines from words
    it has already read, and parses them again)."""
    return "'" + text.replace("'", "'\\''") + "'"


def parse(source: str) -> list[Command]:
    """Every simple command `source` would run, including those inside `$( )`, backticks
    and `<( )`, in source order. Raises `ShellSyntaxError` when it cannot tell."""
    return commands_of(tokenize(source))


def commands_of(tokens: list[Token]) -> list[Command]:
    out: list[Command] = []
    pipeline: list[Command] = []
    current = Command()
    expect_target: Redirect | None = None
    expect_fd = ""

    def finish(piped: bool) -> None:
        nonlocal current, pipeline
        if current.words or current.redirects:
            out.append(current)
            pipeline.append(current)
        if not piped:
            pipeline = []
        current = Command(upstream=list(pipeline))

    for token in tokens:
        if isinstance(token, Word):
            for sub in token.subs:
                inner = commands_of(sub)
                if any(sub is fed for fed in token.feeds):
                    how = "argument" if expect_target is None else _feed_kind(expect_fd, expect_target.op)
                    for fed_command in inner:
                        fed_command.fed_by = fed_command.fed_by or (current, how)
                out.extend(inner)
            if expect_target is not None:
                expect_target.target = token
                expect_target = None
            elif token.brace:  # `{rm,-rf,~}` is three words to bash
                current.words.extend(
                    Word(
                        text,
                        token.quoted,
                        token.dynamic,
                        any(c in _GLOB for c in text),
                        token.subs,
                        text.startswith("~") and (token.tilde or token.text.startswith("{")),
                    )
                    for text in expand_braces(token.text)
                )
            else:
                current.words.append(token)
            continue
        if expect_target is not None:
            raise ShellSyntaxError(f"redirection '{expect_target.op}' without a target")
        op = token.text.lstrip("0123456789")
        if op in REDIRECTS:
            redirect = Redirect(op, None, token.heredoc)
            current.redirects.append(redirect)
            expect_target, expect_fd = redirect, token.text[: len(token.text) - len(op)]
        elif op in _PIPES:
            finish(piped=True)
        elif op in _SEPARATORS:
            finish(piped=False)
        else:  # pragma: no cover - every operator is one of the above
            raise ShellSyntaxError(f"unknown operator {op!r}")
    if expect_target is not None:
        raise ShellSyntaxError(f"redirection '{expect_target.op}' without a target")
    finish(piped=False)
    return out


def _feed_kind(fd: str, op: str) -> str:
    """How a command writes into a `>(...)` it redirects to: its standard output (`>`,
    `>>`, `&>`, `1>`) or another descriptor."""
    return "stdout" if fd in ("", "1") and op in WRITE_REDIRECTS and op != "<>" else "other"
