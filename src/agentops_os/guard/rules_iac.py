"""Infrastructure-as-code tools that tear down what they deployed (`infra-destroy`).

`terraform destroy` is one spelling: `terraform apply -destroy`, a destroy plan made
earlier on the line and applied later (`terraform plan -destroy -out d.plan && terraform
apply d.plan`), `terragrunt run-all destroy`, OpenTofu's `tofu`, and the other deployers'
own verbs: `pulumi destroy`/`down`, `serverless remove` (`sls`), `cdk destroy`, `cdktf
destroy`, `sam delete`, `sst remove`, `amplify delete`, `eb terminate`, `copilot app|env
delete` take a whole stack or environment down (denied); `copilot svc|job|pipeline delete`,
`pulumi stack rm`, `terraform state rm` and `apply -auto-approve` are asked. A plan, an
apply of a plan that was not made with `-destroy`, `--help` pass."""

from __future__ import annotations

from agentops_os.guard.argv import operands

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

_PLANS = "destroy-plans"  # line notes: plan files made with `plan -destroy`


def _terraform(judge: Scope, call: Call) -> Verdict | None:
    args = [a for a in call.argv if not a.startswith("-chdir")]
    positional = [a for a in args if not a.startswith("-")]
    if call.name == "terragrunt" and positional[:1] in (["run-all"], ["run"]):
        positional = positional[1:]  # `terragrunt run-all destroy`, `run --all -- destroy`: every module
    sub = positional[0] if positional else ""
    extra = _tf_cli_args(judge, call, sub)  # `TF_CLI_ARGS_apply="-destroy" terraform apply`
    if extra is None:
        return judge.verdict("infra-destroy", "ask",
                             f"the line sets TF_CLI_ARGS, which adds options to {call.name} {sub} unseen")
    args += extra
    if sub == "destroy" or (sub == "apply" and "-destroy" in args):
        return judge.verdict("infra-destroy", "deny", f"{call.name} destroy tears down real infrastructure")
    if sub == "plan" and "-destroy" in args:
        _note_plan(judge, call, args)
    if sub == "apply":
        plans = judge.line_notes(_PLANS)
        for name in positional[1:]:
            path = _plan_path(judge, call, name)
            if path is not None and path in plans:
                reason = f"{call.name} apply {name} applies a destroy plan made on this line"
                return judge.verdict("infra-destroy", "deny", reason)
    if sub == "state" and positional[1:2] == ["rm"]:
        return judge.verdict("infra-destroy", "ask", f"{call.name} state rm forgets live resources")
    if sub == "apply" and "-auto-approve" in args:
        return judge.verdict("infra-destroy", "ask", f"{call.name} apply -auto-approve skips the plan review")
    return None


def _note_plan(judge: Scope, call: Call, args: list[str]) -> None:
    """`plan -destroy -out d.plan` / `-out=d.plan`: applying d.plan later destroys."""
    for k, arg in enumerate(args):
        name = args[k + 1] if arg in ("-out", "--out") and k + 1 < len(args) else None
        name = arg.split("=", 1)[1] if arg.startswith(("-out=", "--out=")) else name
        path = _plan_path(judge, call, name) if name else None
        if path is not None:
            judge.line_notes(_PLANS)[path] = call.name


def _plan_path(judge: Scope, call: Call, name: str) -> str | None:
    """A plan file's path, relative to `-chdir=DIR` when given (terraform reads it there)."""
    chdir = next((a.split("=", 1)[1] for a in call.argv if a.startswith("-chdir=")), None)
    cwd = judge.resolve(chdir) if chdir else None
    return judge.resolve(name, cwd)


def _tf_cli_args(judge: Scope, call: Call, sub: str) -> list[str] | None:
    """Options terraform takes from `TF_CLI_ARGS` / `TF_CLI_ARGS_<sub>` given before the
    command; None when the line sets one elsewhere (`export …;`), whose value is not followed."""
    names = ("TF_CLI_ARGS", f"TF_CLI_ARGS_{sub}")
    extra: list[str] = []
    for word in call.command.words:
        name, eq, value = word.text.partition("=")
        if not eq:
            break
        if name in names:
            extra.extend(value.split())
    if not extra and sub in ("apply", "destroy") and any(n in judge.assigned for n in names):
        return None
    return extra


# program -> (verbs that take the whole stack or environment down, verbs asked)
_TEARDOWN: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "pulumi": (frozenset({"destroy", "down"}), frozenset()),
    "serverless": (frozenset({"remove"}), frozenset()),
    "cdk": (frozenset({"destroy"}), frozenset()),
    "cdktf": (frozenset({"destroy"}), frozenset()),
    "sam": (frozenset({"delete"}), frozenset()),
    "sst": (frozenset({"remove"}), frozenset()),
    "amplify": (frozenset({"delete"}), frozenset()),
    "eb": (frozenset({"terminate"}), frozenset()),
}
_TEARDOWN["sls"] = _TEARDOWN["serverless"]
# `copilot NOUN delete`: an application or environment is everything; a service, job or
# pipeline is one part of it
_COPILOT_DENY = frozenset({"app", "env"})
_COPILOT_ASK = frozenset({"svc", "job", "pipeline", "task", "storage"})
# options of these CLIs that take a value (the next word is not a verb)
_VALUED = frozenset({"--stage", "-s", "--region", "-r", "--profile", "--aws-profile", "--config", "-c",
                     "--stack", "--cwd", "-C", "--app", "-a", "--env", "-e", "--name", "-n",
                     "--stack-name", "--org", "--context"})


def _verbs(call: Call) -> list[str]:
    return [w.text for w in operands(call.args, _VALUED)]


def _teardown(judge: Scope, call: Call) -> Verdict | None:
    if "--help" in call.argv or "-h" in call.argv:
        return None
    words = _verbs(call)
    if call.name == "copilot":
        if words[1:2] == ["delete"] and words[0] in _COPILOT_DENY | _COPILOT_ASK:
            what = f"copilot {words[0]} delete"
            if words[0] in _COPILOT_DENY:
                reason = f"{what} tears down a whole application or environment"
                return judge.verdict("infra-destroy", "deny", reason)
            return judge.verdict("infra-destroy", "ask", f"{what} deletes deployed resources")
        return None
    if call.name == "pulumi" and words[:2] == ["stack", "rm"]:
        reason = "pulumi stack rm deletes a stack (with --force, its state too)"
        return judge.verdict("infra-destroy", "ask", reason)
    deny, ask = _TEARDOWN[call.name]
    verb = words[0] if words else ""
    if verb in deny:
        return judge.verdict("infra-destroy", "deny", f"{call.name} {verb} tears down the deployed stack")
    if verb in ask:
        return judge.verdict("infra-destroy", "ask", f"{call.name} {verb} deletes deployed resources")
    return None


RULES = {
    "terraform": _terraform,
    "tofu": _terraform,
    "terragrunt": _terraform,
    "copilot": _teardown,
    **{name: _teardown for name in _TEARDOWN},
}
