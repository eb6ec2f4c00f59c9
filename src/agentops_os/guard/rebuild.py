"""Words written back as shell text, for rules that turn one program's arguments into the
command line it stands for (`cmake -E rm -rf ~` is `rm -rf ~`, `pnpm dlx rimraf /` is
`rimraf /`) and have `Scope.inner` judge that line: what bash already expanded stays
expanded the same way when the line is parsed again."""

from __future__ import annotations

from agentops_os.guard.shell import Word, quote

# characters a word may hold bare and mean the same when it is read again (a glob also
# its pattern characters)
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+@%=:,")
_BARE = _PLAIN | frozenset("*?[]{}")


def shell_word(word: Word) -> str:
    """One word as shell text: a leading `~` the shell expanded stays a bare `~`, an
    unquoted glob stays a glob, a word with `$NAME` in it is double-quoted (so that the
    guard expands it again), anything else single-quoted."""
    text = word.text
    if word.tilde and (text == "~" or text.startswith("~/")):
        return "~/" + _quoted(text[2:], word) if text[2:] else text
    return _quoted(text, word)


def _quoted(text: str, word: Word) -> str:
    if text and (set(text) <= _PLAIN or word.glob and not word.quoted and set(text) <= _BARE):
        return text
    if word.dynamic and not set(text) & set('"\\`'):
        return '"' + text + '"'
    return quote(text)


def shell_line(program: str, words: list[Word]) -> str:
    """`program` with `words` as its arguments, as one command line."""
    return " ".join([program, *(shell_word(w) for w in words)])
