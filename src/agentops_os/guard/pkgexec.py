"""Package runners: `pnpm dlx PKG ARGS`, `yarn dlx PKG ARGS`, `npm exec [--] PKG ARGS`,
`npm x`, `bun x PKG ARGS`, `pnpm exec CMD`, `yarn exec CMD` run a package's program
(downloaded when it is not installed). Like `npx` (a wrapper unwrap.py peels), the
program and its arguments are judged as the command line they are: `pnpm dlx rimraf
--no-preserve-root /` is `rimraf --no-preserve-root /`. A version or scope in the package
spec names the same program (`@scope/del-cli@5` runs `del-cli`); a shell line given to
the runner (`npm exec -c 'CMD'`, `pnpm dlx -c 'CMD'`) is judged as written."""

from __future__ import annotations

from agentops_os.guard.rebuild import shell_line, shell_word
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

# the verbs that run a package's program, and whether their first operand is a package spec
RUNNERS: dict[str, dict[str, bool]] = {
    "npm": {"exec": True, "x": True},
    "pnpm": {"dlx": True, "exec": False},
    "yarn": {"dlx": True, "exec": False},
    "bun": {"x": True},
}
# options that take a value, before or after the verb
VALUED: dict[str, frozenset[str]] = {
    "npm": frozenset({"-w", "--workspace", "--prefix", "--registry", "--userconfig", "--globalconfig",
                      "--cache", "--loglevel", "-p", "--package", "--script-shell", "--node-options"}),
    "pnpm": frozenset({"--filter", "-F", "-C", "--dir", "--reporter", "--workspace-concurrency", "--loglevel",
                       "--package", "--resume-from", "--filter-prod", "--test-pattern"}),
    "yarn": frozenset({"--cwd", "-p", "--package"}),
    "bun": frozenset({"--cwd", "-p", "--package", "--config"}),
}  # fmt: skip


def verb_at(tool: str, args: list[Word]) -> int | None:
    """Where the verb is among `args`, after the tool's global options."""
    valued = VALUED.get(tool, frozenset())
    j = 0
    while j < len(args):
        text = args[j].text
        if not text.startswith("-"):
            return j
        j += 2 if text in valued else 1
    return None


def package_binary(judge: Scope, call: Call) -> Verdict | None:
    at = verb_at(call.name, call.args)
    if at is None:
        return None
    verb = call.args[at].text
    spec = RUNNERS.get(call.name, {}).get(verb)
    if spec is None:
        return None
    args = call.args[at + 1 :]
    valued = VALUED[call.name]
    packaged = False  # `--package X` names the package: the operand is then a program
    j = 0
    while j < len(args):
        text = args[j].text
        name, eq, value = text.partition("=")
        if text == "--":
            j += 1
            break
        if not text.startswith("-"):
            break
        if name in ("-c", "--call"):
            shell = value if eq else args[j + 1].text if j + 1 < len(args) else ""
            if call.name == "pnpm":  # pnpm's `-c` is a switch: the operands are one shell line
                shell = " ".join(w.text for w in args[j + 1 :])
            return _judged(judge, call, f"{call.name} {verb} -c", shell)
        if name == "--shell-mode":
            return _judged(judge, call, f"{call.name} {verb} -c", " ".join(w.text for w in args[j + 1 :]))
        packaged = packaged or name in ("-p", "--package")
        j += 2 if text in valued else 1
    if j >= len(args):
        return None
    program = args[j].text
    if spec and not packaged:
        program = binary_of(program)
    line = shell_line(shell_word(_word(args[j], program)), args[j + 1 :])
    return _judged(judge, call, f"{call.name} {verb}", line)


def binary_of(spec: str) -> str:
    """The program a package spec runs: `rimraf@5` -> rimraf, `@scope/del-cli@5` ->
    del-cli, `github:user/tool#main` -> tool; a path stays as written."""
    if spec.startswith((".", "/")):
        return spec
    if ":" in spec:
        spec = spec.rsplit(":", 1)[1].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
    elif spec.startswith("@"):
        spec = spec.split("/", 1)[-1]
    name = spec.split("@", 1)[0] or spec
    return _BINARIES.get(name, name)


# packages whose program has another name
_BINARIES = {"trash-cli": "trash", "typescript": "tsc", "npm-check-updates": "ncu"}


def _word(original: Word, text: str) -> Word:
    from agentops_os.guard.shell import Word

    return Word(text, original.quoted, original.dynamic, original.glob, tilde=original.tilde)


def _judged(judge: Scope, call: Call, how: str, line: str) -> Verdict | None:
    if not line.strip():
        return None
    verdict = judge.inner(line)
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{how} runs `{line[:60]}`: {verdict.reason}", verdict.rule)
