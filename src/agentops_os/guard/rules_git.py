"""git rules: force pushes and deletions of protected branches, discarding work,
history rewrites and ref surgery, skipped hooks (`--no-verify`, `HUSKY=0`, `SKIP=`),
settings that make git run a command (`core.pager`, `filter.*.clean`, `!` aliases), git rm.

git runs other programs in many places: a pager, an editor, a filter, a credential
helper, an alias that starts with `!`. A one-off setting (`git -c core.pager=CMD`,
`GIT_CONFIG_*`, `GIT_SSH_COMMAND=CMD`) runs CMD now, so CMD is judged as a command line;
a stored one (`git config core.pager CMD`) runs it later, unseen, so it is asked unless
it is a plain editor or pager."""

from __future__ import annotations

from agentops_os.guard.argv import has_short, long_options, operands
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope


_GIT_VALUED = frozenset(
    {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env", "--super-prefix"}
)


# Long options of the subcommands the rules look at, so that abbreviations are spelled
# out (git's parse-options accepts any unambiguous prefix, as getopt_long does).
_GIT_LONG: dict[str, tuple[str, ...]] = {
    "push": (
        "--force",
        "--force-with-lease",
        "--force-if-includes",
        "--delete",
        "--mirror",
        "--all",
        "--branches",
        "--no-verify",
        "--verify",
        "--tags",
        "--dry-run",
        "--verbose",
        "--quiet",
        "--repo",
        "--set-upstream",
        "--follow-tags",
        "--atomic",
        "--prune",
        "--porcelain",
        "--progress",
        "--push-option",
        "--receive-pack",
        "--exec",
        "--signed",
        "--no-signed",
        "--thin",
        "--no-thin",
        "--ipv4",
        "--ipv6",
        "--recurse-submodules",
        "--no-force-with-lease",
        "--no-atomic",
        "--no-follow-tags",
    ),
    "clean": ("--force", "--dry-run", "--quiet", "--exclude", "--interactive"),
    "reset": (
        "--hard",
        "--soft",
        "--mixed",
        "--merge",
        "--keep",
        "--quiet",
        "--patch",
        "--recurse-submodules",
        "--no-refresh",
        "--refresh",
        "--pathspec-from-file",
        "--pathspec-file-nul",
        "--intent-to-add",
    ),
    "commit": (
        "--no-verify",
        "--verify",
        "--no-edit",
        "--no-post-rewrite",
        "--no-status",
        "--no-gpg-sign",
        "--message",
        "--all",
        "--amend",
        "--patch",
        "--file",
        "--author",
        "--date",
        "--signoff",
        "--no-signoff",
        "--fixup",
        "--squash",
        "--reset-author",
        "--allow-empty",
        "--allow-empty-message",
        "--cleanup",
        "--edit",
        "--include",
        "--only",
        "--quiet",
        "--dry-run",
        "--status",
        "--verbose",
        "--untracked-files",
        "--gpg-sign",
        "--reuse-message",
        "--reedit-message",
        "--template",
        "--pathspec-from-file",
        "--trailer",
        "--porcelain",
        "--short",
        "--branch",
        "--long",
        "--null",
    ),
    "checkout": (
        "--force",
        "--quiet",
        "--progress",
        "--ours",
        "--theirs",
        "--track",
        "--no-track",
        "--detach",
        "--orphan",
        "--merge",
        "--patch",
        "--conflict",
        "--ignore-other-worktrees",
        "--overwrite-ignore",
        "--no-overwrite-ignore",
        "--recurse-submodules",
        "--pathspec-from-file",
        "--overlay",
        "--no-overlay",
    ),
    "branch": (
        "--delete",
        "--force",
        "--move",
        "--copy",
        "--list",
        "--all",
        "--remotes",
        "--verbose",
        "--set-upstream-to",
        "--unset-upstream",
        "--track",
        "--no-track",
        "--merged",
        "--no-merged",
        "--contains",
        "--show-current",
        "--edit-description",
        "--create-reflog",
        "--color",
        "--column",
    ),
    "stash": ("--keep-index", "--include-untracked", "--all", "--quiet", "--patch", "--staged", "--message"),
}
for _sub in ("merge", "rebase", "am", "cherry-pick"):
    _GIT_LONG[_sub] = (
        "--no-verify",
        "--verify",
        "--abort",
        "--continue",
        "--quit",
        "--skip",
        "--interactive",
        "--onto",
        "--no-edit",
        "--edit",
        "--squash",
        "--no-ff",
        "--ff-only",
        "--strategy",
    )


_GIT_LONG["rebase"] = (
    *_GIT_LONG["rebase"],
    "--root",
    "--exec",
    "--rebase-merges",
    "--update-refs",
    "--keep-base",
    "--edit-todo",
    "--show-current-patch",
    "--autosquash",
    "--autostash",
)
_GIT_LONG["switch"] = (
    "--force",
    "--discard-changes",
    "--create",
    "--force-create",
    "--detach",
    "--guess",
    "--no-guess",
    "--merge",
    "--conflict",
    "--quiet",
    "--progress",
    "--track",
    "--no-track",
    "--orphan",
    "--ignore-other-worktrees",
    "--recurse-submodules",
)
_GIT_LONG["config"] = (
    "--global",
    "--system",
    "--local",
    "--worktree",
    "--file",
    "--blob",
    "--get",
    "--get-all",
    "--get-regexp",
    "--get-urlmatch",
    "--get-color",
    "--get-colorbool",
    "--list",
    "--edit",
    "--unset",
    "--unset-all",
    "--add",
    "--replace-all",
    "--rename-section",
    "--remove-section",
    "--type",
    "--default",
    "--comment",
    "--value",
    "--fixed-value",
    "--show-origin",
    "--show-scope",
    "--name-only",
    "--includes",
    "--no-includes",
    "--null",
    "--bool",
    "--int",
    "--path",
    "--all",
)
_GIT_LONG["update-ref"] = ("--no-deref", "--stdin", "--create-reflog", "--batch-updates")
_GIT_LONG["symbolic-ref"] = ("--delete", "--quiet", "--short", "--no-recurse", "--recurse")
_GIT_LONG["replace"] = (
    "--graft",
    "--edit",
    "--force",
    "--delete",
    "--list",
    "--format",
    "--convert-graft-file",
)
_GIT_LONG["fast-import"] = ("--force", "--quiet", "--stats", "--done", "--date-format", "--export-marks")

# git commands that run the repository's hooks (so a variable that turns hooks off matters).
_HOOKED = frozenset({"commit", "push", "merge", "rebase", "am", "cherry-pick", "pull", "revert"})


def _git(judge: Scope, call: Call) -> Verdict | None:
    args = call.argv
    j, cwd, settings = _global_options(judge, args)
    env = _assignments(call)
    settings += _env_settings(env)
    verdicts = [_one_off_settings(judge, settings), _env_programs(judge, env)]
    if j >= len(args):
        return worst(verdicts)
    sub, rest = args[j], long_options(args[j + 1 :], _GIT_LONG.get(args[j], ()))
    handler = _GIT_SUBCOMMANDS.get(sub)
    if handler:
        verdicts.append(handler(judge, rest, cwd))
    if sub in _HOOKED:
        verdicts.append(_hooks_skipped(judge, sub, rest, env))
    if sub == "rm":
        words = [Word(a) for a in rest]
        recursive = has_short(rest, "r") or "--recursive" in rest
        if "--cached" not in rest:
            git_rm = Call("git-rm", words, call.command)
            verdicts.append(delete_targets(judge, git_rm, operands(words), recursive))
    if sub not in _BUILTINS:
        verdicts.append(_alias_run(judge, sub, args[j + 1 :], settings, cwd))
    return worst(verdicts)


def _global_options(judge: Scope, args: list[str]) -> tuple[int, str, list[tuple[str, str | None]]]:
    """Skip git's own options: the index of the subcommand, the directory it runs in
    (`-C DIR`) and the settings it is given for this run (`-c key=value`; `--config-env
    key=VAR` takes the value from a variable the guard cannot see, so None)."""
    cwd = judge.cwd or judge.root
    settings: list[tuple[str, str | None]] = []
    j = 0
    while j < len(args) and args[j].startswith("-"):
        flag = args[j]
        value = args[j + 1] if j + 1 < len(args) else ""
        if flag == "-C" and value:
            cwd = judge.resolve(value) or cwd
        elif flag == "-c":
            key, eq, text = value.partition("=")
            settings.append((key, text if eq else "true"))
        elif flag == "--config-env" or flag.startswith("--config-env="):
            spec = flag.split("=", 1)[1] if "=" in flag else value
            settings.append((spec.rpartition("=")[0] or spec, None))
        j += 2 if flag in _GIT_VALUED else 1
    return j, cwd, settings


def _assignments(call: Call) -> dict[str, str]:
    """`NAME=value` words before the program on its own simple command (`HUSKY=0 git
    commit`, `env SKIP=ruff git commit`, `sudo VAR=1 git`). The Call keeps only its
    arguments, so they are read from the command's words up to the word that runs git."""
    found: dict[str, str] = {}
    for word in call.command.words:
        text = word.text
        if text.rsplit("/", 1)[-1] == call.name or text == "git":
            break
        name, eq, value = text.partition("=")
        if eq and name and name.replace("_", "a").isalnum() and not name[0].isdigit():
            found[name] = value
    return found


def _env_settings(env: dict[str, str]) -> list[tuple[str, str | None]]:
    """Settings given through the environment: `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/
    `GIT_CONFIG_VALUE_n` and `GIT_CONFIG_PARAMETERS` (what `git -c` itself passes on)."""
    out: list[tuple[str, str | None]] = []
    for name, key in env.items():
        if name.startswith("GIT_CONFIG_KEY_"):
            out.append((key, env.get("GIT_CONFIG_VALUE_" + name.removeprefix("GIT_CONFIG_KEY_"), "")))
    params = env.get("GIT_CONFIG_PARAMETERS")
    if params:
        from agentops_os.guard.shell import ShellSyntaxError, parse

        try:
            words = [w.text for cmd in parse(params) for w in cmd.words]
        except ShellSyntaxError:
            words = ["core.pager"]  # unreadable: a setting the guard cannot see
        for text in words:
            key, eq, value = text.partition("=")
            out.append((key, value if eq else None))
    return out


def _one_off_settings(judge: Scope, settings: list[tuple[str, str | None]]) -> Verdict | None:
    """Settings for this run only: a command they name runs now, so it is judged."""
    verdicts: list[Verdict | None] = []
    for key, value in settings:
        kind = _setting_kind(key, value)
        if kind == "hooks":
            verdicts.append(_hooks_path_changed(judge))
        elif kind in ("command", "helper"):
            verdicts.append(_command_setting(judge, key, value, "runs"))
        elif kind in _ASKED_KINDS:
            verdicts.append(judge.verdict("git-config-exec", "ask", f"git -c {key}: {_ASKED_KINDS[kind]}"))
    return worst(verdicts)


# Environment variables whose value git runs as a command during this call.
_ENV_PROGRAMS = frozenset(
    {
        "GIT_SSH_COMMAND",
        "GIT_SSH",
        "GIT_PAGER",
        "GIT_EDITOR",
        "GIT_SEQUENCE_EDITOR",
        "GIT_ASKPASS",
        "SSH_ASKPASS",
        "GIT_EXTERNAL_DIFF",
        "GIT_PROXY_COMMAND",
        "EDITOR",
        "VISUAL",
        "PAGER",
    }
)


def _env_programs(judge: Scope, env: dict[str, str]) -> Verdict | None:
    return worst([_command_setting(judge, n, v, "runs") for n, v in env.items() if n in _ENV_PROGRAMS])


# Hook managers' switches: off when set to a false value, or skipping when set at all.
_HOOKS_OFF_WHEN_FALSE = frozenset({"HUSKY", "LEFTHOOK", "GIT_HOOKS"})
_HOOKS_SKIPPED_WHEN_SET = frozenset(
    {
        "HUSKY_SKIP_HOOKS",
        "SKIP",  # pre-commit: comma-separated hook ids not to run
        "PRE_COMMIT_ALLOW_NO_CONFIG",
        "LEFTHOOK_EXCLUDE",
        "LEFTHOOK_SKIP",
        "OVERCOMMIT_DISABLE",
        "SKIP_HOOKS",
        "GIT_SKIP_HOOKS",
    }
)
_FALSE = frozenset({"0", "false", "no", "off", "n"})


def _hooks_skipped(judge: Scope, sub: str, rest: list[str], env: dict[str, str]) -> Verdict | None:
    """`git commit --no-verify`, or a hook manager's variable that turns its hooks off for
    this command (`HUSKY=0`, `SKIP=ruff,mypy`, `LEFTHOOK=0`). A variable the line sets
    elsewhere (`export HUSKY=0; git commit`, an outer `HUSKY=0 sh -c '…'`) counts too: its
    value is not visible here."""
    if "--no-verify" in rest or (sub == "commit" and has_short(rest, "n")):
        return judge.verdict(
            "git-no-verify", "ask", f"git {sub} --no-verify skips the repository's gates and hooks"
        )
    # A name the line assigns only inside this command's own arguments (`-m "SKIP=1 …"`) is
    # not in git's environment.
    elsewhere = {n for n in judge.assigned if not any(a.startswith(n + "=") for a in rest)}
    for name in sorted((_HOOKS_OFF_WHEN_FALSE | _HOOKS_SKIPPED_WHEN_SET) & (set(env) | elsewhere)):
        value = env.get(name)
        if value is not None:
            off = value.lower() in _FALSE
            if (name in _HOOKS_OFF_WHEN_FALSE) != off or not value:
                continue
        shown = f"{name}={value}" if value is not None else name
        return judge.verdict(
            "git-no-verify", "ask", f"{shown} turns the repository's git hooks off for git {sub}"
        )
    return None


def _hooks_path_changed(judge: Scope) -> Verdict | None:
    return judge.verdict(
        "git-no-verify", "ask", "changes core.hooksPath, which turns the repository's git hooks off"
    )


def _git_config(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """A stored setting outlives this call: a command it names runs later, where the guard
    does not see it."""
    change = _config_change(rest)
    if change is None:
        return None
    action, key, value = change
    kind = _setting_kind(key, value)
    if kind == "hooks" and action in ("set", "unset"):
        return _hooks_path_changed(judge)
    if action != "set":
        return None
    if kind in ("command", "helper"):
        return _command_setting(judge, key, value, "stores")
    if kind == "alias":
        return _stored_alias(judge, key, value or "")
    if kind in _ASKED_KINDS:
        return judge.verdict("git-config-exec", "ask", f"git config {key}: {_ASKED_KINDS[kind]}")
    return None


_CONFIG_VALUED = frozenset({"-f", "--file", "--blob", "--type", "--default", "--comment", "--value"})
_CONFIG_READS = frozenset(
    {
        "--get",
        "--get-all",
        "--get-regexp",
        "--get-urlmatch",
        "--get-color",
        "--get-colorbool",
        "-l",
        "--list",
        "-e",
        "--edit",
        "--rename-section",
        "--remove-section",
    }
)
_CONFIG_VERBS = {
    "set": "set",
    "unset": "unset",
    "get": "read",
    "list": "read",
    "edit": "read",
    "rename-section": "read",
    "remove-section": "read",
}


def _config_change(rest: list[str]) -> tuple[str, str, str | None] | None:
    """(action, key, value) of `git config [options] KEY [VALUE]` and of the newer `git
    config set|unset|get KEY`; action is set, unset or read."""
    action = "set"
    if rest and rest[0] in _CONFIG_VERBS:
        action, rest = _CONFIG_VERBS[rest[0]], rest[1:]
    positional: list[str] = []
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--":
            positional.extend(rest[i + 1 :])
            break
        if arg in _CONFIG_VALUED:
            i += 2
            continue
        if arg.startswith("-") and arg != "-":
            name = arg.split("=", 1)[0]
            if name in _CONFIG_READS or (name.startswith("-") and not name.startswith("--") and "l" in name):
                action = "read"
            elif name in ("--unset", "--unset-all"):
                action = "unset"
        else:
            positional.append(arg)
        i += 1
    if not positional:
        return None
    if action == "set" and len(positional) < 2:
        action = "read"
    return action, positional[0], positional[1] if len(positional) > 1 else None


# Keys whose value git runs as a command (sections and names compare case-insensitively).
_COMMAND_KEYS = frozenset(
    {
        "core.pager",
        "core.editor",
        "core.sshcommand",
        "core.askpass",
        "core.gitproxy",
        "core.fsmonitor",
        "core.alternaterefscommand",
        "sequence.editor",
        "gpg.program",
        "diff.external",
        "interactive.difffilter",
        "sendemail.tocmd",
        "sendemail.cccmd",
        "sendemail.sendmailcmd",
        "uploadpack.packobjectshook",
    }
)
# (section, name) of `section.<sub>.name` keys whose value is a command.
_COMMAND_SUBKEYS = frozenset(
    {
        ("gpg", "program"),
        ("diff", "textconv"),
        ("diff", "command"),
        ("merge", "driver"),
        ("filter", "clean"),
        ("filter", "smudge"),
        ("filter", "process"),
        ("difftool", "cmd"),
        ("mergetool", "cmd"),
        ("man", "cmd"),
        ("browser", "cmd"),
        ("remote", "uploadpack"),
        ("remote", "receivepack"),
        ("trailer", "command"),
        ("trailer", "cmd"),
    }
)
# Settings that run nothing themselves but hand git's traffic or its configuration to
# someone else.
_ASKED_KINDS = {
    "redirect": "rewrites repository URLs (fetches and pushes go to another server)",
    "include": "includes configuration from another file (which may set commands to run)",
    "templates": "new clones and `git init` copy their hooks from this template directory",
    "protocol": "allows a transport that can run commands (ext::) or reach local files",
}
_BOOLEAN = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0", ""})


def _setting_kind(key: str, value: str | None) -> str | None:
    """What setting `key` (to `value`) does, for the rules: hooks, command, helper, alias,
    redirect, include, templates, protocol; None for everything else (`user.name`)."""
    parts = key.split(".")
    if len(parts) < 2:
        return None
    section, name = parts[0].lower(), parts[-1].lower()
    short = section + "." + name
    if short == "core.hookspath":
        return "hooks"
    if section == "alias":
        return "alias"
    if section == "credential" and name == "helper":
        return "helper"
    if short in ("core.fsmonitor",) or (section == "pager" and len(parts) == 2):
        return "command" if value is None or value.lower() not in _BOOLEAN else None
    runs = short in _COMMAND_KEYS if len(parts) == 2 else (section, name) in _COMMAND_SUBKEYS
    if runs:
        return "command"
    if section == "url" and name in ("insteadof", "pushinsteadof"):
        return "redirect"
    if (section == "include" and name == "path") or (section == "includeif" and name == "path"):
        return "include"
    if short == "init.templatedir":
        return "templates"
    if section == "protocol" and name == "allow":
        return "protocol" if (value or "").lower() == "always" else None
    return None


# Editors, pagers and diff tools that are an everyday value of such a setting: stored as a
# bare name (or from a system directory) with plain options, they run nothing else.
_PLAIN_PROGRAMS = frozenset(
    {
        "vim",
        "vi",
        "nvim",
        "nano",
        "emacs",
        "emacsclient",
        "code",
        "code-insiders",
        "cursor",
        "subl",
        "mate",
        "zed",
        "micro",
        "hx",
        "kak",
        "ed",
        "less",
        "more",
        "most",
        "cat",
        "bat",
        "batcat",
        "delta",
        "diff-so-fancy",
        "diff-highlight",
        "difft",
        "ydiff",
        "true",
        ":",
        "ssh",
        "gpg",
        "gpg2",
        "ssh-askpass",
        "ssh-keygen",
        "gpgsm",
        "git-lfs",
        "strings",
        "xxd",
        "hexdump",
        "exiftool",
        "pdftotext",
    }
)
_SHELL_SYNTAX = frozenset(";|&$`<>(){}!\\\n*?'\"")
# ssh options that run a command or read a configuration that may (`-o ProxyCommand=…`).
_SSH_RUNS = ("proxycommand", "localcommand", "knownhostscommand", "-f")
_SYSTEM_BINS = ("/usr/bin/", "/usr/local/bin/", "/bin/", "/opt/homebrew/bin/")
# credential.helper NAME runs git's own `git credential-NAME`.
_HELPERS = frozenset(
    {"store", "cache", "osxkeychain", "manager", "manager-core", "libsecret", "wincred", "gnome-keyring"}
)


def _plain_program(value: str) -> bool:
    words = value.split()
    if not words or _SHELL_SYNTAX & set(value):
        return False
    program = words[0]
    base = program.rsplit("/", 1)[-1]
    if base == "ssh" and any(w.lower().startswith(_SSH_RUNS) or "command=" in w.lower() for w in words):
        return False
    return base in _PLAIN_PROGRAMS and ("/" not in program or program.startswith(_SYSTEM_BINS))


def _command_setting(judge: Scope, key: str, value: str | None, how: str) -> Verdict | None:
    """A command git runs: `how` is "runs" (now: it is judged like a command line) or
    "stores" (later: asked, and judged too so that a download piped to a shell still
    denies). A plain editor or pager passes either way."""
    if value is not None and key.lower().endswith(".helper") and not value.startswith("!"):
        if not value or (value.split()[0] in _HELPERS and not _SHELL_SYNTAX & set(value)):
            return None  # git's own credential helper
    elif value is not None:
        value = value[1:] if value.startswith("!") else value
    if value is not None and (not value.strip() or _plain_program(value)):
        return None
    if value is None:
        return judge.verdict(
            "git-config-exec", "ask", f"{key} names a command from a variable the guard cannot see"
        )
    inner = _inner(judge, value, f"{key} {how} a command")
    if how == "runs":
        return inner
    stored = judge.verdict(
        "git-config-exec", "ask", f"git config {key} stores a command that git runs later: {value[:80]!r}"
    )
    return worst([stored, inner])


def _inner(judge: Scope, text: str, what: str) -> Verdict | None:
    verdict = judge.inner(text)
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{what}: {verdict.reason}", verdict.rule)


def _stored_alias(judge: Scope, key: str, value: str) -> Verdict | None:
    """`git config alias.NAME VALUE`: `git NAME` will run VALUE later. A `!` alias is a shell
    command that any later `git NAME` runs (asked, and judged). Another one is a git command
    line (`push --force-with-lease`) whose meaning depends on where it runs: it is judged
    when `git NAME` runs (see `_alias_run`), so storing it passes."""
    if not value.startswith("!"):
        return None
    stored = judge.verdict(
        "git-config-exec", "ask", f"git config {key} stores the shell command {value[:70]!r}"
    )
    return worst([stored, _inner(judge, value[1:], f"the alias {key}")])


_EXPANDING: list[str] = []  # aliases being expanded (an alias loop is asked, not followed)


def _alias_run(
    judge: Scope, sub: str, args: list[str], settings: list[tuple[str, str | None]], cwd: str
) -> Verdict | None:
    """`git NAME ARGS` where NAME is an alias (`-c alias.NAME=…` or stored): git runs its
    text, `!cmd ARGS` through the shell or `git TEXT ARGS`, so that is judged instead."""
    body: str | None = None
    found = False
    for key, value in settings:
        if key.lower() == "alias." + sub.lower():
            body, found = value, True
    if not found:
        body = judge.git("config", "--get", "alias." + sub, cwd=cwd)
        if body is None:
            return None
        body = body.strip()
    if body is None:
        return judge.verdict("git-config-exec", "ask", f"git {sub} runs an alias from a variable")
    if sub in _EXPANDING or len(_EXPANDING) > 4:
        return judge.verdict("git-config-exec", "ask", f"the git alias {sub} expands into itself")
    tail = " ".join(args)  # unquoted: a `~` the shell expanded stays a home (errs safe)
    text = body[1:] + " " + tail if body.startswith("!") else "git " + body + " " + tail
    _EXPANDING.append(sub)
    try:
        return _inner(judge, text.strip(), f"the git alias {sub} runs {body[:60]!r}")
    finally:
        _EXPANDING.pop()


def _git_push(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    force = any(
        a in ("--force", "--force-with-lease", "--force-if-includes") or a.startswith("--force-with-lease=")
        for a in rest
    ) or has_short(rest, "f")
    delete = "--delete" in rest or has_short(rest, "d")
    if "--mirror" in rest:
        return judge.verdict("force-push", "deny", "git push --mirror overwrites every remote branch")
    valued = {"--repo", "--receive-pack", "--exec", "-o", "--push-option"}
    positional = [
        a for i, a in enumerate(rest) if not a.startswith("-") and (i == 0 or rest[i - 1] not in valued)
    ]
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
        if (forced or deleted) and ("$" in branch or "`" in branch):
            return judge.verdict(
                "force-push",
                "ask",
                f"force push or delete of a branch the guard cannot know in advance ({branch[:60]})",
            )
        if not judge.policy.branch_protected(branch):
            continue
        if deleted:
            return judge.verdict(
                "force-push", "deny", f"deletes the protected branch '{branch}' on the remote"
            )
        if forced:
            return judge.verdict(
                "force-push",
                "deny",
                f"force push to the protected branch '{branch}' rewrites shared history "
                f"(guard.protected_branches)",
            )
    return None


def _dirty(judge: Scope, cwd: str | None, paths: list[str] | None = None) -> bool:
    """Uncommitted changes to tracked files (only under `paths`, when given); unknown
    (git failed) counts as dirty."""
    limit = ["--", *paths] if paths else []
    out = judge.git("status", "--porcelain", "--untracked-files=no", *limit, cwd=cwd)
    return out is None or bool(out.strip())


def _paths_after_dashes(rest: list[str]) -> list[str] | None:
    """The pathspecs after `--` (`git checkout stash@{0} -- a.md b.md`), or None when the
    command names none that way (then the whole work tree is at stake)."""
    if "--" not in rest or any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    paths = rest[rest.index("--") + 1 :]
    return paths or None


def _git_reset(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if ("--hard" in rest or "--merge" in rest or "--keep" in rest) and _dirty(judge, cwd):
        return judge.verdict("git-discard", "ask", "git reset --hard would throw away uncommitted changes")
    return None


def _git_clean(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if "-n" in rest or "--dry-run" in rest or has_short(rest, "n"):
        return None
    if not (has_short(rest, "f") or "--force" in rest):
        return None
    flags = (
        ["-n"]
        + (["-d"] if has_short(rest, "d") else [])
        + (["-x"] if has_short(rest, "x") else [])
        + (["-X"] if has_short(rest, "X") else [])
    )
    out = judge.git("clean", *flags, cwd=cwd)
    count = len(out.splitlines()) if out else 0
    if out is None or count:
        return judge.verdict(
            "git-discard", "ask", f"git clean would delete {count or 'some'} untracked/ignored files for good"
        )
    return None


def _git_checkout(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    discards = (
        "--" in rest
        or rest == ["."]
        or "-f" in rest
        or "--force" in rest
        or (rest and all(not a.startswith("-") for a in rest) and any(a in (".", "*", ":/") for a in rest))
    )
    if discards and _dirty(judge, cwd, _paths_after_dashes(rest)):
        return judge.verdict("git-discard", "ask", "git checkout would discard uncommitted changes")
    return _force_create(judge, rest, cwd, ("-B",), "git checkout -B")


def _git_switch(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git switch -f/--discard-changes X` throws away uncommitted changes; `-C X START`
    resets an existing branch X to START."""
    forced = "--force" in rest or "--discard-changes" in rest or has_short(rest, "f")
    if forced and _dirty(judge, cwd):
        return judge.verdict(
            "git-discard", "ask", "git switch --discard-changes would throw away uncommitted changes"
        )
    return _force_create(judge, rest, cwd, ("-C", "--force-create"), "git switch -C")


def _force_create(
    judge: Scope, rest: list[str], cwd: str, flags: tuple[str, ...], how: str
) -> Verdict | None:
    """`checkout -B NAME [START]` / `switch -C NAME [START]`: create NAME, or reset it to
    START (default HEAD) when it exists."""
    for i, arg in enumerate(rest):
        if arg in flags and i + 1 < len(rest):
            name, tail = rest[i + 1], rest[i + 2 :]
        elif arg.startswith("--force-create=") and "--force-create" in flags:
            name, tail = arg.split("=", 1)[1], rest[i + 1 :]
        else:
            continue
        start = next((a for a in tail if not a.startswith("-")), "HEAD")
        return _moves_protected(judge, cwd, name, start, how)
    return None


def _moves_protected(judge: Scope, cwd: str, branch: str, target: str, how: str) -> Verdict | None:
    """Moving a protected branch anywhere but forward drops commits that others have."""
    branch = branch.removeprefix("refs/heads/")
    if not judge.policy.branch_protected(branch) or not _rewinds(judge, cwd, "refs/heads/" + branch, target):
        return None
    return judge.verdict(
        "git-history-rewrite",
        "ask",
        f"{how} resets the protected branch '{branch}' to {target[:60]}, dropping commits it has",
    )


def _rewinds(judge: Scope, cwd: str, ref: str, target: str) -> bool:
    """Would setting the existing `ref` to `target` drop commits from it (not a
    fast-forward)? A ref that does not exist yet loses nothing; a target the guard cannot
    resolve (a variable, `HEAD~10` past the root, a ref a fetch on the same line brings)
    counts as dropping."""
    if any(c in ref + target for c in "$`") or target.startswith("-"):
        return True
    old = judge.git("rev-parse", "--verify", "-q", ref + "^{commit}", cwd=cwd)
    if not old:
        return False
    new = judge.git("rev-parse", "--verify", "-q", target + "^{commit}", cwd=cwd)
    if not new:
        return True
    old, new = old.strip(), new.strip()
    return old != new and judge.git("merge-base", "--is-ancestor", old, new, cwd=cwd) is None


def _git_restore(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if ("--staged" in rest or "-S" in rest) and "--worktree" not in rest and "-W" not in rest:
        return None
    if _dirty(judge, cwd, _restore_paths(rest)):
        return judge.verdict("git-discard", "ask", "git restore would discard uncommitted changes")
    return None


def _restore_paths(rest: list[str]) -> list[str] | None:
    """`git restore [--source X] [options] [--] PATH...`: the paths it overwrites."""
    if any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    paths: list[str] = []
    skip = False
    for i, arg in enumerate(rest):
        if skip:
            skip = False
        elif arg == "--":
            paths.extend(rest[i + 1 :])
            break
        elif arg in ("-s", "--source"):
            skip = True
        elif not arg.startswith("-"):
            paths.append(arg)
    return paths or None


def _git_stash(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] in (["clear"], ["drop"]):
        return judge.verdict("git-discard", "ask", f"git stash {rest[0]} deletes stashed work for good")
    return None


def _git_branch(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    deleting = "-D" in rest or "--delete" in rest or has_short(rest, "d")
    forced = "--force" in rest or has_short(rest, "f")
    if "-D" in rest or (deleting and forced):
        for name in (a for a in rest if not a.startswith("-")):
            if judge.policy.branch_protected(name):
                return judge.verdict("force-push", "ask", f"force-deletes the protected branch '{name}'")
        return None
    names = _positionals(rest, ("-u", "--set-upstream-to"))
    renaming = any(a in ("-m", "-c", "--move", "--copy") for a in rest)
    moving = "-M" in rest or "-C" in rest or (forced and renaming)
    if moving and names:  # `branch -M [OLD] NEW`: NEW is overwritten with OLD
        old = names[0] if len(names) > 1 else "HEAD"
        return _moves_protected(judge, cwd, names[-1], old, "git branch -M")
    if forced and names and not deleting:  # `branch -f NAME [START]`
        return _moves_protected(judge, cwd, names[0], names[1] if len(names) > 1 else "HEAD", "git branch -f")
    return None


def _git_rewrite(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    return judge.verdict("git-history-rewrite", "ask", "rewrites git history (filter-branch/filter-repo)")


def _git_reflog(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] == ["expire"] or rest[:1] == ["delete"]:
        return judge.verdict("git-history-rewrite", "ask", "expires reflog entries (loses recovery points)")
    return None


def _git_update_ref(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """Ref surgery: `update-ref -d REF` deletes a ref with its reflog; `update-ref REF NEW`
    moves it without any of the checks `git branch`/`reset` make. Creating a ref or moving
    one forward loses nothing and passes."""
    if "--stdin" in rest:
        return judge.verdict(
            "git-history-rewrite", "ask", "git update-ref --stdin moves refs the guard cannot see"
        )
    refs = _positionals(rest, ("-m",))
    if "-d" in rest or has_short(rest, "d"):
        shown = refs[0] if refs else "a ref"
        return judge.verdict(
            "git-history-rewrite", "ask", f"git update-ref -d deletes {shown[:60]} and its reflog"
        )
    if len(refs) >= 2 and _rewinds(judge, cwd, refs[0], refs[1]):
        return judge.verdict(
            "git-history-rewrite",
            "ask",
            f"git update-ref moves {refs[0][:60]} back to {refs[1][:60]}, dropping commits",
        )
    return None


def _git_symbolic_ref(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git symbolic-ref HEAD` reads; `git symbolic-ref HEAD refs/heads/x` or `-d` rewrites
    what HEAD is: the next commit lands on x with the current tree. Pointing it where it
    already points, at a branch that does not exist yet (the `git init` rename idiom), or
    a remote's default-branch pointer (refs/remotes/*/HEAD) passes."""
    refs = _positionals(rest, ("-m",))
    if "--delete" in rest or has_short(rest, "d"):
        return judge.verdict("git-history-rewrite", "ask", "git symbolic-ref --delete removes a symbolic ref")
    if len(refs) < 2 or refs[0].startswith("refs/remotes/"):
        return None
    now = judge.git("symbolic-ref", "-q", refs[0], cwd=cwd)
    exists = judge.git("rev-parse", "--verify", "-q", refs[1], cwd=cwd) is not None
    if (now or "").strip() != refs[1] and (exists or any(c in refs[1] for c in "$`")):
        return judge.verdict(
            "git-history-rewrite",
            "ask",
            f"git symbolic-ref points {refs[0][:40]} at {refs[1][:60]} (ref surgery)",
        )
    return None


def _git_replace(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """Replace refs make every git command show other objects in place of the real ones
    (`--graft` cuts or splices history); listing them (`-l`, no arguments) passes."""
    if not rest or "-l" in rest or "--list" in rest or all(a.startswith("--format") for a in rest):
        return None
    return judge.verdict(
        "git-history-rewrite", "ask", "git replace makes git show other commits in place of the real ones"
    )


def _git_fast_import(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if "--force" in rest:
        return judge.verdict(
            "git-history-rewrite",
            "ask",
            "git fast-import --force overwrites existing branches with the stream",
        )
    return None


_REBASE_VALUED = ("--onto", "-x", "--exec", "-s", "--strategy", "-X", "--strategy-option", "-C")
_REBASE_STEPS = frozenset(
    {"--continue", "--abort", "--skip", "--quit", "--edit-todo", "--show-current-patch"}
)


def _git_rebase(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`--root` rewrites every commit of the branch; `-i` or `--onto` on a protected branch
    rewrites (or drops) its commits, asked when some of them were pushed already. A plain
    `git rebase main` on a feature branch, or of local commits onto `origin/main`, and
    `--continue`/`--abort` pass.
    `--exec CMD` runs CMD after each commit: judged."""
    verdicts = [_inner(judge, cmd, "git rebase --exec") for cmd in _option_values(rest, ("-x", "--exec"))]
    if _REBASE_STEPS & set(rest):
        return worst(verdicts)
    if "--root" in rest:
        verdicts.append(
            judge.verdict(
                "git-history-rewrite", "ask", "git rebase --root rewrites every commit down to the first"
            )
        )
    shorts = _short_letters(rest, "xXsCS")
    interactive = "--interactive" in rest or "i" in shorts
    onto = any(a == "--onto" or a.startswith("--onto=") for a in rest)
    names = _positionals(rest, _REBASE_VALUED)
    branch = names[1] if len(names) > 1 else judge.current_branch()
    if not (interactive or onto) or not branch or not judge.policy.branch_protected(branch):
        return worst(verdicts)
    upstream = names[0] if names else "@{upstream}"
    if _published(judge, cwd, upstream, branch):
        how = "-i" if interactive else "--onto"
        verdicts.append(
            judge.verdict(
                "git-history-rewrite",
                "ask",
                f"git rebase {how} rewrites pushed commits of the protected branch '{branch}' "
                f"(guard.protected_branches)",
            )
        )
    return worst(verdicts)


def _published(judge: Scope, cwd: str, upstream: str, branch: str) -> bool:
    """Is any commit of `upstream..branch` (what a rebase rewrites) on a remote already?
    Local commits nobody fetched may be reworded or squashed freely. A range from a
    variable counts as published; one git cannot resolve makes the rebase itself fail."""
    if any(c in upstream + branch for c in "$`") or upstream.startswith("-"):
        return True
    span = f"{upstream}..{branch}"
    rewritten = judge.git("rev-list", span, cwd=cwd)
    local = judge.git("rev-list", span, "--not", "--remotes", cwd=cwd)
    if rewritten is None or local is None:
        return False
    return len(rewritten.split()) != len(local.split())


def _git_submodule(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git submodule foreach CMD` runs CMD through the shell in every submodule."""
    if rest[:1] != ["foreach"]:
        return None
    words = [a for a in rest[1:] if a not in ("--recursive", "-q", "--quiet")]
    return _inner(judge, " ".join(words), "git submodule foreach") if words else None


def _git_bisect(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git bisect run CMD ARGS` runs CMD at every step."""
    if rest[:1] != ["run"] or len(rest) < 2:
        return None
    return _inner(judge, " ".join(rest[1:]), "git bisect run")


def _positionals(rest: list[str], valued: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    skip = False
    for arg in rest:
        if skip:
            skip = False
        elif arg in valued:
            skip = True
        elif not arg.startswith("-"):
            out.append(arg)
    return out


def _option_values(rest: list[str], names: tuple[str, ...]) -> list[str]:
    """Values of `-x V`, `-xV`, `--exec V`, `--exec=V`."""
    out: list[str] = []
    for i, arg in enumerate(rest):
        if arg in names and i + 1 < len(rest):
            out.append(rest[i + 1])
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                out.append(arg.split("=", 1)[1])
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                out.append(arg[len(name) :])
    return out


def _short_letters(rest: list[str], valued: str) -> set[str]:
    """Letters of short option clusters (`-ik`), stopping at one that takes the rest of the
    word as its value (`-Xignore-space-change` is -X, not -i)."""
    found: set[str] = set()
    for arg in rest:
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--"):
            for letter in arg[1:]:
                found.add(letter)
                if letter in valued:
                    break
    return found


# git's own commands (and common installed ones): any other name may be an alias.
_BUILTIN_NAMES = """add am annotate apply archive bisect blame branch bugreport bundle cat-file check-attr
    check-ignore check-mailmap check-ref-format checkout checkout-index cherry cherry-pick citool
    clean clone column commit commit-graph commit-tree config count-objects credential
    credential-cache credential-store daemon describe diagnose diff diff-files diff-index
    diff-tree difftool fast-export fast-import fetch fetch-pack filter-branch fmt-merge-msg
    for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id grep gui hash-object help
    hook index-pack init instaweb interpret-trailers log ls-files ls-remote ls-tree mailinfo
    mailsplit maintenance merge merge-base merge-file merge-index merge-one-file merge-tree
    mergetool mktag mktree multi-pack-index mv name-rev notes pack-objects pack-redundant
    pack-refs patch-id prune prune-packed pull push range-diff read-tree rebase reflog remote
    repack replace request-pull rerere reset restore rev-list rev-parse revert rm scalar
    send-email send-pack shortlog show show-branch show-index show-ref sparse-checkout stash
    status stripspace submodule switch symbolic-ref tag unpack-file unpack-objects update-index
    update-ref update-server-info var verify-commit verify-pack verify-tag version whatchanged
    worktree write-tree backfill last-modified refs repo replay lfs flow filter-repo"""
_BUILTINS = frozenset(_BUILTIN_NAMES.split())


_GIT_SUBCOMMANDS: dict[str, Callable[[Scope, list[str], str], Verdict | None]] = {
    "push": _git_push,
    "reset": _git_reset,
    "clean": _git_clean,
    "checkout": _git_checkout,
    "restore": _git_restore,
    "stash": _git_stash,
    "branch": _git_branch,
    "filter-branch": _git_rewrite,
    "filter-repo": _git_rewrite,
    "reflog": _git_reflog,
    "switch": _git_switch,
    "config": _git_config,
    "update-ref": _git_update_ref,
    "symbolic-ref": _git_symbolic_ref,
    "replace": _git_replace,
    "fast-import": _git_fast_import,
    "rebase": _git_rebase,
    "submodule": _git_submodule,
    "bisect": _git_bisect,
}


RULES = {"git": _git}
