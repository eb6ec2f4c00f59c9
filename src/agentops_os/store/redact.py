"""The one redaction step: nothing secret is ever written under `.agents/`, into the
indexes or into the user cache.

Every store write goes through `redact_text` / `redact_value` (or a `Redactor` carrying the
repo's `[redaction] extra_patterns`). Three layers:
- provider shapes, shipped as data (`data/redaction/rules.json`, ~220 rules: cloud, source
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
    SOPS_CIPHERS,
    TOKEN_CHARS,
    assignment_triggered,
    camel_words,
    dense_secret,
    encrypted_value,
    entropy,
    generated_key,
    judge_assignment,
    looks_random,
    name_is_secret,
    placeholder_value,
    said_secret,
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
# The separator stays on its line (`KEY=` then a newline is an empty value, not the next
# line); a quoted value ends at its own closing quote (`"it's"` is one value), and a bare
# value may run on past `)`/`,` to the next space (`more`): the callback decides whether
# that tail belongs to it (a password, `SECRET_KEY=ab)c`) or is code (`f(token=x)`).
# A name after `/` is a path or annotation (`checksum/secret:`), not a setting.
_ASSIGNMENT = (
    r"(?P<name>(?P<word>(?<![A-Za-z0-9_.\-/])" + _NAME_CHARS
    + r"*?(?:secret|token|pass|pwd|pw|auth|credential|key|dsn|salt|seed|hmac|pat|sess|sid)"
    + _NAME_CHARS + r"*)\\?[\"']?)"
    r"(?P<sep>[ \t]*(?::=|=>|=|:)[ \t]*|(?<=[\"'])[ \t]*,[ \t]*(?=\\?[\"']))"
    r"(?:(?P<q>\\?\")(?P<quoted>[^\"\n\\]{0,512})(?P=q)|(?P<sq>\\?')(?P<squoted>[^'\n\\]{0,512})(?P=sq)"
    r"|(?P<bare>[^\s\"'`\\,;}\[\])<>]{1,512})(?P<more>[),;}\]][^\s\"'`\\]{1,256})?)"
)


class _Rules:
    """The shipped rules, read once per process; each compiled on first need."""

    def __init__(self) -> None:
        with open(RULES_FILE, "rb") as handle:
            raw = handle.read()
        tables = _cached_tables(raw)
        if tables is None:
            tables = _index(raw)
            _store_tables(raw, tables)
        self.ids: list[str] = tables[0]
        self.sources: list[tuple[str, bool]] = tables[1]
        # `judge`: a rule whose match is kept unless the value passes a check a regex cannot
        # make (`said-secret`: random or a generated key, for keys named in prose).
        self.judges: list[str] = tables[2]
        # Rules with no literal (Discord bot tokens): `case_keywords` are matched with their
        # letter case, and only in texts at least `min_length` long.
        self.case_rules: list[tuple[int, tuple[str, ...], int]] = tables[3]
        self.by_keyword: tuple[tuple[str, tuple[int, ...]], ...] = tables[4]
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
        # sre tries the trie's first branches one by one at every position; a character set
        # of the keywords' first letters (one bitmap test) skips the positions none starts at.
        first = "".join(sorted({re.escape(k[0]) for k in keywords}))
        self._finder = re.compile("(?=[" + first + "])(?=(" + _trie(keywords) + "))", re.DOTALL).findall

    def pattern(self, index: int) -> re.Pattern[str]:
        compiled = self.compiled.get(index)
        if compiled is None:
            import re

            source, ignore_case = self.sources[index]
            compiled = re.compile(source, re.IGNORECASE if ignore_case else 0)
            self.compiled[index] = compiled
        return compiled


_BULK_AFTER = 64


def _index(raw: bytes) -> tuple[Any, ...]:
    """The rule file's tables: ids, (regex, ignore case), judges, case-keyword rules, and
    for each keyword (lowered) the rules that need it."""
    from agentops_os.jsonscan import loads_or_none

    data = loads_or_none(raw.decode("utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuntimeError(f"{RULES_FILE}: not a redaction rule file")  # a broken install
    ids: list[str] = []
    sources: list[tuple[str, bool]] = []
    judges: list[str] = []
    case_rules: list[tuple[int, tuple[str, ...], int]] = []
    by_keyword: dict[str, list[int]] = {}
    for index, rule in enumerate(data["rules"]):
        ids.append(rule["id"])
        sources.append((rule["regex"], bool(rule.get("ignore_case"))))
        judges.append(str(rule.get("judge", "")))
        if rule.get("case_keywords"):
            case_rules.append((index, tuple(rule["case_keywords"]), int(rule.get("min_length", 0))))
        for keyword in rule.get("keywords", ()):
            by_keyword.setdefault(keyword.lower(), []).append(index)
    return ids, sources, judges, case_rules, tuple((k, tuple(v)) for k, v in by_keyword.items())


# The rule tables, as `marshal` wrote them, in the user cache: a process that redacts one
# record (the hook's deny path) loads them in a sixth of the time the JSON takes to read and
# index. The file is named by the digest of the rules' bytes (and the marshal format by the
# interpreter), so an upgraded rule set or Python never reads a stale one; anything wrong
# with the file (missing, unreadable, truncated, another shape) falls back to the JSON.
def _cache_file(raw: bytes) -> str:
    import sys

    from agentops_os.base.stamps import digest

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    tag = f"py{sys.version_info[0]}{sys.version_info[1]}-{digest(raw)[:32]}"
    return os.path.join(base, "agentops", f"redaction-rules-{tag}.marshal")


def _cached_tables(raw: bytes) -> tuple[Any, ...] | None:
    import marshal

    try:
        with open(_cache_file(raw), "rb") as handle:
            tables = marshal.loads(handle.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not (isinstance(tables, tuple) and len(tables) == 5
            and all(isinstance(t, (list, tuple)) for t in tables)
            and len(tables[0]) == len(tables[1]) == len(tables[2])):
        return None
    return tables


def _store_tables(raw: bytes, tables: tuple[Any, ...]) -> None:
    """Write the cache atomically; a cache that cannot be written is only a slower start."""
    import marshal

    path = _cache_file(raw)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as handle:
            handle.write(marshal.dumps(tables))
        os.replace(tmp, path)
    except (OSError, ValueError):
        pass


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
    if (len(segments) >= 3 and not token.endswith("=")
            and 2 * sum(s.lstrip("_.").isalpha() or s.isdigit() for s in segments) >= len(segments)):
        return False  # a path (random base64 has slashes too, but not lowercase segments or padding)
    upper = sum(c.isupper() for c in core)
    lower = sum(c.islower() for c in core)
    digits = sum(c.isdigit() for c in core)
    if min(upper, lower) < 3:
        return False  # one letter case (hex, SHAs, UUIDs)
    # One digit (or none, in padded base64: a 32-byte WireGuard key has none once in ~1500)
    # is enough when the letter case changes at random
    few = digits == 1 or (digits == 0 and token.endswith("="))
    if digits < 2 and not (few and "_" not in core and _case_shuffled(core)):
        return False  # no digits, or words in CamelCase (`PyImport_ExecCodeModule`)
    if camel_words(core):
        return False  # `TestHandleOAuth2AuthorizationCodeGrantWithPKCEVerifier256`
    return entropy(core) >= 4.2


def _case_shuffled(core: str) -> bool:
    """Letter case changing at random (about every other letter), as in a key that has
    by chance a single digit; CamelCase words change case once a word."""
    letters = [c for c in core if c.isalpha()]
    flips = sum(1 for a, b in zip(letters, letters[1:], strict=False) if a.isupper() != b.isupper())
    return len(letters) >= 32 and flips * 100 >= len(letters) * 35


# What a long random run is when the text right before it says so: a digest (Subresource
# Integrity and npm `integrity`, go.sum and Terraform lock `h1:`), inline file data (a
# `data:` URI), an SSH public key. They are published on purpose, and redacting them
# broke every lockfile and stylesheet an agent read (independent set, bench/redaction).
_PUBLIC_PREFIXES = ("sha1-", "sha256-", "sha384-", "sha512-")
_PUBLIC_BEFORE = ("h1:", "base64,", "ssh-rsa ", "ssh-ed25519 ", "ssh-dss ", "nistp256 ", "nistp384 ",
                  "nistp521 ", "@openssh.com ", "SHA256:", "SHA384:", "SHA512:")  # key fingerprints
# PEM and PGP blocks whose body is public: certificates, public keys, signatures.
_PUBLIC_BLOCKS = ("CERTIFICATE", "PUBLIC KEY", "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST",
                  "X509 CRL", "PGP PUBLIC KEY BLOCK", "PGP SIGNATURE", "SSH2 PUBLIC KEY")


# Labels that say the run after them is an id or a digest, not a key: response headers
# (`x-amz-id-2:`, `X-Amz-Cf-Id:`, `x-request-id:`), request/trace/span/build ids and
# digests (`"contentHash":`, `checksum:`, `Go build ID:`). Compared with the label's last
# two words joined, letters and digits only, lower case.
_PUBLIC_LABELS = ("hash", "digest", "checksum", "integrity", "etag", "buildid", "requestid", "traceid",
                  "spanid", "correlationid", "xamzid2", "amzcfid", "messageid", "executionid",
                  "invocationid", "publickey", "pubkey", "peer")  # `peer:` in `wg show`
# A JWT header alone (`eyJhbGciOiJIUzI1NiJ9`, in docs): the JOSE header parameters, public
# by design. A whole JWT (header.payload.signature) is the `jwt` rule's and still redacted.
_JOSE_HEADER = frozenset({"alg", "typ", "kid", "cty", "enc", "zip", "crit", "b64", "jku", "jwk", "x5t",
                          "x5u", "x5c", "x5t#S256"})


def _labelled_public(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    words = text[max(line_start, start - 48):start].rstrip(" \t\"':=`").split()
    if len(words) > 1 and words[-1].lower() in ("is", "was"):  # `the server public key is …`
        words.pop()
    label = "".join(c for c in "".join(words[-2:]) if c.isalnum()).lower()
    return bool(label) and label.endswith(_PUBLIC_LABELS)


def _decoded(token: str) -> bytes | None:
    import base64
    import binascii

    core = token.rstrip("=")
    padded = core + "=" * (-len(core) % 4)
    try:
        if "-" in core or "_" in core:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _jwt_header(token: str) -> bool:
    if not token.startswith("eyJ"):
        return False
    from agentops_os.jsonscan import loads_or_none

    raw = _decoded(token)
    try:
        header = loads_or_none(raw.decode("utf-8")) if raw else None
    except UnicodeDecodeError:
        return False
    return isinstance(header, dict) and bool(header) and set(header) <= _JOSE_HEADER


def _encoded_text(token: str) -> bool:
    """Base64 of ordinary text (a file's `content` in an API answer): it decodes to
    printable text with spaces or lines, and that text holds no secret itself. A key
    decodes to binary; `user:password` (Basic credentials) has no space."""
    raw = _decoded(token)
    if not raw or len(raw) < 16:
        return False
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not all(c.isprintable() or c in "\n\t\r" for c in decoded):
        return False
    if not any(c in " \n\t" for c in decoded) and not _json_text(decoded):
        return False
    return default().text(decoded) == decoded


def _json_text(decoded: str) -> bool:
    """A JSON object or array (a queued event's `payload_b64`): text, even without spaces."""
    if decoded[:1] not in "{[" or decoded[-1:] not in "}]":
        return False
    from agentops_os.jsonscan import loads_or_none

    return isinstance(loads_or_none(decoded), dict | list)


def _go_build_id(text: str, start: int, token: str) -> bool:
    """A Go build ID (`go tool buildid`, `Go BuildID=`): two or four hashes of 20 base64url
    characters joined by `/`, after a text that names a build id."""
    parts = token.split("/")
    if not 2 <= len(parts) <= 4 or any(len(part) != 20 for part in parts):
        return False
    before = text[max(0, start - 240):start].lower()
    return "buildid" in before or "build id" in before


def _in_sops_value(text: str, start: int) -> bool:
    """Inside a SOPS value (`ENC[AES256_GCM,data:…,iv:…,tag:…]`): ciphertext and its nonce."""
    begin = text.rfind("ENC[", max(0, start - 4096), start)
    return begin >= 0 and text.startswith(SOPS_CIPHERS, begin) and "]" not in text[begin:start]


# The members of a JSON Web Key that are public (RFC 7517/7518): the RSA modulus and
# exponent, the EC point, the key id and certificate thumbprints. `d`, `p`, `q`, `dp`, `dq`,
# `qi` and `k` (a symmetric key) are private and stay redacted.
_JWK_PUBLIC = frozenset({"n", "e", "x", "y", "kid", "x5t", "x5t#s256", "x5c"})


def _jwk_public(text: str, start: int) -> bool:
    """A public member of a JWK: `"n": "…"` in an object with `"kty"`, or the output of a
    `jq` filter that picks one (`jq -r '.keys[0].n'` on a JWKS)."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 16):start].rstrip("\"' \t:")
    quote = before.rfind('"')
    if quote >= 0 and before[quote + 1:].lower() in _JWK_PUBLIC and '"kty"' in text:
        return True
    if line_start < 2 or text[line_start:start].strip():
        return False
    previous = text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1].rstrip().rstrip("'\"")
    member = previous[previous.rfind(".") + 1:].lower()
    return "jq" in previous and "jwk" in previous.lower() and member in _JWK_PUBLIC


def _signify_public(text: str, start: int) -> bool:
    """A minisign or signify public key or signature: the line after `untrusted comment:`
    that says so (`minisign public key <id>`, `signature from … secret key`)."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start < 2 or text[line_start:start].strip():
        return False
    previous = text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1].lower()
    return previous.startswith("untrusted comment:") and ("public key" in previous or "signature" in previous)


def public_data(text: str, start: int, token: str) -> bool:
    """Whether the token at `start` of `text` is a digest, inline data, public key, an id
    under a label that says so, a JWT header alone, a Go build ID, base64 of ordinary text,
    or ciphertext committed on purpose (SOPS, Sealed Secrets)."""
    if token.startswith(_PUBLIC_PREFIXES) or _labelled_public(text, start):
        return True
    if encrypted_value(token) or _in_sops_value(text, start):
        return True
    if _jwk_public(text, start) or _signify_public(text, start):
        return True
    if _go_build_id(text, start, token) or _jwt_header(token) or _encoded_text(token):
        return True
    before = text[max(0, start - 24) : start]
    if before.endswith(_PUBLIC_BEFORE) or before.rstrip("'\" ").endswith(_PUBLIC_BEFORE):
        return True
    begin = text.rfind("-----BEGIN ", 0, start)
    if begin < 0 or text.find("-----END ", begin, start) >= 0:
        return False
    kind = text[begin + 11 : text.find("-----", begin + 11)].strip()
    # `RSA PUBLIC KEY` (PKCS#1), `EC PUBLIC KEY`, `TRUSTED CERTIFICATE`: the kinds end alike
    return kind in _PUBLIC_BLOCKS or kind.endswith((" PUBLIC KEY", " CERTIFICATE"))


def _key32(token: str) -> bool:
    """The base64 of 32 bytes (a WireGuard or X25519 key): 43 characters, one `=`."""
    return (len(token) == 44 and token[43] == "=" and token[42] in "AEIMQUYcgkosw048"
            and all(c.isalnum() or c in "+/" for c in token[:43]) and entropy(token[:43]) >= 4.0)


def _replace_long_token(match: re.Match[str]) -> str:
    token, text, start = match.group(0), match.string, match.start()
    if start and text[start - 1] == "\\" and token[0] in "nrt" and len(token) > LONG_TOKEN:
        # `...IGJ5\nc2VydmljZS4K...`: a JSON or C escape, then the token (wrapped base64)
        return token[0] + _judge_long_token(text, start + 1, token[1:])
    return _judge_long_token(text, start, token)


def _judge_long_token(text: str, start: int, token: str) -> str:
    if public_data(text, start, token):
        return token
    if random_token(token):
        return MARK.format("high-entropy")
    if _key32(token):  # `echo '<key>' > /etc/wireguard/private.key`, `wg set wg0 private-key`
        end = text.find("\n", start)
        if "priv" in text[text.rfind("\n", 0, start) + 1 : end if end >= 0 else len(text)].lower():
            return MARK.format("high-entropy")
    # A path is not a key, but one of its parts can be (`refs/heads/fix-<key>`); the parts
    # of a URL's path are ids of what it links to (a Drive file, a sheet), left alone.
    word_start = max(text.rfind(c, 0, start) for c in " \t\n\"'(<=") + 1
    in_url = "://" in text[word_start : start + 2]
    if "/" in token and not in_url:
        return "/".join(MARK.format("high-entropy") if len(part) >= LONG_TOKEN and random_token(part)
                        else part for part in token.split("/"))
    return token


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
            value = pattern.sub(_replacer(table.ids[index], table.judges[index]), value)
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


def _replacer(label: str, judge: str = "") -> Callable[[re.Match[str]], str]:
    mark = MARK.format(label)

    def replace(match: re.Match[str]) -> str:
        named = "secret" in match.re.groupindex and match.group("secret") is not None
        if placeholder_value(match.group("secret") if named else match.group(0)):
            return match.group(0)  # `xoxb-your-token`, `user:password@localhost`
        if judge == "said-secret" and not _said_secret(match):
            return match.group(0)  # `the cache key is 5d41402a...`, `the token is stored_in_vault_2`
        if judge == "assignment" and not _named_value(match):
            return match.group(0)  # `token_type: str = "bearer"`, `variable "token_ttl" { default = "1h" }`
        if named:
            whole = match.group(0)
            start, end = match.start("secret") - match.start(), match.end("secret") - match.start()
            return whole[:start] + mark + whole[end:]
        return mark

    return replace


def _said_secret(match: re.Match[str]) -> bool:
    """A key named in prose (`my mailgun api key is ...`): a bare `key` names cache keys and
    ids as often as credentials, so only a qualified noun (`api key`, `token`, `secret`)
    takes a hex value; a public key (`the public key is ...`), a digest or a JWT header
    alone is not a secret."""
    value = match.group("secret")
    before = match.string[max(0, match.start() - 16):match.start()].rstrip(" _-").lower()
    if match.group("owner") is None and before.endswith(("public", "pub", "host", "verifying", "verify")):
        return False
    if value.startswith(_PUBLIC_PREFIXES) or _jwt_header(value):
        return False
    qualified = match.group("owner") is not None or match.group("noun").lower() != "key"
    return said_secret(value, hex_ok=qualified)


def _named_value(match: re.Match[str]) -> bool:
    """A value a rule found beside its setting's name (`api_secret: str = "..."`, a Terraform
    variable's default, `contraseña = ...`), judged as that assignment would be; a rule
    without a `word` group names a password (`smtp.login(user, "...")`)."""
    value = match.group("secret")
    word = match.group("word") if "word" in match.re.groupindex else None
    start = match.start("secret")
    quoted = start > 0 and match.string[start - 1] in "\"'"
    return judge_assignment(word or "password", value, quoted, False)


def _replace_assignment(match: re.Match[str]) -> str:
    word, sep = match.group("word"), match.group("sep")
    group = next(g for g in ("quoted", "squoted", "bare") if match.group(g) is not None)
    value, quoted = match.group(group), group != "bare"
    more = match.group("more") or ""
    # `DB_PASSWORD=x` (.env, shell) and `DB_PASSWORD: x` (compose, CI YAML): a literal
    env_style = (sep == "=" or sep.strip() == ":") and word.upper() == word and any(c.isalpha() for c in word)
    whole, base = match.group(0), match.start()
    # `--from-literal=password=x`, `--set=auth.token=x`: a setting inside a flag's value is a
    # literal, never a keyword argument
    env_style = env_style or (sep == "=" and base > 0 and match.string[base - 1] == "=")
    head = whole[: match.start(group) - base]
    if quoted:
        tail = whole[match.end(group) - base:]  # the closing quote
    elif more and _whole_word_is_value(value + more, env_style):
        value, tail = value + more, ""  # `SECRET_KEY=x8#k)(q...`: the whole word is the value
    else:
        tail = _rescan(match, more)
    if _not_a_setting(match, word, sep, value, quoted):
        return head + value + tail
    if not judge_assignment(word, value, quoted, env_style):
        return head + value + tail
    return f"{head}{MARK.format('assignment')}{tail}"


def _whole_word_is_value(word: str, env_style: bool) -> bool:
    """A bare value that runs on past `)` or `,` (`x8#k)(q...`): a password or generated key,
    not code (`f(token=x),` holds a `(` and is short)."""
    return (env_style or "(" not in word or len(word) >= 30) and dense_secret(word)


def _rescan(match: re.Match[str], more: str) -> str:
    """The tail a bare value did not take (`,password=x)`), judged on its own."""
    return match.re.sub(_replace_assignment, more) if more else ""


def _not_a_setting(match: re.Match[str], word: str, sep: str, value: str, quoted: bool) -> bool:
    """Shapes that look like `name: value` but are not: a test runner's status line
    (`--- PASS: TestHandler (0.01s)`, `PASS: TestX`), a YAML tag (`key: !env_var NAME`,
    `password: !vault |`) whose value is elsewhere, and a quoted name followed by a
    comma (`get("token", "default")`) unless the next string looks like a key."""
    if word in ("PASS", "PASSED") and sep.strip() == ":":
        return True
    if sep == ":" and value.startswith(":"):  # `auth::tests::bearer_token`: a Rust or C++ path
        return True
    if word.lower() in ("key", "keys"):  # `public key: …` (`wg show`), `host key: …`: published
        before = match.string[max(0, match.start() - 12):match.start()].rstrip(" \t").lower()
        if before.endswith(("public", "pub", "host")):
            return True
    if sep.strip() == ",":  # `getenv("SECRET_KEY", "<fallback>")`: only a fallback that looks like a key
        return not (dense_secret(value) or looks_random(value) or generated_key(value))
    if not quoted and value[:1] == "!" and value[1:].replace("_", "a").isalnum():
        following = match.string[match.end("bare"):match.end("bare") + 1]
        return following in (" ", "\t")
    return False


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
