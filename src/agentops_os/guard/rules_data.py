"""Hosted data platforms' own delete verbs (`cloud-delete`), beside the cloud CLIs of
rules_infra: BigQuery's `bq rm` (a dataset, recursively with its tables, is denied; a
table, view or model is asked), Supabase's `db reset` of the linked project or a
`--db-url` (the remote database, wiped and re-seeded: denied; the local one, `supabase db
reset` or `--local`, passes) and `projects delete` (denied), `branches|functions delete`
and `storage rm` (asked); Neon (`neonctl projects delete` denied, `branches delete|reset`
asked), PlanetScale (`pscale database delete` denied, `branch delete` asked) and Turso
(`turso db destroy` denied)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# bq's options that take a value (the global ones may come before `rm`)
_BQ_VALUED = frozenset({"--project_id", "--location", "--dataset_id", "--format", "--api",
                        "--credential_file", "--service_account", "--job_id"})
# (program, verb words) -> decision; checked on the words without options
_VERBS: dict[str, dict[tuple[str, ...], str]] = {
    "supabase": {("projects", "delete"): "deny", ("branches", "delete"): "ask",
                 ("functions", "delete"): "ask", ("storage", "rm"): "ask", ("orgs", "delete"): "deny"},
    "neonctl": {("projects", "delete"): "deny", ("project", "delete"): "deny",
                ("branches", "delete"): "ask", ("branches", "reset"): "ask", ("branch", "delete"): "ask",
                ("databases", "delete"): "deny"},
    "pscale": {("database", "delete"): "deny", ("db", "delete"): "deny", ("branch", "delete"): "ask"},
    "turso": {("db", "destroy"): "deny", ("group", "destroy"): "deny"},
}
_VERBS["neon"] = _VERBS["neonctl"]


def _bq(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    words = []
    j = 0
    while j < len(argv):
        arg = argv[j]
        if arg.startswith("-"):
            j += 2 if arg in _BQ_VALUED else 1
            continue
        words.append(arg)
        j += 1
    if words[:1] != ["rm"]:
        return None
    target = words[1] if len(words) > 1 else "?"
    dataset = "--dataset" in argv or any(_short(a, "d") for a in argv)
    if dataset:
        recursive = "--recursive" in argv or any(_short(a, "r") for a in argv)
        how = "with every table in it" if recursive else "(refused while it holds tables)"
        return judge.verdict("cloud-delete", "deny" if recursive else "ask",
                             f"bq rm -d {target} deletes the BigQuery dataset {how}")
    return judge.verdict("cloud-delete", "ask", f"bq rm {target} deletes a BigQuery table, view or model")


def _short(arg: str, letter: str) -> bool:
    return arg.startswith("-") and not arg.startswith("--") and letter in arg


def _platform(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    words = [a for a in argv if not a.startswith("-")]
    if call.name == "supabase" and words[:2] == ["db", "reset"]:
        urls = [argv[k + 1] for k, a in enumerate(argv[:-1]) if a == "--db-url"]
        urls += [a.split("=", 1)[1] for a in argv if a.startswith("--db-url=")]
        local = ("@localhost", "@127.0.0.1", "@[::1]", "//localhost", "//127.0.0.1")
        remote = "--linked" in argv or any(not any(h in u for h in local) for u in urls)
        if remote and "--local" not in argv:
            reason = "supabase db reset of the linked project (or --db-url) wipes the remote database"
            return judge.verdict("cloud-delete", "deny", reason)
        return None
    for verb, decision in _VERBS.get(call.name, {}).items():
        if tuple(words[: len(verb)]) == verb:
            shown = " ".join([call.name, *words[: len(verb) + 1]])
            return judge.verdict("cloud-delete", decision, f"{shown} deletes hosted data or a whole project")
    return None


RULES = {"bq": _bq, **{name: _platform for name in ("supabase", "neonctl", "neon", "pscale", "turso")}}
