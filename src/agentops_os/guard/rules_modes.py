"""Permission changes: modes and ACLs that let every local user write a file (`chmod 666`,
`chmod -R o=rwx`, `setfacl -m o::rwx`), the setuid and setgid bits, and mode or owner
changes of protected files (which are writes of them).

A file anyone can write is a file anyone can change, a script anyone can make run
their code the next time it runs. The mode is read as chmod reads it, not matched as
text: an octal mode whose last digit has the write bit (`777`, `0666`, `2`, `1777`), or
a symbolic one whose clauses leave others with `w` (`o+w`, `a+rwx`, `o=rwx`, `go=u`,
`u=rwx,o=rwx`; `+w` without a who follows the umask, which keeps others out). Over a
whole tree (`-R`, or every file a `find -exec` or `xargs` hands it) it is denied; a
single file is asked, except a sticky directory (`chmod 1777 /tmp/x`, the shared-/tmp
idiom, where only a file's owner may remove it)."""

from __future__ import annotations

from agentops_os.guard.argv import CHMOD_LONG, flag_set, long_options, operands, search
from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# Modes that set the setuid or setgid bit: `4755`, `2755`, `6711`, `u+s`, `g+s`, `+s`,
# `u=rwxs`, `a+xs` (a program that runs as its owner, root for a file root owns).
_SETUID = r"^0?[2-7][0-7]{3}$|^[ugoa]*[+=][rwxXt]*s"


def others_write(mode: str) -> bool:
    """Whether chmod MODE leaves others (o) with the write bit."""
    if mode.isdigit():
        return len(mode) <= 5 and all(c in "01234567" for c in mode) and mode[-1] in "2367"
    others = False
    for clause in mode.split(","):
        who_end = 0
        while who_end < len(clause) and clause[who_end] in "ugoa":
            who_end += 1
        who, actions = clause[:who_end], clause[who_end:]
        if not actions or actions[0] not in "+-=":
            return False  # not a symbolic mode (an owner, a file name)
        if who and not set(who) & {"o", "a"}:
            continue
        for op, perms in _actions(actions):
            if not who and op != "=":
                continue  # `+w`: the umask keeps others' bits as they were
            gives = "w" in perms or bool(set(perms) & {"u", "g"})  # `o=u` copies the owner's bits
            if op == "+" and gives:
                others = True
            elif op == "=":
                others = gives and bool(who)
            elif op == "-" and "w" in perms:
                others = False
    return others


def _sticky(mode: str) -> bool:
    """The sticky bit (`1777`, `+t`): a directory like /tmp, where everyone may add files
    but only their owner may remove or rename them."""
    if mode.isdigit():
        return len(mode) >= 4 and int(mode[-4]) & 1 == 1
    return "t" in mode


def _actions(text: str) -> list[tuple[str, str]]:
    """`+rw-x=u` -> [(+, rw), (-, x), (=, u)]."""
    out: list[tuple[str, str]] = []
    for char in text:
        if char in "+-=":
            out.append((char, ""))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + char)
    return out


def acl_others_write(spec: str) -> bool:
    """A setfacl entry list that gives others (`o::rwx`, `other:rw`, `d:o::w`) write."""
    for entry in spec.split(","):
        parts = entry.strip().split(":")
        if parts and parts[0] in ("d", "default"):
            parts = parts[1:]
        if len(parts) >= 2 and parts[0] in ("o", "other"):
            perms = parts[-1]
            if "w" in perms or (perms.isdigit() and perms[-1:] in "2367"):
                return True
    return False


def _many(call: Call, flags: set[str]) -> bool:
    """A whole tree: `-R`, or every file a find -exec or xargs hands the command."""
    return bool(flags & {"R", "--recursive"}) or call.find_paths is not None or call.xargs


def _chmod(judge: Scope, call: Call) -> Verdict | None:
    flags = flag_set([Word(t) for t in long_options(call.argv, CHMOD_LONG)])
    verdicts: list[Verdict | None] = []
    if call.name == "chmod":
        mode = next((w.text for w in operands(call.args)[:1]), "")
        many = _many(call, flags)
        if others_write(mode) and (many or not _sticky(mode)):  # `chmod 1777 /tmp/x`: a shared /tmp
            verdicts.append(_world_writable(judge, call, f"chmod {mode}", many))
        if search(_SETUID, mode):
            reason = f"chmod {mode} sets the setuid/setgid bit: the file runs with its owner's rights"
            verdicts.append(judge.verdict("setuid", "ask", reason))
    # changing modes of protected files (git hooks, our config) is writing them
    args = [
        Word(w.text.lstrip("-"), w.quoted, w.dynamic)
        if call.name == "chmod" and w.text[1:2] in "rwxXst" and w.text.startswith("-") and len(w.text) > 1
        else w
        for w in call.args
    ]  # `chmod -x f`: a mode
    first = next((w.text for w in operands(args)[:1]), "")
    for word in operands(args)[1:]:  # the first operand is the mode or owner
        path = judge.resolve_word(word)
        if path is not None:
            verdicts.append(judge.judge_write(path, f"{call.name} changes"))
            if flags & {"R", "--recursive"}:
                verdicts.append(_tree(judge, call.name, first, path))
    verdicts.extend(_reached(judge, call))
    return worst(verdicts)


_NO_RIGHTS = frozenset({"a-rwx", "-rwx", "ugo-rwx", "a=", "ugo=", "u-rwx"})


def _tree(judge: Scope, program: str, mode: str, path: str) -> Verdict | None:
    """`chmod -R 000 ~`, `chown -R nobody .agents`: a whole tree that holds guarded places
    (`~/.ssh`, `.agents/.index`, `.claude/settings.json`) changes with it. Asked; denied
    when the mode takes every right away (ssh, the guard and its ledger stop working).
    The repository's own root is left out: `chmod -R u+w .` is a repair."""
    from agentops_os.guard.findreach import places

    if path == judge.root:
        return None
    prefix = path.rstrip("/") + "/"
    held = next((p for p in places(judge) if p.startswith(prefix) and not p.startswith(judge.root + "/.git")),
                None)
    if held is None:
        return None
    import os

    def show(place: str) -> str:
        if judge.inside_repo(place):
            return os.path.relpath(place, judge.root)
        at_home = place == judge.home or place.startswith(judge.home + "/")
        return "~" + place[len(judge.home) :] if at_home else place

    locks = program == "chmod" and ((mode.isdigit() and not mode.strip("0")) or mode in _NO_RIGHTS)
    reason = f"{program} -R {mode} {show(path)} changes everything below it, {show(held)} included"
    return judge.verdict("mode-tree", "deny" if locks else "ask", reason)


def _world_writable(judge: Scope, call: Call, what: str, many: bool) -> Verdict | None:
    if many:
        reason = f"{what} makes a whole tree writable by everyone"
        return judge.verdict("chmod-world-writable", "deny", reason)
    return judge.verdict("chmod-world-writable", "ask", f"{what} makes a file writable by every local user")


_SETFACL_VALUED = frozenset({"-m", "--modify", "-M", "--modify-file", "-x", "--remove", "-X",
                             "--remove-file", "--set", "--set-file"})


def _setfacl(judge: Scope, call: Call) -> Verdict | None:
    """`setfacl -m o::rwx FILE` is `chmod o+rwx FILE`; the files are judged as writes."""
    args = call.argv
    specs = [args[k + 1] for k, a in enumerate(args[:-1]) if a in ("-m", "--modify", "--set")]
    specs += [a.split("=", 1)[1] for a in args if a.startswith(("--modify=", "--set="))]
    specs += [a[2:] for a in args if a.startswith("-m") and len(a) > 2]
    verdicts: list[Verdict | None] = []
    flags = flag_set([w for w in call.args if w.text not in specs])
    for spec in specs:
        if acl_others_write(spec):
            verdicts.append(_world_writable(judge, call, f"setfacl -m {spec}", _many(call, flags)))
    for word in operands(call.args, _SETFACL_VALUED):
        path = judge.resolve_word(word)
        if path is not None:
            verdicts.append(judge.judge_write(path, "setfacl changes"))
    return worst(verdicts)


def _reached(judge: Scope, call: Call) -> list[Verdict | None]:
    """The protected places a `find … -exec chmod MODE {} +` can hand to `{}`."""
    if call.find_paths is None or not any("{}" in w.text for w in call.args):
        return []
    from agentops_os.guard.findreach import reached

    return [judge.judge_write(path, f"{call.name} (run by find) changes") for path in reached(judge, call)]


RULES = {
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "chattr": _chmod,
    "setfacl": _setfacl,
}
