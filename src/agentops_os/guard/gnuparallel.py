"""GNU parallel: the command lines it runs, for the guard to judge like any other.

`parallel rm -rf ::: ~ /tmp/x` runs `rm -rf ~ /tmp/x` (one line per argument with
`{}`), and `parallel ::: 'cmd1' 'cmd2'` runs its arguments as commands. Kept apart from
unwrap (which calls it) because parallel is rare and unwrap runs on every call."""

from __future__ import annotations

from agentops_os.guard.shell import Word, quote

MAX_LINES = 32

_VALUED = frozenset({"-j", "--jobs", "-S", "--sshlogin", "--results", "--joblog", "-N", "-n", "--delay",
                     "--timeout", "-a", "--arg-file", "--colsep", "-I", "--tmpdir", "--workdir", "--env",
                     "--retries", "--halt"})


def command_lines(rest: list[Word]) -> tuple[list[str], bool]:
    """The command lines GNU parallel runs: its command with each `:::` argument put in for
    `{}` (or added at the end). Without `:::` the arguments come from stdin, unknown, and
    the command is judged as written (as for xargs, a delete of them is still judged)."""
    j = 0
    while j < len(rest) and rest[j].text.startswith("-") and rest[j].text not in (":::", "::::"):
        j += 2 if rest[j].text in _VALUED else 1
    words = rest[j:]
    cut = next((k for k, w in enumerate(words) if w.text.startswith(":::")), len(words))
    template = " ".join(w.text if len(words[:cut]) == 1 else _shell_text(w) for w in words[:cut])
    values = [w for w in words[cut + 1 :] if not w.text.startswith(":::")]
    if not template.strip() and cut < len(words) and words[cut].text == ":::":
        return [v.text for v in values[:MAX_LINES]], False  # `parallel ::: CMD1 CMD2`: each one runs
    if not template.strip() and values:  # `parallel :::: FILE`: the file's lines are the commands
        return [f"sh {_shell_text(v)}" for v in values[:MAX_LINES]], False
    if cut == len(words) or words[cut].text.startswith("::::"):  # from stdin or from files
        return [template or "sh"], True  # no command: each line of stdin is one, as for `| sh`
    spliced = [_shell_text(v) for v in values[:MAX_LINES]]
    if "{" in template:
        return [template.replace("{}", v).replace("{.}", v) for v in spliced], False
    return [template + " " + " ".join(spliced)], False


def _shell_text(word: Word) -> str:
    """`word` as shell text that reads back the same: bare when it is plain (so `~` stays a
    tilde to expand, and an unquoted `~/*` the glob the shell expanded into parallel's
    arguments), quoted otherwise."""
    chars = "/._-~+=:@%,{}" + ("*?[]" if word.glob else "")
    plain = word.text and all(c.isalnum() or c in chars for c in word.text)
    return word.text if plain and not word.quoted else quote(word.text)
