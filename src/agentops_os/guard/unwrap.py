"""From simple commands to the programs that really run.

`sudo env FOO=1 nice -n 5 xargs rm -rf` runs `rm`; `bash -c 'rm -rf /'`, `eval`, `ssh host
CMD`, `watch CMD`, `env -S '...'` and `find ... -exec CMD {} ;` carry a whole command line
as text. Each is unwrapped (strings are parsed again, recursively) so that the rules only
ever look at the effective program name and its arguments.
"""

from __future__ import annotations

import os

from agentops_os.guard.findexpr import narrowed as find_narrowed
from agentops_os.guard.shell import Command, ShellSyntaxError, Word, parse, quote

MAX_UNWRAP = 8
# `python -m TOOL` runs these programs (the installers, and the publishers judged as they are)
_PY_TOOLS = frozenset({"pip", "pip3", "pipx", "uv", "twine", "flit", "poetry", "hatch", "pdm", "maturin"})

# Reserved words that may precede a command (`if rm ...; then`, `! rm`, `{ rm; }`).
_PREFIX_WORDS = frozenset({"!", "{", "}", "if", "then", "else", "elif", "do", "while", "until", "time"})
# Reserved words whose remaining words are not a command to run.
_SKIP_WORDS = frozenset({"fi", "done", "esac", "for", "select", "case", "in"})

# wrapper -> options that take a value (the next word)
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset(
        {
            "-u",
            "-g",
            "-C",
            "-D",
            "-h",
            "-p",
            "-r",
            "-t",
            "-U",
            "-T",
            "--user",
            "--group",
            "--host",
            "--prompt",
            "--role",
            "--type",
            "--chdir",
            "--close-from",
            "--other-user",
            "--command-timeout",
        }
    ),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "--unset", "-C", "--chdir"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "exec": frozenset({"-a"}),
    "nohup": frozenset(),
    "time": frozenset({"-f", "-o", "--format", "--output"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p", "--class", "--classdata"}),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "xargs": frozenset(
        {
            "-I",
            "-n",
            "-P",
            "-L",
            "-d",
            "-E",
            "-s",
            "-a",
            "--max-args",
            "--max-procs",
            "--delimiter",
            "--arg-file",
            "--max-lines",
            "--eof",
            "--max-chars",
        }
    ),
    "unbuffer": frozenset(),
    "setsid": frozenset(),
    "systemd-run": frozenset({"-u", "--unit", "-p", "--property", "-E", "--setenv", "--uid", "--gid",
                              "--slice", "--description", "-M", "--machine", "-H", "--host",
                              "--working-directory", "--nice", "--on-calendar", "--on-active"}),
    "caffeinate": frozenset({"-t", "-w"}),
    "chronic": frozenset(),
    "proxychains": frozenset({"-f"}),
    "proxychains4": frozenset({"-f"}),
    "torsocks": frozenset(),
    "strace": frozenset({"-o", "-e", "-p", "-s", "-u"}),
    "flock": frozenset({"-w", "-E", "--timeout", "--conflict-exit-code"}),
    "chroot": frozenset({"--userspec", "--groups"}),
    "npx": frozenset({"-p", "--package"}),
    "pnpx": frozenset(),
    "bunx": frozenset(),
}
_PACKAGE_RUNNERS = frozenset({"npx", "pnpx", "bunx"})  # their first word is a package spec
# Wrappers that take positional arguments before the command.
_POSITIONALS = {"timeout": 1, "flock": 1, "chroot": 1}
# `tool run CMD` / `tool exec CMD` launchers.
_RUNNERS = {
    "uv": "run",
    "poetry": "run",
    "pipenv": "run",
    "pdm": "run",
    "hatch": "run",
    "bundle": "exec",
    "rye": "run",
    "pixi": "run",
    "conda": "run",
    "mise": "exec",
    "asdf": "exec",
    "direnv": "exec",
}

SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "csh", "tcsh", "ash", "busybox"})
_SSH_VALUED = frozenset("BbcDEeFIiJLlmOopQRSWw")


class Call:
    """One program about to run, after wrappers were peeled off."""

    __slots__ = (
        "name",
        "args",
        "command",
        "via",
        "xargs",
        "find_paths",
        "find_narrowed",
        "find_selected",
        "upstream",
        "dynamic",
        "chdir",
    )

    def __init__(
        self,
        name: str,
        args: list[Word],
        command: Command,
        via: tuple[str, ...] = (),
        xargs: bool = False,
        find_paths: list[Word] | None = None,
        find_narrowed: bool = False,
        upstream: list[Command] | None = None,
    ) -> None:
        self.name = name  # basename of the program
        self.args = args
        self.command = command  # the simple command it came from (redirections, pipeline)
        self.via = via
        self.xargs = xargs  # extra arguments arrive on stdin
        self.find_paths = find_paths  # run by `find -exec`: `{}` stands for these
        self.find_narrowed = find_narrowed  # that find selects by name/age/size, not everything
        self.find_selected: list[Word] | None = None  # what `{}` can be (findexec.selected_paths)
        self.upstream: list[Command] = upstream if upstream is not None else []
        self.dynamic = False  # the program name itself comes from a variable or substitution
        self.chdir: Word | None = None  # `env -C DIR`, `sudo -D DIR`: runs in DIR

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.args]


def calls_of(command: Command) -> list[Call]:
    return _unwrap(command.words, command, (), False, None, list(command.upstream), 0)


def _unwrap(
    words: list[Word],
    command: Command,
    via: tuple[str, ...],
    xargs: bool,
    find_paths: list[Word] | None,
    upstream: list[Command],
    depth: int,
) -> list[Call]:
    if depth > MAX_UNWRAP:
        raise ShellSyntaxError("command wrappers nested too deeply")
    i = 0
    while i < len(words) and (
        words[i].text in _PREFIX_WORDS or words[i].text == "function" or _is_assignment(words[i])
    ):
        i += 2 if words[i].text == "function" else 1  # `function NAME { BODY`: the body, judged alone
    if i >= len(words) or words[i].text in _SKIP_WORDS:
        return []
    name = os.path.basename(words[i].text) or words[i].text
    if via and via[-1] in _PACKAGE_RUNNERS and not words[i].text.startswith((".", "/")):
        from agentops_os.guard.pkgexec import binary_of  # `npx rimraf@5 ~`, `npx @scope/del-cli`

        name = binary_of(words[i].text)
    rest = words[i + 1 :]
    again = (command, via + (name,))

    def recurse(more: list[Word], xargs_now: bool = xargs) -> list[Call]:
        return _unwrap(more, again[0], again[1], xargs_now, find_paths, upstream, depth + 1)

    def reparse(text: str, params: list[Word] | None = None) -> list[Call]:
        out: list[Call] = []
        commands = parse(text)
        if params:
            from agentops_os.guard.positional import bind

            bind(commands, params)  # `sh -c 'rm -rf "$1"' _ ~`
        for inner in commands:
            found = _unwrap(
                inner.words, inner, via + (name,), xargs, find_paths, upstream + inner.upstream, depth + 1
            )
            if not found and inner.redirects and all(_is_assignment(w) for w in inner.words):
                # `sh -c '> ~/.bashrc'`: a line of only a redirection still opens its file
                found = [Call(":", [], inner, via + (name,), xargs, find_paths, upstream=upstream)]
            out.extend(found)
        return out

    if name in _WRAPPERS:
        if name == "command" and rest and rest[0].text in ("-v", "-V"):
            return []  # a lookup, nothing runs
        j, split = _skip_options(name, rest)
        if split is not None:  # env -S 'cmd args'
            return reparse(split + " " + " ".join(quote(w.text) for w in rest[j:]))
        if name == "flock" and j < len(rest) and rest[j].text in ("-c", "--command"):
            return reparse(rest[j + 1].text) if j + 1 < len(rest) else []
        j += _POSITIONALS.get(name, 0)
        if j >= len(rest) and (name == "chroot" or (  # `chroot /host` alone starts a shell there
            name in ("sudo", "doas") and any(w.text in ("-s", "-i", "--shell", "--login") for w in rest))
        ):
            return [
                Call("sh", [], command, via + (name,), xargs, find_paths, upstream=upstream)
            ]  # a root shell on stdin
        if name == "env" and j >= len(rest):  # `env > /tmp/e`: with no program, env prints the environment
            return [Call("env", rest, command, via, xargs, find_paths, upstream=upstream)]
        inner = recurse(rest[j:], xargs or name == "xargs")
        chdir = _chdir(name, rest[:j])
        if chdir is not None:
            for call in inner:
                call.chdir = call.chdir or chdir
        return inner
    if name in _RUNNERS and rest and rest[0].text == _RUNNERS[name]:
        j = 1
        while j < len(rest) and rest[j].text.startswith("-"):
            j += 1
        return recurse(rest[j:])
    if name in ("busybox", "toybox") and rest and not rest[0].text.startswith("-"):
        return recurse(rest)  # `busybox rm -rf ~`: the applet named first
    if name in SHELLS or name == "su":
        at = _dash_c(rest)
        if at is not None:
            script = rest[at].text if at < len(rest) else ""
            params = rest[at + 1 :] if name in SHELLS else []
            shell = Call(name, rest, command, via, xargs, find_paths, upstream=upstream)
            return [shell, *reparse(script, params)]
    if name.startswith("python") and len(rest) > 1 and rest[0].text == "-m" and rest[1].text in _PY_TOOLS:
        # `python -m pip uninstall …` is pip: judged as python and as the tool it runs
        return [Call(name, rest, command, via, xargs, find_paths, upstream=upstream), *recurse(rest[1:])]
    if name == "eval" and rest:
        from agentops_os.guard.shellinit import shell_init  # eval is rare: load its table then

        if shell_init(rest):
            return []  # `eval "$(pyenv init -)"`: the tool prints its own setup (judged itself)
        if any(w.dynamic for w in rest):  # eval of a built string: what runs is unknown
            unknown = Call("eval", rest, command, via, xargs, find_paths, upstream=upstream)
            unknown.dynamic = True
            return [unknown]
        return reparse(" ".join(w.text for w in rest))
    if name in _CONTAINERS:
        launched = _container_command(name, rest)
        if launched is not None:
            return recurse(launched)
    if name == "watch":
        j = 0
        while j < len(rest) and rest[j].text.startswith("-"):
            j += 2 if rest[j].text in ("-n", "--interval", "-d") and "=" not in rest[j].text else 1
        return reparse(" ".join(w.text for w in rest[j:])) if j < len(rest) else []
    if name == "ssh":
        j = 0
        while j < len(rest) and rest[j].text.startswith("-"):
            flag = rest[j].text
            j += 2 if len(flag) == 2 and flag[1] in _SSH_VALUED else 1
        remote = " ".join(w.text for w in rest[j + 1 :])
        base = Call(name, rest, command, via, xargs, find_paths, upstream=upstream)
        if not remote.strip():
            return [base]
        remote_calls = reparse(remote)
        stdin = [r for r in command.redirects if r.op in ("<", "<<", "<<-", "<<<")]
        for call in remote_calls:  # `ssh host bash -s <<EOF`: ssh hands its stdin to the remote command
            if stdin and not any(r.op in ("<", "<<", "<<-", "<<<") for r in call.command.redirects):
                call.command.redirects.extend(stdin)
        return [base, *remote_calls]
    if name == "parallel":
        from agentops_os.guard.gnuparallel import command_lines

        lines, from_stdin = command_lines(rest)
        calls = [c for text in lines for c in reparse(text)]
        for call in calls if from_stdin else ():
            call.xargs = True  # `… | parallel rm`: like xargs, the arguments come from stdin
        return calls
    if name == "find":
        return _find(name, rest, command, via, xargs, upstream, depth)
    if name in ("fd", "fdfind"):
        return _fd(name, rest, command, via, xargs, upstream, depth)
    call = Call(name, rest, command, via, xargs, find_paths, upstream=upstream)
    call.dynamic = words[i].dynamic
    return [call]


def _find(
    name: str,
    rest: list[Word],
    command: Command,
    via: tuple[str, ...],
    xargs: bool,
    upstream: list[Command],
    depth: int,
) -> list[Call]:
    paths: list[Word] = []
    j = 0
    while j < len(rest) and rest[j].text in ("-H", "-L", "-P"):
        j += 1
    while j < len(rest) and not rest[j].text.startswith(("-", "(", "!")):
        paths.append(rest[j])
        j += 1
    if not paths:
        paths = [Word(".")]
    narrowed = find_narrowed([w.text for w in rest[j:]])  # it selects some files, not all
    out = [Call(name, rest, command, via, xargs, paths, narrowed, upstream)]
    selected: list[Word] | None = None
    while j < len(rest):
        if rest[j].text in ("-exec", "-execdir", "-ok", "-okdir"):
            if selected is None:
                from agentops_os.guard.findexec import selected_paths

                selected = selected_paths(rest, paths)
            k = j + 1
            while k < len(rest) and rest[k].text not in (";", "+"):
                k += 1
            for inner in _unwrap(rest[j + 1 : k], command, via + (name,), xargs, paths, upstream, depth + 1):
                inner.find_narrowed = narrowed
                inner.find_selected = selected
                out.append(inner)
            j = k
        j += 1
    return out


_FD_VALUED = frozenset(
    {
        "-t",
        "--type",
        "-e",
        "--extension",
        "-d",
        "--max-depth",
        "--min-depth",
        "--exact-depth",
        "-E",
        "--exclude",
        "-S",
        "--size",
        "--changed-within",
        "--changed-before",
        "-o",
        "--owner",
        "-j",
        "--threads",
        "--base-directory",
        "--search-path",
        "--format",
        "-c",
        "--color",
        "--max-results",
        "--ignore-file",
        "--path-separator",
        "--batch-size",
    }
)
# fd options that select some files rather than everything below the search paths.
_FD_NARROWING = frozenset(
    {"-e", "--extension", "-S", "--size", "--changed-within", "--changed-before", "-o", "--owner"}
)


def _fd(
    name: str,
    rest: list[Word],
    command: Command,
    via: tuple[str, ...],
    xargs: bool,
    upstream: list[Command],
    depth: int,
) -> list[Call]:
    """`fd PATTERN PATH... -x CMD` / `-X CMD`: CMD runs on what fd finds, like find -exec."""
    positional: list[Word] = []
    narrowed = False
    searched: list[Word] = []
    exec_at = None
    j = 0
    while j < len(rest):
        text = rest[j].text
        if text in ("-x", "--exec", "-X", "--exec-batch"):
            exec_at = j + 1
            break
        if text.split("=", 1)[0] in _FD_VALUED:
            narrowed = narrowed or text.split("=", 1)[0] in _FD_NARROWING
            if text.split("=", 1)[0] == "--search-path" and "=" not in text and j + 1 < len(rest):
                searched.append(rest[j + 1])
            j += 1 if "=" in text else 2
            continue
        if not text.startswith("-"):
            positional.append(rest[j])
        j += 1
    pattern, paths = (positional[0].text, positional[1:]) if positional else ("", [])
    narrowed = narrowed or pattern not in ("", ".", "^", ".*")
    paths = paths + searched or [Word(".")]
    out = [Call(name, rest, command, via, xargs, paths, narrowed, upstream)]
    if exec_at is not None:
        end = exec_at
        while end < len(rest) and rest[end].text != ";":
            end += 1
        inner_words = rest[exec_at:end]
        if not any("{" in w.text for w in inner_words):
            inner_words = [*inner_words, Word("{}")]  # fd appends the path when no placeholder
        for inner in _unwrap(inner_words, command, via + (name,), xargs, paths, upstream, depth + 1):
            inner.find_narrowed = narrowed
            out.append(inner)
    return out


# Container and cluster launchers: `docker exec [opts] CONTAINER CMD...` runs CMD (in the
# container, but with the same power over mounted files and databases), so CMD is judged.
_CONTAINERS = frozenset({"docker", "podman", "nerdctl", "kubectl", "oc"})
_CONTAINER_VALUED = frozenset(
    {
        "-e",
        "--env",
        "-u",
        "--user",
        "-w",
        "--workdir",
        "-v",
        "--volume",
        "--name",
        "--network",
        "--entrypoint",
        "-p",
        "--publish",
        "--mount",
        "--env-file",
        "-l",
        "--label",
        "--platform",
        "-c",
        "--container",
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--detach-keys",
        "--cpus",
        "-m",
        "--memory",
        "--add-host",
        "--hostname",
        "-h",
        "--pull",
        "--gpus",
        "--cap-add",
        "--cap-drop",
        "--device",
        "--tmpfs",
        "--ulimit",
        "--security-opt",
        "--restart",
        "--log-driver",
        "-f",
        "--file",
        "--project-name",
        "--profile",
        "--index",
        "-T",
    }
)


def _container_command(name: str, rest: list[Word]) -> list[Word] | None:
    texts = [w.text for w in rest]
    if name in ("kubectl", "oc"):
        if "exec" not in texts[:3] or "--" not in texts:
            return None
        return rest[texts.index("--") + 1 :]
    j = 0
    if texts[:1] == ["compose"] or texts[:1] == ["container"]:
        j = 1
        while j < len(texts) and texts[j].startswith("-"):  # `docker compose -f x.yml exec`
            j += 2 if texts[j] in _CONTAINER_VALUED else 1
    if j >= len(texts) or texts[j] not in ("exec", "run"):
        return None
    j += 1
    while j < len(texts) and texts[j].startswith("-"):
        if texts[j] == "--":
            j += 1
            break
        j += 2 if texts[j] in _CONTAINER_VALUED and "=" not in texts[j] else 1
    j += 1  # the container, service or image
    return rest[j:] if j < len(rest) else None


def _chdir(name: str, options: list[Word]) -> Word | None:
    """The directory `env -C DIR` / `env --chdir=DIR` / `sudo -D DIR` runs its command in."""
    if name not in ("env", "sudo"):
        return None
    flags = ("-C", "--chdir") if name == "env" else ("-D", "--chdir")
    for k, word in enumerate(options):
        if word.text in flags and k + 1 < len(options):
            return options[k + 1]
        if word.text.startswith("--chdir="):
            return Word(word.text.split("=", 1)[1], word.quoted, word.dynamic)
        if name == "env" and word.text.startswith("-C") and len(word.text) > 2:
            return Word(word.text[2:], word.quoted, word.dynamic)
    return None


def _skip_options(name: str, rest: list[Word]) -> tuple[int, str | None]:
    valued = _WRAPPERS[name]
    j = 0
    while j < len(rest):
        text = rest[j].text
        if text == "--":
            return j + 1, None
        if name == "env" and _is_assignment(rest[j]):
            j += 1
            continue
        if name == "env" and (text in ("-S", "--split-string") or text.startswith(("-S", "--split-string="))):
            value = text.split("=", 1)[1] if text.startswith("--split-string=") else text[2:]
            if not value and j + 1 < len(rest):
                return j + 2, rest[j + 1].text
            return j + 1, value
        if name == "xargs" and text.startswith(("-I", "-i", "--replace")):
            j += 2 if text == "-I" else 1
            continue
        if not text.startswith("-") or text == "-":
            break
        if text in valued:
            j += 2
        else:
            j += 1
    return j, None


def _dash_c(rest: list[Word]) -> int | None:
    """Where the script of `sh -c SCRIPT`, `bash -lc SCRIPT`, `su - user -c SCRIPT` is in
    `rest` (its arguments, `$0` on, follow it)."""
    for j, word in enumerate(rest):
        text = word.text
        if text in ("-c", "--command") or (
            text.startswith("-") and not text.startswith("--") and "c" in text[1:] and text[1:].isalpha()
        ):
            return j + 1
    return None


def _is_assignment(word: Word) -> bool:
    """`NAME=value` (also `NAME+=v`, `arr[i]=v`) before a command sets its environment."""
    name, eq, _ = word.text.partition("=")
    if not eq:
        return False
    name = name.removesuffix("+").split("[", 1)[0]
    return bool(name) and not name[0].isdigit() and name.replace("_", "a").isalnum() and name.isascii()
