"""Code of the interpreters in codelangs' table (Tcl, AppleScript and JavaScript for
Automation, Julia, Emacs Lisp, R, Lua under other names), given on the command line
(`julia -e`, `osascript -e`, `emacs --batch --eval`, `Rscript -e`), piped in (`echo CODE |
tclsh`, `curl URL | tclsh`) or in a here-document: what it would run, delete, read or
write is judged as the command line that does the same (`file delete -force ~` as `rm -r
-f ~`, `do shell script "CMD"` as CMD), as rules_code judges Python's."""

from __future__ import annotations

from agentops_os.guard.codelangs import PROGRAMS, STDIN_CODE, code_of
from agentops_os.guard.rules_code import _argv_text, _judge_path, code_verdict, pipe_to_shell, stdin_script
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

Op = tuple[str, object]


def _script(judge: Scope, call: Call) -> Verdict | None:
    lang = PROGRAMS[call.name]
    code = code_of(call.name, [w.text for w in call.args])
    verdicts: list[Verdict | None] = []
    if code is not None:
        verdicts.append(judge_code(judge, call, code))
    elif lang in STDIN_CODE:

        def program(text: str) -> Verdict | None:
            return judge_code(judge, call, text)

        verdicts += [pipe_to_shell(judge, call, program), stdin_script(judge, call, program)]
    verdict = worst(verdicts)
    return verdict if verdict.decision != "allow" else None


def judge_code(judge: Scope, call: Call, code: str) -> Verdict | None:
    """The strongest verdict over what `code`, in `call`'s language, would do."""
    from agentops_os.guard import codelangs

    lang = PROGRAMS[call.name]
    verdicts: list[Verdict | None] = []
    ops: list[Op] = []
    if lang == "tcl":
        from agentops_os.guard.codetcl import Tcl

        reader = Tcl(judge.home, expect=call.name == "expect")
        reader.script(code)
        ops = reader.ops
    elif lang in ("elisp", "lisp"):  # Emacs Lisp, and the Schemes and Common Lisps (codelisp)
        from agentops_os.guard.codelisp import lisp_ops

        ops = lisp_ops(code, judge.home)
    elif lang in ("erlang", "elixir"):  # rewritten as the Python that does the same
        verdicts.append(code_verdict(judge, call, code=codelangs.beam_code(code)))
    elif lang == "applescript" and _javascript(call):
        inner = code_verdict(judge, Call("node", [Word("-e"), Word(code)], call.command))
        if inner is not None and inner.decision != "allow":
            reason = inner.reason.replace("node code", "osascript (JavaScript) code", 1)
            verdicts.append(Verdict(inner.decision, reason, inner.rule))
    elif lang == "applescript":
        ops = codelangs.applescript_ops(code, judge.home)
    elif lang == "lua":
        verdicts.append(code_verdict(judge, Call("lua", [Word("-e"), Word(code)], call.command)))
    else:
        if lang == "julia":
            code, commands = codelangs.julia_code(code, judge.home)
            ops = [("run", command) for command in commands]
        else:
            code = codelangs.r_code(code)
        verdicts.append(code_verdict(judge, call, code=code))
        ops += _call_ops(judge, lang, code)
    verdicts += _judge_ops(judge, call, ops)
    return worst(verdicts)


def _javascript(call: Call) -> bool:
    words = [w.text for w in call.args]
    return any(words[j] == "-l" and words[j + 1].lower() == "javascript" for j in range(len(words) - 1))


def _call_ops(judge: Scope, lang: str, code: str) -> list[Op]:
    """Julia's and R's deletes, copies and programs, as the code reader sees their calls."""
    from agentops_os.guard.coderead import CodeReader, Keyword, text_of

    ops: list[Op] = []
    for dotted, _recv, args in CodeReader(code, "python", judge.home).calls:
        name = dotted.rsplit(".", 1)[-1]
        named = {a.name: a.value for a in args if isinstance(a, Keyword)}
        positional = [a for a in args if not isinstance(a, Keyword)]
        words = _words(positional)
        recursive = _true(named.get("recursive"))
        if (name == "rm" and lang == "julia") or (name == "unlink" and lang == "r"):
            ops.append(("argv", ["rm", "-r", "-f", *words[:1]] if recursive else ["rm", "-f", *words[:1]]))
        elif name == "file_remove":
            ops.append(("argv", ["rm", "-f", *words]))
        elif name in ("cp", "mv", "file_copy", "file_rename", "cptree") and len(words) > 1:
            program = "mv" if name in ("mv", "file_rename") else "cp"
            ops.append(("argv", [program, "-r", *words[:2]]))
        elif name in ("system2", "exec_wait", "exec_background") or (name == "run" and lang == "r"):
            given = positional[1:2] or [named.get("args")]
            program_args = _words(given) if given[0] is not None else []
            if name == "system2":  # R pastes the words into one command line
                head = text_of(positional[0]) if positional else None
                texts = [w if w is not None else '"${UNKNOWN_VALUE}"' for w in program_args]
                ops.append(("run", " ".join([head or '"${UNKNOWN_VALUE}"', *texts])))
            else:
                ops.append(("argv", [*words[:1], *program_args]))
        elif name in ("writeLines", "write") and lang == "r" and (len(words) > 1 or "con" in named):
            ops.append(("write", text_of(named["con"]) if "con" in named else words[1]))
        elif name == "cat" and "file" in named:
            ops.append(("write", text_of(named["file"])))
    return ops


def _words(values: list[object]) -> list[str | None]:
    from agentops_os.guard.coderead import text_of

    out: list[str | None] = []
    for value in values:
        out += _words(value) if isinstance(value, list) else [text_of(value)]
    return out


def _true(value: object) -> bool:
    from agentops_os.guard.coderead import Ref

    return value is True or value == 1 or (isinstance(value, Ref) and value.path in ("true", "TRUE", "T"))


def _judge_ops(judge: Scope, call: Call, ops: list[Op]) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    for kind, payload in ops:
        if kind == "fetch-run":
            reason = f"{call.name} code evaluates what it downloads (download, read, then run it)"
            verdicts.append(judge.verdict("pipe-to-shell", "deny", reason))
            continue
        if kind in ("read", "write"):
            verdicts.append(_judge_path(judge, call, payload, kind + "s"))
            continue
        text = payload if isinstance(payload, str) else None
        if isinstance(payload, list):
            text = _argv_text(judge, payload)
        if not text:
            continue
        verdict = judge.inner(text)
        if verdict.decision != "allow":
            reason = f"{call.name} code runs `{text[:60]}`: {verdict.reason}"
            verdicts.append(Verdict(verdict.decision, reason, verdict.rule))
    return verdicts


RULES = dict.fromkeys(PROGRAMS, _script)
