"""Guard policy defaults (`[guard]` in agentops.toml). Pure data: imported on the hook path."""

from __future__ import annotations

from typing import Any

_SECRET_FILES = [
    ".env", ".env.*", "*.env", "*.pem", "*.key", "*.p12", "*.pfx", "*.jks", "*.keystore",
    "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_rsa.*", "id_ecdsa.*", "id_ed25519.*",
    ".netrc", ".pgpass", "credentials.json", "service-account*.json", "*.tfstate",
    "~/.ssh", "~/.ssh/*", "~/.aws", "~/.aws/credentials", "~/.gnupg", "~/.aws/config", "~/.kube/config",
    "~/.docker/config.json",
    "~/.config/gcloud/*", "~/.config/gh/hosts.yml", "~/.gnupg/*", "~/.git-credentials",
]

DEFAULTS: dict[str, Any] = {
    "guard": {
        "enabled": True,
        "protected_branches": ["main", "master", "trunk", "release/*", "release-*", "production", "prod"],
        "protected_namespaces": ["kube-system", "kube-public", "default", "production", "prod"],
        "max_deleted_files": 25,
        "delete_outside_repo_allow": ["/tmp/*", "/var/tmp/*", "~/.cache/*"],
        "secret_files": _SECRET_FILES,
        "secret_exceptions": [
            ".env.example", ".env.sample", ".env.template", ".env.dist", "*.pub",
            "~/.ssh/known_hosts", "~/.ssh/config", "~/.ssh/*.pub",
        ],
        "protected_paths": [
            ".git/*", "~/.ssh/*", "~/.aws/*", "~/.gnupg/*", "~/.kube/*", "/etc/*", "/usr/*", "/bin/*",
            "/sbin/*", "/boot/*", "/lib/*", "/System/*",
        ],
        "ask_write_paths": [
            "agentops.toml", ".claude/settings.json", ".claude/settings.local.json",
            "~/.claude/settings.json", "~/.bashrc", "~/.zshrc", "~/.profile", "~/.bash_profile",
            "~/.gitconfig",
        ],
        "write_outside_repo": "ask",
        "write_outside_repo_allow": ["/tmp/*", "/var/tmp/*"],
        "fetch_deny_hosts": ["169.254.169.254", "metadata.google.internal", "metadata.azure.com"],
        "fetch_ask_private": True,
        "disabled_rules": [],
        "rules": [],
    },
}

DOCS: dict[str, str] = {
    "guard.enabled": "Judge agent tool calls in the PreToolUse hook (false: answer nothing).",
    "guard.protected_branches": "Branch globs that force pushes and deletions may not touch.",
    "guard.protected_namespaces": "Kubernetes namespaces where `kubectl delete` is denied (others: ask).",
    "guard.max_deleted_files": "Most tracked files one command may delete before it is denied.",
    "guard.delete_outside_repo_allow": "Path globs outside the repo that may be deleted recursively.",
    "guard.secret_files": "Path globs of secret files: reading and writing them is denied.",
    "guard.secret_exceptions": "Globs exempt from secret_files (e.g. .env.example, *.pub).",
    "guard.protected_paths": "Path globs no tool call may write or delete (.git/, ~/.ssh, /etc...).",
    "guard.ask_write_paths": "Path globs whose writes need a human yes (ask).",
    "guard.write_outside_repo": "Decision for writes outside the repository: ask, deny or allow.",
    "guard.write_outside_repo_allow": "Path globs outside the repo that may be written freely.",
    "guard.fetch_deny_hosts": "Hosts WebFetch/curl may never reach (cloud metadata endpoints).",
    "guard.fetch_ask_private": "Ask before WebFetch reaches localhost or a private address.",
    "guard.disabled_rules": "Built-in rule ids to switch off (see docs/guard.md).",
    "guard.rules": "Extra rules: [[guard.rules]] match = regex, decision = deny|ask|allow, reason.",
}
