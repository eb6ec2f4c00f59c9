"""Redaction by class: secrets in the shapes a scanner tends to miss, and the benign text
(placeholders, test output, ids, digests) that a scanner tends to change.

Every secret is generated here (seeded), never committed: each class is tested over many
spellings, and each benign class has a real secret of the same shape beside it, so a fix
that simply stopped redacting would fail."""

from __future__ import annotations

import base64
import json
import random
import string

import pytest

from agentops_os.store.redact import redact_text
from agentops_os.store.redact_samples import expand

WINDOW = 8
SYMBOLS = "~?*#!&%^@$"
DJANGO = string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)"


def survives(secret: str, text: str, out: str) -> bool:
    """The secret, or an 8-character window of it not also found elsewhere in the text."""
    if secret in out:
        return True
    rest = text.replace(secret, "\x00")
    return any(secret[i:i + WINDOW] in out and secret[i:i + WINDOW] not in rest
               for i in range(len(secret) - WINDOW + 1))


def password(rng: random.Random, symbols: str = SYMBOLS, length: int = 14) -> str:
    """A password with at least three symbols, starting with a letter."""
    body = [rng.choice(string.ascii_letters + string.digits + symbols) for _ in range(length - 4)]
    body += [rng.choice(symbols) for _ in range(3)]
    rng.shuffle(body)
    return rng.choice(string.ascii_letters) + "".join(body)


def assert_redacted(form: str, secret: str) -> str:
    text = form.format(s=secret)
    out = redact_text(text)
    assert not survives(secret, text, out), (text, out)
    return out


# -- A1: passwords with symbols, in every config syntax -------------------------------------------
PASSWORD_FORMS = [
    'PASSWORD="{s}"', "DB_PASSWORD='{s}'", "DB_PASSWORD={s}", "export DB_PASSWORD='{s}'",
    'export PGPASSWORD="{s}"', "db_password: '{s}'", '  password: "{s}"', "password: {s}",
    '{{"password": "{s}"}}', '  "db_password": "{s}",', 'password = "{s}"', "db_password = '{s}'",
    "password = {s}", "Password={s}", "--password='{s}'", '--password="{s}"', "--password={s}",
    "mysqldump -u root --password='{s}' app", "Server=db;User Id=sa;Password={s};",
    '$env:DB_PASSWORD = "{s}"', "set DB_PASSWORD={s}", "SMTP_PASS='{s}'", "redis_pwd: \"{s}\"",
    "<password>{s}</password>", "docker run -e POSTGRES_PASSWORD='{s}' postgres",
    "spring.datasource.password={s}", '<connection user="app" password="{s}" />',
    "--db-password '{s}'", "--admin-password={s}", "mysql -u root -p'{s}' app", "redis-cli -a '{s}' ping",
    "openssl pkcs12 -export -passout 'pass:{s}' -out k.p12", "htpasswd -bc .htpasswd admin '{s}'",
    "requests.get(url, auth=('deploy', '{s}'))", "HTTPBasicAuth('deploy', '{s}')",
    "SECRET = os.environ.get('DB_PASSWORD', '{s}')", "db_password: {s};x",
]


@pytest.mark.parametrize("form", PASSWORD_FORMS)
def test_passwords_with_symbols_are_redacted_whole(form: str) -> None:
    rng = random.Random(form)
    for _ in range(25):
        assert_redacted(form, password(rng))


@pytest.mark.parametrize("form", ["postgres://app:{s}@db:5432/x", "mysql://root:{s}@localhost/app",
                                  "amqp://guest:{s}@rabbit:5672/", "DATABASE_URL=mongodb://app:{s}@db/x"])
@pytest.mark.parametrize("symbols", ["~*!&^$", "~*!&^$@#?"])
def test_passwords_with_symbols_in_urls(form: str, symbols: str) -> None:
    """Written unencoded too (`p@ss`): the password runs to the last `@` before the host."""
    rng = random.Random(form + symbols)
    for _ in range(25):
        assert_redacted(form, password(rng, symbols))


@pytest.mark.parametrize(("form", "kept"), [
    ('PASSWORD="{s}" # the staging one', "# the staging one"),
    ("DB_PASSWORD='{s}', user='app'", "user='app'"),
    ("--password='{s}' --host db", "--host db"),
    ('{{"password": "{s}", "user": "app"}}', '"user": "app"'),
])
def test_a_password_is_redacted_up_to_its_closing_quote_only(form: str, kept: str) -> None:
    rng = random.Random(form)
    for _ in range(10):
        assert kept in assert_redacted(form, password(rng))


# -- A2: Django secret keys ------------------------------------------------------------------------
@pytest.mark.parametrize("form", [
    "SECRET_KEY = 'django-insecure-{s}'", 'SECRET_KEY = "django-insecure-{s}"',
    "DJANGO_SECRET_KEY='django-insecure-{s}'", "the generated key was django-insecure-{s}",
    "SECRET_KEY = '{s}'", 'SECRET_KEY = "{s}"', "DJANGO_SECRET_KEY='{s}'", "DJANGO_SECRET_KEY={s}",
    "secret_key: '{s}'", "Your new secret key: {s}", "key = '{s}'",
])
def test_django_secret_keys(form: str) -> None:
    rng = random.Random(form)
    for _ in range(25):
        assert_redacted(form, "".join(rng.choice(DJANGO) for _ in range(50)))


# -- A3: provider shapes ---------------------------------------------------------------------------
SHAPES = [
    "CLOJARS_{hex:60}", "clojars_{hex:60}",
    "sgp_{hex:16}_{hex:40}", "sgp_local_{hex:40}", "sgp_{hex:40}",
    "AAAA{url:7}:APA91b{url:134}",
    "A3-{upper:6}-{upper:11}-{upper:5}-{upper:5}-{upper:5}",
    "pat.{url:22}.{alnum:24}.{alnum:20}", "{alnum:6}_{alnum:29}_mmk", "dnkey-{url:26}-{url:52}",
    "duffel_live_{url:43}", "eyJrIjoi{alnum:80}", "s-s4t2ud-{hex:64}", "sha256~{url:43}",
    "tk-us-{url:48}", "sm_pat_{alnum:16}", "AQVN{url:36}", "p8e-{alnum:32}", "4b1d{alnum:38}",
    "ABSKQmVkcm9ja0FQSUtleS{b64:120}",
]
SHAPE_CONTEXTS = ["{s}", "token: {s}", "curl -H 'x: {s}' https://x", "use {s} for the deploy", '"{s}",']


@pytest.mark.parametrize("shape", SHAPES)
def test_provider_shapes(shape: str) -> None:
    rng = random.Random(shape)
    for n in range(20):
        secret = expand(shape, rng)
        assert_redacted(SHAPE_CONTEXTS[n % len(SHAPE_CONTEXTS)], secret)


@pytest.mark.parametrize(("form", "shape"), [
    ("SOURCEGRAPH_TOKEN={s}", "{hex:40}"), ('sourcegraph_access_token: "{s}"', "{hex:40}"),
    ("export SRC_ACCESS_TOKEN={s}", "{hex:40}"),
    ("https://func-app.azurewebsites.net/api/HttpTrigger?code={s}", "{url:54}=="),
    ("https://func-app.azurewebsites.net/api/orders?name=x&code={s}", "{url:54}%3D%3D"),
    ("curl 'https://f.azurewebsites.net/api/x?code={s}&clientId=default'", "{url:54}=="),
    ("x-functions-key: {s}", "{url:54}=="), ("curl -H 'x-functions-key: {s}' https://f.azurewebsites.net/api/x",
                                            "{url:54}=="),
    ('"x-functions-key": "{s}"', "{url:54}=="), ('"server_key": "{s}"', "AAAA{url:7}:APA91b{url:134}"),
    ("Authorization: key={s}", "AAAA{url:7}:APA91b{url:134}"),
])
def test_provider_keys_in_their_settings(form: str, shape: str) -> None:
    rng = random.Random(form)
    for _ in range(20):
        assert_redacted(form, expand(shape, rng))


# -- A4: HTTP Basic credentials --------------------------------------------------------------------
@pytest.mark.parametrize("form", [
    'proxy_set_header Authorization "Basic {s}";', "proxy_set_header Authorization 'Basic {s}';",
    "Authorization: Basic {s}", "curl -H 'Authorization: Basic {s}' https://x",
    'RequestHeader set Authorization "Basic {s}"', "authorization = Basic {s}",
    'headers: {{"Authorization": "Basic {s}"}}',
])
def test_basic_credentials_in_headers(form: str) -> None:
    rng = random.Random(form)
    for _ in range(20):
        pair = f"{rng.choice(['admin', 'ci', 'deploy'])}:{password(rng)}"
        assert_redacted(form, base64.b64encode(pair.encode()).decode())


@pytest.mark.parametrize("form", ["curl -u deploy:{s} https://x", "curl --user deploy:{s} https://x",
                                  "curl --user=deploy:{s} https://x", "curl -u 'deploy:{s}' https://x",
                                  'wget --http-password="{s}" https://x'])
def test_basic_credentials_on_command_lines(form: str) -> None:
    rng = random.Random(form)
    for _ in range(20):
        assert_redacted(form, password(rng, "~*#!&%^"))


# -- B1: placeholders are left alone; a real value of the same shape is not ---------------------
PLACEHOLDERS = [
    "SLACK_BOT_TOKEN=xoxb-your-token", 'api_key: "REPLACE_ME"', "API_KEY=<your-api-key>",
    "password: changeme", "TOKEN=xxxxxxxxxxxxxxxxxxxx", 'api_key = "${API_KEY}"',
    "token: ${{ secrets.GITHUB_TOKEN }}", 'password: "{{ secrets.DB_PASSWORD }}"',
    "DATABASE_URL=postgres://user:password@localhost:5432/mydb", "OPENAI_API_KEY=sk-...",
    "GITHUB_TOKEN=YOUR_TOKEN_HERE", "HF_TOKEN=hf_xxx",
    "# export STRIPE_SECRET_KEY=sk_live_REPLACE_WITH_YOUR_KEY",
    'curl -u "$JENKINS_USER:$JENKINS_TOKEN" "$JENKINS_URL/api/json"', "  secret_key: !env_var SECRET_KEY",
    "export API_TOKEN=your-token-here", '"apiKey": "YOUR_API_KEY"', "mysql://root:password@localhost/app",
    "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX",
    "Authorization: Bearer <token>", "Authorization: Bearer YOUR_ACCESS_TOKEN", "SECRET_KEY=replace-me",
    "DB_PASSWORD=CHANGE_ME", "STRIPE_KEY=sk_test_your_key_here", "token = '********'",
    "export ANTHROPIC_API_KEY=sk-ant-xxxxxxxxxxxxxxxxxxxx", "PASSWORD=<password>",
    "api_key: INSERT_YOUR_API_KEY_HERE", "client_secret: dummy-secret",
]


CODE = [
    'token = os.environ.get("TOKEN", "")', 'password = kwargs.get("password", None)',
    'choices = [("password", "Password"), ("api_key", "API key")]', "token = next(self._tokens)",
    "api_key = settings.STRIPE_API_KEY", "password => $ENV{'DB_PASS'},", '_HEX_PAT = "[0-9A-Fa-f]{1,4}"',
    "col_token = make_name(n_bytes=8, columns=self.columns)", 'files = {"secret": "**/*.pem"}',
    'log.info("token %s", token)', "--password-file /run/secrets/db", "curl --user \"$USER:$PASS\" https://x",
]


@pytest.mark.parametrize("text", CODE)
def test_code_beside_the_new_forms_is_left_alone(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_placeholders_are_left_alone(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(("form", "secret"), [
    ("SLACK_BOT_TOKEN={s}", "xoxb-1234567890-your9TokenAbc"), ("API_KEY={s}", "yourkey8Fq2LmZ9x"),
    ("PASSWORD={s}", "changeme2024!"), ("DB_PASSWORD={s}", "examplE-9f2Kq!x"),
    ("TOKEN={s}", "xxxx8Jf2kLmQ9zPw"), ("postgres://u:{s}@db/x", "passw0rd!x7"),
    ("api_key: '{s}'", "replace_me_Zq81kd02"), ("STRIPE_KEY={s}", "sk_test_yourQ8x2Lm4Nz7Pw1Kd"),
    ("GITHUB_TOKEN={s}", "ghp_xxxxA8f2kLmQ9zPw4Rt7Yu1Io3Pa5Sd6Fg8H"), ("export TOKEN={s}", "ghp_" + "a" * 36),
])
def test_a_secret_with_placeholder_letters_is_still_redacted(form: str, secret: str) -> None:
    assert_redacted(form, secret)


# -- B2: test runner output ------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "--- PASS: TestHandler (0.1s)", "--- PASS: TestTokenRefresh (0.00s)",
    "    --- PASS: TestAuth/valid_key (0.02s)", "--- FAIL: TestSecretRotation (1.20s)",
    "PASS: TestPasswordHash", "=== RUN   TestHandler/3wa7y938vz\n--- PASS: TestHandler (0.29s)",
    "ok  \tgithub.com/acme/auth/token\t0.012s", "PASS\nok  github.com/acme/keys 0.01s",
    "--- SKIP: TestKeyStore (0.00s)",
])
def test_test_runner_output_is_left_alone(text: str) -> None:
    assert redact_text(text) == text


# -- B3: an empty assignment does not take the next line as its value --------------------------
@pytest.mark.parametrize("text", ["DB_PASSWORD=\nDB_USER=app", "API_KEY=\nAPI_URL=https://api.acme.dev",
                                  "SECRET_KEY=\n\nDEBUG=true", "TOKEN= \nNEXT=1", "password:\nuser: app",
                                  "AUTH_TOKEN=\r\nREGION=eu-west-1"])
def test_an_empty_assignment_leaves_the_next_line_alone(text: str) -> None:
    assert redact_text(text) == text


def test_an_assignment_on_the_next_line_is_still_judged() -> None:
    assert_redacted("DB_USER=\nDB_PASSWORD={s}", "Zq8xP2mN7vL4kR9t")


# -- B4: a JWT header alone is public; a whole JWT is not -------------------------------------------
def _b64url(data: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def _headers() -> list[str]:
    rng = random.Random(4)
    out = []
    for alg in ("HS256", "RS256", "ES384", "PS512", "EdDSA"):
        out.append(_b64url({"alg": alg}))
        out.append(_b64url({"alg": alg, "typ": "JWT"}))
        kid = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(20))
        out.append(_b64url({"alg": alg, "typ": "JWT", "kid": kid}))
    return out


@pytest.mark.parametrize("header", _headers())
def test_a_jwt_header_alone_is_left_alone(header: str) -> None:
    for text in (f"A JWT header such as {header} decodes to its algorithm.",
                 f"The first segment, `{header}`."):
        assert redact_text(text) == text


@pytest.mark.parametrize("header", _headers())
def test_a_whole_jwt_is_still_redacted(header: str) -> None:
    rng = random.Random(header)
    payload = _b64url({"sub": str(rng.randrange(10**9)), "exp": str(rng.randrange(10**10))})
    signature = expand("{url:43}", rng)
    assert_redacted("Authorization token {s} expired", f"{header}.{payload}.{signature}")


# -- B5: response headers, request and trace ids, build ids, digests, encoded text --------------
def _ids() -> list[str]:
    rng = random.Random(5)

    def x(shape: str) -> str:
        return expand(shape, rng)

    b64 = x("{b64:76}")
    return [
        f"x-amz-request-id: {x('{upper:16}')}\nx-amz-id-2: {b64}",
        f"x-amz-id-2: {b64}", f"X-Amz-Cf-Id: {x('{url:54}')}==",
        f"x-amzn-RequestId: {x('{hex:8}')}-{x('{hex:4}')}-4a1b-9c2d-{x('{hex:12}')}",
        f"x-request-id: {x('{alnum:40}')}", f'"requestId": "{x("{alnum:36}")}"',
        f"trace_id={x('{alnum:40}')}", f'Go build ID: "{x("{url:20}")}/{x("{url:20}")}"',
        f'      "contentHash": "{x("{b64:86}")}==",', f'"checksum": "{x("{b64:43}")}="',
        f"    checksum/secret: {x('{hex:64}')}", f"    checksum/config: {x('{hex:64}')}",
        f"digest: sha256:{x('{hex:64}')}",
    ]


@pytest.mark.parametrize("text", _ids())
def test_ids_and_digests_are_left_alone(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize("body", ["# Acme API\n\nInternal service for billing.\n",
                                  "MIT License\n\nCopyright (c) 2024 Acme\n",
                                  "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"])
def test_base64_of_plain_text_is_left_alone(body: str) -> None:
    encoded = base64.b64encode(body.encode()).decode()
    text = f'{{"name": "README.md", "encoding": "base64", "content": "{encoded}"}}'
    assert redact_text(text) == text


def test_base64_of_a_file_holding_a_secret_is_still_redacted() -> None:
    rng = random.Random(6)
    body = f"DEBUG=false\nDB_PASSWORD={password(rng)}\nSTRIPE=sk_live_{expand('{alnum:24}', rng)}\n"
    encoded = base64.b64encode(body.encode()).decode()
    assert_redacted('{{"content": "{s}"}}', encoded)


def test_a_secret_beside_an_id_is_still_redacted() -> None:
    rng = random.Random(7)
    token = "ghp_" + expand("{alnum:36}", rng)
    out = redact_text(f"x-amz-id-2: {expand('{b64:76}', rng)} token {token}")
    assert token not in out


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("HEAD=ref: refs/heads/fix-ico-2yW4Acq9GFz6Y1t9EwL56nGisiWgNZq6", "HEAD=ref: refs/heads/"),
        ("checked out refs/remotes/origin/wip-Zx8qL2mN7vB4cX1zA9sD3fG6hJ0kQ5wE", "refs/remotes/origin/"),
        ("wrote .agents/handoffs/k7Qp2Lm9Xz4Rt8Vw1Ny6Bc3Df5Gh0Jk2/notes.md", "/notes.md"),
    ],
)
def test_a_random_token_that_is_one_part_of_a_path_is_redacted(text: str, kept: str) -> None:
    """A branch named after a key reaches the SessionStart packet as `refs/heads/fix-<key>`:
    the path as a whole is not random, its last part is."""
    out = redact_text(text)
    assert "[REDACTED:high-entropy]" in out and kept in out


@pytest.mark.parametrize(
    "text",
    [
        "see https://drive.google.com/file/d/1VgHrfRcJ4evZKU7lRJOAU_LowH-cPsaS/view",
        "src/agentops_os/store/redact_samples.py",
        "node_modules/@types/react-dom/index.d.ts",
        "refs/heads/feature/add-a-much-longer-branch-name-for-testing-things",
    ],
)
def test_paths_and_url_ids_are_not_redacted(text: str) -> None:
    assert redact_text(text) == text


# -- classes found by the second independent set (bench/redaction/independent_b.py, tune half)
_PW = "Xq7-kLm2#pR9vT"


@pytest.mark.parametrize(
    "text",
    [
        "Cookie: sessionid=rkvp22qgsvbab4vdzacdefsvdu8dupyj; theme=dark",
        "Set-Cookie: PHPSESSID=9c5kq1v0m2r8t4b7n3e6h1j2k5; path=/; HttpOnly",
        "Cookie: connect.sid=s%3AaB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1x.yZ2aB4cD6eF8gH0jK2lM4n",
        "JSESSIONID=0A1B2C3D4E5F60718293A4B5C6D7E8F9",
    ],
)
def test_session_cookie_values_are_redacted(text: str) -> None:
    assert "[REDACTED" in redact_text(text)


@pytest.mark.parametrize(
    "text",
    ["session = requests.Session()", "session_timeout=3600", "sid=12", "consider=True", "inside = outside"],
)
def test_session_names_with_ordinary_values_are_kept(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (f"curl -su 'jenkins:{_PW}' https://registry.example.io/v2/", _PW),
        (f"http -a root:{_PW} GET https://api.example.io/status", _PW),
        (f"curl --proxy-user me:{_PW} https://x.example", _PW),
        (f'setx SERVICE_PASSWORD "{_PW}"', _PW),
        ("setx /M DB_TOKEN lantern-ocean-staple-pizza", "lantern-ocean-staple-pizza"),
        (f"db.internal:5432:prod:app:{_PW}", _PW),
        (f"$ cat ~/.pgpass\nlocalhost:*:*:app:{_PW}", _PW),
        (f'dataSource.setPassword("{_PW}");', _PW),
        (f'client.setApiKey("{_PW}")', _PW),
        (f'var cred = new NetworkCredential("backend", "{_PW}");', _PW),
        (f'new UsernamePasswordCredentials("svc", "{_PW}")', _PW),
        (f'DriverManager.getConnection(url, "app", "{_PW}")', _PW),
        (f"my password is {_PW} - can you log in?", _PW),
        ("password for the db: purple-galaxy-harbor-winter", "purple-galaxy-harbor-winter"),
        ("POSTGRES_PASSWORD=ow*_TKQZ7y.oaBxQDprRB", "TKQZ7y.oaBxQDprRB"),
    ],
)
def test_passwords_in_cli_auth_pgpass_code_calls_and_prose_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "password = auth[2]",
        "the password is incorrect",
        "password: ${DB_PASSWORD}",
        "f(API_KEY=settings.API_KEY)",
        "SECRET_KEY=config.SecretKey2",
        "TOKEN=app.v2.AuthToken",
        'user.getPassword("field")',
        "curl -u \"$USER:$TOKEN\" https://x.example",
        "ls -a src:main",
        "The key fingerprint is:\nSHA256:jscaWwWvyXyYasb+8JQoK6MEbyFIem4Hd387JTDznfg dev@build",
        "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA9yLlBdMU7XgaW6fvQ0IUIPS52gUVBMNqZ3xkR2yT8wPq\n"
        "-----END RSA PUBLIC KEY-----",
    ],
)
def test_code_references_prose_and_public_data_are_kept(text: str) -> None:
    assert redact_text(text) == text


# -- third independent set's tune half: identifiers, code paths, public keys -------------
@pytest.mark.parametrize(
    "line",
    [
        "func TestHandleOAuth2AuthorizationCodeGrantWithPKCEVerifier256(t *testing.T) {",
        "class AbstractSingletonProxyFactoryBeanConfigurationTest2Case {}",
        "test auth::tests::bearer_token_is_parsed ... ok",
        "use crate::session::token::refresh_token_is_rotated;",
        "PublicKey = AzVqd87jou7uFKlWxC76iFyuJe3BIT/j44U6kdxaPAk=",
        "SSH_PUBLIC_KEY=AzVqd87jou7uFKlWxC76iFyuJe3BIT/j44U6kdxaPAk=",
        'public_key: "8rjZofWyTqjM3MCX6J3hx7lBxQ6uvPQWTDt7NToTgR4="',
    ],
)
def test_identifiers_code_paths_and_public_keys_are_kept(line: str) -> None:
    assert redact_text(line) == line


@pytest.mark.parametrize(
    "line",
    [
        "PrivateKey = AzVqd87jou7uFKlWxC76iFyuJe3BIT/j44U6kdxaPAk=",
        "public_key_secret = AzVqd87jou7uFKlWxC76iFyuJe3BIT/j44U6kdxaPAk=",
        "use Zx8qT4mW9vLp2NcR7bYh3KdF6sGj1QaE for the deploy",
    ],
)
def test_private_and_random_values_beside_them_are_still_redacted(line: str) -> None:
    assert "[REDACTED:" in redact_text(line)


def test_random_keys_are_almost_never_taken_for_camel_case_words() -> None:
    from agentops_os.store.redact import camel_words

    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits
    keys = ["".join(rng.choice(alphabet) for _ in range(40)) for _ in range(5000)]
    assert sum(camel_words(k) for k in keys) <= 5


def test_a_redaction_label_never_repeats_a_token_prefix() -> None:
    """A label like `[REDACTED:rubygems-key]` put 8 characters of `rubygems_…` back."""
    for line in ("GEM_HOST_API_KEY: rubygems_" + "a1b2c3d4" * 6,
                 "SECRET_KEY = 'django-insecure-" + "k9#x!q2m@z7w$e4r" * 3 + "'"):
        out = redact_text(line)
        assert "rubygems" not in out and "django-insecure" not in out
