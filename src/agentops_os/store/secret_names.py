"""Secret names and secret-looking values: the judgement behind the redaction of
assignments (`DB_PASSWORD=...`, `"token": "..."`, `api_key: ...`).

A name is judged by its words (`client_secret`, `AWS_SECRET_ACCESS_KEY`, `githubToken`);
a value by whether it is a placeholder, a template, code, or random enough (Shannon
entropy) to be a credential. Imports nothing at load time: the hooks redact their records.
"""

from __future__ import annotations

# The words whose presence makes a text worth the assignment rule's regex at all.
_ASSIGNMENT_KEYWORDS = ("secret", "token", "pass", "pwd", "auth", "credential", "key", "dsn",
                        "salt", "seed", "hmac", "pat")
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-=")


def assignment_triggered(lowered: str) -> bool:
    return any(keyword in lowered for keyword in _ASSIGNMENT_KEYWORDS)


# A setting name is judged by its last word (`client_secret`, `AWS_SECRET_ACCESS_KEY`,
# `githubToken`), after dropping tails that only say how the value is written
# (`SECRET_KEY_BASE`, `token_value`). So `token_type`, `tokens_used`, `api_key_env`,
# `password_hash` and `author` are metadata, not secrets.
_STRONG_WORDS = frozenset({"secret", "secrets", "token", "password", "passwd", "pwd", "pass",
                           "passphrase", "passcode", "auth", "credential", "credentials", "apikey",
                           "accesskey", "privatekey", "secretkey", "dsn", "pat", "authtoken",
                           "accesstoken", "refreshtoken", "clientsecret"})
# `<word>_key` is strong after these; any other `*_key` (and salts, seeds) only when the
# value looks random (entropy).
_KEY_OWNERS = frozenset({"api", "access", "private", "signing", "encryption", "master", "client",
                         "app", "secret", "license", "service", "account", "storage", "auth",
                         "subscription", "consumer", "admin", "write", "deploy", "secure", "crypt",
                         "cipher", "aes", "hmac", "jwt", "webhook", "integration", "sdk"})
_STRONG_SUFFIXES = ("password", "passwd", "secret", "token", "apikey", "accesskey", "secretkey",
                    "privatekey", "credentials")
_WEAK_WORDS = frozenset({"key", "salt", "seed", "hmac"})
_VALUE_TAILS = frozenset({"value", "val", "str", "string", "b64", "base64", "hex", "raw", "plain",
                          "data", "base", "text", "literal", "enc", "encoded", "1", "2", "old", "new"})
_PLACEHOLDERS = frozenset({
    "none", "null", "nil", "true", "false", "undefined", "string", "str", "bytes", "int", "bool",
    "optional", "required", "redacted", "secret", "password", "token", "changeme", "example",
    "placeholder", "empty", "unset", "default", "hidden", "masked", "env", "value", "xxx",
})


def name_words(name: str) -> list[str]:
    """`AWS_SECRET_ACCESS_KEY` -> aws, secret, access, key; `githubToken` -> github, token."""
    words: list[str] = []
    current = ""
    previous = ""
    for char in name.strip("\"'\\"):
        if not char.isalnum():
            if current:
                words.append(current)
            current = ""
        elif char.isupper() and previous.islower() and current:
            words.append(current)
            current = char
        else:
            current += char
        previous = char
    if current:
        words.append(current)
    return [w.lower() for w in words]


def _name_kind(name: str) -> str:
    """'strong', 'weak' or '' for a setting name."""
    words = name_words(name)
    while len(words) > 1 and words[-1] in _VALUE_TAILS:
        words.pop()
    if not words:
        return ""
    last = words[-1]
    if last in _STRONG_WORDS or last.endswith(_STRONG_SUFFIXES):  # `pgpassword`, `mysqltoken`
        return "strong"
    if last == "key" and len(words) > 1 and words[-2] in _KEY_OWNERS:
        return "strong"
    if last in _WEAK_WORDS or (last.endswith("key") and len(last) > 3):  # `stripekey`
        return "weak"
    return ""


def name_is_secret(name: str) -> bool:
    """A JSON field whose whole value is judged as a secret: strong names only. A field
    called `key` is an id in most records (ours included: session keys, cache keys), so
    vague names are left to the text rules and to `NAME=value` assignments."""
    return assignment_triggered(name.lower()) and _name_kind(name) == "strong"


def entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    import math

    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def looks_random(value: str) -> bool:
    """A value that is a key rather than a word: long, of the key alphabet, both letter
    cases and digits (or 32+ characters), high entropy (`Zm9v...`, `q7Hn...`); not a path,
    URL, template, or a hex digest or UUID (those are cache keys and ids far more often than
    secrets under a vague name like `key`)."""
    if len(value) < 16 or any(c not in TOKEN_CHARS for c in value):
        return False
    if all(c in "0123456789abcdef-" for c in value.lower()) or sequential(value):
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value)))
    if classes < 3 and not (classes == 2 and len(value) >= 32):
        return False
    return entropy(value) >= (3.0 if len(value) < 24 else 3.5)


def sequential(value: str) -> bool:
    """An alphabet written out (`ABCDEFGH...`, `0123456789`): test data, not a key."""
    return any(run in value for run in ("abcdefgh", "ABCDEFGH", "01234567", "qwertyui", "QWERTYUI"))


def _is_placeholder(value: str) -> bool:
    bare = value.strip()
    lowered = bare.lower()
    return (len(bare) < 4 or bare.startswith(("$", "%(", "{{", "<", "[REDACTED", "@", "(", "...", "***"))
            or lowered in _PLACEHOLDERS or len(set(lowered)) <= 2
            or lowered.startswith(("your", "my-", "my_"))
            or "example" in lowered or lowered.isdigit() or bare.endswith(("()", "..."))
            or lowered.startswith(("os.environ", "process.env", "env(", "env.", "getenv", "secrets.",
                                   "vault:", "op://", "arn:", "projects/", "sm://")))


def _looks_like_code(value: str, word: str) -> bool:
    """An unquoted value that is a reference, not a literal: `password=password`,
    `token: str`, `key=self.key`, `secret = get_secret()`, `api_key: Optional[str]`."""
    if "(" in value or value.endswith(("[", ".")):
        return True
    ident = value.replace("_", "a").replace(".", "a")
    if not ident.isalnum() or not ident.isascii() or value[0].isdigit():
        return False
    if value.lower() in word.lower() or "." in value or "_" in value:
        return True
    if value.isalpha() and _case_flips(value) * 3 > len(value):
        return False  # `QwErTyUiOp...`: random letters, not a name
    return value.isalpha()  # `Optional`, `SecretStr`, `letmein`: names and types, no digits


def _case_flips(value: str) -> int:
    return sum(1 for a, b in zip(value, value[1:], strict=False) if a.isupper() != b.isupper())


def _is_template(value: str) -> bool:
    """A format string, glob or concatenation prefix, not a literal: `'%s:%s'`, `'{0}:{1}'`,
    `"Basic "`, `1*tchar`, and values without a letter (`'1.3.6.1.5.5.7.3.1'`)."""
    return (value[:1] in ",;)]}" or value.endswith(" ") or "*" in value
            or any(f in value for f in ("%s", "%d", "%r", "%(", "%0", "{}", "{0", "{1"))
            or not any(c.isalpha() for c in value))


def judge_assignment(word: str, value: str, quoted: bool, env_style: bool) -> bool:
    """Should `value`, assigned to the setting `word`, be redacted?"""
    kind = _name_kind(word)
    if not kind or _is_placeholder(value) or _is_template(value):
        return False
    if not quoted and _looks_like_code(value, word) and (not env_style or "(" in value or "." in value):
        return False
    if kind == "weak":
        return looks_random(value)
    if quoted:
        words = value.split()
        # prose under a secret name ("Enter your password") is a label, not a password
        return not (len(words) >= 2 and all(w.isalpha() for w in words))
    return True


