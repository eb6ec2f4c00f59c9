"""The judging scope shared by every rule (see `Scope`)."""

from __future__ import annotations

import os

from agentops_os.guard.policy import Policy, path_matches
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing/pathlib stay off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from agentops_os.guard.shell import Word

DEVICES_OK = (
    "/dev/null",
    "/dev/stdout",
    "/dev/stderr",
    "/dev/tty",
    "/dev/zero",
    "/dev/random",
    "/dev/urandom",
    "/dev/fd/",
)
DISKS = (
    "/dev/sd",
    "/dev/hd",
    "/dev/nvme",
    "/dev/disk",
    "/dev/mmcblk",
    "/dev/vd",
    "/dev/xvd",
    "/dev/md",
    "/dev/mapper/",
    "/dev/rdisk",
)


class Scope:
    """What a rule may know and ask while judging one call: the policy, the repository
    root, the current directory (it moves with `cd`), home, and path and git helpers.
    `inner` judges a command line found inside another (`sh -c`, here-documents, code):
    the dispatcher sets it, so that rule modules never import the dispatcher."""

    def __init__(
        self, policy: Policy, root: str | Path, cwd: str | Path | None = None, home: str | None = None
    ) -> None:
        self.policy = policy
        self.root = os.path.realpath(str(root))
        # None once a `cd` went somewhere the guard cannot tell: relative paths are unknown then.
        self.cwd: str | None = os.path.realpath(str(cwd)) if cwd else self.root
        self.home = (home or os.path.expanduser("~")).rstrip("/") or "/"
        self._git_cache: dict[tuple[str, ...], str | None] = {}
        self.inner: Callable[[str], Verdict] = _no_inner
        self.assigned: set[str] = set()  # variables the command line itself sets (not known)
        self.downloaded: set[str] = set()  # files an earlier command of the line downloads
        self.links: dict[str, str] = {}  # symlinks an earlier command of the line makes -> target
        self.renamed: dict[str, int] = {}  # directory -> tracked files an earlier `rename` renamed there
        # what an earlier call of the line sets up for a later one, by kind: git aliases
        # ("aliases") and remotes ("remotes"), destroy plans, archives of the repository
        self.git_line: dict[str, dict[str, str]] = {}

    # -- building blocks -----------------------------------------------------------------
    def line_notes(self, kind: str) -> dict[str, str]:
        """What earlier calls of this command line noted under `kind` (forgotten before
        the next tool call, with the rest of the line's state)."""
        return self.git_line.setdefault(kind, {})

    def verdict(self, rule: str, decision: str, reason: str) -> Verdict | None:
        if rule in self.policy.disabled_rules:
            return None
        return Verdict(decision, reason, rule)

    def resolve(
        self,
        text: str,
        cwd: str | None = None,
        *,
        dynamic: bool = False,
        quoted: bool = False,
        tilde: bool | None = None,
    ) -> str | None:
        """Absolute normalised path for `text` as bash would expand it; None when it
        depends on something the guard cannot know (a variable, `~user` of no such user,
        `cd -` history, a relative path after a `cd` it could not follow)."""
        if dynamic:
            expanded = self._expand_variables(text, cwd)
            if expanded is None or "$" in expanded or "`" in expanded:
                return None
            text = expanded
        if (tilde if tilde is not None else not quoted) and text.startswith("~"):
            head, sep, rest = text[1:].partition("/")
            if head == "":
                text = self.home + sep + rest
            elif head == "+":
                base = cwd or self.cwd
                if base is None:
                    return None
                text = base + sep + rest
            elif head == "-":
                return None  # $OLDPWD: not known here
            else:
                import pwd  # ~user; a built-in module, cheap

                try:
                    text = pwd.getpwnam(head).pw_dir + sep + rest
                except (KeyError, ValueError):
                    return None  # bash leaves an unknown ~user literal; treat as unknown
        if not text:
            return None
        base = cwd or self.cwd
        if base is None and not os.path.isabs(text):
            return None
        path = os.path.normpath(os.path.join(base or "/", text))
        if path.startswith("//"):
            path = "/" + path.lstrip("/")
        if self.links:
            path = self._through_links(path, text.endswith("/"))
        # Resolve symlinks in the parent (macOS /tmp -> /private/tmp) so paths compare with
        # the real repository root; the last part stays as written (`rm link` removes the link).
        if text.endswith("/"):  # `rm -rf link/` follows the link
            return os.path.realpath(path)
        parent, name = os.path.split(path)
        if parent and name:
            real = os.path.realpath(parent)
            if real != parent:
                path = os.path.join(real, name)
        return path

    def _through_links(self, path: str, follow: bool) -> str:
        """`path` with a link made earlier in the line replaced by its target: inside the
        link (`link/x`, `link/*`) or the link itself when followed (`link/`)."""
        for link, target in self.links.items():
            if path == link and follow:
                return target
            if path.startswith(link + os.sep):
                return os.path.normpath(target + path[len(link) :])
        return path

    def resolve_word(self, word: Word, cwd: str | None = None) -> str | None:
        return self.resolve(word.text, cwd, dynamic=word.dynamic, quoted=word.quoted, tilde=word.tilde)

    def _expand_variables(self, text: str, cwd: str | None) -> str | None:
        """$HOME, $PWD, $TMPDIR and $USER as the hook sees them (unless the command line
        set them itself: then `assigned` holds them and they are unknown)."""
        if "$" not in text:
            return text
        from agentops_os.guard.values import expand_references

        def lookup(name: str) -> str | None:
            return self.known_variable(name, cwd) if name not in self.assigned else None

        return expand_references(text, lookup)

    def known_variable(self, name: str, cwd: str | None = None) -> str | None:
        """The few variables whose value the hook knows as the command will see it."""
        if name == "HOME":
            return self.home
        if name == "PWD":
            return cwd or self.cwd
        if name == "TMPDIR":
            return os.environ.get("TMPDIR") or "/tmp"
        if name == "USER":
            return os.environ.get("USER")
        return None

    def inside_repo(self, path: str) -> bool:
        root = self.root
        return path == root or path.startswith(root + os.sep)

    def git(self, *args: str, cwd: str | None = None) -> str | None:
        """Output of a git command (cached per call); None when git fails."""
        key = (cwd or self.root, *args)
        if key not in self._git_cache:
            import subprocess  # only the few rules that need git state pay for this import

            try:
                proc = subprocess.run(
                    ["git", *args],
                    cwd=key[0],
                    capture_output=True,
                    text=True,
                    timeout=10,
                    env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
                )
                self._git_cache[key] = proc.stdout if proc.returncode == 0 else None
            except (OSError, subprocess.SubprocessError):
                self._git_cache[key] = None
        return self._git_cache[key]

    def current_branch(self) -> str | None:
        """HEAD read from the file system (no git process on the hook path)."""
        from agentops_os.base.gitmeta import current_branch

        return current_branch(self.root)

    # -- paths -----------------------------------------------------------------------------
    def is_secret(self, path: str) -> str | None:
        hit = self._secret_hit(path)
        if hit is None and any(c in os.path.basename(path) for c in "*?["):
            hit = self._secret_in_glob(path)
        return hit

    def _secret_hit(self, path: str) -> str | None:
        policy = self.policy
        hit = path_matches(path, policy.secret_files, self.root, self.home)
        if hit and not path_matches(path, policy.secret_exceptions, self.root, self.home):
            return hit
        return None

    def _secret_in_glob(self, path: str) -> str | None:
        """A glob (`cat ~/.aws/*`) names a secret file when a secret pattern anchored in
        its directory fits it (`~/.aws/credentials`, whether or not the file exists here)
        or when one of the files it matches today is secret. Like bash, `*` skips names
        that start with a dot."""
        from agentops_os.guard.globmatch import glob_match

        directory, pattern = os.path.split(path)
        if any(c in directory for c in "*?["):
            return None
        for secret in self.policy.secret_files:
            if not secret.startswith(("~/", "/")):
                continue
            place, name = os.path.split(self.home + secret[1:] if secret.startswith("~") else secret)
            example = name.replace("*", "x")
            if place == directory and _bash_glob(example, pattern, glob_match) \
                    and self._secret_hit(os.path.join(place, example)):
                return secret
        names = _listed(directory)
        for name in names:
            if _bash_glob(name, pattern, glob_match):
                hit = self._secret_hit(os.path.join(directory, name))
                if hit:
                    return hit
        return None

    def judge_read(self, path: str, how: str = "reads") -> Verdict | None:
        path = self.links.get(path, path)  # opening a link made earlier in the line opens its target
        hit = self.is_secret(path)
        if hit:
            return self.verdict(
                "secret-read",
                "deny",
                f"{how} secret file {self._show(path)} (matches guard.secret_files '{hit}')",
            )
        return None

    def judge_write(self, path: str, how: str = "writes") -> Verdict | None:
        path = self.links.get(path, path)  # `ln -sf ~/.bashrc n && echo … >> n` writes ~/.bashrc
        policy = self.policy
        shown = self._show(path)
        if path.startswith(DEVICES_OK):
            return None
        if path.startswith(DISKS):
            return self.verdict("disk-destroy", "deny", f"{how} the raw disk device {path}")
        if ".git" in path.split(os.sep):
            return self.verdict("git-metadata", "deny", f"{how} git metadata {shown} (.git/ is protected)")
        hit = self.is_secret(path)
        if hit:
            return self.verdict(
                "secret-write", "deny", f"{how} secret file {shown} (matches guard.secret_files '{hit}')"
            )
        if path == "/proc/sysrq-trigger":  # `echo b > /proc/sysrq-trigger` reboots at once
            return self.verdict("power", "ask", f"{how} {path}, which reboots, halts or crashes the kernel")
        hit = self._listed(path, policy.protected_paths, anchored=True)
        if hit:
            return self.verdict(
                "protected-write",
                "deny",
                f"{how} protected path {shown} (matches guard.protected_paths '{hit}')",
            )
        hit = self._listed(path, policy.ask_write_paths)
        if hit:
            return self.verdict(
                "ask-write", "ask", f"{how} {shown}, which needs a human yes (guard.ask_write_paths '{hit}')"
            )
        if policy.write_outside_repo == "allow" or self.inside_repo(path):
            return None
        allowed = path_matches(path, policy.write_outside_repo_allow, self.root, self.home)
        if policy.write_outside_repo != "sensitive":
            if allowed:
                return None
            return self.verdict(
                "write-outside-repo",
                policy.write_outside_repo,
                f"{how} {shown}, outside the repository {self.root}",
            )
        hit = self._most_specific(path, policy.write_outside_repo_sensitive)
        # In both lists (`~/.claude/plans/*` and `~/.*`; `/tmp/*` and `~/.*` for a home
        # under /tmp), the more specific glob decides: the longer one once `~` is expanded.
        allowed = allowed and self._most_specific(path, policy.write_outside_repo_allow)
        if hit and not (allowed and self._glob_length(allowed) > self._glob_length(hit)):
            return self.verdict(
                "write-outside-repo",
                "ask",
                f"{how} {shown}, outside the repository in a sensitive place "
                f"(guard.write_outside_repo_sensitive '{hit}')",
            )
        return None

    def _listed(self, path: str, patterns: list[str], anchored: bool = False) -> str | None:
        """The glob of `patterns` that `path` matches, or, for a glob path (`.agents/*`,
        `.agents/audit*`, what `find` hands `{}`), one that an entry it matches today
        does (as bash matches: `*` skips dot names); `anchored`: also a listed place in
        that directory, whether or not it exists here (`.agents/audit` for `.agents/a*`)."""
        hit = path_matches(path, patterns, self.root, self.home)
        directory, pattern = os.path.split(path)
        if hit or not any(c in pattern for c in "*?[") or any(c in directory for c in "*?["):
            return hit
        from agentops_os.guard.globmatch import glob_match

        for listed in patterns if anchored else ():
            if "/" not in listed.rstrip("/"):
                continue
            full = self.home + listed[1:] if listed.startswith("~/") else (
                listed if listed.startswith("/") else os.path.join(self.root, listed))
            place, name = os.path.split(full.removesuffix("/*"))
            if place == directory and not any(c in name for c in "*?[") \
                    and _bash_glob(name, pattern, glob_match):
                return listed

        names = _listed(directory)
        for name in names:
            if _bash_glob(name, pattern, glob_match):
                hit = path_matches(os.path.join(directory, name), patterns, self.root, self.home)
                if hit:
                    return hit
        return None

    def judge_named_write(self, name: str, how: str = "writes") -> Verdict | None:
        """A write whose directory the guard cannot compute (`> "$(python -c 'import site;
        …')/x.pth"`): judged on its file name alone, against the secret names and the
        distinctive names of protected and ask-write globs (`*.pth`, `.bashrc`; not a
        generic one such as `config`)."""
        from agentops_os.guard.globmatch import glob_match

        policy = self.policy
        for rule, decision, patterns in (("secret-write", "deny", policy.secret_files),
                                         ("protected-write", "deny", policy.protected_paths),
                                         ("ask-write", "ask", policy.ask_write_paths)):
            for pattern in patterns:
                if _names_file(pattern, name, glob_match):
                    where = f"guard.{_LIST_NAMES[rule]} '{pattern}'"
                    reason = f"{how} a file named {name} in a directory computed at run time ({where})"
                    return self.verdict(rule, decision, reason)
        return None

    def _most_specific(self, path: str, patterns: list[str]) -> str | None:
        hits = [p for p in patterns if path_matches(path, [p], self.root, self.home)]
        return max(hits, key=self._glob_length) if hits else None

    def _glob_length(self, pattern: str) -> int:
        return len(self.home) + len(pattern) - 1 if pattern.startswith("~/") else len(pattern)

    def _show(self, path: str) -> str:
        if self.inside_repo(path) and path != self.root:
            return os.path.relpath(path, self.root)
        if path.startswith(self.home + os.sep):
            return "~" + path[len(self.home) :]
        return path


def _no_inner(command: str) -> Verdict:
    """Until a dispatcher is attached, inner command lines cannot be judged: ask."""
    return Verdict("ask", f"cannot judge the inner command {command[:80]!r}", "unparseable")


_LIST_NAMES = {"secret-write": "secret_files", "protected-write": "protected_paths",
               "ask-write": "ask_write_paths"}
_MAX_LISTED = 5000  # entries of one directory looked at for a glob (the hook is a hot path)


def _bash_glob(name: str, pattern: str, glob_match: Callable[[str, str], bool]) -> bool:
    if name.startswith(".") and not pattern.startswith("."):
        return False  # `*` does not match dot files (no dotglob)
    return glob_match(name, pattern)


def _names_file(pattern: str, name: str, glob_match: Callable[[str, str], bool]) -> bool:
    """Whether the last part of `pattern` is distinctive (`*.pth`, `.bashrc`,
    `sitecustomize.py`, a bare name) and matches `name`."""
    last = pattern.rstrip("/").rsplit("/", 1)[-1]
    distinctive = "/" not in pattern or last.startswith((".", "*.")) or last.endswith("customize.py")
    return distinctive and last not in ("*", ".*") and glob_match(name, last)


def _listed(directory: str) -> list[str]:
    """The first names in `directory` (none when it is not one): enough to judge a glob."""
    try:
        return os.listdir(directory)[:_MAX_LISTED] if os.path.isdir(directory) else []
    except OSError:
        return []
