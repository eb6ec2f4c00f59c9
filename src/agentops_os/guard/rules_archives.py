"""Archives: extraction is a write into the target directory, creation a read of every
member.

Extracting (`tar -x -C DIR`, `unzip -d DIR`, `7z x -oDIR`, `cpio -i` in the current
directory or `-D DIR`, `bsdtar`) writes the archive's files there: the members it names
are judged as writes of those files (`tar -xf b.tar -C ~ .bashrc`), and without names
the directory decides (intodir: the home or `/` asked, `~/.config` a sensitive place, the
repository and /tmp pass). Absolute member names (`tar -P`, `7z -spf`) land anywhere: asked.

Creating (`tar -c`, `zip`, `7z a`, `cpio -o`) reads its members, with tar's `-C DIR`
moving the base of the names after it: `tar czf /tmp/k.tgz -C ~ .ssh` reads `~/.ssh`, a
secret read like `cat ~/.ssh/id_rsa`. A member that holds secret places (`tar czf b.tgz
~`, `zip -r x.zip ~/.config`) is asked. cpio and `zip -@` take their names from stdin:
the start paths of an upstream `find` are judged as members.

tar's options that run a command (`--to-command`, `-I`/`--use-compress-program`,
`--checkpoint-action=exec=`) are judged as command lines in rules_exec; here, a shell or
interpreter there that reads its program from stdin (`--to-command=sh`, `-I bash`) runs
the members or the archive as code: asked, denied when the archive is a download.
`extraction` tells linefiles what an unpacking call unpacks and where."""

from __future__ import annotations

import os

from agentops_os.guard.argv import long_options
from agentops_os.guard.intodir import judge_into, judge_into_word
from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# GNU tar / bsdtar short options that take a value (the rest of the cluster, or the next word)
_TAR_SHORT_VALUED = frozenset("fCTXbHKLNVgIFs")
_TAR_LONG_VALUED = frozenset({
    "--file", "--directory", "--files-from", "--exclude-from", "--exclude", "--blocking-factor", "--format",
    "--starting-file", "--tape-length", "--newer", "--newer-mtime", "--after-date", "--label",
    "--listed-incremental", "--use-compress-program", "--info-script", "--new-volume-script", "--to-command",
    "--transform", "--xform", "--owner", "--group", "--mode", "--mtime", "--suffix", "--strip-components",
    "--index-file", "--rsh-command", "--rmt-command", "--volno-file", "--record-size", "--checkpoint-action",
    "--exclude-tag", "--exclude-tag-under", "--exclude-tag-all", "--owner-map", "--group-map", "--pax-option",
    "--quoting-style", "--add-file", "--warning", "--sort", "--hole-detection", "--level", "--options",
})  # fmt: skip
_TAR_MODES = {"--create": "c", "--extract": "x", "--get": "x", "--list": "t", "--append": "r",
              "--update": "u", "--concatenate": "A", "--catenate": "A", "--diff": "d", "--compare": "d",
              "--delete": "D", "--to-stdout": "O", "--absolute-names": "P", "--insecure": "P",
              "--no-recursion": "n", "--remove-files": "*"}  # fmt: skip
_TAR_KNOWN = (*_TAR_LONG_VALUED, *_TAR_MODES, "--checkpoint", "--overwrite", "--keep-old-files",
              "--verbose", "--gzip", "--bzip2", "--xz", "--zstd", "--auto-compress", "--preserve-permissions",
              "--same-owner", "--no-same-owner", "--recursion", "--wildcards", "--to-stdout", "--null")


class _TarLine:
    """What one tar command line does: its mode letters, the members it names (joined to
    the `-C` directory in effect before each) and the `-C` directories."""

    __slots__ = ("modes", "members", "bases", "archive")

    def __init__(self) -> None:
        self.modes: set[str] = set()
        self.members: list[Word] = []
        self.bases: list[Word] = []
        self.archive: Word | None = None  # `-f ARCHIVE` (None: stdin or the tape default)

    def member(self, word: Word) -> None:
        base = self.bases[-1] if self.bases else None
        self.members.append(word if base is None or word.text.startswith("/") else _joined(base, word))


def _tar_line(args: list[Word]) -> _TarLine:
    line = _TarLine()
    texts = long_options([w.text for w in args], _TAR_KNOWN)
    words = [Word(t, w.quoted, w.dynamic, w.glob, tilde=w.tilde) for t, w in zip(texts, args, strict=True)]
    pending: list[str] = []  # valued letters of a cluster waiting for the next words
    j, only = 0, False
    while j < len(words):
        word, text = words[j], words[j].text
        j += 1
        if pending:
            letter = pending.pop(0)
            if letter == "C":
                line.bases.append(word)
            elif letter == "A":  # --add-file NAME
                line.member(word)
            elif letter == "f":
                line.archive = word
        elif only or not text.startswith("-") or text == "-":
            if j == 1 and text.isalpha():  # old style: `tar czf out.tgz …`
                line.modes.update(text)
                pending = [c for c in text if c in _TAR_SHORT_VALUED]
            else:
                line.member(word)
        elif text == "--":
            only = True
        elif text.startswith("--"):
            name, eq, value = text.partition("=")
            line.modes.add(_TAR_MODES.get(name, ""))
            if name == "--directory" and eq:
                line.bases.append(_value(word, value))
            elif name == "--add-file" and eq:
                line.member(_value(word, value))
            elif name == "--file" and eq:
                line.archive = _value(word, value)
            elif name in _TAR_LONG_VALUED and not eq:
                pending.append({"--directory": "C", "--add-file": "A", "--file": "f"}.get(name, "-"))
        else:
            for k, letter in enumerate(text[1:], start=2):  # `-xzf a.tgz`, `-C/dir`
                line.modes.add(letter)
                if letter in _TAR_SHORT_VALUED:
                    if not text[k:]:
                        pending.append(letter)
                    elif letter in "Cf":
                        glued = _value(word, text[k:])
                        if letter == "C":
                            line.bases.append(glued)
                        else:
                            line.archive = glued
                    break
    return line


def _value(word: Word, text: str) -> Word:
    """The value glued to an option (`-C~/x`, `--directory=~/x`, `-o/dir`) as a word of its
    own; a leading `~` counts as the home (the guard errs on that side)."""
    return Word(text, word.quoted, word.dynamic, tilde=not word.quoted)


def _joined(base: Word, member: Word) -> Word:
    """`member` relative to the `-C` directory `base`, as one word."""
    text = base.text.rstrip("/") + "/" + member.text if base.text not in ("", ".") else member.text
    return Word(text, base.quoted or member.quoted, base.dynamic or member.dynamic, member.glob,
                tilde=base.tilde)


def tar(judge: Scope, call: Call) -> Verdict | None:
    """tar (GNU or bsdtar) extracting or creating, judged as above; a shell or
    interpreter it hands members or the archive to (`--to-command=sh`, `-I sh`) runs them."""
    line = _tar_line(call.args)
    code = _members_as_code(judge, call, line)
    if "x" in line.modes and "O" not in line.modes:
        return worst([code, _extracts(judge, call.name, line.members, line.bases, "P" in line.modes)])
    if line.modes & set("cru"):
        removed = None
        if "*" in line.modes:  # `tar --remove-files -cf /dev/null ~/Documents`
            from agentops_os.guard.archivedel import deleted_inputs

            removed = deleted_inputs(judge, call, line.members, "n" not in line.modes, "--remove-files")
        return worst([code, removed, _archives(judge, call.name, line.members, "n" not in line.modes)])
    return code


def extraction(call: Call) -> tuple[Word | None, list[Word]] | None:
    """What an extracting call unpacks and where: the archive (None when read from
    stdin) and the directories it writes into (none: the current one). None when `call`
    extracts nothing (it lists, tests, creates or prints to stdout)."""
    if call.name in ("tar", "gtar", "bsdtar"):
        line = _tar_line(call.args)
        if "x" not in line.modes or "O" in line.modes:
            return None
        stdin = line.archive is None or line.archive.text == "-"
        return (None if stdin else line.archive), line.bases
    if call.name == "unzip":
        parts = _unzip_line(call.args)
        if parts is None or not parts[0]:
            return None
        return parts[0][0], [parts[1]] if parts[1] is not None else []
    if call.name in ("7z", "7za", "7zr", "7zz"):
        args = [w for w in call.args if not w.text.startswith("-")]
        if len(args) < 2 or args[0].text not in ("x", "e"):
            return None
        out = next((w for w in reversed(call.args) if w.text.startswith("-o")), None)
        return args[1], [_value(out, out.text[2:])] if out is not None else []
    return None


# tar options whose value is a command tar runs, and what that command is handed
_TAR_RUNS = {"--to-command": "each member", "--use-compress-program": "the archive",
             "--checkpoint-action": "its input", "--info-script": "its input",
             "--new-volume-script": "its input", "-I": "the archive", "-F": "its input"}  # fmt: skip
_STDIN_CODE = frozenset({"perl", "ruby", "node", "php", "lua", "Rscript", "tclsh"})
_CODE_OPTIONS = frozenset({"-c", "-e", "-E", "-r", "-m"})  # the program is given, not read


def _members_as_code(judge: Scope, call: Call, line: _TarLine) -> Verdict | None:
    """`--to-command=sh`, `-I sh`, `--checkpoint-action=exec=bash`: tar feeds a shell or
    interpreter what it reads (each member, the archive), which is run as a program the
    guard cannot see. Asked; denied when the archive is a download of this line."""
    for option, command in _tar_commands(call.args):
        reader = _stdin_reader(command)
        if reader is None:
            continue
        reason = (f"{call.name} {option} hands {_TAR_RUNS[option]} to {reader}, which runs it as a "
                  f"program (the archive's content, which the guard cannot see)")
        if _downloaded_archive(judge, call, line):
            return judge.verdict("pipe-to-shell", "deny", reason + "; the archive is a download")
        return judge.verdict("pipe-to-shell", "ask", reason)
    return None


def _tar_commands(args: list[Word]) -> list[tuple[str, str]]:
    """The (option, command) pairs of tar's command-running options."""
    texts = long_options([w.text for w in args], _TAR_KNOWN)
    out: list[tuple[str, str]] = []
    for j, text in enumerate(texts):
        following = texts[j + 1] if j + 1 < len(texts) else ""
        name, eq, value = text.partition("=")
        if name in _TAR_RUNS and name.startswith("--"):
            value = value if eq else following
            if name == "--checkpoint-action":
                value = value[5:] if value.startswith("exec=") else ""
            out.append((name, value))
        elif text.startswith("-") and not text.startswith("--"):
            for k, letter in enumerate(text[1:], start=2):
                if letter in _TAR_SHORT_VALUED:
                    if letter in "IF":
                        out.append(("-" + letter, text[k:] or following))
                    break
    return [(option, command) for option, command in out if command.strip()]


def _stdin_reader(command: str) -> str | None:
    """The shell or interpreter of `command` that reads its program from stdin (`sh`,
    `bash -s`, `python3 -`), if one does."""
    from agentops_os.guard.argv import operands
    from agentops_os.guard.shell import ShellSyntaxError, parse
    from agentops_os.guard.unwrap import SHELLS, calls_of

    try:
        calls = [c for cmd in parse(command) for c in calls_of(cmd)]
    except ShellSyntaxError:
        return None
    for inner in calls:
        name = inner.name
        if name not in SHELLS and not name.startswith("python") and name not in _STDIN_CODE:
            continue
        args = [w.text for w in inner.args]
        positional = [w.text for w in operands(inner.args)]
        if name in SHELLS:
            script = any(a.startswith("-") and not a.startswith("--") and "c" in a for a in args)
            if "-s" in args or not script and not positional:
                return name
        elif not (set(args) & _CODE_OPTIONS) and positional[:1] in ([], ["-"]):
            return name
    return None


def _downloaded_archive(judge: Scope, call: Call, line: _TarLine) -> bool:
    """Whether the archive tar reads is a download of this line (a file the line fetched,
    or stdin piped from a fetcher)."""
    from agentops_os.guard.argv import FETCHERS, program_names

    if line.archive is not None and line.archive.text != "-":
        path = judge.resolve_word(line.archive)
        return path is not None and path in judge.downloaded
    return any(name in FETCHERS for up in call.upstream for name in program_names(up))


def _extracts(judge: Scope, name: str, members: list[Word], bases: list[Word], absolute: bool,
              ) -> Verdict | None:
    """Extraction of `members` (already joined to their base) or, with none named, of
    everything into each of `bases` (the current directory when there is none)."""
    verdicts: list[Verdict | None] = []
    if absolute:
        verdicts.append(judge.verdict(
            "write-outside-repo", "ask", f"{name} extracts absolute member names, which land anywhere"))
    for member in members:
        path = judge.resolve_word(member)
        if path is not None and not member.glob:
            verdicts.append(judge.judge_write(path, f"{name} extracts"))
    if not members:
        places = [judge.resolve_word(base) for base in bases] if bases else [judge.cwd]
        for directory in places:
            if directory is not None:
                verdicts.append(judge_into(judge, directory, f"{name} extracts into"))
    return worst(verdicts)


def _archives(judge: Scope, name: str, members: list[Word], recursive: bool) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    for member in members:
        path = judge.resolve_word(member)
        if path is None:
            continue
        verdicts.append(judge.judge_read(path, f"{name} archives"))
        if recursive:
            verdicts.append(_holds_secrets(judge, path, name))
    return worst(verdicts)


def _holds_secrets(judge: Scope, path: str, name: str) -> Verdict | None:
    """A directory that holds secret places (`~` holds `~/.ssh`, `/` holds `/etc/shadow`):
    archiving it whole takes them along."""
    prefix = path.rstrip(os.sep) + os.sep
    for pattern in judge.policy.secret_files:
        if not pattern.startswith(("~/", "/")):
            continue
        full = judge.home + pattern[1:] if pattern.startswith("~") else pattern
        fixed = full
        for c in "*?[":
            fixed = fixed.split(c, 1)[0]
        if fixed.startswith(prefix):
            shown = "~" + path[len(judge.home):] if path.startswith(judge.home) else path
            reason = f"{name} archives {shown}, which holds secret files (guard.secret_files '{pattern}')"
            return judge.verdict("secret-read", "ask", reason)
    return None


def _stdin_names(call: Call) -> list[Word]:
    """The start paths of an upstream `find` (`find ~/.ssh | cpio -o`): the names a
    program that reads them from stdin gets."""
    from agentops_os.guard.shell import ShellSyntaxError
    from agentops_os.guard.unwrap import calls_of

    for command in call.upstream:
        try:
            found = calls_of(command)
        except ShellSyntaxError:
            return []
        for up in found:
            if up.name in ("find", "fd", "fdfind") and up.find_paths is not None:
                return list(up.find_paths)
    return []


def _unzip(judge: Scope, call: Call) -> Verdict | None:
    """`unzip [opts] FILE [MEMBERS…] [-x EXCLUDED…] [-d DIR]` (options may come anywhere);
    `-l`, `-t`, `-v`, `-p`, `-c`, `-z`, `-Z` list, test or print and write nothing; `-:`
    keeps `../` in member names (they land outside DIR)."""
    parts = _unzip_line(call.args)
    if parts is None or not parts[0]:
        return None
    names, base, absolute = parts
    members = [m if base is None else _joined(base, m) for m in names[1:]]
    return _extracts(judge, call.name, members, [base] if base is not None else [], absolute)


def _unzip_line(args: list[Word]) -> tuple[list[Word], Word | None, bool] | None:
    """unzip's archive and members, its `-d` directory and whether `-:` is given; None
    when it only lists, tests or prints."""
    base: Word | None = None
    names: list[Word] = []  # the archive, then the members
    excluding = absolute = False
    j = 0
    while j < len(args):
        word, text = args[j], args[j].text
        j += 1
        if not text.startswith("-") or text == "-":
            if not excluding:
                names.append(word)
            continue
        excluding = False
        for k, letter in enumerate(text[1:], start=2):
            if letter in "ltvpczZ":
                return None
            absolute = absolute or letter == ":"
            excluding = excluding or letter == "x"
            if letter in "dP":
                value = _value(word, text[k:]) if text[k:] else args[j] if j < len(args) else None
                j += 0 if text[k:] else 1
                base = value if letter == "d" else base
                break
    return names, base, absolute


def _seven_zip(judge: Scope, call: Call) -> Verdict | None:
    """`7z x|e ARCHIVE [MEMBERS] [-oDIR]` extracts into DIR (the current directory without
    it); `7z a|u ARCHIVE FILES…` archives FILES."""
    args = [w for w in call.args if not w.text.startswith("-")]
    if not args:
        return None
    command = args[0].text
    switches = [w for w in call.args if w.text.startswith("-")]
    if command in ("x", "e"):
        out = next((w for w in reversed(switches) if w.text.startswith("-o")), None)
        absolute = any(w.text == "-spf" or w.text.startswith("-spf") for w in switches)
        if out is None:
            return _extracts(judge, call.name, [], [], absolute)
        base = _value(out, out.text[2:])
        return _extracts(judge, call.name, [_joined(base, m) for m in args[2:]], [base], absolute)
    if command in ("a", "u"):
        verdict = _archives(judge, call.name, args[2:], True)
        if any(w.text == "-sdel" for w in switches):  # delete the files once compressed
            from agentops_os.guard.archivedel import deleted_inputs

            return worst([verdict, deleted_inputs(judge, call, args[2:], True, "-sdel")])
        return verdict
    return None


_CPIO_VALUED = frozenset({"-D", "-E", "-F", "-H", "-I", "-O", "-M", "-R", "-C", "--directory", "--format",
                          "--file", "--pattern-file", "--owner", "--message", "--io-size", "--rsh-command"})


def _cpio(judge: Scope, call: Call) -> Verdict | None:
    """cpio copy-in (`-i`: extract into the current directory or `-D DIR`), copy-out
    (`-o`: archive the names on stdin) and pass-through (`-p DIR`: copy them into DIR)."""
    modes: set[str] = set()
    directory: Word | None = None
    operands: list[Word] = []
    args, j = call.args, 0
    while j < len(args):
        word, text = args[j], args[j].text
        j += 1
        name, eq, value = text.partition("=")
        if name in ("--extract", "--create", "--pass-through"):
            modes.add({"--extract": "i", "--create": "o", "--pass-through": "p"}[name])
        elif name == "--directory":
            directory = Word(value, word.quoted, word.dynamic) if eq else args[j] if j < len(args) else None
            j += 0 if eq else 1
        elif text.startswith("--"):
            j += 1 if name in _CPIO_VALUED and not eq else 0
        elif text.startswith("-") and len(text) > 1:
            for k, letter in enumerate(text[1:], start=2):
                modes.add(letter)
                if "-" + letter in _CPIO_VALUED:
                    value_word = Word(text[k:], word.quoted, word.dynamic) if text[k:] else (
                        args[j] if j < len(args) else None)
                    j += 0 if text[k:] else 1
                    if letter == "D":
                        directory = value_word
                    break
        else:
            operands.append(word)
    if "i" in modes:
        bases = [directory] if directory is not None else []
        return _extracts(judge, call.name, [], bases, False)
    if "o" in modes or "p" in modes:
        verdicts = [_archives(judge, call.name, _stdin_names(call), True)]
        if "p" in modes and operands:
            verdicts.append(judge_into_word(judge, operands[-1], None, f"{call.name} copies into"))
        return worst(verdicts)
    return None


_ZIP_VALUED = frozenset({"-b", "-n", "-t", "-tt", "-P", "-Z", "-s", "-sp", "-O", "--out", "-ll", "-db"})


def _zip(judge: Scope, call: Call) -> Verdict | None:
    """`zip [-r] OUT.zip FILES…` (and `-@`: the names on stdin). Direct secret members are
    judged by the readers' rule; here a directory archived whole that holds secrets."""
    recursive = any(w.text.startswith("-") and not w.text.startswith("--") and set(w.text[1:]) & set("rR")
                    or w.text in ("--recurse-paths", "--recurse-patterns") for w in call.args)
    files: list[Word] = []
    args, j = call.args, 0
    while j < len(args):
        text = args[j].text
        if text in ("-x", "-i", "--exclude", "--include"):
            break  # the rest are patterns
        if text.startswith("-") and len(text) > 1:
            j += 2 if text in _ZIP_VALUED else 1
            continue
        files.append(args[j])
        j += 1
    members = files[1:]
    if any(w.text == "-@" for w in args):
        members += _stdin_names(call)
    verdict = _archives(judge, call.name, members, recursive)
    moving = any(w.text == "--move" or w.text.startswith("-") and not w.text.startswith("--")
                 and "m" in w.text and w.text not in _ZIP_VALUED for w in args[:j])
    if moving and (files[1:] or call.xargs or call.find_paths is not None):  # `zip -rm out.zip src`
        from agentops_os.guard.archivedel import deleted_inputs

        return worst([verdict, deleted_inputs(judge, call, files[1:], recursive, "-m")])
    return verdict


def _compressor(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.archivedel import compressor  # `gzip -r ~`, `xz f`: the inputs are replaced

    return compressor(judge, call)


def _rar(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.archivedel import rar  # `rar a -df`, `rar m`

    return rar(judge, call)


COMPRESSORS = ("gzip", "pigz", "gunzip", "unpigz", "xz", "unxz", "lzma", "unlzma", "bzip2", "bunzip2", "lzip",
               "plzip", "pbzip2", "lbzip2", "zstd", "unzstd", "pzstd", "lz4", "unlz4")
RULES = {
    **dict.fromkeys(COMPRESSORS, _compressor),
    "rar": _rar,
    **dict.fromkeys(("unzip",), _unzip),
    **dict.fromkeys(("7z", "7za", "7zr", "7zz"), _seven_zip),
    "cpio": _cpio,
    "zip": _zip,
}
