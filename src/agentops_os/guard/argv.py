"""Argument helpers shared by the command rules: operands, flags, and the program
name sets that several rules look at. Imports only the shell model."""

from __future__ import annotations

from agentops_os.guard.shell import Command, ShellSyntaxError, Word, commands_of
from agentops_os.guard.unwrap import SHELLS, calls_of

FETCHERS = frozenset({"curl", "wget", "fetch", "http", "https", "aria2c", "xh", "lwp-request"})
EXEC_SINKS = SHELLS | {
    "python",
    "python3",
    "perl",
    "ruby",
    "node",
    "php",
    "pwsh",
    "powershell",
    "source",
    ".",
    "eval",
    "deno",
    "bun",
}
READERS = frozenset(
    {
        "cat",
        "less",
        "more",
        "head",
        "tail",
        "bat",
        "batcat",
        "nl",
        "tac",
        "base64",
        "xxd",
        "od",
        "hexdump",
        "strings",
        "grep",
        "egrep",
        "fgrep",
        "rg",
        "ag",
        "awk",
        "cut",
        "sort",
        "uniq",
        "jq",
        "yq",
        "scp",
        "rsync",
        "cp",
        "vim",
        "vi",
        "nano",
        "emacs",
        "code",
        "openssl",
        "gpg",
        "zip",
        "tar",
        "nc",
        "diff",
        "paste",
        "column",
        # more programs that print (or copy out) a file's content: judged by rules_files.reads
        "rev", "fold", "fmt", "pr", "expand", "unexpand", "cmp", "comm", "join", "split", "csplit", "shuf",
        "iconv", "pv", "look", "base32", "basenc", "uuencode", "hd", "hexyl", "most", "sdiff", "diff3",
        "colordiff", "zcat", "gzcat", "zless", "zmore", "bzcat", "bzless", "xzcat", "xzless", "lzcat",
        "zstdcat", "lz4cat", "gzip", "bzip2", "xz", "zstd", "lz4", "zgrep", "zegrep", "zfgrep", "bzgrep",
        "xzgrep", "zstdgrep", "ack", "ugrep", "jaq", "gojq", "xq", "tomlq", "xmllint", "pygmentize",
        "xclip", "view", "gview", "nvim", "gvim", "vimdiff", "ed", "ex", "micro", "gawk", "mawk", "nawk",
        "perl", "ruby", "sqlite3", "duckdb",
        # and batch editors that rewrite the files they are given (batchedit.inplace_writes)
        "sponge", "dos2unix", "unix2dos", "patch", "sd", "crudini", "xmlstarlet", "dasel",
    }
)
DB_CLIENTS = frozenset(
    {
        "psql",
        "mysql",
        "mariadb",
        "sqlite3",
        "sqlcmd",
        "mongo",
        "mongosh",
        "cqlsh",
        "clickhouse-client",
        "clickhouse",
        "cockroach",
        "duckdb",
        "snowsql",
        "bq",
        "redis-cli",
        "usql",
        "pgcli",
        "mycli",
        "litecli",
    }
)
# Patterns are strings compiled on first use (re caches them): most calls never need them.


def search(pattern: str, text: str):  # type: ignore[no-untyped-def]
    import re  # only the few commands that need a pattern pay for importing re

    return re.search(pattern, text)


# Variables that load code into the programs a command starts: a library into every one
# (`LD_PRELOAD`, judged in linerun) or a file of code into an interpreter (`NODE_OPTIONS=
# --require F`, `BASH_ENV`, ...; judged in codeloaders).
LOADER_VARIABLES = ("LD_PRELOAD=", "LD_AUDIT=", "LD_LIBRARY_PATH=", "NODE_OPTIONS=", "BASH_ENV=", "ENV=",
                    "RUBYOPT=", "JAVA_TOOL_OPTIONS=", "_JAVA_OPTIONS=", "JDK_JAVA_OPTIONS=")  # fmt: skip

def operands(args: list[Word], valued: frozenset[str] = frozenset()) -> list[Word]:
    out: list[Word] = []
    j = 0
    only = False
    while j < len(args):
        text = args[j].text
        if only:
            out.append(args[j])
        elif text == "--":
            only = True
        elif text.startswith("-") and text != "-":
            if text in valued:
                j += 1
        else:
            out.append(args[j])
        j += 1
    return out


def plain_words(argv: list[str], valued: frozenset[str]) -> list[str]:
    """The words of `argv` that are no option or option value (`-` is stdin, a word);
    unlike `operands`, a `--` is skipped like any option (package tools pass it on)."""
    out: list[str] = []
    j = 0
    while j < len(argv):
        arg = argv[j]
        if arg.startswith("-") and arg != "-":
            j += 2 if arg in valued else 1
            continue
        out.append(arg)
        j += 1
    return out


def flag_set(args: list[Word]) -> set[str]:
    """Single-letter flags (`-rf` -> r, f) and long options (`--force`) before `--`."""
    found: set[str] = set()
    for word in args:
        text = word.text
        if text == "--":
            break
        if text.startswith("--"):
            found.add(text.split("=", 1)[0])
        elif text.startswith("-") and len(text) > 1:
            found.update(text[1:])
    return found


def program_names(command: Command) -> list[str]:
    try:
        return [call.name for call in calls_of(command)]
    except ShellSyntaxError:
        return []


def subs_fetch(words: list[Word]) -> bool:
    for word in words:
        for tokens in word.subs:
            for inner in commands_of(tokens):
                if any(name in FETCHERS for name in program_names(inner)):
                    return True
    return False


def has_short(args: list[str], letter: str) -> bool:
    return any(a.startswith("-") and not a.startswith("--") and letter in a[1:] for a in args)


def long_options(args: list[str], known: tuple[str, ...]) -> list[str]:
    """GNU getopt_long and git accept any unambiguous prefix of a long option
    (`--recur` is `--recursive`, `--force-w` is `--force-with-lease`): spell each one out
    against `known` so that rules compare full names. Ambiguous or unknown prefixes are
    kept as written (the program itself rejects them). Stops at `--`."""
    out: list[str] = []
    done = False
    for text in args:
        if done or not text.startswith("--") or text == "--":
            done = done or text == "--"
            out.append(text)
            continue
        name, eq, value = text.partition("=")
        if name in known:
            out.append(text)
            continue
        hits = sorted((option for option in known if option.startswith(name)), key=len)
        # An ambiguous prefix is rejected by the program; judging it as the shortest
        # candidate (`--forc` as `--force`) can only err on the safe side.
        out.append(hits[0] + eq + value if hits else text)
    return out


RM_LONG = (
    "--recursive",
    "--force",
    "--no-preserve-root",
    "--preserve-root",
    "--dir",
    "--interactive",
    "--one-file-system",
    "--verbose",
    "--help",
    "--version",
)
CHMOD_LONG = (
    "--recursive",
    "--reference",
    "--changes",
    "--silent",
    "--quiet",
    "--verbose",
    "--no-preserve-root",
    "--preserve-root",
    "--help",
    "--version",
)
