"""No secret reaches disk: any shape of the rule set, in any field of any record, is absent
from every file ao writes under `.agents/` (tracked files, the SQLite and search indexes,
caches, logs) and under the user cache (crash logs).

Driven through the real writers: `ao sessions ingest` of a Claude Code transcript holding
the secrets, `ao handoff save` from it (on a branch named after a secret), `ao learn add`,
`ao search` (builds the search index), the SessionStart and PreToolUse hooks (session
events, a guard denial in the audit ledger), a failing gate (its cached output), and a
crash log. A file "contains" a secret when the secret, or any 8+ character alphanumeric
run of its random part, occurs in its bytes in any letter case (FTS5 stores lowercased
pieces split at punctuation).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agentops_os.sessions.sample import ClaudeSession, write_jsonl
from agentops_os.store.redact import RULES_FILE
from agentops_os.store.redact_samples import expand, rule_examples
from agentops_os.transcripts.locate import claude_project_slug
from conftest import git, run_ao

with open(RULES_FILE, encoding="utf-8") as _handle:
    RULES = {r["id"]: r for r in json.load(_handle)["rules"]}
EXAMPLES = rule_examples()
_PLACEHOLDER = re.compile(r"\{[a-zA-Z0-9]+:\d+\}")
_GIT_REF_SAFE = re.compile(r"^[A-Za-z0-9_\-]+$")


def secret_part(rule_id: str, sample: str) -> str:
    rule = RULES[rule_id]
    match = re.search(rule["regex"], sample, re.IGNORECASE if rule.get("ignore_case") else 0)
    assert match, (rule_id, sample)
    return match.group("secret") if "secret" in match.re.groupindex else match.group(0)


def fingerprints(rule_id: str, template: str, secret: str) -> list[bytes]:
    """The secret and its random alphanumeric runs (not the template's fixed text)."""
    fixed = _PLACEHOLDER.sub(" ", template).lower()
    runs = [r for r in re.findall(r"[A-Za-z0-9]{8,}", secret) if r.lower() not in fixed]
    return [secret.lower().encode()] + [r.lower().encode() for r in runs]


def written_files(repo: Path, home: Path) -> list[Path]:
    roots = [repo / ".agents", home / ".cache"]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def leaks(repo: Path, home: Path, secrets: dict[str, list[bytes]]) -> list[str]:
    found = []
    for path in written_files(repo, home):
        data = path.read_bytes().lower() + path.name.lower().encode()
        for label, prints in secrets.items():
            hit = next((p for p in prints if p in data), None)
            if hit is not None:
                found.append(f"{label}: {path} holds {hit[:40]!r}")
    return found


def transcript(home: Path, repo: Path, texts: list[str], branch: str) -> Path:
    session_id = "5f0c2a9e-1b7d-4c3e-9a8f-2d6b4e1c7a90"
    session = ClaudeSession(random.Random(1), session_id, str(repo.resolve()),
                            datetime(2026, 11, 2, 9, 0, tzinfo=UTC), branch=branch)
    joined = " ".join(texts)
    session.user(f"Deploy with {joined} and fix the failing test")
    for text in texts:
        session.tool("Bash", {"command": f"curl -s https://api.example.com -d '{text}'",
                              "description": f"call the API with {text}"},
                     f"ok: {text}\nDone. We decided to keep {text} in the vault.")
        session.say(f"I used {text}. Decision: rotate it after the deploy.")
    session.user(f"Next: what about {joined}?")
    project = home / ".claude" / "projects" / claude_project_slug(str(repo.resolve()))
    return write_jsonl(project / f"{session_id}.jsonl", session.lines)


def drive_every_writer(repo: Path, home: Path, texts: list[str], branch_secret: str | None) -> None:
    env = None  # run_ao inherits the hermetic environment of conftest
    branch = "main"
    if branch_secret:
        branch = f"fix-{branch_secret}"
        git(repo, "checkout", "-q", "-b", branch)
    joined = " ".join(texts)
    (repo / "agentops.toml").write_text(
        '[gates.checks.leaky]\ncommand = "cat leak.txt; exit 1"\n[gates.sets]\nquick = ["leaky"]\n')
    (repo / "leak.txt").write_text(f"config dump: {joined}\n")
    assert run_ao("init", cwd=repo, env=env).returncode in (0, 1)
    path = transcript(home, repo, texts, branch)
    steps = [
        ("sessions", "ingest"),
        ("handoff", "save", "--transcript", str(path), "--goal", f"ship it with {joined}"),
        ("learn", "add", f"Use the deploy key {texts[0]}", "--body", f"Found in the logs: {joined}",
         "--tag", "deploy", "--force"),
        ("gate", "run", "quick"),
        ("search", "deploy key"),
    ]
    for args in steps:
        result = run_ao(*args, cwd=repo, env=env)
        assert result.returncode in (0, 1), (args, result.stderr)
    hooks = [
        ("session-start", {"session_id": "s-1", "cwd": str(repo), "hook_event_name": "SessionStart",
                           "source": "startup", "model": texts[0]}),
        ("pre-tool-use", {"session_id": "s-1", "cwd": str(repo), "hook_event_name": "PreToolUse",
                          "tool_name": "Bash", "tool_input": {"command": f"rm -rf ~ && echo {texts[0]}"}}),
    ]
    for event, payload in hooks:
        result = run_ao("hook", event, cwd=repo, input=json.dumps(payload), env=env)
        assert result.returncode == 0, result.stderr
    from agentops_os.main import write_crash_log

    write_crash_log(["learn", "add", joined], RuntimeError(f"could not parse {joined}"))


def _check(repo: Path, home: Path, samples: list[tuple[str, str, str]], branch: bool) -> None:
    secrets = {rule_id: fingerprints(rule_id, template, secret_part(rule_id, text))
               for rule_id, template, text in samples}
    texts = [text for _, _, text in samples]
    # A branch is named after a whole shape (a rule without a `secret` group): a value whose
    # rule needs its setting name (`COHERE_API_KEY=`) is, without the name, not that shape.
    branch_secret = next((t for r, _, t in samples if branch and "(?P<secret>" not in RULES[r]["regex"]
                          and _GIT_REF_SAFE.match(t)), None)
    drive_every_writer(repo, home, texts, branch_secret)
    # the writers really ran: something of each kind is on disk
    agents = repo / ".agents"
    for expected in ("sessions", "handoffs", "learnings", "audit", ".index"):
        assert any((agents / expected).rglob("*")), expected
    assert list((home / ".cache" / "agentops").glob("crash-*.log"))
    assert not leaks(repo, home, secrets)


def test_no_shape_of_the_rule_set_reaches_disk_through_any_writer(repo: Path, hermetic_env: Path) -> None:
    """Every shipped rule at once, in every field the writers take."""
    rng = random.Random(7)
    samples = [(rule_id, template, expand(template, rng)) for rule_id, template in EXAMPLES]
    _check(repo, hermetic_env, samples, branch=True)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(picked=st.lists(st.sampled_from(EXAMPLES), min_size=1, max_size=3, unique=True),
       seed=st.integers(0, 2**32), branch=st.booleans())
# A long shape alone: writers that cut a value (handoff titles, hook event fields) before
# redacting it once leaked its first half.
@example(picked=[("cloudflare-origin-ca-key", "v1.0-{hex:24}-{hex:146}")], seed=0, branch=False)
# A multi-line shape: writers that joined a text's lines before redacting it leaked parts.
@example(picked=[("putty-private-key", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n"
                  "Private-Lines: 1\n{b64:44}\nPrivate-MAC: {hex:64}")], seed=1, branch=False)
def test_any_shape_in_any_record_never_reaches_disk(tmp_path_factory, hermetic_env: Path,  # type: ignore[no-untyped-def]
                                                    picked: list[tuple[str, str]], seed: int,
                                                    branch: bool) -> None:
    rng = random.Random(seed)
    base = tmp_path_factory.mktemp("leak")
    repo = base / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("# test\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    for path in (hermetic_env / ".claude", hermetic_env / ".cache"):
        if path.exists():
            subprocess.run(["rm", "-rf", str(path)], check=True)
    samples = [(rule_id, template, expand(template, rng)) for rule_id, template in picked]
    _check(repo, hermetic_env, samples, branch)
