"""Substitutions that only print a well-known directory (Python's site-packages, npm's global
root) stand for that directory, and a copy into a directory writes each source under its
own name there: a `.pth` or a replaced ao module in site-packages is judged as the write it is."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from agentops_os.guard.knownpaths import printed_directory
from agentops_os.guard.shell import tokenize

Bash = Callable[[str], tuple[str, str]]

PURELIB = "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])')"
USER_SITE = "$(python3 -m site --user-site)"


@pytest.mark.parametrize(
    ("command", "decision"),
    [
        (f"sp={PURELIB}; printf 'def main(*a):\\n    return 0\\n' "
         "> \"$sp/agentops_os/hooks/__init__.py\"", "deny"),
        (f"cp /tmp/hook.pth {PURELIB}/", "ask"),
        (f'cp /tmp/hook.pth "{USER_SITE}/"', "ask"),
        (f"cp -t {PURELIB} /tmp/evil.pth", "ask"),
        ("echo 'import os' > $(python -c 'import site; print(site.getsitepackages()[0])')/x.pth", "ask"),
        (f"tee {PURELIB}/sitecustomize.py < /tmp/s.py", "ask"),
    ],
)
def test_writes_into_a_printed_install_directory_are_judged(bash: Bash, command: str, decision: str) -> None:
    assert bash(command)[0] == decision, command


@pytest.mark.parametrize(
    "command",
    [
        f"ls {PURELIB}",
        f'du -sh "{USER_SITE}"',
        "python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"])'",
        "cp README.md docs/",
        "cp -r templates/ build/",
    ],
)
def test_reading_those_directories_and_everyday_copies_pass(bash: Bash, command: str) -> None:
    assert bash(command)[0] == "allow", command


@pytest.mark.parametrize(
    ("substitution", "kind"),
    [
        ("python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"platlib\"])'", "site"),
        ("python -c \"import site; print(site.getusersitepackages())\"", "user"),
        ("python3.11 -m site --user-site", "user"),
        ("npm root -g", "node"),
        # anything more than a print of the directory stays unknown
        ("python3 -c 'import os; os.system(\"id\"); print(1)'", None),
        ("python3 -c 'import sysconfig; print(sysconfig.get_paths()[\"purelib\"]); import os'", None),
        ("python3 -m site", None),
        ("cat /tmp/dir.txt", None),
    ],
)
def test_only_the_exact_printers_are_recognised(substitution: str, kind: str | None) -> None:
    found = printed_directory(tokenize(substitution), "/home/u")
    if kind is None:
        assert found is None
    elif kind == "user":
        assert found is not None and found.startswith("/home/u/.local/lib/python")
        assert found.endswith("site-packages")
    elif kind == "site":
        assert found is not None and found.endswith("site-packages")
    else:
        assert found == "/usr/lib/node_modules"
