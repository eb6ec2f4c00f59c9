"""Built-in rules for shell commands. Each rule has an id (for `guard.disabled_rules`)
and looks only at effective programs (see `unwrap`), never at the raw string, so quoting
and wrappers cannot hide a command from it."""

from __future__ import annotations

import os

from agentops_os.guard.judge import _DISKS, Verdict, worst
from agentops_os.guard.shell import WRITE_REDIRECTS, Command, ShellSyntaxError, Word, commands_of, parse
from agentops_os.guard.unwrap import SHELLS, Call, calls_of

TYPE_CHECKING = False  # `re`, `typing` and `collections.abc` stay off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.judge import Judge

FETCHERS = frozenset({"curl", "wget", "fetch", "http", "https", "aria2c", "xh", "lwp-request"})
EXEC_SINKS = SHELLS | {"python", "python3", "perl", "ruby", "node", "php", "pwsh", "powershell",
                       "source", ".", "eval", "deno", "bun"}
READERS = frozenset({"cat", "less", "more", "head", "tail", "bat", "batcat", "nl", "tac", "base64",
                     "xxd", "od", "hexdump", "strings", "grep", "egrep", "fgrep", "rg", "ag", "awk",
                     "cut", "sort", "uniq", "jq", "yq", "scp", "rsync", "cp", "vim", "vi", "nano",
                     "emacs", "code", "openssl", "gpg", "zip", "tar", "nc", "diff", "paste", "column"})
DB_CLIENTS = frozenset({"psql", "mysql", "mariadb", "sqlite3", "sqlcmd", "mongo", "mongosh", "cqlsh",
                        "clickhouse-client", "clickhouse", "cockroach", "duckdb", "snowsql", "bq",
                        "redis-cli", "usql", "pgcli", "mycli", "litecli"})
# Patterns are strings compiled on first use (re caches them): most calls never need them.
_SQL_DROP = r"(?i)\bdrop\s+(database|schema|table|keyspace|collection)\b"
_SQL_TRUNCATE = (r"(?im)\btruncate\s+(table\s+)?[\w.\"`]+|\bdelete\s+from\s+[\w.\"`]+\s*(;|$)|"
                 r"\bflush(all|db)\b|\.drop\(\)|dropDatabase\(")
_FORK_BOMB = r"(\S+)\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&"
_WORLD_WRITABLE = r"^0?[0-7]?[0-7][0-7][2367]$|^(a|o|ugo|)\+[rwxXst]*w"
_DELETE_SQL_ORM = ("db:drop", "db:reset", "db:schema:load")


def _search(pattern: str, text: str):  # type: ignore[no-untyped-def]
    import re  # only the few commands that need a pattern pay for importing re

    return re.search(pattern, text)


def judge_command(judge: Judge, command: str) -> Verdict:
    from agentops_os.guard.tools import user_rules

    user = user_rules(judge, command)
    if user is not None and user.decision == "allow":
        return user
    if "()" in command.replace(" ", "") and _search(_FORK_BOMB, command):
        verdict = judge.verdict("fork-bomb", "deny", "runs a fork bomb")
        if verdict:
            return verdict
    try:
        steps = [(cmd, calls_of(cmd)) for cmd in parse(command)]
    except ShellSyntaxError as exc:
        return worst([user, judge.verdict("unparseable", "ask",
                                          f"the guard cannot parse this command ({exc}); please confirm")])
    verdicts: list[Verdict | None] = [user]
    start = judge.cwd
    try:
        for cmd, calls in steps:
            verdicts.extend(_redirects(judge, cmd))
            for call in calls:
                verdicts.extend(_judge_call(judge, call))
                if call.name in ("cd", "pushd"):  # later relative paths are relative to the new directory
                    judge.cwd = _cd(judge, call)
    finally:
        judge.cwd = start
    return worst(verdicts)


def _judge_call(judge: Judge, call: Call) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    rule = RULES.get(call.name)
    if rule is not None:
        verdicts.append(rule(judge, call))
    verdicts.append(_dynamic_name(judge, call))
    if call.name in EXEC_SINKS:
        verdicts.append(_pipe_to_shell(judge, call))
        if call.command.redirects:
            verdicts.append(_stdin_script(judge, call))
    if call.name in READERS:
        verdicts.append(_reads(judge, call))
    if call.name in DB_CLIENTS:
        verdicts.append(_sql(judge, call))
    return verdicts


def _cd(judge: Judge, call: Call) -> str | None:
    args = [w for w in call.args if not (w.text.startswith("-") and w.text != "-")]
    if not args:
        return judge.home
    word = args[0]
    if word.text == "-":
        return None
    return judge.resolve(word.text, dynamic=word.dynamic, quoted=word.quoted)


# -- helpers ---------------------------------------------------------------------------------
def _positional(args: list[Word], valued: frozenset[str] = frozenset()) -> list[Word]:
    out: list[Word] = []
    j = 0
    only = False
    while j < len(args):
        text = args[j].text
        if only:
            out.append(args[j])
        elif text == "--":
            only = True
        elif text.startswith("-") and text != "-":
            if text in valued:
                j += 1
        else:
            out.append(args[j])
        j += 1
    return out


def _flags(args: list[Word]) -> set[str]:
    """Single-letter flags (`-rf` -> r, f) and long options (`--force`) before `--`."""
    found: set[str] = set()
    for word in args:
        text = word.text
        if text == "--":
            break
        if text.startswith("--"):
            found.add(text.split("=", 1)[0])
        elif text.startswith("-") and len(text) > 1:
            found.update(text[1:])
    return found


def _names(command: Command) -> list[str]:
    try:
        return [call.name for call in calls_of(command)]
    except ShellSyntaxError:
        return []


def _subs_fetch(words: list[Word]) -> bool:
    for word in words:
        for tokens in word.subs:
            for inner in commands_of(tokens):
                if any(name in FETCHERS for name in _names(inner)):
                    return True
    return False


# -- deletion --------------------------------------------------------------------------------
def _rm(judge: Judge, call: Call) -> Verdict | None:
    flags = _flags(call.args)
    recursive = bool(flags & {"r", "R", "--recursive"}) or call.name in ("rimraf", "trash", "rmtree")
    if "--no-preserve-root" in flags:
        return judge.verdict("rm-root", "deny", "rm --no-preserve-root can delete the whole machine")
    return _delete(judge, call, _positional(call.args), recursive)


def _delete(judge: Judge, call: Call, targets: list[Word], recursive: bool) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    unknown: list[str] = []
    resolved: list[tuple[str, Word]] = []
    narrowed = False  # a find that selects files: its start path itself is not wiped
    if call.find_paths is not None and (any("{}" in w.text for w in targets) or call.xargs
                                        or call.name == "find"):
        targets = [w for w in targets if "{}" not in w.text] if call.name != "find" else []
        targets += list(call.find_paths)
        recursive, narrowed = True, call.find_narrowed
    elif call.xargs:
        upstream = _upstream_delete_source(call)
        if upstream is None:
            unknown.append("names read from stdin by xargs")
        else:
            targets, narrowed = targets + upstream[0], upstream[1]
            recursive = True
    for word in targets:
        path = judge.resolve(word.text, dynamic=word.dynamic, quoted=word.quoted)
        if path is None:
            unknown.append(word.text)
            continue
        if word.glob and not word.quoted:
            base, pattern = os.path.split(path)
            # `*`, `.*`, `{*,.*}`: everything in base
            if pattern.strip("*.?{},") == "" and (recursive or judge.inside_repo(base)):
                resolved.append((base, word))
                continue
        resolved.append((path, word))
    for path, word in resolved:
        verdicts.append(_delete_one(judge, path, word, recursive, narrowed))
    if not narrowed and not any(v and v.decision == "deny" for v in verdicts):
        verdicts.append(_mass_delete(judge, [p for p, w in resolved if judge.inside_repo(p)], resolved,
                                     recursive))
    if unknown and recursive:
        verdicts.append(judge.verdict(
            "rm-unresolved", "ask",
            f"recursive delete of targets the guard cannot resolve ({', '.join(unknown)[:120]})"))
    return worst(verdicts)


def _upstream_delete_source(call: Call) -> tuple[list[Word], bool] | None:
    """Paths an upstream `find` or `git ls-files` feeds into `xargs rm` (and whether that
    find only selects some files)."""
    for command in call.upstream:
        try:
            inner = calls_of(command)
        except ShellSyntaxError:
            return None
        for up in inner:
            if up.name == "find" and up.find_paths is not None:
                return list(up.find_paths), up.find_narrowed
            if up.name == "git" and "ls-files" in up.argv:
                return [Word(".")], False
    return None


def _delete_one(judge: Judge, path: str, word: Word, recursive: bool,
                narrowed: bool = False) -> Verdict | None:
    root = judge.root
    if path.startswith(_DISKS):
        return judge.verdict("disk-destroy", "deny", f"destroys the raw disk device {path}")
    if recursive and narrowed and judge.inside_repo(path):
        pass  # `find . -name '*.pyc' -delete` selects files inside the repo
    elif recursive:
        if path == "/" or path == judge.home or judge.home.startswith(path + os.sep):
            return judge.verdict("rm-root", "deny", f"recursive delete of {path} (the system or your home)")
        if path == root or root.startswith(path + os.sep):
            return judge.verdict("rm-repo-root", "deny",
                                 f"recursive delete of the repository root {root} (target {word.text})")
    if ".git" in path.split(os.sep):
        return judge.verdict("git-metadata", "deny", f"deletes git metadata {path}")
    from agentops_os.guard.policy import path_matches

    hit = path_matches(path, judge.policy.protected_paths, judge.root, judge.home)
    if hit:
        return judge.verdict("protected-write", "deny",
                             f"deletes protected path {path} (guard.protected_paths '{hit}')")
    if recursive and not judge.inside_repo(path):
        if path_matches(path, judge.policy.delete_outside_repo_allow, judge.root, judge.home):
            return None
        return judge.verdict("rm-outside-repo", "deny",
                             f"recursive delete outside the repository: {path} "
                             f"(allow with guard.delete_outside_repo_allow)")
    return None


def _mass_delete(judge: Judge, in_repo: list[str], resolved: list[tuple[str, Word]],
                 recursive: bool) -> Verdict | None:
    limit = judge.policy.max_deleted_files
    if not in_repo:
        return None
    paths: list[str] = []
    for path, word in resolved:
        if not judge.inside_repo(path):
            continue
        if word.glob and not word.quoted and not path.endswith(os.sep + "*"):
            import glob

            paths.extend(glob.glob(path))
        else:
            paths.append(path)
    if not recursive and len(paths) <= limit and not any(os.path.isdir(p) for p in paths):
        return None
    rel = [os.path.relpath(p, judge.root) for p in paths]
    out = judge.git("ls-files", "-z", "--", *rel)
    if out is None:
        return None
    count = len([x for x in out.split("\0") if x])
    if count > limit:
        return judge.verdict("mass-delete", "deny",
                             f"would delete {count} tracked files at once (limit guard.max_deleted_files = "
                             f"{limit}; raise it in agentops.toml or delete in smaller steps)")
    return None


def _find(judge: Judge, call: Call) -> Verdict | None:
    if "-delete" in call.argv:
        return _delete(judge, call, [], True)
    return None


def _mv(judge: Judge, call: Call) -> Verdict | None:
    positional = _positional(call.args, frozenset({"-t", "-S", "--target-directory", "--suffix"}))
    verdicts: list[Verdict | None] = []
    for word in positional[:-1]:
        path = judge.resolve(word.text, dynamic=word.dynamic, quoted=word.quoted)
        if path is None:
            continue
        root = judge.root
        if path == "/" or path == root or root.startswith(path + os.sep):
            verdicts.append(judge.verdict("rm-repo-root", "deny", f"moves away the repository root ({path})"))
        elif ".git" in path.split(os.sep):
            verdicts.append(judge.verdict("git-metadata", "deny", f"moves git metadata {path}"))
    verdicts.append(_write_targets(judge, call, last=True))
    return worst(verdicts)


# -- writes and reads ------------------------------------------------------------------------
def _write_targets(judge: Judge, call: Call, *, last: bool = False, skip_first: bool = False,
                   valued: frozenset[str] = frozenset()) -> Verdict | None:
    args = call.args
    targets: list[Word] = []
    for j, word in enumerate(args):
        if word.text in ("-t", "--target-directory") and j + 1 < len(args):
            targets.append(args[j + 1])
        elif word.text.startswith("--target-directory="):
            targets.append(Word(word.text.split("=", 1)[1]))
    positional = _positional(args, valued)
    if not targets:
        if last:
            targets = positional[-1:] if len(positional) > 1 else []
        else:
            targets = positional[1:] if skip_first else positional
    verdicts = []
    for word in targets:
        path = judge.resolve(word.text, dynamic=word.dynamic, quoted=word.quoted)
        if path is not None:
            verdicts.append(judge.judge_write(path, f"{call.name} writes"))
    return worst(verdicts)


def _cp(judge: Judge, call: Call) -> Verdict | None:
    return worst([_write_targets(judge, call, last=True), _reads(judge, call, skip_last=True)])


def _tee(judge: Judge, call: Call) -> Verdict | None:
    return _write_targets(judge, call)


def _sed(judge: Judge, call: Call) -> Verdict | None:
    flags = _flags(call.args)
    if not ({"i", "--in-place"} & flags or any(w.text.startswith("--in-place") for w in call.args)):
        return _reads(judge, call, skip_first=True)
    explicit = any(w.text in ("-e", "-f", "--expression", "--file") for w in call.args)
    return _write_targets(judge, call, skip_first=not explicit,
                          valued=frozenset({"-e", "-f", "--expression", "--file"}))


def _perl(judge: Judge, call: Call) -> Verdict | None:
    code = _code(judge, call)
    if code is not None and code.decision != "allow":
        return code
    if any(w.text.startswith("-") and "i" in w.text[1:] and not w.text.startswith("--") for w in call.args):
        return _write_targets(judge, call, skip_first=True, valued=frozenset({"-e", "-E"}))
    return None


def _dd(judge: Judge, call: Call) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    for word in call.args:
        if word.text.startswith("of="):
            path = judge.resolve(word.text[3:], dynamic=word.dynamic, quoted=word.quoted)
            if path:
                verdicts.append(judge.judge_write(path, "dd writes"))
        elif word.text.startswith("if="):
            path = judge.resolve(word.text[3:], dynamic=word.dynamic, quoted=word.quoted)
            if path:
                verdicts.append(judge.judge_read(path, "dd reads"))
    return worst(verdicts)


def _reads(judge: Judge, call: Call, *, skip_first: bool = False, skip_last: bool = False) -> Verdict | None:
    positional = _positional(call.args)
    if call.name in ("grep", "egrep", "fgrep", "rg", "ag", "awk", "jq", "yq") and not any(
            w.text in ("-e", "-f", "--regexp", "--file") for w in call.args):
        skip_first = True
    if skip_first:
        positional = positional[1:]
    if skip_last:
        positional = positional[:-1]
    verdicts = []
    for word in positional:
        text = word.text.split(":", 1)[1] if call.name in ("scp", "rsync") and ":" in word.text else word.text
        path = judge.resolve(text, dynamic=word.dynamic, quoted=word.quoted)
        if path is not None:
            verdicts.append(judge.judge_read(path, f"{call.name} reads"))
    return worst(verdicts)


def _redirects(judge: Judge, command: Command) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    for redirect in command.redirects:
        target = redirect.target
        if target is None or redirect.op in ("<<", "<<-", "<<<", ">&", "<&"):
            continue
        path = judge.resolve(target.text, dynamic=target.dynamic, quoted=target.quoted)
        if path is None:
            continue
        if redirect.op in WRITE_REDIRECTS:
            verdicts.append(judge.judge_write(path, "a redirection writes"))
        if redirect.op in ("<", "<>"):
            verdicts.append(judge.judge_read(path, "a redirection reads"))
    return verdicts


def _curl(judge: Judge, call: Call) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    args = call.args
    for j, word in enumerate(args):
        text = word.text
        value = args[j + 1].text if j + 1 < len(args) else ""
        upload = ""
        if text in ("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "-F", "--form") \
                and "@" in value:
            upload = value.split("@", 1)[1]
        elif text in ("-T", "--upload-file"):
            upload = value
        elif call.name == "wget" and text.startswith(("--post-file=", "--body-file=")):
            upload = text.split("=", 1)[1]
        if upload:
            path = judge.resolve(upload, quoted=True)
            if path:
                verdicts.append(judge.judge_read(path, f"{call.name} uploads"))
        if text in ("-o", "--output", "-O") and value and not (call.name == "curl" and text == "-O"):
            path = judge.resolve(value, dynamic=args[j + 1].dynamic)
            if path and value != "-":
                verdicts.append(judge.judge_write(path, f"{call.name} writes"))
        if text.startswith(("http://", "https://")) or (not text.startswith("-") and "://" in text):
            from agentops_os.guard.tools import judge_url

            verdicts.append(judge_url(judge, text))
    return worst(verdicts)


# -- pipes into interpreters -------------------------------------------------------------------
def _pipe_to_shell(judge: Judge, call: Call) -> Verdict | None:
    reads_stdin = not _positional(call.args) or call.name in ("source", ".", "eval") or any(
        w.text in ("-", "-s", "/dev/stdin") for w in call.args)
    if reads_stdin:
        for command in call.upstream:
            if any(name in FETCHERS for name in _names(command)):
                return judge.verdict("pipe-to-shell", "deny",
                                     f"pipes a download into {call.name} (download, read, then run it)")
    if _subs_fetch(call.args):
        return judge.verdict("pipe-to-shell", "deny",
                             f"runs downloaded code with {call.name} (download, read, then run it)")
    return None


def _stdin_script(judge: Judge, call: Call) -> Verdict | None:
    """`bash <<EOF ... EOF`, `sh <<< "..."`, `python - <<EOF`: the here-document is the
    program, so it is judged like a command line (or like interpreter code)."""
    verdicts: list[Verdict | None] = []
    for redirect in call.command.redirects:
        body = redirect.body if redirect.op in ("<<", "<<-") else (
            redirect.target.text if redirect.op == "<<<" and redirect.target is not None else None)
        if not body:
            continue
        if call.name in SHELLS:
            inner = judge_command(judge, body)
            if inner.decision != "allow":
                reason = f"{call.name} here-document: {inner.reason}"
                verdicts.append(Verdict(inner.decision, reason, inner.rule))
        elif call.name in _CODE_FLAGS:
            flag = _CODE_FLAGS[call.name][0]
            verdicts.append(_code(judge, Call(call.name, [Word(flag), Word(body)], call.command)))
    return worst(verdicts)


def _dynamic_name(judge: Judge, call: Call) -> Verdict | None:
    words = call.command.words
    if words and words[0].dynamic and _subs_fetch(words[:1]):
        return judge.verdict("pipe-to-shell", "deny", "runs the output of a download as a command")
    return None


# -- git -----------------------------------------------------------------------------------------
_GIT_VALUED = frozenset({"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path",
                         "--config-env", "--super-prefix"})


def _git(judge: Judge, call: Call) -> Verdict | None:
    args = call.argv
    j = 0
    cwd = judge.cwd or judge.root
    while j < len(args) and args[j].startswith("-"):
        if args[j] == "-C" and j + 1 < len(args):
            cwd = judge.resolve(args[j + 1]) or cwd
        j += 2 if args[j] in _GIT_VALUED else 1
    if j >= len(args):
        return None
    sub, rest = args[j], args[j + 1:]
    handler = _GIT_SUBCOMMANDS.get(sub)
    verdicts = [handler(judge, rest, cwd)] if handler else []
    if sub in ("commit", "push", "merge", "rebase", "am", "cherry-pick") and (
            "--no-verify" in rest or (sub == "commit" and _short(rest, "n"))):
        verdicts.append(judge.verdict("git-no-verify", "ask",
                                      f"git {sub} --no-verify skips the repository's gates and hooks"))
    if sub == "rm":
        words = [Word(a) for a in rest]
        recursive = _short(rest, "r") or "--recursive" in rest
        if "--cached" not in rest:
            git_rm = Call("git-rm", words, call.command)
            verdicts.append(_delete(judge, git_rm, _positional(words), recursive))
    return worst(verdicts)


def _short(args: list[str], letter: str) -> bool:
    return any(a.startswith("-") and not a.startswith("--") and letter in a[1:] for a in args)


def _git_push(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    force = any(a in ("--force", "--force-with-lease", "--force-if-includes") or
                a.startswith("--force-with-lease=") for a in rest) or _short(rest, "f")
    delete = "--delete" in rest or _short(rest, "d")
    if "--mirror" in rest:
        return judge.verdict("force-push", "deny", "git push --mirror overwrites every remote branch")
    valued = {"--repo", "--receive-pack", "--exec", "-o", "--push-option"}
    positional = [a for i, a in enumerate(rest)
                  if not a.startswith("-") and (i == 0 or rest[i - 1] not in valued)]
    refspecs = positional[1:]
    if "--all" in rest or "--branches" in rest:
        if force:
            return judge.verdict("force-push", "deny", "force push of all branches (includes protected ones)")
        return None
    targets: list[tuple[str, bool, bool]] = []  # (branch, forced, deleted)
    for spec in refspecs:
        plus = spec.startswith("+")
        spec = spec.lstrip("+")
        src, _, dst = spec.partition(":")
        if not _:
            dst = src
        if src in ("HEAD", "@") and not _:
            dst = judge.current_branch() or dst
        targets.append((dst.removeprefix("refs/heads/"), plus or force, delete or (bool(_) and not src)))
    if not refspecs:
        branch = judge.current_branch()
        if branch:
            targets.append((branch, force, False))
        elif force:
            return judge.verdict("force-push", "ask", "force push from a detached HEAD")
    for branch, forced, deleted in targets:
        if not judge.policy.branch_protected(branch):
            continue
        if deleted:
            return judge.verdict("force-push", "deny",
                                 f"deletes the protected branch '{branch}' on the remote")
        if forced:
            return judge.verdict("force-push", "deny",
                                 f"force push to the protected branch '{branch}' rewrites shared history "
                                 f"(guard.protected_branches)")
    return None


def _dirty(judge: Judge, cwd: str | None) -> bool:
    out = judge.git("status", "--porcelain", "--untracked-files=no", cwd=cwd)
    return bool(out and out.strip())


def _git_reset(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    if ("--hard" in rest or "--merge" in rest or "--keep" in rest) and _dirty(judge, cwd):
        return judge.verdict("git-discard", "ask", "git reset --hard would throw away uncommitted changes")
    return None


def _git_clean(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    if "-n" in rest or "--dry-run" in rest or _short(rest, "n"):
        return None
    if not (_short(rest, "f") or "--force" in rest):
        return None
    flags = ["-n"] + (["-d"] if _short(rest, "d") else []) + (["-x"] if _short(rest, "x") else []) + (
        ["-X"] if _short(rest, "X") else [])
    out = judge.git("clean", *flags, cwd=cwd)
    count = len(out.splitlines()) if out else 0
    if out is None or count:
        return judge.verdict("git-discard", "ask",
                             f"git clean would delete {count or 'some'} untracked/ignored files for good")
    return None


def _git_checkout(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    discards = "--" in rest or rest == ["."] or "-f" in rest or "--force" in rest or (
        rest and all(not a.startswith("-") for a in rest) and any(a in (".", "*", ":/") for a in rest))
    if discards and _dirty(judge, cwd):
        return judge.verdict("git-discard", "ask", "git checkout would discard uncommitted changes")
    return None


def _git_restore(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    if ("--staged" in rest or "-S" in rest) and "--worktree" not in rest and "-W" not in rest:
        return None
    if _dirty(judge, cwd):
        return judge.verdict("git-discard", "ask", "git restore would discard uncommitted changes")
    return None


def _git_stash(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] in (["clear"], ["drop"]):
        return judge.verdict("git-discard", "ask", f"git stash {rest[0]} deletes stashed work for good")
    return None


def _git_branch(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    if "-D" in rest or ("--delete" in rest and ("--force" in rest or "-f" in rest)):
        for name in (a for a in rest if not a.startswith("-")):
            if judge.policy.branch_protected(name):
                return judge.verdict("force-push", "ask", f"force-deletes the protected branch '{name}'")
    return None


def _git_rewrite(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    return judge.verdict("git-history-rewrite", "ask", "rewrites git history (filter-branch/filter-repo)")


def _git_reflog(judge: Judge, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] == ["expire"] or rest[:1] == ["delete"]:
        return judge.verdict("git-history-rewrite", "ask", "expires reflog entries (loses recovery points)")
    return None


_GIT_SUBCOMMANDS: dict[str, Callable[[Judge, list[str], str], Verdict | None]] = {
    "push": _git_push, "reset": _git_reset, "clean": _git_clean, "checkout": _git_checkout,
    "restore": _git_restore, "stash": _git_stash, "branch": _git_branch, "filter-branch": _git_rewrite,
    "filter-repo": _git_rewrite, "reflog": _git_reflog,
}


# -- other dangerous tools -------------------------------------------------------------------------
def _chmod(judge: Judge, call: Call) -> Verdict | None:
    flags = _flags(call.args)
    recursive = bool(flags & {"R", "--recursive"})
    modes = [w.text for w in call.args if _search("^(?:" + _WORLD_WRITABLE + ")", w.text)]
    if recursive and modes:
        return judge.verdict("chmod-world-writable", "deny",
                             f"chmod -R {modes[0]} makes a whole tree writable by everyone")
    return None


def _sql(judge: Judge, call: Call) -> Verdict | None:
    texts = list(call.argv)
    for redirect in call.command.redirects:
        if redirect.body:
            texts.append(redirect.body)
        if redirect.op == "<<<" and redirect.target is not None:
            texts.append(redirect.target.text)
    for command in call.upstream:  # echo 'DROP ...' | psql, cat <<EOF | psql
        texts.extend(command.argv)
        texts.extend(r.body for r in command.redirects if r.body)
    blob = "\n".join(texts)
    match = _search(_SQL_DROP, blob)
    if match:
        return judge.verdict("sql-drop", "deny", f"runs `{match.group(0).upper()}` against a database")
    match = _search(_SQL_TRUNCATE, blob)
    if match:
        return judge.verdict("sql-drop", "ask", f"runs `{match.group(0).strip()}` (destroys rows)")
    return None


def _dropdb(judge: Judge, call: Call) -> Verdict | None:
    return judge.verdict("sql-drop", "deny", f"{call.name} drops a database")


def _mysqladmin(judge: Judge, call: Call) -> Verdict | None:
    if "drop" in call.argv:
        return judge.verdict("sql-drop", "deny", "mysqladmin drop drops a database")
    return None


def _terraform(judge: Judge, call: Call) -> Verdict | None:
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


def _pulumi(judge: Judge, call: Call) -> Verdict | None:
    if "destroy" in call.argv[:2]:
        return judge.verdict("infra-destroy", "deny", "pulumi destroy tears down real infrastructure")
    return None


_KUBE_VALUED = frozenset({"-n", "--namespace", "--context", "--kubeconfig", "-l", "--selector", "-f",
                          "--filename", "-o", "--output", "--cluster", "--user", "-s", "--server"})


def _kubectl(judge: Judge, call: Call) -> Verdict | None:
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
    if call.name in ("kubectl", "oc") and positional[1:2] and positional[1].split("/")[0] in (
            "ns", "namespace", "namespaces"):
        names = [p.split("/", 1)[1] if "/" in p else p for p in positional[1:]]
        names = [n for n in names if n not in ("ns", "namespace", "namespaces")]
        hit = [n for n in names if n in protected]
        if hit:
            return judge.verdict("kubectl-delete", "deny", f"deletes the protected namespace '{hit[0]}'")
        return judge.verdict("kubectl-delete", "ask", f"deletes namespace(s) {', '.join(names) or '?'}")
    if namespace is None:
        return judge.verdict("kubectl-delete", "ask",
                             f"{call.name} delete without -n: the current namespace may be protected")
    if namespace in protected:
        return judge.verdict("kubectl-delete", "deny",
                             f"{call.name} delete in the protected namespace '{namespace}' "
                             f"(guard.protected_namespaces)")
    return judge.verdict("kubectl-delete", "ask", f"{call.name} delete in namespace '{namespace}'")


def _cloud(judge: Judge, call: Call) -> Verdict | None:
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


def _disk(judge: Judge, call: Call) -> Verdict | None:
    return judge.verdict("disk-destroy", "deny", f"{call.name} can wipe a disk or filesystem")


def _shred(judge: Judge, call: Call) -> Verdict | None:
    return _delete(judge, call, _positional(call.args, frozenset({"-n", "-s", "--iterations"})),
                   _short(call.argv, "r"))


def _power(judge: Judge, call: Call) -> Verdict | None:
    return judge.verdict("power", "ask", f"{call.name} stops the machine")


def _kill(judge: Judge, call: Call) -> Verdict | None:
    if "-1" in _positional(call.args) or call.argv[-1:] == ["-1"]:
        return judge.verdict("power", "deny", "kill -1 kills every process you own")
    return None


def _publish(judge: Judge, call: Call) -> Verdict | None:
    argv = call.argv
    if (call.name in ("npm", "pnpm", "yarn", "cargo", "gem") and argv[:1] in (["publish"], ["push"])) or (
            call.name == "twine" and argv[:1] == ["upload"]) or (
            call.name in ("poetry", "flit", "hatch", "uv") and argv[:1] == ["publish"]):
        return judge.verdict("publish", "ask", f"{call.name} {argv[0]} publishes a package to the world")
    return None


_CODE_FLAGS = {"python": ("-c",), "python3": ("-c",), "node": ("-e", "--eval", "-p", "--print"),
               "perl": ("-e", "-E"), "ruby": ("-e",), "php": ("-r",), "deno": ("eval",),
               "bun": ("-e", "--eval")}
# Shell commands run from code: os.system("..."), subprocess.run("...", shell=True), execSync('...'), `...`.
_CODE_SHELL = (r"""(?:system|popen|exec|execSync|spawnSync|check_output|check_call|getoutput|call|run)"""
               r"""\(\s*(?:\[\s*)?[rbfu]?(['"`])(.+?)\1""")
# Recursive deletes from code: shutil.rmtree("/x"), fs.rmSync("/x", {recursive}), FileUtils.rm_rf("x").
_CODE_DELETE = (r"""(?:rmtree|rmSync|rm_rf|rmdirSync|remove_dir_all|rimraf|removedirs)"""
                r"""\(\s*[rbfu]?(['"`])(.+?)\1""")


def _code(judge: Judge, call: Call) -> Verdict | None:
    """Interpreter one-liners (`python -c`, `node -e`, `perl -e`...): judge the shell
    commands and recursive deletes they contain as if they were typed directly."""
    flags = _CODE_FLAGS.get(call.name, ())
    code = ""
    for j, word in enumerate(call.args):
        if word.text in flags and j + 1 < len(call.args):
            code = call.args[j + 1].text
            break
    if not code or ("(" not in code):
        return None
    import re

    verdicts: list[Verdict | None] = []
    for match in re.finditer(_CODE_SHELL, code):
        inner = match.group(2)
        verdict = judge_command(judge, inner)
        if verdict.decision != "allow":
            reason = f"{call.name} code runs `{inner[:60]}`: {verdict.reason}"
            verdicts.append(Verdict(verdict.decision, reason, verdict.rule))
    for match in re.finditer(_CODE_DELETE, code):
        target = match.group(2)
        verdicts.append(_delete(judge, Call("rm", [Word(target)], call.command), [Word(target)], True))
    return worst(verdicts)


def _orm(judge: Judge, call: Call) -> Verdict | None:
    if call.name in _CODE_FLAGS:
        verdict = _code(judge, call)
        if verdict is not None and verdict.decision != "allow":
            return verdict
    argv = call.argv
    if any(a in _DELETE_SQL_ORM for a in argv):
        return judge.verdict("sql-drop", "deny", f"{call.name} {' '.join(argv[:2])} drops the database")
    if call.name in ("python", "python3") and "manage.py" in argv[:1] and "flush" in argv:
        return judge.verdict("sql-drop", "ask", "manage.py flush deletes every row")
    if call.name in ("prisma", "npx") and "reset" in argv:
        return judge.verdict("sql-drop", "ask", "prisma migrate reset drops the database")
    return None


def _crontab(judge: Judge, call: Call) -> Verdict | None:
    if _short(call.argv, "r"):
        return judge.verdict("power", "ask", "crontab -r deletes every scheduled job")
    return None


def _touch(judge: Judge, call: Call) -> Verdict | None:
    return _write_targets(judge, call, valued=frozenset({"-d", "-r", "-t", "--date", "--reference"}))


RULES: dict[str, Callable[[Judge, Call], Verdict | None]] = {
    "rm": _rm, "rimraf": _rm, "unlink": _rm, "rmdir": _rm, "trash": _rm, "shred": _shred,
    "find": _find, "mv": _mv, "cp": _cp, "install": _cp, "ln": _cp, "tee": _tee, "sed": _sed, "gsed": _sed,
    "perl": _perl, "dd": _dd, "truncate": _touch, "touch": _touch, "curl": _curl, "wget": _curl,
    "git": _git, "chmod": _chmod, "dropdb": _dropdb, "mysqladmin": _mysqladmin,
    "terraform": _terraform, "tofu": _terraform, "terragrunt": _terraform, "pulumi": _pulumi,
    "kubectl": _kubectl, "oc": _kubectl, "helm": _kubectl,
    "aws": _cloud, "gcloud": _cloud, "gsutil": _cloud, "az": _cloud, "gh": _cloud,
    "mkfs": _disk, "mke2fs": _disk, "wipefs": _disk, "fdisk": _disk, "sfdisk": _disk, "parted": _disk,
    "sgdisk": _disk, "diskutil": _disk,
    "shutdown": _power, "reboot": _power, "halt": _power, "poweroff": _power, "kill": _kill,
    "npm": _publish, "pnpm": _publish, "yarn": _publish, "cargo": _publish, "gem": _publish,
    "twine": _publish, "flit": _publish, "poetry": _publish, "hatch": _publish, "uv": _publish,
    "rails": _orm, "rake": _orm, "bin/rails": _orm, "python": _orm, "python3": _orm, "prisma": _orm,
    "node": _orm, "ruby": _orm, "php": _orm, "deno": _orm, "bun": _orm,
    "crontab": _crontab,
}
for _name in ("mkfs.ext4", "mkfs.ext3", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat", "mkfs.fat", "mkswap"):
    RULES[_name] = _disk
