"""Who may log in to this machine, and as whom: system accounts, groups and SSH keys.

`usermod -aG sudo bench` makes an account an administrator, `useradd -o -u 0 x` a second
root, `chpasswd`/`passwd` set passwords; an agent has no business with any of them, and
asking costs little (they are rare). `ssh-keygen -f ~/.ssh/id_ed25519` replaces the key
the user logs in with when one is there: denied, as any overwrite of a secret file is;
a new key among the user's keys is asked; keys made anywhere else (a deploy key in the
repository) are judged as ordinary writes. Signatures make no key: `-Y verify`,
`check-novalidate` and `find-principals` only read, and `-Y sign -f KEY FILE` reads the
key named by `-f` and writes `FILE.sig`."""

from __future__ import annotations

import os

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# groups whose members are administrators (or can become root: docker's socket)
_ADMIN_GROUPS = frozenset({"sudo", "wheel", "admin", "root", "docker", "adm", "lxd", "libvirt", "disk"})
_READ_ONLY = frozenset({"-h", "--help", "-V", "--version", "-S", "--status"})
# ssh-keygen modes that read or list keys rather than make one
_KEYGEN_QUERIES = frozenset("lyRFBeiDQrHkKM")


def _accounts(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if set(argv) & _READ_ONLY:
        return None
    groups = _group_values(argv)
    if call.name in ("usermod", "useradd", "adduser", "gpasswd") and groups & _ADMIN_GROUPS:
        admin = sorted(groups & _ADMIN_GROUPS)[0]
        return judge.verdict("user-account", "ask", f"{call.name} puts an account in the {admin} group "
                                                    "(an administrator of this machine)")
    return judge.verdict("user-account", "ask", f"{call.name} changes the system's accounts or passwords")


def _group_values(argv: list[str]) -> set[str]:
    """The groups named by `-G a,b`, `-aG a`, `--groups=a`, `-g a`, `gpasswd -a user g`,
    `adduser user g`."""
    found: set[str] = set()
    for k, arg in enumerate(argv):
        value = None
        if arg.startswith("--groups=") or arg.startswith("--gid="):
            value = arg.split("=", 1)[1]
        elif arg in ("-G", "--groups", "-g", "--gid") or (arg.startswith("-") and not arg.startswith("--")
                                                           and arg[-1:] in "Gg" and arg[1:].isalpha()):
            value = argv[k + 1] if k + 1 < len(argv) else ""
        if value is not None:
            found.update(v for v in value.split(",") if v)
    positional = [a for a in argv if not a.startswith("-")]
    found.update(positional[1:])  # `gpasswd -a user sudo`, `adduser user sudo`
    return found


def _ssh_keygen(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    flags = {c for a in argv if a.startswith("-") and not a.startswith("--") for c in a[1:2]}
    if flags & _KEYGEN_QUERIES:
        return None  # fingerprints, public halves, known_hosts edits, conversions
    if "Y" in flags:
        return _signature(judge, call)
    files = [argv[k + 1] for k, a in enumerate(argv[:-1]) if a == "-f"]
    files += [a[2:] for a in argv if a.startswith("-f") and len(a) > 2]
    verdicts: list[Verdict | None] = []
    for text in files or ["~/.ssh/id_" + _key_type(argv)]:
        path = judge.resolve(text)
        if path is None:
            continue
        if not judge.inside_repo(path) and judge.is_secret(path):
            if os.path.exists(path):
                verdicts.append(judge.verdict("secret-write", "deny",
                                              f"ssh-keygen replaces the existing key {path}"))
            else:
                reason = f"ssh-keygen makes a new login key {path}"
                verdicts.append(judge.verdict("secret-write", "ask", reason))
            continue
        verdicts.append(judge.judge_write(path, "ssh-keygen writes"))
    return worst(verdicts)


def _signature(judge: Scope, call: Call) -> Verdict | None:
    """`ssh-keygen -Y verify|check-novalidate|find-principals|match-principals` only read
    (a signature, a message on stdin, an allowed-signers file); `-Y sign -f KEY FILE…`
    reads the key (`-f` names the key to sign with, not a file to write) and writes
    `FILE.sig` next to each FILE, judged as that write."""
    argv = call.argv
    mode = next((argv[k + 1] for k, a in enumerate(argv[:-1]) if a == "-Y"), "")
    if mode != "sign":
        return None
    valued = {"-Y", "-f", "-n", "-O", "-I", "-s"}
    files = [a for k, a in enumerate(argv) if not a.startswith("-") and (k == 0 or argv[k - 1] not in valued)]
    verdicts = [judge.judge_write(path, "ssh-keygen -Y sign writes")
                for path in (judge.resolve(f + ".sig") for f in files) if path is not None]
    return worst(verdicts)


def _key_type(argv: list[str]) -> str:
    kind = next((argv[k + 1] for k, a in enumerate(argv[:-1]) if a == "-t"), "ed25519")
    return {"dsa": "dsa", "ecdsa": "ecdsa", "rsa": "rsa"}.get(kind, "ed25519")


RULES = {
    **{name: _accounts for name in ("usermod", "useradd", "userdel", "gpasswd", "adduser", "deluser",
                                     "chpasswd", "passwd", "groupmod", "vipw", "visudo", "chsh")},
    "ssh-keygen": _ssh_keygen,
}
