# ruff: noqa: E501  (hand-written data: one record per line reads best)
"""Fixture corpus and labelled queries for bench/retrieval (hand-written).

Learnings, handoffs and commits about ~30 engineering topics, with distractors that
share words. Each query lists the ids that answer it: learning ids, handoff file stems,
and commit keys (resolved to SHAs when the repo is built).
"""

from __future__ import annotations

# id -> (title, body, tags, age_days)
LEARNINGS = {
    "l-idem": ("Use a unique index as the idempotency guard for payments",
               "Duplicate charges happened when the gateway retried webhooks. An in-memory set of "
               "seen keys lost entries on restart; only a unique index on the idempotency key with "
               "ON CONFLICT DO NOTHING prevents double charging.", ["payments", "database"], 200),
    "l-jitter": ("Retries need jitter",
                 "Synchronized retries from all clients amplified the gateway outage. Use exponential "
                 "backoff with full jitter.", ["resilience"], 90),
    "l-timeout": ("Set an explicit timeout on outbound HTTP calls",
                  "requests waits forever by default; a slow upstream exhausted the worker pool. Pass "
                  "timeout=(3, 10) everywhere.", ["http", "resilience"], 400),
    "l-tz": ("utcnow() returns a naive datetime",
             "Comparing naive and aware datetimes raises TypeError; use datetime.now(UTC) in all "
             "expiry and token code.", ["python", "time"], 30),
    "l-cents": ("Store money as integer cents",
                "Float prices drifted by a cent after repeated percentage discounts. Store amounts as "
                "integer cents and round once at display.", ["money"], 500),
    "l-discount": ("Apply discounts before tax",
                   "Applying percentage discounts after tax made totals differ from the invoice by a "
                   "cent. Discount first, then tax.", ["money", "checkout"], 60),
    "l-pool": ("Connection pool must exceed worker concurrency",
               "With 8 workers and a pool of 5, requests queued behind each other and timed out. Pool "
               "size = concurrency + 2.", ["database", "performance"], 120),
    "l-nplus1": ("N+1 queries came from the template",
                 "The orders page issued one query per line item because the template accessed "
                 "item.product. Prefetch related products in the view.", ["database", "performance"], 45),
    "l-cache-inval": ("Invalidate caches on background writes",
                      "The nightly price import wrote directly to the database and the cache served stale "
                      "prices for a day. Invalidate cache keys in the import job too.", ["cache"], 150),
    "l-flags": ("Feature flags default to off in production",
                "A new flag defaulted to on in production config and exposed an unfinished checkout. "
                "Default every flag off; enable per environment.", ["config", "release"], 300),
    "l-migrate": ("Deploy additive migrations one release ahead",
                  "Old pods crashed reading a renamed column during rollout. Add columns first, deploy, "
                  "then remove old ones a release later.", ["database", "deploy"], 250),
    "l-liveness": ("Liveness probes must not call the database",
                   "During a database failover every pod restarted because the liveness probe queried "
                   "Postgres. Use the readiness probe for dependencies.", ["kubernetes"], 80),
    "l-pin-actions": ("Pin third-party GitHub Actions by commit SHA",
                      "A moved tag ran new code in our CI pipeline. Pin actions to a full commit SHA.",
                      ["ci", "security"], 365),
    "l-docker-digest": ("Pin the Docker base image by digest",
                        "The latest tag changed and broke the build overnight; tags are mutable.",
                        ["docker", "build"], 220),
    "l-fetch-ok": ("fetch does not reject on HTTP errors",
                   "The frontend parsed a 500 response as an empty cart. Check response.ok before "
                   "reading the body.", ["frontend", "http"], 70),
    "l-yaml-no": ("YAML parses NO as false",
                  "The country code for Norway disappeared from the config; quote two-letter codes in "
                  "YAML 1.1 files.", ["config", "yaml"], 400),
    "l-test-db": ("Tests sharing a database need transactional isolation",
                  "Tests passed alone and failed together because they shared rows. Wrap each test in "
                  "a transaction rolled back at the end.", ["testing", "database"], 100),
    "l-sleep-tests": ("Freeze time instead of sleeping in tests",
                      "Expiry tests slept for seconds and were flaky on slow CI runners. Inject a clock "
                      "fixture.", ["testing", "time"], 20),
    "l-csv-stream": ("Stream large CSV exports",
                     "Building the report export in memory exceeded the 512 MB worker limit; stream rows "
                     "with a generator.", ["reports", "performance"], 160),
    "l-hooks-light": ("Keep hook entry points free of heavy imports",
                      "Hooks run on every tool call; importing the CLI framework doubled their start-up "
                      "time.", ["hooks", "performance"], 10),
    "l-git-hooks": ("Never overwrite a user's existing git hooks",
                    "Installing our pre-commit hook replaced husky's; chain to the existing hook and "
                    "respect core.hooksPath.", ["git", "hooks"], 15),
    "l-fts-quote": ("Quote every user word in FTS5 queries",
                    "AND, OR, NOT, quotes and parentheses are FTS5 syntax; unquoted user input raised "
                    "syntax errors in search.", ["search", "sqlite"], 5),
    "l-deadlock": ("Lock rows in primary-key order to avoid deadlocks",
                   "Two jobs updated the same orders in different orders and deadlocked. Sort ids "
                   "before SELECT FOR UPDATE.", ["database", "concurrency"], 130),
    "l-celery-acks": ("Celery acknowledges tasks before running them",
                      "A worker crash lost tasks because they were acked early. Set acks_late=True "
                      "for idempotent tasks.", ["queue", "celery"], 210),
    "l-cdn-404": ("The CDN caches 404 responses",
                  "A newly published page stayed missing for ten minutes because the CDN cached the "
                  "earlier 404. Purge on publish.", ["cdn", "cache"], 95),
    "l-token-skew": ("Refresh auth tokens before expiry",
                     "Users were logged out mid-session; pod clocks skew up to 30 s. Refresh tokens 60 "
                     "seconds early.", ["auth", "time"], 40),
    "l-rate-limit-nat": ("CI jobs share one rate limit behind NAT",
                         "The API rate limiter counts per IP, so parallel CI jobs exhausted the budget. "
                         "Use an authenticated token per job.", ["ci", "http"], 55),
    "l-stash": ("git stash skips untracked files",
                "A new file vanished after stash and checkout; use git stash -u to include untracked "
                "files.", ["git"], 75),
    "l-glob-order": ("Sort glob results",
                     "File system order differs between Linux and macOS, making the report order "
                     "flaky. Sort glob results.", ["testing", "python"], 180),
    "l-oom": ("Exit code 137 means the container was OOM-killed",
              "No Python traceback appeared because the kernel killed the worker; exit code 137 is "
              "SIGKILL from the OOM killer. Raise the memory limit or stream.", ["docker", "memory"], 140),
    "l-old-retired-timeout": ("Use a 60 second timeout for the payment gateway",
                              "Superseded: the gateway now answers within 10 seconds.", ["payments"], 900),
}
RETIRED = {"l-old-retired-timeout"}

# handoff stem -> (title, body, age_days)
HANDOFFS = {
    "2026-10-payments": ("Payment retries",
                         "## Decisions\n- Webhook deduplication uses the idempotency key unique index.\n"
                         "## Open questions\n- Should refunds reuse the same key?\n", 30),
    "2026-10-search": ("Search over git history",
                       "## Decisions\n- Index git log with one stream and executemany inserts.\n"
                       "- Queries are sanitised: every word quoted.\n", 8),
    "2026-09-k8s": ("Kubernetes probes",
                    "## Decisions\n- Split liveness and readiness probes; only readiness checks the "
                    "database.\n", 60),
    "2026-08-release": ("Release process",
                        "## Decisions\n- Tag only after the changelog is merged; the tag publishes to "
                        "PyPI.\n", 100),
    "2026-07-money": ("Checkout totals",
                      "## Notes\nMoney amounts move to integer cents; discounts apply before tax.\n", 120),
    "2026-11-flaky": ("Flaky tests",
                      "## Findings\n- Sleep-based expiry tests replaced with a frozen clock.\n"
                      "- Shared database rows caused order-dependent failures.\n", 3),
}

# key -> (subject, body, paths, age_days)
COMMITS = {
    "c-idem": ("fix(payments): add unique index on idempotency key",
               "Context: duplicate charges on gateway retries.\nSolution: unique index + ON CONFLICT.\n",
               ["migrations/0042_idempotency.py", "payments/webhooks.py"], 200),
    "c-jitter": ("fix(queue): exponential backoff with full jitter", "", ["queue/retry.py"], 90),
    "c-timeout": ("fix(http): pass explicit timeouts to requests", "", ["client/http.py"], 400),
    "c-tz": ("fix(auth): use aware datetimes for token expiry", "", ["auth/tokens.py"], 30),
    "c-cents": ("refactor(money): store integer cents", "", ["shop/money.py", "migrations/0031_cents.py"], 500),
    "c-pool": ("fix(db): size the connection pool to worker concurrency", "", ["app/db.py"], 120),
    "c-nplus1": ("perf(orders): prefetch products on the orders page", "", ["orders/views.py"], 45),
    "c-liveness": ("fix(k8s): liveness probe no longer queries postgres", "", ["deploy/k8s/app.yaml"], 80),
    "c-csv": ("perf(reports): stream the CSV export", "", ["reports/export.py"], 160),
    "c-deadlock": ("fix(jobs): lock orders in id order", "Avoids the nightly deadlock.", ["jobs/sync.py"], 130),
    "c-yaml": ("fix(config): quote country codes in regions.yaml", "", ["config/regions.yaml"], 400),
    "c-fetch": ("fix(web): check response.ok before parsing cart", "", ["web/src/cart.ts"], 70),
    "c-hooks": ("fix(hooks): chain to existing pre-commit hook", "Respect core.hooksPath.",
                ["src/agentops_os/gates/install.py"], 15),
    "c-stash": ("docs: mention git stash -u in the contributor guide", "", ["CONTRIBUTING.md"], 75),
    "c-oom": ("chore(deploy): raise worker memory limit to 1Gi", "Workers were OOM-killed (exit 137).",
              ["deploy/k8s/worker.yaml"], 140),
    # distractors sharing words
    "d-1": ("feat(payments): add refund endpoint", "", ["payments/refunds.py"], 20),
    "d-2": ("chore(deps): bump requests", "", ["requirements.txt"], 10),
    "d-3": ("feat(reports): add monthly revenue report", "", ["reports/monthly.py"], 25),
    "d-4": ("test: add tests for the cart", "", ["tests/test_cart.py"], 12),
    "d-5": ("feat(cache): add redis cache for product pages", "", ["cache/redis.py"], 35),
    "d-6": ("docs: describe the database schema", "", ["docs/schema.md"], 300),
    "d-7": ("feat(auth): add login with GitHub", "", ["auth/github.py"], 18),
    "d-8": ("ci: run tests on macOS too", "", [".github/workflows/ci.yml"], 50),
    "d-9": ("feat(k8s): add horizontal pod autoscaler", "", ["deploy/k8s/hpa.yaml"], 65),
    "d-10": ("refactor(http): move client into its own module", "", ["client/http.py"], 410),
}

# (query, relevant ids)
QUERIES = [
    ("duplicate charges payment webhook", ["l-idem", "c-idem", "2026-10-payments"]),
    ("idempotency key", ["l-idem", "c-idem", "2026-10-payments"]),
    ("how did we stop double charging", ["l-idem"]),
    ("retry backoff jitter", ["l-jitter", "c-jitter"]),
    ("outage caused by retries", ["l-jitter"]),
    ("http timeout requests", ["l-timeout", "c-timeout"]),
    ("slow upstream exhausted workers", ["l-timeout"]),
    ("naive datetime TypeError", ["l-tz"]),
    ("token expiry timezone", ["l-tz", "c-tz", "l-token-skew"]),
    ("money float rounding cents", ["l-cents", "c-cents", "2026-07-money"]),
    ("discount before or after tax", ["l-discount", "2026-07-money"]),
    ("connection pool size", ["l-pool", "c-pool"]),
    ("requests queued behind each other", ["l-pool"]),
    ("N+1 queries orders page", ["l-nplus1", "c-nplus1"]),
    ("prefetch related products", ["l-nplus1", "c-nplus1"]),
    ("stale prices cache", ["l-cache-inval"]),
    ("nightly import cache invalidation", ["l-cache-inval"]),
    ("feature flag default production", ["l-flags"]),
    ("renamed column crashed old pods during rollout", ["l-migrate"]),
    ("zero downtime migrations", ["l-migrate"]),
    ("liveness probe database failover", ["l-liveness", "c-liveness", "2026-09-k8s"]),
    ("readiness probe", ["2026-09-k8s", "l-liveness"]),
    ("pin github actions", ["l-pin-actions"]),
    ("docker latest tag broke build", ["l-docker-digest"]),
    ("fetch response.ok 500 empty cart", ["l-fetch-ok", "c-fetch"]),
    ("Norway country code yaml", ["l-yaml-no", "c-yaml"]),
    ("tests pass alone fail together", ["l-test-db", "2026-11-flaky"]),
    ("flaky expiry tests sleep", ["l-sleep-tests", "2026-11-flaky"]),
    ("frozen clock fixture", ["l-sleep-tests", "2026-11-flaky"]),
    ("CSV export memory limit", ["l-csv-stream", "c-csv"]),
    ("hook startup time imports", ["l-hooks-light"]),
    ("husky hooks replaced", ["l-git-hooks"]),
    ("core.hooksPath", ["l-git-hooks", "c-hooks"]),
    ("FTS5 syntax error quotes", ["l-fts-quote", "2026-10-search"]),
    ("search git history index", ["2026-10-search"]),
    ("deadlock select for update", ["l-deadlock", "c-deadlock"]),
    ("nightly deadlock jobs", ["c-deadlock", "l-deadlock"]),
    ("celery tasks lost worker crash", ["l-celery-acks"]),
    ("acks_late", ["l-celery-acks"]),
    ("page missing after publish CDN", ["l-cdn-404"]),
    ("users logged out mid-session", ["l-token-skew"]),
    ("clock skew between pods", ["l-token-skew"]),
    ("rate limit CI jobs", ["l-rate-limit-nat"]),
    ("new file vanished after stash", ["l-stash", "c-stash"]),
    ("git stash untracked", ["l-stash", "c-stash"]),
    ("glob order linux macos", ["l-glob-order"]),
    ("exit code 137", ["l-oom", "c-oom"]),
    ("OOM killed worker", ["l-oom", "c-oom"]),
    ("release changelog tag pypi", ["2026-08-release"]),
    ("refunds idempotency", ["2026-10-payments", "l-idem"]),
    ("gateway timeout payments", ["l-idem", "l-timeout", "c-idem"]),
    ("who changed payments/webhooks.py", ["c-idem"]),
]
