"""Commands that print a stored credential (`secret-read`, asked).

A secret file is denied to every reader; the same secret kept by a program is printed by
asking the program: a secret manager for a value (`aws secretsmanager get-secret-value`,
`vault kv get`, `op read`), a cloud CLI for its access token or keys (`gcloud auth
print-access-token`, `az account get-access-token`, `aws configure export-credentials`,
`aws sts get-session-token`, `kubectl config view --raw`), a password store for a
password (`pass show NAME`, or `pass NAME`; `gopass`, `bw get password`, `lpass show`,
`keepassxc-cli show`, `secret-tool lookup`, `docker-credential-* get`), a decrypter for an
encrypted secrets file (`sops -d`, `ansible-vault view`), a PaaS for its config vars (`heroku
config`), the system keyring (`keyring get`, `keyring.get_password` in `python3 -c`), gpg for
its private keys (`--export-secret-keys`), a debugger for a running process's memory (`gcore
PID`, `gdb -p PID -ex generate-core-file`). Each is asked: the person sees
the credential leave its store. Listing what a store holds, adding to it, and running a
command with its secrets in the environment (`op run --`, `doppler run --`) pass."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

_STORE_READS = ("get-secret-value", "get-parameter", "get-parameters", "get-parameters-by-path")
# `aws configure get NAME` of these prints a credential (a region or output format passes)
_AWS_SECRET_KEYS = ("aws_secret_access_key", "aws_session_token", "aws_security_token")
# sts operations whose answer is a fresh set of credentials
_AWS_STS = frozenset({"get-session-token", "get-federation-token", "assume-role", "assume-role-with-saml",
                      "assume-role-with-web-identity", "assume-root"})

# Options of aws / kubectl that take no value: every other option before or between the
# subcommand words takes one (`aws --profile prod --region eu-west-1 secretsmanager …`).
_FLAGS_WITHOUT_VALUE = frozenset({
    "--debug", "--no-verify-ssl", "--no-paginate", "--no-cli-pager", "--no-sign-request",
    "--no-cli-auto-prompt", "--cli-auto-prompt", "--with-decryption", "--no-with-decryption",
    "-A", "--all-namespaces", "--insecure-skip-tls-verify", "-w", "--watch", "--raw", "--flatten",
    "--minify", "-t", "--show-token",
})


def subcommand_words(argv: list[str]) -> list[str]:
    """The positional words of a CLI whose options may come anywhere (aws, kubectl)."""
    words: list[str] = []
    j = 0
    while j < len(argv):
        arg = argv[j]
        if arg.startswith("-") and arg != "-":
            j += 1 if "=" in arg or arg in _FLAGS_WITHOUT_VALUE or (arg[1:2] != "-" and len(arg) > 2) else 2
            continue
        words.append(arg)
        j += 1
    return words


def secret_store(judge: Scope, call: Call) -> Verdict | None:
    """Secret managers and cloud CLIs asked for a value, a token or keys."""
    argv = call.argv
    if call.name in _MEMORY_READERS:
        return memory_dump(judge, call)
    if call.name in _CODE_STORES:
        return _code_store(judge, call)
    sub = subcommand_words(argv) if call.name in ("aws", "kubectl", "oc", "az", "doctl") else argv
    check = _CLOUD.get(call.name)
    if check is not None and check(sub, argv):
        shown = " ".join(w for w in sub[:3] if not w.startswith("-"))
        return judge.verdict("secret-read", "ask", f"{call.name} {shown} prints a stored secret")
    return None


def _aws(sub: list[str], argv: list[str]) -> bool:
    service, op = (sub + ["", ""])[:2]
    if service == "secretsmanager":
        return any(a in _STORE_READS for a in sub)
    if service == "ssm":
        return any(a in _STORE_READS for a in sub) and "--with-decryption" in argv
    if service == "configure":
        return op == "export-credentials" or (
            op == "get" and any(w.lower().endswith(_AWS_SECRET_KEYS) for w in sub[2:]))
    return service == "sts" and op in _AWS_STS


def _kubectl(sub: list[str], argv: list[str]) -> bool:
    if sub[:2] in (["get", "secret"], ["get", "secrets"]):
        return any(a.startswith(("-o", "--output")) for a in argv)
    if sub[:2] == ["create", "token"]:
        return True
    if sub[:2] == ["config", "view"]:  # unredacted client keys and tokens
        return any(a in ("--raw", "--flatten", "--raw=true", "--flatten=true") for a in argv)
    return sub[:1] == ["whoami"] and any(a in ("-t", "--show-token") for a in argv)  # oc whoami -t


def _gcloud(sub: list[str], argv: list[str]) -> bool:
    text = " ".join(sub)
    printed = any(w.startswith("print-") and w.endswith("-token") for w in sub)  # also application-default
    return printed or "secrets versions access" in text or "generate-login-token" in sub


def _az(sub: list[str], argv: list[str]) -> bool:
    if sub[:3] in (["keyvault", "secret", "show"], ["keyvault", "secret", "download"]):
        return True
    if "get-access-token" in sub or "show-connection-string" in sub or "list-keys" in sub:
        return True
    if "keys" in sub and "list" in sub[sub.index("keys") :]:  # `az storage account keys list`
        return True
    if sub[:2] == ["acr", "login"]:
        return "--expose-token" in argv
    return sub[:3] == ["acr", "credential", "show"]


def _vault(sub: list[str], argv: list[str]) -> bool:
    return sub[:2] in (["kv", "get"], ["print", "token"]) or sub[:1] == ["read"]


def _op(sub: list[str], argv: list[str]) -> bool:
    return sub[:1] == ["read"] or (sub[:1] in (["item"], ["document"]) and "get" in sub[:2])


_CLOUD = {
    "aws": _aws,
    "kubectl": _kubectl,
    "oc": _kubectl,
    "gcloud": _gcloud,
    "az": _az,
    "vault": _vault,
    "op": _op,
    "gh": lambda sub, argv: sub[:2] == ["auth", "token"],
    "security": lambda sub, argv: sub[:1] in (["find-generic-password"], ["find-internet-password"],
                                              ["dump-keychain"]),
    "doctl": lambda sub, argv: sub[:2] == ["auth", "token"] or "docker-config" in sub[:2]
    or ("kubeconfig" in sub and "show" in sub),
    "heroku": lambda sub, argv: sub[:1] in (["auth:token"], ["config"], ["config:get"]),  # every config var
    "fly": lambda sub, argv: sub[:2] == ["auth", "token"],
    "flyctl": lambda sub, argv: sub[:2] == ["auth", "token"],
}


# Password stores: the subcommands that print (or copy out) a stored password. For `pass`
# and `gopass` a first word that is no subcommand is the name of a secret to show.
_PASS_OTHER = frozenset({"ls", "list", "find", "search", "insert", "add", "edit", "generate", "rm", "remove",
                         "delete", "mv", "rename", "cp", "copy", "git", "init", "help", "version"})
_GOPASS_OTHER = _PASS_OTHER | {"sync", "setup", "audit", "config", "recipients", "mounts", "templates",
                               "fsck", "history", "update", "completion", "create", "new", "env", "age",
                               "alias", "clone", "convert", "fscopy", "fsmove", "link", "merge", "pwgen",
                               "rcs", "unclip"}
_PRINTS = {
    "bw": (("get",), ("list", "items"), ("export",), ("unlock",)),
    "rbw": (("get",), ("code",)),
    "lpass": (("show",), ("export",)),
    "keepassxc-cli": (("show",), ("clip",), ("export",), ("attachment-export",)),
    "secret-tool": (("lookup",), ("search",)),
    "ansible-vault": (("view",), ("decrypt",)),
    "chamber": (("read",), ("export",)),
    "infisical": (("export",),),
    "keyring": (("get",),),
}


def password_store(judge: Scope, call: Call) -> Verdict | None:
    if not _prints_password(call.name, call.argv):
        return None
    words = [w for w in call.argv if not w.startswith("-")]
    shown = " ".join([call.name, *words[:2]])
    return judge.verdict("secret-read", "ask", f"{shown} prints a stored password or secret")


def _prints_password(name: str, argv: list[str]) -> bool:
    words = [w for w in argv if not w.startswith("-")]
    first = words[0] if words else ""
    if name in ("pass", "gopass"):
        if first in ("show", "cat", "otp"):
            return len(words) > 1  # `pass show` alone lists the names
        if name == "pass" and first == "grep":
            return True  # prints the lines of the decrypted passwords that match
        return bool(first) and first not in (_PASS_OTHER if name == "pass" else _GOPASS_OTHER)
    if name.startswith("docker-credential-"):
        return first == "get"
    if name == "kwallet-query":
        return any(a in ("-r", "--read-password") or a.startswith("--read-password=") for a in argv)
    if name == "sops":
        return bool({"-d", "--decrypt"} & set(argv)) or first == "decrypt"
    if name in ("doppler", "infisical") and first == "secrets":  # `doppler secrets`: every one of them
        return len(words) == 1 or words[1] not in ("set", "delete", "upload", "names", "notes", "folders")
    for verb in _PRINTS.get(name, ()):
        n = len(verb)
        if any(tuple(words[k : k + n]) == verb for k in range(min(len(words), 3))):
            return True
    return False


# Interpreters whose one-liners may ask the system keyring for a password (`python3 -c
# "import keyring; print(keyring.get_password(…))"`, node's keytar), checked with the CLIs.
_CODE_STORES = {"python": "-c", "python3": "-c", "node": "-e"}
_STORE_CALLS = (r"\b(?:keyring\s*\.\s*get_(?:password|credential)|keytar['\"]?\)?\s*\.\s*"
                r"(?:getPassword|findCredentials|findPassword))\s*\("
                r"|\bfrom\s+keyring\s+import\s+[^\n;]*\bget_(?:password|credential)")


def _code_store(judge: Scope, call: Call) -> Verdict | None:
    import re

    flag = _CODE_STORES[call.name]
    argv = call.argv
    code = next((argv[k + 1] for k, a in enumerate(argv[:-1]) if a == flag or a.endswith(flag[1:]) and
                 a.startswith("-") and not a.startswith("--")), "")
    if not re.search(_STORE_CALLS, code):
        return None
    reason = f"{call.name} code asks the system keyring for a stored password"
    return judge.verdict("secret-read", "ask", reason)


# Debuggers and dumpers that read a running process's memory (its keys and tokens):
# `gcore PID`, `gdb -p PID -ex generate-core-file`, `lldb -p PID -o 'process save-core'`.
_MEMORY_READERS = frozenset({"gcore", "gdb", "gdb-multiarch", "lldb"})
_DUMPS = ("generate-core-file", "gcore", "dump ", "dump\t", "save-core", "memory read", "x/")
_SECRET_HOLDERS = ("ssh-agent", "gpg-agent", "keyring", "1password", "bitwarden", "keepass", "sshd",
                   "vault", "secret", "kwallet", "credential")


def memory_dump(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if call.name == "gcore":
        pids = [a for k, a in enumerate(argv) if not a.startswith("-") and argv[k - 1 : k] != ["-o"]]
        if not pids:
            return None
        reason = "gcore dumps a running process's memory (its keys and tokens) to a file"
        return judge.verdict("secret-read", "ask", reason)
    words = call.command.words
    attach = any(a in ("-p", "--pid", "attach") or a.startswith("--pid=") for a in argv)
    if not attach:
        return None
    script = " ".join(argv).replace("\t", " ")
    holder = any(h in w.text.lower() for w in words for h in _SECRET_HOLDERS if w.subs or "pgrep" in w.text)
    if holder or any(d in script for d in _DUMPS):
        return judge.verdict("secret-read", "ask", f"{call.name} attaches to a running process and reads or "
                             "dumps its memory (its keys and tokens)")
    return None


# `gpg --export-secret-keys`: the private keys themselves, armoured to stdout or a file.
_GPG_SECRETS = ("--export-secret-keys", "--export-secret-subkeys", "--export-secret-key")


def _gpg(judge: Scope, call: Call) -> Verdict | None:
    if any(a.split("=", 1)[0] in _GPG_SECRETS for a in call.argv):
        reason = f"{call.name} --export-secret-keys prints the private keys"
        return judge.verdict("secret-read", "ask", reason)
    return None


_DOCKER_HELPERS = ("desktop", "desktop.exe", "osxkeychain", "pass", "secretservice", "wincred", "wincred.exe",
                   "ecr-login", "gcloud", "acr-env")

RULES = {
    **{name: secret_store for name in ("security", "vault", "op")},
    **{name: password_store for name in ("pass", "gopass", "bw", "rbw", "lpass", "keepassxc-cli",
                                         "secret-tool", "kwallet-query", "sops", "ansible-vault", "chamber",
                                         "doppler", "infisical", "keyring")},
    **{name: _gpg for name in ("gpg", "gpg2")},
    "gcore": secret_store,
    **{f"docker-credential-{helper}": password_store for helper in _DOCKER_HELPERS},
}
