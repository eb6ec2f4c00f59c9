"""The one redaction step: nothing secret is ever written under `.agents/`, into the
indexes or into the user cache.

Every store write goes through `redact_text` / `redact_value` (or a `Redactor` carrying the
repo's `[redaction] extra_patterns`). Three layers:
- provider shapes, shipped as data (`data/redaction/rules.json`, ~150 rules: cloud, source
  hosting, registries, AI, payments, messaging, keys, JWTs, HTTP auth, URL passwords);
- assignments: a value given to a secret-looking name (`DB_PASSWORD=...`, `"token": "..."`,
  `api_key: ...`) is replaced and the name kept; names that only *might* be secret
  (`*_key`, `*_salt`) need a value that looks random (Shannon entropy);
- the repo's own regexes.

Hot path: the guard's deny path and the session hooks redact their records, so this module
imports nothing at load time (`re` costs about half a bare interpreter start). The rules
are read with the C JSON scanner, and each rule names the literals (keywords) that every
match contains: a text holding none of a rule's keywords skips that rule, so only the rules
a text could trigger are ever compiled, and a text that triggers none is returned untouched
without importing `re` at all (`might_hold_secret`).
"""

from __future__ import annotations

import os

from agentops_os.store.secret_names import (
    TOKEN_CHARS,
    assignment_triggered,
    entropy,
    judge_assignment,
    name_is_secret,
    sequential,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable, Iterable
    from typing import Any


MARK = "[REDACTED:{}]"
RULES_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "redaction", "rules.json")

_NAME_CHARS = r"[A-Za-z0-9_.\-]"
_ASSIGNMENT = (
    r"(?P<name>(?P<word>(?<![A-Za-z0-9_.\-])" + _NAME_CHARS
    + r"*?(?:secret|token|pass|pwd|auth|credential|key|dsn|salt|seed|hmac|pat)"
    + _NAME_CHARS + r"*)\\?[\"']?)"
    r"(?P<sep>\s*(?::=|=>|=|:)\s*)"
    r"(?:(?P<q>\\?[\"'])(?P<quoted>[^\"'\n\\]{0,512})(?P=q)|(?P<bare>[^\s\"'`\\,;}\[\])<>]{1,512}))"
)


class _Rules:
    """The shipped rules, read once per process; each compiled on first need."""

    def __init__(self) -> None:
        from agentops_os.jsonscan import loads_or_none

        with open(RULES_FILE, encoding="utf-8") as handle:
            data = loads_or_none(handle.read())
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise RuntimeError(f"{RULES_FILE}: not a redaction rule file")  # a broken install
        self.ids: list[str] = []
        self.sources: list[tuple[str, bool]] = []
        by_keyword: dict[str, list[int]] = {}
        # Rules with no literal (Discord bot tokens): `case_keywords` are matched with their
        # letter case, and only in texts at least `min_length` long.
        self.case_rules: list[tuple[int, tuple[str, ...], int]] = []
        for index, rule in enumerate(data["rules"]):
            self.ids.append(rule["id"])
            self.sources.append((rule["regex"], bool(rule.get("ignore_case"))))
            if rule.get("case_keywords"):
                self.case_rules.append((index, tuple(rule["case_keywords"]), int(rule.get("min_length", 0))))
            for keyword in rule.get("keywords", ()):
                by_keyword.setdefault(keyword.lower(), []).append(index)
        self.by_keyword = tuple((k, tuple(v)) for k, v in by_keyword.items())
        self.compiled: dict[int, re.Pattern[str]] = {}
        self.calls = 0
        self._finder: Callable[[str], list[str]] | None = None
        self._found_rules: dict[str, frozenset[int]] = {}

    def triggered(self, lowered: str, text: str = "") -> list[int]:
        """Indexes (in file order) of the rules whose keywords occur in `lowered` (and whose
        case-sensitive keywords occur in `text`, the same text before lowering).

        A few texts (a hook's record): one `in` per keyword, no `re`. Many texts (an
        ingest, an index build): after `_BULK_AFTER` calls, one scan with a regex trie of
        all keywords, several times faster than ~250 substring searches per text."""
        self.calls += 1
        cased = [i for i, keywords, least in self.case_rules
                 if len(text) >= least and any(k in text for k in keywords)] if text else []
        if cased:
            return sorted(set(cased) | set(self._by_keywords(lowered)))
        return self._by_keywords(lowered)

    def _by_keywords(self, lowered: str) -> list[int]:
        if self._finder is None and self.calls > _BULK_AFTER:
            self._build_finder()
        if self._finder is not None:
            found = self._finder(lowered)
            if not found:
                return []
            hit_rules: set[int] = set()
            for keyword in set(found):
                hit_rules |= self._found_rules[keyword]
            return sorted(hit_rules)
        hit: set[int] = set()
        for keyword, indexes in self.by_keyword:
            if keyword in lowered:
                hit.update(indexes)
        return sorted(hit)

    def _build_finder(self) -> None:
        import re

        keywords = [k for k, _ in self.by_keyword]
        rules_of = dict(self.by_keyword)
        # At each position the trie reports one keyword (the longest, as continuations are
        # tried before an ending); a shorter keyword that is a prefix of it starts at the
        # same place, so a found keyword stands for all its keyword prefixes too.
        self._found_rules = {
            k: frozenset(i for p in keywords if k.startswith(p) for i in rules_of[p]) for k in keywords}
        self._finder = re.compile("(?=(" + _trie(keywords) + "))", re.DOTALL).findall

    def pattern(self, index: int) -> re.Pattern[str]:
        compiled = self.compiled.get(index)
        if compiled is None:
            import re

            source, ignore_case = self.sources[index]
            compiled = re.compile(source, re.IGNORECASE if ignore_case else 0)
            self.compiled[index] = compiled
        return compiled


_BULK_AFTER = 64


def _trie(words: list[str]) -> str:
    """A regex matching any of `words`, as a trie (sre tries alternatives one by one, so
    `a(?:b|c)` is far cheaper than `ab|ac`), longest first at every branch."""
    import re

    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return render(tree)


_RULES: _Rules | None = None


def rules() -> _Rules:
    global _RULES
    if _RULES is None:
        _RULES = _Rules()
    return _RULES


def might_hold_secret(value: str) -> bool:
    """False only when no built-in rule can match `value` (a cheap pre-check: no `re`)."""
    lowered = value.lower()
    return assignment_triggered(lowered) or has_long_token(value) or bool(rules().triggered(lowered, value))


# -- keys without a name: long random tokens ----------------------------------------------
# A key pasted bare ("use Zx8q...") or turned into a branch or file name has no provider
# prefix and no setting name; what gives it away is length and randomness. Runs of the
# base64/base62 alphabet of 32+ characters that mix cases and digits with high entropy
# are redacted. Hex (digests, git SHAs) and UUIDs never qualify: one letter case.
_NOT_TOKEN = {c: " " for c in range(128) if chr(c) not in TOKEN_CHARS}
LONG_TOKEN = 32


def has_long_token(value: str) -> bool:
    """Whether `value` holds a run of 32+ token characters (no `re`: `str.translate`)."""
    if len(value) < LONG_TOKEN:
        return False
    return any(len(word) >= LONG_TOKEN for word in value.translate(_NOT_TOKEN).split())


_LONG: re.Pattern[str] | None = None


def _long_token_pattern() -> re.Pattern[str]:
    global _LONG
    if _LONG is None:
        import re

        edge = r"A-Za-z0-9+/_=\-"
        _LONG = re.compile(rf"(?<![{edge}])[A-Za-z0-9+/_\-]{{{LONG_TOKEN},}}={{0,2}}(?![{edge}])")
    return _LONG


def random_token(token: str) -> bool:
    """A long run that is a key, not an identifier, path or encoded text."""
    core = token.rstrip("=")
    if core.count("_") + core.count("-") > len(core) // 10 or sequential(core):
        return False  # words_joined_by_separators, an alphabet
    segments = [s for s in core.split("/") if s]
    if len(segments) >= 3 and 2 * sum(s.isalpha() or s.isdigit() for s in segments) >= len(segments):
        return False  # a path (random base64 has slashes too, but not lowercase segments)
    upper = sum(c.isupper() for c in core)
    lower = sum(c.islower() for c in core)
    digits = sum(c.isdigit() for c in core)
    if min(upper, lower) < 3 or digits < 2:
        return False  # one letter case (hex, SHAs, UUIDs) or no digits (CamelCaseWords)
    return entropy(core) >= 4.2


# What a long random run is when the text right before it says so: a digest (Subresource
# Integrity and npm `integrity`, go.sum and Terraform lock `h1:`), inline file data (a
# `data:` URI), an SSH public key. They are published on purpose, and redacting them
# broke every lockfile and stylesheet an agent read (independent set, bench/redaction).
_PUBLIC_PREFIXES = ("sha1-", "sha256-", "sha384-", "sha512-")
_PUBLIC_BEFORE = ("h1:", "base64,", "ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "nistp256 ", "nistp384 ",
                  "nistp521 ", "@openssh.com ")
# PEM and PGP blocks whose body is public: certificates, public keys, signatures.
_PUBLIC_BLOCKS = ("CERTIFICATE", "PUBLIC KEY", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST",
                  "X509 CRL", "PGP PUBLIC KEY BLOCK", "PGP SIGNATURE", "SSH2 PUBLIC KEY")


def public_data(text: str, start: int, token: str) -> bool:
    """Whether the token at `start` of `text` is a digest, inline data or public key."""
    if token.startswith(_PUBLIC_PREFIXES):
        return True
    before = text[max(0, start - 24) : start]
    if before.endswith(_PUBLIC_BEFORE) or before.rstrip("'\" ").endswith(_PUBLIC_BEFORE):
        return True
    begin = text.rfind("-----BEGIN ", 0, start)
    if begin < 0 or text.find("-----END ", begin, start) >= 0:
        return False
    kind = text[begin + 11 : text.find("-----", begin + 11)]
    return kind.strip() in _PUBLIC_BLOCKS


def _replace_long_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if not random_token(token) or public_data(match.string, match.start(), token):
        return token
    return MARK.format("high-entropy")


class PatternError(ValueError):
    """A custom pattern that does not compile: `index` into the list, and why."""

    def __init__(self, index: int, pattern: str, reason: str) -> None:
        super().__init__(f"extra_patterns[{index}] {pattern!r} is not a valid regex: {reason}")
        self.index, self.pattern, self.reason = index, pattern, reason


def check_patterns(patterns: Iterable[object]) -> list[PatternError]:
    """Every problem of a list of custom patterns (not a string, does not compile, matches
    the empty string: that would redact between every character)."""
    import re

    problems = []
    for index, pattern in enumerate(patterns):
        if not isinstance(pattern, str):
            problems.append(PatternError(index, repr(pattern), "not a string"))
            continue
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            problems.append(PatternError(index, pattern, str(exc)))
            continue
        if compiled.fullmatch(""):
            problems.append(PatternError(index, pattern, "it matches the empty string"))
    return problems


class Redactor:
    """Redaction with the built-in rules plus `extra_patterns`.

    `strict` (the default) raises `PatternError` for a bad custom pattern: config load
    validates them first, so a command names the file and line. With `strict=False` (the
    hook path, which must never lose an audit record to a bad pattern) a bad pattern is
    skipped with a warning on stderr and everything else is still redacted."""

    def __init__(self, extra_patterns: Iterable[str] = (), *, strict: bool = True) -> None:
        self._extra_sources = [p for p in (extra_patterns or ())]
        self._extra: list[re.Pattern[str]] | None = None
        self._assignment: re.Pattern[str] | None = None
        if self._extra_sources:
            problems = check_patterns(self._extra_sources)
            if problems and strict:
                raise problems[0]
            if problems:
                import sys

                for problem in problems:
                    sys.stderr.write(f"ao: redaction: {problem} (skipped)\n")
                bad = {p.index for p in problems}
                self._extra_sources = [p for i, p in enumerate(self._extra_sources) if i not in bad]

    # -- text -----------------------------------------------------------------------
    def text(self, value: str, name: str = "") -> str:
        """`value` with every secret replaced by `[REDACTED:<rule>]`.

        `name` is the key the value is stored under (a JSON field): a value under a secret
        name is judged as if written `name=value`, since the name is not part of the text."""
        if not value:
            return value
        lowered = value.lower()
        table = rules()
        hits = table.triggered(lowered, value)
        for index in hits:
            pattern = table.pattern(index)
            value = pattern.sub(_replacer(table.ids[index]), value)
        if assignment_triggered(lowered):
            value = self._assignment_pattern().sub(_replace_assignment, value)
        if has_long_token(value):
            value = _long_token_pattern().sub(_replace_long_token, value)
        if self._extra_sources:
            for pattern in self._extra_patterns():
                value = pattern.sub(MARK.format("custom"), value)
        if name and value and name_is_secret(name):
            value = _judge_field(name, value)
        return value

    def _assignment_pattern(self) -> re.Pattern[str]:
        if self._assignment is None:
            import re

            self._assignment = re.compile(_ASSIGNMENT, re.IGNORECASE)
        return self._assignment

    def _extra_patterns(self) -> list[re.Pattern[str]]:
        if self._extra is None:
            import re

            self._extra = [re.compile(p) for p in self._extra_sources]
        return self._extra

    # -- values ---------------------------------------------------------------------
    def value(self, value: Any, name: str = "") -> Any:
        """Redact every string inside a JSON-like value, keeping its structure; keys are
        redacted too, and a string under a secret-looking key is judged with its key."""
        if isinstance(value, str):
            return self.text(value, name)
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                clean_key = self.text(key) if isinstance(key, str) else key
                out[clean_key] = self.value(item, key if isinstance(key, str) else "")
            return out
        if isinstance(value, list | tuple):
            return [self.value(v, name) for v in value]
        return value


def _replacer(label: str) -> Callable[[re.Match[str]], str]:
    mark = MARK.format(label)

    def replace(match: re.Match[str]) -> str:
        if "secret" in match.re.groupindex and match.group("secret") is not None:
            whole = match.group(0)
            start, end = match.start("secret") - match.start(), match.end("secret") - match.start()
            return whole[:start] + mark + whole[end:]
        return mark

    return replace


def _replace_assignment(match: re.Match[str]) -> str:
    word = match.group("word")
    quoted = match.group("quoted")
    value = quoted if quoted is not None else match.group("bare")
    sep = match.group("sep")
    # `DB_PASSWORD=x` (.env, shell) and `DB_PASSWORD: x` (compose, CI YAML): a literal
    env_style = (sep == "=" or sep.strip() == ":") and word.upper() == word and any(c.isalpha() for c in word)
    if value is None or not judge_assignment(word, value, quoted is not None, env_style):
        return match.group(0)
    group = "quoted" if quoted is not None else "bare"
    whole = match.group(0)
    head, tail = whole[: match.start(group) - match.start()], whole[match.end(group) - match.start():]
    return f"{head}{MARK.format('assignment')}{tail}"


def _judge_field(name: str, value: str) -> str:
    """A whole field value under a secret-looking key (`{"password": "hunter2"}`)."""
    if "[REDACTED:" in value and len(value) < 64:
        return value
    stripped = value.strip()
    if not stripped or "\n" in stripped:
        return value  # a multi-line text under the key: its lines were judged already
    if judge_assignment(name, stripped, True, False):
        return MARK.format("assignment")
    return value


_default: Redactor | None = None


def default() -> Redactor:
    global _default
    if _default is None:
        _default = Redactor()
    return _default


_BY_PATTERNS: dict[tuple[str, ...], Redactor] = {}


def redactor_for(root: object) -> Redactor:
    """The repo's redaction step: built-in rules plus its `[redaction] extra_patterns`,
    resolved like every setting (`base.snapshot`: the hooks' cached snapshot when it is
    current; a command does not write one) and compiled once per process per pattern
    list. A bad pattern raises the config's FatalError (file and line), as every command
    does on load."""
    from agentops_os.base.snapshot import settings

    where = os.fspath(root)  # type: ignore[call-overload]
    patterns = tuple(settings(where, store=False).get("redaction.extra_patterns") or ())
    if not patterns:
        return default()
    if patterns not in _BY_PATTERNS:
        _BY_PATTERNS[patterns] = Redactor(list(patterns))
    return _BY_PATTERNS[patterns]


def redact_text(value: str) -> str:
    return default().text(value)


def redact_value(value: Any) -> Any:
    return default().value(value)
