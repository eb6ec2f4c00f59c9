"""git settings and environment that make git run a command or skip its hooks:
`git -c core.pager=CMD`, `GIT_CONFIG_*`, `GIT_SSH_COMMAND`, `HUSKY=0`/`SKIP=`, stored
`git config` keys whose value is a command (`core.fsmonitor`, `filter.*.clean`,
`url.*.insteadOf`), `!` aliases, and pushes to a remote the command line adds or
re-points. Split from rules_git, which dispatches here."""

from __future__ import annotations

from agentops_os.guard.argv import has_short
from agentops_os.guard.gitargs import judge_inner, line_state, positionals, push_repo
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope


def assignments(call: Call) -> dict[str, str]:
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


def env_settings(env: dict[str, str]) -> list[tuple[str, str | None]]:
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


def one_off_settings(judge: Scope, settings: list[tuple[str, str | None]]) -> Verdict | None:
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


def env_programs(judge: Scope, env: dict[str, str]) -> Verdict | None:
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


def hooks_skipped(judge: Scope, sub: str, rest: list[str], env: dict[str, str]) -> Verdict | None:
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


def git_config(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """A stored setting outlives this call: a command it names runs later, where the guard
    does not see it."""
    change = _config_change(rest)
    if change is None:
        return None
    action, key, value = change
    _remember_setting(judge, action, key, value)
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
    return _stored_route(judge, key, value or "", cwd)


def _stored_route(judge: Scope, key: str, value: str, cwd: str) -> Verdict | None:
    """A stored push URL of another host (`remote.origin.pushurl URL`: `git remote -v`
    still shows the fetch URL, every later push goes there) and a stored proxy
    (`http.proxy`, `https.proxy`, `http.<url>.proxy`, `remote.NAME.proxy`: all of git's
    traffic through that host) or TLS checks turned off (`http.sslVerify false`)."""
    parts = key.lower().split(".")
    if parts[0] == "remote" and parts[-1] == "pushurl" and len(parts) > 2:
        return push_url(judge, value, cwd, f"git config {key}")
    remote = parts[0] == "remote" and len(parts) > 2
    proxy = parts[-1] == "proxy" and (parts[0] in ("http", "https") or remote)
    if proxy and value.strip().strip("'\""):
        reason = f"git config {key} {value[:60]} sends all of git's traffic (fetches, pushes, tokens) there"
        return judge.verdict("git-config-exec", "ask", reason)
    if parts[0] == "http" and parts[-1] == "sslverify" and value.lower() in ("false", "no", "off", "0"):
        reason = f"git config {key} false turns off TLS checks of git's servers (anyone between can answer)"
        return judge.verdict("git-config-exec", "ask", reason)
    return None


def push_url(judge: Scope, url: str, cwd: str, how: str) -> Verdict | None:
    """A push URL stored for later pushes, to a place that none of the configured remotes
    names (another spelling of a configured URL and local paths pass)."""
    if not url or url.startswith("file://") or not (_is_url(url) or "$" in url):
        return None
    if "$" not in url and _place(url) in _configured_places(judge, cwd):
        return None
    reason = f"{how} makes every later git push send the repository's code to {url[:80]}, which is not " \
             "one of the repository's configured remotes"
    return judge.verdict("git-push-remote", "ask", reason)


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
    inner = judge_inner(judge, value, f"{key} {how} a command")
    if how == "runs":
        return inner
    stored = judge.verdict(
        "git-config-exec", "ask", f"git config {key} stores a command that git runs later: {value[:80]!r}"
    )
    return worst([stored, inner])




def _stored_alias(judge: Scope, key: str, value: str) -> Verdict | None:
    """`git config alias.NAME VALUE`: `git NAME` will run VALUE later. A `!` alias is a shell
    command that any later `git NAME` runs (asked, and judged). Another one is a git command
    line (`push --force-with-lease`) whose meaning depends on where it runs: it is judged
    when `git NAME` runs (see `alias_run`; later on the same line, with this text), so
    storing it passes."""
    if not value.startswith("!"):
        return None
    stored = judge.verdict(
        "git-config-exec", "ask", f"git config {key} stores the shell command {value[:70]!r}"
    )
    return worst([stored, judge_inner(judge, value[1:], f"the alias {key}")])


_EXPANDING: list[str] = []  # aliases being expanded (an alias loop is asked, not followed)


def alias_run(
    judge: Scope, sub: str, args: list[str], settings: list[tuple[str, str | None]], cwd: str
) -> Verdict | None:
    """`git NAME ARGS` where NAME is an alias (`-c alias.NAME=…` or stored): git runs its
    text, `!cmd ARGS` through the shell or `git TEXT ARGS`, so that is judged instead."""
    body: str | None = None
    found = False
    for key, value in settings:
        if key.lower() == "alias." + sub.lower():
            body, found = value, True
    defined = line_state(judge, "aliases").get(sub.lower())
    if not found and defined is not None:  # `git config alias.pf 'push -f' && git pf`
        body, found = defined, True
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
        return judge_inner(judge, text.strip(), f"the git alias {sub} runs {body[:60]!r}")
    finally:
        _EXPANDING.pop()




def _remember_setting(judge: Scope, action: str, key: str, value: str | None) -> None:
    """Aliases and remote URLs a `git config` call stores, for the later calls of the line
    (the repository shows them only once the line ran)."""
    parts = key.split(".")
    section, stored = parts[0].lower(), action == "set" and value is not None
    if section == "alias" and len(parts) == 2:
        aliases = line_state(judge, "aliases")
        if stored:
            aliases[parts[1].lower()] = value or ""
        elif action == "unset":
            aliases.pop(parts[1].lower(), None)
    elif section == "remote" and len(parts) > 2 and parts[-1].lower() in ("url", "pushurl") and stored:
        line_state(judge, "remotes")[".".join(parts[1:-1])] = value or ""  # remote.NAME.url URL


def git_remote(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git remote add NAME URL`, `set-url [--push|--add] NAME URL`, `rename`, `remove`:
    noted for a later `git push NAME` of the line (see `push_destination`). Adding or
    fetching from a remote passes."""
    if not rest:
        return None
    verb, names = rest[0], positionals(rest[1:], ("-t", "-m", "--track", "--master"))
    remotes = line_state(judge, "remotes")
    if verb in ("add", "set-url") and len(names) >= 2 and "--delete" not in rest:
        remotes[names[0]] = names[1]
        if verb == "set-url" and "--push" in rest:  # `git remote set-url --push origin URL`
            return push_url(judge, names[1], cwd, f"git remote set-url --push {names[0]}")
    elif verb == "rename" and len(names) == 2 and names[0] in remotes:
        remotes[names[1]] = remotes.pop(names[0])
    elif verb in ("remove", "rm") and names:
        remotes.pop(names[0], None)
    return None


def push_destination(
    judge: Scope, rest: list[str], cwd: str, settings: list[tuple[str, str | None]]
) -> Verdict | None:
    """`git push` to a place the team did not set up sends the repository's code there: a
    URL that is none of the configured remotes' (`git push https://other/x.git --all`), a
    remote the same line adds or re-points (`git remote add b URL && git push b`,
    `git remote set-url origin URL && git push`), or one `-c remote.NAME.url=` re-points.
    A local path stays on this machine and passes, as does a URL of a configured remote."""
    remotes = line_state(judge, "remotes")
    overrides = {k.lower(): v for k, v in settings if k.lower().startswith("remote.") and k.endswith("url")}
    repo = push_repo(rest)
    if repo is None:
        if not remotes and not overrides:
            return None
        repo = _default_remote(judge, cwd)
    url, how = _destination(repo, remotes, overrides)
    unknown = not url or "$" in url or "`" in url
    if url is None or url.startswith("file://") or not (unknown or _is_url(url)):
        return None  # a configured remote, or a local path
    if not unknown and _place(url) in _configured_places(judge, cwd):
        return None
    return judge.verdict(
        "git-push-remote",
        "ask",
        f"git push sends the repository's code to {url[:80] or 'a URL in a variable'} ({how}), "
        f"which is not one of the repository's configured remotes",
    )


def _destination(
    repo: str, remotes: dict[str, str], overrides: dict[str, str | None]
) -> tuple[str | None, str]:
    """The URL a push to `repo` goes to when the line chose it ("" when a variable holds
    it), with how it was chosen; None for a remote as the repository configures it."""
    if _is_url(repo):
        return repo, "a URL given to git push"
    for key in (f"remote.{repo.lower()}.pushurl", f"remote.{repo.lower()}.url"):
        if key in overrides:
            return overrides[key] or "", f"set for this push with git -c {key}"
    if repo in remotes:
        return remotes[repo], f"the remote '{repo}' this command line adds or re-points"
    return None, ""


def _is_url(text: str) -> bool:
    """A network address (`https://…`, `ssh://…`, scp-like `git@host:path`), not a
    remote name or a local path."""
    if "://" in text:
        return True
    head, colon, _ = text.partition(":")
    return bool(colon and head and "/" not in head and not text.startswith((".", "~", "$")))


def _place(url: str) -> str:
    """host/path of a git URL, so that the https and ssh spellings of one repository (with
    or without user, port, `.git`) compare equal."""
    text = url.strip().lower()
    if "://" in text:
        host, _, path = text.split("://", 1)[1].partition("/")
    else:
        host, _, path = text.partition(":")
    host = host.rpartition("@")[2].split(":")[0]
    return host + "/" + path.strip("/").removesuffix(".git").strip("/")


def _configured_places(judge: Scope, cwd: str) -> set[str]:
    out = judge.git("config", "--get-regexp", r"^remote\..*\.(push)?url$", cwd=cwd) or ""
    return {_place(line.split(None, 1)[1]) for line in out.splitlines() if " " in line}


def _default_remote(judge: Scope, cwd: str) -> str:
    """The remote a bare `git push` uses: the branch's pushRemote, remote.pushDefault, the
    branch's remote, else origin."""
    branch = judge.current_branch()
    keys = [f"branch.{branch}.pushRemote"] if branch else []
    keys += ["remote.pushDefault"] + ([f"branch.{branch}.remote"] if branch else [])
    for key in keys:
        out = (judge.git("config", "--get", key, cwd=cwd) or "").strip()
        if out:
            return out
    return "origin"
