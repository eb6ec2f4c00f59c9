"""Interpreter code that runs what it gets from the network, judged as `curl URL | sh` is.

- Code that downloads code and runs it in the interpreter itself: `exec(urlopen(u).read())`,
  `eval(requests.get(u).text)`, `fetch(u).then(r => r.text()).then(eval)`, `new Function(body)`,
  `vm.runInThisContext`, Ruby `eval URI.open(u).read`, Perl `eval get($u)`, PHP
  `eval(file_get_contents("http…"))`, or hands it to a shell (`os.system(body)`,
  `subprocess.run(["sh"], input=body)`): `pipe-to-shell`, deny. Text received on a socket
  and run (`IO.popen(sock.gets)`) is a reverse shell.
- Code that downloads to a file and then runs that file: `urlretrieve(u, p)`,
  `open(p, 'wb').write(requests.get(u).content)`, `fs.writeFileSync(p, await (await
  fetch(u)).text())`, `wget.download(u, p)`, `File.write(p, URI.open(u).read)`. The file is
  noted as downloaded (`Scope.downloaded`), so that running it later in the code
  (`subprocess.run(['bash', p])`, `os.chmod(p, 0o755); os.system(p)`) or on the line
  is judged as running a download; so is loading it as code (`runpy.run_path(p)`,
  `exec(open(p).read())`, `require(p)`, `load p`).

Also the URLs such code reaches (judged as curl's are), and a request that sends the whole
environment."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.coderead import CodeReader
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# Calls that run the text they are given as code of the interpreter.
_RUNS_CODE = frozenset(
    {"exec", "eval", "Function", "runInThisContext", "runInNewContext", "runInContext", "Script",
     "compileFunction", "instance_eval", "class_eval", "module_eval", "instance_exec", "assert", "load",
     "loadstring", "include_string", "evalString"}
)  # fmt: skip
# Parsers of data formats: their `load` reads data, it runs nothing (`json.load(urlopen(u))`).
_DATA_PARSERS = frozenset({"json", "simplejson", "ujson", "orjson", "tomllib", "tomli", "toml", "plistlib",
                           "csv", "configparser", "xmltodict"})  # fmt: skip
# Deserialisers that run code hidden in what they read.
_UNPICKLERS = frozenset({"pickle", "cPickle", "dill", "cloudpickle", "marshal", "joblib"})
# Calls that load a file as code (a library, a module, a script).
_RUNS_FILE = frozenset(
    {"run_path", "load", "require", "require_relative", "include", "include_once", "require_once",
     "dofile", "loadfile", "CDLL", "LoadLibrary", "dlopen", "spec_from_file_location", "evalfile",
     "source_file", "import_file", "source", "sys.source", "source_url", "source_gist"}
)  # fmt: skip
# Calls that read a file.
_READS = frozenset(
    {"open", "readFileSync", "readFile", "read_text", "read_bytes", "file_get_contents", "fopen", "readfile",
     "File.read", "IO.read", "readTextFileSync", "readTextFile", "binread", "read"}
)  # fmt: skip
# Calls that save what they fetch to a path they are given (`urlretrieve(u, p)`).
_SAVES = frozenset(
    {"urlretrieve", "download", "download_file", "getstore", "mirror", "copy", "retrieve", "fetch_file",
     "downloadFile", "save_url"}
)  # fmt: skip
# Calls that write what they are given to a file.
_WRITES = frozenset(
    {"write", "writeFileSync", "writeFile", "write_bytes", "write_text", "file_put_contents", "fwrite",
     "fputs", "print", "puts", "syswrite", "copyfileobj", "copy_stream", "pipe", "pipeline", "binwrite",
     "writeTextFile", "writeTextFileSync", "appendFileSync", "iter_content", "save", "write_all"}
)  # fmt: skip
# Calls that open a file for writing, for a later `f.write(body)`.
_OPENS = frozenset({"open", "fopen", "createWriteStream", "openSync", "File.open", "io.open"})
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish", "python", "python3", "node", "perl", "ruby",
                     "php", "pwsh", "powershell", "lua", "tclsh", "osascript"})  # fmt: skip


def network_code(
    judge: Scope, call: Call, reader: CodeReader, shell_runners: frozenset[str]
) -> list[Verdict | None]:
    """Verdicts for network text the code runs; the files it downloads are noted in
    `judge.downloaded` for the calls that run them."""
    from agentops_os.guard.codenet import FETCHED, is_url, net_of
    from agentops_os.guard.coderead import Keyword, program_argv, text_of

    verdicts: list[Verdict | None] = []
    for dotted, _recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        positional = [a for a in args if not isinstance(a, Keyword)]
        first = positional[0] if positional else None
        net = None
        if name == "load" and dotted.split(".", 1)[0] in _DATA_PARSERS:
            pass  # json.load(urlopen(u)): data, parsed
        elif name in _RUNS_CODE or name in _RUNS_FILE or (name in ("loads", "load")
                                                          and dotted.split(".", 1)[0] in _UNPICKLERS):
            net = net_of(first) or (FETCHED if name in _RUNS_FILE and is_url(first) else None)  # source(URL)
        elif name in shell_runners:
            argv = program_argv(reader.lang, dotted, args)
            net = net_of(first) if argv is None else net_of(argv)
            program = (text_of(argv[0]) or "") if argv else (text_of(first) or "")
            if net is None and program.rsplit("/", 1)[-1].split(" ", 1)[0] in _SHELLS:
                fed = [a.value for a in args if isinstance(a, Keyword) and a.name == "input"]
                net = net_of(fed)  # subprocess.run(["sh"], input=body)
        if net is not None:
            verdicts.append(_runs_network(judge, call, net.kind))
    downloads = _downloads(judge, reader)
    judge.downloaded.update(downloads)
    if downloads:
        verdicts.append(_loads_download(judge, call, reader, downloads))
    return verdicts


def _runs_network(judge: Scope, call: Call, kind: str) -> Verdict | None:
    if kind == "socket":
        reason = f"{call.name} code runs commands it reads from a socket (typed by whoever is at the far end)"
        return judge.verdict("reverse-shell", "deny", reason)
    reason = f"{call.name} code runs what it downloads (download, read, then run it)"
    return judge.verdict("pipe-to-shell", "deny", reason)


def _downloads(judge: Scope, reader: CodeReader) -> set[str]:
    """The files the code saves a download to."""
    from agentops_os.guard.codenet import is_url, net_of
    from agentops_os.guard.coderead import Keyword, text_of

    found: set[str] = set()
    opened: str | None = None  # the file last opened for writing
    for dotted, recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        tail = ".".join(dotted.rsplit(".", 2)[-2:])
        values = [a.value if isinstance(a, Keyword) else a for a in args]
        texts = [t for t in (text_of(v) for v in values) if t and not is_url(t)]
        if name in _OPENS or tail in _OPENS:
            mode = text_of(values[1]) if len(values) > 1 else ""
            if name == "createWriteStream" or (mode and any(c in mode for c in "wax")):
                opened = texts[0] if texts else None
        fetched = net_of(recv) is not None or any(net_of(v) is not None for v in values)
        if name in _SAVES and (any(is_url(v) for v in values) or fetched) and len(texts) > 0:
            found.update(_paths(judge, texts[-1:]))
        elif name in _WRITES and fetched:
            own = [text_of(recv)] if isinstance(recv, str) else texts[:1]
            paths = [t for t in own if t and t not in ("wb", "w", "ab")] or ([opened] if opened else [])
            found.update(_paths(judge, paths))
    return found


def _loads_download(judge: Scope, call: Call, reader: CodeReader, downloads: set[str]) -> Verdict | None:
    """A downloaded file loaded as code: `runpy.run_path(p)`, `require(p)`, or read
    (`open(p).read()`) in code that runs what it computes (`exec(...)`)."""
    from agentops_os.guard.coderead import text_of

    read = False
    for dotted, recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        tail = ".".join(dotted.rsplit(".", 2)[-2:])
        texts = [t for t in (text_of(v) for v in [recv, *args]) if t]
        if not set(_paths(judge, texts)) & downloads:
            continue
        if name in _RUNS_FILE:
            reason = f"{call.name} code downloads a file and loads it as code (download, read, then run it)"
            return judge.verdict("pipe-to-shell", "deny", reason)
        read = read or name in _READS or tail in _READS
    if read and any(d.rsplit(".", 1)[-1] in _RUNS_CODE and args and text_of(args[0]) is None
                    for d, _r, args in reader.calls):
        reason = f"{call.name} code downloads a file, reads it and runs it (download, read, then run it)"
        return judge.verdict("pipe-to-shell", "deny", reason)
    return None


def _paths(judge: Scope, texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        text = judge.home + text[1:] if text.startswith("~") else text
        path = judge.resolve(text, quoted=True)
        if path is not None:
            out.append(path)
    return out


# Calls that send what they are given: HTTP requests, sockets, a request body.
_SENDS = frozenset(
    {"urlopen", "Request", "post", "put", "patch", "request", "fetch", "send", "sendall", "sendto", "end",
     "post_form", "get", "file_get_contents", "curl_setopt", "fputs", "fwrite", "syswrite", "print", "puts",
     "emit", "open", "axios", "got", "write"}
)  # fmt: skip
# Writes that go to the terminal or a log, not to a connection.
_LOCAL_OUTPUT = frozenset(
    {"stdout", "stderr", "sys", "console", "process", "logger", "log", "STDOUT", "STDERR"}
)


# Methods of a mapping: called on the environment they look a name up (`env.get("HOME")`,
# Ruby `ENV.fetch("X")`), they send nothing.
_LOOKUPS = frozenset({"get", "fetch"})


def sends_environment(judge: Scope, call: Call, reader: CodeReader) -> Verdict | None:
    """Network code that sends the whole environment (`urlopen(url, data=str(dict(os.environ)))`,
    `fetch(url, {body: JSON.stringify(process.env)})`): every token in it leaves the
    machine, as with `env | curl -d @-`."""
    from agentops_os.guard.coderead import is_environ

    for dotted, recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        own = is_environ(recv) and name not in _LOOKUPS
        if name in _SENDS and (own or any(is_environ(a) for a in args)):
            local = "." not in dotted or any(p.lstrip("$") in _LOCAL_OUTPUT for p in dotted.split("."))
            if name in ("print", "puts", "write", "fputs", "fwrite", "syswrite", "end") and local:
                continue  # print(dict(os.environ)), sys.stdout.write(...)
            reason = f"{call.name} code sends the whole environment (every token in it) over the network"
            return judge.verdict("exfiltration", "ask", reason)
    return None


_HOST = frozenset(".:-[]")


def _host_like(text: str) -> bool:
    shaped = "." in text or ":" in text
    return 3 < len(text) < 80 and shaped and all(c.isalnum() or c in _HOST for c in text)


def fetches(judge: Scope, reader: CodeReader) -> list[Verdict | None]:
    """URLs and host names in code that reaches the network, judged as curl's are;
    a bare host name only when it is a cloud metadata address."""
    from agentops_os.guard.coderead import text_of
    from agentops_os.guard.urls import judge_url

    seen = set(reader.strings)
    for _dotted, _recv, args in reader.calls:
        seen.update(t for t in (text_of(a) for a in args) if t)
    verdicts: list[Verdict | None] = []
    for text in seen:
        text = text.strip()
        if text.startswith(("http://", "https://")):
            verdicts.append(judge_url(judge, text))
        elif _host_like(text):
            host = f"[{text}]" if text.count(":") > 1 and "[" not in text else text
            verdict = judge_url(judge, "http://" + host)
            if verdict is not None and verdict.decision == "deny":
                verdicts.append(verdict)
    return verdicts
