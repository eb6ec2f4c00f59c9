"""Emacs Lisp (`emacs --batch --eval EXPR`, `emacsclient -e EXPR`) read without running
it, for rules_scripts: `(delete-directory D t)` is `rm -r -f D`, `(delete-file F)` is `rm
F`, `(shell-command "CMD")` and its relatives run CMD, `(call-process "PROG" nil nil nil
ARGS…)`, `start-process`, `process-lines` and `make-process :command` run PROG with ARGS;
`copy-file`/`rename-file` are `cp`/`mv`; `write-region`, `with-temp-file`, `append-to-file`
write and `insert-file-contents`/`find-file` read their file; code fetched with
`url-retrieve-synchronously` and then evaluated (`eval-buffer`, `eval-region`, `load`) is a
download run. `"~"`, `(getenv "HOME")`, `(expand-file-name …)`, `concat` and variables
set with `setq`/`let` are followed. Pure text work: this module imports no other guard
module."""

from __future__ import annotations


class Sym(str):
    """A symbol (a name, `t`, `nil`, a `:keyword`), as opposed to a string."""

    __slots__ = ()


_SHELL = frozenset({"shell-command", "shell-command-to-string", "async-shell-command", "compile",
                    "call-process-shell-command", "process-file-shell-command",
                    # Scheme's and Common Lisp's (package prefixes dropped: `uiop:run-program`)
                    "system", "sys-system", "shell", "run-shell-command", "process", "open-pipe",
                    "open-input-pipe", "open-output-pipe", "system/exit-code"})
_SHELL_NAMED = frozenset({"start-process-shell-command", "start-file-process-shell-command"})
# Calls that start a program: where the program and its arguments are among their arguments.
_PROCESS = {"call-process": (0, 4), "process-file": (0, 4), "call-process-region": (2, 6),
            "process-lines": (0, 1), "process-lines-ignore-status": (0, 1), "start-process": (2, 3),
            "start-file-process": (2, 3), "run-program": (0, 1), "system*": (0, 1), "process*": (0, 1),
            "subprocess": (3, 4), "open-pipe*": (1, 2), "system*/exit-code": (0, 1)}
_WRITES = frozenset({"write-region", "append-to-file", "with-temp-file", "write-file", "make-symbolic-link"})
_READS = frozenset({"insert-file-contents", "insert-file-contents-literally", "find-file",
                    "find-file-noselect", "find-file-literally", "view-file", "load-file"})
_FETCHES = frozenset({"url-retrieve-synchronously", "url-retrieve", "url-insert-file-contents",
                      "url-copy-file", "package-install-file"})
_SAVES = frozenset({"save-buffer", "basic-save-buffer", "save-some-buffers", "save-buffers-kill-emacs",
                    "save-buffers-kill-terminal"})
_EVALS = frozenset({"eval-buffer", "eval-region", "load", "load-file", "eval-current-buffer"})


def lisp_ops(code: str, home: str) -> list[tuple[str, object]]:
    """("run", command line), ("argv", [words]), ("read"/"write", path), ("fetch-run", "")."""
    reader = _Lisp(home)
    for form in _parse(code):
        reader.value(form)
    if reader.fetched and reader.evaluated:
        reader.ops.append(("fetch-run", ""))
    return reader.ops


class _Lisp:
    def __init__(self, home: str) -> None:
        self.home = home
        self.vars: dict[str, object] = {"user-emacs-directory": home + "/.emacs.d/",
                                        "default-directory": "./"}
        self.ops: list[tuple[str, object]] = []
        self.fetched = self.evaluated = False
        self.depth = 0
        self.buffer: str | None = None  # the file the current buffer visits

    def value(self, form: object) -> object:
        """The value of a form when the guard can know it (a string, a list of them),
        else None; the calls it meets are noted in `ops`."""
        if isinstance(form, Sym):
            return self.vars.get(form)
        if not isinstance(form, list):
            return form
        if not form or self.depth > 40:
            return None
        head = form[0]
        if head == "quote":
            return _quoted(form[1]) if len(form) > 1 else None
        self.depth += 1
        try:
            return self._call(str(head), form[1:])
        finally:
            self.depth -= 1

    def _call(self, head: str, rest: list[object]) -> object:
        if ":" in head[1:]:  # `sb-ext:run-program`, `uiop:delete-directory-tree`
            head = head.rsplit(":", 1)[1]
        if head in ("setq", "setq-local", "setf", "defvar", "defconst"):
            for k in range(0, len(rest) - 1, 2):
                self.vars[str(rest[k])] = self.value(rest[k + 1])
            return None
        if head in ("let", "let*") and rest and isinstance(rest[0], list):
            for binding in rest[0]:
                if isinstance(binding, list) and binding:
                    self.vars[str(binding[0])] = self.value(binding[1]) if len(binding) > 1 else None
            rest = rest[1:]
        args = [self.value(a) for a in rest]
        texts = [a if isinstance(a, str) and not isinstance(a, Sym) else None for a in args]
        first = texts[0] if texts else None
        if head in _SHELL or head in _SHELL_NAMED:
            command = texts[2] if head in _SHELL_NAMED and len(texts) > 2 else first
            self.ops.append(("run", command if command is not None else "${UNKNOWN_VALUE}"))
        elif head in ("run-program", "launch-program") and args and (
            isinstance(args[0], list) or len(args) < 2 or not isinstance(args[1], list)
        ):
            # uiop's: a string is a shell command line, a list a program and its arguments
            self.ops.append(("argv", _flatten(args[0])) if isinstance(args[0], list) else
                            ("run", first if first is not None else "${UNKNOWN_VALUE}"))
        elif head in _PROCESS:
            at, start = _PROCESS[head]
            program = texts[at] if len(texts) > at else None
            self.ops.append(("argv", [program, *_flatten(args[start:])]))
        elif head == "make-process" and ":command" in rest:
            value = args[rest.index(":command") + 1] if rest.index(":command") + 1 < len(args) else None
            if isinstance(value, list):
                self.ops.append(("argv", _flatten(value)))
        elif head in ("delete-directory/files", "delete-directory-tree", "rmtree", "delete-recursively"):
            self.ops.append(("argv", ["rm", "-r", "-f", self._path(first)]))
        elif head == "delete-directory":
            recursive = len(rest) > 1 and rest[1] != "nil"
            self.ops.append(("argv", ["rm", "-r", "-f", self._path(first)] if recursive else ["rm", "-d",
                                                                                          self._path(first)]))
        elif head == "delete-file":
            self.ops.append(("argv", ["rm", "-f", self._path(first)]))
        elif head in ("copy-file", "copy-directory", "rename-file") and len(texts) > 1:
            program = "mv" if head == "rename-file" else "cp"
            self.ops.append(("argv", [program, "-r", *map(self._path, texts[:2])]))
        elif head in _SAVES and self.buffer is not None:  # `emacs --batch FILE --eval '(… (save-buffer))'`
            self.ops.append(("write", self.buffer))
        elif head in _WRITES:
            whole = head in ("with-temp-file", "write-file")
            target = first if whole else texts[2] if len(texts) > 2 else None
            if target is not None:
                self.ops.append(("write", self._path(target)))
        elif head in _READS and first is not None:
            self.ops.append(("read", self._path(first)))
            if head.startswith("find-file"):
                self.buffer = self._path(first)  # the buffer later saved
        self.fetched = self.fetched or head in _FETCHES
        self.evaluated = self.evaluated or head in _EVALS
        return self._known(head, args, texts)

    def _known(self, head: str, args: list[object], texts: list[str | None]) -> object:
        import posixpath

        first = texts[0] if texts else None
        getenv = head in ("getenv", "posix-getenv", "get-environment-variable")
        if getenv and first in ("HOME", "USERPROFILE"):
            return self.home
        if head in ("user-homedir-pathname", "home-directory") or (
            head == "find-system-path" and _names_home(args)
        ):
            return self.home + "/"
        if head == "concatenate" and texts[:1] == [None]:  # (concatenate 'string a b)
            texts = texts[1:]
            head = "concat"
        if head in ("concat", "string-append") and None not in texts:
            return "".join(t for t in texts if t is not None)
        if head in ("expand-file-name", "file-truename", "abbreviate-file-name") and first is not None:
            path = self._path(first) or first
            base = texts[1] if len(texts) > 1 and texts[1] is not None else "."
            return path if path.startswith("/") else posixpath.join(self._path(base) or base, path)
        if head in ("file-name-as-directory", "directory-file-name", "substitute-in-file-name") and first:
            return first.replace("$HOME", self.home)
        if head == "locate-user-emacs-file" and first is not None:
            return self.home + "/.emacs.d/" + first
        if head in ("list", "vector"):
            return args
        if head in ("progn", "prog1", "when", "unless", "ignore-errors", "save-excursion", "let", "let*"):
            return args[-1] if args else None
        if head == "eval" and args and isinstance(args[0], list):
            return self.value(args[0])  # (eval '(delete-directory "~" t))
        if head in ("read", "read-from-string") and first is not None:
            forms = _parse(first)
            form = forms[0] if forms else None
            return form if head == "read" else [form, 0]
        if head == "car" and args and isinstance(args[0], list) and args[0]:
            return args[0][0]
        return None

    def _path(self, text: str | None) -> str | None:
        if text is not None and (text == "~" or text.startswith("~/")):
            return self.home + text[1:]
        return text


def _names_home(args: list[object]) -> bool:
    """`(find-system-path 'home-dir)`."""
    return bool(args) and args[0] == "home-dir"


def _quoted(form: object) -> object:
    """A quoted form as data: a list of strings stays a list (`'("rm" "-rf" "~")`)."""
    return [_quoted(f) for f in form] if isinstance(form, list) else form


def _flatten(values: list[object]) -> list[str | None]:
    out: list[str | None] = []
    for value in values:
        if isinstance(value, list):
            out += _flatten(value)
        else:
            out.append(value if isinstance(value, str) and not isinstance(value, Sym) else None)
    return out


def _parse(code: str) -> list[object]:
    """The forms of some Lisp text: lists, strings, symbols (`'x` as `(quote x)`)."""
    import re

    tokens = re.findall(r'"(?:\\.|[^"\\])*"|;[^\n]*|#\'|[()\']|\?\\?.|[^\s()\'";]+', code, re.S)
    stack: list[list[object]] = [[]]
    quotes: list[int] = []  # depths at which a quote waits for its form
    for token in tokens:
        if token.startswith(";") or token in ("#p", "#P"):  # `#p"~/x"`: a Common Lisp pathname
            continue
        if token in ("'", "#'"):
            quotes.append(len(stack))
            continue
        if token == "(":
            stack.append([])
            continue
        if token == ")":
            if len(stack) == 1:
                continue
            item: object = stack.pop()
        elif token.startswith('"'):
            item = re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), token[1:-1])
        else:
            item = Sym(token)
        while quotes and quotes[-1] == len(stack):
            quotes.pop()
            item = [Sym("quote"), item]
        stack[-1].append(item)
    while len(stack) > 1:  # unclosed lists still count
        item = stack.pop()
        stack[-1].append(item)
    return stack[0]
