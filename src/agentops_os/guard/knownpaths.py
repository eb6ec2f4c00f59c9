"""Command substitutions that only print a well-known directory, put in as that directory.

`cp hook.pth $(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/` writes
a `.pth` file into site-packages, which Python runs at every start, and `sp=$(python3 -m site
--user-site); echo … > "$sp/agentops_os/hooks/__init__.py"` replaces ao's own hook: the
target is computed, so without this the write is judged as going somewhere unknown (and
passes). The printers are recognised by their exact shape (an interpreter asked for one of
its install directories, `npm root -g`, `git rev-parse --git-path hooks`), never by running
them; anything else in the code leaves the substitution unknown, as before.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.shell import Token, Word

# What Python prints for each of the ways to ask it for an install directory.
_SITE_EXPRESSIONS = {
    'sysconfig.get_paths()["purelib"]': "site",
    'sysconfig.get_paths()["platlib"]': "site",
    'sysconfig.get_path("purelib")': "site",
    'sysconfig.get_path("platlib")': "site",
    "site.getsitepackages()[0]": "site",
    "site.getsitepackages()[-1]": "site",
    "site.getusersitepackages()": "user",
    "site.USER_SITE": "user",
    "distutils.sysconfig.get_python_lib()": "site",
    "get_python_lib()": "site",
}
_IMPORTS = ("import sysconfig", "import site", "import sys", "import distutils.sysconfig",
            "from distutils.sysconfig import get_python_lib")  # fmt: skip


def printed_directory(tokens: list[Token], home: str) -> str | None:
    """The directory the substitution `tokens` prints, or None when it is not one of the
    known printers."""
    from agentops_os.guard.shell import ShellSyntaxError, commands_of

    try:
        commands = commands_of(tokens)
    except ShellSyntaxError:
        return None
    if len(commands) != 1 or commands[0].redirects or commands[0].upstream:
        return None
    words = [w.text for w in commands[0].words]
    if any(w.dynamic or w.subs for w in commands[0].words) or not words:
        return None
    program = os.path.basename(words[0])
    if program.startswith("python"):
        if words[1:] == ["-m", "site", "--user-site"]:
            return _site("user", home)
        if len(words) == 3 and words[1] == "-c":
            kind = _code_directory(words[2])
            return _site(kind, home) if kind else None
    if program in ("npm", "pnpm") and words[1:] in (["root", "-g"], ["root", "--global"]):
        return "/usr/lib/node_modules"
    if program == "git" and words[1:2] == ["rev-parse"]:
        return _git_directory(words[2:])
    return None


def _git_directory(options: list[str]) -> str | None:
    """What `git rev-parse` prints for the repository's own directory (`--git-dir`: `.git`;
    `--git-path hooks`: `.git/hooks`), relative to where it runs, as git prints it in the
    work tree of an ordinary repository."""
    if options in (["--git-dir"], ["--git-common-dir"], ["--absolute-git-dir"]):
        return ".git"
    if len(options) == 2 and options[0] == "--git-path" and not options[1].startswith("-"):
        return os.path.join(".git", options[1])
    return None


def _code_directory(code: str) -> str | None:
    """'site' or 'user' when `code` is imports and one print of an install directory."""
    statements = [s.strip() for s in code.replace("\n", ";").split(";") if s.strip()]
    if not statements or not all(s in _IMPORTS for s in statements[:-1]):
        return None
    last = statements[-1].replace("'", '"').replace(" ", "")
    if not (last.startswith("print(") and last.endswith(")")):
        return None
    return _SITE_EXPRESSIONS.get(last[len("print(") : -1])


def _site(kind: str, home: str) -> str:
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if kind == "user":
        return os.path.join(home, ".local", "lib", version, "site-packages")
    return os.path.join(sys.prefix, "lib", version, "site-packages")


def resolve_word(word: Word, home: str) -> Word | None:
    """`word` with each of its `$(...)` replaced by the directory it prints, or None when
    one of them is not a known printer (or the word holds other kinds of substitution)."""
    from agentops_os.guard.shell import ShellSyntaxError, Word, _matching

    text = word.text
    if word.feeds or "`" in text or text.count("$(") != len(word.subs) or "$((" in text:
        return None
    out: list[str] = []
    at = 0
    for tokens in word.subs:
        start = text.find("$(", at)
        try:
            end = _matching(text, start + 1, "(", ")")
        except ShellSyntaxError:
            return None
        directory = printed_directory(tokens, home)
        if directory is None:
            return None
        out.append(text[at:start] + directory)
        at = end + 1
    out.append(text[at:])
    resolved = "".join(out)
    return Word(resolved, word.quoted, "$" in resolved, word.glob, [], False)
