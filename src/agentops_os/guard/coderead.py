"""Reading interpreter code without running it (`CodeReader`), for the rules that judge
what `python -c`, `node -e`, `perl -e`, `ruby -e` and `php -r` code does. Pure text work:
this module imports no other guard module but codedecode and codenet (what code gets from
the network)."""

from __future__ import annotations

from agentops_os.guard.codedecode import OBFUSCATED, decode, decoded
from agentops_os.guard.codenet import FETCHED, RUNNERS, may_fetch, net_of
from agentops_os.guard.codenet import source as net_source

# -- reading interpreter code ------------------------------------------------------------
# A small, tolerant reader for one-liners in Python, JavaScript, Ruby, Perl and PHP: it
# evaluates what it can (string literals, `+` and `/` joins, home and environment lookups,
# path joins, base64/hex/zlib decoders, variables assigned earlier) and records every call
# with its evaluated arguments. Anything else is unknown (None). A decoder whose input is
# unknown yields OBFUSCATED, so that code built from it and then run can be asked about.
_TOKEN = (
    r"""(?P<s>(?:(?<![\w$])[rRbBfFuU]{1,2})?(?:'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`))"""
    r"""|(?P<env>\$ENV\{\s*['"]?(?P<var>\w+)['"]?\s*\})|(?P<n>\d+)|(?P<id>[A-Za-z_$@][\w$]*)"""
    r"""|(?P<rev>\[\s*::\s*-1\s*\])|(?P<op>->|::|==|=>|[()\[\]{},.+/=;])|\S"""
)
# Comments do not run: `# os.system("curl … | sh")` in a source file is an example, not a
# call. Perl is left out (`$#array` is no comment), as are languages not listed.
_HASH, _SLASHES = r"#[^\n]*", r"//[^\n]*|/\*[\s\S]*?\*/"
_COMMENTED = {lang: _TOKEN.rsplit("|", 1)[0] + f"|(?P<c>{comment})" + r"|\S" for lang, comment in (
    ("python", _HASH), ("ruby", _HASH), ("php", _HASH + "|" + _SLASHES), ("node", _SLASHES))}
# The whole environment (`os.environ`, `process.env`, `ENV`, `%ENV`, `getenv()`), and any
# value computed from it (`json.dumps(dict(os.environ))`): every token the session holds.
ENVIRON = object()
_DECODERS = frozenset(
    {"b64decode", "standard_b64decode", "urlsafe_b64decode", "decodebytes", "decodestring", "a2b_base64",
     "b32decode", "b16decode", "atob", "decode_base64", "base64_decode", "decode64", "strict_decode64",
     "urlsafe_decode64", "unhexlify", "a2b_hex", "fromhex", "hex2bin", "decompress", "gzinflate",
     "gzuncompress", "gzdecode", "inflateSync", "gunzipSync", "inflateRawSync", "str_rot13",
     "fromCharCode", "unpack1", "unpack", "pack"}
)  # fmt: skip
_IDENTITY = frozenset(
    {"str", "String", "toString", "strip", "trim", "abspath", "realpath", "normpath", "absolute",
     "compile", "to_s", "chomp", "Pathname", "fspath", "absolute_path"}
)  # fmt: skip
_DECLARE = frozenset({"my", "our", "local", "const", "let", "var"})
_JOINS = frozenset({"join", "joinpath", "Path", "PurePath", "PosixPath", "catfile", "catdir", "resolve"})
# Perl and Ruby functions called without parentheses on a variable or a call (`unlink glob(...)`,
# `rmtree $dir`), and the words after which a name is not such a call (`unlink if -f`).
_LIST_OPERATORS = frozenset({"unlink", "rmdir", "rmtree", "remove_tree", "glob", "eval", "instance_eval",
                             "class_eval", "module_eval", "exec", "system", "load"})
_KEYWORDS = frozenset({"if", "unless", "for", "foreach", "while", "until", "and", "or", "not", "x"})
# Calls that list the paths a glob names.
_GLOBS = frozenset({"glob", "iglob", "globSync", "glob_sync", "rglob", "expandGlobSync", "expandGlob"})


class Ref:
    """A name (`os.path`, `fs`), or a method looked up on a value (`recv.name`)."""

    __slots__ = ("path", "recv")

    def __init__(self, path: str, recv: object = None) -> None:
        self.path, self.recv = path, recv


class Pattern(str):
    """A glob pattern a listing call was given (`glob('src/*')`, `Dir["~/.ssh/*"]`,
    `Path('src').rglob('*.py')`): the value stands for every path it names."""

    __slots__ = ()


class Keyword:
    """A named argument (`data=...` in Python, `exception: true` in Ruby): not one of the
    positional arguments a program's argv is built from."""

    __slots__ = ("name", "value")

    def __init__(self, name: str, value: object) -> None:
        self.name, self.value = name, value


class CodeReader:
    """Evaluate one piece of interpreter code as far as it can be known; `calls` holds
    (dotted name, receiver, arguments) for every call it met."""

    def __init__(self, code: str, lang: str, home: str) -> None:
        import re

        self.lang, self.home = lang, home
        if lang == "perl" and "<" in code:  # perl's glob operator: `unlink <src/*>`
            code = re.sub(r"<([^<>\s;=$]*[*?][^<>\s;=$]*)>", r'glob("\1")', code)
        tokens = re.finditer(_COMMENTED.get(lang, _TOKEN), code)
        self.tokens = [(m.lastgroup or "x", m.group(0), m.group("var")) for m in tokens if m.lastgroup != "c"]
        self.i = 0
        self.depth = 0
        self.names: dict[str, object] = {}
        self.calls: list[tuple[str, object, list[object]]] = []
        self.patterns: list[Pattern] = []  # every glob the code lists, also outside calls (`Dir["src/*"]`)
        # Every string literal, also those the reader skips (inside `{...}` object literals).
        literals = (self._literal(t) for k, t, _ in self.tokens if k == "s")
        self.strings = [v for v in literals if isinstance(v, str)]
        self._statements(stop="")

    def _statements(self, stop: str) -> object:
        """Read statements up to `stop` (`}` of a block or object literal); ENVIRON when
        one of them is the environment (`{body: JSON.stringify(process.env)}`), except the
        `env:` a child process is given."""
        tainted = None
        while self.i < len(self.tokens) and (not stop or self._peek() != stop):
            while self._peek() in _DECLARE:
                self.i += 1
            start = self.i
            kind, text, _ = self.tokens[self.i] if self.i < len(self.tokens) else ("", "", None)
            if kind == "id" and self._peek(1) == "=":
                self.i += 2
                value = self.names[text] = self._expr()
            elif self._appends(kind, text):
                value = None
            elif text == "as" and start and self.tokens[start - 1][0] == "id" and self._peek(1):
                self.i += 2  # `from urllib.request import urlopen as get`: get is urlopen
                value = self.names[self._peek(-1)] = Ref(self.tokens[start - 1][1])
            else:
                keyed = start > 1 and self.tokens[start - 1][1] == ":" and self.tokens[start - 2][1] == "env"
                value = self._expr()
                tainted = tainted or (ENVIRON if is_environ(value) and not keyed else None)
            if self.i == start:
                self.i += 1
        return tainted

    def _peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.tokens[j][1] if j < len(self.tokens) else ""

    def _expr(self) -> object:
        value = self._term()
        while self._peek() in ("+", "/", "."):
            op = self._peek()
            self.i += 1
            right = self._term()
            value = _combine(value, right, op)
        return value

    def _term(self) -> object:
        if self.i >= len(self.tokens) or self.depth > 40:
            return None
        self.depth += 1
        try:
            value = self._atom()
            return self._postfix(value)
        finally:
            self.depth -= 1

    def _atom(self) -> object:
        kind, text, var = self.tokens[self.i]
        if kind == "s":
            self.i += 1
            return self._literal(text)
        if kind == "n":
            self.i += 1
            return int(text)
        if kind == "env":
            self.i += 1
            return self.home if var == "HOME" else None
        if kind == "id":
            self.i += 1
            if text in _DECLARE or text in ("new", "await", "return", "print", "puts", "echo"):
                return self._term() if self._peek() not in ("(", "") else Ref(text)
            following = self.tokens[self.i][0] if self.i < len(self.tokens) else ""
            if self.lang in ("perl", "ruby") and (
                following == "s"
                or (text in _LIST_OPERATORS and following in ("id", "env") and self._peek() not in _KEYWORDS)
            ):
                return self._call(text, None, self._arguments(stop=(";", ")", "}")))  # rmtree ".git"
            known = self.names.get(text, Ref(text))
            return known
        if text in ("(", "["):
            self.i += 1
            items = self._arguments(stop=(")" if text == "(" else "]",))
            self.i += 1
            if text == "[":
                return items
            return items[0] if len(items) == 1 else items
        if text == "{":  # a block or an object literal: the calls in it are read too
            self.i += 1
            value = self._statements(stop="}")
            self.i += 1
            return value
        return None

    def _arguments(self, stop: tuple[str, ...]) -> list[object]:
        items: list[object] = []
        while self.i < len(self.tokens) and self._peek() not in stop:
            start = self.i
            kind, text, _ = self.tokens[self.i]
            if kind == "id" and self._peek(1) == {"python": "=", "ruby": ":"}.get(self.lang):
                self.i += 2  # f(data=x), system("ls", exception: true)
                items.append(Keyword(text, self._expr()))
            elif kind == "id" and self._peek(1) == "=":  # while (c = s.gets): an assignment
                self.i += 2
                items.append(self._expr())
                self.names[text] = items[-1]
            elif self._appends(kind, text):
                items.append(None)
            else:
                items.append(self._expr())
            if self._peek() in (",", "=>", ":", "="):
                self.i += 1
            elif self.i == start or (self.i < len(self.tokens) and self._peek() not in stop):
                if self.i == start:
                    self.i += 1
                items.append(None)
        return items

    def _skip_group(self, open_: str, close: str) -> None:
        level = 0
        while self.i < len(self.tokens):
            text = self._peek()
            self.i += 1
            level += (text == open_) - (text == close)
            if level <= 0:
                return

    def _postfix(self, value: object) -> object:
        while self.i < len(self.tokens):
            text = self._peek()
            kind = self.tokens[self.i][0]
            if text == "(":
                self.i += 1
                net = net_of(value.recv) if isinstance(value, Ref) else None
                net = net or (FETCHED if isinstance(value, Ref) and may_fetch(value.path) else None)
                if net is not None:  # fetch(u).then(r => r.text()), https.get(u, res => ...)
                    self._bind_parameters(net)
                args = self._arguments(stop=(")",))
                self.i += 1
                for arg in args if net is not None else ():  # .then(eval): eval(the body)
                    if isinstance(arg, Ref) and arg.recv is None and arg.path.rsplit(".", 1)[-1] in RUNNERS:
                        self.calls.append((arg.path, None, [net]))
                value = self._call(value.path, value.recv, args) if isinstance(value, Ref) else None
            elif text == "." and self.lang in ("php", "perl"):
                return value  # `"rm -rf ".getenv("HOME")`: PHP and Perl join strings with `.`
            elif text in (".", "->", "::") and (self._peek(1)[:1].isalpha() or self._peek(1)[:1] == "_"):
                name = self._peek(1)
                self.i += 2
                value = self._attribute(value, name)
            elif kind == "rev":
                self.i += 1
                value = value[::-1] if isinstance(value, (str, bytes)) else value
            elif text == "[":
                self.i += 1
                key = self._expr()
                while self.i < len(self.tokens) and self._peek() != "]":
                    self.i += 1
                self.i += 1
                value = self._subscript(value, key)
            elif text == "{" and isinstance(value, Ref) and value.path.endswith("ENV"):  # perl $ENV{HOME}
                self.i += 1
                key = self._expr()
                self._skip_group("{", "}")
                value = self.home if key in ("HOME", Ref("HOME")) else None
            else:
                return value
        return value

    def _appends(self, kind: str, text: str) -> bool:
        """`d += chunk`, `$d .= $c`: the name holds what is added to it too."""
        if kind != "id" or self._peek(1) not in ("+", ".") or self._peek(2) != "=":
            return False
        self.i += 3
        self.names[text] = _combine(self.names.get(text), self._expr(), "+")
        return True

    def _bind_parameters(self, net: object) -> None:
        """The parameters of the callbacks a network call is given stand for what it
        returns: `r => r.text()`, `function (res) {...}`, a Ruby block's `|f|` after it."""
        j, level = self.i, 1
        while j < len(self.tokens) and level > 0:
            level += (self.tokens[j][1] in ("(", "[", "{")) - (self.tokens[j][1] in (")", "]", "}"))
            j += 1
        window = [t[1] for t in self.tokens[self.i : j + 4]]
        for k, text in enumerate(window):
            names: list[str] = []
            if text == "=>" and k and window[k - 1] == ")" and "(" in window[:k]:  # (a, b) => ...
                names = window[max(m for m in range(k) if window[m] == "(") + 1 : k - 1]
            elif text == "=>" and k:  # r => r.text()
                names = window[k - 1 : k]
            elif (text == "function" and "(" in window[k:]) or (text == "|" and window[k - 1 : k] in (["{"],
                                                                                           ["do"])):
                close = ")" if text == "function" else "|"
                first = window.index("(", k) + 1 if text == "function" else k + 1
                names = window[first : window.index(close, first)] if close in window[first:] else []
            self.names.update((n, net) for n in names if n.isidentifier())

    def _attribute(self, value: object, name: str) -> object:
        if isinstance(value, Ref) and value.recv is None:
            path = f"{value.path}.{name}"
            if name == "HOME" and value.path.rsplit(".", 1)[-1] in ("env", "ENV", "environ"):
                return self.home
            if path in ("Dir.home", "Dir.pwd") and self._peek() != "(":
                return self.home if path == "Dir.home" else "."
            if path in ("site.USER_SITE", "site.USER_BASE"):  # where the user's .pth files live
                return self.home + (_USER_SITE if name == "USER_SITE" else "/.local")
            return Ref(path)
        return Ref("." + name, value)

    def _subscript(self, value: object, key: object) -> object:
        if net_of(value) is not None:  # requests.get(u).json()["code"]
            return net_of(value)
        if isinstance(value, Ref) and value.path.rsplit(".", 1)[-1] in ("env", "ENV", "environ", "$_SERVER",
                                                                         "$_ENV"):
            return self.home if key == "HOME" else None
        if isinstance(value, Ref) and value.path == "Dir" and isinstance(key, str):  # ruby Dir["src/*"]
            self.patterns.append(Pattern(key))
            return self.patterns[-1]
        if isinstance(value, list) and isinstance(key, int) and key < len(value):
            return value[key]
        if isinstance(value, dict) and isinstance(key, str):  # sysconfig.get_paths()["purelib"]
            return value.get(key)
        return None

    def _literal(self, token: str) -> object:
        prefix = ""
        while token[0] not in "'\"`":
            prefix, token = prefix + token[0].lower(), token[1:]
        quote, body = token[0], token[1:-1]
        if "r" not in prefix:
            body = _unescape(body)
        interpolates = (
            (self.lang == "python" and "f" in prefix)
            or (quote == "`" and self.lang == "node")
            or (quote == '"' and self.lang in ("ruby", "perl", "php"))
        )
        if interpolates and any(mark in body for mark in ("{", "$")):
            return self._interpolate(body)
        return body.encode("latin-1", "replace") if "b" in prefix else body

    def _interpolate(self, body: str) -> str | None:
        import re

        pattern = {"python": r"\{([^{}]+)\}", "node": r"\$\{([^{}]+)\}", "ruby": r"#\{([^{}]+)\}"}.get(
            self.lang, r"\$ENV\{\s*['\"]?(\w+)['\"]?\s*\}|\$(\w+)"
        )
        out: list[str] = []
        last = 0
        for match in re.finditer(pattern, body):
            inner = match.group(1) if self.lang in ("python", "node", "ruby") else None
            if inner is not None:
                found = _single_value(inner, self.lang, self.home)
            else:
                found = self.home if match.group(1) == "HOME" else None
            if not isinstance(found, str):
                return None
            out += [body[last : match.start()], found]
            last = match.end()
        return "".join(out) + body[last:]

    def _call(self, dotted: str, recv: object, args: list[object]) -> object:
        self.calls.append((dotted, recv, args))
        name = dotted.rsplit(".", 1)[-1]
        net = net_of(recv) or next((n for n in (net_of(a) for a in args) if n is not None), None)
        if net is not None:  # urlopen(u).read(), compile(body, ...), r.json()
            return net
        value = _apply(name, dotted, recv, args, self.home)
        if value is None:
            value = net_source(self.lang, dotted, recv, args)
        if isinstance(value, Pattern):
            self.patterns.append(value)
        if value is None and (recv is OBFUSCATED or OBFUSCATED in args):
            return OBFUSCATED
        if value is None and (is_environ(Ref(dotted)) or (name == "getenv" and not args)):
            return ENVIRON  # os.environ.copy(), Deno.env.toObject(), PHP getenv()
        if value is None and name in _ONE_VARIABLE and is_environ(recv):
            return None  # env.get("HOME"), ENV.fetch("X"): one variable
        if value is None and (is_environ(recv) or any(is_environ(a) for a in args)):
            return ENVIRON  # str(dict(os.environ)), JSON.stringify(process.env)
        return value


# Where the environment lives, and the methods that give all of it (a name after
# `process.env.` is one variable; after `os.environ.` a method).
_ENV_PATHS = ("os.environ", "environ", "os.environb", "process.env", "ENV", "Deno.env", "$_ENV", "$_SERVER")
_WHOLE_ENV_METHODS = frozenset(
    {"copy", "items", "keys", "values", "to_h", "to_hash", "to_a", "toObject", "inspect", "to_s", "to_json",
     "entries", "each", "map", "dup", "clone", "_data", "__repr__", "__str__", "each_pair", "select"}
)  # fmt: skip


# Methods of the environment that give one variable of it.
_ONE_VARIABLE = frozenset({"get", "fetch", "getenv", "pop", "setdefault", "__getitem__"})


def is_environ(value: object) -> bool:
    """Whether a value is (computed from) the whole environment, not one variable of it."""
    if value is ENVIRON:
        return True
    if isinstance(value, Keyword):
        return value.name != "env" and is_environ(value.value)  # env= is the child's environment
    if isinstance(value, list):
        return any(is_environ(v) for v in value)
    if not isinstance(value, Ref) or value.recv is not None:
        return False
    for place in _ENV_PATHS:
        if value.path == place:
            return True
        if value.path.startswith(place + "."):
            return all(m in _WHOLE_ENV_METHODS for m in value.path[len(place) + 1 :].split("."))
    return False


def program_argv(lang: str, dotted: str, args: list[object]) -> list[object] | None:
    """The argv of a call that starts a program without a shell (`subprocess.run([...])`,
    `os.execvp(f, [f, ...])`, `execFileSync(f, [...])`, Ruby and Perl `system "git", "push"`),
    or None when the call hands one string to a shell."""
    name = dotted.rsplit(".", 1)[-1]
    positional = [a for a in args if not isinstance(a, Keyword)]
    if lang == "python" and name.startswith("spawn") and name != "spawn":
        positional = positional[1:]  # os.spawnvp(os.P_WAIT, file, argv)
    first_list = next((j for j, a in enumerate(positional) if isinstance(a, list)), None)
    if first_list == 0:
        return positional[0] if isinstance(positional[0], list) else None
    if first_list is not None:
        items = positional[first_list]
        assert isinstance(items, list)
        repeats_name = lang == "python"  # os.execvp("rm", ["rm", "-rf"]); node and php pass args only
        return [positional[first_list - 1], *(items[1:] if repeats_name else items)]
    if lang == "python" and name.startswith(("execl", "spawnl")) and len(positional) > 1:
        return [positional[0], *positional[2:]]  # os.execlp("rm", "rm", "-rf", "/")
    if lang in ("ruby", "perl") and len(positional) > 1 and isinstance(positional[0], str):
        return positional
    return None


def _single_value(code: str, lang: str, home: str) -> object:
    reader = CodeReader("__v__=" + code, lang, home)
    return reader.names.get("__v__")


def _unescape(body: str) -> str:
    import re

    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "xu" and len(code) > 1:
            return chr(int(code[1:].strip("{}"), 16))
        return simple.get(code, code)

    return re.sub(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|.)", one, body)


def text_of(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else None


def _combine(left: object, right: object, op: str) -> object:
    """`a + b`, `a . b` (Perl, PHP), `Path(a) / b`."""
    if OBFUSCATED in (left, right):
        return OBFUSCATED
    if net_of(left) is not None or net_of(right) is not None:
        return net_of(left) or net_of(right)
    if is_environ(left) or is_environ(right):
        return ENVIRON
    if isinstance(left, bytes) and isinstance(right, bytes) and op != "/":
        return left + right
    a, b = text_of(left), text_of(right)
    if a is None or b is None:
        return None
    return a.rstrip("/") + "/" + b if op == "/" else a + b


def _apply(name: str, dotted: str, recv: object, args: list[object], home: str) -> object:
    """The value of a call the reader knows: home and environment lookups, path joins,
    decoders. None for anything else."""
    first = args[0] if args else None
    if any(isinstance(a, Ref) for a in args):
        first = None if isinstance(first, Ref) else first
    if name in ("homedir", "home", "gethome") and not args:
        return home
    if name == "posix_getpwuid":  # php posix_getpwuid(posix_getuid())["dir"]
        return {"dir": home}
    if dotted == "Bun.file":  # Bun.file(p).delete(), .text()
        return text_of(first)
    site = _site_packages(name, first, home)
    if site is not None:
        return site
    if name in ("getcwd", "cwd", "pwd") and not args:
        return "."  # the working directory, which the guard resolves paths against
    if name in ("getenv", "get", "fetch") and first == "HOME" and (
        name == "getenv" or dotted.rsplit(".", 2)[-2:-1] in (["environ"], ["env"], ["ENV"])
    ):
        return home
    pattern = glob_value(name, dotted, recv, first)
    if pattern is not None:
        return pattern
    if name in ("require", "__import__", "import_module") and isinstance(first, str):
        return Ref(first)
    if name in ("expanduser", "expand_path", "expand_user"):
        text = text_of(first if args else recv)
        return home + text[1:] if text is not None and text.startswith("~") else text
    if name in _JOINS and not (name == "join" and recv is not None):
        parts = ([recv] if recv is not None else []) + args
        texts = [text_of(p) for p in parts]
        if not texts or any(t is None for t in texts):
            return None
        import posixpath

        return posixpath.join(*[t for t in texts if t is not None])
    if name == "join" and isinstance(recv, str):  # ''.join(x) (Python), x.split('').join('') (JS)
        if isinstance(first, list):
            items = [text_of(x) for x in first]
            return None if None in items else recv.join(t for t in items if t is not None)
        return text_of(first) if recv == "" else recv if first == "" else None
    if name in _IDENTITY or name in ("decode", "encode", "split", "reverse", "strrev"):
        target = recv if recv is not None else first
        if isinstance(target, Ref):
            return None
        if name in ("reverse", "strrev"):
            return target[::-1] if isinstance(target, (str, bytes)) else None
        if name == "encode" and isinstance(target, str):
            return target.encode("utf-8")
        if name == "decode" and recv is None and len(args) > 1:  # codecs.decode(x, 'rot13')
            return decode(target, text_of(args[1]))
        return text_of(target) if name in ("decode", "toString", "to_s") else target
    if name in _DECODERS or dotted.endswith("Buffer.from"):
        return decoded(name, recv, args)
    return None


def glob_value(name: str, dotted: str, recv: object, first: object) -> Pattern | None:
    """`glob.glob(p)`, `Dir.glob(p)`, `glob.sync(p)`, `Path(d).glob(p)`, `Path(d).rglob(p)`:
    the pattern, as a Pattern (a directory's own glob is joined to it)."""
    import posixpath

    if name not in _GLOBS and not (name == "sync" and "glob" in dotted.lower()):
        return None
    pattern = text_of(first) if first is not None else None
    if pattern is None:
        return None
    base = text_of(recv) if isinstance(recv, str) else None
    if name == "rglob":
        return Pattern(posixpath.join(base or ".", "**", pattern))
    return Pattern(posixpath.join(base, pattern) if base is not None else pattern)


# Where Python looks for .pth files and sitecustomize at start-up, as the calls that name
# it return (`site.getusersitepackages()`, `sysconfig.get_path('purelib')`): a file code
# writes there is judged as a write of that file (guard.ask_write_paths has `*.pth`).
_SYSTEM_SITE = "/usr/lib/python3/site-packages"
_USER_SITE = "/.local/lib/python3/site-packages"


def _site_packages(name: str, first: object, home: str) -> object:
    if name == "getusersitepackages":
        return home + _USER_SITE
    if name == "getuserbase":
        return home + "/.local"
    if name == "getsitepackages":
        return [_SYSTEM_SITE, home + _USER_SITE]
    if name == "get_python_lib" or (name == "get_path" and first in ("purelib", "platlib")):
        return _SYSTEM_SITE
    if name == "get_paths":
        return {"purelib": _SYSTEM_SITE, "platlib": _SYSTEM_SITE}
    return None
