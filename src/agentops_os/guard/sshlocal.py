"""ssh options that run a command on this machine, and transports that are commands.

`ssh -o ProxyCommand='sh -c "curl … | sh"' host` runs its ProxyCommand locally, before
any connection; so do `LocalCommand` (with `PermitLocalCommand`), `KnownHostsCommand`
and a configuration given with `-F` (its `ProxyCommand`, `LocalCommand`,
`KnownHostsCommand` and `Match exec` lines). scp, sftp, sshfs and autossh take the same
`-o` options; `scp/sftp -S PROGRAM` and `sftp -D COMMAND` start a local program instead
of ssh; `rsync -e/--rsh COMMAND` and `mosh --ssh=COMMAND` are the command that carries the
transfer. Each such value is judged as a command line, with ssh's `%h`, `%p` … tokens
filled in (a `ProxyCommand='ssh -W %h:%p bastion'` or `rsync -e 'ssh -p 2222'` passes, as
those command lines do). A `-F` file the guard cannot read (one this line writes, say)
is asked; `-F /dev/null` passes. ssh's forwards that expose this machine (`-R`, `-L`/`-D`
beyond loopback, in options or a `-F` file) are judged by rules_tunnel.
"""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

PROGRAMS = frozenset({"ssh", "autossh", "scp", "sftp", "sshfs", "rsync", "mosh"})
# ssh_config keywords whose value is a command run on this machine.
_COMMAND_KEYWORDS = frozenset({"proxycommand", "localcommand", "knownhostscommand", "ssh_command"})
# Option letters that take a value, per program; and which of them name a command or a file.
_VALUED = {
    "ssh": "BbcDEeFIiJLlmOopQRSWw",
    "autossh": "BbcDEeFIiJLlMmOopQRSWw",
    "scp": "cDFiJloPSX",
    "sftp": "BbcDFiJloPRSsX",
    "sshfs": "opF",
}
_COMMAND_LETTERS = {"scp": "SD", "sftp": "SD"}
_TOKENS = {"h": "host.invalid", "p": "22", "r": "user", "n": "host.invalid", "%": "%"}
_MAX_CONFIG = 65536


def local_commands(judge: Scope, call: Call) -> Verdict | None:
    """The strongest verdict over the commands `call`'s options make it run here."""
    if call.name == "rsync":
        return _judge_all(judge, [("rsync -e", v) for v in _rsync_shells(call.argv)])
    if call.name == "mosh":
        return _judge_all(judge, [("mosh --ssh", v) for v in _long_values(call.argv, "--ssh")])
    values: list[tuple[str, str]] = []
    verdicts: list[Verdict | None] = []
    if call.name in ("ssh", "autossh"):  # `ssh -R 2222:localhost:22 h`: this machine, reachable from there
        from agentops_os.guard.rules_tunnel import ssh_forwards

        verdicts.append(ssh_forwards(judge, call.name, ssh_options(call.name, call.argv)))
    for letter, value in _short_values(call.name, call.argv):
        if letter == "o":
            values.extend((f"{call.name} -o {key}", v) for key, v in _option_commands(value))
        elif letter == "F":
            verdicts.append(_config_file(judge, call, value))
        elif letter in _COMMAND_LETTERS.get(call.name, ""):
            values.append((f"{call.name} -{letter}", value))
    verdicts.append(_copies_repo(judge, call))
    if call.name == "sftp":  # `sftp host <<< 'put ~/.netrc'`, `sftp -b batch host`
        from agentops_os.guard.rules_transfer import script_sends

        verdicts.append(script_sends(judge, call))
    return worst([*verdicts, _judge_all(judge, values)])


def _copies_repo(judge: Scope, call: Call) -> Verdict | None:
    """The whole repository to another machine: `tar czf - . | ssh host 'tar xzf -'`,
    `scp -r . host:/srv/copy` (repoexport)."""
    from agentops_os.guard import repoexport

    if call.name == "ssh" and call.upstream:
        return repoexport.piped_archive(judge, "ssh", call.upstream, parts=False)
    if call.name != "scp":
        return None
    valued = _VALUED["scp"]
    places = []
    j = 0
    while j < len(call.args):
        text = call.args[j].text
        if text.startswith("-") and len(text) > 1:
            at = next((k for k, c in enumerate(text[1:], 1) if c in valued), None)
            j += 2 if at == len(text) - 1 else 1  # `-P 22`, `-rP 22`; `-oX=y` holds its value
            continue
        places.append(call.args[j])
        j += 1
    if len(places) < 2 or ":" not in places[-1].text.split("/", 1)[0]:
        return None
    return repoexport.copies_repo(judge, "scp", places[:-1], call.argv)


def _short_values(name: str, argv: list[str]) -> list[tuple[str, str]]:
    """(letter, value) of each valued short option (`-o V`, `-oV`, `-vo V`) before the
    destination."""
    valued = _VALUED.get(name, "")
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1:
            found, i = _cluster(argv, i, valued)
            out += [(letter, value) for letter, value, has in found if has]
        i += 1
    return out


def _cluster(argv: list[str], i: int, valued: str) -> tuple[list[tuple[str, str, bool]], int]:
    """The options of the short-option cluster `argv[i]` (`-vo V`, `-oV`): (letter, value,
    whether it takes one), and the index of the last word it used."""
    arg = argv[i]
    out: list[tuple[str, str, bool]] = []
    for k, letter in enumerate(arg[1:], start=2):
        if letter in valued:
            value = arg[k:]
            if not value and i + 1 < len(argv):
                i += 1
                value = argv[i]
            out.append((letter, value, True))
            break
        out.append((letter, "", False))
    return out, i


def ssh_options(name: str, argv: list[str]) -> list[tuple[str, str]]:
    """(letter, value) of each short option ssh reads, a flag with value '': the options
    before the destination and those right after it, up to the remote command (ssh stops
    at the first word that is no option, so `ssh h ls -R /` gives ls its `-R`)."""
    valued = _VALUED.get(name, "")
    out: list[tuple[str, str]] = []
    seen_host = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--" or not arg.startswith("-") or arg == "-":
            if seen_host or arg == "--":
                break
            seen_host = True
            i += 1
            continue
        found, i = _cluster(argv, i, valued)
        out += [(letter, value) for letter, value, _ in found]
        i += 1
    return out


def _option_commands(value: str) -> list[tuple[str, str]]:
    """(keyword, command) of an `-o` value that names a local command (`ProxyCommand=…`,
    `ProxyCommand …`; sshfs's comma-separated `-o a,ssh_command=…`)."""
    out: list[tuple[str, str]] = []
    for part in _keyword_starts(value):
        keyword, command = _split_keyword(part)
        if keyword.lower() in _COMMAND_KEYWORDS:
            out.append((keyword, command))
    return out


def _keyword_starts(value: str) -> list[str]:
    """The value itself and, for a comma-separated list, each tail starting at a keyword."""
    parts = [value]
    for k, c in enumerate(value):
        if c == "," and k + 1 < len(value):
            parts.append(value[k + 1 :])
    return parts


def _split_keyword(text: str) -> tuple[str, str]:
    text = text.strip()
    k = 0
    while k < len(text) and (text[k].isalnum() or text[k] == "_"):
        k += 1
    rest = text[k:].lstrip(" \t")
    rest = rest[1:].lstrip(" \t") if rest.startswith("=") else rest
    return text[:k], rest


def _rsync_shells(argv: list[str]) -> list[str]:
    """Values of rsync's `-e CMD`, `-eCMD`, `-avze CMD`, `--rsh=CMD`, `--rsh CMD`."""
    out = _long_values(argv, "--rsh")
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--") and "e" in arg[1:]:
            head, _, value = arg[1:].partition("e")
            if any(c in "BfMT" for c in head):  # an earlier letter takes the value
                continue
            if not value and i + 1 < len(argv):
                value = argv[i + 1]
            if value:
                out.append(value)
    return out


def _long_values(argv: list[str], option: str) -> list[str]:
    out: list[str] = []
    for i, arg in enumerate(argv):
        if arg.startswith(option + "="):
            out.append(arg.split("=", 1)[1])
        elif arg == option and i + 1 < len(argv):
            out.append(argv[i + 1])
    return out


def _config_file(judge: Scope, call: Call, path: str) -> Verdict | None:
    """`ssh -F FILE`: the commands FILE's ProxyCommand/LocalCommand/KnownHostsCommand and
    `Match exec` lines run here; asked when the file cannot be read."""
    if path in ("/dev/null", "none"):
        return None
    from agentops_os.guard.shell import Word

    resolved = judge.resolve_word(Word(path))
    text = None
    if resolved is not None:
        try:
            with open(resolved, encoding="utf-8", errors="replace") as handle:
                text = handle.read(_MAX_CONFIG)
        except OSError:
            text = None
    if text is None:
        return judge.verdict(
            "unresolved-command",
            "ask",
            f"{call.name} -F {path[:60]}: reads a configuration the guard cannot see, which may "
            f"name a command to run on this machine (ProxyCommand, LocalCommand)",
        )
    values: list[tuple[str, str]] = []
    forwards: list[tuple[str, str]] = []
    for line in text.splitlines():
        keyword, rest = _split_keyword(line)
        if keyword.lower() in ("remoteforward", "localforward", "dynamicforward", "gatewayports"):
            forwards.append(("o", f"{keyword} {rest}"))  # judged as `-o KEYWORD VALUE` is
        elif keyword.lower() in _COMMAND_KEYWORDS and rest.lower() != "none":
            values.append((f"{path} {keyword}", rest))
        elif keyword.lower() == "match" and " exec " in f" {rest.lower()} ":
            values.append((f"{path} Match exec", _match_exec(rest)))
    tunnel = None
    if forwards and call.name in ("ssh", "autossh"):
        from agentops_os.guard.rules_tunnel import ssh_forwards

        tunnel = ssh_forwards(judge, f"{call.name} -F {path[:60]}", forwards)
    return worst([tunnel, _judge_all(judge, values)])


def _match_exec(rest: str) -> str:
    """The command of a `Match … exec "CMD" …` line."""
    from agentops_os.guard.shell import ShellSyntaxError, tokenize

    try:
        words = [t.text for t in tokenize(rest)]
    except ShellSyntaxError:
        return rest
    lowered = [w.lower() for w in words]
    at = lowered.index("exec") + 1 if "exec" in lowered else len(words)
    return words[at] if at < len(words) else rest


def _judge_all(judge: Scope, values: list[tuple[str, str]]) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    for what, value in values:
        command = _fill_tokens(value.strip())
        if not command or command.lower() == "none":
            continue
        verdict = judge.inner(command)
        if verdict.decision != "allow":
            verdicts.append(Verdict(verdict.decision, f"{what} runs {command[:60]!r} here: {verdict.reason}",
                                    verdict.rule))
    return worst(verdicts) if verdicts else None


def _fill_tokens(value: str) -> str:
    """ssh's `%h`, `%p`, `%r` … as harmless words (`%%` is a percent sign)."""
    out: list[str] = []
    i = 0
    while i < len(value):
        if value[i] == "%" and i + 1 < len(value):
            out.append(_TOKENS.get(value[i + 1], "x"))
            i += 2
            continue
        out.append(value[i])
        i += 1
    return "".join(out)
