"""Environment variables that make an interpreter load a file of code before its program.

`NODE_OPTIONS='--require /tmp/a.js' npm test` runs `/tmp/a.js` inside every node the tests
start; so do `--import`/`--loader` modules, `RUBYOPT=-r/tmp/x.rb`, a Java agent
(`JAVA_TOOL_OPTIONS=-javaagent:/tmp/a.jar`) and the start-up file of a non-interactive bash
(`BASH_ENV`) or of sh (`ENV`). The file is judged like a preloaded library (linerun): one this
command line downloads is `pipe-to-shell` (deny), one it writes is asked, and one outside
the repository and the system's directories is asked, since it is code the guard cannot
see; a file of the repository or a module name (`--require ts-node/register`) passes.
"""

from __future__ import annotations

import os

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word

CODE_VARIABLES = ("NODE_OPTIONS=", "BASH_ENV=", "ENV=", "RUBYOPT=", "JAVA_TOOL_OPTIONS=", "_JAVA_OPTIONS=",
                  "JDK_JAVA_OPTIONS=")  # fmt: skip
_NODE_LOADERS = ("--require", "-r", "--import", "--loader", "--experimental-loader")
_JAVA_AGENTS = ("-javaagent:", "-agentpath:")
# the user's own start-up files (`BASH_ENV=~/.bashrc bash -c …` gives a script the login setup)
_OWN_RC = (".bashrc", ".bash_profile", ".profile", ".zshrc", ".zshenv", ".kshrc", ".shrc")
_SYSTEM = ("/usr/", "/opt/homebrew/", "/lib/", "/nix/store/")


def loaded_files(name: str, value: str) -> list[str]:
    """The files the variable `name` set to `value` makes its interpreter load."""
    words = value.split()
    found: list[str] = []
    if name in ("BASH_ENV", "ENV"):
        found = [value.strip()]
    for k, word in enumerate(words):
        following = words[k + 1] if k + 1 < len(words) else ""
        if name in ("BASH_ENV", "ENV"):
            break
        if name == "NODE_OPTIONS":
            option, eq, inline = word.partition("=")
            if option in _NODE_LOADERS:
                found.append(inline if eq else following)
        elif name == "RUBYOPT":
            if word == "-r":
                found.append(following)
            elif word.startswith("-r"):
                found.append(word[2:])
        else:  # the Java options
            for agent in _JAVA_AGENTS:
                if word.startswith(agent):
                    found.append(word[len(agent):].split("=", 1)[0])
    # a module name is looked up where the interpreter keeps its modules
    return [f for f in found if "/" in f or f.startswith(".")]


def judge_code_variable(judge: Scope, word: Word, downloaded: object, written: object) -> Verdict | None:
    """`downloaded(path)` and `written(path)`: whether this command line made the file (as
    linerun's `from_download` and `written_text` tell)."""
    from agentops_os.guard.verdict import worst

    name, _, value = word.text.partition("=")
    if word.dynamic:
        loads = any(loader in value for loader in (*_NODE_LOADERS, *_JAVA_AGENTS))
        if loads or name == "BASH_ENV":  # `ENV=$STAGE` is mostly an app setting
            return judge.verdict("unresolved-command", "ask",
                                 f"{name} makes the interpreter load code the guard cannot know in advance")
        return None
    verdicts: list[Verdict | None] = []
    for part in loaded_files(name, value):
        path = judge.resolve(part, tilde=not word.quoted)
        if path is None:
            continue
        shown = os.path.relpath(path, judge.root) if judge.inside_repo(path) else path
        if downloaded(path):  # type: ignore[operator]
            verdicts.append(judge.verdict(
                "pipe-to-shell", "deny", f"{name} loads {shown}, which this command line downloads, as code"))
        elif written(path) is not None:  # type: ignore[operator]
            verdicts.append(judge.verdict(
                "pipe-to-shell", "ask", f"{name} loads {shown}, which this command line writes, as code"))
        elif not judge.inside_repo(path) and not path.startswith(_SYSTEM) \
                and path not in [os.path.join(judge.home, rc) for rc in _OWN_RC]:
            verdicts.append(judge.verdict(
                "unresolved-command", "ask",
                f"{name} loads {shown} as code before the program, code the guard cannot see "
                f"(outside the repository)"))
    return worst(verdicts)
