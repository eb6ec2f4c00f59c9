"""Rules about what one command of a line prepares for a later one.

Each command of `wget URL -O /tmp/i.sh && bash /tmp/i.sh` is harmless alone: together
they download code and run it, the same thing as `curl URL | sh`. `ln -s ~ h && rm -rf h/`
deletes the home through a link that did not exist when the guard looked. An alias
defined now runs its text later. So the dispatcher tells this module about every call
in order (`remember`), and the later calls are judged with what the earlier ones made.
"""

from __future__ import annotations

import os

from agentops_os.guard.argv import EXEC_SINKS, FETCHERS, has_short, operands
from agentops_os.guard.rules_files import CURL_VALUED
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

def remember(judge: Scope, call: Call) -> None:
    """Note the files a fetcher writes and the links `ln -s` makes, for later calls."""
    if call.name in FETCHERS:
        judge.downloaded.update(_fetched_files(judge, call))
    elif call.name == "ln" and (has_short(call.argv, "s") or "--symbolic" in call.argv):
        _remember_link(judge, call)


def runs_download(judge: Scope, call: Call) -> Verdict | None:
    """A call that runs a file an earlier command of the line downloaded."""
    if not judge.downloaded:
        return None
    ran: list[str] = []
    program = call.command.words
    for word in program:
        if os.path.basename(word.text) == call.name and "/" in word.text:
            ran.append(word.text)
            break
    if call.name in EXEC_SINKS:  # they run the file named by their first operand
        ran += [w.text for w in operands(call.args)[:1]]
    for text in ran:
        path = judge.resolve(text)
        if path is not None and path in judge.downloaded:
            return judge.verdict(
                "pipe-to-shell",
                "deny",
                f"runs {path}, which this command line downloads (download, read, then run it)",
            )
    return None


def alias(judge: Scope, call: Call) -> Verdict | None:
    """`alias ll='rm -rf ~'`: the text runs whenever the name is typed, so judge it now."""
    verdicts: list[Verdict] = []
    for word in call.args:
        name, eq, body = word.text.partition("=")
        if eq and name and body.strip():
            inner = judge.inner(body)
            if inner.decision != "allow":
                verdicts.append(Verdict(inner.decision, f"alias {name} runs: {inner.reason}", inner.rule))
    return max(verdicts, key=lambda v: v.decision == "deny", default=None)


def trap(judge: Scope, call: Call) -> Verdict | None:
    """`trap 'rm -rf ~' EXIT`: the handler runs when the shell exits or gets the signal,
    which is about always, so it is judged now as the command line it is."""
    args = [w for w in call.args if w.text not in ("--", "-p", "-l")]
    if len(args) < 2 or not args[0].text.strip() or args[0].text == "-":
        return None  # `trap - EXIT` resets, `trap -p` lists, `trap '' INT` ignores
    inner = judge.inner(args[0].text)
    if inner.decision == "allow":
        return None
    return Verdict(inner.decision, f"trap handler runs: {inner.reason}", inner.rule)


def _fetched_files(judge: Scope, call: Call) -> list[str]:
    args = call.args
    names: list[str] = []
    urls = [w.text for w in args if "://" in w.text and not w.text.startswith("-")]
    directory = "."
    j = 0
    while j < len(args):
        text = args[j].text
        value = args[j + 1].text if j + 1 < len(args) else ""
        if call.name == "curl" and text in ("-o", "--output") or call.name == "wget" and text == "-O":
            names.append(value)
            j += 2
            continue
        if text.startswith("--output-document=") or text.startswith("--output="):
            names.append(text.split("=", 1)[1])
        elif call.name == "wget" and text in ("-P", "--directory-prefix"):
            directory = value
            j += 1
        elif call.name == "wget" and text.startswith("--directory-prefix="):
            directory = text.split("=", 1)[1]
        elif call.name in _OUTPUT_LETTER and text.startswith("-") and not text.startswith("--"):
            named, took_next = _clustered_output(call.name, text[1:], value)
            names.extend(named)
            j += took_next
        elif text in CURL_VALUED:
            j += 1
        j += 1
    remote_name = call.name == "curl" and any(
        w.text in ("--remote-name", "--remote-name-all")
        or (w.text.startswith("-") and not w.text.startswith("--") and "O" in w.text[1:])
        for w in args
    )
    if (call.name != "curl" and not names) or remote_name:
        for url in urls:
            names.append(os.path.join(directory, url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]))
    out = []
    for name in names:
        if name and name != "-":
            path = judge.resolve(name)
            if path is not None:
                out.append(path)
    return out


# the short option that names the output file, and the short options that take a value
_OUTPUT_LETTER = {"curl": "o", "wget": "O"}
_VALUED_LETTERS = {"curl": frozenset("AbcCdDeEFHKmoPQrtTuUwxXyYz"), "wget": frozenset("abeiOoPtTUwY")}


def _clustered_output(program: str, letters: str, following: str) -> tuple[list[str], int]:
    """The output file of a cluster of short options (`-so FILE`, `-fsSLoFILE`, `-qO- `):
    the letters up to the first one taking a value stand alone, the rest of the word (or
    the next word) is that value. Returns the names and how many extra words it took."""
    for index, letter in enumerate(letters):
        if letter in _VALUED_LETTERS[program]:
            rest = letters[index + 1 :]
            if letter != _OUTPUT_LETTER[program]:
                return [], 0 if rest else 1
            return [rest or following], 0 if rest else 1
    return [], 0


def _remember_link(judge: Scope, call: Call) -> None:
    positional = operands(call.args, frozenset({"-t", "--target-directory", "-S", "--suffix"}))
    if len(positional) != 2:
        return
    target = judge.resolve_word(positional[0])
    link = judge.resolve_word(positional[1])
    if target is None or link is None:
        return
    no_deref = has_short(call.argv, "n") or has_short(call.argv, "T") or "--no-dereference" in call.argv
    if os.path.isdir(link) and not (no_deref and os.path.islink(link)):
        link = os.path.join(link, os.path.basename(target))
    judge.links[link] = target


RULES = {"alias": alias, "trap": trap}
