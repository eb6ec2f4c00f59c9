"""Programs that run a script over files, and programs that rewrite the files they are given.

`perl -pi -e 's/deny/allow/' agentops.toml` rewrites agentops.toml as surely as `sed -i`
does, and `awk 1 .env` prints `.env` as surely as `cat`. So for the script runners (perl,
ruby, the awk family) the guard tells the program text from the data files (the code
after `-e` or the first operand, the script named by `-f`), judges the data files as
reads, and as writes when the program edits in place: perl's and ruby's `-i[EXT]` (in any
switch cluster: `-pi.bak`, `-0777 -pi`), gawk's `-i inplace` / `--include=inplace`. The
other in-place editors: `yq -i`, `sort -o FILE`, `shuf -o`, `iconv -o`, `uniq IN OUT`,
`sponge FILE`, `dos2unix`/`unix2dos`, `patch FILE`, `sd FIND REPLACE FILE…`, `crudini
--set FILE`, `xmlstarlet ed -L … FILE`, `dasel put -f FILE`.
"""

from __future__ import annotations

from agentops_os.guard.argv import flag_set, operands
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

AWKS = frozenset({"awk", "gawk", "mawk", "nawk"})
SCRIPTED = AWKS | {"perl", "ruby"}
# Switches whose argument is the rest of the cluster (or, when nothing follows, the next
# word: `-I dir`, ruby's `-r lib`); `-e` is the code itself.
_PERL_REST = frozenset("CdDFIlmMx0")
_RUBY_REST = frozenset("CEFIKrTWx0l")
_RUBY_NEXT = frozenset("CEIr")
_AWK_VALUED = frozenset({"-f", "-v", "-F", "-i", "-l", "-e", "-E", "--file", "--assign", "--field-separator",
                         "--include", "--load", "--source", "--exec"})  # fmt: skip


def data_files(call: Call) -> tuple[list[Word], bool]:
    """The files a script runner works on (its operands that are neither program text nor
    the script), and whether it edits them in place."""
    if call.name in AWKS:
        return _awk(call.args)
    return _interpreter(call.args, call.name == "ruby")


def _interpreter(args: list[Word], ruby: bool) -> tuple[list[Word], bool]:
    rest, after = (_RUBY_REST, _RUBY_NEXT) if ruby else (_PERL_REST, frozenset("I"))
    code_letters = "e" if ruby else "eE"  # ruby's `-E` is an encoding
    files: list[Word] = []
    inplace = code = False
    j = 0
    while j < len(args):
        text = args[j].text
        j += 1
        if text == "--":
            files += args[j:]
            break
        if not text.startswith("-") or text == "-":
            files.append(args[j - 1])
            continue
        if text.startswith("--"):
            continue  # ruby's `--enable=…`, `--disable-gems`
        k = 1
        while k < len(text):
            c = text[k]
            if c == "i":
                inplace = True  # the rest of the cluster is the backup suffix
                break
            if c in code_letters:
                code = True
                j += 1 if k == len(text) - 1 else 0  # `-e CODE` (or `-eCODE`)
                break
            if c in rest:
                if c in "0l":  # `-0777`, `-l`, `-l0`: digits follow
                    k += 1
                    while k < len(text) and text[k] in "0123456789abcdefxABCDEF":
                        k += 1
                    continue
                j += 1 if k == len(text) - 1 and c in after else 0
                break
            k += 1
    return (files if code else files[1:]), inplace


def _awk(args: list[Word]) -> tuple[list[Word], bool]:
    inplace = code = False
    positional: list[Word] = []
    j = 0
    while j < len(args):
        text = args[j].text
        name, eq, value = text.partition("=")
        if text == "--":
            positional += args[j + 1 :]
            break
        if text in _AWK_VALUED or (eq and name in _AWK_VALUED):
            value = value if eq else (args[j + 1].text if j + 1 < len(args) else "")
            inplace = inplace or (name in ("-i", "--include") and value.startswith("inplace"))
            code = code or name in ("-f", "-e", "-E", "--file", "--source", "--exec")
            j += 1 if eq else 2
            continue
        if text.startswith("-") and len(text) > 2 and text[:2] in _AWK_VALUED:  # `-iinplace`, `-F:`
            inplace = inplace or (text[:2] == "-i" and text[2:].startswith("inplace"))
            code = code or text[:2] in ("-f", "-e", "-E")
        elif not text.startswith("-") or text == "-":
            positional.append(args[j])
        j += 1
    files = positional if code else positional[1:]
    # `var=value` operands are assignments, not files
    return [w for w in files if not _assignment(w.text)], inplace


def _assignment(text: str) -> bool:
    name, eq, _ = text.partition("=")
    return bool(eq) and name.replace("_", "a").isalnum() and not name[:1].isdigit()


def inplace_writes(judge: Scope, call: Call) -> Verdict | None:
    """The files a batch editor rewrites, judged as writes (None for other programs)."""
    writer = _WRITERS.get(call.name)
    if writer is None:
        return None
    verdicts: list[Verdict | None] = []
    for word in writer(call):
        path = judge.resolve_word(word)
        verdicts.append(judge.judge_write(path, f"{call.name} rewrites") if path else None)
    return worst(verdicts)


def _scripted(call: Call) -> list[Word]:
    files, inplace = data_files(call)
    return files if inplace else []


def _output_option(call: Call) -> list[Word]:
    """`sort -o FILE`, `--output=FILE`, `-oFILE`."""
    from agentops_os.guard.shell import Word

    args = call.args
    out: list[Word] = []
    for j, word in enumerate(args):
        text = word.text
        if text in ("-o", "--output") and j + 1 < len(args):
            out.append(args[j + 1])
        elif text.startswith("--output="):
            out.append(Word(text.split("=", 1)[1]))
        elif text.startswith("-o") and len(text) > 2 and not text.startswith("--"):
            out.append(Word(text[2:]))
    return out


def _yq(call: Call) -> list[Word]:
    flags = flag_set(call.args)
    if not ("i" in flags or {"--inplace", "--in-place"} & flags):
        return []
    valued = frozenset({"-o", "--output-format", "-I", "--indent", "-p", "--input-format", "--expression",
                        "--from-file", "-s", "--split-exp", "--arg", "--argjson"})  # fmt: skip
    words = operands(call.args, valued)
    if words and words[0].text in ("e", "eval", "ea", "eval-all"):
        words = words[1:]
    given = any(w.text in ("--expression", "--from-file") for w in call.args)
    return words if given else words[1:]


def _uniq(call: Call) -> list[Word]:
    return operands(call.args, frozenset({"-f", "-s", "-w"}))[1:2] + _output_option(call)


def _patch(call: Call) -> list[Word]:
    valued = frozenset({"-p", "-i", "-d", "-o", "-r", "-B", "-D", "-F", "-V", "-z", "-Y", "--input",
                        "--directory", "--output", "--reject-file"})  # fmt: skip
    return operands(call.args, valued)[:1] + _output_option(call)


def _sd(call: Call) -> list[Word]:
    if {"p", "--preview"} & flag_set(call.args):
        return []
    return operands(call.args, frozenset({"-f", "--flags", "-n", "--max-replacements"}))[2:]


def _crudini(call: Call) -> list[Word]:
    if not any(w.text in ("--set", "--del", "--merge") for w in call.args):
        return []
    return operands(call.args)[:1]


def _xmlstarlet(call: Call) -> list[Word]:
    argv = [w.text for w in call.args]
    if not argv or argv[0] not in ("ed", "edit") or not ("-L" in argv or "--inplace" in argv):
        return []
    return operands(call.args, frozenset({"-N", "-u", "-v", "-d", "-s", "-i", "-a", "-t", "-n", "-r",
                                          "-m", "--update", "--value", "--delete"}))[-1:]  # fmt: skip


def _dasel(call: Call) -> list[Word]:
    args = call.args
    if not {"put", "delete"} & {w.text for w in args}:
        return []
    return [args[j + 1] for j, w in enumerate(args[:-1]) if w.text in ("-f", "--file")] + _output_option(call)


def _all_operands(call: Call) -> list[Word]:
    return operands(call.args)


def _sponge(call: Call) -> list[Word]:
    return operands(call.args)[:1]


_WRITERS = {
    **dict.fromkeys(SCRIPTED, _scripted),
    **dict.fromkeys(("sort", "shuf", "iconv"), _output_option),
    **dict.fromkeys(("yq", "xq", "tomlq"), _yq),
    **dict.fromkeys(("dos2unix", "unix2dos"), _all_operands),
    "uniq": _uniq,
    "sponge": _sponge,
    "patch": _patch,
    "sd": _sd,
    "crudini": _crudini,
    "xmlstarlet": _xmlstarlet,
    "dasel": _dasel,
}
WRITERS = frozenset(_WRITERS)

