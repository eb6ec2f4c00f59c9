"""Files one command of a line makes for a later one, and where their content comes from.

Downloads are added to `Scope.downloaded`: what a fetcher saves (`curl -o f URL`, `curl
-LO URL` and wget name the file by the URL's last part), network output sent to a file
(`curl URL > f`, `gh gist view ID > f`, `aws s3 cp s3://b/k - > f`), also through other
programs (`wget -O- URL | base64 -d > f`, `| gunzip | tee f`), and copies or unpackings
of a download (`cp`, `mv`, `install`, `gunzip f.gz`, `openssl … -in dl -out f`). A
download that is unpacked (`tar xzf dl.tgz -C DIR`, `unzip dl.zip`, `curl URL | tar xz`)
fills a whole tree: it is kept as the directory with a trailing `/`.

Other text written to a file (`printf … > f`, `echo … >> f`, `cat > f <<EOF`, `… | tee
f`) is kept under the line note `written`: the text when the guard can compute it (as
`rules_exec.produced_text` does), with NUL in front when some of it is unknown. rules_chain
judges the later commands that run, source, build or load these files.
"""

from __future__ import annotations

import os

from agentops_os.guard.argv import FETCHERS, has_short, operands
from agentops_os.guard.jsonedit import EDITORS, assigned

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

WRITTEN = "written"  # the line note: path -> text written to it
ENVIRONMENT_COPIES = "environment-copies"  # the line note: file -> what it holds
CLONED = "cloned"  # the line note: directory -> how the clone command named it
UNKNOWN = "\0"  # in front of a written text: some of it is not known
_WRITES = frozenset({">", ">>", ">|", "&>", "&>>"})
_EXTRACTORS = frozenset({"tar", "gtar", "bsdtar", "unzip", "7z", "7za", "7zr", "7zz"})
_COPIERS = frozenset({"cp", "mv", "install"})
_COPY_VALUED = frozenset({"-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "--owner",
                          "-g", "--group"})  # fmt: skip
_DECOMPRESSORS = frozenset({"gunzip", "gzip", "xz", "unxz", "bunzip2", "bzip2", "zstd", "unzstd", "lzma",
                            "unlzma", "brotli", "lz4", "uncompress", "zcat"})  # fmt: skip
_SUFFIXES = {".tgz": ".tar", ".tbz2": ".tar", ".txz": ".tar", ".gz": "", ".xz": "", ".bz2": "", ".zst": "",
             ".lzma": "", ".br": "", ".lz4": "", ".Z": ""}  # fmt: skip
_TRANSFORMERS = frozenset({"openssl", "gpg", "base64", "uudecode", "xxd"})
# gh/glab subcommands that print nothing fetched from the network
_LOCAL_HUB = frozenset({"completion", "help", "version", "--version", "alias", "config", "auth", "extension"})
_SOCKETS = frozenset({"nc", "ncat", "netcat", "socat", "telnet"})


def note(judge: Scope, call: Call) -> list[tuple[str, bool]]:
    """What `call` writes, for the later commands of the line; returns the files its output
    went to (with whether appended) and those a fetcher saved."""
    fetched: list[str] = []
    if call.name in FETCHERS:
        fetched = fetched_files(judge, call)
        judge.downloaded.update(fetched)
    targets = _stdout_files(judge, call)
    _note(judge, call, targets)
    return targets + [(path, False) for path in fetched]


def _note(judge: Scope, call: Call, targets: list[tuple[str, bool]]) -> None:
    if targets:
        origin = _origin(judge, call)
        for path, append in targets:
            _record(judge, path, origin, append)
        if _dumps_environment(call):  # `env > /tmp/e && curl -F f=@/tmp/e …`: the file holds every token
            for path, _ in targets:
                judge.line_notes(ENVIRONMENT_COPIES)[path] = "the environment, saved earlier in the line"
    if call.name in _EXTRACTORS:
        _extracted(judge, call)
    elif call.name in ("git", "gh"):
        clone = cloned_tree(call)
        place = judge.resolve(clone) if clone else None
        if clone is not None and place is not None:
            judge.downloaded.add(place.rstrip("/") + "/")
            judge.line_notes(CLONED)[place.rstrip("/") + "/"] = clone
    if not judge.downloaded and not judge.git_line.get(WRITTEN):
        return
    if call.name in _COPIERS:
        _copied(judge, call)
    elif call.name in _DECOMPRESSORS:
        _decompressed(judge, call)
    elif call.name in _TRANSFORMERS:
        _transformed(judge, call)


def from_download(judge: Scope, path: str) -> str | None:
    """How `path` came from a download of this line: "file" (it is one), "tree" (an
    unpacked download holds it), or None."""
    if path in judge.downloaded:
        return "file"
    for entry in judge.downloaded:
        if entry.endswith("/") and (path + "/").startswith(entry):
            return "tree"
    return None


def written_text(judge: Scope, path: str) -> str | None:
    """The text this line wrote to `path` (NUL in front when some is unknown)."""
    notes = judge.git_line.get(WRITTEN)
    return None if not notes else notes.get(path)


def fetched_files(judge: Scope, call: Call) -> list[str]:
    """The files a fetcher (curl, wget, …) saves its download to."""
    names, remote_name = _output_names(call)
    directory = _directory(call)
    if call.name == "curl":  # `-o NAME --output-dir DIR` saves DIR/NAME (wget's -O ignores -P)
        names = [os.path.join(directory, n) if n != "-" else n for n in names]
    if (call.name != "curl" and not names) or remote_name:
        for url in (w.text for w in call.args if "://" in w.text and not w.text.startswith("-")):
            names.append(os.path.join(directory, url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]))
    out = []
    for name in names:
        if name and name != "-":
            path = judge.resolve(name)
            if path is not None:
                out.append(path)
    return out


def _output_names(call: Call) -> tuple[list[str], bool]:
    """The output files a fetcher is told (`-o F`, `-O F`, `--output=F`, clustered
    `-fsSLoF`) and whether curl names them by the URL (`-O`, `--remote-name`)."""
    args = call.args
    names: list[str] = []
    j = 0
    while j < len(args):
        text = args[j].text
        value = args[j + 1].text if j + 1 < len(args) else ""
        if call.name == "curl" and text in ("-o", "--output") or call.name == "wget" and text == "-O":
            names.append(value)
            j += 2
            continue
        if text.startswith("--output-document=") or text.startswith("--output="):
            names.append(text.split("=", 1)[1])
        elif call.name in _OUTPUT_LETTER and text.startswith("-") and not text.startswith("--"):
            named, took_next = _clustered_output(call.name, text[1:], value)
            names.extend(named)
            j += took_next
        elif text in _CURL_VALUED:
            j += 1
        j += 1
    remote_name = call.name == "curl" and any(
        w.text in ("--remote-name", "--remote-name-all")
        or (w.text.startswith("-") and not w.text.startswith("--") and "O" in w.text[1:])
        for w in args
    )
    return names, remote_name


def _directory(call: Call) -> str:
    """The directory a fetcher saves into: wget's `-P DIR`, curl's `--output-dir DIR`."""
    options = ("-P", "--directory-prefix") if call.name == "wget" else ("--output-dir",)
    args = call.args
    for j, word in enumerate(args):
        if word.text in options and j + 1 < len(args):
            return args[j + 1].text
        name, eq, value = word.text.partition("=")
        if eq and name in options:
            return value
    return "."


# the short option that names the output file, and the short options that take a value
_OUTPUT_LETTER = {"curl": "o", "wget": "O"}
_VALUED_LETTERS = {"curl": frozenset("AbcCdDeEFHKmoPQrtTuUwxXyYz"), "wget": frozenset("abeiOoPtTUwY")}
_CURL_VALUED = frozenset(
    {"-d", "--data", "--data-binary", "--data-raw", "-F", "--form", "-H", "--header", "-o", "--output",
     "-u", "--user", "-X", "--request", "-x", "--proxy", "--resolve", "--connect-to", "-e", "--referer",
     "-A", "--user-agent", "-T", "--upload-file", "-b", "--cookie", "-c", "--cookie-jar", "-w", "--write-out"}
)  # fmt: skip


def _clustered_output(program: str, letters: str, following: str) -> tuple[list[str], int]:
    """The output file of a cluster of short options (`-so FILE`, `-fsSLoFILE`, `-qO- `):
    the letters up to the first one taking a value stand alone, the rest of the word (or
    the next word) is that value. Returns the names and how many extra words it took."""
    for index, letter in enumerate(letters):
        if letter in _VALUED_LETTERS[program]:
            rest = letters[index + 1 :]
            if letter != _OUTPUT_LETTER[program]:
                return [], 0 if rest else 1
            return [rest or following], 0 if rest else 1
    return [], 0


def network_output(call: Call) -> bool:
    """Whether what `call` prints on stdout comes from the network."""
    name, argv = call.name, call.argv
    if name in ("curl", "wget", "fetch"):
        names, remote_name = _output_names(call)
        return "-" in names or (name == "curl" and not names and not remote_name)
    if name in ("http", "https", "xh", "xhs"):
        return not any(a in ("-d", "--download", "-o") or a.startswith("--output") for a in argv)
    if name in ("lwp-request", "GET") or name in _SOCKETS:
        return True
    if name in ("gh", "glab"):
        first = next((a for a in argv if not a.startswith("-")), "")
        return bool(first) and first not in _LOCAL_HUB
    if name == "aws":
        return "s3" in argv and "cp" in argv and "-" in argv[argv.index("cp") + 1 :]
    if name in ("gsutil", "rclone"):
        return "cat" in argv[:3]
    if name == "gcloud":
        return "storage" in argv and "cat" in argv
    return False


def _stdout_files(judge: Scope, call: Call) -> list[tuple[str, bool]]:
    """The files `call`'s output goes to (`>`, `>>`, `&>`, tee's operands), each with
    whether it is appended to."""
    out: list[tuple[str, bool]] = []
    for redirect in call.command.redirects:
        target = redirect.target
        if redirect.op in _WRITES and target is not None and not target.text.startswith("/dev/"):
            path = judge.resolve_word(target)
            if path is not None:
                out.append((path, redirect.op in (">>", "&>>")))
    if call.name == "tee":
        append = has_short(call.argv, "a") or "--append" in call.argv
        for word in operands(call.args):
            path = judge.resolve_word(word)
            if path is not None and not word.text.startswith("/dev/"):
                out.append((path, append))
    return out


def _origin(judge: Scope, call: Call) -> str | None:
    """Where the output of `call` comes from: None for the network (it, or a command
    piped into it, fetches or reads a download), else the text it writes (UNKNOWN when
    the guard cannot compute it)."""
    if network_output(call) or _reads_download(judge, call):
        return None
    from agentops_os.guard.shell import ShellSyntaxError
    from agentops_os.guard.unwrap import calls_of

    for command in call.upstream:
        try:
            ups = calls_of(command)
        except ShellSyntaxError:
            continue
        if any(network_output(up) or _reads_download(judge, up) for up in ups):
            return None
    stages = list(call.upstream) if call.name == "tee" and call.upstream else [*call.upstream, call.command]
    if call.name == "tee" and not call.upstream:  # `tee f <<EOF`: as `cat <<EOF > f`
        from agentops_os.guard.shell import Command, Word

        stages = [Command([Word("cat")], call.command.redirects)]
    first = stages[0].words[0].text.rsplit("/", 1)[-1] if stages[0].words else ""
    if call.name in EDITORS:  # `jq '.scripts.build="…"' package.json > p.json`: what it sets
        return UNKNOWN + (assigned(call.argv) or "")
    if first not in ("echo", "printf") and not any(r.op in ("<<", "<<-", "<<<") for r in stages[0].redirects):
        return UNKNOWN  # only text from echo, printf or a here-document can be computed
    from agentops_os.guard.rules_exec import produced_text

    text = produced_text(stages)
    return UNKNOWN if text is None else text


def _reads_download(judge: Scope, call: Call) -> bool:
    """Whether `call` reads a download of this line: an operand or its `<` input."""
    if not judge.downloaded or call.name in ("echo", "printf"):
        return False
    words = [w for w in call.args if not w.text.startswith("-")]
    words += [r.target for r in call.command.redirects if r.op == "<" and r.target is not None]
    for word in words:
        path = judge.resolve_word(word)
        if path is not None and from_download(judge, path):
            return True
    return False


def _record(judge: Scope, path: str, origin: str | None, append: bool) -> None:
    written = judge.line_notes(WRITTEN)
    if origin is None:
        judge.downloaded.add(path)
        written.pop(path, None)
        return
    if append and path in judge.downloaded:
        return  # more text after a download: the download still runs
    judge.downloaded.discard(path)
    before = written.get(path, "") if append else ""
    unknown = before.startswith(UNKNOWN) or origin.startswith(UNKNOWN)
    written[path] = UNKNOWN * unknown + before.lstrip(UNKNOWN) + origin.lstrip(UNKNOWN)


def _copied(judge: Scope, call: Call) -> None:
    """`cp dl /usr/local/bin/x`, `mv tree/bin/x ~/bin/`, `install -m755 dl DIR`: the copy
    is what the source is."""
    args = call.args
    target_dir: Word | None = None
    for j, word in enumerate(args):
        if word.text in ("-t", "--target-directory") and j + 1 < len(args):
            target_dir = args[j + 1]
        elif word.text.startswith("--target-directory="):
            target_dir = word  # resolved below from its value
    names = operands(args, _COPY_VALUED)
    if target_dir is not None:
        text = target_dir.text.split("=", 1)[1] if target_dir.text.startswith("--") else target_dir.text
        dest, sources, into = judge.resolve(text), names, True
    elif len(names) >= 2:
        dest, sources = judge.resolve_word(names[-1]), names[:-1]
        into = len(sources) > 1 or names[-1].text.endswith("/") or (dest is not None and os.path.isdir(dest))
    else:
        return
    if dest is None:
        return
    written = judge.git_line.get(WRITTEN) or {}
    for source in sources:
        path = judge.resolve_word(source)
        if path is None:
            continue
        copy = os.path.join(dest, os.path.basename(path)) if into else dest
        how = from_download(judge, path)
        if how == "file":
            judge.downloaded.add(copy)
        elif how == "tree" or path + "/" in judge.downloaded:
            judge.downloaded.update((copy, copy.rstrip("/") + "/"))  # a file or a directory of it
        elif path in written:
            judge.line_notes(WRITTEN)[copy] = written[path]


def _decompressed(judge: Scope, call: Call) -> None:
    """`gunzip dl.gz`, `xz -d dl.xz`: the file without the suffix is the download."""
    name = call.name
    if name == "zcat" or has_short(call.argv, "c") or "--stdout" in call.argv:
        return  # to stdout: a redirection of it is followed as output
    decompresses = name.startswith("un") or name == "gunzip" or has_short(call.argv, "d")
    if not decompresses and "--decompress" not in call.argv:
        return
    for word in operands(call.args):
        path = judge.resolve_word(word)
        if path is None or from_download(judge, path) is None:
            continue
        for suffix, replacement in _SUFFIXES.items():
            if path.endswith(suffix):
                judge.downloaded.add(path[: -len(suffix)] + replacement)
                break


def _transformed(judge: Scope, call: Call) -> None:
    """`openssl enc -d -in dl -out f`, `gpg -o f -d dl`, `base64 -d -o f dl`,
    `xxd -r dl f`: the output of a decoder fed a download is one."""
    if not _reads_download(judge, call) and not _fed_download(judge, call):
        return
    args = call.args
    outputs: list[Word] = []
    for j, word in enumerate(args):
        if word.text in ("-out", "-o", "--output") and j + 1 < len(args):
            outputs.append(args[j + 1])
    if call.name == "xxd":
        outputs += operands(args)[1:2]
    for word in outputs:
        path = judge.resolve_word(word)
        if path is not None:
            judge.downloaded.add(path)


def _fed_download(judge: Scope, call: Call) -> bool:
    """Whether a command piped into `call` fetches or reads a download."""
    from agentops_os.guard.shell import ShellSyntaxError
    from agentops_os.guard.unwrap import calls_of

    for command in call.upstream:
        try:
            if any(network_output(up) or _reads_download(judge, up) for up in calls_of(command)):
                return True
        except ShellSyntaxError:
            continue
    return False


def _extracted(judge: Scope, call: Call) -> None:
    """An unpacked download fills the directories it is unpacked into."""
    from agentops_os.guard.rules_archives import extraction

    found = extraction(call)
    if found is None:
        return
    archive, bases = found
    if archive is not None:
        path = judge.resolve_word(archive)
        if path is None or from_download(judge, path) is None:
            return
    else:
        stdin = [r.target for r in call.command.redirects if r.op == "<" and r.target is not None]
        read = [judge.resolve_word(w) for w in stdin]
        if not _fed_download(judge, call) and not any(p and from_download(judge, p) for p in read):
            return
    places = [judge.resolve_word(base) for base in bases] if bases else [judge.cwd]
    for place in places:
        if place is not None:
            judge.downloaded.add(place.rstrip("/") + "/")


_CLONE_VALUED = frozenset({"-o", "--origin", "-b", "--branch", "-u", "--upload-pack", "--reference",
                           "--reference-if-able", "--separate-git-dir", "--depth", "-c", "--config",
                           "--template", "-j", "--jobs", "--filter", "--shallow-since", "--shallow-exclude",
                           "--server-option", "--bundle-uri"})  # fmt: skip


def cloned_tree(call: Call) -> str | None:
    """The directory a clone from another host fills (`git clone URL [DIR]`, `gh repo clone
    OWNER/NAME [DIR]`): what is run from it later came from the network. A clone of a local
    path is not a download."""
    from agentops_os.guard.gitargs import GIT_VALUED

    argv = call.argv
    j, base = 0, ""
    if call.name == "git":
        while j < len(argv) and argv[j].startswith("-"):
            if argv[j] == "-C" and j + 1 < len(argv):
                base = os.path.join(base, argv[j + 1])
            j += 2 if argv[j] in GIT_VALUED else 1
        if argv[j : j + 1] != ["clone"]:
            return None
        j += 1
    elif argv[:2] == ["repo", "clone"]:
        j = 2
    else:
        return None
    found: list[str] = []
    while j < len(argv):
        text = argv[j]
        if text == "--":
            found += argv[j + 1 :]
            break
        if text in _CLONE_VALUED:
            j += 2
            continue
        if not text.startswith("-"):
            found.append(text)
        j += 1
    if not found:
        return None
    source = found[0]
    scp_like = ":" in source.split("/", 1)[0] and not source.startswith("/")
    remote = "://" in source or call.name == "gh" or scp_like
    if not remote or source.startswith("file://"):
        return None
    if len(found) > 1:
        return os.path.join(base, found[1])
    name = source.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return os.path.join(base, name[:-4] if name.endswith(".git") else name)


ENVIRONMENT_DUMPS = frozenset({"env", "printenv", "set", "export", "declare", "typeset"})


def _dumps_environment(call: Call) -> bool:
    """Whether `call`'s output is the environment: `env`, `printenv`, `set`, `export -p`
    (alone, or piped through other programs), `cat /proc/self/environ`."""
    for command in [*call.upstream, call.command]:
        words = [w.text for w in command.words]
        name = words[0].rsplit("/", 1)[-1] if words else ""
        if name in ENVIRONMENT_DUMPS and all(w.startswith("-") for w in words[1:]):
            return True
        if name in ("cat", "strings", "tr", "xargs") and any(w.endswith("/environ") for w in words[1:]):
            return True
    return False
