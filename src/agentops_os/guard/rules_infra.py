"""Rules for tools that destroy things outside the file system: databases, cloud and
cluster resources, disks (infrastructure-as-code tools are judged in rules_iac, the
machine's power in rules_power, file modes in rules_modes)."""

from __future__ import annotations

from agentops_os.guard.argv import has_short, operands, search
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

_SQL_DROP = r"(?i)\bdrop\s+(database|schema|table|keyspace|collection)\b"
_SQL_TRUNCATE = (
    r"(?im)\btruncate\s+(table\s+)?[\w.\"`]+|\bdelete\s+from\s+[\w.\"`]+\s*(;|$)|"
    r"\bflush(all|db)\b|\.drop\(\)|dropDatabase\(|"
    r"\.(?:deleteMany|updateMany|remove)\(\s*\{\s*\}"  # mongo: an empty filter matches every document
)
def sql(judge: Scope, call: Call) -> Verdict | None:
    return sql_text(judge, client_input(call)) or _redis_bulk_delete(judge, call)


def client_input(call: Call) -> str:
    """Everything a database client is given to run: its arguments, here-documents and
    here-strings, and what the commands piped into it print."""
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
    return "\n".join(texts)


def _redis_bulk_delete(judge: Scope, call: Call) -> Verdict | None:
    """`redis-cli --scan | xargs redis-cli del`: every key the listing prints is deleted, the
    Redis form of a DELETE without WHERE (a listing narrowed by a pattern other than `*`
    is a bounded delete and passes)."""
    if call.name != "redis-cli" or not call.xargs:
        return None
    if not {a.lower() for a in call.argv} & {"del", "unlink"}:
        return None
    for command in call.upstream:
        argv = [a.lower() for a in command.argv]
        if not command.words or command.words[0].text.rsplit("/", 1)[-1] != "redis-cli":
            continue
        pattern = next((argv[k + 1] for k, a in enumerate(argv[:-1]) if a in ("--pattern", "keys")), "*")
        if ("--scan" in argv or "keys" in argv) and pattern.strip("'\"") in ("*", ""):
            return judge.verdict("sql-drop", "ask", "deletes every key the Redis listing prints")
    return None


def sql_text(judge: Scope, blob: str) -> Verdict | None:
    match = search(_SQL_DROP, blob)
    if match:
        return judge.verdict("sql-drop", "deny", f"runs `{match.group(0).upper()}` against a database")
    match = search(_SQL_TRUNCATE, blob) or _unbounded_update(blob) or search(_SQL_DROP_COLUMN, blob)
    if match:
        shown = match.group(0).strip()[:60]
        return judge.verdict("sql-drop", "ask", f"runs `{shown}` (destroys or rewrites rows)")
    match = search(_DB_ADMIN, blob)
    if match:
        shown = " ".join(match.group(0).split())[:60]
        return judge.verdict(
            "db-admin", "ask", f"runs `{shown}`, which weakens access control or reconfigures the server"
        )
    return None


# `UPDATE t SET ...` up to the end of its statement; without a WHERE it rewrites every row.
_SQL_UPDATE = r"(?is)\bupdate\s+(?:only\s+)?[\w.\"`]+(?:\s+(?:as\s+)?\w+)?\s+set\b[^;]*"
_SQL_DROP_COLUMN = r"(?i)\balter\s+table\s+[^;]*?\bdrop\s+column\b"
# Statements that open the data to others or hand the server to someone else: row-level
# security switched off or its policies dropped, privileges revoked or given to everyone,
# superusers made; Redis pointed at another directory (its next SAVE writes a file
# anywhere, the classic ~/.ssh/authorized_keys attack), made a replica, or given a module.
_DB_ADMIN = (
    r"(?is)\b(?:disable|no\s+force)\s+row\s+level\s+security\b|\bdrop\s+policy\b|"
    r"\brevoke\s+[^;]*?\bfrom\b|\bgrant\s+[^;]*?\bto\s+public\b|\bgrant\s+all\b[^;]*?\bon\s+\*\.\*|"
    r"\b(?:alter|create)\s+(?:role|user)\s+[^;]*?\bsuperuser\b|\bdrop\s+(?:role|user)\b|"
    r"\bconfig\s+set\s+(?:dir|dbfilename|logfile)\b|\b(?:slaveof|replicaof)\s+(?!no\s+one\b)\S+|"
    r"\bmodule\s+load\b"
)


def _unbounded_update(blob: str):  # type: ignore[no-untyped-def]
    """The first `UPDATE ... SET ...` statement with no WHERE: it changes every row, as a
    DELETE without WHERE deletes every row."""
    import re

    for match in re.finditer(_SQL_UPDATE, blob):
        if not re.search(r"(?i)\bwhere\b", match.group(0)):
            return match
    return None


def _dropdb(judge: Scope, call: Call) -> Verdict | None:
    return judge.verdict("sql-drop", "deny", f"{call.name} drops a database")


def _mysqladmin(judge: Scope, call: Call) -> Verdict | None:
    if "drop" in call.argv:
        return judge.verdict("sql-drop", "deny", "mysqladmin drop drops a database")
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
    kube = call.name in ("kubectl", "oc")
    if kube and positional[:1] in (["exec"], ["rsh"]):  # forms the unwrapping leaves
        from agentops_os.guard.rules_remote import kube_exec

        return kube_exec(judge, call)
    if kube and positional[:1] == ["drain"]:
        node = positional[1] if len(positional) > 1 else "?"
        return judge.verdict("kubectl-delete", "ask", f"{call.name} drain evicts every pod from node {node}")
    if kube and positional[:1] == ["scale"]:
        return _scale_to_zero(judge, call, namespace)
    verbs = ("delete",) if kube else ("uninstall", "delete", "del")
    if not positional or positional[0] not in verbs:
        return None
    protected = judge.policy.protected_namespaces
    if "-A" in args or "--all-namespaces" in args:
        return judge.verdict("kubectl-delete", "deny", f"{call.name} delete across all namespaces")
    kind = positional[1].split("/")[0].lower() if kube and len(positional) > 1 else ""
    if kind in _CLUSTER_SCOPED:  # no namespace protects them: `delete crd --all` takes every custom resource
        if "--all" in args:
            return judge.verdict("kubectl-delete", "deny", f"{call.name} delete {kind} --all, cluster-wide")
        return judge.verdict("kubectl-delete", "ask", f"{call.name} delete of the cluster-wide {kind}")
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


# Kinds that live outside namespaces: deleting one affects the whole cluster.
_CLUSTER_SCOPED = frozenset(
    {"crd", "crds", "customresourcedefinition", "customresourcedefinitions", "node", "nodes", "no", "pv",
     "persistentvolume", "persistentvolumes", "clusterrole", "clusterroles", "clusterrolebinding",
     "clusterrolebindings", "storageclass", "storageclasses", "sc", "mutatingwebhookconfigurations",
     "validatingwebhookconfigurations", "apiservice", "apiservices"}
)


def _scale_to_zero(judge: Scope, call: Call, namespace: str | None) -> Verdict | None:
    """`kubectl scale --replicas=0` of every deployment (`--all`) or in a protected
    namespace stops the service. One workload elsewhere passes; it comes back with a
    second scale."""
    args = call.argv
    spelled = [f"{a}={args[k + 1]}" for k, a in enumerate(args[:-1]) if a == "--replicas"]  # `--replicas 0`
    zero = "--replicas=0" in args + spelled
    if not zero:
        return None
    every = "--all" in args or "-A" in args or "--all-namespaces" in args
    protected = namespace in judge.policy.protected_namespaces
    what = f"{call.name} scale --replicas=0 " + (f"in namespace '{namespace}'" if namespace else "here")
    if (every and protected) or "-A" in args or "--all-namespaces" in args:
        return judge.verdict("kubectl-delete", "deny", f"{what} stops every workload")
    if every or protected:
        return judge.verdict("kubectl-delete", "ask", f"{what} stops workloads")
    return None


# Options that take a value, per cloud CLI, where they may come before the service or
# verb (`aws --profile prod --region eu-west-1 ec2 delete-vpc`): skipped when reading the
# command's words, so that they cannot hide the verb.
_CLOUD_VALUED = {
    "aws": frozenset({"--profile", "--region", "--output", "--endpoint-url", "--query", "--ca-bundle",
                      "--cli-read-timeout", "--cli-connect-timeout", "--color", "--cli-binary-format"}),
    "gcloud": frozenset({"--project", "--account", "--configuration", "--format", "--verbosity",
                         "--impersonate-service-account", "--billing-project", "--zone", "--region"}),
    "gsutil": frozenset({"-u", "-o", "-h", "-i"}),
    "az": frozenset(
        {"--subscription", "--output", "-o", "--query", "-g", "--resource-group", "-n", "--name"}
    ),
    "gh": frozenset({"-R", "--repo", "-X", "--method", "-H", "--header", "--hostname"}),
    "eksctl": frozenset({"--name", "--region", "-r", "--profile", "-p", "-n", "--cluster", "-c", "-f"}),
    "heroku": frozenset({"-a", "--app", "-r", "--remote", "--confirm"}),
    "doctl": frozenset({"-t", "--access-token", "--context", "-o", "--output", "--format"}),
    "flyctl": frozenset({"-a", "--app", "-c", "--config", "-t", "--access-token", "-r", "--region"}),
    "wrangler": frozenset({"-c", "--config", "-e", "--env"}),
    "firebase": frozenset({"-P", "--project", "--token"}),
    "vercel": frozenset({"-t", "--token", "--scope", "-S", "-A", "--local-config"}),
    "netlify": frozenset({"--auth", "--site"}),
}
_CLOUD_VALUED["fly"] = _CLOUD_VALUED["flyctl"]
# Verbs that take something down, in any cloud CLI's own spelling.
_DESTROY_VERBS = frozenset({"delete", "destroy", "remove", "rm", "terminate", "purge", "reset", "uninstall"})
# The words which, before or just after a destroy verb, name what holds data or a whole
# environment (a project, a cluster, a database, a bucket, an app): denied, the rest asked.
_DESTROY_DENY = {
    "gcloud": frozenset({"projects", "sql", "clusters", "buckets", "spanner", "bigtable", "firestore",
                         "databases", "alloydb", "redis", "filestore", "disks", "datasets"}),
    "az": frozenset({"group", "sql", "cosmosdb", "aks", "keyvault", "postgres", "mysql", "account"}),
    "gh": frozenset({"repo"}),
    "eksctl": frozenset({"cluster"}),
    "heroku": frozenset({"apps", "pg"}),
    "doctl": frozenset({"databases", "cluster", "registry", "projects"}),
    "flyctl": frozenset({"apps", "volumes", "volume", "vol", "postgres", "pg"}),
    "wrangler": frozenset({"r2", "d1"}),
    "firebase": frozenset({"firestore", "database", "projects"}),
    "vercel": frozenset({"project", "projects"}),
    "netlify": frozenset({"sites"}),
}
_DESTROY_DENY["fly"] = _DESTROY_DENY["flyctl"]
# Programs whose bare `PROGRAM destroy APP` destroys a whole application.
_APP_DESTROYERS = frozenset({"fly", "flyctl"})
# How far into the words the verb may stand: `gh NOUN VERB`, `heroku topic:verb` and
# `eksctl VERB NOUN` are short; gcloud, az and doctl nest groups (`doctl kubernetes
# cluster node-pool delete`). Farther words are names and values, not verbs.
_VERB_DEPTH = {"gh": 2, "heroku": 2, "eksctl": 1, "firebase": 2, "netlify": 2, "vercel": 2, "fly": 2,
               "flyctl": 2}


def _cloud_words(call: Call) -> list[str]:
    """The command's words without options or their values; `topic:verb` commands
    (`heroku apps:destroy`, `firebase firestore:delete`) split into their two words."""
    valued = _CLOUD_VALUED.get(call.name, frozenset())
    words: list[str] = []
    args = call.argv
    j = 0
    while j < len(args):
        arg = args[j]
        if arg.startswith("-"):
            j += 2 if arg in valued else 1
            continue
        topic, colon, verb = arg.partition(":")
        if colon and topic.isalpha() and verb.replace("-", "").isalpha():
            words.extend((topic, verb))
        else:
            words.append(arg)
        j += 1
    return words


def _cloud(judge: Scope, call: Call) -> Verdict | None:
    """Cloud CLIs: a destroy verb (delete, destroy, terminate, rm...) among the command's
    first words is asked; destroying what holds data or a whole environment is denied."""
    words = _cloud_words(call)
    if call.name in ("aws", "gcloud", "az"):  # `aws ssm send-command`, `az vm run-command`: judged remotely
        from agentops_os.guard.rules_remote import cloud_commands

        remote = cloud_commands(judge, call, words)
        if remote is not None:
            return remote
    special = _SPECIAL.get(call.name)
    if special is not None:
        verdict = special(judge, call, words)
        if verdict is not None:
            return verdict
    depth = _VERB_DEPTH.get(call.name, 5)
    hits = [
        k for k, w in enumerate(words[:depth]) if w in _DESTROY_VERBS or w.startswith(("delete-", "destroy-"))
    ]
    if not hits:
        return None
    k = hits[0]
    what = f"{call.name} {' '.join(words[: k + 2])}"
    deny = _DESTROY_DENY.get(call.name, frozenset()) & set(words[: k + 2])
    if deny or (k == 0 and call.name in _APP_DESTROYERS and words[0] == "destroy"):
        return judge.verdict("cloud-delete", "deny", f"{what} destroys a whole environment or its data")
    return judge.verdict("cloud-delete", "ask", f"{what} deletes cloud resources")


# aws operations that destroy what holds data or a whole stack: denied (the pending window
# of `kms schedule-key-deletion` ends with every ciphertext under that key unreadable).
_AWS_DENY_OPS = frozenset(
    {"delete-bucket", "delete-table", "schedule-key-deletion", "delete-file-system", "delete-stack",
     "delete-cluster", "delete-repository", "delete-backup-vault", "delete-vault", "delete-global-cluster",
     "delete-replication-group", "delete-cache-cluster", "delete-domain", "delete-user-pool",
     "delete-secret", "delete-log-group", "delete-stream"}
)
_AWS_ASK_PREFIXES = ("delete-", "terminate-", "remove-", "deregister-", "purge-", "destroy-", "disable-key")


def _aws(judge: Scope, call: Call, words: list[str]) -> Verdict | None:
    """aws SERVICE OPERATION: s3's own verbs (rb, rm --recursive, sync --delete) and the
    API's delete-*/terminate-* operations."""
    argv = call.argv
    service, op = (words + ["", ""])[:2]
    what = f"aws {service} {op}"
    if service == "s3":
        upload = _uploads_secret(judge, call, op)
        if upload is not None:
            return upload
        if op == "rb" or (op == "rm" and "--recursive" in argv):
            return judge.verdict("cloud-delete", "deny", f"{what} deletes a whole bucket or prefix")
        to_bucket = any(w.startswith("s3://") for w in words[2:])
        if op == "rm" or (op in ("sync", "mv") and "--delete" in argv and to_bucket):
            return judge.verdict("cloud-delete", "ask", f"{what} deletes objects in the bucket")
        return None
    if op in _AWS_DENY_OPS or op.startswith("delete-db"):
        return judge.verdict("cloud-delete", "deny", f"{what} destroys data or a whole stack")
    if op.startswith(_AWS_ASK_PREFIXES):
        return judge.verdict("cloud-delete", "ask", f"{what} deletes cloud resources")
    return None


def _uploads_secret(judge: Scope, call: Call, op: str) -> Verdict | None:
    """`aws s3 cp ~/.aws/credentials s3://...`, `gsutil cp ~/.ssh/id_rsa gs://...`: a
    local source is read, so a secret file sent to a bucket is the secret read it is."""
    if op not in ("cp", "mv", "sync", "rsync"):
        return None
    valued = _CLOUD_VALUED.get(call.name, frozenset())
    places = operands(call.args, valued)
    sources = [w for w in places if "://" not in w.text]
    from agentops_os.guard import repoexport

    buckets = [k for k, w in enumerate(places) if "://" in w.text]
    if buckets:  # to a bucket: the repository itself, or piped in (`cp - s3://…`); not a download
        before = [w for w in places[: buckets[-1]] if "://" not in w.text]
        piped = call.upstream if any(w.text == "-" for w in before) else []
        what = f"{call.name} {op}"
        verdict = repoexport.copies_repo(judge, what, before, call.argv) or repoexport.piped_archive(
            judge, what, piped)
        if verdict is not None:
            return verdict
    for word in sources:
        path = judge.resolve_word(word)
        if path is None:
            continue
        verdict = judge.judge_read(path, f"{call.name} {op} uploads") or repoexport.sends_archive(
            judge, call.name, path)
        if verdict is not None:
            return verdict
    return None


def _object_storage(judge: Scope, call: Call, words: list[str]) -> Verdict | None:
    """gsutil and `gcloud storage`: `rb` and a recursive `rm` take whole buckets (denied);
    a single `rm` and `rsync -d` (it deletes what the source lacks) are asked."""
    argv = call.argv
    if call.name == "gsutil":
        verb = words[0] if words else ""
    else:
        verb = words[1] if words[:1] == ["storage"] and len(words) > 1 else ""
    upload = _uploads_secret(judge, call, verb)
    if upload is not None:
        return upload
    recursive = has_short(argv, "r") or has_short(argv, "R") or "--recursive" in argv
    if verb == "rb" or (verb == "rm" and recursive):
        return judge.verdict("cloud-delete", "deny", f"{call.name} {verb} deletes a whole bucket or prefix")
    mirror = verb == "rsync" and (has_short(argv, "d") or "--delete-unmatched-destination-objects" in argv)
    if verb == "rm" or mirror:
        return judge.verdict("cloud-delete", "ask", f"{call.name} {verb} deletes objects in the bucket")
    return None


def _gh_api(judge: Scope, call: Call, words: list[str]) -> Verdict | None:
    """`gh api -X DELETE repos/o/r` deletes whatever the endpoint names."""
    argv = call.argv
    method = [argv[k + 1] for k, a in enumerate(argv[:-1]) if a in ("-X", "--method")]
    method += [a.split("=", 1)[1] for a in argv if a.startswith("--method=")]
    method += [a[2:] for a in argv if a.startswith("-X") and len(a) > 2]
    if words[:1] == ["api"] and any(m.upper() == "DELETE" for m in method):
        return judge.verdict("cloud-delete", "ask", "gh api DELETE deletes a GitHub resource")
    return None


def _az(judge: Scope, call: Call, words: list[str]) -> Verdict | None:
    """`az storage blob upload --file F`, `az storage file upload --source F`, `upload-batch
    --source DIR`, `blob sync -s DIR`: the local file or directory sent is read (repoexport)."""
    if words[:1] != ["storage"] or not any(w.startswith(("upload", "sync")) for w in words[1:4]):
        return None
    from agentops_os.guard.repoexport import sends_secrets
    from agentops_os.guard.shell import Word

    named = ("-f", "--file", "-s", "--source")
    sent = [call.args[k + 1] for k, w in enumerate(call.args[:-1]) if w.text in named]
    sent += [Word(w.text.split("=", 1)[1], quoted=w.quoted, dynamic=w.dynamic, tilde=True) for w in call.args
             if w.text.startswith(("--file=", "--source="))]
    return sends_secrets(judge, f"az {' '.join(words[:3])}", sent)


_SPECIAL = {"aws": _aws, "gsutil": _object_storage, "gcloud": _object_storage, "gh": _gh_api, "az": _az}


def _disk(judge: Scope, call: Call) -> Verdict | None:
    return judge.verdict("disk-destroy", "deny", f"{call.name} can wipe a disk or filesystem")


def _format(judge: Scope, call: Call) -> Verdict | None:
    """`mkfs`, `mkswap`, `wipefs` destroy what is on their target. A device (`/dev/...`) or
    a target the guard cannot know is a disk: denied. A regular file (`mkfs.ext4 -F
    /tmp/test.img`, a loop image) is just a file being overwritten, judged as that write."""
    from agentops_os.guard.scope import DEVICES_OK

    verdicts: list[Verdict | None] = []
    for word in operands(call.args):
        path = judge.resolve_word(word)
        if path is None or (path.startswith("/dev/") and not path.startswith(DEVICES_OK)):
            shown = word.text if path is None else path
            return judge.verdict("disk-destroy", "deny", f"{call.name} formats or wipes the device {shown}")
        verdicts.append(judge.judge_write(path, f"{call.name} overwrites"))
    return worst(verdicts)


# Options of partition tools that only print (fdisk -l, sfdisk --dump, sgdisk -p,
# parted -l): the rest can rewrite a partition table.
_PARTITION_READS = {
    "fdisk": frozenset({"-l", "--list", "-x", "--list-details", "-s", "--getsz", "-h", "--help", "-V"}),
    "sfdisk": frozenset(
        {"-l", "--list", "-d", "--dump", "-J", "--json", "-s", "--show-size", "-V", "--verify",
         "-g", "--show-geometry", "-F", "--list-free", "-r", "--reorder-check", "-h", "--help"}
    ),
    "sgdisk": frozenset({"-p", "--print", "-i", "--info", "-v", "--verify", "-L", "--list-types", "-O",
                         "--print-mbr", "-D", "--display-alignment", "-h", "--help", "-V", "--version"}),
    "parted": frozenset({"-l", "--list", "-s", "--script", "-m", "--machine", "-h", "--help", "-v"}),
}
_PARTED_READS = frozenset({"print", "p", "help", "version"})


def _partition(judge: Scope, call: Call) -> Verdict | None:
    """`fdisk -l`, `sfdisk --dump`, `sgdisk -p`, `parted -l` and `parted -s DEV print` only
    print; anything else (`fdisk /dev/sda` with keys piped in) can rewrite partitions."""
    reads = _PARTITION_READS[call.name]
    options = [a.split("=", 1)[0] for a in call.argv if a.startswith("-")]
    if not all(o in reads for o in options):
        return _disk(judge, call)
    if call.name == "parted":  # parted [-s] DEVICE [COMMAND...]: `-l` or only print commands
        script = [a for a in call.argv if not a.startswith("-")][1:]
        listing = "-l" in options or "--list" in options
        return None if (listing or script) and all(w in _PARTED_READS for w in script) else _disk(judge, call)
    return None if options else _disk(judge, call)


_DISKUTIL_READS = frozenset({"list", "info", "information", "activity", "listFilesystems", "verifyVolume",
                             "verifyDisk", "mount", "mountDisk", "unmount", "umount", "unmountDisk",
                             "umountDisk", "eject", "apfs"})
_DISKUTIL_APFS_WIPES = frozenset({"deleteContainer", "deleteVolume", "eraseVolume", "deleteSnapshot"})


def _diskutil(judge: Scope, call: Call) -> Verdict | None:
    """macOS diskutil: listing, mounting and ejecting pass; erasing, partitioning and
    zeroing disks (and deleting APFS volumes) are denied."""
    words = [a for a in call.argv if not a.startswith("-")]
    wipes_apfs = words[:1] == ["apfs"] and bool(_DISKUTIL_APFS_WIPES & set(words))
    if words and words[0] in _DISKUTIL_READS and not wipes_apfs:
        return None
    return _disk(judge, call)


def _helm(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.imagepush import image_tools  # `helm push chart.tgz oci://…`

    return _kubectl(judge, call) or image_tools(judge, call)


RULES = {
    "dropdb": _dropdb,
    "mysqladmin": _mysqladmin,
    "kubectl": _kubectl,
    "oc": _kubectl,
    "helm": _helm,
    "aws": _cloud,
    "gcloud": _cloud,
    "gsutil": _cloud,
    "az": _cloud,
    "eksctl": _cloud,
    "heroku": _cloud,
    "doctl": _cloud,
    "flyctl": _cloud,
    "fly": _cloud,
    "wrangler": _cloud,
    "firebase": _cloud,
    "vercel": _cloud,
    "netlify": _cloud,
    "mkfs": _format,
    "mke2fs": _format,
    "wipefs": _format,
    "fdisk": _partition,
    "sfdisk": _partition,
    "parted": _partition,
    "sgdisk": _partition,
    "diskutil": _diskutil,
}
for _name in ("mkfs.ext4", "mkfs.ext3", "mkfs.ext2", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat", "mkfs.fat",
              "mkfs.exfat", "mkfs.ntfs", "mkfs.f2fs", "mkswap"):
    RULES[_name] = _format
