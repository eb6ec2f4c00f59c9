"""Where an installer is told to put what it installs: a write into that directory.

`pip install --target /usr/lib/python3/dist-packages x`, `python setup.py install
--prefix=/usr`, `npm install --prefix /usr/lib x`, `cargo install --root /usr`, `gem
install -i /usr/lib/ruby x`, `make install PREFIX=/usr` and `cmake --install b --prefix
/usr` write files of unknown names there, so each directory is judged as intodir judges
an extraction target: system directories are protected, the home's dot-directories
sensitive, the repository (`--target ./vendor`) and /tmp pass. Installing for the user
(`pip install --user`, plain `pip install` in a virtualenv) names no directory and is
left alone."""

from __future__ import annotations

from agentops_os.guard.argv import long_options
from agentops_os.guard.intodir import judge_into_word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

# pip's install options, spelled out so that an abbreviation (optparse accepts any
# unambiguous prefix: `--tar DIR`) is read as the option it is, and `--pre` stays `--pre`.
_PIP_LONG = (
    "--target", "--prefix", "--root", "--pre", "--prefer-binary", "--progress-bar", "--platform",
    "--python-version", "--python", "--proxy", "--root-user-action", "--report", "--require-hashes",
    "--requirement", "--require-virtualenv", "--retries", "--resume-retries", "--timeout", "--trusted-host",
    "--src", "--user", "--upgrade", "--upgrade-strategy", "--editable", "--constraint", "--config-settings",
)  # fmt: skip
_SETUP_LONG = (
    "--prefix", "--exec-prefix", "--home", "--root", "--install-base", "--install-platbase",
    "--install-purelib", "--install-platlib", "--install-lib", "--install-headers", "--install-scripts",
    "--install-data", "--install-dir", "--script-dir", "--user", "--record", "--force", "--optimize",
    "--compile", "--no-compile", "--skip-build", "--single-version-externally-managed", "--exclude-scripts",
    "--always-copy", "--build-directory", "--editable", "--egg-path", "--multi-version", "--upgrade",
)  # fmt: skip
_SETUP_DIRS = frozenset({
    "--prefix", "--exec-prefix", "--home", "--root", "--install-base", "--install-platbase",
    "--install-purelib", "--install-platlib", "--install-lib", "--install-headers", "--install-scripts",
    "--install-data", "--install-dir", "--script-dir"})  # fmt: skip
# make variables that name where `make install` puts files
_MAKE_DIRS = frozenset({"PREFIX", "prefix", "DESTDIR", "BINDIR", "bindir", "LIBDIR", "libdir", "INSTALL_DIR",
                        "exec_prefix", "EXEC_PREFIX", "sysconfdir", "SYSCONFDIR"})  # fmt: skip


def option_values(args: list[Word], longs: frozenset[str], shorts: str = "") -> list[tuple[Word, str | None]]:
    """The values of the options `longs` (`--x=V`, `--x V`) and single letters `shorts`
    (`-tV`, `-t V`): each as (word, text after the option) or (the next word, None)."""
    found: list[tuple[Word, str | None]] = []
    for k, word in enumerate(args):
        text = word.text
        if text == "--":
            break
        name, eq, value = text.partition("=")
        nxt = args[k + 1] if k + 1 < len(args) else None
        if name in longs:
            if eq:
                found.append((word, value))
            elif nxt is not None:
                found.append((nxt, None))
        elif text[:1] == "-" and text[1:2] in shorts and text[1:2] != "" and not text.startswith("--"):
            if text[2:]:
                found.append((word, text[2:]))
            elif nxt is not None:
                found.append((nxt, None))
    return found


def _into(judge: Scope, values: list[tuple[Word, str | None]], how: str) -> Verdict | None:
    return worst([judge_into_word(judge, word, text, how) for word, text in values])


def _respelled(args: list[Word], known: tuple[str, ...]) -> list[Word]:
    from agentops_os.guard.shell import Word

    texts = long_options([w.text for w in args], known)
    return [Word(t, w.quoted, w.dynamic, w.glob, tilde=w.tilde) for t, w in zip(texts, args, strict=True)]


def pip(judge: Scope, call: Call) -> Verdict | None:
    """`pip install`, `uv pip install` (and `sync`) into `--target`, `--prefix`, `--root`."""
    argv = call.argv
    verb = 2 if call.name == "uv" else 1
    if call.name == "uv" and argv[:1] != ["pip"] or argv[verb - 1 : verb] not in (["install"], ["sync"]):
        return None
    args = _respelled(call.args[verb:], _PIP_LONG)
    values = option_values(args, frozenset({"--target", "--prefix", "--root"}), "t")
    return _into(judge, values, f"{call.name} installs into")


def setup_py(judge: Scope, call: Call) -> Verdict | None:
    """`python setup.py install --prefix=/usr` (also `--root`, `--home`, `--install-*`,
    and `develop`/`easy_install --install-dir`)."""
    argv = call.argv
    at = next((k for k, a in enumerate(argv) if a.rsplit("/", 1)[-1] == "setup.py"), None)
    if at is None or not {"install", "develop", "easy_install"} & set(argv[at + 1 :]):
        return None
    args = _respelled(call.args[at + 1 :], _SETUP_LONG)
    return _into(judge, option_values(args, _SETUP_DIRS, "d"), "setup.py installs into")


_NPM_INSTALLS = frozenset({"install", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isntall", "add",
                           "ci", "update", "up", "upgrade", "link", "ln"})  # fmt: skip


def npm(judge: Scope, call: Call) -> Verdict | None:
    """`npm install --prefix DIR` (or `-g --prefix DIR`) installs into DIR/node_modules or
    DIR/lib/node_modules and DIR/bin."""
    if not _NPM_INSTALLS & {a for a in call.argv if not a.startswith("-")}:
        return None
    return _into(judge, option_values(call.args, frozenset({"--prefix"})), "npm installs into")


def cargo(judge: Scope, call: Call) -> Verdict | None:
    if call.argv[:1] != ["install"]:
        return None
    return _into(judge, option_values(call.args, frozenset({"--root"})), "cargo installs into")


def gem(judge: Scope, call: Call) -> Verdict | None:
    if call.argv[:1] not in (["install"], ["update"]):
        return None
    values = option_values(call.args, frozenset({"--install-dir", "--bindir"}), "in")
    return _into(judge, values, "gem installs into")


def make(judge: Scope, call: Call) -> Verdict | None:
    """`make install PREFIX=/usr`, `DESTDIR=/`: the install targets write there."""
    argv = call.argv
    if not any(a.startswith("install") for a in argv if "=" not in a and not a.startswith("-")):
        return None
    values: list[tuple[Word, str | None]] = []
    for word in call.args:
        name, eq, value = word.text.partition("=")
        if eq and name in _MAKE_DIRS and value:
            values.append((word, value))
    return _into(judge, values, f"{call.name} install writes into")


def cmake(judge: Scope, call: Call) -> Verdict | None:
    """`cmake --install build --prefix /usr`."""
    if "--install" not in call.argv:
        return None
    return _into(judge, option_values(call.args, frozenset({"--prefix"})), "cmake installs into")
