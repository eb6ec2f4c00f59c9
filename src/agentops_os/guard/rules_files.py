"""Writes and reads through shell commands: cp/tee/sed -i/dd/touch targets,
redirections, secret reads, and curl/wget uploads, downloads and URLs."""

from __future__ import annotations

import os

from agentops_os.guard.argv import flag_set, has_short, operands
from agentops_os.guard.programs import SENDERS
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
    sources: list[Word] = positional if targets else []  # `cp -t DIR A B`
    if not targets:
        if last:
            targets = positional[-1:] if len(positional) > 1 else []
            sources = positional[:-1]
        else:
            targets = positional[1:] if skip_first else positional
    verdicts = []
    for word in targets:
        path = judge.resolve_word(word)
        if path is not None:
            verdicts.append(judge.judge_write(path, f"{call.name} writes"))
            if sources and (word.text.endswith("/") or os.path.isdir(path)):
                verdicts += _into_directory(judge, call, path, sources)
        else:
            verdicts.append(_named_write(judge, word.text, f"{call.name} writes"))
    if call.find_paths is not None and any("{}" in w.text for w in targets):
        from agentops_os.guard.findreach import reached  # what find hands `{}` below its start paths

        how = f"{call.name} (run by find) writes"
        verdicts += [judge.judge_write(path, how) for path in reached(judge, call)]
    return worst(verdicts)


def _into_directory(judge: Scope, call: Call, directory: str, sources: list[Word]) -> list[Verdict | None]:
    """`cp hook.pth SITE/` writes `SITE/hook.pth`: each source lands under its own name."""
    out: list[Verdict | None] = []
    for source in sources:
        name = source.text.rstrip("/").rsplit("/", 1)[-1]
        if name and not any(c in name for c in "$`*?[") and name not in (".", ".."):
            out.append(judge.judge_write(os.path.join(directory, name), f"{call.name} writes"))
    return out


def _named_write(judge: Scope, text: str, how: str) -> Verdict | None:
    """A target whose directory is computed at run time but whose file name is written
    out (`"$(…)/x.pth"`)."""
    name = text.rstrip("/").rsplit("/", 1)[-1]
    if not name or "/" not in text or any(c in name for c in "$`()"):
        return None
    return judge.judge_named_write(name, how)


def _cp(judge: Scope, call: Call) -> Verdict | None:
    if call.name == "cp" and _from_template(judge, call):
        return reads(judge, call, skip_last=True)
    # a read first: `cp key4.db /tmp/` is judged a secret read, though the copy it makes
    # (`/tmp/key4.db`, as strong) is a secret file too
    return worst([reads(judge, call, skip_last=True), write_targets(judge, call, last=True)])


_TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".defaults", ".tmpl")


def _from_template(judge: Scope, call: Call) -> bool:
    """`cp -n .env.example .env`, `cp -n .env.example .env.test`: a project's setup step
    makes its secret file from the committed template, never overwriting one that exists
    (no secret is lost or read). Without `-n` a copy over one that appears before it runs
    would lose it: that stays a deny."""
    import os

    positional = operands(call.args)
    if len(positional) != 2:
        return False
    source, target = judge.resolve_word(positional[0]), judge.resolve_word(positional[1])
    if source is None or target is None or not judge.inside_repo(target):
        return False
    name = os.path.basename(source)
    suffix = next((x for x in _TEMPLATE_SUFFIXES if name.endswith(x)), None)
    # `.env.example` makes `.env`, `.env.test`, `.env.local`: files of the template's stem
    stem, made = name[: -len(suffix)] if suffix else "", os.path.basename(target)
    if suffix is None or not (made == stem or made.startswith(stem + ".")):
        return False
    argv = call.argv  # without -n an existing secret would be overwritten: that stays a deny
    return has_short(argv, "n") or "--no-clobber" in argv or "--update=none" in argv


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


# Options whose value is not a file the command reads for its output: scp's identity key
# (`-i ~/.ssh/deploy_key` signs the login, it is not copied), config and jump options.
_VALUED = {"scp": frozenset({"-i", "-F", "-o", "-P", "-S", "-c", "-l", "-J", "-D", "-X"})}


def reads(judge: Scope, call: Call, *, skip_first: bool = False, skip_last: bool = False) -> Verdict | None:
    from agentops_os.guard import batchedit

    positional = operands(call.args, _VALUED.get(call.name, frozenset()))
    if call.name in batchedit.SCRIPTED:  # `awk 1 .env`, `perl -ne print .env`: the data files, not the code
        positional, _ = batchedit.data_files(call)
    elif call.name in _PATTERN_FIRST:
        skip_first = not any(w.text in ("-e", "-f", "--regexp", "--file") for w in call.args)
    if skip_first:
        positional = positional[1:]
    if call.name == "cp" and len(positional) > 1:
        skip_last = True  # the destination is written (judged by _cp), not read
    if skip_last:
        positional = positional[:-1]
    verdicts = []
    for word in positional:
        text = word.text.split(":", 1)[1] if call.name in ("scp", "rsync") and ":" in word.text else word.text
        verdicts.append(_read(judge, text, word, f"{call.name} reads"))
    if call.name in batchedit.WRITERS:  # `perl -pi -e … agentops.toml`, `sort -o FILE`
        verdicts.append(batchedit.inplace_writes(judge, call))
    if call.name in ("tar", "zip"):  # `tar czf /tmp/r.tgz .`: noted for a later upload
        from agentops_os.guard.repoexport import archive_target, note

        made = archive_target(judge, [call.name, *call.argv], judge.cwd)
        if made is not None:
            note(judge, made[0], made[1])
    elif call.name in ("scp", "rsync") and positional[1:] and _holds_packed(judge):
        verdicts.append(_copies_archive(judge, call, positional))
    return worst(verdicts)


# Programs whose first operand is a pattern or a program text, not a file.
_PATTERN_FIRST = frozenset(
    {"grep", "egrep", "fgrep", "rg", "ag", "ack", "ugrep", "zgrep", "zegrep", "zfgrep", "bzgrep", "xzgrep",
     "zstdgrep", "look", "jq", "jaq", "gojq", "yq", "xq", "tomlq"}
)


def _read(judge: Scope, text: str, word: Word, how: str) -> Verdict | None:
    """A read of the operand `text`, also of the secret files a glob in it can name or a
    name computed at run time can be (`.env*`, `~/.ssh/$k`: see secretglob)."""
    tilde = word.tilde if text == word.text else None  # `~/Login\ Data`: the escape is not at the `~`
    path = judge.resolve(text, dynamic=word.dynamic, quoted=word.quoted, tilde=tilde)
    if path is not None:
        verdict = judge.judge_read(path, how)
        if verdict is not None or not any(c in path for c in "*?["):
            return verdict
    elif word.dynamic and not word.subs and "$" in text:
        from agentops_os.guard.secretglob import unknown_as_glob

        path = unknown_as_glob(judge, text)
        if path is None:
            return None
    else:
        return None
    from agentops_os.guard.secretglob import glob_secret

    hit = glob_secret(judge, path)
    if hit is None:
        return None
    return judge.verdict("secret-read", "deny", f"{how} {text}, which can name a secret file "
                         f"(guard.secret_files '{hit}')")


def _copies_archive(judge: Scope, call: Call, positional: list[Word]) -> Verdict | None:
    """`scp /tmp/r.bundle host:` / `rsync r.tgz host:dir/`: a packed repository to a host."""
    from agentops_os.guard.repoexport import sends_archive

    destination = positional[-1].text
    if ":" not in destination.split("/", 1)[0]:
        return None  # a local copy
    for word in positional[:-1]:
        path = judge.resolve_word(word)
        verdict = sends_archive(judge, call.name, path) if path else None
        if verdict is not None:
            return verdict
    return None


def redirects(judge: Scope, command: Command) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    for redirect in command.redirects:
        target = redirect.target
        if target is not None and target.text.startswith(("/dev/tcp/", "/dev/udp/")):
            verdicts.append(_socket(judge, command, target.text))
            continue
        if target is None or redirect.op in ("<<", "<<-", "<<<", ">&", "<&"):
            continue
        path = judge.resolve_word(target)
        if path is None:
            if redirect.op in WRITE_REDIRECTS:
                verdicts.append(_named_write(judge, target.text, "a redirection writes"))
            elif redirect.op in ("<", "<>"):  # `< ~/.ssh/$k`
                verdicts.append(_read(judge, target.text, target, "a redirection reads"))
            continue
        if redirect.op in WRITE_REDIRECTS:
            verdicts.append(judge.judge_write(path, "a redirection writes"))
            _note_archive(judge, command, target.text)
        if redirect.op in ("<", "<>"):
            verdicts.append(_read(judge, target.text, target, "a redirection reads"))  # `< .env*` too
            if command.words and _holds_packed(judge):  # `nc host 80 < /tmp/r.bundle`
                from agentops_os.guard.repoexport import sends_archive

                program = command.words[0].text.rsplit("/", 1)[-1]
                verdicts.append(sends_archive(judge, program, path) if program in SENDERS else None)
    return verdicts


def _note_archive(judge: Scope, command: Command, target: str) -> None:
    """`git archive HEAD > /tmp/src.tar`: the file holds the repository."""
    from agentops_os.guard.repoexport import ARCHIVERS

    argv = command.argv
    if not argv or argv[0].rsplit("/", 1)[-1] not in ARCHIVERS:
        return
    from agentops_os.guard.repoexport import archive_target, note

    made = archive_target(judge, argv, judge.cwd)
    if made is not None and made[0] in ("-", "/dev/stdout"):
        note(judge, target, made[1])


def _socket(judge: Scope, command: Command, target: str) -> Verdict | None:
    """bash's `/dev/tcp/HOST/PORT`: a redirection that opens a network connection. A shell
    with its input or output on it is a reverse shell (someone else types its commands)."""
    from agentops_os.guard.unwrap import SHELLS

    _, _, kind, host, port = (target.split("/", 4) + ["", ""])[:5]
    words = [w.text.rsplit("/", 1)[-1] for w in command.words]
    if words and (words[0] in SHELLS or words[0] == "exec" and len(words) > 1 and words[1] in SHELLS):
        reason = f"a shell wired to a {kind} connection to {host}:{port}"
        return judge.verdict("reverse-shell", "deny", reason)
    place = judge_url(judge, f"http://{host}:{port}/")
    probe = not words or all("=" in w.text and not w.text.startswith("=") for w in command.words)
    if probe:  # `</dev/tcp/localhost/5432 && echo up`: opened and closed, nothing sent or read
        return place if place is not None and place.decision == "deny" else None
    if place is not None and place.decision != "allow":
        return place
    return judge.verdict("network-redirect", "ask",
                         f"a redirection opens a {kind} connection to {host}:{port}")


def _curl(judge: Scope, call: Call) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    args = call.args
    for j, word in enumerate(args):
        text = word.text
        value = args[j + 1].text if j + 1 < len(args) else ""
        upload, inline = _upload(call.name, text, value)
        dynamic = word.dynamic if inline else j + 1 < len(args) and args[j + 1].dynamic
        if not upload and call.name != "curl" and "=@" in text and not text.startswith("-"):
            upload, dynamic = text.split("=@", 1)[1], word.dynamic  # HTTPie `file=@path`
        if upload:
            if not inline and upload == value and j + 1 < len(args):  # `-T ~/.aws/credentials`
                path = judge.resolve_word(args[j + 1])
            else:
                path = judge.resolve(upload.split(";", 1)[0], quoted=True, dynamic=dynamic)
            if path:
                verdicts.append(judge.judge_read(path, f"{call.name} uploads"))
                verdicts.append(_sends_archive(judge, call, path))
        if text in ("-o", "--output", "-O") and value and not (call.name == "curl" and text == "-O"):
            path = judge.resolve(value, dynamic=args[j + 1].dynamic)
            if path and value != "-":
                verdicts.append(judge.judge_write(path, f"{call.name} writes"))
        if text.startswith(("http://", "https://")) or (not text.startswith("-") and "://" in text):
            verdicts.append(judge_url(judge, text))
        elif (j == 0 or args[j - 1].text not in CURL_VALUED) and _local_host(text):
            verdicts.append(judge_url(judge, "http://" + text))  # `curl localhost:2019/load`
    if any("$" in w.text for w in args):
        verdicts.append(_credential_sent(judge, call))
    return worst(verdicts)


_DATA_OPTIONS = ("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "--json", "-F", "--form")


def _upload(program: str, text: str, value: str) -> tuple[str, bool]:
    """The local file an option uploads (`-F f=@FILE`, `--data-binary @FILE`, `-T FILE`,
    `-sT FILE`, `--upload-file=FILE`, wget `--post-file=FILE`; '' for none, `@-` is
    stdin), and whether it is written in the option's own word."""
    name, eq, rest = text.partition("=")
    inline = False
    if eq and name.startswith("--"):
        text, value, inline = name, rest, True  # `--data-binary=@f`, `--upload-file=f`
    elif text[:2] in ("-d", "-F", "-T") and len(text) > 2:
        text, value, inline = text[:2], text[2:], True  # `-T/tmp/r.bundle`, `-d@f`
    elif text[:1] == "-" and text[1:-1].isalpha() and text[-1:] in "dFT" and len(text) > 2:
        text = "-" + text[-1]  # `-sT FILE`: the last letter of a cluster takes the next word
    if text in _DATA_OPTIONS and "@" in value:
        return value.split("@", 1)[1], inline
    if text in ("-T", "--upload-file") or (program == "wget" and text in ("--post-file", "--body-file")):
        return value, inline
    return "", inline


def _holds_packed(judge: Scope) -> bool:
    """Whether an earlier command of the line made a file that must not leave the machine:
    the repository packed (repoexport), or the environment saved (linefiles)."""
    return "repo-archives" in judge.git_line or "environment-copies" in judge.git_line


def _sends_archive(judge: Scope, call: Call, path: str) -> Verdict | None:
    if not _holds_packed(judge):
        return None
    from agentops_os.guard.repoexport import sends_archive

    return sends_archive(judge, call.name, path)


def _credential_sent(judge: Scope, call: Call) -> Verdict | None:
    from urllib.parse import urlsplit

    from agentops_os.guard.credentials import misdirected

    hosts = []
    for word in call.args:
        if "://" in word.text and not word.text.startswith("-"):
            try:
                hosts.append(urlsplit(word.text).hostname or "")
            except ValueError:
                continue
    found = misdirected([w.text for w in call.args], [h for h in hosts if h])
    if found is None:
        return None
    name, host = found
    reason = f"{call.name} sends ${name} to {host}, which is not its provider"
    return judge.verdict("exfiltration", "ask", reason)


# curl options that take a value (the next word is not a URL or a file).
CURL_VALUED = frozenset(
    {"-d", "--data", "--data-binary", "--data-raw", "-F", "--form", "-H", "--header", "-o", "--output",
     "-u", "--user", "-X", "--request", "-x", "--proxy", "--resolve", "--connect-to", "-e", "--referer",
     "-A", "--user-agent", "-T", "--upload-file", "-b", "--cookie", "-c", "--cookie-jar", "-w", "--write-out"}
)


def _local_host(text: str) -> bool:
    """A scheme-less URL whose host is loopback or an address (`localhost:2019/x`)."""
    from agentops_os.guard.urls import canonical_address

    host = text.split("/", 1)[0].rsplit("@", 1)[-1]
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return host in ("localhost", "[::1]") or (host[:1].isdigit() and canonical_address(host) is not None)


def touch(judge: Scope, call: Call) -> Verdict | None:
    return write_targets(judge, call, valued=frozenset({"-d", "-r", "-t", "--date", "--reference"}))


RULES = {
    "cp": _cp,
    "install": _cp,
    "ln": _cp,
    "tee": _tee,
    "sed": _sed,
    "gsed": _sed,
    "dd": _dd,
    "touch": touch,
    "curl": _curl,
    "wget": _curl,
    "http": _curl,  # HTTPie
    "https": _curl,
    "xh": _curl,
    "xhs": _curl,
    "aria2c": _curl,
}
