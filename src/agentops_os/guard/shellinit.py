"""`eval "$(pyenv init -)"`: tools whose output is meant for eval print their own shell
setup. Evaluating that is everyday shell configuration, not code the guard cannot see,
so unwrap lets it pass (the substituted command itself is still judged)."""

from __future__ import annotations

import os

from agentops_os.guard.shell import ShellSyntaxError, Word, commands_of

# Tools whose output is meant for `eval`: they print their own shell setup.
_SHELL_INIT = {
    "pyenv": ("init", "virtualenv-init"),
    "rbenv": ("init",),
    "nodenv": ("init",),
    "jenv": ("init",),
    "goenv": ("init",),
    "plenv": ("init",),
    "direnv": ("hook",),
    "starship": ("init",),
    "zoxide": ("init",),
    "atuin": ("init",),
    "mcfly": ("init",),
    "oh-my-posh": ("init",),
    "fnm": ("env",),
    "mise": ("activate", "env"),
    "rtx": ("activate",),
    "conda": ("shell.bash", "shell.zsh", "shell.fish", "shell.posix"),
    "micromamba": ("shell",),
    "brew": ("shellenv",),
    "devbox": ("shellenv",),
    "pixi": ("shell-hook",),
    "opam": ("env",),
    "luarocks": ("path",),
    "minikube": ("docker-env", "podman-env"),
    "docker-machine": ("env",),
    "ssh-agent": ("", "-s", "-c"),
    "dircolors": ("", "-b"),
    "thefuck": ("--alias",),
    "keychain": ("--eval",),
    "register-python-argcomplete": ("*",),
    "kubectl": ("completion",),
    "helm": ("completion",),
    "gh": ("completion",),
    "pip": ("completion",),
    "uv": ("generate-shell-completion",),
    "npm": ("completion",),
}


def shell_init(rest: list[Word]) -> bool:
    """`eval "$(pyenv init -)"`, `eval $(ssh-agent -s)`: one substitution of one
    well-known tool asked for its shell setup."""
    if len(rest) != 1 or len(rest[0].subs) != 1 or not rest[0].text.startswith(("$(", "`")):
        return False
    try:
        inner = commands_of(rest[0].subs[0])
    except ShellSyntaxError:
        return False
    if len(inner) != 1 or inner[0].upstream or any(w.dynamic for w in inner[0].words):
        return False
    argv = [w.text for w in inner[0].words]
    program = os.path.basename(argv[0]) if argv else ""
    expected = _SHELL_INIT.get(program)
    if expected is None:
        return False
    first = next((a for a in argv[1:] if not a.startswith("-") or a in expected), "")
    return "*" in expected or first in expected
