"""Writes of files the guard cannot name into a directory it can: an archive extracted
there (`unzip -d DIR`, `tar -C DIR`, `7z -oDIR`, cpio in the current directory), a
package installed there (`pip --target DIR`, `setup.py install --prefix DIR`), cmake
copying a tree there. What lands is not known, so the directory decides:

- `/`, the home or a directory above it: any member can be a dotfile (`~/.bashrc`,
  `~/.ssh/authorized_keys`) or a system file, so the write is asked;
- anywhere else: judged as a write of a file in that directory (`~/.config/…` is a
  sensitive place, `/usr/…` a protected one, `.git/…` git metadata; the repository and
  /tmp pass)."""

from __future__ import annotations

import os

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word


def judge_into(judge: Scope, directory: str, how: str) -> Verdict | None:
    """`how` writes files of unknown names into the absolute `directory`."""
    home = judge.home
    if directory == "/" or directory == home or home.startswith(directory.rstrip(os.sep) + os.sep):
        decision = judge.policy.write_outside_repo
        if decision == "allow":
            return None
        where = "the root of the file system" if directory == "/" else (
            "your home" if directory == home else f"{directory}, above your home")
        reason = f"{how} {where}: its files can overwrite dotfiles or system files"
        return judge.verdict("write-outside-repo", "deny" if decision == "deny" else "ask", reason)
    return judge.judge_write(directory.rstrip(os.sep) + os.sep + "…", how)


def judge_into_word(judge: Scope, word: Word, text: str | None, how: str) -> Verdict | None:
    """`judge_into` for a directory written as `text` (a word's value after `-o`, `=` …;
    the whole word when None), resolved with the word's quoting. A leading `~` counts as
    the home even where bash leaves it (`-o~/x`, `--prefix=~/x`): many programs expand it
    themselves, and the guard errs on that side."""
    path = judge.resolve(word.text if text is None else text, dynamic=word.dynamic, quoted=word.quoted,
                         tilde=None if text is None else not word.quoted)
    return None if path is None else judge_into(judge, path, how)
