"""Interpreter code that reads a secret file through a library rather than `open()`:
`dotenv_values('.env')`, `Dotenv.parse('.env')`, `parse_ini_file('.env')` read the file
(judged as `cat .env` is); `load_dotenv()`, `require('dotenv').config()`, `Dotenv.load`,
`process.loadEnvFile()`, `node --env-file=.env`, and Bun (which loads `.env` by itself) put
it into the environment, which is judged as reading the file when the code then prints
the environment or a variable of it (`print(os.environ)`, `console.log(process.env.KEY)`);
a program that only loads its settings and runs passes."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.coderead import CodeReader
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# Calls that return what a settings file holds, by the last part of their name.
_VALUES = frozenset({"dotenv_values", "parse_ini_file", "RepositoryEnv", "DotEnv", "read_ini_file"})
# Calls that load a settings file into the environment.
_LOADS = frozenset(
    {"load_dotenv", "read_dotenv", "read_env", "loadEnvFile", "createImmutable", "createMutable",
     "createUnsafeImmutable", "createUnsafeMutable", "overload", "load_env"}
)  # fmt: skip
# Output of the environment, or of a variable of it, on one statement.
_PRINTS_ENV = (
    r"\b(?:print|puts|pp|p|say|printf|echo|print_r|var_dump|var_export|pprint|console\.\w+|write|dump|dumps"
    r"|json_encode|inspect)\b[^;\n]*?(?P<env>os\.environ|os\.getenv|\bgetenv|process\.env|\bENV\b|\$_ENV"
    r"|\$_SERVER|Deno\.env|Bun\.env|\bconfig\(|\benv\()(?P<rest>[^;\n]{0,24})"
)
_OUTPUT = frozenset({"print", "puts", "log", "dir", "table", "print_r", "var_dump", "pp", "p", "write",
                     "info"})
# Variables that hold no secret: printing them after a load is not reading the file.
_PLAIN = frozenset({"HOME", "PATH", "USER", "PWD", "SHELL", "LANG", "TERM", "TMPDIR", "NODE_ENV", "DEBUG"})


def dotenv_reads(judge: Scope, call: Call, reader: CodeReader, code: str) -> list[Verdict | None]:
    """Reads of settings files the code does through a dotenv or ini library."""
    import re

    from agentops_os.guard.coderead import Keyword, text_of

    verdicts: list[Verdict | None] = []
    loaded: list[str] = []
    for dotted, _recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        lib = dotted.split(".", 1)[0].lower()
        texts = [text_of(a.value if isinstance(a, Keyword) else a) for a in args]
        path = next((t for t in texts if t), None)
        if name in _VALUES or (name == "parse" and lib == "dotenv" and reader.lang == "ruby"):
            verdicts.append(_read(judge, call, path or ".env", "reads"))
        elif name in _LOADS or (name == "load" and lib == "dotenv") or (name == "config" and lib == "dotenv"):
            if name.startswith("create") and path:  # Dotenv::createImmutable(dir[, name])
                second = texts[1] if len(texts) > 1 else None
                path = path.rstrip("/") + "/" + (second or ".env")
            if name == "config" and path is None:  # dotenv.config({path: '.env.prod'})
                found = re.search(r"""\bpath\s*:\s*(['"])(.+?)\1""", code)
                path = found.group(2) if found else None
            loaded.append(path or ".env")
    if re.search(r"""['"]dotenv/(?:config|load)['"]|\bDotenv(?:\.|::)(?:load|overload)\b(?!\s*\()""", code):
        loaded.append(".env")  # import 'dotenv/config', ruby `Dotenv.load` without parentheses
    words = [w.text for w in call.args]
    for j, text in enumerate(words):  # node --env-file=.env, deno eval --env-file .env
        if text.startswith("--env-file"):
            value = text.partition("=")[2] or (words[j + 1] if "=" not in text and j + 1 < len(words) else "")
            loaded.append(value or ".env")
    if call.name == "bun":
        loaded.append(".env")  # bun loads .env, .env.local and .env.$NODE_ENV before any code
    if loaded and _prints_environment(reader, code):
        verdicts += [_read(judge, call, path, "loads and prints") for path in loaded]
    return verdicts


def _prints_environment(reader: CodeReader, code: str) -> bool:
    import re

    from agentops_os.guard.coderead import is_environ

    for dotted, recv, args in reader.calls:
        if dotted.rsplit(".", 1)[-1] in _OUTPUT and (is_environ(recv) or any(is_environ(a) for a in args)):
            return True
    for match in re.finditer(_PRINTS_ENV, code):
        named = re.match(r"""\s*(?:\[|\.get\(|\(|\.|\{)?\s*['"]?(\w+)""", match.group("rest"))
        if named is None or named.group(1) not in _PLAIN:
            return True
    return False


def _read(judge: Scope, call: Call, text: str, how: str) -> Verdict | None:
    if text.startswith("~"):
        text = judge.home + text[1:]
    path = judge.resolve(text, quoted=True)
    return judge.judge_read(path, f"{call.name} code {how}") if path is not None else None
