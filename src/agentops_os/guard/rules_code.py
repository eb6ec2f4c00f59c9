"""Code handed to a shell or interpreter: downloads piped into a shell, here-documents
and one-liners (`python -c`, `node -e`...), whose inner commands are judged as if typed
(through `Scope.inner`, so this module never imports the command dispatcher)."""

from __future__ import annotations

from agentops_os.guard.argv import FETCHERS, operands, program_names, subs_fetch
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.rules_files import write_targets
from agentops_os.guard.shell import Command, Word, commands_of
from agentops_os.guard.unwrap import SHELLS, Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

_DELETE_SQL_ORM = ("db:drop", "db:reset", "db:schema:load")


def pipe_to_shell(judge: Scope, call: Call) -> Verdict | None:
    """Code a shell or interpreter reads from a pipe, a redirection or `<(...)`: a
    download is denied; text the guard can compute (`echo`, `printf`, here-documents,
    through `base64 -d`, `xxd -r`, `rev`...) is judged as the program it is; anything
    else is asked, since what would run cannot be seen."""
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
        verdicts.append(_judge_program(judge, call, produced_text(call.upstream), "piped into"))
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
        verdicts.append(_judge_program(judge, call, produced_text(inner), "fed through <(...) to"))
    return worst(verdicts)


def _judge_program(judge: Scope, call: Call, text: str | None, how: str) -> Verdict | None:
    if text is None:
        return judge.verdict(
            "pipe-to-shell",
            "ask",
            f"text {how} {call.name} is computed, so the guard cannot see what would run",
        )
    if call.name in SHELLS or call.name in ("source", ".", "eval"):
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


_PASS_THROUGH = frozenset({"cat", "head", "tail", "grep", "sort", "uniq", "tee", "dos2unix"})


def produced_text(commands: list[Command]) -> str | None:
    """What a pipeline writes to its stdout, when the guard can compute it: `echo`,
    `printf`, `cat` of a here-document, then decoders (`base64 -d`, `xxd -r -p`,
    `openssl base64 -d`, `rev`). None when any stage is something else."""
    text: str | None = None
    for command in commands:
        argv = [w.text for w in command.words]
        if not argv or any(w.dynamic for w in command.words):
            return None
        name = argv[0].rsplit("/", 1)[-1]
        fed = next(
            (
                r.body if r.op in ("<<", "<<-") else (r.target.text + "\n" if r.target else None)
                for r in command.redirects
                if r.op in ("<<", "<<-", "<<<")
            ),
            None,
        )
        stdin = fed if fed is not None else text
        if name == "echo":
            args = argv[1:]
            while args and args[0] in ("-n", "-e", "-E", "-ne", "-en"):
                args = args[1:]
            text = " ".join(args) + "\n"
        elif name == "printf":
            fmt, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
            text = (
                fmt.replace("\\n", "\n").replace("%s", " ".join(args))
                if "%s" in fmt
                else fmt + " ".join(args)
            )
        elif name in _PASS_THROUGH and len(argv) == 1 or name == "cat" and argv[1:] == ["-"]:
            text = stdin
        elif (
            name in ("base64", "openssl")
            and any(a in ("-d", "--decode", "-D") for a in argv[1:])
            and (name == "base64" or "base64" in argv or "-base64" in argv or "-a" in argv)
        ):
            text = _b64(stdin)
        elif name == "xxd" and "-r" in argv and "-p" in argv or name == "xxd" and "-rp" in argv:
            text = _unhex(stdin)
        elif name == "rev" and len(argv) == 1 and stdin is not None:
            text = "\n".join(line[::-1] for line in stdin.split("\n"))
        else:
            return None
        if text is None:
            return None
    return text


def _b64(text: str | None) -> str | None:
    if text is None:
        return None
    import base64
    import binascii

    try:
        return base64.b64decode("".join(text.split()), validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _unhex(text: str | None) -> str | None:
    try:
        return bytes.fromhex("".join((text or "").split())).decode("utf-8", "replace") if text else None
    except ValueError:
        return None


def stdin_script(judge: Scope, call: Call) -> Verdict | None:
    """`bash <<EOF ... EOF`, `sh <<< "..."`, `python - <<EOF`, `source /dev/stdin <<<`:
    the here-document is the program, so it is judged like a command line (or like
    interpreter code)."""
    verdicts: list[Verdict | None] = []
    for redirect in call.command.redirects:
        body = (
            redirect.body
            if redirect.op in ("<<", "<<-")
            else (redirect.target.text if redirect.op == "<<<" and redirect.target is not None else None)
        )
        if not body:
            continue
        if call.name in SHELLS or call.name in ("source", "."):
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
_FORK_LOOP = (
    r"""(?s)(?:while\s*(?:True|1|\(\s*1\s*\)|\(\s*true\s*\))|for\s*\(\s*;\s*;\s*\)).{0,80}?fork\("""
    r"""|fork\s+while\s+1|fork\(\)\s*while"""
)


def _code_shapes(judge: Scope, call: Call, code: str) -> Verdict | None:
    """What the code does that no single string in it shows: a computed delete target,
    a fork loop."""
    import re

    if re.search(_FORK_LOOP, code):
        return judge.verdict("fork-bomb", "deny", f"{call.name} code forks in an endless loop")
    match = re.search(_CODE_DELETE_COMPUTED, code)
    if match:
        shown = code[match.start() :][:50]
        reason = f"{call.name} code deletes a tree it computes ({shown!r})"
        return judge.verdict("rm-unresolved", "ask", reason)
    return None


def code_verdict(judge: Scope, call: Call) -> Verdict | None:
    """Interpreter one-liners (`python -c`, `node -e`, `perl -e`...): judge the shell
    commands and recursive deletes they contain as if they were typed directly."""
    flags = _CODE_FLAGS.get(call.name, ())
    code = ""
    for j, word in enumerate(call.args):
        if word.text in flags and j + 1 < len(call.args):
            code = call.args[j + 1].text
            break
    if not code:
        return None
    shapes = _code_shapes(judge, call, code)
    if not any(c in code for c in "(`{"):
        return shapes
    import re

    verdicts: list[Verdict | None] = [shapes]
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
    if call.name.rstrip("0123456789.") not in _BACKTICK_EXEC:
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


def _orm(judge: Scope, call: Call) -> Verdict | None:
    if call.name in _CODE_FLAGS:
        verdict = code_verdict(judge, call)
        if verdict is not None and verdict.decision != "allow":
            return verdict
    argv = call.argv
    if any(a in _DELETE_SQL_ORM for a in argv):
        return judge.verdict("sql-drop", "deny", f"{call.name} {' '.join(argv[:2])} drops the database")
    if call.name in ("python", "python3") and "manage.py" in argv[:1] and "flush" in argv:
        return judge.verdict("sql-drop", "ask", "manage.py flush deletes every row")
    if call.name in ("prisma", "npx") and "reset" in argv:
        return judge.verdict("sql-drop", "ask", "prisma migrate reset drops the database")
    return None


RULES = {
    "perl": _perl,
    "rails": _orm,
    "rake": _orm,
    "bin/rails": _orm,
    "python": _orm,
    "python3": _orm,
    "prisma": _orm,
    "node": _orm,
    "ruby": _orm,
    "php": _orm,
    "deno": _orm,
    "bun": _orm,
    "lua": _orm,
}
