"""Word handling shared by lint (overlap) and routing: tokens, stopwords, a light stemmer.

Words are matched as whole tokens (DESIGN §4: "TIL" must never match inside "until").
The stemmer only folds common English endings so that "deploy", "deploys", "deploying"
and "deployment" meet; it is deliberately small and predictable.
"""

from __future__ import annotations

import functools
import re

# Letters of any script (a Chinese or German task is not "empty"), digits, and the joiners
# of names like "c++", "node.js", "gitlab-ci".
_TOKEN = re.compile(r"[^\W_][\w+#.\-]*[\w+#]|[^\W_]")

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves please thanks thank hey hi hello can could would should must need
    needs want wants let lets get got make made us etc via one two use using used""".split()  # noqa: SIM905
)

_SUFFIXES = ("ational", "ization", "ations", "ation", "ating", "ates", "ated", "ate", "ments",
             "ment", "ings", "ing", "ness", "ers", "er", "ies", "ied", "es", "ed", "ly", "s", "e")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if len(word) <= 4 or not word.isascii() or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        # "er"/"ly" only on longer words: "order", "server", "daily" must stay themselves.
        shortest = 5 if suffix in ("er", "ers") else 4 if suffix == "ly" else 3
        if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
            base = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                return base + "y"
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]  # "mapping" -> "map", "planned" -> "plan"
            return base
    return word


# Abbreviations and spellings that mean the same thing to a router. Phrases are folded first.
_PHRASES = (
    (re.compile(r"\bcontinuous integration\b"), "ci"),
    (re.compile(r"\bcontinuous (?:delivery|deployment)\b"), "cd"),
    (re.compile(r"\b(?:pull|merge) requests?\b"), "pr"),
    (re.compile(r"\bpost[- ]?mortems?\b"), "postmortem"),
    (re.compile(r"\bpost[- ]incident\b"), "postmortem"),
    (re.compile(r"\bon[- ]call\b"), "oncall"),
    (re.compile(r"\bend[- ]to[- ]end\b"), "e2e"),
    (re.compile(r"\bslowly[- ]changing[- ]dimensions?\b"), "scd"),
    (re.compile(r"\b(?:scd[- ]?|type[- ]?)(?:2|ii)\b"), "scd"),
)
_ALIASES = {
    "docs": "documentation", "doc": "documentation", "k8s": "kubernetes", "kube": "kubernetes",
    "db": "database", "dbs": "database", "postgres": "postgresql", "pg": "postgresql",
    "prod": "production", "perf": "performance", "repo": "repository", "repos": "repository",
    "config": "configuration", "env": "environment", "infra": "infrastructure", "prs": "pr",
    "mr": "pr", "mrs": "pr", "gh": "github", "otel": "opentelemetry", "iac": "terraform",
    "containerize": "container", "containerise": "container", "dockerize": "docker",
    "dockerise": "docker", "dockerfile": "docker", "dockerfiles": "docker", "sev1": "incident",
    "sev2": "incident", "outages": "outage", "slos": "slo", "slis": "sli", "dags": "dag",
    "dim": "dimension", "dims": "dimension", "fct": "fact", "scd2": "scd",
}


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without stopwords (punctuation at the ends stripped)."""
    text = text.lower()
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    words = (_ALIASES.get(t, t) for t in _TOKEN.findall(text))
    return [t for t in words if len(t) > 1 and t not in STOPWORDS]  # "s" of "Tuesday's"


def terms(text: str) -> list[str]:
    """Stemmed content tokens: what the router and the overlap check compare."""
    return [stem(t) for t in tokens(text)]


# An identifier: letters and digits joined by case changes or by `_ . / -` ("KubePodCrashLooping",
# "not_null", "values.yaml", "docker-entrypoint-initdb.d", "maxSurge").
_COMPOUND = re.compile(r"[^\W_]+(?:[_./\-][^\W_]+)+|[^\W_]*[a-z][A-Z][^\W_]*")
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_a-zA-Z]+")


def identifier_parts(text: str) -> list[str]:
    """Stemmed content words inside the compound identifiers of a text, which `terms` keeps
    whole: "KubePodCrashLooping" -> kubernetes pod crash loop, "not_null" -> not null (stopwords
    dropped), "ttlSecondsAfterFinished" -> ttl second finish. So that jargon written as one
    token still meets the words it is made of."""
    parts: list[str] = []
    for compound in _COMPOUND.findall(text):
        pieces = _PART.findall(compound)
        if len(pieces) > 1:
            parts.extend(terms(" ".join(pieces)))
    return parts


def surface_words(text: str) -> dict[str, str]:
    """Stem -> the word of `text` it came from (the first one), for showing stems to people:
    "imag" -> "image". Covers the words inside compound identifiers too."""
    out: dict[str, str] = {}
    for token in tokens(text):
        out.setdefault(stem(token), token)
    for compound in _COMPOUND.findall(text):
        for piece in tokens(" ".join(_PART.findall(compound))):
            out.setdefault(stem(piece), piece)
    return out
