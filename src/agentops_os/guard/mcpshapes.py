"""MCP argument shapes that stand for a command line (mcp.py dispatches here).

- a move or copy tool's `{source, destination}` (`src`/`dst`, `from`/`to`, `old_path`/
  `new_path` …) is `mv SOURCE DEST` / `cp SOURCE DEST`: moving the repository's `src` to
  `/tmp` deletes its tracked files, as the same `mv` typed into Bash would;
- a `command` that holds a program's arguments without the program, for a tool whose name
  names the program (`kubectl {command: "delete pods --all -n kube-system"}`), or a
  generic runner (`run`, `exec`, `execute` …) of a server named after it, is also judged as
  `PROGRAM + command`;
- SQL that makes the server (or the client) run a program, `COPY … TO/FROM PROGRAM 'cmd'`,
  `xp_cmdshell`, `\\!`, is judged as the command line it runs, as `psql -c SQL` would be;
- a tool whose name is a destroy verb (`destroy`, `delete`, `drop`, `purge`, `terminate`,
  `wipe` …) on a server named after an infrastructure tool, given structured arguments
  (`pulumi destroy {stack: prod}`), is asked: the guard cannot see what it tears down.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope
    from agentops_os.guard.verdict import Verdict


def quote(text: str) -> str:
    """One shell word, whatever `text` holds (the guard builds command lines from it)."""
    if text and all(c.isalnum() or c in "-_./:=@+,%" for c in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def words_of(parts: list[Any]) -> list[str]:
    """Strings and lists of strings, flattened; anything else is left out."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, (str, int)) and not isinstance(part, bool) and str(part) != "":
            out.append(str(part))
        elif isinstance(part, list):
            out.extend(str(p) for p in part if isinstance(p, (str, int)) and not isinstance(p, bool))
    return out


def line(*parts: Any) -> str:
    """A command line of `parts` (words and lists of words), each quoted as one word."""
    return " ".join(quote(w) for w in words_of(list(parts)))


# (source, destination) argument names of move and copy tools
_PAIRS = (
    ("source", "destination"), ("src", "dst"), ("src", "dest"), ("from", "to"), ("source", "target"),
    ("old_path", "new_path"), ("oldPath", "newPath"), ("source_path", "destination_path"),
    ("sourcePath", "destinationPath"), ("src_path", "dst_path"), ("path", "new_path"),
    ("path", "destination"),
    ("from_path", "to_path"), ("fromPath", "toPath"),
)  # fmt: skip
_MOVE_WORDS = frozenset({"move", "mv", "rename"})
_COPY_WORDS = frozenset({"copy", "cp", "duplicate"})


def transfer_lines(action: str, tool_input: dict[str, Any]) -> list[str]:
    """`move_file {source, destination}` as `mv SOURCE DEST` (`copy_file` as `cp`)."""
    words = set(action.split("_"))
    program = "mv" if words & _MOVE_WORDS else "cp" if words & _COPY_WORDS else None
    if program is None:
        return []
    for source_key, target_key in _PAIRS:
        source, target = tool_input.get(source_key), tool_input.get(target_key)
        if source and isinstance(target, str) and target:
            sources = [source] if isinstance(source, str) else source
            if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
                continue
            flags = ["-r"] if program == "cp" else []
            dashed = ["--"] if any(s.startswith("-") for s in [*sources, target]) else []
            paths = " ".join(_path_word(p) for p in [*sources, target])
            return [" ".join(w for w in (line(program, flags, dashed), paths) if w)]
    return []


def _path_word(path: str) -> str:
    """A path as a shell word, with a leading `~` left to expand (file servers expand it)."""
    if path == "~" or path.startswith("~/"):
        return "~/" + quote(path[2:]) if path[2:] else path
    return quote(path)


# CLIs a tool may be named after (`kubectl`, `run_kubectl`, `gh_command`), by the word
# that names them; the words of mcp._SERVER_PROGRAMS count too.
_CLIS = frozenset({
    "kubectl", "oc", "helm", "docker", "podman", "nerdctl", "git", "gh", "aws", "az", "gcloud", "gsutil",
    "terraform", "tofu", "terragrunt", "pulumi", "heroku", "flyctl", "doctl", "eksctl", "vercel", "netlify",
    "wrangler", "firebase", "serverless", "sls", "cdk", "ansible", "systemctl", "npm", "pnpm", "yarn",
})  # fmt: skip
_RUNNER_WORDS = frozenset({"run", "exec", "execute", "command", "cli", "call", "invoke", "cmd"})


def named_program(action: str, server_program: str | None, synonyms: dict[str, str]) -> str | None:
    """The program whose arguments a tool's `command` holds: the one its name names
    (`synonyms`: a word of a name -> its CLI), or its server's for a generic runner."""
    words = action.split("_")
    for word in words:
        if word in synonyms:
            return synonyms[word]
        if word in _CLIS:
            return word
    return server_program if set(words) & _RUNNER_WORDS else None


def with_program(program: str | None, value: str) -> str | None:
    """`delete pods --all` of a `kubectl` tool as `kubectl delete pods --all`; None when
    the value already starts with the program or no program is named."""
    words = value.split()
    if program is None or not words or words[0].rsplit("/", 1)[-1] == program:
        return None
    return f"{program} {value}"


_PROGRAM_MARKS = ("program", "\\!", "cmdshell", ".shell", ".system", "\\o", ".once", ".output")


def sql_client_line(text: str) -> str | None:
    """SQL that may run a program (`COPY … TO PROGRAM 'cmd'`), as the `psql -c SQL` line
    whose judging sees that program (None for other SQL)."""
    lowered = text.lower()
    if not any(mark in lowered for mark in _PROGRAM_MARKS):
        return None
    return line("psql", "-c", text)


_DESTROY_WORDS = frozenset({"destroy", "delete", "drop", "purge", "terminate", "wipe", "teardown", "nuke",
                            "erase"})  # fmt: skip
# Words of a server name that make it an infrastructure tool's (besides the CLIs above).
_INFRA_WORDS = frozenset({
    "terraform", "opentofu", "tofu", "pulumi", "aws", "gcp", "gcloud", "google", "azure", "kubernetes", "k8s",
    "kubectl", "helm", "docker", "podman", "heroku", "fly", "flyctl", "vercel", "netlify", "cloudflare",
    "digitalocean", "doctl", "linode", "hetzner", "openstack", "ec2", "s3", "rds", "eks", "gke", "aks", "cdk",
    "cloudformation", "serverless", "ansible", "nomad", "proxmox", "vsphere", "vmware", "render", "railway",
    "cloud", "infra", "iac", "crossplane", "argocd", "spacelift", "scalr",
})  # fmt: skip


def infra_destroy(judge: Scope, server: str, action: str, tool_input: dict[str, Any]) -> Verdict | None:
    """A destroy verb of an infrastructure tool's server, with structured arguments."""
    verbs = set(action.split("_")) & _DESTROY_WORDS
    if not verbs:
        return None
    words = set(server.lower().replace("-", "_").replace(".", "_").split("_"))
    if not words & (_INFRA_WORDS | _CLIS):
        return None
    shown = ", ".join(f"{k}={v}" for k, v in tool_input.items() if isinstance(v, (str, int, list)))[:80]
    reason = (f"the {server} server's {action} tears down what it is given ({shown or 'no arguments'}); "
              "the guard cannot see what that is")
    return judge.verdict("cloud-delete", "ask", reason)
