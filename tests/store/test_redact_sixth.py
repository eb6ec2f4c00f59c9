"""Redaction by class, sixth round: credentials passed positionally to SDK constructors, 32-byte
keys beside a private-key name, keys named in prose, passwords quoted in error messages and
INI files, and the public or encoded data beside them (WireGuard public keys, Go build IDs,
wrapped base64 of prose).

Every value is generated here (seeded), in several spellings; each benign class sits next to a
secret of the same shape that must still be redacted."""

from __future__ import annotations

import base64
import random
import string

import pytest
from redaction_checks import assert_kept, assert_redacted

from agentops_os.store.redact_samples import expand

HEX = "0123456789abcdef"
DJANGO = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"


def _x(shape: str, rng: random.Random) -> str:
    return expand(shape, rng)


# -- positional credentials of SDK constructors -------------------------------------------------
TWILIO_CALLS = [
    "client = Client('{sid}', '{token}')",
    'client = Client("{sid}", "{token}")',
    "from twilio.rest import Client; c = Client( '{sid}' ,'{token}' )",
    'TwilioClient.Init("{sid}", "{token}");',
    "const client = require('twilio')('{sid}', '{token}');",
    "@client = Twilio::REST::Client.new('{sid}', '{token}')",
    '{{"code": "client = Client(\\"{sid}\\", \\"{token}\\")"}}',
]


@pytest.mark.parametrize("call", TWILIO_CALLS)
@pytest.mark.parametrize("seed", range(4))
def test_twilio_sid_and_token_passed_positionally_are_redacted(call: str, seed: int) -> None:
    rng = random.Random(f"{call}{seed}")
    sid = "AC" + _x("{hex:32}", rng)
    token = _x("{hex:32}", rng)
    assert_redacted(call.format(sid=sid, token=token), token)


@pytest.mark.parametrize("seed", range(6))
def test_a_twilio_api_key_sid_and_its_secret_are_redacted(seed: int) -> None:
    rng = random.Random(seed)
    key_sid, secret = "SK" + _x("{hex:32}", rng), _x("{alnum:32}", rng)
    account = "AC" + _x("{hex:32}", rng)
    assert_redacted(f"client = Client('{key_sid}', '{secret}', '{account}')", secret)


@pytest.mark.parametrize("seed", range(6))
def test_an_aws_key_id_and_secret_passed_positionally_are_redacted(seed: int) -> None:
    rng = random.Random(seed)
    key_id, secret = "AKIA" + _x("{b32:16}", rng), _x("{b64:40}", rng)
    for form in ("new AWS.Credentials('{k}', '{s}')", 'credentials.NewStaticCredentials("{k}", "{s}", "")',
                 'credentials.NewStaticV4("{k}", "{s}", "")'):
        text = form.format(k=key_id, s=secret)
        out = assert_redacted(text, secret)
        assert key_id not in out


@pytest.mark.parametrize("seed", range(4))
def test_sdk_calls_with_variables_and_pairs_of_hashes_are_kept(seed: int) -> None:
    rng = random.Random(seed)
    sid = "AC" + _x("{hex:32}", rng)
    assert_kept(f"client = Client('{sid}', auth_token)")
    assert_kept(f"client = Client('{sid}', os.environ['TWILIO_AUTH_TOKEN'])")
    # two upper-case digests, the first one starting with AC by chance
    assert_kept(f"pairs = [('AC{_x('{HEX:32}', rng)}', '{_x('{HEX:32}', rng)}')]")
    assert_kept(f"md5s = ('{_x('{hex:32}', rng)}', '{_x('{hex:32}', rng)}')")


# -- WireGuard: a private key beside a private-key name, public keys kept -----------------------
def _wg_key(rng: random.Random, digits: bool) -> str:
    """A 32-byte key in base64, with or without digits (a real key has none ~1 time in 1500)."""
    while True:
        key = base64.b64encode(rng.randbytes(32)).decode()
        if digits == any(c.isdigit() for c in key) and "+" not in key[:1]:
            return key


PRIVATE_FORMS = [
    "echo '{k}' > /etc/wireguard/private.key",
    'echo "{k}" | sudo tee /etc/wireguard/privatekey',
    "printf %s {k} > wg0.privkey",
    "wg set wg0 private-key <(echo {k})",
    "[Interface]\nPrivateKey = {k}\nAddress = 10.9.0.2/32",
    'wireguard:\n  private_key: "{k}"',
]


@pytest.mark.parametrize("form", PRIVATE_FORMS)
@pytest.mark.parametrize("digits", [True, False])
def test_wireguard_private_keys_are_redacted(form: str, digits: bool) -> None:
    rng = random.Random(f"{form}{digits}")
    for _ in range(8):
        key = _wg_key(rng, digits)
        assert_redacted(form.format(k=key), key)


@pytest.mark.parametrize("seed", range(10))
def test_a_bare_32_byte_key_without_digits_is_redacted(seed: int) -> None:
    key = _wg_key(random.Random(seed), digits=False)
    assert_redacted(f"use {key} for the tunnel", key)


PUBLIC_FORMS = [
    "peer: {k}\n  endpoint: 203.0.113.7:51820\n  latest handshake: 41 seconds ago",
    "interface: wg0\n  public key: {k}\n  private key: (hidden)\n  listening port: 51820",
    "[Peer]\nPublicKey = {k}\nAllowedIPs = 10.9.0.0/24",
    "the server public key is {k}",
    "Peer {k} is up",
]


@pytest.mark.parametrize("form", PUBLIC_FORMS)
@pytest.mark.parametrize("digits", [True, False])
def test_wireguard_public_keys_are_kept(form: str, digits: bool) -> None:
    rng = random.Random(f"{form}{digits}")
    for _ in range(8):
        assert_kept(form.format(k=_wg_key(rng, digits)))


def test_a_private_key_beside_a_public_one_is_still_redacted() -> None:
    rng = random.Random(11)
    private, public = _wg_key(rng, True), _wg_key(rng, False)
    text = f"[Interface]\nPrivateKey = {private}\n\n[Peer]\nPublicKey = {public}\n"
    out = assert_redacted(text, private)
    assert public in out


# -- Go build IDs --------------------------------------------------------------------------------
def _build_id(rng: random.Random, parts: int) -> str:
    return "/".join(_x("{url:20}", rng) for _ in range(parts))


@pytest.mark.parametrize("seed", range(8))
def test_go_build_ids_are_kept(seed: int) -> None:
    rng = random.Random(seed)
    four, two = _build_id(rng, 4), _build_id(rng, 2)
    assert_kept(f"$ go tool buildid ./bin/ao\n{four}")
    assert_kept(f"go tool buildid $(go env GOROOT)/pkg/tool/linux_amd64/compile\n{two}\n")
    assert_kept(f'bin/app: ELF 64-bit LSB executable, x86-64, Go BuildID={four}, not stripped')
    assert_kept(f"the build id is {four}")


@pytest.mark.parametrize("seed", range(4))
def test_a_key_of_another_shape_after_a_build_id_is_still_redacted(seed: int) -> None:
    rng = random.Random(seed)
    key = _x("{alnum:30}", rng) + "7Q"
    assert_redacted(f"$ go tool buildid ./bin/ao\n{_build_id(rng, 4)}\nthen sign with {key} here", key)


# -- base64 of prose, wrapped with escaped newlines ----------------------------------------------
PROSE = [
    "# acme-api\n\nThe public API of the Acme order service.\n\n## Running\n\n    make run\n",
    "Copyright 2025 Example Corp.\n\nPermission is hereby granted, free of charge, to any person.\n",
    "## Changelog\n\n- 1.4.0: faster index builds\n- 1.3.2: fixed the session packet cache\n",
]


def _wrapped(body: str, width: int, escape: str) -> str:
    encoded = base64.b64encode(body.encode()).decode()
    return escape.join(encoded[i:i + width] for i in range(0, len(encoded), width)) + escape


@pytest.mark.parametrize("body", PROSE)
@pytest.mark.parametrize(("width", "escape"), [(60, "\\n"), (76, "\\n"), (64, "\\r\\n")])
def test_wrapped_base64_of_prose_is_kept(body: str, width: int, escape: str) -> None:
    content = _wrapped(body, width, escape)
    assert_kept(f'{{"type": "file", "encoding": "base64", "name": "NOTES.md", "content": "{content}"}}')


@pytest.mark.parametrize("seed", range(6))
def test_a_key_after_an_escaped_newline_is_still_redacted(seed: int) -> None:
    rng = random.Random(seed)
    key = _x("{alnum:38}", rng) + "4k"
    assert_redacted(f'{{"log": "starting\\n{key}\\ndone"}}', key)


# -- keys named in prose -------------------------------------------------------------------------
PROVIDERS = ["mailgun", "azure openai", "django", "acme", "Stripe", "our internal", "sendgrid"]
PROSE_FORMS = [
    "my {p} api key is {v} -- does that look right to you?",
    "My {p} secret key was: {v}",
    "the {p} access token is now {v}.",
    "Our {p} client secret is `{v}`",
    "{p} API key: {v}",
    "fyi the {p} token is \"{v}\", rotate it tomorrow",
    "my {p} credentials are fine, the secret is {v}",
]


def _prose_values(rng: random.Random) -> list[str]:
    return [
        _x("{hex:32}", rng),
        f"{_x('{hex:32}', rng)}-{_x('{hex:8}', rng)}-{_x('{hex:8}', rng)}",
        "".join(rng.choice(DJANGO) for _ in range(50)),
        _x("{alnum:28}", rng) + "3z",
    ]


@pytest.mark.parametrize("form", PROSE_FORMS)
@pytest.mark.parametrize("seed", range(3))
def test_keys_named_in_prose_are_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    for value in _prose_values(rng):
        value = value.rstrip(".,;:!?)")
        if not any(c.isdigit() for c in value):
            value += "9"
        assert_redacted(form.format(p=rng.choice(PROVIDERS), v=value), value)


def test_a_random_value_after_a_bare_key_is_redacted() -> None:
    rng = random.Random(12)
    for _ in range(10):
        value = _x("{alnum:22}", rng) + "8Qz"
        assert_redacted(f"my stripe key is {value}", value)


@pytest.mark.parametrize("seed", range(6))
def test_ids_hashes_paths_and_public_data_in_prose_are_kept(seed: int) -> None:
    rng = random.Random(seed)
    for text in (
        f"the cache key is {_x('{hex:32}', rng)}",
        f"the key is {_x('{hex:40}', rng)}",
        f"the request token is {_x('{hex:8}', rng)}-{_x('{hex:4}', rng)}-4{_x('{hex:3}', rng)}"
        f"-a{_x('{hex:3}', rng)}-{_x('{hex:12}', rng)}",
        f"the public key is {_wg_key(rng, True)}",
        "the api key is stored in ~/.config/acme/credentials.json",
        "The token is eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 in the docs",
        "the secret is in vault under secret/data/app/prod",
        f"the deploy key is ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{_x('{b64:43}', rng)}",
        "the token is invalid, refresh it with ao login",
        f"the secret key is {'a' * 8}{'0' * 8}",
    ):
        assert_kept(text)


# -- passwords quoted in error messages, SQL, INI files -----------------------------------------
def _password(rng: random.Random, symbol: str) -> str:
    body = [rng.choice(string.ascii_letters + string.digits) for _ in range(rng.randrange(14, 24))]
    body.insert(rng.randrange(1, len(body)), symbol)
    body += [rng.choice(string.digits), rng.choice(string.ascii_uppercase),
             rng.choice(string.ascii_lowercase)]
    return rng.choice(string.ascii_uppercase) + "".join(body)


QUOTED_FORMS = [
    'psql: error: FATAL: password authentication failed for user "app" (tried password "{s}")',
    "FATAL: password authentication failed (tried password '{s}')",
    "ALTER ROLE app WITH LOGIN PASSWORD '{s}';",
    "CREATE USER svc IDENTIFIED BY PASSWORD '{s}'",
    "error: wrong passphrase `{s}` for key ~/.ssh/id_ed25519",
]


@pytest.mark.parametrize("form", QUOTED_FORMS)
@pytest.mark.parametrize("seed", range(4))
def test_passwords_quoted_after_the_word_password_are_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    for symbol in "@-_#":
        secret = _password(rng, symbol)
        assert_redacted(form.format(s=secret), secret)


@pytest.mark.parametrize("text", [
    'print("Enter password \\"%s\\"" % user)',
    'psql: error: FATAL: password authentication failed for user "app_user1"',
    'export PGPASSWORD; psql -c "ALTER USER app PASSWORD \'$NEW_PASSWORD\'"',
    'the prompt says password "<your password>"',
    "note: password 'hunter' is too short",
])
def test_quoted_placeholders_users_and_references_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("seed", range(12))
def test_ini_passwords_with_a_star_are_redacted(seed: int) -> None:
    rng = random.Random(seed)
    secret = _password(rng, "*")
    section = rng.choice(["internal", "pypi", "testpypi", "server-login"])
    pypirc = f"[{section}]\nrepository = https://pypi.acme.io/simple/\nusername = ci\npassword = {secret}"
    assert_redacted(pypirc, secret)
    assert_redacted(f"[database]\nhost = db\npassword = {secret}\n", secret)


@pytest.mark.parametrize("text", [
    "[secrets]\nsecret = *.pem\n", "password = ********\n", "token = *\n", "secret_glob = keys/*.key\n",
    "[auth]\npassword = ${DB_PASSWORD}\n",
])
def test_globs_and_masks_under_secret_names_are_kept(text: str) -> None:
    assert_kept(text)


# -- letters-only passwords: inside a flag's value, and random mixed case ------------------------
@pytest.mark.parametrize("seed", range(30))
def test_a_letters_only_password_inside_a_flag_value_is_redacted(seed: int) -> None:
    rng = random.Random(seed)
    secret = _x("{alpha:14}", rng)
    assert_redacted(f"kubectl create secret generic db --from-literal=password={secret}", secret)
    assert_redacted(f"helm upgrade app ./chart --set=auth.token={secret}", secret)


@pytest.mark.parametrize("text", [
    "db.connect(user=user, password=password)", "connect(password=userPassword)",
    "connect(user=u, password=getPassword())", "Field(password=SecretStr)",
    "create(password=DEFAULT_PASSWORD)", "login(token=AccessTokenProvider)",
    "build(--from-literal=password=$DB_PASSWORD)",
])
def test_code_references_beside_letters_only_passwords_are_kept(text: str) -> None:
    assert_kept(text)


def _key(seed: int) -> str:
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits
    while True:
        value = "".join(rng.choice(alphabet) for _ in range(28))
        if all(any(test(c) for c in value) for test in (str.isdigit, str.isupper, str.islower)):
            return value


@pytest.mark.parametrize(
    "name",
    ["TOKEN_X", "SECRET_A", "SIGNING_KEY_B", "API_TOKEN_PROD", "stripe_secret_live", "DEPLOY_TOKEN_2",
     "GITHUB_TOKEN_V2", "DB_PASSWORD_STAGING", "db_pw", "ADMIN_PW_OLD", "apiKeyDev"],
)
def test_a_secret_name_with_a_copy_tail_is_still_a_secret(name: str) -> None:
    value = _key(len(name))
    for text in (f"{name}={value}", f"export {name}='{value}'", f'{name}: "{value}"'):
        assert_redacted(text, value)


@pytest.mark.parametrize(
    "text",
    ["token_type_a=bearer", "tokens_used_2=12345", "key_1=src/agentops/abc.py", "TOKEN_COUNT_PROD=40960",
     "upward=12345", "password_hash_v2=bcrypt", "pwd=/home/dev/project"],
)
def test_metadata_names_with_copy_tails_are_kept(text: str) -> None:
    assert_kept(text)
