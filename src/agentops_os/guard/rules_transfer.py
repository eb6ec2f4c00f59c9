"""File-transfer clients told what to send in a script: `sftp host <<< 'put ~/.netrc'`,
`echo 'put F' | sftp host`, `sftp -b batch host`, `lftp -e 'put F; bye' host`, `lftp -c
'open h; mirror -R DIR'`, `smbclient //h/s -c 'put F'`, `ftp host <<EOF … put F … EOF`.
Each local file a `put`/`mput`/`reput`/`send`/`append` (or lftp's reverse `mirror -R`)
uploads is judged as repoexport.sends_secrets judges a copy to another host: a secret file
is the secret read it is (denied), the home or another directory holding secret places is
asked. Uploads of build output and downloads (`get`) pass. sftp's scripts are read here for
sshlocal, which judges sftp's other options."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# the verbs that send local files, and whether only their first operand is local
_PUTS = {"put": True, "reput": True, "send": True, "append": True, "mput": False}
_MAX_SCRIPT = 65536


def script_sends(judge: Scope, call: Call) -> Verdict | None:
    """The uploads of the scripts `call` runs (here-documents, piped text, script files and
    command options)."""
    from agentops_os.guard.repoexport import sends_secrets

    sources: list[Word] = []
    for script in _scripts(judge, call):
        sources += _uploaded(script)
    return sends_secrets(judge, f"{call.name} put", sources) if sources else None


def _scripts(judge: Scope, call: Call) -> list[str]:
    texts = [
        (r.body if r.op in ("<<", "<<-") else r.target.text if r.target is not None else "") or ""
        for r in call.command.redirects
        if r.op in ("<<", "<<-", "<<<")
    ]
    if call.upstream:
        from agentops_os.guard.rules_exec import produced_text

        piped = produced_text(call.upstream)
        texts += [piped] if piped else []
    argv = call.argv
    files: list[str] = []
    for k, arg in enumerate(argv):
        value = argv[k + 1] if k + 1 < len(argv) else ""
        if call.name == "sftp" and arg.startswith("-b") and not arg.startswith("--"):
            files.append(arg[2:] or value)
        elif call.name == "lftp" and arg in ("-e", "-c"):
            texts.append(value)
        elif call.name == "lftp" and arg == "-f":
            files.append(value)
        elif call.name == "smbclient" and arg in ("-c", "--command"):
            texts.append(value)
        elif call.name == "smbclient" and arg.startswith("--command="):
            texts.append(arg.split("=", 1)[1])
    for name in files:
        path = judge.resolve(name) if name not in ("", "-") else None
        if path is not None:
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    texts.append(handle.read(_MAX_SCRIPT))
            except OSError:
                continue
    return texts


def _uploaded(script: str) -> list[Word]:
    """The local files the commands of `script` upload, as words (`~` and `$HOME` spelled
    as the client's shell-like reading gives them)."""
    import shlex

    from agentops_os.guard.shell import Word

    out: list[Word] = []
    for line in script.replace(";", "\n").splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            words = line.split()
        if not words:
            continue
        verb, operands = words[0].lstrip("!-@").lower(), [w for w in words[1:] if not w.startswith("-")]
        reverse = verb == "mirror" and any(w in ("-R", "--reverse") or w.startswith("-R") for w in words)
        if verb in _PUTS and operands:
            operands = operands[:1] if _PUTS[verb] else operands
        elif reverse and operands:
            operands = operands[:1]
        else:
            continue
        out += [Word(w, quoted=True, dynamic="$" in w, tilde=True) for w in operands]
    return out


def _transfer(judge: Scope, call: Call) -> Verdict | None:
    return script_sends(judge, call)


RULES = {name: _transfer for name in ("lftp", "ftp", "smbclient")}
