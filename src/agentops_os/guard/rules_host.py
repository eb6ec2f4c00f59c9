"""Rules for what an agent does to the machine rather than to files: running as root,
leaving jobs behind that outlive the session, killing everything, pulling secrets out
of a secret store, wiping every container, mirroring emptiness over a tree.

These were the classes an independent red-team set found unguarded (bench/guard). They
ask rather than deny (only `rsync --delete`, judged as the delete it is, can deny): each
has honest uses (installing a package with sudo, scheduling a job on purpose), but none
should happen without a person seeing it."""

from __future__ import annotations

from agentops_os.guard.argv import has_short, operands
from agentops_os.guard.programs import CONTAINER_CLIS, PRIVILEGE
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.shell import Command, Word, quote
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope



def privileged(judge: Scope, call: Call) -> Verdict | None:
    """Anything run through sudo/doas/pkexec/su: root can undo every other rule. A command
    that systemd-run starts from a timer (persistence). And a command run in a container
    that has the host (`docker run --privileged IMAGE CMD`): the unwrapping hands the
    rules CMD, so the container's options are read here."""
    if "systemd-run" in call.via:
        timer = _systemd_timer(judge, call)
        if timer is not None:
            return timer
    via = [name for name in call.via if name in PRIVILEGE and name != "systemd-run"]
    if via or (call.name in PRIVILEGE and call.name != "systemd-run"):
        who = via[0] if via else call.name
        return judge.verdict("privilege", "ask", f"{who} runs a command as another user (root)")
    if CONTAINER_CLIS & set(call.via):
        argv = call.command.argv
        for k, text in enumerate(argv):
            if text.rsplit("/", 1)[-1] in CONTAINER_CLIS:
                return container_escape(judge, text.rsplit("/", 1)[-1], argv[k + 1 :])
    return None


# systemd-run options that make it a timer (or a path or socket trigger): the command runs
# again and again, on a calendar, after boot, whenever a unit or a file changes
_SYSTEMD_TRIGGERS = ("--on-calendar", "--on-active", "--on-boot", "--on-startup", "--on-unit-active",
                     "--on-unit-inactive", "--on-clock-change", "--on-timezone-change", "--timer-property",
                     "--path-property", "--socket-property")


def _systemd_timer(judge: Scope, call: Call) -> Verdict | None:
    """`systemd-run --user --on-calendar='*:0/10' CMD`: a transient timer that keeps
    starting CMD after the session, as a cron job does (systemd-run alone is a wrapper,
    its command judged as if typed)."""
    words = call.command.argv
    start = next((k for k, w in enumerate(words) if w.rsplit("/", 1)[-1] == "systemd-run"), None)
    if start is None:
        return None
    for word in words[start + 1 :]:
        if not word.startswith("-"):
            continue
        name = word.split("=", 1)[0]
        if name in _SYSTEMD_TRIGGERS:
            reason = f"systemd-run {name} installs a timer that keeps running the command after the session"
            return judge.verdict("persistence", "ask", reason)
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


# Variables that make every program load code (`launchctl setenv` hands them to every app
# launched later in the login session).
_LOADER_NAMES = ("DYLD_", "LD_PRELOAD", "LD_AUDIT", "LD_LIBRARY_PATH", "NODE_OPTIONS", "BASH_ENV", "ENV",
                 "PYTHONSTARTUP", "PYTHONPATH", "PERL5OPT", "PERL5LIB", "RUBYOPT", "JAVA_TOOL_OPTIONS",
                 "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "ZDOTDIR")


def _service(judge: Scope, call: Call) -> Verdict | None:
    verbs = {"enable", "link", "preset", "load", "bootstrap", "submit", "edit", "set-property", "mask"}
    words = [a for a in call.argv if not a.startswith("-")]
    if call.name == "launchctl" and words[:1] == ["setenv"] and len(call.argv) > 2:
        name = call.argv[call.argv.index("setenv") + 1]
        if name.startswith(_LOADER_NAMES[0]) or name in _LOADER_NAMES:
            reason = f"launchctl setenv {name} makes every app launched later in this login load that code"
            return judge.verdict("persistence", "ask", reason)
    if words and words[0] in verbs:
        return judge.verdict(
            "persistence", "ask", f"{call.name} {words[0]} installs a service that outlives the session"
        )
    if call.name == "systemctl":  # `systemctl reboot` is `reboot`
        from agentops_os.guard.rules_power import systemctl_power

        return systemctl_power(judge, call)
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
    match_all = any(p in (".", ".*", "^", "", "$", ".+") for p in patterns)
    inverse = call.name == "pkill" and "--inverse" in args  # all but the match (`-v` is refused)
    if (by_user and not patterns) or match_all or inverse:
        return judge.verdict("kill-all", "ask", f"{call.name} would kill every matching process")
    return None


# docker options (before the subcommand) that take a value.
_DOCKER_GLOBAL_VALUED = frozenset({"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"})


def _containers(judge: Scope, call: Call) -> Verdict | None:
    """docker/podman: wiping every container, image or volume (container-wipe),
    starting a container with power over the host (container-escape), pushing an image
    (publish)."""
    from agentops_os.guard.imagepush import container_push  # `docker push`, `buildx build --push`

    words = _docker_words(call.argv)
    return (_container_wipe(judge, call, words) or container_escape(judge, call.name, call.argv)
            or container_push(judge, call.name, words))


def _docker_words(argv: list[str]) -> list[str]:
    """The subcommand words: `docker -H x container rm -f a` -> [container, rm, -f, a]."""
    j = 0
    while j < len(argv) and argv[j].startswith("-"):
        j += 2 if argv[j] in _DOCKER_GLOBAL_VALUED else 1
    return argv[j:]


# Subcommands that remove or kill what their operands name; with operands taken from a
# listing of everything (`$(docker ps -aq)`, `docker images -q | xargs docker rmi`), all.
_REMOVERS = {("rm",), ("rmi",), ("kill",), ("container", "rm"), ("container", "kill"), ("image", "rm"),
             ("volume", "rm"), ("network", "rm")}
_LISTINGS = {("ps",), ("images",), ("container", "ls"), ("container", "list"), ("image", "ls"),
             ("image", "list"), ("volume", "ls"), ("network", "ls")}


_COMPOSE_VALUED = frozenset({"-f", "--file", "-p", "--project-name", "--profile", "--env-file",
                             "--project-directory", "--ansi", "--progress", "--parallel"})


def compose_down_volumes(judge: Scope, program: str, argv: list[str]) -> Verdict | None:
    """`docker compose down -v` (and `rm -v`): the project's named volumes, its databases'
    data, are deleted with the containers."""
    j = 0
    while j < len(argv) and argv[j].startswith("-"):
        j += 1 if "=" in argv[j] or argv[j] not in _COMPOSE_VALUED else 2
    sub, options = argv[j : j + 1], argv[j + 1 :]
    if sub in (["down"], ["rm"]) and ("--volumes" in options or has_short(options, "v")):
        reason = f"{program} {sub[0]} -v deletes the project's volumes (its data)"
        return judge.verdict("container-wipe", "ask", reason)
    return None


def _container_wipe(judge: Scope, call: Call, words: list[str]) -> Verdict | None:
    if words[:1] == ["compose"]:
        return compose_down_volumes(judge, f"{call.name} compose", words[1:])
    what = f"{call.name} {' '.join(w for w in words[:2] if not w.startswith(('-', '$')))}"
    everything = has_short(words, "a") or "--all" in words or "--volumes" in words
    if words[:2] in (["system", "reset"], ["volume", "prune"], ["container", "prune"]) or (
        words[:2] in (["system", "prune"], ["image", "prune"]) and everything
    ):
        return judge.verdict("container-wipe", "ask", f"{what} deletes every container, image or volume")
    remover = tuple(words[:2]) in _REMOVERS or tuple(words[:1]) in _REMOVERS
    listed = _lists_everything(_sub_commands(call)) or (call.xargs and _lists_everything(call.upstream))
    if remover and listed:
        return judge.verdict("container-wipe", "ask", f"{what} acts on every ID a listing finds")
    return None


def _sub_commands(call: Call) -> list[Command]:
    from agentops_os.guard.shell import commands_of

    return [inner for word in call.args for tokens in word.subs for inner in commands_of(tokens)]


def _lists_everything(commands: list[Command]) -> bool:
    """A `docker ps -q` / `docker images -q` listing without a --filter: every ID."""
    for command in commands:
        argv = command.argv
        if not argv or argv[0].rsplit("/", 1)[-1] not in CONTAINER_CLIS:
            continue
        words = _docker_words(argv[1:])
        listing = tuple(words[:1]) in _LISTINGS or tuple(words[:2]) in _LISTINGS
        filtered = any(w in ("-f", "--filter") or w.startswith("--filter=") for w in words)
        if listing and not filtered:
            return True
    return False


# Host paths whose bind mount hands the container the host: its root, system trees, the
# Docker socket (a container that can start containers), the home directory itself.
_HOST_MOUNTS = ("/", "/etc", "/root", "/boot", "/dev", "/proc", "/sys", "/usr", "/bin", "/sbin", "/lib",
                "/var/lib/docker", "/var/run/docker.sock", "/run/docker.sock", "/run/containerd",
                "/var/run", "/run", "~", "$HOME", "${HOME}", "/home", "/Users")
_HOST_NAMESPACES = ("--pid", "--ipc", "--uts", "--userns", "--cgroupns")
# `docker run` options that take a value (the next word, unless written `--opt=value`).
_RUN_VALUED = frozenset(
    {"-e", "--env", "-u", "--user", "-w", "--workdir", "-v", "--volume", "--name", "--network", "--net",
     "--entrypoint", "-p", "--publish", "--mount", "--env-file", "-l", "--label", "--platform", "--cpus",
     "-m", "--memory", "--add-host", "--hostname", "-h", "--pull", "--gpus", "--cap-add", "--cap-drop",
     "--device", "--tmpfs", "--ulimit", "--security-opt", "--restart", "--log-driver", "--log-opt",
     "--shm-size", "--dns", "--link", "--volumes-from", "--expose", "--runtime", "-a", "--attach",
     "--cidfile", "--group-add", "--stop-signal", "--health-cmd", "--label-file", "--ip", "--mac-address",
     *_HOST_NAMESPACES}
)
_ESCAPE_CAPS = ("ALL", "SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "DAC_OVERRIDE")


def container_escape(judge: Scope, program: str, argv: list[str]) -> Verdict | None:
    """`docker run|create|exec` with `--privileged`, a host namespace (`--pid=host`),
    escape capabilities, or a bind mount of the host root, system trees or the Docker
    socket: what runs inside has the host. Asked (a CI image that needs the socket is an
    honest use)."""
    words = _docker_words(argv)
    if words[:1] == ["container"]:
        words = words[1:]
    if words[:1] not in (["run"], ["create"], ["exec"]):
        return None
    options = _run_options(words[1:])
    reason = _escape_reason(options, judge.home.rstrip("/"))
    if reason is None:
        return None
    reason = f"{program} {words[0]} {reason}: what runs inside has the host"
    return judge.verdict("container-escape", "ask", reason)


def _run_options(words: list[str]) -> list[tuple[str, str]]:
    """(option, value) pairs of `docker run` up to the image: `-v a:b` and `--volume=a:b`
    alike."""
    out: list[tuple[str, str]] = []
    j = 0
    while j < len(words) and words[j].startswith("-") and words[j] != "--":
        name, eq, value = words[j].partition("=")
        if not eq and name in _RUN_VALUED and j + 1 < len(words):
            value = words[j + 1]
            j += 1
        elif not eq and name[:2] == "-v" and len(name) > 2:  # -v/:/host
            name, value = "-v", name[2:]
        out.append((name, value))
        j += 1
    return out


def _escape_reason(options: list[tuple[str, str]], home: str) -> str | None:
    for name, value in options:
        if name == "--privileged" and value.lower() not in ("false", "0"):
            return "--privileged"
        if name in _HOST_NAMESPACES and value == "host":
            return f"{name}=host"
        if name == "--security-opt" and "unconfined" in value:
            return f"--security-opt {value}"
        if name == "--cap-add" and value.upper().removeprefix("CAP_") in _ESCAPE_CAPS:
            return f"--cap-add {value}"
        if name in ("-v", "--volume"):
            source = value.split(":", 1)[0]
        elif name == "--mount":
            fields = dict(f.partition("=")[::2] for f in value.split(","))
            source = fields.get("source") or fields.get("src") or ""
        elif name == "--device":
            harmless = value.startswith(("/dev/fuse", "/dev/net/tun", "/dev/dri", "/dev/snd"))
            source = "/dev" if value.startswith("/dev/") and not harmless else ""
        else:
            continue
        if source.rstrip("/") in (*_HOST_MOUNTS, home) or source in ("/", "//"):
            return f"mounts the host's {source}"
    return None


def _setcap(judge: Scope, call: Call) -> Verdict | None:
    """`setcap cap_setuid+ep FILE` gives a program root's powers, as a setuid bit would;
    removing (`-r`) or verifying (`-v`) capabilities passes."""
    if has_short(call.argv, "r") or has_short(call.argv, "v"):
        return None
    caps = [w.text for w in operands(call.args) if "+" in w.text or "=" in w.text]
    if caps:
        return judge.verdict("setuid", "ask", f"setcap {caps[0]} gives the file privileged capabilities")
    return None


_NSENTER_VALUED = frozenset({"-t", "--target", "-S", "--setuid", "-G", "--setgroups"})


def _nsenter(judge: Scope, call: Call) -> Verdict | None:
    """`nsenter -t 1 -m -u -i -n -p sh` enters the host's namespaces from a container;
    the command it runs is judged as if typed."""
    args = call.argv
    target = None
    j = 0
    while j < len(args) and args[j].startswith("-") and args[j] != "--":
        name, eq, value = args[j].partition("=")
        if name in _NSENTER_VALUED and not eq:
            value = args[j + 1] if j + 1 < len(args) else ""
            j += 1
        elif name.startswith("-t") and len(name) > 2 and not name.startswith("--"):
            name, value = "-t", name[2:]
        if name in ("-t", "--target"):
            target = value
        j += 1
    j += 1 if args[j : j + 1] == ["--"] else 0
    verdicts: list[Verdict | None] = []
    if target == "1" or "-a" in args or "--all" in args:
        reason = "nsenter enters the namespaces of PID 1, the host's"
        verdicts.append(judge.verdict("container-escape", "ask", reason))
    if args[j:]:
        verdicts.append(judge.inner(" ".join(quote(a) for a in args[j:])))
    return worst(verdicts)


_RSYNC_VALUED = frozenset(
    {"-e", "--rsh", "-f", "--filter", "--exclude", "--include", "--files-from", "--password-file",
     "--log-file", "--port", "--chmod", "--chown", "-T", "--temp-dir", "--backup-dir", "--link-dest",
     "--compare-dest", "--copy-dest", "-M", "--remote-option"}
)


def _rsync(judge: Scope, call: Call) -> Verdict | None:
    """`rsync --delete SRC DEST` deletes whatever DEST has that SRC lacks: with an empty
    SRC, all of DEST. DEST is judged as a recursive delete target (`--del`, `--delet`:
    rsync takes any unambiguous prefix); a dry run (`-n`) deletes nothing. The whole
    repository copied to another machine (`rsync -az ./ host:/srv/copy/`) is asked."""
    args = call.args
    dry = "--dry-run" in call.argv or has_short([a for a in call.argv if a not in _RSYNC_VALUED], "n")
    copied = None if dry else _rsync_repo(judge, args)
    if not dry and any(w.text.startswith("--remove") for w in args):  # --remove-source-files
        copied = worst([copied, _moved_away(judge, call)])
    if not any(w.text.startswith("--del") for w in args) or dry:
        return copied  # nothing deleted, or only listed
    places = _rsync_places(args)
    if len(places) < 2 or ":" in places[-1].text.split("/", 1)[0]:
        return copied  # a remote destination is another machine's (a deploy: `dist/ host:/srv/www/`)
    target = places[-1]
    return delete_targets(judge, Call("rm", [target], call.command), [target], True)


def _moved_away(judge: Scope, call: Call) -> Verdict | None:
    """`rsync --remove-source-files SRC… DEST` deletes each source file it copied: the
    sources are judged as `mv` would move them (a remote destination takes them off this
    machine all the same)."""
    from agentops_os.guard.rules_delete import RULES as DELETES

    places = [w for w in _rsync_places(call.args) if not _remote(w.text)]
    if len(places) < 1:
        return None
    destination = _rsync_places(call.args)[-1]
    sources = [w for w in places if w is not destination]
    if not sources:
        return None
    local = destination if not _remote(destination.text) else Word("/nonexistent-remote-destination/")
    return DELETES["mv"](judge, Call("mv", [*sources, local], call.command, call.via))


def _rsync_repo(judge: Scope, args: list[Word]) -> Verdict | None:
    places = _rsync_places(args)
    if len(places) < 2 or not _remote(places[-1].text):
        return None
    from agentops_os.guard.repoexport import copies_repo

    return copies_repo(judge, "rsync", places[:-1], [w.text for w in args])


def _remote(text: str) -> bool:
    """`host:path`, `user@host:path`, `rsync://host/…` (not `./a:b`)."""
    return text.startswith("rsync://") or ":" in text.split("/", 1)[0]


def _rsync_places(args: list[Word]) -> list[Word]:
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
    return places


_ENV_DUMPS = frozenset({"env", "printenv", "set", "export", "declare"})


def exfiltration(judge: Scope, call: Call) -> Verdict | None:
    """`env | curl --data-binary @- …`, `printenv | nc host 80`, `curl -d "$(env)" …`: the
    whole environment (tokens included) sent over the network."""
    commands = [*call.upstream, *_sub_commands(call)]
    for command in commands:  # `-d "$(env)"`, `--data @<(printenv)`
        if command.words and command.words[0].text.rsplit("/", 1)[-1] in _ENV_DUMPS:
            source = command.words[0].text  # e.g. env
            reason = f"{call.name} sends the output of {source}, every token in the environment, out"
            return judge.verdict("exfiltration", "ask", reason)
    from agentops_os.guard.repoexport import piped_archive  # `git bundle create - --all | curl -T - URL`

    return piped_archive(judge, call.name, commands)



RULES = {
    "rsync": _rsync,
    "crontab": _crontab,
    "at": _at,
    "batch": _at,
    "systemctl": _service,
    "launchctl": _service,
    "pkill": _pkill,
    "killall": _pkill,
    "docker": _containers,
    "podman": _containers,
    "nerdctl": _containers,
    "setcap": _setcap,
    "nsenter": _nsenter,
}
