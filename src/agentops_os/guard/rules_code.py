"""Code handed to a shell or interpreter: downloads piped into a shell, here-documents
and one-liners (`python -c`, `node -e`...), whose inner commands are judged as if typed
(through `Scope.inner`, so this module never imports the command dispatcher)."""

from __future__ import annotations

from agentops_os.guard.argv import FETCHERS, operands, program_names, subs_fetch
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.rules_exec import _UNKNOWN, produced_text
from agentops_os.guard.rules_files import write_targets
from agentops_os.guard.shell import Word, commands_of
from agentops_os.guard.unwrap import SHELLS, Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope

    Program = Callable[[str], Verdict | None]


def pipe_to_shell(judge: Scope, call: Call, program: Program | None = None) -> Verdict | None:
    """Code a shell or interpreter reads from a pipe, a redirection or `<(...)`: a
    download is denied; text the guard can compute (`echo`, `printf`, here-documents,
    through `base64 -d`, `xxd -r`, `rev`...) is judged as the program it is; anything
    else is asked, since what would run cannot be seen. `program` judges the text for an
    interpreter this module does not read (rules_scripts: `tclsh`, `R`)."""
    positional = operands(call.args)
    script_flag = call.name in _CODE_FLAGS and any(w.text in _CODE_FLAGS[call.name] for w in call.args)
    reads_stdin = (
        (not positional and not script_flag)
        or call.name in ("source", ".", "eval")
        or any(w.text in ("-", "-s", "/dev/stdin") for w in call.args)
    )
    verdicts: list[Verdict | None] = []
    if reads_stdin and call.upstream:
        for command in call.upstream:
            if any(name in FETCHERS for name in program_names(command)):
                return judge.verdict(
                    "pipe-to-shell",
                    "deny",
                    f"pipes a download into {call.name} (download, read, then run it)",
                )
        verdicts.append(_judge_program(judge, call, produced_text(call.upstream), "piped into", program))
    if subs_fetch(call.args):
        return judge.verdict(
            "pipe-to-shell", "deny", f"runs downloaded code with {call.name} (download, read, then run it)"
        )
    sources = [w for w in positional[:1] if w.subs and w.text.startswith("$(")]  # bash <(echo ...)
    sources += [
        r.target for r in call.command.redirects if r.op == "<" and r.target is not None and r.target.subs
    ]  # sh < <(echo ...)
    for word in sources:
        inner = [c for tokens in word.subs for c in commands_of(tokens)]
        verdicts.append(_judge_program(judge, call, produced_text(inner), "fed through <(...) to", program))
    return worst(verdicts)


def _judge_program(
    judge: Scope, call: Call, text: str | None, how: str, program: Program | None = None
) -> Verdict | None:
    if text is None:
        return judge.verdict(
            "pipe-to-shell",
            "ask",
            f"text {how} {call.name} is computed, so the guard cannot see what would run",
        )
    if program is not None:
        inner = program(text) or Verdict("allow", "")
    elif call.name in SHELLS or call.name in ("source", ".", "eval"):
        inner = judge.inner(text)
    elif call.name in _CODE_FLAGS:
        inner = code_verdict(
            judge, Call(call.name, [Word(_CODE_FLAGS[call.name][0]), Word(text)], call.command)
        ) or Verdict("allow", "")
    else:
        return None
    if inner.decision == "allow":
        return None
    return Verdict(inner.decision, f"code {how} {call.name}: {inner.reason}", inner.rule)


def stdin_script(judge: Scope, call: Call, program: Program | None = None) -> Verdict | None:
    """`bash <<EOF ... EOF`, `sh <<< "..."`, `python - <<EOF`, `source /dev/stdin <<<`:
    the here-document is the program, so it is judged like a command line (or like
    interpreter code; `program` judges it for the interpreters of rules_scripts)."""
    verdicts: list[Verdict | None] = []
    for redirect in call.command.redirects:
        body = (
            redirect.body
            if redirect.op in ("<<", "<<-")
            else (redirect.target.text if redirect.op == "<<<" and redirect.target is not None else None)
        )
        if not body:
            continue
        if program is not None:
            verdicts.append(_judge_program(judge, call, body, "in a here-document of", program))
        elif call.name in SHELLS or call.name in ("source", "."):
            inner = judge.inner(body)
            if inner.decision != "allow":
                reason = f"{call.name} here-document: {inner.reason}"
                verdicts.append(Verdict(inner.decision, reason, inner.rule))
        elif call.name in _CODE_FLAGS:
            flag = _CODE_FLAGS[call.name][0]
            verdicts.append(code_verdict(judge, Call(call.name, [Word(flag), Word(body)], call.command)))
    return worst(verdicts)


def dynamic_name(judge: Scope, call: Call) -> Verdict | None:
    words = call.command.words
    if words and words[0].dynamic and subs_fetch(words[:1]):
        return judge.verdict("pipe-to-shell", "deny", "runs the output of a download as a command")
    if call.dynamic:
        return judge.verdict(
            "unresolved-command",
            "ask",
            f"runs a program the guard cannot know in advance ({call.name[:60]!r}: a variable, "
            f"a substitution or eval of a built string)",
        )
    return None


def _perl(judge: Scope, call: Call) -> Verdict | None:
    code = code_verdict(judge, call)
    if code is not None and code.decision != "allow":
        return code
    if any(w.text.startswith("-") and "i" in w.text[1:] and not w.text.startswith("--") for w in call.args):
        return write_targets(judge, call, skip_first=True, valued=frozenset({"-e", "-E"}))
    return None


_CODE_FLAGS = {
    "python": ("-c",),
    "python3": ("-c",),
    "node": ("-e", "--eval", "-p", "--print"),
    "perl": ("-e", "-E"),
    "ruby": ("-e",),
    "php": ("-r",),
    "deno": ("eval",),
    "bun": ("-e", "--eval"),
    "lua": ("-e",),
}
# Shell commands run from code: os.system("..."), subprocess.run("...", shell=True), execSync('...'), `...`.
_CODE_SHELL = (
    r"""(?:system|popen|exec|execSync|spawnSync|check_output|check_call|getoutput|call|run|execute)"""
    r"""\(\s*(?:\[\s*)?[rbfu]?(['"`])(.+?)\1"""
)
# Recursive deletes from code: shutil.rmtree("/x"), fs.rmSync("/x", {recursive}), FileUtils.rm_rf("x").
_CODE_DELETE = (
    r"""(?:rmtree|rmSync|rm_rf|rmdirSync|remove_dir_all|rimraf|removedirs)"""
    r"""\(\s*[rbfu]?(['"`])(.+?)\1"""
)


_BACKTICK_EXEC = frozenset({"ruby", "perl", "php"})


# The argv-list form: subprocess.run(["rm", "-rf", p]), execFileSync("rm", [...]), spawn(...).
_CODE_ARGV = (
    r"""(?:run|call|check_call|check_output|Popen|execv[pe]?|spawn|spawnSync|execFileSync|execFile)"""
    r"""\(\s*\[([^\]]*)\]"""
)
# A recursive delete whose target is computed (a home lookup, a variable): it cannot be
# resolved, so it is asked about, as `rm -rf "$VAR"` is.
_CODE_DELETE_COMPUTED = (
    r"""(?:rmtree|rmSync|rm_rf|rmdirSync|remove_dir_all|rimraf|remove_tree)\(\s*(?![rbfu]?['"`])"""
)
# A fork bomb written as code: a call that starts a process without waiting for it
# (fork, spawn, Popen) inside a loop that never ends, as a block (`while True: os.fork()`,
# `loop { fork }`, `for(;;) cp.fork(f)`), as a statement modifier (`fork while fork`,
# `fork until false`) or a comprehension (`[os.fork() for _ in iter(int, 1)]`).
_SPAWNS = r"""(?:\bfork\b|\bpcntl_fork\b|\bspawn\b|\bPopen\b|\bposix_spawnp?\b)"""
_ENDLESS = (
    r"""(?:\bwhile\s*\(?\s*(?:True|true|1|!0|fork)\b|\buntil\s*\(?\s*(?:false|0|nil)\b|\bfor\s*\(\s*;\s*;\s*\)"""
    r"""|\bfor\s+\w+\s+in\s+(?:iter\(\s*int\s*,\s*1\s*\)|(?:itertools\.)?(?:count|cycle|repeat)\())"""
)
_FORK_LOOP = (
    rf"""(?s)(?:{_ENDLESS}|\bloop\s*(?:\{{|do\b)|\bsetInterval\s*\().{{0,80}}?{_SPAWNS}"""
    rf"""|{_SPAWNS}[^;\n]{{0,60}}?{_ENDLESS}|\b(?:while|until)\s*\(?\s*fork\b"""
)


def _code_shapes(judge: Scope, call: Call, code: str) -> Verdict | None:
    """What the code does that no single string in it shows: a computed delete target,
    a fork loop."""
    import re

    from agentops_os.guard.revshell import code_shell

    shell = code_shell(judge, call.name, code)
    if shell is not None:
        return shell
    if re.search(_FORK_LOOP, code):
        return judge.verdict("fork-bomb", "deny", f"{call.name} code forks in an endless loop")
    match = re.search(_CODE_DELETE_COMPUTED, code)
    if match:
        shown = code[match.start() :][:50]
        reason = f"{call.name} code deletes a tree it computes ({shown!r})"
        return judge.verdict("rm-unresolved", "ask", reason)
    return None


# Short flags without a value that may come before the code flag in one word (`perl -lne`).
_GROUPS = {"python": "bBdEhiIOqsSuvR", "python3": "bBdEhiIOqsSuvR", "node": "p", "bun": "p",
           "perl": "lnpaswWtTU0", "ruby": "nplwadsv"}  # fmt: skip
# Options of `deno eval` that take a value (`deno eval --ext ts 'code'`).
_DENO_VALUED = frozenset({"--ext", "-c", "--config", "--import-map", "--cert", "--location", "--seed"})


def _code_text(call: Call) -> str:
    """The code given on the command line: the word after `-c`/`-e`/`eval` (after
    `deno eval`'s options), also in a group of short flags (`node -pe`, `python3 -Ic`)."""
    flags = _CODE_FLAGS.get(call.name, ())
    args = call.args
    group = _GROUPS.get(call.name, "")
    for j, word in enumerate(args):
        text = word.text
        grouped = len(text) > 2 and text[0] == "-" and all(c in group for c in text[1:-1])
        if text in flags or (grouped and "-" + text[-1] in flags):
            k = j + 1
            while call.name == "deno" and k < len(args) and args[k].text.startswith("-"):
                k += 2 if args[k].text in _DENO_VALUED else 1
            return args[k].text if k < len(args) else ""
    return ""


def code_verdict(judge: Scope, call: Call, depth: int = 0, code: str | None = None) -> Verdict | None:
    """Interpreter one-liners (`python -c`, `node -e`, `perl -e`...): judge the shell
    commands and recursive deletes they contain as if they were typed directly, and what
    `read_code` finds the code computing (`depth`: how many decoded layers deep; `code`:
    the text, when it is not on the command line)."""
    code = _code_text(call) if code is None else code
    if call.name == "lua" and code:
        from agentops_os.guard.codelangs import lua_code  # `..` and `s:method()` as the reader knows them

        code = lua_code(code)
    if not code:
        return None
    shapes = _code_shapes(judge, call, code)
    verdicts: list[Verdict | None] = [shapes, *read_code(judge, call, code, depth)]
    if not any(c in code for c in "(`{"):
        return worst(verdicts)
    import re

    for match in re.finditer(_CODE_ARGV, code):  # subprocess.run(["rm", "-rf", "/x"])
        from shlex import quote

        words = re.findall(r"""[rbfu]?(['"])(.*?)\1""", match.group(1))
        inner = " ".join(quote(w) for _q, w in words)
        verdict = judge.inner(inner) if inner else None
        if verdict is not None and verdict.decision != "allow":
            reason = f"{call.name} code runs `{inner[:60]}`: {verdict.reason}"
            verdicts.append(Verdict(verdict.decision, reason, verdict.rule))
    for match in re.finditer(_CODE_SHELL, code):
        inner = match.group(2)
        verdict = judge.inner(inner)
        if verdict.decision != "allow":
            reason = f"{call.name} code runs `{inner[:60]}`: {verdict.reason}"
            verdicts.append(Verdict(verdict.decision, reason, verdict.rule))
    # Backticks run a shell only in Ruby, Perl and PHP; in Python or JS they are text (Markdown
    # in a string, a template literal), and reading them as commands asked about harmless code.
    backticks = r"`([^`]+)`|%x\{([^}]+)\}|\bqx[{(/]([^})/]+)[})/]"
    if _LANGS.get(call.name.rstrip("0123456789.")) == "node":
        backticks = r"(?:\bBun\.|(?<![\w$.]))\$`([^`]+)`"  # Bun's, zx's and dax's shell: $`rm -rf ~`
    elif call.name.rstrip("0123456789.") not in _BACKTICK_EXEC:
        backticks = r"(?!)"  # matches nothing
    for match in re.finditer(backticks, code):
        inner = next(g for g in match.groups() if g)
        verdict = judge.inner(inner)
        if verdict.decision != "allow":
            verdicts.append(
                Verdict(
                    verdict.decision, f"{call.name} code runs `{inner[:60]}`: {verdict.reason}", verdict.rule
                )
            )
    for match in re.finditer(
        r"""\bopen\(\s*[rbfu]?(['"])(.+?)\1\s*,\s*[rbfu]?['"][^'"]*[wax+]|"""
        r"""\(\s*[rbfu]?(['"])(.+?)\3\s*\)\s*\.\s*(?:write_text|write_bytes|unlink|rmdir|touch)""",
        code,
    ):
        target = match.group(2) or match.group(4)
        path = judge.resolve(target, quoted=True)
        if path is not None:
            verdicts.append(judge.judge_write(path, f"{call.name} code writes"))
    for match in re.finditer(_CODE_DELETE, code):
        target = match.group(2)
        verdicts.append(delete_targets(judge, Call("rm", [Word(target)], call.command), [Word(target)], True))
    return worst(verdicts)



_LANGS = {"node": "node", "deno": "node", "bun": "node", "perl": "perl", "ruby": "ruby", "php": "php"}
# What calls do, by the name they are called with (the last part of a dotted name).
_RUNS_CODE = {
    "python": frozenset({"exec", "eval"}),
    "node": frozenset({"eval", "Function", "runInThisContext", "runInNewContext", "runInContext"}),
    "perl": frozenset({"eval"}),
    "ruby": frozenset({"eval", "instance_eval", "class_eval", "module_eval"}),
    "php": frozenset({"eval", "assert"}),
}
_RUNS_SHELL = frozenset(
    {"system", "popen", "exec", "execSync", "spawnSync", "check_output", "check_call", "getoutput",
     "getstatusoutput", "call", "run", "Popen", "shell_exec", "passthru", "proc_open", "capture2",
     "capture2e", "capture3", "popen3", "spawn", "execute", "execvp", "execv", "execl", "execlp", "execve",
     "execvpe", "execle", "execlpe", "spawnv", "spawnvp", "spawnve", "spawnvpe", "spawnl", "spawnlp",
     "spawnle", "spawnlpe", "posix_spawn", "posix_spawnp", "execFile", "execFileSync", "pcntl_exec",
     "doShellScript"}
)  # fmt: skip
_DELETES_TREE = frozenset(
    {"rmtree", "remove_tree", "rm_rf", "rm_r", "remove_dir", "remove_entry", "remove_entry_secure", "rmSync",
     "rimraf", "rimrafSync", "removedirs", "remove_dir_all", "removeSync", "emptyDirSync", "rm"}
)  # fmt: skip
_DELETES_FILE = frozenset(
    {"unlink", "unlinkSync", "os.remove", "File.delete", "FileUtils.rm", "FileUtils.remove"}
)
_READS = frozenset(
    {"open", "fopen", "readFileSync", "readFile", "createReadStream", "read_text", "read_bytes", "readlines",
     "binread", "foreach", "file_get_contents", "readfile", "readTextFile", "readTextFileSync", "file",
     "copyfile", "copy", "copy2", "copyFileSync", "copyFile", "cp", "copySync", "File.read", "IO.read"}
)  # fmt: skip
_COPIES = frozenset({"copyfile", "copy", "copy2", "copyFileSync", "copyFile", "cp", "copySync"})
_WRITES = frozenset(
    {"writeFileSync", "appendFileSync", "writeFile", "appendFile", "createWriteStream", "write_text",
     "write_bytes", "file_put_contents", "File.write", "IO.write"}
)  # fmt: skip
_NETWORK = (
    r"urlopen|urllib|requests\.|httpx|http\.client|aiohttp|socket|fetch\(|axios|https?\.(?:get|request)|"
    r"\bgot\(|Net::HTTP|open-uri|URI|HTTParty|Faraday|LWP|HTTP::Tiny|IO::Socket|curl_|file_get_contents|"
    r"fsockopen|XMLHttpRequest|WebSocket|net\.connect|Deno\.connect|wget|http_get|"
    r"""require\(\s*['"](?:node:)?(?:https?|net|tls|dgram|undici)['"]"""
)


def read_code(judge: Scope, call: Call, code: str, depth: int) -> list[Verdict | None]:
    """What interpreter code does with the values it computes: deletes, reads, writes,
    fetches, and code or shell text it runs (decoded first when it is base64, hex or
    compressed; asked about when it cannot be decoded)."""
    from agentops_os.guard.codefetch import network_code
    from agentops_os.guard.coderead import CodeReader, program_argv  # only code pays for the code reader
    from agentops_os.guard.revshell import socket_shell

    lang = _LANGS.get(call.name.rstrip("0123456789."), "python")
    reader = CodeReader(code, lang, judge.home)
    verdicts = [*network_code(judge, call, reader, _RUNS_SHELL), socket_shell(judge, call, reader, code)]
    for dotted, recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        tail = dotted.rsplit(".", 2)[-2:]
        qualified = ".".join(tail)
        first = args[0] if args else None
        if name in _RUNS_CODE.get(lang, ()) or name in _RUNS_SHELL:
            as_code = name in _RUNS_CODE.get(lang, ()) and not (lang == "node" and name == "exec")
            argv = None if as_code else program_argv(lang, dotted, args)
            shown = _argv_text(judge, argv) if argv is not None else first
            verdicts.append(_runs(judge, call, shown, as_code, depth))
        if name in _DELETES_TREE and (name != "rm" or tail[0] in ("fs", "promises", "fse")):
            verdicts.append(_deletes(judge, call, [recv, *args], recursive=True))
        elif name in _DELETES_FILE or qualified in _DELETES_FILE:
            verdicts.append(_deletes(judge, call, [recv, *args], recursive=False))
        elif name == "delete" and lang == "node" and isinstance(recv, str) and not args:  # Bun.file(p)
            verdicts.append(_deletes(judge, call, [recv], recursive=False))
        if name == "foreach" and lang == "php":
            pass  # php's foreach is a loop, not IO.foreach
        elif name in _READS and (name not in ("file", "copy", "cp") or lang == "php" or tail[0] == "shutil"):
            verdicts.extend(_opens(judge, call, lang, name, recv, args))
        elif qualified in _READS:
            verdicts.append(_judge_path(judge, call, first, "reads"))
        if name in _WRITES or qualified in _WRITES:
            verdicts.append(_judge_path(judge, call, recv if name.startswith("write_") else first, "writes"))
        if qualified in ("Deno.remove", "Deno.removeSync"):  # recursive only when told so
            verdicts.append(_deletes(judge, call, args[:1], recursive="recursive" in code))
    from agentops_os.guard.codedotenv import dotenv_reads
    from agentops_os.guard.codetree import listed_deletes

    verdicts += listed_deletes(judge, call, reader, code, _deletes)
    verdicts += dotenv_reads(judge, call, reader, code)
    import re

    if re.search(_NETWORK, code):
        from agentops_os.guard.codefetch import fetches, sends_environment

        verdicts.extend(fetches(judge, reader))
        verdicts.append(sends_environment(judge, call, reader))
    return verdicts


def _runs(judge: Scope, call: Call, value: object, as_code: bool, depth: int) -> Verdict | None:
    from agentops_os.guard.coderead import OBFUSCATED, text_of  # only code pays for the code reader

    if value is OBFUSCATED:
        return judge.verdict(
            "code-obfuscated", "ask", f"{call.name} code runs text it decodes, which the guard cannot read"
        )
    text = text_of(value)
    if not text:
        return None
    if as_code:
        if depth >= 3:
            return judge.verdict("code-obfuscated", "ask", f"{call.name} code decodes code nested too deeply")
        flag = _CODE_FLAGS.get(call.name, ("-c",))[0]
        verdict = code_verdict(judge, Call(call.name, [Word(flag), Word(text)], call.command), depth + 1)
    else:
        verdict = judge.inner(text)
    if verdict is None or verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{call.name} code runs `{text[:60]}`: {verdict.reason}", verdict.rule)


def _argv_text(judge: Scope, argv: list[object]) -> str | None:
    """A program's argv written as the command line that runs the same thing: literal
    words quoted (a leading `~`, which code means as home, left to expand), a value the
    guard cannot know as one unknown variable (`rm -rf "$X"` is asked about)."""
    from shlex import quote

    from agentops_os.guard.coderead import text_of  # only code pays for the code reader

    words: list[str] = []
    for value in argv:
        text = text_of(value)
        if text is None:
            words.append('"' + _UNKNOWN + '"')
        elif text == "~" or text.startswith("~/"):
            words.append("~" + quote(text[1:]) if text[1:] else "~")
        else:
            words.append(quote(text))
    return " ".join(words) if argv and text_of(argv[0]) else None


def _paths(judge: Scope, values: list[object]) -> list[str]:
    from agentops_os.guard.coderead import text_of  # only code pays for the code reader

    out: list[str] = []
    for value in values:
        if isinstance(value, list):
            out += _paths(judge, value)
        text = text_of(value)
        if text:
            text = judge.home + text[1:] if text.startswith("~") else text
            path = judge.resolve(text, quoted=True)
            if path is not None:
                out.append(path)
    return out


def _deletes(judge: Scope, call: Call, values: list[object], recursive: bool) -> Verdict | None:
    """Delete what `values` name; a glob a listing call was given (`glob('src/*')`) names
    what it matches, as an unquoted glob of `rm` does."""
    from agentops_os.guard.coderead import Pattern  # only code pays for the code reader

    def globs(value: object) -> bool:
        return isinstance(value, Pattern) or (isinstance(value, list) and any(globs(v) for v in value))

    targets = [Word(p, quoted=True) for p in _paths(judge, [v for v in values if not globs(v)])]
    targets += [Word(p, glob=True) for p in _paths(judge, [v for v in values if globs(v)])]
    return delete_targets(judge, Call("rm", targets, call.command), targets, recursive) if targets else None


def _judge_path(judge: Scope, call: Call, value: object, how: str) -> Verdict | None:
    verdicts = [
        judge.judge_read(path, f"{call.name} code reads") if how == "reads" else
        judge.judge_write(path, f"{call.name} code writes")
        for path in _paths(judge, [value])
    ]  # fmt: skip
    return worst(verdicts) if verdicts else None


def _opens(
    judge: Scope, call: Call, lang: str, name: str, recv: object, args: list[object]
) -> list[Verdict | None]:
    """open(path, mode) and its relatives: a read, a write, or (Perl `open(F, "cmd|")`) a pipe."""
    from agentops_os.guard.coderead import Ref, text_of  # only code pays for the code reader

    if recv is not None and not isinstance(recv, Ref):  # Path(p).open('w'), Path(p).read_text()
        path, mode = recv, text_of(args[0]) if args and name == "open" else ""
    elif lang == "perl" and name == "open":
        texts = [t for t in (text_of(a) for a in args) if t is not None]
        if not texts:
            return []
        mode, path = (texts[-2], texts[-1]) if len(texts) > 1 else ("", texts[-1])
        stripped = path.strip()
        if stripped.startswith("|") or stripped.endswith("|") or "|" in mode:
            return [_runs(judge, call, stripped.strip("|"), False, 0)]
        mode += stripped[: len(stripped) - len(stripped.lstrip("+<>"))]
        path = stripped.lstrip("+<>").strip()
    else:
        path = args[0] if args else None
        mode = text_of(args[1]) if len(args) > 1 and name in ("open", "fopen") else ""
        if name in _COPIES and len(args) > 1:
            return [_judge_path(judge, call, path, "reads"), _judge_path(judge, call, args[1], "writes")]
    mode = mode or ""
    writes = any(c in mode for c in "wax>")
    out = [_judge_path(judge, call, path, "writes")] if writes or "+" in mode else []
    if not writes or "+" in mode:
        out.append(_judge_path(judge, call, path, "reads"))
    return out


def _orm(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.ormreset import db_reset

    if call.name == "lua":  # not an EXEC_SINK: its piped and here-document code is read here
        piped = worst([pipe_to_shell(judge, call), stdin_script(judge, call)])
        if piped.decision != "allow":
            return piped
    if call.name in _CODE_FLAGS:
        verdict = code_verdict(judge, call)
        if verdict is not None and verdict.decision != "allow":
            return verdict
    if call.name in ("python", "python3"):  # `setup.py install --prefix`, `-m pytest --basetemp`
        from agentops_os.guard.rules_build import python

        return worst([python(judge, call), db_reset(judge, call)])
    if call.name == "bun":  # `bun x PKG ARGS`, `bun publish`, `bun pm …` as npm's are judged
        from agentops_os.guard.rules_packages import javascript

        return worst([javascript(judge, call), db_reset(judge, call)])
    return db_reset(judge, call)


_ORM_PROGRAMS = (
    "rails", "rake", "bin/rails", "prisma", "python", "python3", "node", "ruby", "php", "deno", "bun", "lua",
    "alembic", "flask", "knex", "sequelize", "sequelize-cli", "typeorm", "typeorm-ts-node-commonjs",
    "typeorm-ts-node-esm", "mikro-orm", "artisan", "django-admin", "manage.py", "mix",
)  # fmt: skip
RULES = {"perl": _perl, **dict.fromkeys(_ORM_PROGRAMS, _orm)}
