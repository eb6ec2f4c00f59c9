"""Commands run on other machines by fleet and cloud tools, judged as the command lines
they are.

`ssh host CMD` already has CMD judged (without this repository's boundary rules: the far
side's /opt and $HOME are its own). These tools are the same thing with another
spelling, often on many machines at once: `ansible PATTERN -m shell|command|raw -a CMD`
(`command` is ansible's default module; `-b` runs it with sudo; `-m file -a 'path=P
state=absent'` is `rm -rf P`), `salt TARGET cmd.run CMD` (`salt-ssh`; `file.remove P`;
`salt-call` runs here), `pssh`/`parallel-ssh`, `pdsh`, `clush` CMD, and the clouds' run
commands: `aws ssm send-command --parameters 'commands=[…]'` (also the JSON form and a
`file://` parameter file), `aws ecs execute-command --command`, `gcloud compute ssh VM
--command CMD` (or `-- CMD`), `az vm|vmss run-command invoke --scripts …`, `az container
exec --exec-command`, `az aks command invoke --command`. Each is judged as `ssh host CMD`
is. `kubectl exec` forms the unwrapping does not read (global options before `exec`, no
`--`) and `oc rsh POD CMD` are judged as `kubectl exec POD -- CMD`."""

from __future__ import annotations

from agentops_os.guard.shell import Word, quote
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

_FAR = "remote.invalid"  # the host a remote command line is judged on: `ssh remote.invalid CMD`


def remote_line(judge: Scope, where: str, text: str) -> Verdict | None:
    """`text`, run on other machines by `where`, judged as `ssh host TEXT` is."""
    if not text.strip():
        return None
    return _wrapped(judge.inner(f"ssh {_FAR} {quote(text)}"), where, text)


def _wrapped(verdict: Verdict, where: str, text: str) -> Verdict | None:
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{where} runs {text[:60]!r}: {verdict.reason}", verdict.rule)


def _options(args: list[str], valued: frozenset[str]) -> tuple[dict[str, str], list[str]]:
    """(option -> value, positional words) of a CLI that takes options anywhere; a short
    option may hold its value (`-mshell`, `-a'ls'`)."""
    found: dict[str, str] = {}
    positional: list[str] = []
    j = 0
    while j < len(args):
        arg = args[j]
        if arg == "--":
            positional.extend(args[j + 1 :])
            break
        if arg.startswith("-") and arg != "-":
            name, eq, value = arg.partition("=")
            if not eq and name in valued:
                value = args[j + 1] if j + 1 < len(args) else ""
                j += 1
            elif not eq and not name.startswith("--") and name[:2] in valued and len(name) > 2:
                name, value = name[:2], name[2:]
            found[name] = value
        else:
            positional.append(arg)
        j += 1
    return found, positional


_ANSIBLE_VALUED = frozenset(
    {"-i", "--inventory", "--inventory-file", "-m", "--module-name", "-a", "--args", "-u", "--user", "-f",
     "--forks", "-e", "--extra-vars", "-l", "--limit", "-M", "--module-path", "-B", "--background", "-P",
     "--poll", "-t", "--tree", "--become-user", "--become-method", "-T", "--timeout", "-c", "--connection",
     "--private-key", "--key-file", "--vault-password-file", "--vault-id", "--ssh-common-args",
     "--ssh-extra-args", "--sftp-extra-args", "--scp-extra-args", "--playbook-dir", "--task-timeout"}
)
# `command`/`shell` options written among the free-form command
_ANSIBLE_KEYS = ("chdir", "creates", "removes", "executable", "warn", "stdin", "stdin_add_newline",
                 "strip_empty_ends", "expand_argument_vars")


def _ansible(judge: Scope, call: Call) -> Verdict | None:
    found, positional = _options(call.argv, _ANSIBLE_VALUED)
    module = found.get("-m", found.get("--module-name", "command"))
    for prefix in ("ansible.builtin.", "ansible.legacy.", "ansible.posix."):
        module = module.removeprefix(prefix)
    args = found.get("-a", found.get("--args", ""))
    pattern = positional[0] if positional else "?"
    become = "-b" in found or "--become" in found or any(
        k.startswith("-") and not k.startswith("--") and "b" in k[1:] and k[1:].isalpha() for k in found
    )
    if module in ("shell", "command", "raw"):
        text = args if module == "raw" else _free_form(args)
    elif module == "file":
        fields = _key_values(args)
        path = fields.get("path") or fields.get("dest") or fields.get("name")
        if fields.get("state") != "absent" or not path:
            return None
        text = f"rm -rf -- {quote(path)}"
    else:
        return None
    if become and text:
        text = f"sudo {text}"
    return remote_line(judge, f"ansible {pattern} -m {module}", text)


def _free_form(args: str) -> str:
    """The command of an ansible `command`/`shell` argument string: its `cmd=` or the
    free form with `chdir=`, `creates=` … taken out."""
    fields = _key_values(args)
    if "cmd" in fields:
        return fields["cmd"]
    from agentops_os.guard.argv import search

    kept = args
    for key in _ANSIBLE_KEYS:
        while True:
            match = search(rf"(?:^|\s){key}=(?:'[^']*'|\"[^\"]*\"|\S+)", kept)
            if match is None:
                break
            kept = kept[: match.start()] + kept[match.end() :]
    return kept.strip()


def _key_values(args: str) -> dict[str, str]:
    """`path=/x state=absent` (or a JSON object) as a dict; {} when it is neither."""
    text = args.strip()
    if text.startswith("{"):
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    import shlex

    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    out: dict[str, str] = {}
    for word in words:
        key, eq, value = word.partition("=")
        if eq and key.isidentifier():
            out[key] = value
    return out


_SALT_VALUED = frozenset({"-t", "--timeout", "-b", "--batch", "--batch-size", "--out", "--output", "-c",
                          "--config-dir", "--return", "-a", "--auth", "-l", "--log-level", "--out-file",
                          "--roster-file", "--priv", "-i", "--user", "--passwd", "--saltenv", "--pillar"})
_SALT_RUN = frozenset({"cmd.run", "cmd.run_all", "cmd.run_stdout", "cmd.run_stderr", "cmd.shell",
                       "cmd.run_bg", "cmd.powershell"})
# cmd.run's keyword arguments (`cmd=` is the command itself)
_SALT_KWARGS = frozenset({"cmd", "runas", "cwd", "shell", "python_shell", "env", "timeout", "output_loglevel",
                          "stdin", "umask", "group"})


def _salt(judge: Scope, call: Call) -> Verdict | None:
    """`salt TARGET cmd.run CMD`, `salt-ssh TARGET …`, `salt-call cmd.run CMD` (here)."""
    _, positional = _options(call.argv, _SALT_VALUED)
    if call.name != "salt-call":
        target, positional = (positional[0] if positional else "?"), positional[1:]
    function, args = (positional[0] if positional else ""), positional[1:]
    text = ""
    if function in _SALT_RUN:
        kwargs = {k: v for k, _, v in (a.partition("=") for a in args) if k in _SALT_KWARGS}
        plain = [a for a in args if a.partition("=")[0] not in _SALT_KWARGS]
        text = kwargs.get("cmd") or (plain[0] if plain else "")
    elif function == "file.remove" and args:
        text = f"rm -rf -- {quote(args[0])}"
    if not text:
        return None
    if call.name == "salt-call":  # this machine's minion
        return _wrapped(judge.inner(text), f"salt-call {function}", text)
    return remote_line(judge, f"{call.name} {target} {function}", text)


_FLEET_VALUED = {
    "pssh": frozenset({"-h", "--hosts", "-H", "--host", "-l", "--user", "-p", "--par", "-o", "--outdir", "-e",
                       "--errdir", "-t", "--timeout", "-O", "--option", "-x", "--extra-args", "-X",
                       "--extra-arg"}),
    "pdsh": frozenset({"-w", "-x", "-l", "-t", "-u", "-f", "-R", "-g", "-X", "-M", "-e"}),
    "clush": frozenset({"-w", "-x", "-g", "--group", "-X", "-l", "--user", "-f", "--fanout", "-t",
                        "--connect_timeout", "-u", "--command_timeout", "-o", "--options", "-R", "--worker",
                        "--rcopy", "--copy", "--dest"}),
}
_FLEET_VALUED["parallel-ssh"] = _FLEET_VALUED["pssh"]


def _fleet(judge: Scope, call: Call) -> Verdict | None:
    """`pssh -h hosts CMD`, `pdsh -w nodes CMD`, `clush -w nodes CMD`: options first,
    then the command, on every host."""
    valued = _FLEET_VALUED[call.name]
    args = call.argv
    j = 0
    while j < len(args) and args[j].startswith("-"):
        if args[j] == "--":
            j += 1
            break
        j += 2 if args[j] in valued else 1
    words = args[j:]
    if not words:
        return None
    return remote_line(judge, call.name, " ".join(words))  # joined, as ssh joins a command's words


# -- cloud run commands (called from rules_infra for aws, gcloud, az) ---------------------


def cloud_commands(judge: Scope, call: Call, words: list[str]) -> Verdict | None:
    """The command lines a cloud CLI runs on instances or in containers, judged remotely."""
    argv = call.argv
    texts: list[tuple[str, str]] = []
    if call.name == "aws" and words[:2] == ["ssm", "send-command"]:
        shell = "pwsh -Command " if "PowerShell" in " ".join(argv) else ""
        for value in _values(argv, "--parameters"):
            texts += [("aws ssm send-command", shell + quote(c) if shell else c)
                      for c in _ssm_commands(judge, value)]
    elif call.name == "aws" and words[:2] == ["ecs", "execute-command"]:
        texts += [("aws ecs execute-command", v) for v in _values(argv, "--command")]
    elif call.name == "gcloud" and "ssh" in words[:4]:
        texts += [("gcloud ssh --command", v) for v in _values(argv, "--command")]
        if "--" in argv:
            after = argv[argv.index("--") + 1 :]
            line = f"ssh {_FAR} " + " ".join(quote(a) for a in after)  # ssh's own options or a command
            verdicts = [_wrapped(judge.inner(line), "gcloud ssh --", " ".join(after))] if after else []
            return worst(verdicts + [remote_line(judge, where, text) for where, text in texts])
    elif call.name == "az" and "run-command" in words[:3]:
        shell = "pwsh -Command " if any("PowerShell" in a for a in argv) else ""
        for option in ("--scripts", "--script"):
            texts += [(f"az {words[0]} run-command", shell + quote(v) if shell else v)
                      for v in _values(argv, option, many=True)]
    elif call.name == "az" and words[:2] == ["container", "exec"]:
        texts += [("az container exec", v) for v in _values(argv, "--exec-command")]
    elif call.name == "az" and words[:3] == ["aks", "command", "invoke"]:
        texts += [("az aks command invoke", v) for v in _values(argv, "--command", "-c")]
    return worst([remote_line(judge, where, text) for where, text in texts]) if texts else None


def _values(argv: list[str], option: str, short: str = "", many: bool = False) -> list[str]:
    """Every value of `option` (`--opt V`, `--opt=V`; with `many`, each word up to the next
    option: az's `--scripts 'a' 'b'`)."""
    out: list[str] = []
    for k, arg in enumerate(argv):
        if arg.startswith(option + "="):
            out.append(arg.split("=", 1)[1])
        elif arg == option or (short and arg == short):
            for value in argv[k + 1 :]:
                if value.startswith("--"):
                    break
                out.append(value)
                if not many:
                    break
    return out


def _ssm_commands(judge: Scope, value: str) -> list[str]:
    """The `commands` of an ssm `--parameters` value: JSON (`{"commands":["…"]}`),
    shorthand (`commands=["…"]`, `commands=a,b`), or a `file://` holding JSON."""
    import json

    text = value.strip()
    if text.startswith("file://"):
        path = judge.resolve_word(Word(text[7:]))
        try:
            with open(path or "", encoding="utf-8", errors="replace") as handle:
                text = handle.read(65536).strip()
        except OSError:
            return []
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return [text]  # judged as written: a command inside still reads as one
        listed = data.get("commands", data.get("command", [])) if isinstance(data, dict) else []
        return [str(c) for c in (listed if isinstance(listed, list) else [listed])]
    key, eq, rest = text.partition("=")
    if not eq or key.strip() not in ("commands", "command"):
        return []
    if rest.startswith("["):
        end = rest.rfind("]")
        inner = rest[1:end] if end > 0 else rest[1:]
        try:
            listed = json.loads(f"[{inner}]")
            return [str(c) for c in listed]
        except ValueError:
            return [c.strip() for c in inner.split(",") if c.strip()]
    return [rest]


# -- kubectl exec forms the unwrapping leaves (called from rules_infra) -------------------

_KUBE_EXEC_VALUED = frozenset({"-c", "--container", "-n", "--namespace", "--context", "--kubeconfig", "-f",
                               "--filename", "--pod-running-timeout", "--cluster", "--user", "-s", "--server",
                               "--token", "--as", "--as-group", "--request-timeout", "-l", "--selector"})


def kube_exec(judge: Scope, call: Call) -> Verdict | None:
    """`kubectl --context c -n ns exec POD -- CMD`, `kubectl exec POD CMD` (no `--`),
    `oc rsh POD CMD`: CMD judged as `kubectl exec POD -- CMD` is."""
    args = call.args
    j = 0
    verb = None
    while j < len(args):
        text = args[j].text
        if text.startswith("-"):
            j += 2 if text in _KUBE_EXEC_VALUED else 1
            continue
        verb = text
        break
    if verb not in ("exec", "rsh") or (verb == "rsh" and call.name != "oc"):
        return None
    rest = args[j + 1 :]
    texts = [w.text for w in rest]
    if "--" in texts:
        command = rest[texts.index("--") + 1 :]
    else:
        k = 0
        while k < len(rest) and rest[k].text.startswith("-"):
            k += 2 if rest[k].text in _KUBE_EXEC_VALUED else 1
        command = rest[k + 1 :]
    if not command:
        return None
    from agentops_os.guard.rebuild import shell_line

    line = shell_line("kubectl", [Word("exec"), Word("pod"), Word("--"), *command])
    return _wrapped(judge.inner(line), f"{call.name} {verb}", " ".join(w.text for w in command))


RULES = {
    "ansible": _ansible,
    "salt": _salt,
    "salt-ssh": _salt,
    "salt-call": _salt,
    "pssh": _fleet,
    "parallel-ssh": _fleet,
    "pdsh": _fleet,
    "clush": _fleet,
}
