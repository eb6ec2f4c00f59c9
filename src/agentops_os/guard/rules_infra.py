"""Rules for tools that destroy things outside the file system: databases, cloud and
cluster resources, infrastructure, disks, the machine itself, package registries."""

from __future__ import annotations

from agentops_os.guard.argv import CHMOD_LONG, flag_set, long_options, operands, search
from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

_SQL_DROP = r"(?i)\bdrop\s+(database|schema|table|keyspace|collection)\b"
_SQL_TRUNCATE = (
    r"(?im)\btruncate\s+(table\s+)?[\w.\"`]+|\bdelete\s+from\s+[\w.\"`]+\s*(;|$)|"
    r"\bflush(all|db)\b|\.drop\(\)|dropDatabase\("
)
_WORLD_WRITABLE = r"^0?[0-7]?[0-7][0-7][2367]$|^(a|o|ugo|)\+[rwxXst]*w"


def _chmod(judge: Scope, call: Call) -> Verdict | None:
    flags = flag_set([Word(t) for t in long_options(call.argv, CHMOD_LONG)])
    recursive = bool(flags & {"R", "--recursive"})
    modes = [w.text for w in call.args if search("^(?:" + _WORLD_WRITABLE + ")", w.text)]
    if recursive and modes:
        return judge.verdict(
            "chmod-world-writable", "deny", f"chmod -R {modes[0]} makes a whole tree writable by everyone"
        )
    verdicts = []  # changing modes of protected files (git hooks, our config) is writing them
    args = [
        Word(w.text.lstrip("-"), w.quoted, w.dynamic)
        if call.name == "chmod" and w.text[1:2] in "rwxXst" and w.text.startswith("-") and len(w.text) > 1
        else w
        for w in call.args
    ]  # `chmod -x f`: a mode
    for word in operands(args)[1:]:  # the first operand is the mode or owner
        path = judge.resolve_word(word)
        if path is not None:
            verdicts.append(judge.judge_write(path, f"{call.name} changes"))
    return worst(verdicts)


def sql(judge: Scope, call: Call) -> Verdict | None:
    texts = list(call.argv)
    for redirect in call.command.redirects:
        if redirect.body:
            texts.append(redirect.body)
        if redirect.op == "<<<" and redirect.target is not None:
            texts.append(redirect.target.text)
    for command in call.upstream:  # echo 'DROP ...' | psql, cat <<EOF | psql
        texts.extend(command.argv)
        texts.extend(r.body for r in command.redirects if r.body)
    if call.upstream:  # echo ZHJvcC... | base64 -d | psql
        from agentops_os.guard.rules_code import produced_text

        texts.append(produced_text(call.upstream) or "")
    return sql_text(judge, "\n".join(texts))


def sql_text(judge: Scope, blob: str) -> Verdict | None:
    match = search(_SQL_DROP, blob)
    if match:
        return judge.verdict("sql-drop", "deny", f"runs `{match.group(0).upper()}` against a database")
    match = search(_SQL_TRUNCATE, blob)
    if match:
        return judge.verdict("sql-drop", "ask", f"runs `{match.group(0).strip()}` (destroys rows)")
    return None


def _dropdb(judge: Scope, call: Call) -> Verdict | None:
    return judge.verdict("sql-drop", "deny", f"{call.name} drops a database")


def _mysqladmin(judge: Scope, call: Call) -> Verdict | None:
    if "drop" in call.argv:
        return judge.verdict("sql-drop", "deny", "mysqladmin drop drops a database")
    return None


def _terraform(judge: Scope, call: Call) -> Verdict | None:
    args = [a for a in call.argv if not a.startswith("-chdir")]
    positional = [a for a in args if not a.startswith("-")]
    sub = positional[0] if positional else ""
    if sub == "destroy" or (sub == "apply" and "-destroy" in args):
        return judge.verdict("infra-destroy", "deny", f"{call.name} destroy tears down real infrastructure")
    if sub == "state" and positional[1:2] == ["rm"]:
        return judge.verdict("infra-destroy", "ask", f"{call.name} state rm forgets live resources")
    if sub == "apply" and "-auto-approve" in args:
        return judge.verdict("infra-destroy", "ask", f"{call.name} apply -auto-approve skips the plan review")
    return None


def _pulumi(judge: Scope, call: Call) -> Verdict | None:
    if "destroy" in call.argv[:2]:
        return judge.verdict("infra-destroy", "deny", "pulumi destroy tears down real infrastructure")
    return None


_KUBE_VALUED = frozenset(
    {
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "-l",
        "--selector",
        "-f",
        "--filename",
        "-o",
        "--output",
        "--cluster",
        "--user",
        "-s",
        "--server",
    }
)


def _kubectl(judge: Scope, call: Call) -> Verdict | None:
    args = call.argv
    namespace = None
    positional: list[str] = []
    j = 0
    while j < len(args):
        a = args[j]
        if a in ("-n", "--namespace") and j + 1 < len(args):
            namespace = args[j + 1]
        elif a.startswith("--namespace="):
            namespace = a.split("=", 1)[1]
        elif a.startswith("-n") and len(a) > 2 and not a.startswith("--"):
            namespace = a[2:]
        if a in _KUBE_VALUED:
            j += 2
            continue
        if not a.startswith("-"):
            positional.append(a)
        j += 1
    verbs = ("delete",) if call.name == "kubectl" or call.name == "oc" else ("uninstall", "delete", "del")
    if not positional or positional[0] not in verbs:
        return None
    protected = judge.policy.protected_namespaces
    if "-A" in args or "--all-namespaces" in args:
        return judge.verdict("kubectl-delete", "deny", f"{call.name} delete across all namespaces")
    if (
        call.name in ("kubectl", "oc")
        and positional[1:2]
        and positional[1].split("/")[0] in ("ns", "namespace", "namespaces")
    ):
        names = [p.split("/", 1)[1] if "/" in p else p for p in positional[1:]]
        names = [n for n in names if n not in ("ns", "namespace", "namespaces")]
        hit = [n for n in names if n in protected]
        if hit:
            return judge.verdict("kubectl-delete", "deny", f"deletes the protected namespace '{hit[0]}'")
        return judge.verdict("kubectl-delete", "ask", f"deletes namespace(s) {', '.join(names) or '?'}")
    if namespace is None:
        return judge.verdict(
            "kubectl-delete", "ask", f"{call.name} delete without -n: the current namespace may be protected"
        )
    if namespace in protected:
        return judge.verdict(
            "kubectl-delete",
            "deny",
            f"{call.name} delete in the protected namespace '{namespace}' (guard.protected_namespaces)",
        )
    return judge.verdict("kubectl-delete", "ask", f"{call.name} delete in namespace '{namespace}'")


def _cloud(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    text = " ".join(argv)
    deny = (
        (call.name == "aws" and argv[:2] == ["s3", "rb"]),
        (call.name == "aws" and argv[:2] == ["s3", "rm"] and "--recursive" in argv),
        (call.name == "aws" and any(a.startswith("delete-db") for a in argv)),
        (call.name == "gcloud" and "projects delete" in text),
        (call.name == "gsutil" and (argv[:1] == ["rb"] or (argv[:1] == ["rm"] and "-r" in argv))),
        (call.name == "az" and argv[:2] == ["group", "delete"]),
        (call.name == "gh" and argv[:2] == ["repo", "delete"]),
    )
    what = f"{call.name} {' '.join(argv[:3])} deletes cloud resources"
    if any(deny):
        return judge.verdict("cloud-delete", "deny", what)
    if any(a.startswith(("delete", "terminate", "destroy")) for a in argv[:3]):
        return judge.verdict("cloud-delete", "ask", what)
    return None


def _disk(judge: Scope, call: Call) -> Verdict | None:
    return judge.verdict("disk-destroy", "deny", f"{call.name} can wipe a disk or filesystem")


def _power(judge: Scope, call: Call) -> Verdict | None:
    return judge.verdict("power", "ask", f"{call.name} stops the machine")


def _kill(judge: Scope, call: Call) -> Verdict | None:
    if "-1" in operands(call.args) or call.argv[-1:] == ["-1"]:
        return judge.verdict("power", "deny", "kill -1 kills every process you own")
    return None


def _publish(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if (
        (call.name in ("npm", "pnpm", "yarn", "cargo", "gem") and argv[:1] in (["publish"], ["push"]))
        or (call.name == "twine" and argv[:1] == ["upload"])
        or (call.name in ("poetry", "flit", "hatch", "uv") and argv[:1] == ["publish"])
    ):
        return judge.verdict("publish", "ask", f"{call.name} {argv[0]} publishes a package to the world")
    return None


RULES = {
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "chattr": _chmod,
    "dropdb": _dropdb,
    "mysqladmin": _mysqladmin,
    "terraform": _terraform,
    "tofu": _terraform,
    "terragrunt": _terraform,
    "pulumi": _pulumi,
    "kubectl": _kubectl,
    "oc": _kubectl,
    "helm": _kubectl,
    "aws": _cloud,
    "gcloud": _cloud,
    "gsutil": _cloud,
    "az": _cloud,
    "gh": _cloud,
    "mkfs": _disk,
    "mke2fs": _disk,
    "wipefs": _disk,
    "fdisk": _disk,
    "sfdisk": _disk,
    "parted": _disk,
    "sgdisk": _disk,
    "diskutil": _disk,
    "shutdown": _power,
    "reboot": _power,
    "halt": _power,
    "poweroff": _power,
    "kill": _kill,
    "npm": _publish,
    "pnpm": _publish,
    "yarn": _publish,
    "cargo": _publish,
    "gem": _publish,
    "twine": _publish,
    "flit": _publish,
    "poetry": _publish,
    "hatch": _publish,
    "uv": _publish,
}
for _name in ("mkfs.ext4", "mkfs.ext3", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat", "mkfs.fat", "mkswap"):
    RULES[_name] = _disk
