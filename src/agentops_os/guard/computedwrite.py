"""Writes of a file whose name is computed at run time, in a directory the guard knows.

`echo "0 * * * * …" >> /var/spool/cron/crontabs/$USER` writes a crontab whatever `$USER`
turns out to be; `> /etc/cron.d/$job`, `> ~/.config/systemd/user/$name.service`, `| tee
~/.ssh/$f` likewise land in a place the guard protects. Such a target is judged as a write
of the directory's files: the unknown part stands for `*` (`/var/spool/cron/crontabs/*`),
so it gets the decision a written-out name there would get (`/etc/*` protected, `~/.*`
sensitive, `~/.ssh/*` secret; the repository and `/tmp` pass). A target whose directory
is computed too (`"$OUT/x"`) is judged on its file name (rules_files), and a name the
line sets itself is put back before this (values)."""

from __future__ import annotations

from agentops_os.guard.shell import WRITE_REDIRECTS

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Command, Word
    from agentops_os.guard.verdict import Verdict

# Programs whose operands are files they write: all of them (tee), or the last (cp …).
_ALL_WRITTEN = frozenset({"tee"})
_LAST_WRITTEN = frozenset({"cp", "mv", "install", "ln"})


def redirect_writes(judge: Scope, command: Command) -> list[Verdict | None]:
    return [computed_write(judge, r.target, "a redirection writes") for r in command.redirects
            if r.target is not None and r.target.dynamic and r.op in WRITE_REDIRECTS]


def operand_writes(judge: Scope, name: str, args: list[Word]) -> list[Verdict | None]:
    """`tee -a /etc/cron.d/$n`, `cp beacon.service ~/.config/systemd/user/$n.service`."""
    from agentops_os.guard.argv import operands

    words = operands(args)
    targets = words if name in _ALL_WRITTEN else words[-1:] if len(words) > 1 else []
    return [computed_write(judge, w, f"{name} writes") for w in targets if w.dynamic]


def computed_write(judge: Scope, word: Word, how: str) -> Verdict | None:
    if word.subs or judge.resolve_word(word) is not None:
        return None  # a substitution's output is judged by rules_files; a known path as itself
    from agentops_os.guard.secretglob import unknown_as_glob

    path = unknown_as_glob(judge, word.text)
    if path is None or "*" in path.rsplit("/", 1)[0]:
        return None  # the directory is unknown too: rules_files judges the file name
    return judge.judge_write(path, f"{how} a name computed at run time,")
