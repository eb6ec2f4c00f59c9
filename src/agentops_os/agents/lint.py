"""`ao agents lint`: rules that keep agents focused, routable and least-privileged.

Rules (id — severity):
- `frontmatter-invalid` — error: the YAML frontmatter cannot be parsed (file skipped).
- `frontmatter-missing` — error: no `name`/`description` (a command needs `description`).
- `name-mismatch` — error: `name` differs from the file (or skill directory) name.
- `name-format` — error: name is not lower-case letters, digits and hyphens.
- `description-short` — error / `description-long` — warning: length bounds.
- `description-multi-job` — warning: the description names several distinct jobs.
- `examples-invalid` — error: `examples:` is not a list of non-empty strings.
- `tools-write-readonly` — error: a read-only role (reviewer, researcher...) can write files,
  or inherits every tool because `tools:` is absent; `tools-bash-readonly` — warning.
- `prompt-size` — warning/error: the prompt takes too big a share of the phase budget
  (window of the agent's model × `context.budget_fraction`).
- `overlap` — error: two agents' descriptions are too similar to route between.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from agentops_os.agents.catalog import Catalog, Entry
from agentops_os.agents.text import stem, terms, tokens

_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MODEL_ALIASES = {"sonnet": "claude-sonnet-4", "opus": "claude-opus-4", "haiku": "claude-haiku-4"}

# Verbs that name a job when they open a clause ("reviews diffs, deploys services and ...").
_JOB_VERBS = frozenset(stem(v) for v in """review write deploy test fix plan research design
implement debug migrate monitor document refactor build analyze analyse triage investigate
optimize optimise configure provision release publish profile benchmark audit scan translate
summarize summarise generate manage maintain create update upgrade draft answer explain
investigate train clean label schedule estimate negotiate market sell support onboard hire
handle run operate install""".split())  # noqa: SIM905
_CLAUSE_SPLIT = re.compile(r"[,;:/]|\band\b|\bor\b|\balso\b|\bthen\b|\bplus\b|\bas well as\b")


@dataclass
class Finding:
    path: str
    line: int | None
    severity: str  # "error" | "warning"
    rule: str
    message: str
    name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "severity": self.severity,
                "rule": self.rule, "message": self.message, "name": self.name}

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.severity} {self.rule}: {self.message}"


@dataclass
class LintSettings:
    budget_fraction: float = 0.40
    windows: Any = None  # a Config (for window_for) or None: 200k tokens
    description_min_chars: int = 40
    description_max_chars: int = 1024
    max_jobs: int = 2
    readonly_roles: tuple[str, ...] = ("reviewer", "researcher", "auditor", "analyst", "explorer",
                                       "critic", "inspector")
    write_tools: tuple[str, ...] = ("Write", "Edit", "MultiEdit", "NotebookEdit")
    prompt_warn_share: float = 0.05
    prompt_error_share: float = 0.25
    overlap_threshold: float = 0.6

    @classmethod
    def from_config(cls, config: Any) -> LintSettings:
        section = config.section("agents")
        return cls(
            budget_fraction=float(config.get("context.budget_fraction")),
            windows=config,
            description_min_chars=int(section["description_min_chars"]),
            description_max_chars=int(section["description_max_chars"]),
            max_jobs=int(section["max_jobs"]),
            readonly_roles=tuple(section["readonly_roles"]),
            write_tools=tuple(section["write_tools"]),
            prompt_warn_share=float(section["prompt_warn_share"]),
            prompt_error_share=float(section["prompt_error_share"]),
            overlap_threshold=float(section["overlap_threshold"]),
        )

    def window(self, model: str | None) -> int:
        if self.windows is None:
            return 200_000
        if model in (None, "inherit"):
            return int(self.windows.window_for(None))
        return int(self.windows.window_for(_MODEL_ALIASES.get(model.lower(), model)))


def estimate_tokens(text: str) -> int:
    """~4 characters per token: no tokenizer download is allowed, and lint needs only scale."""
    return math.ceil(len(text) / 4)


def _line_of(entry: Entry, key: str) -> int | None:
    """Line of `key` in the frontmatter (or anywhere in a TOML definition)."""
    try:
        lines = entry.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    toml = entry.path.suffix == ".toml"
    start = 0 if toml else 1
    pattern = re.compile(rf"^{re.escape(key)}\s*[:=]")
    for number, line in enumerate(lines[start:], start=start + 1):
        if not toml and line.strip() == "---":
            break
        if pattern.match(line):
            return number
    return None
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        if line.startswith(f"{key}:"):
            return number
    return None


def job_clauses(description: str) -> list[str]:
    """Distinct job verbs that open clauses of the description's first sentence."""
    first = re.split(r"(?<=[.!?])\s", description.strip(), maxsplit=1)[0]
    jobs: list[str] = []
    for clause in _CLAUSE_SPLIT.split(first.lower()):
        words = tokens(clause)
        if not words:
            continue
        head = stem(words[0])
        if head in _JOB_VERBS and head not in jobs:
            jobs.append(head)
    return jobs


def readonly_role(entry: Entry, roles: tuple[str, ...]) -> str | None:
    words = set(re.split(r"[^a-z]+", entry.name.lower()))
    for role in roles:
        if role in words:
            return role
    text = entry.description.lower()
    if "read-only" in text or "read only" in text:
        return "read-only"
    return None


def lint_entry(entry: Entry, settings: LintSettings) -> list[Finding]:
    out: list[Finding] = []
    path = str(entry.path)

    def add(severity: str, rule: str, message: str, key: str | None = None) -> None:
        line = _line_of(entry, key) if key else None
        out.append(Finding(path, line, severity, rule, message, entry.name))

    if not entry.meta:
        add("error", "frontmatter-missing", "no YAML frontmatter (--- name/description ---)")
        return out
    needs_name = entry.kind in ("agent", "skill", "codex-skill", "codex-agent")
    if needs_name and not entry.meta.get("name"):
        add("error", "frontmatter-missing", "frontmatter has no 'name'")
    if not entry.description:
        add("error", "frontmatter-missing", "frontmatter has no 'description' (the router needs it)")
    name = entry.meta.get("name")
    if needs_name and name:
        if str(name) != entry.name:
            where = "directory" if entry.kind.endswith("skill") else "file"
            add("error", "name-mismatch", f"name '{name}' does not match the {where} name '{entry.name}'",
                "name")
        if not _NAME.match(str(name)):
            add("error", "name-format", f"name '{name}' must be lower-case letters, digits and hyphens",
                "name")
    description = entry.description
    if description:
        if len(description) < settings.description_min_chars:
            add("error", "description-short",
                f"description has {len(description)} characters (< {settings.description_min_chars}):"
                " say what tasks this agent takes", "description")
        elif len(description) > settings.description_max_chars:
            add("warning", "description-long",
                f"description has {len(description)} characters (> {settings.description_max_chars})",
                "description")
        jobs = job_clauses(description)
        if len(jobs) > settings.max_jobs:
            add("warning", "description-multi-job",
                f"description lists {len(jobs)} jobs ({', '.join(jobs)}): split into focused agents",
                "description")
    if "examples" in entry.meta:
        value = entry.meta["examples"]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            add("error", "examples-invalid", "'examples' must be a list of non-empty strings", "examples")
    if entry.kind == "codex-agent":
        role = readonly_role(entry, settings.readonly_roles)
        sandbox = entry.meta.get("sandbox_mode")
        if role and sandbox != "read-only":
            add("error", "tools-write-readonly",
                f"a {role} should run with sandbox_mode = \"read-only\" (has {sandbox or 'the default'})",
                None)
        if not str(entry.meta.get("developer_instructions", "")).strip():
            add("error", "frontmatter-missing", "no 'developer_instructions'")
    if entry.kind == "agent":
        role = readonly_role(entry, settings.readonly_roles)
        tools = entry.tools
        if role:
            if tools is None:
                add("error", "tools-write-readonly",
                    f"a {role} inherits every tool (no 'tools:'); "
                    "list read-only tools, e.g. Read, Grep, Glob")
            else:
                writes = [t for t in tools if t in settings.write_tools]
                if writes:
                    add("error", "tools-write-readonly",
                        f"{'an' if role[:1] in 'aeiou' else 'a'} {role} should not have write tools: "
                        f"{', '.join(writes)}", "tools")
                if "Bash" in tools:
                    add("warning", "tools-bash-readonly",
                        f"a {role} has Bash, which can change files; restrict it if you can", "tools")
    prompt_tokens = estimate_tokens(entry.body) + estimate_tokens(description)
    budget = settings.window(entry.model) * settings.budget_fraction
    share = prompt_tokens / budget if budget else 0.0
    if share > settings.prompt_error_share:
        add("error", "prompt-size",
            f"prompt is ~{prompt_tokens} tokens, {share:.0%} of the {int(budget)}-token phase budget "
            f"(> {settings.prompt_error_share:.0%})")
    elif share > settings.prompt_warn_share:
        add("warning", "prompt-size",
            f"prompt is ~{prompt_tokens} tokens, {share:.0%} of the {int(budget)}-token phase budget "
            f"(> {settings.prompt_warn_share:.0%})")
    return out


def _vector(entry: Entry) -> Counter[str]:
    return Counter(terms(entry.description))


def similarity(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    dot = sum(a[t] * b[t] * idf.get(t, 1.0) ** 2 for t in a.keys() & b.keys())
    na = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in a.items()))
    nb = math.sqrt(sum((v * idf.get(t, 1.0)) ** 2 for t, v in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def overlaps(entries: list[Entry], threshold: float) -> list[tuple[Entry, Entry, float]]:
    """Pairs of agents whose descriptions are TF-IDF-cosine similar above `threshold`."""
    vectors = [_vector(e) for e in entries]
    df: Counter[str] = Counter()
    for vector in vectors:
        df.update(vector.keys())
    n = len(vectors)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    pairs = []
    for i in range(n):
        for j in range(i + 1, n):
            score = similarity(vectors[i], vectors[j], idf)
            if score >= threshold:
                pairs.append((entries[i], entries[j], score))
    return pairs


def lint_catalog(catalog: Catalog, settings: LintSettings) -> list[Finding]:
    findings: list[Finding] = []
    for error in catalog.errors:
        path, _, rest = error.partition(": ")
        line = None
        if ":" in path and path.rsplit(":", 1)[1].isdigit():
            path, number = path.rsplit(":", 1)
            line = int(number)
        findings.append(Finding(path, line, "error", "frontmatter-invalid", f"{rest} (skipped)"))
    for entry in catalog.entries:
        if not entry.shadowed:
            findings.extend(lint_entry(entry, settings))
    agents = [e for e in catalog.of_kind("agent", "codex-agent") if e.description]
    for a, b, score in overlaps(agents, settings.overlap_threshold):
        findings.append(Finding(
            str(b.path), None, "error", "overlap",
            f"'{b.name}' and '{a.name}' have descriptions {score:.0%} alike; the router cannot "
            "tell them apart (make each description name its own job)", b.name))
    return findings
