# ruff: noqa: E501  (hand-written data: one record per line reads best)
"""Source of bench/forge/labelled.jsonl: hand-written snippets with their label.

Run `python bench/forge/make_labels.py` to regenerate the JSONL after editing. Each
snippet is labelled `lesson: true` when a reviewer would want it proposed as a learning.
Labels were written before tuning and are not changed to fit the extractor.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

# (text, is_lesson) — single assistant lines from sessions
ASSISTANT = [
    ("Lesson: the ORM lazily loads relations inside loops, so prefetch them before iterating.", True),
    ("TIL: `git worktree remove` refuses to delete a worktree with untracked files unless you pass --force.", True),
    ("Gotcha: pytest collects files named test_*.py only under testpaths, so the new tests were never run.", True),
    ("Note to self: the staging database uses UTC while the reports service assumes local time.", True),
    ("Lesson learned: always pin the Docker base image digest; `latest` changed under us and broke the build.", True),
    ("The gotcha here is that the cache key ignores the locale, so French users got English pages.", True),
    ("We learned that the payment webhook can arrive before the order row is committed.", True),
    ("Key takeaway: retries need jitter, otherwise all clients retry at the same second.", True),
    ("Lesson: never run migrations and the app deploy in one step; the old pods read the new schema.", True),
    ("TIL the `--ff-only` flag makes `git pull` refuse to create merge commits.", True),
    ("Gotcha: `datetime.utcnow()` returns a naive datetime, so comparing it with aware ones raises TypeError.", True),
    ("Note to self: run `make generate` after changing the protobuf files or the build uses stale stubs.", True),
    ("**Lesson:** the rate limiter counts per IP, so all CI jobs behind the NAT share one budget.", True),
    ("- Lesson: the feature flag defaults differ between staging and production config files.", True),
    ("Lesson learned — the S3 client retries on 503 by itself; our extra retry loop doubled the latency.", True),
    ("The lesson here: check the lock file into git, otherwise CI resolves newer transitive versions.", True),
    ("Gotcha: Alembic autogenerate does not detect changes to server defaults; add them by hand.", True),
    ("TIL: bash `set -e` does not stop on a failing command inside `$(...)` in a local declaration.", True),
    ("Takeaway: the flaky test depended on dict ordering from an old fixture; sort before comparing.", True),
    ("Note to self - the integration suite needs REDIS_URL set or it silently skips the queue tests.", True),
    ("Lesson: when the container is OOM-killed the exit code is 137, not a Python traceback.", True),
    ("We learned that Postgres `NOT IN` with a NULL in the subquery returns no rows at all.", True),
    ("Gotcha: the Node fetch API does not reject on HTTP 500; you must check response.ok.", True),
    ("Lesson: keep the CSV export streaming; building it in memory blew the 512 MB worker limit.", True),
    ("TIL that `git log --follow` only works with a single path.", True),
    ("Lesson: the mock of requests.get hid the missing timeout argument; test with a real local server instead.", True),
    ("Learned: serializers must not touch request.user in background jobs because there is no request.", True),
    ("Gotcha — Kubernetes liveness probes that call the database restart every pod during a DB failover.", True),
    ("The takeaway is that the N+1 query came from the template, not the view.", True),
    ("Lesson: bump the schema version whenever a stored record gains a field, or old readers crash.", True),
    ("Note to self: tests run in parallel with xdist, so never share a temp directory between them.", True),
    ("TIL: SQLite FTS5 with detail=column cannot run phrase queries.", True),
    ("Lesson: a unique index is the only reliable idempotency guard; the in-memory set lost entries on restart.", True),
    ("Gotcha: GitHub Actions caches are scoped per branch, so the first run on a new branch is always cold.", True),
    ("Lesson learned: read the migration's lock behaviour; adding a column with a default rewrote the table.", True),
    # near-misses and non-lessons
    ("I'll keep polling until the deployment finishes.", False),
    ("The build is still running; I will wait until it completes.", False),
    ("Let me re-plan the remaining steps now that the API changed.", False),
    ("I selected the second option because it keeps the diff small.", False),
    ("Until the lock is released, the writer blocks.", False),
    ("It still fails with the same error, let me look at the logs.", False),
    ("I'll add a test for the lesson model in the curriculum app.", False),
    ("The lessons table needs an index on course_id.", False),
    ("Renamed `LessonPlan` to `CoursePlan` across the codebase.", False),
    ("The user selected the dark theme and the setting persisted.", False),
    ("Running the tests until they pass, then I'll commit.", False),
    ("Let me check what we learned from the previous session's handoff.", False),
    ("What did you learn from the failing run? I want to understand it first.", False),
    ("I installed the gotcha library to test the hook.", False),
    ("The function `until_ready()` polls the health endpoint.", False),
    ("Still, the migration looks fine to me.", False),
    ("Now I will re-plan: first the parser, then the CLI.", False),
    ("Selected rows are exported to CSV.", False),
    ("I learned the file layout by reading the README.", False),
    ("There is no real lesson here, it was a typo.", False),
    ("Nothing learned this time; the fix was trivial.", False),
    ("    learned = model.fit(X, y)  # keeps the learned weights", False),
    ("Let me read the file first.", False),
    ("Done. All 42 tests pass.", False),
    ("The pipeline stays green until someone merges without rebasing.", False),
    ("I'll update the docs and the changelog.", False),
    ("Lesson 3 of the tutorial covers decorators.", False),
    ("Now let me run the linter.", False),
    ("We still need to decide between Redis and Postgres for the queue.", False),
    ("The retry loop waits until the upstream answers or 30 seconds pass.", False),
    ("Replanning the sprint is out of scope for this change.", False),
    ("I've selected the files that changed since the last release.", False),
    ("Great, that worked.", False),
    ("Should I also learn the new API before changing the client?", False),
    ("`test_until_timeout` is flaky on macOS runners.", False),
    ("Let me look at the STILL_PENDING constant in the status enum.", False),
    ("Committing now: fix(orders): handle empty cart.", False),
    ("I will note the open TODOs in the handoff.", False),
    ("Perhaps the lesson is elsewhere; let me keep digging.", False),
    ("The test still passes until the clock reaches midnight UTC.", False),
    ("Here is the plan: 1) reproduce, 2) bisect, 3) fix.", False),
    ("Utility functions live in shop/util.py.", False),
    ("The student learned model output is cached in the lessons_cache table.", False),
    ("Lesson: `git stash` does not include untracked files unless you pass -u, which is why the new file vanished.", True),
    ("Gotcha: the YAML parser turns `no` into False, so the country code for Norway disappeared.", True),
    ("TIL: `pip install -e .` needs a build backend that supports PEP 660, old setuptools falls back silently.", True),
    ("Note to self: the e2e tests need the seed data loaded with `make seed` first.", True),
    ("Lesson learned: set an explicit timeout on every outbound HTTP call; the default waits forever.", True),
    ("The gotcha is that Celery acks the task before it runs unless acks_late is set.", True),
    ("We learned that the CDN caches 404 responses for ten minutes.", True),
    ("Takeaway: the deadlock came from updating rows in different orders; always lock in primary-key order.", True),
    ("Lesson: sort the glob results, the file system order differs between Linux and macOS.", True),
    ("Gotcha: `subprocess.run(text=True)` still decodes with the locale encoding unless you pass encoding.", True),
    ("TIL: Python's `re.sub` treats backslashes in the replacement string as escapes.", True),
    ("Lesson: hooks that run on every tool call must not import heavy libraries; start-up time adds up.", True),
    ("Until now the parser accepted trailing commas; I kept that behaviour.", False),
    ("Still working on it: the second test needs a fixture.", False),
    ("I re-planned the migration into three smaller steps as you asked.", False),
    ("The selected candidate has the highest score.", False),
    ("Let me wait until CI reports back.", False),
    ("TILDE expansion does not happen inside quotes, so I used $HOME.", False),
    ("The STILL image pipeline is unaffected by this change.", False),
    ("Learned embeddings are out of scope for this repository.", False),
    ("Let me learn more about the retry module before changing it.", False),
    ("The module is called `lessons_learned.py`; it only formats output.", False),
    ("Note: the build takes about two minutes.", False),
    ("I'm going to write the lesson content for the onboarding page next.", False),
    ("Reading the gotchas section of the README now.", False),
    ("The until-loop in the shell script polls every second.", False),
    ("Everything passes; the branch is ready for review.", False),
    ("If we learned anything, it's unclear yet; let me gather more data.", False),
]

# (text, is_lesson) — things the user typed (explicit lessons by humans are also lessons)
USER = [
    ("TIL our CI runners have only 2 cores, so keep the test suite under five minutes.", True),
    ("Lesson: don't mock the database in the repository tests, it hid a broken migration last time.", True),
    ("Note to self: the staging deploy key expires every 90 days.", True),
    ("keep going until all the tests are green", False),
    ("is it still failing?", False),
    ("please re-plan the work into smaller commits", False),
    ("I selected the wrong branch earlier, switch to main", False),
    ("what was the lesson from yesterday's outage?", False),
    ("run it again until it's stable", False),
    ("ok, continue", False),
    ("still broken after your change, check the logs", False),
]

# multi-turn snippets: (turns, is_lesson)
T = "tool"
MULTI = [
    ([("user", "No, don't use the global session object; pass the session into the repository."),
      ("assistant", "Understood, I changed the repository to take the session as a parameter."),
      (T, "Edit", {"file_path": "app/repo.py"}, "updated", False)], True),
    ([("user", "That's wrong: prices are in cents, not euros."),
      ("assistant", "You're right, I converted the fixture values to integer cents."),
      (T, "Edit", {"file_path": "tests/fixtures/orders.json"}, "updated", False)], True),
    ([("user", "Don't catch bare Exception here, catch requests.Timeout only."),
      ("assistant", "Narrowed the except clause to requests.Timeout."),
      (T, "Edit", {"file_path": "client/http.py"}, "updated", False)], True),
    ([("user", "Actually the config lives in agentops.toml, not in setup.cfg."),
      ("assistant", "Moved the settings to agentops.toml."),
      (T, "Edit", {"file_path": "agentops.toml"}, "updated", False),
      (T, "Edit", {"file_path": "setup.cfg"}, "updated", False)], True),
    ([("user", "You should never write to the production bucket from tests; use the moto fixture."),
      ("assistant", "Switched the test to the moto fixture."),
      (T, "Edit", {"file_path": "tests/test_upload.py"}, "updated", False)], True),
    ([("user", "Stop adding print statements, use the logger."),
      ("assistant", "Replaced the prints with logger.debug calls."),
      (T, "Edit", {"file_path": "worker/jobs.py"}, "updated", False)], True),
    ([("user", "Wrong file: the handler is in api/views/orders.py, not api/orders.py."),
      ("assistant", "Applied the change to api/views/orders.py instead."),
      (T, "Edit", {"file_path": "api/views/orders.py"}, "updated", False)], True),
    ([("user", "Instead of sleeping in the test, freeze time with the clock fixture."),
      ("assistant", "Used the frozen clock fixture and removed the sleep."),
      (T, "Edit", {"file_path": "tests/test_expiry.py"}, "updated", False)], True),
    ([("user", "No, the date must be ISO 8601 with a timezone, not a Unix timestamp."),
      ("assistant", "Changed the serializer to emit ISO 8601 with an explicit offset."),
      (T, "Edit", {"file_path": "api/serializers.py"}, "updated", False)], True),
    ([("user", "Do not bump the major version; this change is backwards compatible."),
      ("assistant", "Reverted to a minor version bump."),
      (T, "Edit", {"file_path": "pyproject.toml"}, "updated", False)], True),
    # corrections without a fix, or not corrections at all
    ([("user", "No, that's fine, go ahead."),
      ("assistant", "Proceeding with the plan."),
      (T, "Edit", {"file_path": "app/main.py"}, "updated", False)], False),
    ([("user", "No worries, take your time."),
      ("assistant", "Thanks, continuing.")], False),
    ([("user", "Actually, let's stop here for today."),
      ("assistant", "Okay, I'll write a handoff.")], False),
    ([("user", "Don't forget to run the tests."),
      ("assistant", "Running them now."),
      (T, "Bash", {"command": "pytest -q"}, "12 passed", False)], False),
    ([("user", "no"),
      ("assistant", "Okay, I won't push.")], False),
    ([("user", "Instead, can you explain what the function does?"),
      ("assistant", "It sums price times quantity for each item.")], False),
    ([("user", "Stop."),
      ("assistant", "Stopped.")], False),
    ([("user", "Nope, not yet, first show me the diff."),
      ("assistant", "Here is the diff."),
      (T, "Bash", {"command": "git diff"}, "diff --git a/x b/x", False)], False),
    ([("user", "Actually yes, apply it."),
      ("assistant", "Applied."),
      (T, "Edit", {"file_path": "app/x.py"}, "updated", False)], False),
    ([("user", "Stop and commit what you have."),
      ("assistant", "Committing."),
      (T, "Bash", {"command": "git commit -am wip"}, "[main 1a2b3c] wip", False)], False),
    # error -> edit -> successful retry
    ([(T, "Bash", {"command": "pytest -q tests/test_orders.py"},
       "E   KeyError: 'qty'\n1 failed, 3 passed", True),
      (T, "Edit", {"file_path": "shop/orders.py"}, "updated", False),
      (T, "Bash", {"command": "pytest -q tests/test_orders.py"}, "4 passed", False)], True),
    ([(T, "Bash", {"command": "npm run build"},
       "error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.", True),
      (T, "Edit", {"file_path": "src/cart.ts"}, "updated", False),
      (T, "Bash", {"command": "npm run build"}, "built in 2.1s", False)], True),
    ([(T, "Bash", {"command": "alembic upgrade head"},
       "sqlalchemy.exc.ProgrammingError: relation \"orders\" already exists", True),
      (T, "Edit", {"file_path": "migrations/versions/0042_orders.py"}, "updated", False),
      (T, "Bash", {"command": "alembic upgrade head"}, "Running upgrade 0041 -> 0042", False)], True),
    ([(T, "Bash", {"command": "mypy src"}, "src/app.py:12: error: Incompatible return value type", True),
      (T, "Edit", {"file_path": "src/app.py"}, "updated", False),
      (T, "Bash", {"command": "mypy src"}, "Success: no issues found", False)], True),
    ([(T, "Bash", {"command": "cargo build"}, "error[E0502]: cannot borrow `v` as mutable", True),
      (T, "Edit", {"file_path": "src/lib.rs"}, "updated", False),
      (T, "Bash", {"command": "cargo build"}, "Finished dev", False)], True),
    ([(T, "Bash", {"command": "go test ./..."}, "panic: assignment to entry in nil map", True),
      (T, "Edit", {"file_path": "store/cache.go"}, "updated", False),
      (T, "Bash", {"command": "go test ./..."}, "ok  store 0.2s", False)], True),
    # errors without a fix
    ([(T, "Bash", {"command": "pytest -q"}, "1 failed", True),
      (T, "Bash", {"command": "pytest -q"}, "all passed", False)], False),
    ([(T, "Bash", {"command": "ls /nonexistent"}, "ls: cannot access '/nonexistent': No such file", True),
      (T, "Bash", {"command": "ls"}, "README.md", False)], False),
    ([(T, "Bash", {"command": "pytest -q"}, "E   AssertionError\n1 failed", True),
      (T, "Edit", {"file_path": "app/x.py"}, "updated", False),
      (T, "Bash", {"command": "pytest -q"}, "E   AssertionError\n1 failed", True)], False),
    ([(T, "Bash", {"command": "grep -r TODO src"}, "", True),
      (T, "Read", {"file_path": "src/a.py"}, "contents", False)], False),
    ([(T, "Bash", {"command": "curl localhost:8000/health"}, "curl: (7) Failed to connect", True),
      (T, "Bash", {"command": "sleep 2"}, "", False),
      (T, "Bash", {"command": "curl localhost:8000/health"}, "ok", False)], False),
]

COMMITS = [
    ("fix(orders): treat missing price as zero\n\nContext: free samples have no price.\n"
     "Solution: default to 0 in total().\nLearning: optional numeric fields from the catalog API "
     "can be null; normalise them at the boundary.\nImpact: no more 500s at checkout.\n", True),
    ("perf(reports): stream CSV export\n\nLearning: building the export in memory exceeded the worker "
     "limit; stream rows with a generator.\n", True),
    ("fix(auth): refresh tokens before expiry\n\nContext: users were logged out mid-session.\n"
     "Solution: refresh 60 s early.\nLearning: clock skew between pods is up to 30 s, so never "
     "refresh exactly at expiry.\nImpact: fewer support tickets.\n", True),
    ("ci: pin actions by SHA\n\nLearning: a tag of a third-party action was moved and ran new code "
     "in our pipeline; pin by commit SHA.\n", True),
    ("fix(db): add unique index on payment idempotency key\n\nContext: duplicate charges on retries.\n"
     "Solution: unique index plus ON CONFLICT DO NOTHING.\nLearning: application-level checks race; "
     "only the database can enforce idempotency.\nImpact: duplicates impossible.\n", True),
    ("test: freeze time in expiry tests\n\nLearning: tests that sleep are slow and flaky; inject a clock.\n", True),
    ("fix(worker): bound the connection pool\n\nSolution: pool size = concurrency + 2.\n\n"
     "Learning: pool size must exceed worker concurrency or requests queue behind each other\n"
     "Refs: #812\n", True),
    ("docs: explain release process\n\n## Context\nNew maintainers could not cut a release.\n\n"
     "## Learning\nThe changelog must be updated before tagging, because the tag triggers publishing.\n", True),
    ("fix(search): escape user queries\n\nLearning: FTS5 treats AND, OR, NOT and quotes as syntax; "
     "quote every user word.\n", True),
    ("refactor(cache): invalidate on background writes\n\nContext: stale prices after nightly import.\n"
     "Learning: caches need explicit invalidation when background jobs write, not only on web requests.\n",
     True),
    ("fix(deploy): run migrations before rollout\n\nLearning: old pods must tolerate the new schema; "
     "deploy additive migrations one release ahead.\nImpact: zero-downtime deploys.\n", True),
    ("build: pin base image digest\n\nThe latest tag changed and broke the build.\n\n"
     "Learning: pin the base image by digest; tags are mutable.\n", True),
    ("fix(api): check response.ok\n\nGotcha: fetch does not reject on HTTP errors, so 500s were parsed "
     "as empty carts.\n", True),
    ("fix(tz): use aware datetimes\n\nTIL: datetime.utcnow() is naive; comparisons with aware values raise.\n",
     True),
    ("fix(queue): retry with jitter\n\nLearning: synchronized retries amplified the outage; add full jitter.\n",
     True),
    ("feat(flags): default flags off in production\n\nContext: a flag defaulted on in prod.\n"
     "Learning: feature flags must default to off; enable them per environment.\n", True),
    ("fix(money): store integer cents\n\nLearning: float money values drift after repeated discounts.\n", True),
    ("chore(deps): bump requests to 2.32\n\nLearning: the new version rejects non-string header values, "
     "so cast ids before sending.\n", True),
    ("test: isolate database per test\n\nLearning: tests that share one database need transactional "
     "isolation or they pass alone and fail together.\n", True),
    ("fix(k8s): liveness probe must not check the database\n\nLearning: a DB failover restarted every pod "
     "because the liveness probe called the database; use readiness for dependencies.\n", True),
    # non-lessons
    ("fix(orders): handle empty cart\n\nContext: empty carts crashed.\nSolution: return 0.\n"
     "Learning: n/a\nImpact: none.\n", False),
    ("chore: bump version to 1.4.2\n", False),
    ("fix(worker): wait until the lock is free\n\nThe worker now polls until the lock is released.\n", False),
    ("feat(ui): remember selected theme\n\nThe selected theme is stored in local storage.\n", False),
    ("refactor: re-plan module boundaries\n\nSplit planner.py into plan/ and replan/.\n", False),
    ("fix: still failing on CI\n\nRetry the flaky test until it passes.\n", False),
    ("Merge branch 'feature/lessons' into main\n", False),
    ("feat(courses): add lesson model\n\nAdds Lesson and LessonPlan tables for the tutoring product.\n", False),
    ("wip\n", False),
    ("docs: fix typo in README\n", False),
    ("fix(api): return 404 for missing orders\n\nContext: a missing order returned 500.\n"
     "Solution: raise NotFound.\nLearning: none\nImpact: clearer errors.\n", False),
    ("style: run black\n", False),
    ("feat(search): add --since filter\n\nUsers can restrict results to recent commits until we add paging.\n",
     False),
    ("Revert \"feat(flags): default flags on\"\n\nThis reverts commit 1a2b3c4d.\n", False),
    ("fix(tests): skip until upstream fix lands\n\nThe vendor API is still down.\n", False),
    ("feat(learn): add learned-at column\n\nStores when a model was learned for the ML dashboard.\n", False),
    ("chore(ci): selected runners for arm64\n", False),
    ("fix(orders): rounding\n\nLearning: -\n", False),
    ("feat: gotcha-js integration\n\nWire the gotcha-js captcha widget into signup.\n", False),
    ("refactor(until): rename until() helper to wait_for()\n", False),
    ("fix(hooks): keep the hook entry light\n\nLearning: importing click in the hook entry doubled "
     "start-up time; dispatch hooks before importing the CLI.\n", True),
    ("fix(git): respect core.hooksPath\n\nContext: husky users lost their hooks.\nLearning: never "
     "overwrite a user's git hooks; chain to the existing one.\n", True),
    ("fix(yaml): quote country codes\n\nGotcha: YAML 1.1 parses NO as false; quote two-letter codes.\n", True),
    ("chore: update lockfile\n\nRegenerated until pip-compile stops changing it.\n", False),
    ("feat(ui): multi-select in tables\n\nSelected rows can now be exported.\n", False),
    ("fix: typo\n\nLearning: TBD\n", False),
]

HANDOFFS = [
    ("# Handoff: payment retries\n\n## Decisions\n- Use idempotency keys stored in a unique index, "
     "not an in-memory set.\n\n## Next\n- wire the webhook\n", True),
    ("# Handoff\n\n## Learnings\n- The sandbox gateway returns 429 after 10 requests per second; "
     "throttle the integration tests.\n", True),
    ("# Handoff: search\n\n## Decisions\n1. Index git history with one git log stream and bulk inserts.\n", True),
    ("# Handoff\n\n## Open questions\n- Should retired learnings still appear in `ao search --type learning`?\n",
     True),
    ("# Handoff: release\n\n## Decisions\n- [x] Tag releases only after the changelog is merged.\n", True),
    ("# Handoff\n\n## Done\n- fixed the tests\n- updated docs\n\n## Next\n- review PR 12\n", False),
    ("# Handoff\n\n## Next steps\n- run the migration until it finishes\n- check still-open PRs\n", False),
    ("# Handoff\n\n## Status\nAll green. Nothing else.\n", False),
    ("# Handoff: ui\n\n## Files touched\n- ui/theme.ts\n- ui/selected.ts\n", False),
    ("# Handoff\n\n## Decisions\n- n/a\n", False),
]


def records() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, (text, label) in enumerate(ASSISTANT, 1):
        out.append({"id": f"a{i:03d}", "source": "transcript", "turns": [["assistant", text]], "lesson": label})
    for i, (text, label) in enumerate(USER, 1):
        out.append({"id": f"u{i:03d}", "source": "transcript", "turns": [["user", text]], "lesson": label})
    for i, (turns, label) in enumerate(MULTI, 1):
        out.append({"id": f"m{i:03d}", "source": "transcript", "turns": [list(t) for t in turns],
                    "lesson": label})
    for i, (message, label) in enumerate(COMMITS, 1):
        out.append({"id": f"c{i:03d}", "source": "commit", "message": message, "lesson": label})
    for i, (body, label) in enumerate(HANDOFFS, 1):
        out.append({"id": f"h{i:03d}", "source": "handoff", "body": body, "lesson": label})
    return out


if __name__ == "__main__":
    rows = records()
    (HERE / "labelled.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(f"{len(rows)} snippets, {sum(1 for r in rows if r['lesson'])} lessons")
