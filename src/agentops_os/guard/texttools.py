"""Text tools that write files their script or options name, empty the files they are
given, or write without end.

- sed's `w FILE` and `W FILE` commands and the `s///w FILE` flag write FILE (also without
  `-i`: `sed -n 'w ~/.bashrc' payload` copies payload over ~/.bashrc); `e CMD` runs CMD.
  `--sandbox` refuses all three.
- `find -fprint FILE`, `-fprint0 FILE`, `-fls FILE`, `-fprintf FILE FORMAT` write FILE.
- In place, a script that keeps no line empties every file it is given: `sed -i d`,
  `sed -n -i` with nothing printed, `awk -i inplace 'NR<0'` (a pattern never true, an empty
  action), `perl -ni -e 0` (`-n` with no print), `tee FILES < /dev/null`: counted like a
  delete of those files (the mass-delete limit on tracked files, rules_delete).
- Output without end into a file fills the disk: `yes > f`, `cat /dev/zero > f`, `dd
  if=/dev/urandom of=f` with no `count=`, `yes | tr -d '\\n' > f`; `fallocate -l 1T f`
  claims the space at once (asked from 10 GiB).

Called from commands for the programs in its `_TEXT_TOOLS`; judged besides their own rules."""

from __future__ import annotations

import re

from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Command, Redirect
    from agentops_os.guard.unwrap import Call

SEDS = frozenset({"sed", "gsed"})
_ENDLESS_DEVICES = frozenset({"/dev/zero", "/dev/urandom", "/dev/random", "/dev/full"})
_STDOUT_WRITES = frozenset({">", ">>", ">|", "&>", "&>>", "1>", "1>>"})
_NOT_FILES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/fd/")
_BIG = 10 * 1024**3


def judge_call(judge: Scope, call: Call) -> Verdict | None:
    name = call.name
    verdicts: list[Verdict | None] = []
    if name in SEDS:
        verdicts.append(_sed(judge, call))
    if name in ("tee", "sed", "gsed", "awk", "gawk", "perl"):
        verdicts.append(_emptying(judge, call))
    if name == "find":
        verdicts.append(_find_prints(judge, call))
    verdicts.append(_fills_disk(judge, call))
    verdict = worst(verdicts)
    return verdict if verdict.decision != "allow" else None


# -- sed -----------------------------------------------------------------------------------


def sed_scripts(args: list[Word]) -> tuple[list[str], list[Word]]:
    """sed's script texts (`-e` values, else its first operand) and its file operands."""
    scripts: list[str] = []
    files: list[Word] = []
    given = False
    j = 0
    while j < len(args):
        text = args[j].text
        if text in ("-e", "--expression") and j + 1 < len(args):
            scripts.append(args[j + 1].text)
            given, j = True, j + 2
            continue
        if text.startswith("--expression="):
            scripts.append(text.split("=", 1)[1])
            given = True
        elif text in ("-f", "--file"):
            given, j = True, j + 2
            continue
        elif text.startswith("--file="):
            given = True
        elif text in ("-l", "--line-length"):
            j += 2
            continue
        elif text.startswith("-") and len(text) > 1 and not text.startswith("--"):
            for k, letter in enumerate(text[1:], start=2):
                if letter == "i":
                    break  # the rest is the backup suffix (`-i.save`)
                if letter in "efl":  # `-ne SCRIPT`, `-nf FILE`, `-l 80`: a value follows
                    value = text[k:]
                    if not value and j + 1 < len(args):
                        value = args[j + 1].text
                        j += 1
                    if letter == "e":
                        scripts.append(value)
                    given = given or letter in "ef"
                    break
        elif not text.startswith("-") or text == "-":
            files.append(args[j])
        j += 1
    if not given and files:
        scripts, files = [files[0].text], files[1:]
    return scripts, files


def sed_effects(script: str) -> list[tuple[str, str]]:
    """("write", FILE) for `w`/`W` commands and `s///w` flags, ("run", CMD) for `e CMD`,
    ("print", "") for `p`/`P`/`=`/`l`/`i`/`a`/`c`/`r` (anything that still writes lines out),
    ("delete", ADDRESSED) for `d`/`D` (`ADDRESSED` "1" when an address limits it)."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(script)
    while i < n:
        while i < n and script[i] in " \t\n;{}":
            i += 1
        if i >= n:
            break
        start = i
        i = _address(script, i)
        addressed = i > start and script[start:i].strip() not in ("1,$", "0,$", "")
        while i < n and script[i] in " \t!":
            i += 1
        if i >= n:
            break
        c = script[i]
        i += 1
        if c in "sy" and i < n:
            delim = script[i]
            i += 1
            for _ in range(2):
                while i < n and script[i] != delim:
                    i += 2 if script[i] == "\\" else 1
                i += 1
            flags_start = i
            while i < n and script[i] in "gpiImMe0123456789":
                i += 1
            if "p" in script[flags_start:i]:
                out.append(("print", ""))
            if i < n and script[i] == "w":
                end = _line_end(script, i + 1)
                out.append(("write", script[i + 1 : end].strip()))
                i = end
        elif c in "wW":
            end = _line_end(script, i)
            out.append(("write", script[i:end].strip()))
            i = end
        elif c == "e":
            end = _line_end(script, i)
            out.append(("run", script[i:end].strip()))
            i = end
        elif c in "aicrR":
            out.append(("print", ""))
            i = _line_end(script, i)
        elif c in ":btTvqQlL":
            while i < n and script[i] not in ";\n}":
                i += 1
            if c in "lL":
                out.append(("print", ""))
        elif c in "dD":
            out.append(("delete", "1" if addressed else ""))
        elif c in "pP=F":
            out.append(("print", ""))
    return out


def _address(script: str, i: int) -> int:
    """Past the address of a sed command (`3`, `$`, `/re/`, `\\%re%`, `1,5`, `0~2`, `/a/,+3`)."""
    n = len(script)
    for _ in range(2):
        if i < n and (script[i] == "/" or (script[i] == "\\" and i + 1 < n)):
            delim = script[i] if script[i] == "/" else script[i + 1]
            i += 1 if script[i] == "/" else 2
            while i < n and script[i] != delim:
                i += 2 if script[i] == "\\" else 1
            i += 1
            while i < n and script[i] in "IM":
                i += 1
        else:
            while i < n and (script[i].isdigit() or script[i] in "$~+"):
                i += 1
        if i < n and script[i] == ",":
            i += 1
            continue
        break
    return i


def _line_end(script: str, i: int) -> int:
    end = script.find("\n", i)
    return len(script) if end < 0 else end


def _sed(judge: Scope, call: Call) -> Verdict | None:
    if "--sandbox" in call.argv:
        return None
    scripts, _files = sed_scripts(call.args)
    verdicts: list[Verdict | None] = []
    for script in scripts:
        for kind, value in sed_effects(script):
            if kind == "write" and value and not value.startswith(_NOT_FILES):
                # sed takes the name as written: a `~` is literal, a `$HOME` the shell expanded
                path = judge.resolve(value, tilde=False, dynamic="$" in value)
                how = f"{call.name} writes (its `w` command)"
                verdicts.append(judge.judge_write(path, how) if path else None)
            elif kind == "run" and value:
                inner = judge.inner(value)
                if inner.decision != "allow":
                    verdicts.append(Verdict(inner.decision, f"sed's `e` runs `{value[:60]}`: {inner.reason}",
                                            inner.rule))
    return worst(verdicts)


# -- in-place emptying ---------------------------------------------------------------------

# awk programs that print no line: a pattern never true, an empty action
_NEVER_TRUE = re.compile(
    r"^\s*(?:0+|!\s*1|NR\s*(?:<|==)\s*0|NR\s*<\s*1|false|\{\s*(?:next\s*;?\s*)?\})\s*;?\s*$"
)


def _emptied(call: Call) -> tuple[str, list[Word]] | None:
    """How `call` leaves each of its files empty, and those files (None when it keeps lines)."""
    argv = call.argv
    name = call.name
    if name == "tee":
        if any(a in ("-a", "--append") or (a.startswith("-") and "a" in a[1:] and not a.startswith("--"))
               for a in argv):
            return None
        from agentops_os.guard.argv import operands

        return ("writes nothing over", operands(call.args)) if _empty_stdin(call) else None
    from agentops_os.guard.argv import flag_set

    flags = flag_set(call.args)
    if name in SEDS:
        if not ({"i", "--in-place"} & flags or any(a.startswith("--in-place") for a in argv)):
            return None
        scripts, files = sed_scripts(call.args)
        effects = [e for s in scripts for e in sed_effects(s)]
        quiet = bool({"n", "--quiet", "--silent"} & flags)
        kinds = {k for k, _ in effects}
        if (quiet and not kinds & {"print", "write"}) or (
            not quiet and ("delete", "") in effects and not kinds & {"print", "write"}
        ):
            return ("deletes every line of", files)
        return None
    from agentops_os.guard import batchedit

    files, inplace = batchedit.data_files(call)
    if not inplace:
        return None
    code = _code(call)
    if code is None:
        return None
    if name in batchedit.AWKS:
        return ("keeps no line of", files) if _NEVER_TRUE.match(code) else None
    quiet = any(a.startswith("-") and not a.startswith("--") and "n" in a[1:].split("e", 1)[0] for a in argv)
    if quiet and not re.search(r"\b(?:print|printf|say|syswrite)\b", code):
        return ("keeps no line of", files)
    return None


def _code(call: Call) -> str | None:
    args = call.argv
    for j, text in enumerate(args):
        code_flag = text.startswith("-") and not text.startswith("--") and text.endswith("e")
        if code_flag and j + 1 < len(args) and (call.name == "perl" or text == "-e"):
            return args[j + 1]
        if text.startswith("--source="):
            return text.split("=", 1)[1]
    if call.name in ("awk", "gawk"):
        from agentops_os.guard.argv import operands

        words = operands(call.args, frozenset({"-f", "-v", "-F", "-i", "-l", "-E", "--include", "--assign"}))
        return words[0].text if words else None
    return None


def _empty_stdin(call: Call) -> bool:
    for redirect in call.command.redirects:
        if redirect.op == "<" and redirect.target is not None and redirect.target.text == "/dev/null":
            return True
    if call.upstream:
        last = call.upstream[-1]
        words = [w.text for w in last.words]
        if words in (["true"], [":"], ["printf", ""], ["echo", "-n"], ["cat", "/dev/null"]):
            return True
    return False


def _emptying(judge: Scope, call: Call) -> Verdict | None:
    found = _emptied(call)
    if found is None or not found[1]:
        return None
    how, files = found
    from agentops_os.guard.rules_delete import delete_targets

    verdict = delete_targets(judge, call, files, False)
    if verdict is None or verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{call.name} {how} each file it is given, emptying them like a delete: "
                                     f"{verdict.reason}", verdict.rule)


# -- find's file outputs -------------------------------------------------------------------


def _find_prints(judge: Scope, call: Call) -> Verdict | None:
    args = call.args
    verdicts: list[Verdict | None] = []
    for j, word in enumerate(args[:-1]):
        if word.text in ("-fprint", "-fprint0", "-fls", "-fprintf"):
            target = args[j + 1]
            if target.text.startswith(_NOT_FILES):
                continue
            path = judge.resolve_word(target)
            verdicts.append(judge.judge_write(path, f"find {word.text} writes") if path else None)
    return worst(verdicts)


# -- filling the disk ----------------------------------------------------------------------


def _fills_disk(judge: Scope, call: Call) -> Verdict | None:
    if call.name == "fallocate":
        return _fallocate(judge, call)
    target = _output_file(call)
    if target is None:
        return None
    endless = _endless(call.name, call.argv, call.command.redirects)
    if not endless and call.upstream and call.name in _PASSERS:
        found = (_endless(_name(c), [w.text for w in c.words[1:]], c.redirects) for c in call.upstream)
        limited = any(_name(c) in _LIMITERS for c in call.upstream)
        endless = None if limited else next(filter(None, found), None)
    if not endless:
        return None
    reason = f"writes without end into {target} ({endless}): it fills the disk"
    return judge.verdict("disk-fill", "deny", reason)


_PASSERS = frozenset({"tr", "base64", "cat", "tee", "pv", "gzip", "xxd", "od", "dd", "sed", "awk", "rev"})
_LIMITERS = frozenset({"head", "timeout"})


def _name(command: Command) -> str:
    return command.words[0].text.rsplit("/", 1)[-1] if command.words else ""


def _endless(name: str, argv: list[str], redirects: list[Redirect]) -> str | None:
    """What makes this command's output endless (None when it ends)."""
    if name == "yes":
        return "yes"
    stdin = next((r.target.text for r in redirects if r.op == "<" and r.target is not None), None)
    sources = [a for a in argv if not a.startswith("-")]
    if name in ("cat", "pv", "base64", "tr", "xxd", "od") and (
        set(sources) & _ENDLESS_DEVICES or (stdin in _ENDLESS_DEVICES and not sources)
    ):
        return next(iter(set(sources) & _ENDLESS_DEVICES), stdin)
    if name == "dd":
        source = next((a[3:] for a in argv if a.startswith("if=")), stdin)
        if source in _ENDLESS_DEVICES and not any(a.startswith("count=") for a in argv):
            return f"dd from {source} with no count="
    return None


def _output_file(call: Call) -> str | None:
    if call.name == "tee":
        from agentops_os.guard.argv import operands

        named = [w.text for w in operands(call.args) if not w.text.startswith(_NOT_FILES)]
        if named:
            return named[0]
    if call.name == "dd":
        target = next((a[3:] for a in call.argv if a.startswith("of=")), None)
        if target is not None:
            return None if target.startswith(_NOT_FILES) or target.startswith("/dev/") else target
    for redirect in call.command.redirects:
        if redirect.op in _STDOUT_WRITES and redirect.target is not None:
            text = redirect.target.text
            if not text.startswith(_NOT_FILES):
                return text
    return None


def _fallocate(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.gitargs import option_values

    for value in option_values(call.argv, ("-l", "--length")):
        size = _size(value) if value else None
        if size is not None and size >= _BIG:
            return judge.verdict("disk-fill", "ask", f"fallocate claims {value} of disk space at once")
    return None


def _size(text: str) -> int | None:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGTPE]?)(i?B?)", text.strip(), re.I)
    if match is None:
        return None
    power = " KMGTPE".index(match.group(2).upper() or " ")
    base = 1000 if match.group(3).upper() == "B" and "i" not in match.group(3) else 1024
    return int(float(match.group(1)) * base**power)
