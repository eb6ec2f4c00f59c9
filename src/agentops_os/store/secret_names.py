"""Secret names and secret-looking values: the judgement behind the redaction of
assignments (`DB_PASSWORD=...`, `"token": "..."`, `api_key: ...`).

A name is judged by its words (`client_secret`, `AWS_SECRET_ACCESS_KEY`, `githubToken`);
a value by whether it is a placeholder, a template, code, or random enough (Shannon
entropy) to be a credential. Imports nothing at load time: the hooks redact their records.
"""

from __future__ import annotations

# The words whose presence makes a text worth the assignment rule's regex at all.
_ASSIGNMENT_KEYWORDS = ("secret", "token", "pass", "pwd", "pw", "auth", "credential", "key", "dsn",
                        "salt", "seed", "hmac", "pat",
                        # session cookies, spelled out: "session" alone is in most of our records
                        "sessionid", "sessid", "sid=", "session=", "session_key", "sessionkey")
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
                           "accesstoken", "refreshtoken", "clientsecret", "pw",
                           # PAM/SSSD and LDAP (`ldap_default_authtok`, `bindpw`, `rootpw`)
                           "authtok", "bindpw", "rootpw",
                           # the word for password in other languages (`DB_PASSWORT`, `contraseña`)
                           "passwort", "kennwort", "contraseña", "contrasena", "senha", "motdepasse",
                           "wachtwoord", "hasło", "haslo", "пароль", "heslo", "jelszó", "jelszo",
                           "lösenord", "losenord", "passord", "salasana", "şifre", "sifre", "adgangskode",
                           "密码", "パスワード", "비밀번호"})
# `<word>_key` is strong after these; any other `*_key` (and salts, seeds) only when the
# value looks random (entropy).
_KEY_OWNERS = frozenset({"api", "access", "private", "signing", "encryption", "master", "client",
                         "app", "secret", "license", "service", "account", "storage", "auth",
                         "subscription", "consumer", "admin", "write", "deploy", "secure", "crypt",
                         "cipher", "aes", "hmac", "jwt", "webhook", "integration", "sdk"})
_STRONG_SUFFIXES = ("password", "passwd", "secret", "token", "apikey", "accesskey", "secretkey",
                    "privatekey", "credentials")
_WEAK_WORDS = frozenset({"key", "salt", "seed", "hmac"})
# A session cookie's value is the login itself (`Cookie: sessionid=…`, `PHPSESSID=…`,
# `connect.sid=…`); server-made ids are often one letter case and digits, so they are
# judged by length and entropy rather than by the key alphabet's mix.
_SESSION_WORDS = frozenset({"session", "sessionid", "sessid", "sid", "phpsessid", "jsessionid",
                            "sessionkey", "sessioncookie"})
_VALUE_TAILS = frozenset({"value", "val", "str", "string", "b64", "base64", "hex", "raw", "plain",
                          "data", "base", "text", "literal", "enc", "encoded", "1", "2", "old", "new"})
# Tails that only say which copy of a secret it is (`API_TOKEN_PROD`, `SECRET_B`, `TOKEN_2`,
# `STRIPE_KEY_V2`): the name is judged by the word before them.
_COPY_TAILS = frozenset({"prod", "production", "dev", "development", "staging", "stage", "stg", "test",
                         "testing", "live", "qa", "uat", "local", "primary", "secondary", "backup", "alt",
                         "current", "next", "prev", "previous", "legacy", "rotated", "temp", "tmp"})
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


_PUBLIC_WORDS = frozenset({"public", "pub", "pubkey", "publickey"})


def _is_tail(word: str) -> bool:
    if word in _STRONG_WORDS:
        return False
    if word in _VALUE_TAILS or word in _COPY_TAILS or word.isdigit() or len(word) == 1:
        return True
    return word[0] == "v" and word[1:].isdigit()  # `_V2`


def _name_kind(name: str) -> str:
    """'strong', 'weak' or '' for a setting name."""
    words = name_words(name)
    while len(words) > 1 and _is_tail(words[-1]):
        words.pop()
    if "".join(words[-3:]) == "motdepasse":  # `mot_de_passe`, `MotDePasse`
        return "strong"
    if not words or (words[-1] in ("key", "keys", "pubkey", "publickey") and _PUBLIC_WORDS & set(words)):
        return ""  # `PublicKey = …` (WireGuard), `SSH_PUBLIC_KEY=`, `pubkey`: published on purpose
    last = words[-1]
    if last in _STRONG_WORDS or last.endswith(_STRONG_SUFFIXES):  # `pgpassword`, `mysqltoken`
        return "strong"
    if last == "key" and len(words) > 1 and words[-2] in _KEY_OWNERS:
        return "strong"
    if last in _WEAK_WORDS or (last.endswith("key") and len(last) > 3):  # `stripekey`
        return "weak"
    if last in _SESSION_WORDS:
        return "session"
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


def said_secret(value: str, hex_ok: bool = True) -> bool:
    """A value that prose calls a key or token ("my django secret key is ..."): random
    (`looks_random`), a generated key with symbols (`dense_secret`), or, when `hex_ok`, 32+
    hex digits in at most three dash-joined groups (Mailgun `<32>-<8>-<8>`, Azure OpenAI);
    not a path, URL, reference or placeholder."""
    if "://" in value or value[:1] in "/~." or placeholder_value(value):
        return False
    if looks_random(value) or dense_secret(value):
        return True
    digits = value.replace("-", "")
    if not hex_ok or len(digits) < 32 or value.count("-") > 2 or sequential(digits):
        return False
    return (all(c in "0123456789abcdef" for c in digits.lower()) and any(c.isdigit() for c in digits)
            and any(c.isalpha() for c in digits) and entropy(digits) >= 3.0)


def session_id(value: str) -> bool:
    """A server-made session id: 16+ characters of the token alphabet (or `%`/`.` of a
    signed Express cookie), letters and digits, high entropy; not a word or a name."""
    core = value.replace("%", "").replace(".", "")
    if len(core) < 16 or any(c not in TOKEN_CHARS for c in core) or sequential(core):
        return False
    if not any(c.isdigit() for c in core) or not any(c.isalpha() for c in core):
        return False
    return entropy(core) >= 3.3


def sequential(value: str) -> bool:
    """An alphabet written out (`ABCDEFGH...`, `0123456789`): test data, not a key."""
    return any(run in value for run in ("abcdefgh", "ABCDEFGH", "01234567", "qwertyui", "QWERTYUI"))


# Placeholders. A value is a placeholder when it is exactly a placeholder word
# (`changeme`, `password`), a template or reference (`$TOKEN`, `${API_KEY}`, `{{ secrets.X }}`,
# `<your-key>`), or when it consists only of placeholder words and runs of one repeated
# filler character, optionally after a short provider prefix, and holds at least one marker (a
# word that only a placeholder would say, or a run): `xoxb-your-token`, `REPLACE_ME`,
# `YOUR_TOKEN_HERE`, `sk_live_REPLACE_WITH_YOUR_KEY`, `hf_xxx`, `AKIAXXXXXXXXXXXXXXXX`
# (runs of the filler characters `x X * . # 0` only).
# The words must make up the whole value: `yourkey8Fq2LmZ9x` or `changeme2024!` are not
# placeholders, since a random part remains.
_MARKER_WORDS = frozenset({
    "your", "yours", "my", "replace", "replaceme", "change", "changeme", "changeit", "here", "insert",
    "example", "examples", "sample", "placeholder", "dummy", "fake", "fixme", "todo", "tbd", "redacted",
    "put", "enter", "goes", "fill", "xxx", "foo", "bar", "foobar", "mock",
})
_PLACEHOLDER_WORDS = _MARKER_WORDS | frozenset({
    "the", "a", "an", "me", "with", "in", "to", "of", "for", "this", "it", "is", "be", "and", "or", "own",
    "real", "actual", "new", "generated", "default", "demo", "test", "secret", "secrets", "password",
    "passwd", "pass", "pwd", "token", "tokens", "key", "keys", "api", "apikey", "access", "auth", "value",
    "string", "client", "bot", "user", "app", "account", "private", "public", "service", "id", "personal",
    "live", "prod", "production", "dev", "staging", "org", "project", "webhook", "signing", "bearer",
    "credentials", "credential", "server", "admin", "root", "db", "database",
})
_SEPARATORS = "-_.:/ "


def _is_run(segment: str) -> bool:
    """`xxxx`, `XXXXXXXX`, `****`, `0000`, `....`: a filler character repeated (3 or more).
    Other repeats (`ghp_aaaa...`) are test tokens of the real shape and stay redacted."""
    return len(segment) >= 3 and len(set(segment)) == 1 and segment[0] in "xX*.#0"


def _words_only(segment: str) -> tuple[bool, bool]:
    """(whether `segment` is a concatenation of placeholder words, whether one is a marker):
    `yourtokenhere` -> (True, True); `yourkey8fq2` -> (False, ...)."""
    lowered = segment.lower()
    # best[i]: can lowered[:i] be split into words, and with a marker?
    best: list[tuple[bool, bool] | None] = [None] * (len(lowered) + 1)
    best[0] = (True, False)
    for end in range(1, len(lowered) + 1):
        for start in range(max(0, end - 12), end):
            head = best[start]
            word = lowered[start:end]
            if head is None or word not in _PLACEHOLDER_WORDS:
                continue
            marker = head[1] or word in _MARKER_WORDS
            current = best[end]
            if current is None or (marker and not current[1]):
                best[end] = (True, marker)
    found = best[len(lowered)]
    return found if found is not None else (False, False)


def placeholder_words(value: str) -> bool:
    """Whether `value` is made only of placeholder words and repeated-character runs,
    after at most two short provider-prefix segments (`sk_live_`, `xoxb-`, `ghp_`)."""
    segments: list[str] = []
    current = ""
    for char in value:
        if char in _SEPARATORS:
            if current:
                segments.append(current)
            current = ""
        else:
            current += char
    if current:
        segments.append(current)
    if not segments or len(segments) > 10 or len(value) > 200:
        return False
    marker = False
    for index, segment in enumerate(segments):
        if _is_run(segment):
            marker = True
            continue
        prefix_run = _glued_prefix_run(segment)
        if prefix_run:
            marker = True
            continue
        whole, has_marker = _words_only(segment)
        if whole:
            marker = marker or has_marker
            continue
        if index < 2 and len(segment) <= 5 and segment.isalpha():
            continue  # a provider prefix: `sk`, `xoxb`, `ghp`, `hf`
        return False
    return marker


def _glued_prefix_run(segment: str) -> bool:
    """`AKIAXXXXXXXXXXXXXXXX`, `ghpxxxxxxxx`: a short prefix glued to a run of 6+ characters."""
    for cut in range(1, 6):
        rest = segment[cut:]
        if segment[:cut].isalnum() and len(rest) >= 6 and _is_run(rest):
            return True
    return False


# A password or generated key (`p~a?s*s#w!rd9`, a Django key): no spaces, letters, and
# two of `~?*#!&%^@$+` with digits (or three of them). Such a value is not a glob, format
# string or call however many `*`, `%s` or `(` it holds (format specifiers are removed
# first, so `'%04d-%02d'` does not count).
_FORMAT_SPECIFIERS = ("%s", "%d", "%r", "%i", "%f", "%x", "{}", "{0}", "{1}", "{2}")


def dense_secret(value: str) -> bool:
    """Whether `value` looks like a typed password or generated key with symbols."""
    if len(value) < 8 or any(c.isspace() for c in value) or _named_specifier(value):
        return False
    if any(glob in value for glob in ("*.", "/*", ".*")):
        return False  # `src/**/*.pem`: a glob
    core = value
    for specifier in _FORMAT_SPECIFIERS:
        core = core.replace(specifier, "")
    if len(core) < 8:
        return False
    # Only the symbols of passwords and generated keys count: `_ . - / :` join identifiers
    # and paths (`settings.API_KEY`), brackets and `=` make calls and regexes (`f(n=8`,
    # `[0-9A-F]{1,4}`).
    symbols = sum(1 for c in core if c in "~?*#!&%^@$+")
    letters = sum(c.isalpha() for c in core)
    digits = sum(c.isdigit() for c in core)
    if not letters or symbols < 2 or symbols * 4 > len(core) * 3 or not (digits or symbols >= 3):
        return False
    return entropy(core) >= 3.0


def generated_key(value: str) -> bool:
    """A generated key of 20+ printable characters mixing both letter cases, digits and
    symbols at random (`oZ5sivT=dtv+e53iQf_y46%d6NZrFvjz`): it may hold `%d` or `%s` by
    chance, and is no format string, template or code for it."""
    if len(value) < 20 or not value.isascii() or any(c.isspace() or not c.isprintable() for c in value):
        return False
    if sum(not c.isalnum() for c in value) * 3 > len(value):
        return False
    letters = [c for c in value if c.isalpha()]
    if not (any(c.isupper() for c in letters) and any(c.islower() for c in letters)
            and any(c.isdigit() for c in value)):
        return False
    flips = sum(1 for a, b in zip(letters, letters[1:], strict=False) if a.isupper() != b.isupper())
    return flips * 6 >= len(letters) and not camel_words(value) and entropy(value) >= 4.0


def _named_specifier(value: str) -> bool:
    """`%(name)s`: a printf-style named field (a Django key may hold `%(` by chance)."""
    start = value.find("%(")
    while start >= 0:
        end = value.find(")", start + 2)
        name, conversion = value[start + 2:end], value[end + 1:end + 2]
        if end > start + 2 and name.replace("_", "a").isalpha() and conversion and conversion in "sdirfxg":
            return True
        start = value.find("%(", start + 2)
    return False


def _reference(bare: str) -> bool:
    """`$TOKEN`, `${API_KEY}`, `$(cat f)`, `@token@`, `@Value`: a variable, not a literal."""
    if bare[:1] == "$":  # `$TOKEN`, `${KEY}`, `$(cat f)`, `$ENV{'DB_PASS'}`; not `$euof^x&z+u4...`
        return (bare[1:2] in ("{", "(", "_") or bare[1:2].isalpha()) and not dense_secret(bare)
    if bare[:1] == "@":
        rest = bare[1:].rstrip("@")
        return rest.replace("_", "a").replace(".", "a").isalnum()
    if bare[:1] == "&":  # a Rust borrow or reference type (`API_KEY: &str`, `&'static str`)
        return bare[1:].lstrip("'").replace("_", "a").isalpha()
    return False


# Ciphertext committed on purpose: a SOPS value (`ENC[AES256_GCM,data:…,iv:…,tag:…,type:str]`)
# and a Bitnami SealedSecret's `encryptedData` (base64 of a 2-byte length, an RSA-wrapped
# session key of that length, then AES-GCM data). Only the key that decrypts them is secret.
SOPS_CIPHERS = ("ENC[AES256_GCM,", "ENC[AES128_GCM,", "ENC[AES256_CBC,")


def encrypted_value(value: str) -> bool:
    """Whether `value` is ciphertext of an encrypted-at-rest tool (SOPS, Sealed Secrets)."""
    bare = value.strip().strip("\"'")
    if bare.startswith(SOPS_CIPHERS):
        return True
    return len(bare) >= 360 and bare[:1] == "A" and _sealed_header(bare[:4])


def _sealed_header(head: str) -> bool:
    """The first two bytes of a sealed value: the length of the RSA-wrapped session key
    (256 to 1024 bytes: a 2048- to 8192-bit sealing key)."""
    import base64
    import binascii

    try:
        raw = base64.b64decode(head, validate=True)
    except (binascii.Error, ValueError):
        return False
    return int.from_bytes(raw[:2], "big") in (256, 384, 512, 1024)


def placeholder_value(value: str) -> bool:
    """What a provider rule matched is a placeholder, not a token: a placeholder word
    (`user:password@localhost`), a reference (`-u "$USER:$TOKEN"`), a template
    (`<token>`, `${KEY}`, `{{ x }}`), or placeholder words and runs (`xoxb-your-token`)."""
    bare = value.strip()
    if not bare or len(bare) > 200:
        return False
    if bare.lower() in _PLACEHOLDERS or bare.lower() in ("pass", "passwd", "pwd", "secret123", "password123"):
        return True
    if bare.startswith(("…", "...")) and not dense_secret(bare):
        return True  # an ellipsis where the value would be (`zip -P …`, `/pass:...`)
    return (_reference(bare) or bare.startswith(("<", "${", "{{")) or placeholder_words(bare)
            or encrypted_value(bare))


def _is_placeholder(value: str) -> bool:
    bare = value.strip()
    lowered = bare.lower()
    if len(bare) < 4 or lowered in _PLACEHOLDERS or len(set(lowered)) <= 2 or lowered.isdigit():
        return True
    if _reference(bare) or bare.startswith(("%(", "{{", "<", "[REDACTED", "***")) or encrypted_value(bare):
        return True
    if bare.startswith(("(", "...")) or bare.endswith(("()", "...")):
        return not dense_secret(bare)
    if bare.startswith("__") and bare.endswith("__") and bare.replace("_", "").isalpha():
        return True  # a dunder sentinel (`null_token: str = "__null_token__"`)
    return (placeholder_words(bare)
            or lowered.startswith(("os.environ", "process.env", "env(", "env.", "getenv", "secrets.",
                                   "vault:", "op://", "arn:", "projects/", "sm://")))


def _looks_like_code(value: str, word: str) -> bool:
    """An unquoted value that is a reference, not a literal: `password=password`,
    `token: str`, `key=self.key`, `secret = get_secret()`, `api_key: Optional[str]`."""
    if dense_secret(value) and not value.endswith(("(", ")", "[", ".")):
        return False  # `Tr0ub(4dor&3~x`: a typed password with a parenthesis
    if "(" in value or value.endswith(("[", ".")):
        return True
    ident = value.replace("_", "a").replace(".", "a")
    if not ident.isalnum() or not ident.isascii() or value[0].isdigit():
        return False
    if value.lower() in word.lower() or "." in value or "_" in value:
        return True
    if value.isalpha() and (_case_flips(value) * 3 > len(value) or (
            len(value) >= 12 and not value.islower() and not value.isupper() and not camel_words(value))):
        return False  # `QwErTyUiOp...`, `psgOJEqhIHOrcj`: random letters, not a name
    return value.isalpha()  # `Optional`, `SecretStr`, `letmein`: names and types, no digits


def _shuffled_case(value: str) -> bool:
    """Letters whose case changes at random (`owx_TKQZ7y.oaBxQDprRB`), as in a generated
    password, not in names (`settings.API_KEY`, `self.SecretKey`): lower-case letters
    standing alone next to a capital (`BxQ`, never in CamelCase words), four or more case
    changes, and digits too."""
    if len(value) < 12 or not any(c.isdigit() for c in value):
        return False
    alone = sum(1 for i, c in enumerate(value) if c.islower()
                and (i == 0 or not value[i - 1].islower())
                and (i + 1 == len(value) or not value[i + 1].islower())
                and any(x.isupper() for x in value[max(0, i - 1) : i + 2]))
    letters = [c for c in value if c.isalpha()]
    return alone >= 1 and _case_flips("".join(letters)) >= 4


def camel_words(core: str) -> bool:
    """Words joined in CamelCase, digits between them: no lower-case letter stands alone
    between capitals or digits (random base62 has one every eight characters or so), and
    the lower-case runs are word-long. A key of 32+ characters is this shape by chance
    about once in several thousand; an identifier nearly always."""
    runs: list[int] = []
    run = 0
    for char in core + "A":
        if char.islower():
            run += 1
            continue
        if not (char.isupper() or char.isdigit()):
            return False
        if run:
            runs.append(run)
        run = 0
    return bool(runs) and min(runs) >= 2 and sum(runs) >= 3 * len(runs)


def _case_flips(value: str) -> int:
    return sum(1 for a, b in zip(value, value[1:], strict=False) if a.isupper() != b.isupper())


def _is_template(value: str) -> bool:
    """A format string, glob or concatenation prefix, not a literal: `'%s:%s'`, `'{0}:{1}'`,
    `"Basic "`, `1*tchar`, and values without a letter (`'1.3.6.1.5.5.7.3.1'`). A value
    with the mix of a password (`p~a?s*s#w!rd9`) is none of these."""
    if value.endswith(" ") or not any(c.isalpha() for c in value):
        return True
    if dense_secret(value) or generated_key(value):
        return False
    # `*` is a glob or a pattern (`1*tchar`), unless the rest is a generated password whose
    # letter case changes at random (`K6FZF9aRZqjXl*cf9jn4aYevH` in a .pypirc)
    glob = "*" in value and not _shuffled_case(value.replace("*", ""))
    return (value[:1] in ",;)]}" or glob
            or any(f in value for f in ("%s", "%d", "%r", "%(", "%0", "{}", "{0", "{1")))


def judge_assignment(word: str, value: str, quoted: bool, env_style: bool) -> bool:
    """Should `value`, assigned to the setting `word`, be redacted?"""
    kind = _name_kind(word)
    if not kind or _is_placeholder(value):
        return False
    if name_words(word) in (["pwd"], ["oldpwd"]) and value.startswith(("/", "~")) and " " not in value:
        return False  # the shell's working directory (`env` prints `PWD=/home/dev/app`)
    # `POSTGRES_PASSWORD=ow*_TKQZ7y.oaBxQDprRB`: a generated password that has a `*` or `.`
    shuffled = env_style and kind == "strong" and _shuffled_case(value)
    if not shuffled and _is_template(value):
        return False
    if not quoted and not shuffled and _looks_like_code(value, word) \
            and (not env_style or "(" in value or "." in value):
        return False
    if kind == "weak":  # `key: Zm9v...`, `secret key: x8#k(q...` (a generated key with symbols)
        return looks_random(value) or (len(value) >= 24 and dense_secret(value))
    if kind == "session":
        return session_id(value)
    if quoted:
        words = value.split()
        # prose under a secret name ("Enter your password") is a label, not a password
        return not (len(words) >= 2 and all(w.isalpha() for w in words))
    return True


