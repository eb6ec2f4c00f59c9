"""Sync and mirror tools that delete at the destination whatever the source lacks.

`rsync --delete` is one of a family: `rclone sync` (and `rclone purge`/`delete`),
`azcopy sync --delete-destination=true`, MinIO's `mc mirror --remove`, `s3cmd sync
--delete-removed`, `s5cmd sync --delete` (aws and gsutil are judged in rules_infra). With
an empty source each deletes all of the destination. A local destination is judged as the
recursive delete it is (as rsync's is); a remote one, a bucket or another machine, is
asked (`cloud-delete`): its data is as gone, only the guard cannot see how much of it.
`--dry-run` passes, as do copies (`rclone copy`, `mc cp`, `mc mirror` without `--remove`)."""

from __future__ import annotations

from agentops_os.guard.shell import Word

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict


def mirror_delete(judge: Scope, call: Call, what: str, target: Word, remote: bool) -> Verdict | None:
    """`target` loses whatever the source lacks: a remote target is asked, a local one is
    judged as `rm -rf TARGET`."""
    if remote:
        reason = f"{what} deletes whatever {target.text[:80]} has that the source lacks (all of it, if empty)"
        return judge.verdict("cloud-delete", "ask", reason)
    from agentops_os.guard.rules_delete import delete_targets
    from agentops_os.guard.unwrap import Call as Made

    return delete_targets(judge, Made("rm", [target], call.command), [target], True)


def _operands(args: list[Word], valued: frozenset[str]) -> list[Word]:
    """The words that are not options or their values (`--opt value`, `--opt=value`)."""
    out: list[Word] = []
    j = 0
    while j < len(args):
        text = args[j].text
        if text.startswith("-") and text != "-":
            j += 2 if text in valued else 1
            continue
        out.append(args[j])
        j += 1
    return out


def _dry(argv: list[str]) -> bool:
    return any(a in ("--dry-run", "-n", "--dryrun", "--interactive", "-i") for a in argv)


# rclone options that take a value (the common ones: a missed one at worst shifts which
# word is read as the destination to an earlier one)
_RCLONE_VALUED = frozenset(
    {"--config", "--exclude", "--include", "--filter", "--exclude-from", "--include-from", "--filter-from",
     "--files-from", "--transfers", "--checkers", "--bwlimit", "--max-age", "--min-age", "--max-size",
     "--min-size", "--backup-dir", "--suffix", "--log-file", "--log-level", "--max-delete", "--max-depth",
     "--compare-dest", "--copy-dest", "--order-by", "--retries", "--timeout", "--contimeout", "--stats",
     "--user-agent", "--header", "--track-renames-strategy", "--max-transfer", "--cutoff-mode",
     "--multi-thread-streams", "--buffer-size", "-c", "--checksum-type"}
)


def _rclone_remote(text: str) -> bool:
    """`remote:path` and the on-the-fly `:s3:bucket` name a remote; `/x`, `./x`, `~/x` are local."""
    if text.startswith(("/", "./", "../", "~")) or text in (".", ".."):
        return False
    head = text.split("/", 1)[0]
    return ":" in head


def _rclone(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if _dry(argv):
        return None
    words = _operands(call.args, _RCLONE_VALUED)
    if not words:
        return None
    verb = words[0].text
    if verb in ("sync", "bisync") and len(words) >= 3:
        target = words[2]
    elif verb in ("purge", "delete") and len(words) >= 2:
        target = words[1]
    else:
        return None
    what = f"rclone {verb}"
    if verb in ("purge", "delete") and _rclone_remote(target.text):
        reason = f"{what} deletes everything under {target.text[:80]}"
        return judge.verdict("cloud-delete", "ask", reason)
    return mirror_delete(judge, call, what, target, _rclone_remote(target.text))


def _url_remote(text: str) -> bool:
    return "://" in text or text.startswith(("s3:", "gs:"))


_AZCOPY_VALUED = frozenset({"--include-pattern", "--exclude-pattern", "--exclude-path", "--include-path",
                            "--log-level", "--cap-mbps", "--from-to", "--compare-hash", "--trailing-dot"})


def _azcopy(judge: Scope, call: Call) -> Verdict | None:
    """`azcopy sync SRC DST --delete-destination=true`; `azcopy remove URL --recursive`."""
    argv = call.argv
    if _dry(argv):
        return None
    words = _operands(call.args, _AZCOPY_VALUED)
    verb = words[0].text if words else ""
    if verb in ("rm", "remove") and len(words) >= 2 and any(a.startswith("--recursive") for a in argv):
        if argv.count("--recursive=false"):
            return None
        return judge.verdict("cloud-delete", "ask", f"azcopy {verb} --recursive deletes everything under "
                             f"{words[1].text[:80]}")
    deletes = [a for k, a in enumerate(argv) if a.lower() == "--delete-destination=true"
               or (a == "--delete-destination" and argv[k + 1 : k + 2] == ["true"])]
    if verb != "sync" or len(words) < 3 or not deletes:
        return None
    target = words[2]
    return mirror_delete(judge, call, "azcopy sync --delete-destination", target, _url_remote(target.text))


_MC_VALUED = frozenset({"--exclude", "--older-than", "--newer-than", "--storage-class", "--attr", "--region",
                        "--encrypt", "--encrypt-key", "--limit-upload", "--limit-download", "-C",
                        "--config-dir"})


def _mc_remote(text: str) -> bool:
    """MinIO's `alias/bucket/prefix`: any path that does not start at the file system."""
    return not text.startswith(("/", "./", "../", "~", ".")) and "/" in text.strip("/")


def _mc(judge: Scope, call: Call) -> Verdict | None:
    """MinIO client: `mc mirror --remove SRC DST` (ask), `mc rb --force`, `mc rm
    --recursive --force` (whole buckets or prefixes: deny, as `aws s3 rb` is)."""
    argv = call.argv
    if _dry(argv) or "--fake" in argv:
        return None
    words = _operands(call.args, _MC_VALUED)
    verb = words[0].text if words else ""
    recursive = "--recursive" in argv or any(a.startswith("-") and not a.startswith("--") and "r" in a
                                             for a in argv)
    if (verb == "rb" and "--force" in argv) or (verb == "rm" and recursive and "--force" in argv):
        shown = words[1].text[:80] if len(words) > 1 else "?"
        reason = f"mc {verb} --force deletes the bucket or prefix {shown}"
        return judge.verdict("cloud-delete", "deny", reason)
    if verb == "mirror" and "--remove" in argv and len(words) >= 3:
        target = words[2]
        return mirror_delete(judge, call, "mc mirror --remove", target, _mc_remote(target.text))
    return None


def _s3_sync(judge: Scope, call: Call) -> Verdict | None:
    """`s3cmd sync --delete-removed SRC DST`, `s5cmd sync --delete SRC DST`."""
    argv = call.argv
    flag = "--delete-removed" if call.name == "s3cmd" else "--delete"
    if _dry(argv) or flag not in argv:
        return None
    words = _operands(call.args, frozenset({"--exclude", "--include", "-c", "--config", "--numworkers"}))
    if not words or words[0].text != "sync" or len(words) < 3:
        return None
    target = words[-1]
    return mirror_delete(judge, call, f"{call.name} sync {flag}", target, _url_remote(target.text))


# Verbs that copy their sources to the last operand, and how each tool spells a remote.
_COPIES = {"rclone": ({"copy", "copyto", "sync", "bisync", "move", "moveto"}, _rclone_remote, _RCLONE_VALUED),
           "azcopy": ({"copy", "cp", "sync"}, _url_remote, _AZCOPY_VALUED),
           "mc": ({"cp", "mirror", "mv"}, _mc_remote, _MC_VALUED),
           "mcli": ({"cp", "mirror", "mv"}, _mc_remote, _MC_VALUED),
           "s3cmd": ({"put", "sync"}, _url_remote, frozenset({"--exclude", "--include", "-c", "--config"})),
           "s5cmd": ({"cp", "sync", "mv"}, _url_remote,
                     frozenset({"--exclude", "--include", "--numworkers"}))}


def _copied_repo(judge: Scope, call: Call) -> Verdict | None:
    """`rclone copy . remote:x`, `mc mirror . alias/b`, `rclone rcat remote:f < …`: the whole
    repository to a remote (repoexport)."""
    from agentops_os.guard import repoexport

    verbs, remote, valued = _COPIES[call.name]
    words = _operands(call.args, valued)
    verb = words[0].text if words else ""
    if call.name == "rclone" and verb == "rcat" and call.upstream:
        return repoexport.piped_archive(judge, "rclone rcat", call.upstream)
    if verb not in verbs or len(words) < 3 or not remote(words[-1].text) or _dry(call.argv):
        return None
    return repoexport.copies_repo(judge, f"{call.name} {verb}", words[1:-1], call.argv)


def _mirror(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.verdict import worst

    return worst([_RULES[call.name](judge, call), _copied_repo(judge, call)])


_RULES = {
    "rclone": _rclone,
    "azcopy": _azcopy,
    "mc": _mc,
    "mcli": _mc,
    "s3cmd": _s3_sync,
    "s5cmd": _s3_sync,
}
RULES = {name: _mirror for name in _RULES}
