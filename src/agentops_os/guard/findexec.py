"""What the `{}` of `find … -exec CMD {} ;` stands for, for rules other than deletes.

`find ~/.ssh -name id_rsa -exec cat {} \\;` reads a private key and `find ~ -name .bashrc
-exec sh -c 'echo … >> "$1"' _ {} \\;` appends to a start-up file, yet CMD's own word is
only `{}`: judged as written it is a file called `{}` in the current directory. So CMD
is judged a second time with `{}` replaced by the paths find can hand it: below each
start path, the names its `-name`/`-iname` tests select (`~/.ssh/id_rsa`), the paths
its `-path` tests select, or, when it selects by neither, every entry (`~/.ssh/*`).

Deletes have their own, finer account of find (`rules_delete.delete_targets`: what a
selection spares), so rm and its kin are not judged again here.
"""

from __future__ import annotations

import os

from agentops_os.guard.findreach import pruned_branch
from agentops_os.guard.shell import Command, Redirect, Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.unwrap import Call

# programs whose `{}` rules_delete already follows
_DELETERS = frozenset({"rm", "rimraf", "unlink", "rmdir", "trash", "shred", "find"})
_NAME_TESTS = frozenset({"-name", "-iname"})
_PATH_TESTS = frozenset({"-path", "-ipath", "-wholename", "-iwholename"})
_PLACEHOLDER = "{}"


def selected_paths(find_args: list[Word], start_paths: list[Word]) -> list[Word]:
    """Words for what a find with these arguments can select: `start/NAME` per name
    test, the `-path` patterns, or `start/*`."""
    names: list[str] = []
    patterns: list[str] = []
    texts = [w.text for w in find_args]
    for k, text in enumerate(texts[:-1]):
        if (k and texts[k - 1] in ("!", "-not")) or pruned_branch(texts, k + 2):
            continue  # `-not -path './.git/*'`, `-path ./.git -prune`: what find leaves out
        if text in _NAME_TESTS:
            names.append(texts[k + 1])
        elif text in _PATH_TESTS:
            patterns.append(texts[k + 1])
        elif text in ("-exec", "-execdir", "-ok", "-okdir"):
            break
    out: list[Word] = []
    for start in start_paths:
        base = start.text.rstrip("/") or "/"
        for name in names:
            out.append(_path_word(start, os.path.join(base, name)))
        for pattern in patterns:
            joined = pattern if pattern.startswith("/") else os.path.join(base, pattern.lstrip("*/"))
            out.append(_path_word(start, joined))
        if not names and not patterns:
            out.append(_path_word(start, os.path.join(base, "*")))
    return out


def _path_word(start: Word, text: str) -> Word:
    glob = any(c in text for c in "*?[")
    return Word(text, start.quoted, start.dynamic, glob, [], start.tilde)


def concrete_calls(call: Call) -> list[Call]:
    """Copies of `call` with each `{}` (in its words and its redirections) replaced by one
    path find can select; none when `call` does not use `{}` or is a delete."""
    selected = call.find_selected
    if not selected or call.name in _DELETERS:
        return []
    uses = any(_PLACEHOLDER in w.text for w in call.args) or any(
        r.target is not None and _PLACEHOLDER in r.target.text for r in call.command.redirects)
    if not uses:
        return []
    out = []
    for path in selected:
        args = [_put(w, path) for w in call.args]
        redirects = [Redirect(r.op, _put(r.target, path) if r.target is not None else None, r.body)
                     for r in call.command.redirects]
        command = Command([_put(w, path) for w in call.command.words], redirects, call.command.upstream)
        # type(call), not an import of unwrap, which imports this module
        copy = type(call)(call.name, args, command, call.via, call.xargs, None, call.find_narrowed,
                          call.upstream)
        copy.chdir = call.chdir
        out.append(copy)
    return out


def _put(word: Word, path: Word) -> Word:
    if _PLACEHOLDER not in word.text:
        return word
    if word.text == _PLACEHOLDER:
        return path
    inner, dynamic = path.text, word.dynamic or path.dynamic
    if path.tilde and (inner == "~" or inner.startswith("~/")) and not word.text.startswith(_PLACEHOLDER):
        # find was handed the expanded start path: inside a word (`-F f=@{}`) `~` is not
        # where bash would expand it, so spell the home as the variable that names it
        inner, dynamic = "$HOME" + inner[1:], True
    text = word.text.replace(_PLACEHOLDER, inner)
    return Word(text, word.quoted, dynamic, word.glob or path.glob, [],
                path.tilde and word.text.startswith(_PLACEHOLDER))
