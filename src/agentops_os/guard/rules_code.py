"""Code handed to a shell or interpreter: downloads piped into a shell, here-documents
and one-liners (`python -c`, `node -e`...), whose inner commands are judged as if typed
(through `Scope.inner`, so this module never imports the command dispatcher)."""

from __future__ import annotations

from agentops_os.guard.argv import FETCHERS, operands, program_names, subs_fetch
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.rules_files import write_targets
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import SHELLS, Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

_DELETE_SQL_ORM = ("db:drop", "db:reset", "db:schema:load")


def pipe_to_shell(judge: Scope, call: Call) -> Verdict | None:
    reads_stdin = not operands(call.args) or call.name in ("source", ".", "eval") or any(
        w.text in ("-", "-s", "/dev/stdin") for w in call.args)
    if reads_stdin:
        for command in call.upstream:
            if any(name in FETCHERS for name in program_names(command)):
                return judge.verdict("pipe-to-shell", "deny",
                                     f"pipes a download into {call.name} (download, read, then run it)")
    if subs_fetch(call.args):
        return judge.verdict("pipe-to-shell", "deny",
                             f"runs downloaded code with {call.name} (download, read, then run it)")
    return None


def stdin_script(judge: Scope, call: Call) -> Verdict | None:
    """`bash <<EOF ... EOF`, `sh <<< "..."`, `python - <<EOF`: the here-document is the
    program, so it is judged like a command line (or like interpreter code)."""
    verdicts: list[Verdict | None] = []
    for redirect in call.command.redirects:
        body = redirect.body if redirect.op in ("<<", "<<-") else (
            redirect.target.text if redirect.op == "<<<" and redirect.target is not None else None)
        if not body:
            continue
        if call.name in SHELLS:
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
    return None



def _perl(judge: Scope, call: Call) -> Verdict | None:
    code = code_verdict(judge, call)
    if code is not None and code.decision != "allow":
        return code
    if any(w.text.startswith("-") and "i" in w.text[1:] and not w.text.startswith("--") for w in call.args):
        return write_targets(judge, call, skip_first=True, valued=frozenset({"-e", "-E"}))
    return None



_CODE_FLAGS = {"python": ("-c",), "python3": ("-c",), "node": ("-e", "--eval", "-p", "--print"),
               "perl": ("-e", "-E"), "ruby": ("-e",), "php": ("-r",), "deno": ("eval",),
               "bun": ("-e", "--eval")}
# Shell commands run from code: os.system("..."), subprocess.run("...", shell=True), execSync('...'), `...`.
_CODE_SHELL = (r"""(?:system|popen|exec|execSync|spawnSync|check_output|check_call|getoutput|call|run)"""
               r"""\(\s*(?:\[\s*)?[rbfu]?(['"`])(.+?)\1""")
# Recursive deletes from code: shutil.rmtree("/x"), fs.rmSync("/x", {recursive}), FileUtils.rm_rf("x").
_CODE_DELETE = (r"""(?:rmtree|rmSync|rm_rf|rmdirSync|remove_dir_all|rimraf|removedirs)"""
                r"""\(\s*[rbfu]?(['"`])(.+?)\1""")


def code_verdict(judge: Scope, call: Call) -> Verdict | None:
    """Interpreter one-liners (`python -c`, `node -e`, `perl -e`...): judge the shell
    commands and recursive deletes they contain as if they were typed directly."""
    flags = _CODE_FLAGS.get(call.name, ())
    code = ""
    for j, word in enumerate(call.args):
        if word.text in flags and j + 1 < len(call.args):
            code = call.args[j + 1].text
            break
    if not code or ("(" not in code):
        return None
    import re

    verdicts: list[Verdict | None] = []
    for match in re.finditer(_CODE_SHELL, code):
        inner = match.group(2)
        verdict = judge.inner(inner)
        if verdict.decision != "allow":
            reason = f"{call.name} code runs `{inner[:60]}`: {verdict.reason}"
            verdicts.append(Verdict(verdict.decision, reason, verdict.rule))
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


RULES = {"perl": _perl, "rails": _orm, "rake": _orm, "bin/rails": _orm, "python": _orm, "python3": _orm,
         "prisma": _orm, "node": _orm, "ruby": _orm, "php": _orm, "deno": _orm, "bun": _orm}
