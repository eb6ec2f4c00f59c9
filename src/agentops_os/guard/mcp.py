"""MCP tools (`mcp__<server>__<tool>`): judged by what their arguments say they do.

MCP servers name their tools freely, so the guard reads the arguments: a shell command
(`command`, `cmd`, `script`, `cli_command`, or an argv list) is judged as a Bash command;
a path is judged as a write when the tool's name says it changes things (write, edit,
create, move, delete...) and as a read otherwise; URLs as fetches; SQL as SQL. User rules
(`[[guard.rules]]`) match the tool name, so a whole server or tool can be allowed, asked
or denied.

Many servers take structured arguments instead of a command line: a terraform server's
`{command: "destroy", args: [...]}`, a git server's `git_push {branch, force: true}`, a
Kubernetes server's `delete_resource {kind, name, namespace}`, a code runner's `{code}`.
Those are turned into the command line they stand for and judged by the same rules, so
that an MCP tool cannot do what the same command typed into Bash would not be let do.
"""

from __future__ import annotations

from agentops_os.guard import mcpshapes
from agentops_os.guard.mcpshapes import line as _shell_line
from agentops_os.guard.mcpshapes import words_of
from agentops_os.guard.urls import judge_url
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope

_COMMAND_KEYS = (
    "command",
    "cmd",
    "script",
    "shell_command",
    "commandLine",
    "command_line",
    "bash",
    "cli_command",
    "argv",
    "command_argv",
    "cmd_args",
)
_PATH_KEYS = (
    "path",
    "file_path",
    "filepath",
    "filename",
    "file",
    "source",
    "destination",
    "target",
    "dest",
    "directory",
    "dir",
    "paths",
    "notebook_path",
    "uri",
)
_URL_KEYS = ("url", "uri", "href", "link", "endpoint")
_SQL_KEYS = ("sql", "query", "statement")
# The directory a tool runs in: relative paths and git state are read from there.
_WORKDIR_KEYS = ("cwd", "working_dir", "workdir", "working_directory", "repo_path", "repoPath")
_WRITE_WORDS = (
    "write",
    "edit",
    "create",
    "move",
    "rename",
    "delete",
    "remove",
    "rm",
    "mkdir",
    "append",
    "put",
    "save",
    "upload",
    "patch",
    "replace",
    "insert",
    "update",
    "set",
    "copy",
    "chmod",
    "truncate",
)
_DELETE_WORDS = ("delete", "remove", "rm", "move", "rename", "truncate")
# Server names (or a word of them: `aws-api`, `mcp-server-kubernetes`) -> the CLI their
# tools drive, so that `{command: "destroy"}` of a terraform server is `terraform destroy`.
_SERVER_PROGRAMS = {
    "terraform": "terraform",
    "tofu": "tofu",
    "opentofu": "tofu",
    "aws": "aws",
    "gcloud": "gcloud",
    "gcp": "gcloud",
    "azure": "az",
    "az": "az",
    "kubernetes": "kubectl",
    "k8s": "kubectl",
    "kubectl": "kubectl",
    "helm": "helm",
    "docker": "docker",
    "git": "git",
    "heroku": "heroku",
    "pulumi": "pulumi",
    "flyctl": "flyctl",
    "fly": "flyctl",
}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _line(*parts: Any) -> str:
    return _shell_line(*parts)


def _first(tool_input: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = tool_input.get(key)
        if value not in (None, "", []):
            return value
    return None


def judge_mcp(judge: Scope, tool_name: str, tool_input: dict[str, Any]) -> Verdict | None:
    parts = tool_name.split("__", 2)
    server = parts[1].lower() if len(parts) > 2 else ""
    action = _snake(parts[-1])  # `dropDatabase` and `drop-database` read as `drop_database`
    saved = judge.cwd
    workdir = _first(tool_input, *_WORKDIR_KEYS)
    if isinstance(workdir, str) and workdir:
        judge.cwd = judge.resolve(workdir, quoted=False) or judge.cwd
    try:
        return _judge(judge, tool_name, server, action, tool_input)
    finally:
        judge.cwd = saved


def _judge(judge: Scope, tool_name: str, server: str, action: str, tool_input: dict[str, Any]) -> Verdict:
    from agentops_os.guard.commands import judge_command

    lines = _command_lines(server, action, tool_input) + _structured_lines(server, action, tool_input)
    lines += mcpshapes.transfer_lines(action, tool_input)  # `move_file {source, destination}`: mv
    verdicts: list[Verdict | None] = [judge_command(judge, line) for line in lines]
    verdicts += _paths(judge, tool_name, action, tool_input)
    files = tool_input.get("files")
    if isinstance(files, list):
        verdicts += [_judge_file(judge, tool_name, f) for f in files if isinstance(f, dict)]
    for key in _URL_KEYS:
        for text in _strings(tool_input.get(key)):
            if "://" in text or not text.startswith("/"):
                verdicts.append(judge_url(judge, text if "://" in text else "http://" + text))
    verdicts += _sql(judge, server, action, tool_input)
    verdicts.append(_named_destroy(judge, server, action, tool_input))
    from agentops_os.guard.mcprepo import repo_access  # `update_branch_protection {allow_force_pushes}`

    verdicts.append(repo_access(judge, server, action, tool_input))
    if not any(tool_input.get(k) for k in (*_COMMAND_KEYS, "args")):  # `pulumi destroy {stack: prod}`
        verdicts.append(mcpshapes.infra_destroy(judge, server, action, tool_input))
    return worst(verdicts)


def _server_program(server: str) -> str | None:
    for word in server.replace("-", " ").replace("_", " ").replace(".", " ").split():
        if word in _SERVER_PROGRAMS:
            return _SERVER_PROGRAMS[word]
    return None


def _command_lines(server: str, action: str, tool_input: dict[str, Any]) -> list[str]:
    """The shell command lines a tool's arguments spell: a `command` string, an argv
    list (`["psql", "-c", "..."]`), or a CLI verb with `args` (`{command: "destroy",
    args: ["-auto-approve"]}` of a terraform server is `terraform destroy -auto-approve`)."""
    from agentops_os.guard.programs import RULE_MODULES

    program = _server_program(server)
    args = tool_input.get("args")
    lines: list[str] = []
    if isinstance(args, list) and not any(tool_input.get(k) for k in _COMMAND_KEYS):
        words = words_of(args)  # `{args: ["git", "reset", "--hard"]}`: an argv with nothing before it
        if words and (program is None or words[0] == program):
            lines.append(_line(words))
        elif words:
            lines.append(_line(program, words))  # a terraform server's `{args: ["destroy"]}`
    for key in _COMMAND_KEYS:
        value = tool_input.get(key)
        if isinstance(value, list):
            lines.append(_line(value, args if isinstance(args, list) and key != "argv" else None))
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        first = value.split()[0]
        verb_only = " " not in value.strip() and first not in RULE_MODULES  # `destroy`, not a program
        prefix = program if program and first != program and (verb_only or key == "cli_command") else None
        extra = args if key == "command" else None  # `{cli_command: "s3 ls"}` of an aws server: aws s3 ls
        tail = _line(extra) if isinstance(extra, list) else extra if isinstance(extra, str) else None
        lines.append(" ".join(w for w in (prefix, value, tail) if w))
        if prefix is None and key in ("command", "cmd", "cli_command", "command_line", "commandLine"):
            named = mcpshapes.with_program(mcpshapes.named_program(action, program, _SERVER_PROGRAMS), value)
            if named:  # a `kubectl` tool's `{command: "delete pods --all"}` is `kubectl delete pods --all`
                lines.append(" ".join(w for w in (named, tail) if w))
    return lines


def _structured_lines(server: str, action: str, tool_input: dict[str, Any]) -> list[str]:
    """git, Kubernetes and code-runner tools whose arguments are fields, not a line."""
    program = _server_program(server)
    out: list[str] = []
    if program == "git" or action.startswith(("git_", "git-")):
        out += _git_lines(action.removeprefix("git_").removeprefix("git-"), tool_input)
    if program in ("kubectl", "helm") or "kubectl" in action or "helm" in action:
        out += _kube_lines(action, tool_input)
    if server == "github" or "github" in server:
        out += _github_lines(action, tool_input)
    out += _code_lines(server, action, tool_input)
    return out


def _git_lines(verb: str, tool_input: dict[str, Any]) -> list[str]:
    """`git_push {branch, force: true}` is `git push --force origin BRANCH`;
    `git_checkout {branch_name, force: true}` is `git checkout -f BRANCH`; and so on for
    reset, clean, branch deletion and commit, judged by the git rules."""
    force = bool(_first(tool_input, "force", "force_push", "forcePush", "force_with_lease", "forceWithLease"))
    target = _first(tool_input, "branch", "branch_name", "branchName", "ref", "refspec", "target", "revision")
    if verb == "push":
        remote = _first(tool_input, "remote", "remote_name") or "origin"
        flags = ["--force"] if force else []
        flags += ["--delete"] if tool_input.get("delete") is True else []
        flags += ["--no-verify"] if tool_input.get("no_verify") is True or tool_input.get("noVerify") else []
        return [_line("git", "push", flags, remote, target)]
    if verb in ("checkout", "switch"):
        paths = _first(tool_input, "paths", "files")
        return [_line("git", "checkout", ["-f"] if force else [], target, ["--", paths] if paths else [])]
    if verb == "reset":
        mode = _first(tool_input, "mode") or ("hard" if tool_input.get("hard") is True else None)
        return [_line("git", "reset", [f"--{mode}"] if isinstance(mode, str) else [], target)]
    if verb == "clean":
        return [_line("git", "clean", ["-f", "-d"] if force or tool_input.get("force") is None else ["-n"])]
    deleting = verb in ("delete_branch", "branch_delete") or (verb == "branch" and tool_input.get("delete"))
    if deleting:
        return [_line("git", "branch", "-D" if force else "-d", target)]
    if verb == "commit" and (tool_input.get("no_verify") is True or tool_input.get("noVerify") is True):
        return [_line("git", "commit", "--no-verify", "-m", "x")]
    if verb in ("git", "run", "exec", "command") and isinstance(tool_input.get("args"), list):
        return [_line("git", tool_input["args"])]
    return []


_KIND_KEYS = ("kind", "resourceType", "resource_type", "resource", "type")


def _kube_lines(action: str, tool_input: dict[str, Any]) -> list[str]:
    """Kubernetes tools: `delete_resource {kind, name, namespace}` is `kubectl delete KIND
    NAME -n NAMESPACE` (`delete_pod` names its kind), and likewise scale, drain, helm
    uninstall and the generic `{command, subCommand, ...}` form."""
    words = action.replace("-", "_").split("_")
    kind = _first(tool_input, *_KIND_KEYS)
    name = _first(tool_input, "name", "names", "resourceName", "resource_name", "release", "node", "nodeName")
    namespace = _first(tool_input, "namespace", "ns")
    scope = ["-n", namespace] if isinstance(namespace, str) else []
    if tool_input.get("allNamespaces") is True or tool_input.get("all_namespaces") is True:
        scope.append("-A")
    if tool_input.get("all") is True:
        scope.append("--all")
    if isinstance(tool_input.get("command"), str) and "generic" in words:
        sub = tool_input.get("subCommand")
        return [_line("kubectl", tool_input["command"], sub, kind, name, scope, tool_input.get("args"))]
    helm = "helm" in words or ("uninstall" in words and not kind)
    if "uninstall" in words or (helm and "delete" in words):
        return [_line("helm", "uninstall", name, scope)]
    if "delete" in words:
        named = [w for w in words if w not in ("kubectl", "delete", "resource", "resources")]
        kind = kind or (named[0] if named else None)
        return [_line("kubectl", "delete", kind or "?", name, scope)]
    if "scale" in words:
        replicas = tool_input.get("replicas")
        return [_line("kubectl", "scale", kind or "deployment", name, f"--replicas={replicas}", scope)]
    if "drain" in words:
        return [_line("kubectl", "drain", name)]
    return []


def _github_lines(action: str, tool_input: dict[str, Any]) -> list[str]:
    """GitHub API tools that change refs: deleting a branch is `git push --delete`."""
    if action in ("delete_branch", "delete_ref"):
        return [_line("git", "push", "origin", "--delete", _first(tool_input, "branch", "ref"))]
    return []


_CODE_KEYS = ("code", "python_code", "cell", "cell_source")
_CODE_TOOLS = ("python", "jupyter", "notebook", "code", "repl", "run", "exec", "eval", "interpreter",
               "sandbox", "kernel", "cell")
_LANGUAGES = {
    "python": "python3", "python3": "python3", "py": "python3", "javascript": "node", "js": "node",
    "node": "node", "typescript": "node", "ts": "node", "ruby": "ruby", "perl": "perl", "php": "php",
}
_SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "zsh"})


def _code_lines(server: str, action: str, tool_input: dict[str, Any]) -> list[str]:
    """Code given to a code-runner or notebook tool, as the interpreter command that would
    run it (`python3 -c CODE`, judged by the code rules); a notebook's `!cmd` lines and
    `%%bash` cells are shell commands."""
    if not any(word in server or word in action for word in _CODE_TOOLS):
        return []
    language = str(_first(tool_input, "language", "lang") or "").lower()
    if language not in _LANGUAGES and language not in _SHELL_LANGUAGES:
        named = [w for w in action.replace("-", "_").split("_") if w in _LANGUAGES or w in _SHELL_LANGUAGES]
        language = named[0] if named else "python"
    out: list[str] = []
    for key in _CODE_KEYS:
        for code in _strings(tool_input.get(key)):
            if language in _SHELL_LANGUAGES:
                out.append(code)
                continue
            shell, rest = _notebook_shell(code)
            out += shell
            if rest.strip():
                program = _LANGUAGES[language]
                out.append(_line(program, "-c" if program == "python3" else "-e", rest))
    return out


def _notebook_shell(code: str) -> tuple[list[str], str]:
    """The shell commands of a notebook cell (`!rm -rf x`, `%system ...`, a `%%bash` or
    `%%sh` cell) and the code that is left for the interpreter."""
    lines = code.splitlines()
    first = lines[0].strip() if lines else ""
    if first.startswith(("%%bash", "%%sh", "%%script bash", "%%script sh", "%%system")):
        return ["\n".join(lines[1:])], ""
    shell: list[str] = []
    rest: list[str] = []
    for line in lines:
        text = line.strip()
        if text.startswith("!"):
            shell.append(text[1:].lstrip("!"))
        elif text.startswith(("%system ", "%sx ", "%sc ")):
            shell.append(text.split(None, 1)[1])
        else:
            rest.append(line)
    return shell, "\n".join(rest)


def _paths(judge: Scope, tool_name: str, action: str, tool_input: dict[str, Any]) -> list[Verdict | None]:
    writes = any(
        word in action.replace("-", "_").split("_") or action.startswith(word) for word in _WRITE_WORDS
    )
    deletes = any(word in action for word in _DELETE_WORDS)
    verdicts: list[Verdict | None] = []
    for key in _PATH_KEYS:
        for text in _strings(tool_input.get(key)):
            if "://" in text:
                continue
            path = judge.resolve(text, quoted=False)
            if path is None:
                continue
            if writes:
                verdicts.append(judge.judge_write(path, f"{tool_name} writes"))
                verdicts.append(_workflow_leak(judge, text, tool_input.get("content")))
                if deletes and key in ("path", "source", "file_path", "paths", "file"):
                    from agentops_os.guard.rules_delete import delete_path

                    verdicts.append(delete_path(judge, path, recursive=True))
            else:
                verdicts.append(judge.judge_read(path, f"{tool_name} reads"))
    return verdicts


def _judge_file(judge: Scope, tool_name: str, entry: dict[str, Any]) -> Verdict | None:
    """One of several files a tool writes (`push_files {files: [{path, content}]}`):
    judged as a write of that path, with the content of CI workflows read too."""
    raw = _first(entry, "path", "file_path", "filename", "name")
    if not isinstance(raw, str):
        return None
    path = judge.resolve(raw, quoted=False)
    if path is None:
        return None
    leak = _workflow_leak(judge, raw, entry.get("content"))
    return worst([judge.judge_write(path, f"{tool_name} writes"), leak])


_SENDERS = ("curl", "wget", "nc ", "ncat", "netcat", "socat", "http ", "https ", "Invoke-WebRequest",
            "Invoke-RestMethod", "fetch(", "requests.post", "scp ", "/dev/tcp/")


def _workflow_leak(judge: Scope, raw: str, content: Any) -> Verdict | None:
    """A CI workflow whose steps hand `secrets.*` (or all of them, `toJSON(secrets)`) to a
    network tool: on the next push the repository's secrets leave for wherever it points."""
    if not isinstance(content, str) or "secrets" not in content:
        return None
    where = raw.replace("\\", "/")
    if ".github/workflows/" not in where and not where.startswith((".gitlab-ci", ".circleci/")):
        return None
    everything = "toJSON(secrets)" in content.replace(" ", "")
    if everything or ("secrets." in content and any(sender in content for sender in _SENDERS)):
        reason = f"{raw} sends repository secrets to a network tool when the workflow runs"
        return judge.verdict("exfiltration", "ask", reason)
    return None


_SQL_STARTS = (
    "select", "insert", "update", "delete", "drop", "alter", "create", "truncate", "grant", "revoke", "with",
    "begin", "merge", "replace", "explain", "copy", "vacuum", "comment", "set", "flush", "config",
)
_SQL_TOOLS = (
    "sql", "query", "postgres", "mysql", "sqlite", "supabase", "mongo", "database", "db", "bigquery",
    "snowflake", "clickhouse", "duckdb", "redis", "neon", "planetscale", "turso",
)


def _sql(judge: Scope, server: str, action: str, tool_input: dict[str, Any]) -> list[Verdict | None]:
    """`sql` and `statement` are SQL; a `query` is SQL when the tool is a database's or
    the text reads as a statement (a search tool's query about DROP TABLE is prose)."""
    from agentops_os.guard.rules_infra import sql_text

    database = any(word in server or word in action for word in _SQL_TOOLS)
    verdicts: list[Verdict | None] = []
    for key in _SQL_KEYS:
        for text in _strings(tool_input.get(key)):
            words = text.lstrip("( \n\t").split(None, 1)
            statement = bool(words) and words[0].lower().rstrip(";") in _SQL_STARTS
            if key != "query" or database or statement:
                verdicts.append(sql_text(judge, text))
                client = mcpshapes.sql_client_line(text)  # `COPY … TO PROGRAM 'cmd'`: the program it runs
                if client is not None:
                    from agentops_os.guard.commands import judge_command

                    verdicts.append(judge_command(judge, client))
    return verdicts


_DATA_NOUNS = frozenset(
    {"database", "databases", "db", "collection", "collections", "table", "tables", "schema", "keyspace",
     "index"}
)


def _snake(name: str) -> str:
    """`dropDatabase`, `drop-database` -> `drop_database`."""
    out = [("_" + c.lower()) if c.isupper() and k and name[k - 1].islower() else c.lower()
           for k, c in enumerate(name)]
    return "".join(out).replace("-", "_")


def _named_destroy(judge: Scope, server: str, action: str, tool_input: dict[str, Any]) -> Verdict | None:
    """Tools whose name is the destruction: `drop-database`, `drop_collection`,
    `delete_repository`, and `delete-many` with an empty filter (every document)."""
    words = set(action.split("_"))
    nouns = words & _DATA_NOUNS
    if words & {"flushall", "flushdb"} or words >= {"flush", "all"}:
        return judge.verdict("sql-drop", "ask", f"{action} deletes every key of the store")
    named = _first(tool_input, "database", "collection", "table", "name", "db", "schema")
    shown = f"{action} {named}" if isinstance(named, str) else action
    if "drop" in words and nouns - {"index"}:
        return judge.verdict("sql-drop", "deny", f"{shown} drops a whole {sorted(nouns)[0]}")
    if words & {"delete", "remove", "truncate"} and nouns - {"index"} and "github" not in server:
        return judge.verdict("sql-drop", "ask", f"{shown} deletes a {sorted(nouns)[0]}")
    if words & {"delete", "update"} and "many" in words and not tool_input.get("filter"):
        return judge.verdict("sql-drop", "ask", f"{shown} with an empty filter matches every document")
    if words >= {"delete", "repository"} or words >= {"delete", "repo"}:
        # `gh repo delete` is denied; here an ask, so a user rule for the tool still decides
        repo = "/".join(str(v) for v in (tool_input.get("owner"), tool_input.get("repo")) if v)
        return judge.verdict("cloud-delete", "ask", f"{action} deletes the repository {repo or '?'}")
    return None
