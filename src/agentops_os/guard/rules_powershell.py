"""PowerShell command lines (`pwsh -c`, `powershell -Command`, `-EncodedCommand`): code
that downloads a script and runs it (`iwr URL | iex`, `IEX (New-Object Net.WebClient)
.DownloadString(URL)`, `[scriptblock]::Create((irm URL))`) is denied as `curl | sh` is;
base64 it decodes and runs is decoded and judged (asked about when it cannot be read);
the cmdlets that delete, read, copy, move or write files and the native programs it starts
are judged as the shell command line that does the same (`Remove-Item -Recurse -Force ~`
as `rm -r -f ~`)."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# Parameters of pwsh/powershell.exe that take a value (full names; any prefix of at least
# two letters is accepted, as PowerShell does).
_VALUED = ("executionpolicy", "ep", "configurationname", "custompipename", "inputformat", "outputformat",
           "settingsfile", "windowstyle", "workingdirectory", "wd", "version", "configurationfile",
           "psconsolefile")  # fmt: skip
_DOWNLOADS = (
    r"(?<![\w$-])(?:iwr|irm|invoke-webrequest|invoke-restmethod|curl|wget|start-bitstransfer)(?![\w-])"
    r"|net\.webclient|\.download(?:string|data|file)\b|httpclient|getstringasync\s*\(|msxml2\.xmlhttp"
)
_RUNS = (
    r"(?<![\w$-])(?:iex|invoke-expression|icm|invoke-command|start-process|saps)(?![\w-])"
    r"|\[scriptblock\]::create|(?:^|[;|({\s])[&.]\s*[({]|\|\s*(?:pwsh|powershell|cmd|sh|bash)\b"
)
_EVALS = r"(?<![\w$-])(?:iex|invoke-expression)(?![\w-])|\[scriptblock\]::create"
_DELETES = frozenset({"remove-item", "ri", "rm", "del", "erase", "rd", "rmdir"})
_READS = frozenset({"get-content", "gc", "cat", "type", "select-string", "sls", "import-csv"})
_COPIES = {"copy-item": "cp", "cpi": "cp", "cp": "cp", "copy": "cp", "move-item": "mv", "mi": "mv",
           "mv": "mv", "move": "mv"}  # fmt: skip
_WRITES = frozenset({"set-content", "sc", "add-content", "ac", "out-file", "new-item", "ni"})
_FETCH = frozenset({"iwr", "irm", "invoke-webrequest", "invoke-restmethod"})
_POWER = {"stop-computer": "shutdown now", "restart-computer": "reboot"}
# Parameters of those cmdlets that take a value which is not a path.
_SKIPS_VALUE = frozenset(
    {"filter", "include", "exclude", "credential", "stream", "encoding", "value", "itemtype", "pattern",
     "delimiter", "totalcount", "tail", "head", "first", "readcount", "method", "headers", "body", "uri",
     "useragent", "contenttype", "infile", "name"}
)  # fmt: skip
_WRAPPERS = frozenset({"env", "xargs", "nohup", "timeout"})
_HOME_VARS = ("$home", "$env:home", "$env:userprofile", "${env:home}", "${env:userprofile}")


def powershell(judge: Scope, call: Call) -> Verdict | None:
    text = _command_text(call)
    if text is None:
        return None
    if text is False:
        return judge.verdict(
            "code-obfuscated", "ask", f"{call.name} -EncodedCommand text does not decode: it cannot be read"
        )
    return judge_script(judge, call.name, str(text), 0)


def _command_text(call: Call) -> str | bool | None:
    """The script a pwsh/powershell command line runs; False for an -EncodedCommand that
    does not decode; None for a script file, standard input or no script."""
    args = [w.text for w in call.args]
    j = 0
    while j < len(args):
        text = args[j]
        if not text.startswith(("-", "/")) or text in ("-", "/"):
            if call.name.startswith("pwsh") and text.lower().endswith(".ps1"):
                return None  # `pwsh build.ps1`: a file, as -File
            return " ".join(args[j:])  # powershell's first word is -Command
        opt = text.lstrip("-/").lower().partition(":")[0]
        if opt in ("c", "cwa") or (len(opt) > 2 and ("command".startswith(opt) or opt == "commandwithargs")):
            rest = args[j + 1 :]
            return None if rest[:1] == ["-"] or not rest else " ".join(rest)
        if opt in ("e", "ec") or (len(opt) > 1 and "encodedcommand".startswith(opt)):
            return _decode(args[j + 1]) if j + 1 < len(args) else None
        if opt in ("f", "file") or (len(opt) > 1 and "file".startswith(opt)):
            return None
        valued = any(name.startswith(opt) for name in _VALUED) and len(opt) > 1 or opt in ("w", "v", "o")
        j += 2 if valued and ":" not in text else 1
    return None


def _decode(text: str) -> str | bool:
    import base64
    import binascii

    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(raw) > 1 and raw[1:2] == b"\0":
        return raw.decode("utf-16-le", "replace")
    return raw.decode("utf-8", "replace")


def judge_script(judge: Scope, name: str, script: str, depth: int) -> Verdict | None:
    import re

    from agentops_os.guard.urls import judge_url

    script = re.sub(r"`(?=[A-Za-z0-9-])", "", script)  # i`e`x: the escape character hides nothing
    lower = script.lower()
    verdicts: list[Verdict | None] = [judge_url(judge, u) for u in re.findall(r"https?://[^\s'\")]+", script)]
    if re.search(_DOWNLOADS, lower) and re.search(_RUNS, lower):
        reason = f"{name} downloads code and runs it (Invoke-Expression of a download: read it, then run it)"
        return judge.verdict("pipe-to-shell", "deny", reason)
    evals = re.search(_EVALS, lower)
    for literal in re.findall(r"frombase64string\(\s*['\"]([A-Za-z0-9+/=\s]+)['\"]", script, re.I):
        decoded = _decode(literal.replace(" ", ""))
        if decoded is False or depth >= 3:
            verdicts.append(judge.verdict("code-obfuscated", "ask", f"{name} runs base64 it cannot read"))
        elif evals:
            verdicts.append(_nested(judge, name, str(decoded), depth))
    if evals and "frombase64string" in lower and not verdicts[-1:]:
        reason = f"{name} runs text it decodes, which the guard cannot read"
        verdicts.append(judge.verdict("code-obfuscated", "ask", reason))
    for quoted in re.findall(r"(?:iex|invoke-expression)\s+(?:-command\s+)?'([^']+)'", script, re.I):
        verdicts.append(_nested(judge, name, quoted, depth))
    line = " ; ".join(s for s in (_translate(statement) for statement in _statements(script)) if s)
    if line:
        inner = judge.inner(line)
        if inner.decision != "allow":
            verdicts.append(Verdict(inner.decision, f"{name} runs `{line[:60]}`: {inner.reason}", inner.rule))
    return worst(verdicts)


def _nested(judge: Scope, name: str, text: str, depth: int) -> Verdict | None:
    if depth >= 3:
        return judge.verdict("code-obfuscated", "ask", f"{name} decodes code nested too deeply")
    return judge_script(judge, name, text, depth + 1)


def _statements(script: str) -> list[list[str]]:
    """The words of each statement (split at `;`, `|`, `&&`, `||`, new lines and block
    braces outside quotes), with quotes removed; a word whose value is unknown is None."""
    out: list[list[str]] = []
    words: list[str] = []
    word: list[str] = []
    quote = ""
    dynamic = False
    i = 0

    def flush_word() -> None:
        nonlocal dynamic
        if word or dynamic:
            words.append("".join(word) if not dynamic else "\0" + "".join(word))
        word.clear()
        dynamic = False

    while i < len(script):
        c = script[i]
        if quote:
            if c == quote and script[i + 1 : i + 2] == quote:
                word.append(c)
                i += 1
            elif c == quote:
                quote = ""
            elif c == "$" and quote == '"':
                i, dynamic = _variable(script, i, word, dynamic)
                continue
            else:
                word.append(c)
        elif c in "'\"":
            quote = c
        elif c == "$":
            i, dynamic = _variable(script, i, word, dynamic)
            continue
        elif c.isspace() and c != "\n":
            flush_word()
        elif c in ";|{}\n" or (c == "&" and script[i + 1 : i + 2] == "&"):
            flush_word()
            if words:
                out.append(words)
            words = []
            i += 1 if c == "&" or script[i : i + 2] == "||" else 0
        elif c in "()":
            flush_word()
        else:
            word.append(c)
        i += 1
    flush_word()
    if words:
        out.append(words)
    return [[w if not w.startswith("\0") else "\0" for w in s] for s in out]


def _variable(script: str, i: int, word: list[str], dynamic: bool) -> tuple[int, bool]:
    """A `$name` in a word: the home directory is `~`; any other variable is unknown."""
    import re

    match = re.match(r"\$\{[^}]*\}|\$(?:env:)?\w+", script[i:])
    if match is None:
        word.append("$")
        return i + 1, dynamic
    if match.group(0).lower() in _HOME_VARS and not word:
        word.append("~")
        return i + match.end(), dynamic
    if match.group(0).lower() in ("$pwd", "${pwd}") and not word:
        word.append(".")
        return i + match.end(), dynamic
    return i + match.end(), True


def _translate(words: list[str]) -> str:
    """The shell command line that does what one PowerShell statement does, or ''."""
    from shlex import quote

    from agentops_os.guard.programs import PRIVILEGE, RULE_MODULES
    from agentops_os.guard.unwrap import SHELLS

    if not words or words[0] == "\0":
        return ""
    cmd = words[0].lower().removesuffix(".exe")
    flags = {w.lstrip("-").lower() for w in words[1:] if w.startswith("-") and len(w) > 1}
    if "whatif" in flags:
        return ""  # only shows what it would do
    paths, named = _operands(words[1:])
    if cmd in _POWER:
        return _POWER[cmd]
    shown = [_shell_word(p) for p in paths]
    if cmd in _DELETES and shown:
        recursive = any(_switch(f, "recurse") or (f.isalpha() and "r" in f and len(f) <= 3) for f in flags)
        filters = named.get("filter") or named.get("include")
        if filters:
            depth = "" if recursive else "-maxdepth 1 "
            return " ; ".join(f"find {p} {depth}-name {quote(filters)} -delete" for p in shown)
        return "rm " + ("-r " if recursive else "") + "-f -- " + " ".join(shown)
    if cmd in _READS and shown:
        return "cat -- " + " ".join(shown)
    if cmd in _COPIES and shown:
        recursive = any(_switch(f, "recurse") or f in ("r", "rf", "fr") for f in flags)
        destination = named.get("destination")
        if destination is not None:
            shown.append(_shell_word(destination))
        return f"{_COPIES[cmd]} {'-r ' if recursive and _COPIES[cmd] == 'cp' else ''}-- " + " ".join(shown)
    file_item = cmd not in ("new-item", "ni") or named.get("itemtype") in (None, "file")
    if cmd in _WRITES and shown and file_item:
        return ("tee -a -- " if cmd in ("add-content", "ac") else "tee -- ") + shown[0] + " < /dev/null"
    if cmd in _FETCH:
        target = named.get("outfile")
        return f"curl -o {_shell_word(target)} https://example.invalid/" if target else ""
    if cmd in ("&", ".", "start-process", "saps", "start") and paths[:1] and "/" in _shell_word(paths[0]):
        return _shell_word(paths[0])  # `& ./install.ps1`: runs that file
    if cmd in RULE_MODULES or cmd in SHELLS or cmd in PRIVILEGE or cmd in _WRAPPERS:
        return " ".join(_shell_word(w) for w in words)
    return ""


def _switch(flag: str, name: str) -> bool:
    return len(flag) >= 2 and name.startswith(flag) or flag == name


def _operands(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """Positional words and the paths of -Path/-LiteralPath/-Destination (paths), and the
    values of the other parameters that take one (named)."""
    paths: list[str] = []
    named: dict[str, str] = {}
    j = 0
    while j < len(words):
        word = words[j]
        if word.startswith("-") and len(word) > 1 and word[1:2].isalpha():
            opt, _, attached = word[1:].lower().partition(":")
            value = attached or (words[j + 1] if j + 1 < len(words) else "")
            taken = 0 if attached else 1
            if opt in ("path", "literalpath", "lp", "pspath", "filepath", "destination", "outfile") or (
                len(opt) > 2 and any(n.startswith(opt) for n in ("literalpath", "destination", "filepath"))
            ):
                full = "destination" if "destination".startswith(opt) else opt if opt == "outfile" else ""
                if full:
                    named[full] = value
                else:
                    paths.append(value)
                j += 1 + taken
                continue
            if opt in _SKIPS_VALUE or any(n.startswith(opt) and len(opt) > 2 for n in _SKIPS_VALUE):
                full = next((n for n in _SKIPS_VALUE if n.startswith(opt)), opt)
                named[full] = value.lower() if full == "itemtype" else value
                j += 1 + taken
                continue
            j += 1
            continue
        paths.append(word)
        j += 1
    return paths, named


def _shell_word(text: str) -> str:
    from shlex import quote

    if text == "\0":
        return '"${UNKNOWN_VALUE}"'
    text = text.replace("\\", "/")
    if text == "~" or text.startswith("~/"):
        return "~" + (quote(text[1:]) if text[1:] else "")
    return quote(text)


RULES = dict.fromkeys(("pwsh", "pwsh.exe", "powershell", "powershell.exe"), powershell)
