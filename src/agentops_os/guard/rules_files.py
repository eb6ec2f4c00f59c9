"""Writes and reads through shell commands: cp/tee/sed -i/dd/touch targets,
redirections, secret reads, and curl/wget uploads, downloads and URLs."""

from __future__ import annotations

from agentops_os.guard.argv import flag_set, operands
from agentops_os.guard.shell import WRITE_REDIRECTS, Command, Word
from agentops_os.guard.urls import judge_url
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call


def write_targets(
    judge: Scope,
    call: Call,
    *,
    last: bool = False,
    skip_first: bool = False,
    valued: frozenset[str] = frozenset(),
) -> Verdict | None:
    args = call.args
    targets: list[Word] = []
    for j, word in enumerate(args):
        if word.text in ("-t", "--target-directory") and j + 1 < len(args):
            targets.append(args[j + 1])
        elif word.text.startswith("--target-directory="):
            targets.append(Word(word.text.split("=", 1)[1]))
    positional = operands(args, valued)
    if not targets:
        if last:
            targets = positional[-1:] if len(positional) > 1 else []
        else:
            targets = positional[1:] if skip_first else positional
    verdicts = []
    for word in targets:
        path = judge.resolve_word(word)
        if path is not None:
            verdicts.append(judge.judge_write(path, f"{call.name} writes"))
    return worst(verdicts)


def _cp(judge: Scope, call: Call) -> Verdict | None:
    return worst([write_targets(judge, call, last=True), reads(judge, call, skip_last=True)])


def _tee(judge: Scope, call: Call) -> Verdict | None:
    return write_targets(judge, call)


def _sed(judge: Scope, call: Call) -> Verdict | None:
    flags = flag_set(call.args)
    if not ({"i", "--in-place"} & flags or any(w.text.startswith("--in-place") for w in call.args)):
        return reads(judge, call, skip_first=True)
    explicit = any(w.text in ("-e", "-f", "--expression", "--file") for w in call.args)
    return write_targets(
        judge, call, skip_first=not explicit, valued=frozenset({"-e", "-f", "--expression", "--file"})
    )


def _dd(judge: Scope, call: Call) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    for word in call.args:
        if word.text.startswith("of="):
            path = judge.resolve(word.text[3:], dynamic=word.dynamic, quoted=word.quoted)
            if path:
                verdicts.append(judge.judge_write(path, "dd writes"))
        elif word.text.startswith("if="):
            path = judge.resolve(word.text[3:], dynamic=word.dynamic, quoted=word.quoted)
            if path:
                verdicts.append(judge.judge_read(path, "dd reads"))
    return worst(verdicts)


def reads(judge: Scope, call: Call, *, skip_first: bool = False, skip_last: bool = False) -> Verdict | None:
    positional = operands(call.args)
    if call.name in ("grep", "egrep", "fgrep", "rg", "ag", "awk", "jq", "yq") and not any(
        w.text in ("-e", "-f", "--regexp", "--file") for w in call.args
    ):
        skip_first = True
    if skip_first:
        positional = positional[1:]
    if skip_last:
        positional = positional[:-1]
    verdicts = []
    for word in positional:
        text = word.text.split(":", 1)[1] if call.name in ("scp", "rsync") and ":" in word.text else word.text
        path = judge.resolve(text, dynamic=word.dynamic, quoted=word.quoted)
        if path is not None:
            verdicts.append(judge.judge_read(path, f"{call.name} reads"))
    return worst(verdicts)


def redirects(judge: Scope, command: Command) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    for redirect in command.redirects:
        target = redirect.target
        if target is None or redirect.op in ("<<", "<<-", "<<<", ">&", "<&"):
            continue
        path = judge.resolve_word(target)
        if path is None:
            continue
        if redirect.op in WRITE_REDIRECTS:
            verdicts.append(judge.judge_write(path, "a redirection writes"))
        if redirect.op in ("<", "<>"):
            verdicts.append(judge.judge_read(path, "a redirection reads"))
    return verdicts


def _curl(judge: Scope, call: Call) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    args = call.args
    for j, word in enumerate(args):
        text = word.text
        value = args[j + 1].text if j + 1 < len(args) else ""
        upload = ""
        if (
            text in ("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "-F", "--form")
            and "@" in value
        ):
            upload = value.split("@", 1)[1]
        elif text in ("-T", "--upload-file"):
            upload = value
        elif call.name == "wget" and text.startswith(("--post-file=", "--body-file=")):
            upload = text.split("=", 1)[1]
        if upload:
            path = judge.resolve(upload, quoted=True)
            if path:
                verdicts.append(judge.judge_read(path, f"{call.name} uploads"))
        if text in ("-o", "--output", "-O") and value and not (call.name == "curl" and text == "-O"):
            path = judge.resolve(value, dynamic=args[j + 1].dynamic)
            if path and value != "-":
                verdicts.append(judge.judge_write(path, f"{call.name} writes"))
        if text.startswith(("http://", "https://")) or (not text.startswith("-") and "://" in text):
            verdicts.append(judge_url(judge, text))
    return worst(verdicts)


def _touch(judge: Scope, call: Call) -> Verdict | None:
    return write_targets(judge, call, valued=frozenset({"-d", "-r", "-t", "--date", "--reference"}))


RULES = {
    "cp": _cp,
    "install": _cp,
    "ln": _cp,
    "tee": _tee,
    "sed": _sed,
    "gsed": _sed,
    "dd": _dd,
    "truncate": _touch,
    "touch": _touch,
    "curl": _curl,
    "wget": _curl,
}
