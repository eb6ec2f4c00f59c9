"""The command lines and code held by files that agent clients, editors and build tools run
by themselves (for autorun.py, which judges them).

- MCP server configs (`.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json`, `mcp_config.json`,
  Zed's `context_servers`) and agent client settings (`.claude/settings.json` hooks,
  `statusLine`, `apiKeyHelper`; `.cursor/hooks.json`; `.gemini/settings.json`): a server's
  `command` and `args` are the program line the client starts, a hook's `command` the
  shell line it runs at each tool call.
- Neovim/Vim project files (`.nvim.lua`, `.nvimrc`, `.exrc`, a repository's `.vimrc`),
  which Neovim's `exrc` runs on opening the folder: Vim script's `!cmd`, `system()`,
  `jobstart()`, `termopen()`, and Lua (`vim.fn.system`, `jobstart({...})`, `os.execute`).
- tox's `commands_pre`/`commands`/`commands_post` (tox.ini, setup.cfg, pyproject's
  `legacy_tox_ini`), a justfile's recipe lines, and the programs a Cargo `build.rs` starts
  (`Command::new("sh").args(["-c", "…"])`), which `cargo build` runs.

Only text: no judging here."""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from typing import Any

# agent client settings keys whose value is a shell line it runs
_HELPER_KEYS = ("apiKeyHelper", "awsAuthRefresh", "awsCredentialExport", "otelHeadersHelper")


def _quoted(word: str) -> str:
    from agentops_os.guard.shell import quote

    return quote(word)


def agent_commands(text: str) -> list[str]:
    """The command lines an MCP config or agent client settings file makes the client run:
    every `command` (with its `args`), wherever it sits (servers, hooks, status line)."""
    from agentops_os.jsonscan import loads_or_none

    data = loads_or_none(text)
    if data is None:
        data = loads_or_none(strip_jsonc(text))
    if data is None:
        return _fragment_commands(text)
    out: list[str] = []
    _walk(data, out, 0)
    if isinstance(data, dict):
        out.extend(v for k, v in data.items() if k in _HELPER_KEYS and isinstance(v, str))
    return [c for c in out if c.strip()]


def _walk(value: Any, out: list[str], depth: int) -> None:
    if depth > 12:
        return
    if isinstance(value, list):
        for item in value:
            _walk(item, out, depth + 1)
        return
    if not isinstance(value, dict):
        return
    command, args = value.get("command"), value.get("args")
    if isinstance(command, dict):  # Zed: "command": {"path": "npx", "args": [...]}
        command, args = command.get("path"), command.get("args")  # type: ignore[union-attr]
    if isinstance(command, list):  # an argument list
        command, args = (command[0], command[1:]) if command else (None, None)
    if isinstance(command, str) and command.strip():
        words = [a for a in args if isinstance(a, str)] if isinstance(args, list) else []
        out.append(" ".join(_quoted(w) for w in [command, *words]) if words else command)
    for key, item in value.items():
        if key not in ("command", "args"):
            _walk(item, out, depth + 1)


def _fragment_commands(text: str) -> list[str]:
    """From an Edit's JSON fragment: each `"command": "…"` with the `"args": [...]` after it."""
    from agentops_os.jsonscan import loads_or_none

    out: list[str] = []
    pattern = r'"command"\s*:\s*("(?:[^"\\\n]|\\.)*")(\s*,\s*"args"\s*:\s*(\[[^\]]*\]))?'
    for match in re.finditer(pattern, text):
        command = loads_or_none(match.group(1))
        args = loads_or_none(match.group(3)) if match.group(3) else None
        if isinstance(command, str):
            words = [a for a in args if isinstance(a, str)] if isinstance(args, list) else []
            out.append(" ".join(_quoted(w) for w in [command, *words]) if words else command)
    return out


# -- Vim and Neovim ------------------------------------------------------------------------
_VIM_RUNNERS = r"(?:system|systemlist|jobstart|job_start|termopen|term_start)"
# `!cmd` where a command starts: the line's start, after `:` or `|`, `silent`, `exe "`, or an
# autocmd's event and pattern (not `if !exists(…)` or `set number!`)
_BANG = re.compile(r"(?:^|:|\|\s*|\bsil(?:ent)?!?\s+|\bau(?:tocmd)?\s+\S+\s+\S+\s+(?:\+\+\w+\s+)*"
                   r"|\bexe(?:cute)?\s+['\"])!(?=[^\s=~!])(.+)$")
_STRING = r"""(?:'(?:[^'\n]|'')*'|"(?:[^"\\\n]|\\.)*")"""


def vim_script(text: str) -> tuple[list[str], str]:
    """The shell lines a Vim script runs (`!cmd`, `system('cmd')`, `jobstart(['sh', '-c',
    'cmd'])`) and the Lua it holds (`lua << EOF … EOF`, `lua CODE` lines)."""
    lines: list[str] = []
    lua: list[str] = []
    rows = text.splitlines()
    i = 0
    while i < len(rows):
        row = rows[i].strip()
        i += 1
        if row.startswith('"'):
            continue  # a comment
        heredoc = re.match(r"lua\s*<<\s*(?:trim\s+)?(\w*)\s*$", row)
        if heredoc:
            end = heredoc.group(1) or "."
            while i < len(rows) and rows[i].strip() != end:
                lua.append(rows[i])
                i += 1
            i += 1
            continue
        if re.match(r"lua\s", row):
            lua.append(row[4:])
            continue
        bang = _BANG.search(row)
        if bang:
            lines.append(re.sub(r"<(?:CR|cr|Enter)>.*$", "", bang.group(1)).strip())
        for call in re.finditer(_VIM_RUNNERS + r"\s*\(\s*(" + _STRING + r"|\[[^\]]*\])", row):
            line = _vim_argument(call.group(1))
            if line:
                lines.append(line)
    return [line for line in lines if line], "\n".join(lua)


def _vim_argument(text: str) -> str | None:
    """A runner's first argument as a command line: a string literal, or a list of them
    (an argument list)."""
    if text.startswith("["):
        words = [_vim_string(m.group(0)) for m in re.finditer(_STRING, text)]
        return " ".join(_quoted(w) for w in words) if words else None
    return _vim_string(text)


def _vim_string(literal: str) -> str:
    body = literal[1:-1]
    if literal.startswith("'"):
        return body.replace("''", "'")
    return re.sub(r"\\(.)", r"\1", body)


def neovim_lua(code: str) -> str:
    """Neovim Lua as the code reader reads it: an argument table of strings (`{'sh', '-c',
    'cmd'}`) as a list, and Neovim's job runners (`vim.fn.jobstart`, `vim.system`,
    `vim.fn.termopen`) as `vim.fn.system`, which runs its string with a shell and its list
    as an argument list, as they do."""
    code = re.sub(r"\{(\s*" + _LUA_STRING + r"(?:\s*,\s*" + _LUA_STRING + r")*\s*,?\s*)\}",
                  lambda m: "[" + m.group(1) + "]", code)
    return re.sub(r"\b(?:vim\.fn\.(?:jobstart|termopen|systemlist)|vim\.system|vim\.fn\.jobstart)\s*\(",
                  "vim.fn.system(", code)


_LUA_STRING = r"""(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""


# -- tox, just, cargo ----------------------------------------------------------------------
_TOX_KEYS = ("commands_pre", "commands", "commands_post")


def tox_commands(text: str) -> list[str]:
    """The command lines of tox's test environments (`[testenv]`, `[testenv:NAME]`,
    setup.cfg's `[tox:…]`), with tox's substitutions put in (`{posargs}` empty,
    `{envpython}` python) and its `-` (ignore the exit status) and `!` prefixes dropped."""
    embedded = re.search(r'legacy_tox_ini\s*=\s*("""|\'\'\')(.*?)\1', text, re.S)
    if embedded:
        text = embedded.group(2)
    out: list[str] = []
    section = ""
    key = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section, key = stripped[1:-1].strip(), ""
            continue
        if not section.startswith(("testenv", "tox:", "tox")):
            continue
        if line[:1] in " \t" and key in _TOX_KEYS:
            out.append(stripped)
            continue
        name, eq, value = stripped.partition("=")
        key = name.strip() if eq else ""
        if key in _TOX_KEYS and value.strip():
            out.append(value.strip())
    return [_tox_line(line) for line in _joined(out) if _tox_line(line)]


def _joined(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1] + " " + line
        else:
            out.append(line)
    return out


def _tox_line(line: str) -> str:
    line = line.lstrip("-! ").strip()
    line = re.sub(r"\{posargs(?::[^}]*)?\}", "", line)
    line = line.replace("{envpython}", "python").replace("{toxinidir}", ".").replace("{tox_root}", ".")
    return line.replace("{envbindir}/", "").replace("{env_bin_dir}/", "")


def just_recipes(text: str) -> list[tuple[str, str]]:
    """A justfile's recipe bodies: (body, language), the language "sh" unless the recipe
    starts with a `#!` line (`#!/usr/bin/env python3`: "python3")."""
    out: list[tuple[str, str]] = []
    body: list[str] = []
    for line in [*text.splitlines(), "end:"]:
        if line[:1] in " \t" and line.strip():
            body.append(line.strip())
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if body:
            language = "sh"
            if body[0].startswith("#!"):
                words = body[0][2:].split()
                words = [w for w in words[1:] if not w.startswith("-")] if words[:1] and \
                    words[0].endswith("/env") else words[:1]
                language = words[0].rsplit("/", 1)[-1] if words else ""
                body = body[1:]
            out.append(("\n".join(w.lstrip("@-") for w in body), language))
            body = []
    return out


def rust_commands(text: str) -> list[str]:
    """The programs a Rust build script starts: `Command::new("prog")` with the `.arg("x")`
    and `.args(["a", "b"])` string literals of the same statement."""
    out: list[str] = []
    for match in re.finditer(r'Command::new\(\s*"((?:[^"\\]|\\.)*)"\s*\)', text):
        end = text.find(";", match.end())
        chain = text[match.end() : end if end >= 0 else len(text)]
        words = [_rust_string(match.group(1))]
        for arg in re.finditer(r'\.args?\(\s*(?:&|vec!)?\s*(\[[^\]]*\]|"(?:[^"\\]|\\.)*")', chain):
            words += [_rust_string(s) for s in re.findall(r'"((?:[^"\\]|\\.)*)"', arg.group(1))]
        out.append(" ".join(_quoted(w) for w in words))
    return out


def _rust_string(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (VS Code, dev containers) as plain JSON."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif char in "}]":
            while out and out[-1].strip() in ("", ","):
                if out.pop().strip() == ",":
                    break
            out.append(char)
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)
