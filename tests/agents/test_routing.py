from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from helpers_agents import write_agent

from agentops_os.agents.routing import load_router, record_outcome, route
from agentops_os.errors import FatalError
from agentops_os.profiles.archive import builtin_dir
from conftest import run_ao


def python_in(repo: Path, code: str) -> str:
    """Run `code` in a fresh interpreter in `repo` (imports as a new `ao` process makes them);
    its stdout, after checking it exited 0."""
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def install_agents(repo: Path, *profiles: str) -> None:
    target = repo / ".claude" / "agents"
    target.mkdir(parents=True, exist_ok=True)
    for profile in profiles:
        for path in (builtin_dir() / profile / "agents").glob("*.md"):
            shutil.copy(path, target / path.name)


def test_routes_clear_tasks_to_the_right_agent(repo: Path) -> None:
    install_agents(repo, "sre", "devops")
    router = load_router(repo)
    best = router.route("write the blameless postmortem for last night's outage").best
    assert best is not None and best.name == "postmortem-writer"
    assert router.route("our Dockerfile builds a 3 GB image, slim it down").best.name == "container-builder"
    top = router.route("add a prometheus alert for disk usage", top=2)
    assert len(top.matches) == 2 and top.matches[0].score >= top.matches[1].score


def test_abstains_on_out_of_scope_tasks(repo: Path) -> None:
    install_agents(repo, "sre", "devops")
    result = route(repo, "what is a good recipe for a chocolate birthday cake")
    assert result.abstained and result.best is None
    assert result.to_json()["agent"] is None
    unknown = route(repo, "zxqv wibble frobnicate")
    assert unknown.abstained and "no word" in unknown.reason


def test_abstains_below_the_configured_threshold(repo: Path) -> None:
    install_agents(repo, "sre")
    task = "check the alerts of the service"
    score = route(repo, task).matches[0].score
    assert score < 0.99
    (repo / "agentops.toml").write_text(f"[route]\nmin_confidence = {score + 0.005}\n")
    result = route(repo, task)
    assert result.abstained and "below the threshold" in result.reason


@pytest.mark.parametrize("task", ["", "   ", "the and of to", "please could you"])
def test_empty_or_stopword_query_is_an_input_error(repo: Path, task: str) -> None:
    install_agents(repo, "sre")
    with pytest.raises(FatalError):
        route(repo, task)


def test_explain_shows_deciding_words_and_examples(repo: Path) -> None:
    install_agents(repo, "data-eng")
    best = route(repo, "add a nullable column to the invoices table with a migration", explain=True).best
    assert best is not None and best.name == "schema-migrator"
    assert any("column" in word or "migr" in word for word, _ in best.words)
    assert best.examples and all(sim > 0 for _, sim in best.examples)


def test_model_is_cached_and_rebuilt_when_agents_change(repo: Path) -> None:
    install_agents(repo, "sre")
    assert load_router(repo).rebuilt is True
    cached = load_router(repo)
    assert cached.rebuilt is False
    assert list((repo / ".agents" / ".index").glob("routing-*.pkl"))
    # A new agent appears: the old model must not be used, and the new agent routes.
    write_agent(repo, "chaos-tester", "Designs chaos experiments that inject faults into services.",
                tools="Read, Bash", examples=["inject network latency between the api and the database",
                                              "run a chaos experiment that kills random pods"])
    fresh = load_router(repo)
    assert fresh.rebuilt is True and fresh.model.key != cached.model.key
    assert fresh.route("plan a chaos experiment killing random pods").best.name == "chaos-tester"


def test_broken_agent_files_are_reported_and_the_rest_still_route(repo: Path) -> None:
    install_agents(repo, "sre")
    (repo / ".claude" / "agents" / "broken.md").write_text("---\nname: [broken\n---\n")
    router = load_router(repo)
    assert any("broken.md" in e for e in router.errors)
    assert router.route("write the postmortem of the outage").best.name == "postmortem-writer"


def test_history_of_outcomes_trains_the_router(repo: Path) -> None:
    install_agents(repo, "product-dev")
    before = load_router(repo)
    task = "groom the jira backlog into tickets"
    record_outcome(repo, task, "spec-writer", "success")
    record_outcome(repo, "unrelated", "spec-writer", "failure")
    after = load_router(repo)
    assert after.rebuilt and after.model.key != before.model.key
    history = [s for s in after.model.samples if s.source == "history"]
    assert [s.text for s in history] == [task]
    log = next((repo / ".agents" / "runs" / "routing").glob("*.jsonl"))
    assert orjson.loads(log.read_text().splitlines()[0])["schema_version"] == 1


def test_cli_route_json_and_exit_codes(repo: Path) -> None:
    install_agents(repo, "devops")
    ok = run_ao("route", "--json", "--top", "2", "roll back the kubernetes deployment of the api", cwd=repo)
    assert ok.returncode == 0, ok.stderr
    data = orjson.loads(ok.stdout)
    assert data["agent"] == "k8s-deployer" and len(data["matches"]) == 2
    empty = run_ao("route", "the of and", cwd=repo)
    assert empty.returncode == 2 and "empty task" in empty.stderr
    off = run_ao("route", "--explain", "recommend a novel for my holiday", cwd=repo)
    assert off.returncode == 0 and "no good match" in off.stdout and "deciding words" in off.stdout
    bad = run_ao("route", "feedback", "x", "--agent", "nobody", cwd=repo)
    assert bad.returncode == 2


def test_direct_scores_equal_sklearn_probabilities() -> None:
    import numpy as np

    from agentops_os.agents.catalog import load_paths
    from agentops_os.agents.routing import RoutingModel, background_samples, entry_samples

    entries = load_paths([builtin_dir() / "data-eng"]).of_kind("agent")
    model = RoutingModel([s for e in entries for s in entry_samples(e)] + background_samples())
    for task in ("speed up the slow orders query", "backfill last month of events", "bake bread",
                 "审查代码", "qqq", "a"):
        assert np.allclose(model.scores(task)[2], model.probabilities(task))


def test_a_cached_model_routes_without_scikit_learn(repo: Path) -> None:
    install_agents(repo, "sre")
    load_router(repo)  # build and cache
    python_in(repo, "import sys; from pathlib import Path; from agentops_os.agents.routing import route; "
                    "r = route(Path('.'), 'write the postmortem of the outage', explain=True); "
                    "assert r.best.name == 'postmortem-writer', r; "
                    "assert not any(m.startswith('sklearn') for m in sys.modules), 'sklearn imported'")


def test_a_single_agent_repo_routes_and_abstains(repo: Path) -> None:
    write_agent(repo, "migrator", "Writes safe database schema migrations with rollbacks.",
                tools="Read, Edit, Write, Bash",
                examples=["add a column to the users table", "rename a column without downtime"])
    router = load_router(repo)
    assert router.route("write a migration that adds an index to orders").best.name == "migrator"
    assert router.route("suggest a recipe for banana pancakes").abstained


def test_no_agents_is_an_input_error(repo: Path) -> None:
    with pytest.raises(FatalError, match="no agents"):
        route(repo, "deploy the api")


def test_cli_show_and_list_json(repo: Path) -> None:
    install_agents(repo, "sre")
    shown = run_ao("agents", "show", "slo-analyst", "--json", cwd=repo)
    assert shown.returncode == 0
    data = orjson.loads(shown.stdout)
    assert data["tools"] == ["Read", "Grep", "Glob"] and len(data["examples"]) >= 5 and data["body"]
    assert run_ao("agents", "show", "nobody", cwd=repo).returncode == 2
    listed = orjson.loads(run_ao("agents", "list", "--json", cwd=repo).stdout)
    assert {e["name"] for e in listed["entries"]} >= {"slo-analyst", "incident-responder"}


def test_no_agents_fails_fast_without_training(repo: Path) -> None:
    """`ao prime` calls the router on every run: with no agents it must not import
    scikit-learn (seconds) just to find out there is nothing to route to."""
    out = python_in(repo, "import sys; from pathlib import Path\n"
                          "from agentops_os.agents.routing import route\n"
                          "from agentops_os.errors import FatalError\n"
                          "try:\n    route(Path('.'), 'fix the flaky checkout test')\n"
                          "except FatalError as exc:\n    print('error:', exc)\n"
                          "print('sklearn' in sys.modules)\n")
    assert "no agents to route to" in out
    assert out.strip().endswith("False")


def test_a_warm_start_reads_no_agent_file_and_keeps_errors(repo: Path) -> None:
    """Unchanged agent files (by path, mtime and size) skip the catalog parse and its YAML
    import; the catalog's errors and each agent's path still come back."""
    install_agents(repo, "sre")
    (repo / ".claude" / "agents" / "broken.md").write_text("---\nname: [broken\n---\n")
    cold = load_router(repo)
    assert cold.rebuilt and any("broken.md" in e for e in cold.errors)
    python_in(repo, "import sys; from pathlib import Path\n"
                    "from agentops_os.agents.routing import load_router\n"
                    "r = load_router(Path('.')); best = r.route('write the postmortem of the outage').best; "
                    "assert not r.rebuilt; assert any('broken.md' in e for e in r.errors), r.errors; "
                    "assert best.name == 'postmortem-writer', best; "
                    "assert best.path.endswith('postmortem-writer.md'), best; "
                    "assert 'yaml' not in sys.modules, 'agent files were parsed'")


def test_an_agent_edited_in_place_is_not_served_from_the_warm_start(repo: Path) -> None:
    install_agents(repo, "sre")
    before = load_router(repo)
    assert load_router(repo).rebuilt is False
    path = repo / ".claude" / "agents" / "postmortem-writer.md"
    path.write_text(path.read_text().replace("postmortem", "retrospective"))
    after = load_router(repo)
    assert after.rebuilt and after.model.key != before.model.key


def test_a_corrupt_warm_start_memo_falls_back_to_the_content_key(repo: Path) -> None:
    install_agents(repo, "sre")
    load_router(repo)
    (repo / ".agents" / ".index" / "routing-stamp.json").write_text("{not json")
    again = load_router(repo)
    assert again.rebuilt is False  # the model is still found by its content key
    assert again.route("write the postmortem of the outage").best.name == "postmortem-writer"
