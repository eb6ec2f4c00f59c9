"""Programs that run a command handed to them as text or as words, judged as that command.

- tmux (and byobu): `send-keys 'CMD' Enter` types CMD into a shell, `run-shell CMD`,
  `new-session`/`new-window`/`split-window`/`respawn-pane`/`display-popup CMD`, `pipe-pane
  CMD`, `if-shell CMD …`, `set -g default-command CMD`, `tmux -c CMD`; `set-hook` and
  `bind-key` hold a tmux command, read again; `\\;` separates commands.
- screen: `screen [-dmS name] CMD ARGS…`, `-X stuff 'CMD\\n'`, `-X exec CMD`, `-X screen CMD`.
- man's pager: `man -P CMD`, `--pager=CMD`, `-H`/`--html=BROWSER`.
- terminal emulators: `xterm -e CMD…`, `gnome-terminal -- CMD…`, `kitty CMD…` and kin;
  `dtach -c SOCK CMD…`, `abduco -c NAME CMD…`; `xdotool type 'CMD'` with a Return key.

What each runs is judged through `Scope.inner`, as a command line typed directly: tmux and
screen start it in a shell the agent does not watch, so `tmux run-shell 'rm -rf ~'` is `rm
-rf ~`. Kept out of unwrap, which runs on every call: these programs are rare."""

from __future__ import annotations

from agentops_os.guard.shell import quote
from agentops_os.guard.verdict import Verdict, runs_text, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# tmux subcommand (and alias) -> (option letters taking a value, the command's kind)
# kinds: "shell" (the operands are a shell command), "keys" (typed keys), "tmux" (a tmux
# command, read again), "if" (a shell command, then tmux commands), "set" (an option).
_TMUX: dict[str, tuple[str, str]] = {
    **dict.fromkeys(("run-shell", "run"), ("dct", "shell")),
    **dict.fromkeys(("new-session", "new"), ("cefFnstxy", "shell")),
    **dict.fromkeys(("new-window", "neww"), ("cenFt", "shell")),
    **dict.fromkeys(("split-window", "splitw"), ("celtFp", "shell")),
    **dict.fromkeys(("respawn-pane", "respawnp", "respawn-window", "respawnw"), ("cet", "shell")),
    **dict.fromkeys(("pipe-pane", "pipep"), ("t", "shell")),
    **dict.fromkeys(("display-popup", "popup"), ("bcdehsStTwxy", "shell")),
    **dict.fromkeys(("send-keys", "send"), ("Nt", "keys")),
    **dict.fromkeys(("set-hook",), ("t", "tmux")),
    **dict.fromkeys(("bind-key", "bind"), ("NT", "tmux")),
    **dict.fromkeys(("if-shell", "if"), ("t", "if")),
    **dict.fromkeys(("set-option", "set", "set-window-option", "setw"), ("t", "set")),
}  # fmt: skip
# tmux options whose value is a command run later (every new pane runs default-command)
_TMUX_COMMAND_OPTIONS = frozenset({"default-command", "default-shell", "lock-command", "copy-command"})
# keys that end a typed line: what was typed before them runs
_ENTER = frozenset({"enter", "c-m", "kpenter", "c-j", "^m", "^j"})
_KEY_NAMES = _ENTER | frozenset({"escape", "c-c", "c-d", "c-l", "c-u", "tab", "space", "bspace", "up", "down",
                                 "left", "right", "home", "end", "q"})  # fmt: skip
MAX_DEPTH = 4


def _runs(judge: Scope, call: Call, text: str, how: str) -> Verdict | None:
    return runs_text(judge, call.name, how, text)


def _as_line(words: list[str]) -> str:
    """One word is a shell command line as it stands; several are a program and its
    arguments (run without a shell), quoted so that they read back the same."""
    if len(words) == 1:
        return words[0]
    # a `~` stays bare: the shell expanded it before the program got its words
    return " ".join(w if w and all(c.isalnum() or c in "/._-+=:@%,~" for c in w) else quote(w) for w in words)


def _split_commands(words: list[str]) -> list[list[str]]:
    """tmux's commands of one invocation: a word `;` (the shell's `\\;`), or a `;` ending a
    word, separates them; `\\;` at the end of a word is a literal semicolon."""
    out: list[list[str]] = [[]]
    for word in words:
        if word == ";":
            out.append([])
        elif word.endswith("\\;"):
            out[-1].append(word[:-2] + ";")
        elif word.endswith(";"):
            out[-1].append(word[:-1])
            out.append([])
        else:
            out[-1].append(word)
    return [c for c in out if c]


def _getopt(words: list[str], valued: str) -> tuple[list[str], list[str]]:
    """getopt-style options (`-dmS name`, `-tdev`) and the operands after them."""
    options: list[str] = []
    j = 0
    while j < len(words) and words[j].startswith("-") and len(words[j]) > 1:
        if words[j] == "--":
            j += 1
            break
        text = words[j]
        for k, letter in enumerate(text[1:], start=1):
            options.append(letter)
            if letter in valued:
                if k == len(text) - 1:
                    j += 1  # the value is the next word
                break
        j += 1
    return options, words[j:]


def tmux_lines(words: list[str], depth: int = 0) -> list[str]:
    """The shell command lines a tmux invocation (`words` after the program) runs."""
    out: list[str] = []
    j = 0
    while j < len(words) and words[j].startswith("-") and depth == 0:  # tmux's own options
        flag = words[j]
        if flag in ("-c",) and j + 1 < len(words):
            out.append(words[j + 1])  # `tmux -c CMD`: run as a login shell would
        j += 2 if flag in ("-c", "-f", "-L", "-S", "-T") else 1
    for command in _split_commands(words[j:]):
        out += _tmux_command(command, depth)
    return out


def _tmux_command(command: list[str], depth: int) -> list[str]:
    if depth > MAX_DEPTH:
        return []
    sub, args = command[0], command[1:]
    spec = _TMUX.get(sub)
    if spec is None:
        return []
    valued, kind = spec
    options, operands = _getopt(args, valued)
    if kind == "shell":
        if sub in ("run-shell", "run") and "C" in options:  # `run-shell -C`: a tmux command
            return [line for o in operands for line in tmux_lines(_shlex(o), depth + 1)]
        return [_as_line(operands)] if operands else []
    if kind == "keys":
        if "X" in options:  # copy-mode commands, not keys
            return []
        typed = [w for w in operands if w.lower() not in _KEY_NAMES]
        if "l" in options:
            typed = operands
        text = "".join(typed) if "l" in options else " ".join(typed)
        return [text.replace("\r", "\n")] if typed else []
    if kind == "tmux":
        inner = operands[1:] if sub in ("set-hook", "bind-key", "bind") else operands
        if len(inner) == 1:
            inner = _shlex(inner[0])
        return tmux_lines(inner, depth + 1) if inner else []
    if kind == "if":
        out = operands[:1]
        for more in operands[1:]:
            out += tmux_lines(_shlex(more), depth + 1)
        return out
    if kind == "set" and len(operands) > 1 and operands[0] in _TMUX_COMMAND_OPTIONS:
        return [operands[1]]
    return []


def _shlex(text: str) -> list[str]:
    from shlex import split

    try:
        return split(text)
    except ValueError:
        return text.split()


def _tmux(judge: Scope, call: Call) -> Verdict | None:
    lines = tmux_lines(call.argv)
    return worst([_runs(judge, call, line, "runs") for line in lines[:16]])


# screen options that take a value (the next word when nothing follows the letter)
_SCREEN_VALUED = frozenset("cehpsSTt")


def screen_lines(words: list[str]) -> list[str]:
    """The command lines `screen` runs: its CMD ARGS, and those of `-X COMMAND`."""
    j = 0
    remote: list[str] | None = None
    while j < len(words) and words[j].startswith("-") and len(words[j]) > 1:
        text = words[j]
        if text in ("-X",):
            remote = words[j + 1 :]
            break
        if text in ("-Logfile", "-fn", "-fa", "-fr"):
            j += 2 if text == "-Logfile" else 1
            continue
        for k, letter in enumerate(text[1:], start=1):
            if letter == "X":
                remote = words[j + 1 :]
                break
            if letter in _SCREEN_VALUED:
                j += 1 if k == len(text) - 1 else 0
                break
        if remote is not None:
            break
        j += 1
    if remote is not None:
        return _screen_command(remote)
    return [_as_line(words[j:])] if j < len(words) else []


def _screen_command(words: list[str]) -> list[str]:
    if not words:
        return []
    sub, rest = words[0], words[1:]
    if sub == "stuff":  # typed into the window's shell: `^M` and `\n` end the line
        text = " ".join(rest)
        return [text.replace("^M", "\n").replace("\\n", "\n").replace("\\r", "\n")] if text else []
    if sub in ("exec", "screen"):
        while rest and rest[0].startswith(("-", "!", "|", ".")) and rest[0] not in ("-",):
            rest = rest[1:] if not rest[0].startswith("-t") or len(rest[0]) > 2 else rest[2:]
        return [_as_line(rest)] if rest else []
    return []


def _screen(judge: Scope, call: Call) -> Verdict | None:
    return worst([_runs(judge, call, line, "runs") for line in screen_lines(call.argv)[:16]])


def _man(judge: Scope, call: Call) -> Verdict | None:
    """`man -P CMD`: the page is piped into CMD, a shell command line."""
    lines: list[str] = []
    args = call.argv
    for j, text in enumerate(args):
        nxt = args[j + 1] if j + 1 < len(args) else ""
        if text in ("-P", "--pager", "-H", "--html"):
            if text in ("-P", "--pager"):
                lines.append(nxt)
        elif text.startswith(("--pager=", "--html=")):
            lines.append(text.split("=", 1)[1])
        elif text.startswith(("-P", "-H")) and len(text) > 2:
            lines.append(text[2:])
    return worst([_runs(judge, call, line, "pages through") for line in lines])


# terminal -> the option after which the rest of the words are the command
_TERMINALS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("xterm", "uxterm", "urxvt", "rxvt", "st", "konsole", "alacritty", "tilix", "lxterminal",
                     "qterminal", "terminology", "sakura", "xfce4-terminal", "terminator", "mate-terminal",
                     "cool-retro-term", "eterm", "aterm"),
                    ("-e", "-x", "--command", "--execute", "--")),
    **dict.fromkeys(("gnome-terminal", "ptyxis", "kgx"), ("--", "-e", "-x", "--command")),
    **dict.fromkeys(("kitty", "foot", "wezterm", "ghostty"), ("--", "-e")),
}  # fmt: skip
_POSITIONAL_TERMINALS = frozenset({"kitty", "foot"})
_KITTY_VALUED = frozenset({"-c", "--config", "-o", "--override", "--class", "--name", "-T", "--title", "-d",
                           "--directory", "--session", "--listen-on", "--start-as", "-w", "--window-size",
                           "-s", "--server-name", "-a", "--app-id", "-t", "--term"})  # fmt: skip


def terminal_line(name: str, words: list[str]) -> str | None:
    marks = _TERMINALS.get(name, ())
    for j, word in enumerate(words):
        flag, eq, value = word.partition("=")
        if eq and flag in ("--command", "--execute"):
            return value
        if word in marks and j + 1 < len(words):
            return _as_line(words[j + 1 :])
    if name in _POSITIONAL_TERMINALS:  # `kitty [options] CMD ARGS…`
        j = 0
        while j < len(words) and words[j].startswith("-"):
            j += 2 if words[j] in _KITTY_VALUED else 1
        return _as_line(words[j:]) if j < len(words) else None
    if name in ("wezterm", "ghostty") and words[:1] == ["start"]:
        return terminal_line(name, words[1:])
    return None


def _terminal(judge: Scope, call: Call) -> Verdict | None:
    line = terminal_line(call.name, call.argv)
    return _runs(judge, call, line, "opens a terminal running") if line else None


def _detacher(judge: Scope, call: Call) -> Verdict | None:
    """`dtach -c|-n|-A SOCKET CMD…`, `abduco -c|-n|-A NAME CMD…`."""
    args = call.argv
    for j, text in enumerate(args):
        if text in ("-c", "-n", "-A", "-N") and j + 2 < len(args):
            k = j + 2
            while k < len(args) and args[k].startswith("-") and args[k] != "--":
                k += 2 if args[k] in ("-e", "-r", "-z") else 1  # dtach's own options after the socket
            k += args[k : k + 1] == ["--"]
            return _runs(judge, call, _as_line(args[k:]), "runs") if k < len(args) else None
    return None


_XDOTOOL_COMMANDS = frozenset({"key", "keydown", "keyup", "type", "sleep", "mousemove", "click"})


def _xdotool(judge: Scope, call: Call) -> Verdict | None:
    """`xdotool type 'CMD'` then `key Return`: CMD typed into the focused window (a terminal)."""
    args = call.argv
    entered = {"Return", "KP_Enter", "ctrl+m"} & set(args) or any("\n" in a for a in args)
    if "type" not in args or not entered:
        return None
    at = args.index("type") + 1
    typed: list[str] = []
    while at < len(args) and args[at] not in _XDOTOOL_COMMANDS:
        if not args[at].startswith("--"):
            typed.append(args[at])
        elif args[at] in ("--delay", "--window", "--repeat", "--file"):
            at += 1
        at += 1
    return _runs(judge, call, " ".join(typed), "types") if typed else None


RULES = {
    **dict.fromkeys(("tmux", "byobu", "byobu-tmux"), _tmux),
    **dict.fromkeys(("screen", "byobu-screen"), _screen),
    "man": _man,
    **dict.fromkeys(_TERMINALS, _terminal),
    **dict.fromkeys(("dtach", "abduco"), _detacher),
    "xdotool": _xdotool,
}
