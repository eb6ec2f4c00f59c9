"""MCP tools of a code host (GitHub, GitLab, Gitea …) that change who can reach or change a
repository (`repo-access`, ask), as the same `gh` calls would be (rules_gh):

- branch protection (or a ruleset) that lets anyone force-push or delete the branch
  (`allow_force_pushes: true`, `allow_deletions: true`), drops the required reviews
  (`required_pull_request_reviews: null`) or status checks, or a tool that removes the
  protection (`delete_branch_protection`, `unprotect_branch`);
- a repository or project made public (`update_repository {private: false}`,
  `visibility: "public"`);
- a collaborator, member, deploy key, login key or webhook added, or a secret set
  (`add_collaborator`, `create_deploy_key`, `add_ssh_key`, `create_webhook`).
Protection that only tightens (reviews required, force pushes off), a private repository
and the reads pass."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope
    from agentops_os.guard.verdict import Verdict

_PROTECTION = ("protection", "protect", "ruleset", "rule_set")
_LOOSENS = ("allow_force_pushes", "allow_force_push", "allow_deletions", "allow_force_pushes_enabled")
_REMOVED = ("required_pull_request_reviews", "required_status_checks", "required_approving_review_count")
_GRANTS = (("add", "collaborator"), ("add", "member"), ("invite", "collaborator"), ("create", "deploy_key"),
           ("add", "deploy_key"), ("add", "ssh_key"), ("create", "ssh_key"), ("create", "webhook"),
           ("create", "hook"), ("add", "webhook"), ("set", "secret"), ("create", "secret"),
           ("update", "secret"), ("update", "collaborator"), ("add", "key"))


def repo_access(judge: Scope, server: str, action: str, tool_input: dict[str, Any]) -> Verdict | None:
    where = "/".join(str(tool_input[k]) for k in ("owner", "repo") if isinstance(tool_input.get(k), str))
    shown = f"{action} {where}".strip()
    if any(p in action for p in _PROTECTION):
        if action.startswith(("delete", "remove", "unprotect")) or "unprotect" in action:
            return _ask(judge, f"{shown} removes the protection of a branch")
        loosened = [k for k in _LOOSENS if _true(tool_input.get(k))]
        dropped = [k for k in _REMOVED if k in tool_input and tool_input[k] in (None, 0, False, {})]
        if loosened or dropped:
            what = ", ".join(loosened + [f"{k}: none" for k in dropped])
            return _ask(judge, f"{shown} loosens the branch protection ({what})")
    if ("repo" in action or "project" in action) and action.startswith(("update", "edit", "patch", "set",
                                                                          "change")):
        private = tool_input.get("private")
        visibility = str(tool_input.get("visibility", "")).lower()
        hidden = private is False or (isinstance(private, str) and private.lower() == "false")
        if hidden or visibility == "public":
            return _ask(judge, f"{shown} makes the repository public: its code and history to the world")
    words = action.split("_")
    joined = "_".join(words[1:])
    for verb, noun in _GRANTS:
        if words[:1] == [verb] and (joined.endswith(noun) or noun in joined):
            return _ask(judge, f"{shown} gives someone access to the repository ({noun.replace('_', ' ')})")
    return None


def _true(value: object) -> bool:
    if isinstance(value, dict):  # `{"enabled": true}` in the REST shape
        value = value.get("enabled")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _ask(judge: Scope, reason: str) -> Verdict | None:
    return judge.verdict("repo-access", "ask", reason)
