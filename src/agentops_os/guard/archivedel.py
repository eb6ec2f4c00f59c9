"""Archivers and compressors that delete their inputs, judged as deletes of them.

`tar --remove-files -cf /dev/null ~/Documents` archives into nothing and removes what it
read: `rm -rf ~/Documents` by another name. So do `zip -m`/`--move`, `7z a -sdel`, `rar a
-df` and `rar m`/`mf`; gzip, xz, bzip2 and lzma replace each input with its compressed
copy (unless `-k`/`-c`), zstd and lz4 with `--rm`, and gzip/zstd's `-r` walk a whole
tree (`gzip -r ~`). The inputs are handed to rules_delete as `rm` operands (recursive for
the archivers, and for the compressors under `-r`), so the home, the repository root,
protected places, the mass-delete limit and the `{}` of a find or names read by xargs are
judged as for rm. Compressing into a copy (`gzip -k`, `gzip -c f > f.gz`, `zstd f`) passes."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call


def deleted_inputs(judge: Scope, call: Call, inputs: list[Word], recursive: bool, how: str) -> Verdict | None:
    """Judge `inputs` as deleted by `call` (`how`: the option that makes it delete them)."""
    from agentops_os.guard.rules_delete import delete_targets

    verdict = delete_targets(judge, call, inputs, recursive)
    if verdict is None or verdict.decision == "allow":
        return verdict
    return Verdict(verdict.decision, f"{call.name} {how} deletes its inputs: {verdict.reason}", verdict.rule)


# compressors that replace their inputs by default, and those that do only with --rm
_REPLACING = frozenset({"gzip", "pigz", "gunzip", "unpigz", "xz", "unxz", "lzma", "unlzma", "bzip2",
                        "bunzip2", "lzip", "plzip", "pbzip2", "lbzip2"})
_KEEPING = frozenset({"zstd", "unzstd", "pzstd", "lz4", "unlz4"})
COMPRESSORS = _REPLACING | _KEEPING
_RECURSIVE = frozenset({"gzip", "pigz", "gunzip", "zstd", "unzstd"})
# options that take the next word as their value (per family; `-S .z`, `-T 4`, `-o out`)
_VALUED = frozenset({"-S", "--suffix", "-T", "--threads", "-F", "--format", "-C", "--check", "-M",
                     "--memlimit", "-o", "-D", "-b", "--block-size", "-p", "--processes", "--filters"})
# a letter of a short cluster that keeps the input: keep, to stdout, test, list
_KEEP_LETTERS = frozenset("kctl")
_KEEP_LONG = frozenset({"--keep", "--stdout", "--to-stdout", "--test", "--list", "--help", "--version"})


def compressor(judge: Scope, call: Call) -> Verdict | None:
    """`gzip FILE…`, `gzip -r DIR`, `xz FILE`, `zstd --rm FILE`: the inputs are replaced."""
    name = call.name
    args = call.args
    texts = [w.text for w in args]
    removes = name in _REPLACING or "--rm" in texts
    operands: list[Word] = []
    recursive = False
    j, only = 0, False
    while j < len(args):
        text = texts[j]
        if only or not text.startswith("-") or text == "-":
            if text != "-":
                operands.append(args[j])
        elif text == "--":
            only = True
        elif text.startswith("--"):
            option = text.split("=", 1)[0]
            if option in _KEEP_LONG:
                return None
            recursive = recursive or option == "--recursive"
            j += 1 if option in _VALUED and "=" not in text else 0
        else:
            letters = text[1:]
            if name == "zstd" and letters[:1].isdigit():  # `-19`: a level
                j += 1
                continue
            for k, letter in enumerate(letters):
                if letter in _KEEP_LETTERS:
                    return None
                recursive = recursive or letter == "r"
                if "-" + letter in _VALUED:
                    j += 0 if letters[k + 1 :] else 1
                    break
        j += 1
    if not removes or not (operands or call.xargs or call.find_paths is not None):
        return None
    recursive = recursive and name in _RECURSIVE
    how = "-r" if recursive else "--rm" if name in _KEEPING else "(without -k)"
    return deleted_inputs(judge, call, operands, recursive, how)


def rar(judge: Scope, call: Call) -> Verdict | None:
    """`rar a -df ARCHIVE FILES…`, `rar m|mf ARCHIVE FILES…`: FILES go once archived."""
    words = [w for w in call.args if not w.text.startswith("-")]
    switches = [w.text for w in call.args if w.text.startswith("-") and w.text != "--"]
    if len(words) < 2:
        return None
    command = words[0].text.lower()
    moving = command in ("m", "mf") or (command in ("a", "u", "f") and any(s.lower() in ("-df", "-dr")
                                                                            for s in switches))
    if not moving:
        return None
    return deleted_inputs(judge, call, words[2:], True, command if command in ("m", "mf") else "-df")
