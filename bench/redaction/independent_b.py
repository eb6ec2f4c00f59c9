"""Independently authored held-out set (B) for the redaction step.

This set was written WITHOUT seeing the redactor: not its source, its rules data, its tests, its
other benchmark sets or its git history. It was written only from the providers' public token
formats (prefix, length, alphabet) and from where secrets really turn up in a coding agent's work
(.env files, CI YAML, Kubernetes manifests, connection strings, HTTP headers, source literals, logs,
chat text), plus ordinary lines that look secret-ish but are not secrets.

Do not tune cases to the redactor, and do not edit a case after seeing how the redactor treats it.
Tune to a class of inputs, never to a case; when a figure is far better on the project's own sets
than here, the redactor is overfitted.

`cases(seed)` returns dicts:

- ``{"kind": "secret", "shape", "text", "secret", "split"}``: ``secret`` is an exact substring of
  ``text`` that must not survive redaction (for a URL or a ``user:password`` pair only the
  password, for a private key its base64 body, for a webhook its token part).
- ``{"kind": "benign", "shape", "text", "split"}``: ``text`` must come back exactly unchanged.

Within each shape the split alternates ``tune``, ``heldout``, ``tune``, ... Every value is drawn
from ``random.Random(seed)``, so no real credential appears here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import struct
import urllib.parse
import uuid
import zlib
from collections import Counter
from collections.abc import Callable

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
LETTERS = string.ascii_letters
AN = LETTERS + DG
HEX = "0123456789abcdef"
B64 = AN + "+/"
URLSAFE = AN + "-_"
B32 = UP + "234567"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

WORDS = [
    "summer", "winter", "autumn", "dragon", "monkey", "tiger", "falcon", "river", "castle",
    "purple", "orange", "coffee", "pizza", "rocket", "galaxy", "harbor", "maple", "silver",
    "thunder", "ocean", "violet", "copper", "willow", "panther", "sunset", "mercury", "cobalt",
    "jasmine", "phoenix", "horse", "battery", "staple", "correct", "lantern", "meadow", "granite",
    "pepper", "banjo", "walrus", "biscuit", "tulip", "glacier", "saffron", "otter", "quartz",
]
USERS = ["app", "deploy", "svc_api", "ci-bot", "jenkins", "etl", "backend", "analytics", "root", "dana"]
HOSTS = [
    "db.internal", "10.0.3.17", "pg-primary.prod.svc.cluster.local", "mysql-01.acme.lan",
    "db.acme-prod.eu-west-1.rds.amazonaws.com", "127.0.0.1", "postgres", "warehouse.acme.io",
]
DBS = ["app", "prod", "shop", "billing", "analytics", "orders", "erp"]
NAMES = ["Dana Lee", "Sam Ortiz", "Priya Nair", "Jon Berg", "Mei Chen", "Ali Khan"]

Gen = Callable[[random.Random, int], tuple[str, str]]
BGen = Callable[[random.Random, int], str]
SECRET_SHAPES: list[tuple[str, int, Gen]] = []
BENIGN_SHAPES: list[tuple[str, int, BGen]] = []


def secret(shape: str, n: int = 4) -> Callable[[Gen], Gen]:
    def deco(fn: Gen) -> Gen:
        SECRET_SHAPES.append((shape, n, fn))
        return fn

    return deco


def benign(shape: str, n: int = 8) -> Callable[[BGen], BGen]:
    def deco(fn: BGen) -> BGen:
        BENIGN_SHAPES.append((shape, n, fn))
        return fn

    return deco


# ---------------------------------------------------------------- value helpers


def _s(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def _mixed(r: random.Random, alphabet: str, n: int) -> str:
    """Random string from an alphabet holding both cases and digits, containing all three."""
    while True:
        v = _s(r, alphabet, n)
        if any(c.isupper() for c in v) and any(c.islower() for c in v) and any(c.isdigit() for c in v):
            return v


def _hex(r: random.Random, n: int) -> str:
    while True:
        v = _s(r, HEX, n)
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


def _b64(r: random.Random, nbytes: int) -> str:
    return base64.b64encode(r.randbytes(nbytes)).decode()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _uuid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def _human(r: random.Random, syms: str = "!@%*?+-_.") -> str:
    """A password a person would choose: words, digits, a symbol or two."""
    w = r.choice(WORDS)
    form = r.randrange(6)
    if form == 0:
        return w.capitalize() + str(r.randint(1990, 2026)) + r.choice(syms)
    if form == 1:
        return "-".join(r.sample(WORDS, 4))
    if form == 2:
        leet = w.replace("a", "@" if "@" in syms else "4").replace("o", "0").replace("e", "3")
        return leet.capitalize() + r.choice(syms) + str(r.randint(1, 99))
    if form == 3:
        return w.capitalize() + r.choice(WORDS).capitalize() + str(r.randint(10, 99))
    if form == 4:
        return w + str(r.randint(100, 9999))
    return r.choice(syms) + w.capitalize() + r.choice(syms) + str(r.randint(0, 99)) + r.choice(WORDS)


def _pw(r: random.Random, syms: str = "!@%*?+-_.") -> str:
    """Either a human password or a generated one."""
    if r.random() < 0.5:
        return _human(r, syms)
    return _mixed(r, AN + syms, r.randint(14, 28))


def _url_pw(r: random.Random) -> str:
    """A password as it appears inside a URL (unreserved characters or percent-encoded)."""
    k = r.randrange(3)
    if k == 0:
        return _mixed(r, AN + "-_.~", r.randint(12, 24))
    if k == 1:
        return _human(r, "-_.~")
    return r.choice(WORDS).capitalize() + str(r.randint(1990, 2026)) + r.choice(["%21", "%40", "%23", "%24"])


def _wrap(body: str, width: int) -> list[str]:
    return [body[k : k + width] for k in range(0, len(body), width)]


def _jwt(r: random.Random, alg: str = "HS256", payload: dict | None = None) -> str:
    head = _b64url(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    iat = r.randint(1_700_000_000, 1_730_000_000)
    body = payload or {"sub": str(r.randint(1000, 99999)), "name": r.choice(NAMES), "iat": iat,
                       "exp": iat + 3600, "role": r.choice(["admin", "user", "service"])}
    pay = _b64url(json.dumps(body, separators=(",", ":")).encode())
    sig = _mixed(r, URLSAFE, 43 if alg.startswith("HS") else 342)
    return f"{head}.{pay}.{sig}"


def _pem_body(r: random.Random, kind: str) -> bytes:
    if kind == "RSA PRIVATE KEY":
        return b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + r.randbytes(1180)
    if kind == "PRIVATE KEY":
        return (b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00"
                + r.randbytes(1200))
    if kind == "EC PRIVATE KEY":
        return (b"\x30\x77\x02\x01\x01\x04\x20" + r.randbytes(32)
                + b"\xa0\x0a\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07\xa1\x44\x03\x42\x00\x04"
                + r.randbytes(64))
    return b"\x30\x82\x05\x0e\x30\x40\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0d" + r.randbytes(1280)


def _pem(r: random.Random, kind: str, indent: str = "") -> tuple[str, str]:
    lines = _wrap(base64.b64encode(_pem_body(r, kind)).decode(), 64)
    sep = "\n" + indent
    body = sep.join(lines)
    block = f"{indent}-----BEGIN {kind}-----{sep}{body}{sep}-----END {kind}-----"
    return block, body


def _ssh_pub(r: random.Random) -> str:
    if r.random() < 0.5:
        blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20" + r.randbytes(32)
        return "ssh-ed25519 " + base64.b64encode(blob).decode()
    blob = b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01\x00" + r.randbytes(256)
    return "ssh-rsa " + base64.b64encode(blob).decode()


def _png(r: random.Random) -> bytes:
    w, h = r.randint(4, 12), r.randint(4, 12)
    raw = b"".join(b"\x00" + r.randbytes(w * 3) for _ in range(h))

    def chunk(t: bytes, d: bytes) -> bytes:
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = chunk(b"IDAT", zlib.compress(raw, 9))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + idat + chunk(b"IEND", b"")


def _pick(i: int, options: list[str]) -> str:
    return options[i % len(options)]


# ================================================================ secret shapes


@secret("aws-access-key-id")
def _aws_key_id(r: random.Random, i: int) -> tuple[str, str]:
    k = r.choice(["AKIA", "ASIA"]) + _s(r, B32, 16)
    return _pick(i, [
        f"aws_access_key_id = {k}",
        f"export AWS_ACCESS_KEY_ID={k}",
        f'        "AccessKeyId": "{k}",',
        f"2024-05-02 10:14:07 INFO botocore.credentials: using access key {k} from environment",
    ]), k


@secret("aws-secret-access-key", 6)
def _aws_secret(r: random.Random, i: int) -> tuple[str, str]:
    s = _mixed(r, B64, 40)
    kid = "AKIA" + _s(r, B32, 16)
    return _pick(i, [
        f"[default]\naws_access_key_id = {kid}\naws_secret_access_key = {s}\nregion = eu-west-1",
        f'AWS_SECRET_ACCESS_KEY="{s}"',
        f'        "SecretAccessKey": "{s}",',
        f"docker run --rm -e AWS_ACCESS_KEY_ID={kid} -e AWS_SECRET_ACCESS_KEY={s} amazon/aws-cli s3 ls",
        f'provider "aws" {{\n  region     = "us-east-1"\n  access_key = "{kid}"\n  secret_key = "{s}"\n}}',
        f"aws configure set aws_secret_access_key {s} --profile staging",
    ]), s


@secret("github-pat-classic", 5)
def _ghp(r: random.Random, i: int) -> tuple[str, str]:
    k = "ghp_" + _mixed(r, AN, 36)
    return _pick(i, [
        f"GITHUB_TOKEN={k}",
        f"echo {k} | gh auth login --with-token",
        f"github.com:\n    user: dana\n    oauth_token: {k}\n    git_protocol: https",
        f'curl -H "Authorization: token {k}" https://api.github.com/user/repos',
        f"I generated a new token {k} but pushes still fail with 403",
    ]), k


@secret("github-fine-grained-pat")
def _gh_fine(r: random.Random, i: int) -> tuple[str, str]:
    k = "github_pat_" + _mixed(r, AN, 22) + "_" + _mixed(r, AN, 59)
    return _pick(i, [
        f"      GH_TOKEN: {k}",
        f'const octokit = new Octokit({{ auth: "{k}" }});',
        f"git clone https://{k}@github.com/acme/infra.git",
        f'token = "{k}"',
    ]), k


@secret("github-app-token")
def _gh_app(r: random.Random, i: int) -> tuple[str, str]:
    k = r.choice(["ghs_", "gho_", "ghu_", "ghr_"]) + _mixed(r, AN, 36)
    return _pick(i, [
        f"git clone https://x-access-token:{k}@github.com/acme/api.git",
        f'{{"token":"{k}","expires_at":"2024-06-01T12:00:00Z","permissions":{{"contents":"write"}}}}',
        f"GITHUB_APP_TOKEN='{k}'",
        f"Authorization: Bearer {k}",
    ]), k


@secret("gitlab-token")
def _glpat(r: random.Random, i: int) -> tuple[str, str]:
    k = "glpat-" + _mixed(r, URLSAFE, 20)
    return _pick(i, [
        f'curl --header "PRIVATE-TOKEN: {k}" "https://gitlab.com/api/v4/projects?owned=true"',
        f"GITLAB_TOKEN={k}",
        f"git remote set-url origin https://oauth2:{k}@gitlab.com/acme/backend.git",
        f"gitlab:\n  url: https://gitlab.acme.io\n  private_token: {k}",
    ]), k


@secret("slack-token")
def _slack(r: random.Random, i: int) -> tuple[str, str]:
    kind = i % 3
    if kind == 0:
        k = f"xoxb-{_s(r, DG, 11)}-{_s(r, DG, 13)}-{_mixed(r, AN, 24)}"
    elif kind == 1:
        k = f"xoxp-{_s(r, DG, 11)}-{_s(r, DG, 11)}-{_s(r, DG, 13)}-{_hex(r, 32)}"
    else:
        k = f"xapp-1-A{_s(r, UP + DG, 10)}-{_s(r, DG, 13)}-{_hex(r, 64)}"
    return _pick(i, [
        f"SLACK_BOT_TOKEN={k}",
        f'client = WebClient(token="{k}")',
        f"SLACK_APP_TOKEN={k}",
        f'slack:\n  token: {k}\n  channel: "#deploys"',
    ]), k


@secret("slack-webhook")
def _slack_hook(r: random.Random, i: int) -> tuple[str, str]:
    s = _mixed(r, AN, 24)
    url = f"https://hooks.slack.com/services/T{_s(r, UP + DG, 10)}/B{_s(r, UP + DG, 10)}/{s}"
    return _pick(i, [
        f"SLACK_WEBHOOK_URL={url}",
        f"curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"deploy done\"}}' {url}",
        f'alerting:\n  slack:\n    webhook_url: "{url}"',
        f'requests.post("{url}", json={{"text": message}})',
    ]), s


@secret("discord-webhook")
def _discord(r: random.Random, i: int) -> tuple[str, str]:
    s = _mixed(r, URLSAFE, 68)
    host = r.choice(["discord.com", "discordapp.com"])
    url = f"https://{host}/api/webhooks/{r.randint(10**17, 10**18 - 1)}/{s}"
    return _pick(i, [
        f"DISCORD_WEBHOOK={url}",
        f"curl -H 'Content-Type: application/json' -d '{{\"content\": \"build failed\"}}' {url}",
        f'await fetch("{url}", {{ method: "POST", body: JSON.stringify(payload) }});',
        json.dumps({"notifications": {"discord": url}}, indent=2),
    ]), s


@secret("teams-webhook")
def _teams(r: random.Random, i: int) -> tuple[str, str]:
    s = _hex(r, 32)
    org = r.choice(["acme", "contoso", "initech"])
    url = (f"https://{org}.webhook.office.com/webhookb2/{_uuid(r)}@{_uuid(r)}"
           f"/IncomingWebhook/{s}/{_uuid(r)}")
    return _pick(i, [
        f"TEAMS_WEBHOOK_URL={url}",
        f'Invoke-RestMethod -Method Post -ContentType "application/json" -Uri "{url}" -Body $json',
        f"  teams:\n    url: {url}",
        f'webhook = "{url}"',
    ]), s


@secret("stripe-secret-key", 5)
def _stripe(r: random.Random, i: int) -> tuple[str, str]:
    k = r.choice(["sk_live_", "rk_live_", "sk_test_"]) + _mixed(r, AN, r.choice([24, 99]))
    return _pick(i, [
        f"STRIPE_SECRET_KEY={k}",
        f'stripe.api_key = "{k}"',
        f"curl https://api.stripe.com/v1/customers -u {k}:",
        f"const stripe = require('stripe')('{k}');",
        f'Stripe.api_key = ENV.fetch("STRIPE_KEY", "{k}")',
    ]), k


@secret("stripe-webhook-secret")
def _whsec(r: random.Random, i: int) -> tuple[str, str]:
    k = "whsec_" + _mixed(r, AN, 32)
    return _pick(i, [
        f"STRIPE_WEBHOOK_SECRET={k}",
        f"endpoint_secret = '{k}'",
        f"> Ready! You are using Stripe API Version [2024-04-10]. Your webhook signing secret is {k} "
        "(^C to quit)",
        f'  webhookSecret: "{k}",',
    ]), k


@secret("openai-key", 6)
def _openai(r: random.Random, i: int) -> tuple[str, str]:
    kind = i % 3
    if kind == 0:
        k = "sk-" + _mixed(r, AN, 20) + "T3BlbkFJ" + _mixed(r, AN, 20)
    elif kind == 1:
        k = "sk-proj-" + _mixed(r, URLSAFE, 74) + "T3BlbkFJ" + _mixed(r, URLSAFE, 74)
    else:
        k = "sk-svcacct-" + _mixed(r, URLSAFE, 74) + "T3BlbkFJ" + _mixed(r, URLSAFE, 74)
    return _pick(i, [
        f"OPENAI_API_KEY={k}",
        f'client = OpenAI(api_key="{k}")',
        f"openai.api_key = '{k}'",
        f'export OPENAI_API_KEY="{k}"',
        f"here's my key {k} - why does it say insufficient_quota?",
        f'{{"model": "gpt-4o", "api_key": "{k}"}}',
    ]), k


@secret("anthropic-key", 5)
def _anthropic(r: random.Random, i: int) -> tuple[str, str]:
    k = r.choice(["sk-ant-api03-", "sk-ant-admin01-"]) + _mixed(r, URLSAFE, 93) + "AA"
    return _pick(i, [
        f"ANTHROPIC_API_KEY={k}",
        f'client = anthropic.Anthropic(api_key="{k}")',
        f'curl https://api.anthropic.com/v1/messages -H "x-api-key: {k}" -H "anthropic-version: 2023-06-01"',
        json.dumps({"env": {"ANTHROPIC_API_KEY": k}}, indent=2),
        f"set ANTHROPIC_API_KEY={k}",
    ]), k


@secret("google-api-key")
def _google_key(r: random.Random, i: int) -> tuple[str, str]:
    k = "AIza" + _mixed(r, URLSAFE, 35)
    return _pick(i, [
        f"GOOGLE_API_KEY={k}",
        f"https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key={k}",
        f'const firebaseConfig = {{\n  apiKey: "{k}",\n  authDomain: "acme-web.firebaseapp.com",\n}};',
        f'genai.configure(api_key="{k}")',
    ]), k


@secret("google-oauth-client-secret")
def _gocspx(r: random.Random, i: int) -> tuple[str, str]:
    k = "GOCSPX-" + _mixed(r, URLSAFE, 28)
    cid = f"{r.randint(10**11, 10**12 - 1)}-{_s(r, LO + DG, 32)}.apps.googleusercontent.com"
    return _pick(i, [
        json.dumps({"installed": {"client_id": cid, "project_id": "acme-cli",
                                  "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                                  "client_secret": k, "redirect_uris": ["http://localhost"]}}),
        f"GOOGLE_CLIENT_SECRET={k}",
        f"oauth:\n  client_id: {cid}\n  client_secret: {k}",
        f"./oauth-proxy --provider=google --client-id={cid} --client-secret={k}",
    ]), k


@secret("huggingface-token")
def _hf(r: random.Random, i: int) -> tuple[str, str]:
    while True:
        body = _s(r, LETTERS, 34)
        if any(c.isupper() for c in body) and any(c.islower() for c in body):
            break
    k = "hf_" + body
    return _pick(i, [
        f"HF_TOKEN={k}",
        f"huggingface-cli login --token {k}",
        f'login(token="{k}")',
        f'model = AutoModel.from_pretrained("acme/private-llm", token="{k}")',
    ]), k


@secret("npm-token", 6)
def _npm(r: random.Random, i: int) -> tuple[str, str]:
    k = "npm_" + _mixed(r, AN, 36)
    gh = "ghp_" + _mixed(r, AN, 36)
    basic = base64.b64encode(f"{r.choice(USERS)}:{_pw(r)}".encode()).decode()
    options = [
        (f"//registry.npmjs.org/:_authToken={k}", k),
        (f"NPM_TOKEN={k}", k),
        (f"npm config set //registry.npmjs.org/:_authToken {k}", k),
        (f"registry=https://registry.npmjs.org/\n@acme:registry=https://npm.pkg.github.com\n"
         f"//npm.pkg.github.com/:_authToken={gh}", gh),
        (f"registry=https://nexus.acme.io/repository/npm/\n_auth={basic}\nalways-auth=true", basic),
        (f'yarn config set npmAuthToken "{k}"', k),
    ]
    return options[i % len(options)]


@secret("pypi-token")
def _pypi(r: random.Random, i: int) -> tuple[str, str]:
    if i % 4 == 3:
        k = "pypi-AgENdGVzdC5weXBpLm9yZw" + "I" + _mixed(r, URLSAFE, 150)
    else:
        k = "pypi-AgEIcHlwaS5vcmc" + "CJ" + _mixed(r, URLSAFE, 150)
    return _pick(i, [
        f"[distutils]\nindex-servers =\n    pypi\n\n[pypi]\nusername = __token__\npassword = {k}",
        f"twine upload -u __token__ -p {k} dist/*",
        f"UV_PUBLISH_TOKEN={k}",
        f"poetry config pypi-token.testpypi {k}",
    ]), k


@secret("sendgrid-key")
def _sendgrid(r: random.Random, i: int) -> tuple[str, str]:
    k = "SG." + _mixed(r, URLSAFE, 22) + "." + _mixed(r, URLSAFE, 43)
    return _pick(i, [
        f"SENDGRID_API_KEY={k}",
        f"sg = SendGridAPIClient('{k}')",
        f'sendgrid:\n  api_key: "{k}"',
        f"curl --request POST --url https://api.sendgrid.com/v3/mail/send "
        f"--header 'Authorization: Bearer {k}'",
    ]), k


@secret("twilio-credential")
def _twilio(r: random.Random, i: int) -> tuple[str, str]:
    sid = "AC" + _hex(r, 32)
    tok = _hex(r, 32)
    if i % 4 == 3:
        sec = _mixed(r, AN, 32)
        return f"twilio:\n  api_key: SK{_hex(r, 32)}\n  api_secret: {sec}", sec
    return _pick(i, [
        f"TWILIO_ACCOUNT_SID={sid}\nTWILIO_AUTH_TOKEN={tok}",
        f'client = Client("{sid}", "{tok}")',
        f"curl -X POST https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json -u {sid}:{tok}",
    ]), tok


@secret("mailgun-mailchimp-key")
def _mail(r: random.Random, i: int) -> tuple[str, str]:
    mg = "key-" + _hex(r, 32)
    mc = _hex(r, 32) + "-us" + str(r.randint(1, 21))
    options = [
        (f"MAILGUN_API_KEY={mg}", mg),
        (f'requests.post(url, auth=("api", "{mg}"), data=msg)', mg),
        (f"MAILCHIMP_API_KEY={mc}", mc),
        (f'mailchimp.setConfig({{ apiKey: "{mc}", server: "{mc.split("-")[1]}" }});', mc),
    ]
    return options[i % len(options)]


@secret("telegram-bot-token")
def _telegram(r: random.Random, i: int) -> tuple[str, str]:
    k = f"{r.randint(10**8, 10**10 - 1)}:AA{_mixed(r, URLSAFE, 33)}"
    return _pick(i, [
        f"TELEGRAM_BOT_TOKEN={k}",
        f'curl "https://api.telegram.org/bot{k}/sendMessage?chat_id=-1001234567&text=deployed"',
        f'bot = telebot.TeleBot("{k}")',
        f'app = Application.builder().token("{k}").build()',
    ]), k


@secret("commerce-token")
def _commerce(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("SHOPIFY_ACCESS_TOKEN={k}", "shpat_" + _hex(r, 32)),
        lambda: ("X-Shopify-Access-Token: {k}", "shpat_" + _hex(r, 32)),
        lambda: ("SQUARE_ACCESS_TOKEN={k}", "EAAA" + _mixed(r, URLSAFE, 60)),
        lambda: ("square:\n  application_secret: {k}", "sq0csp-" + _mixed(r, URLSAFE, 43)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("devtools-token", 6)
def _devtools(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("echo {k} | docker login -u acmebot --password-stdin", "dckr_pat_" + _mixed(r, URLSAFE, 27)),
        lambda: ("DIGITALOCEAN_TOKEN={k}", "dop_v1_" + _hex(r, 64)),
        lambda: ("DATABRICKS_TOKEN={k}", "dapi" + _hex(r, 32)),
        lambda: ('linear = LinearClient(api_key="{k}")', "lin_api_" + _mixed(r, AN, 40)),
        lambda: ("POSTMAN_API_KEY={k}", "PMAK-" + _hex(r, 24) + "-" + _hex(r, 34)),
        lambda: ("export VAULT_TOKEN={k}", "hvs." + _mixed(r, URLSAFE, 91)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("jwt", 5)
def _jwt_case(r: random.Random, i: int) -> tuple[str, str]:
    k = _jwt(r, r.choice(["HS256", "RS256"]))
    return _pick(i, [
        f'  "access_token": "{k}",\n  "token_type": "Bearer",\n  "expires_in": 3600',
        f'localStorage.setItem("token", "{k}");',
        f"https://app.acme.io/callback#id_token={k}&state=af0ifjsldkj",
        f"JWT_TOKEN={k}",
        f"WARN auth: rejected token {k}: signature has expired",
    ]), k


@secret("azure-storage-key")
def _azure_key(r: random.Random, i: int) -> tuple[str, str]:
    key = _b64(r, 64)
    acct = r.choice(["acmeprod", "acmebackups", "stdatalake01"])
    conn = (f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={key};"
            "EndpointSuffix=core.windows.net")
    return _pick(i, [
        f'AZURE_STORAGE_CONNECTION_STRING="{conn}"',
        f'    "AzureWebJobsStorage": "{conn}",',
        f"az storage blob upload --account-name {acct} --account-key {key} -c backups -f db.dump",
        f'client = BlobServiceClient.from_connection_string("{conn}")',
    ]), key


@secret("azure-sas-url", 5)
def _azure_sas(r: random.Random, i: int) -> tuple[str, str]:
    sig = urllib.parse.quote(_b64(r, 32), safe="")
    acct = r.choice(["acmeprod", "acmebackups", "stdatalake01"])
    q = (f"sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2025-01-0{r.randint(1, 9)}T00:00:00Z"
         f"&st=2024-05-01T00:00:00Z&spr=https&sig={sig}")
    url = f"https://{acct}.blob.core.windows.net/exports/report-{r.randint(1, 999)}.csv?{q}"
    return _pick(i, [
        f'azcopy copy "{url}" ./exports/',
        f"SAS_URL={url}",
        f'curl -o report.csv "{url}"',
        f"download the export from {url} before it expires",
        f"BlobEndpoint=https://{acct}.blob.core.windows.net/;SharedAccessSignature={q}",
    ]), sig


@secret("s3-presigned-url")
def _s3_presigned(r: random.Random, i: int) -> tuple[str, str]:
    sig = _hex(r, 64)
    kid = "AKIA" + _s(r, B32, 16)
    url = (f"https://acme-artifacts.s3.us-east-1.amazonaws.com/builds/app-{r.randint(100, 999)}.zip"
           f"?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={kid}%2F20240502%2Fus-east-1%2Fs3%2Faws4_request"
           f"&X-Amz-Date=20240502T101500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={sig}")
    return _pick(i, [
        url,
        f'curl -T build.zip "{url}"',
        f">>> s3.generate_presigned_url('get_object', Params=params, ExpiresIn=3600)\n'{url}'",
        f'{{"uploadUrl": "{url}", "expiresIn": 3600}}',
    ]), sig


@secret("gcs-signed-url")
def _gcs_signed(r: random.Random, i: int) -> tuple[str, str]:
    if i % 2 == 0:
        sig = _hex(r, 512)
        url = ("https://storage.googleapis.com/acme-exports/dump.sql.gz?X-Goog-Algorithm=GOOG4-RSA-SHA256"
               "&X-Goog-Credential=exporter%40acme-prod.iam.gserviceaccount.com%2F20240502%2Fauto%2Fstorage"
               "%2Fgoog4_request&X-Goog-Date=20240502T101500Z&X-Goog-Expires=900&X-Goog-SignedHeaders=host"
               f"&X-Goog-Signature={sig}")
    else:
        sig = urllib.parse.quote(_b64(r, 256), safe="")
        url = ("https://storage.googleapis.com/acme-exports/dump.sql.gz?GoogleAccessId="
               f"exporter@acme-prod.iam.gserviceaccount.com&Expires={r.randint(1_700_000_000, 1_800_000_000)}"
               f"&Signature={sig}")
    return _pick(i, [url, f'gsutil signurl output: "{url}"', f"wget -O dump.sql.gz '{url}'",
                     f"SIGNED_URL={url}"]), sig


@secret("pem-private-key", 6)
def _pem_key(r: random.Random, i: int) -> tuple[str, str]:
    kind = ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"][i % 4]
    form = i % 3
    if form == 0:
        block, body = _pem(r, kind)
        return block, body
    if form == 1:
        block, body = _pem(r, kind)
        return f"$ cat certs/deploy.pem\n{block}\n$ chmod 600 certs/deploy.pem", body
    block, body = _pem(r, kind, indent="    ")
    return ("apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-tls\ntype: kubernetes.io/tls\n"
            f"stringData:\n  tls.key: |\n{block}"), body


@secret("openssh-private-key")
def _openssh(r: random.Random, i: int) -> tuple[str, str]:
    blob = (b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01"
            + r.randbytes(r.choice([300, 1500])))
    indent = "          " if i % 4 == 2 else ""
    sep = "\n" + indent
    body = sep.join(_wrap(base64.b64encode(blob).decode(), 70))
    block = (f"{indent}-----BEGIN OPENSSH PRIVATE KEY-----{sep}{body}{sep}"
             f"-----END OPENSSH PRIVATE KEY-----")
    return _pick(i, [
        block,
        f"$ cat ~/.ssh/id_ed25519\n{block}",
        "    steps:\n      - uses: webfactory/ssh-agent@v0.9.0\n        with:\n"
        f"          ssh-private-key: |\n{block}",
        f'resource "tls_private_key" "imported" {{}}\nlocals {{\n  deploy_key = <<EOF\n{block}\nEOF\n}}',
    ]), body


@secret("pgp-private-key")
def _pgp(r: random.Random, i: int) -> tuple[str, str]:
    body = "\n".join(_wrap(base64.b64encode(b"\x95\x03\xc6\x04" + r.randbytes(900)).decode(), 64))
    crc = "=" + _b64(r, 3)
    block = (f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body}\n{crc}\n-----END PGP PRIVATE KEY BLOCK-----")
    return _pick(i, [
        block,
        f"$ gpg --export-secret-keys --armor dana@acme.io\n{block}",
        f"GPG_PRIVATE_KEY: |\n{block}",
        f"Here's the signing key, import it with gpg --import:\n\n{block}",
    ]), body


@secret("gcp-service-account-json")
def _gcp_sa(r: random.Random, i: int) -> tuple[str, str]:
    lines = _wrap(base64.b64encode(_pem_body(r, "PRIVATE KEY")).decode(), 64)
    pk = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"
    proj = f"acme-prod-{r.randint(100, 999)}"
    d = {
        "type": "service_account", "project_id": proj, "private_key_id": _hex(r, 40), "private_key": pk,
        "client_email": f"deployer@{proj}.iam.gserviceaccount.com",
        "client_id": str(r.randint(10**20, 10**21)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    secret_text = "\\n".join(lines)
    return _pick(i, [
        json.dumps(d, indent=2),
        f"GOOGLE_CREDENTIALS='{json.dumps(d)}'",
        f"$ cat sa-key.json\n{json.dumps(d, indent=2)}",
        f"credentials = service_account.Credentials.from_service_account_info({json.dumps(d)})",
    ]), secret_text


@secret("url-connection-string", 8)
def _url_conn(r: random.Random, i: int) -> tuple[str, str]:
    pw = _url_pw(r)
    u, host, db = r.choice(USERS), r.choice(HOSTS), r.choice(DBS)
    url = _pick(i, [
        f"postgres://{u}:{pw}@{host}:5432/{db}",
        f"postgresql+psycopg2://{u}:{pw}@{host}/{db}?sslmode=require",
        f"mysql://{u}:{pw}@{host}:3306/{db}",
        f"mongodb+srv://{u}:{pw}@cluster0.{_s(r, LO + DG, 5)}.mongodb.net/{db}?retryWrites=true&w=majority",
        f"redis://:{pw}@{host}:6379/0",
        f"rediss://default:{pw}@{host}:6380",
        f"amqp://{u}:{pw}@rabbitmq:5672/%2F",
        f"mssql+pyodbc://{u}:{pw}@{host}:1433/{db}?driver=ODBC+Driver+18+for+SQL+Server",
    ])
    wrapper = r.choice([
        "DATABASE_URL={}", 'SQLALCHEMY_DATABASE_URI = "{}"', "INFO connecting to {}", 'psql "{}"',
        "celery -A app worker --broker={}", "  url: {}", 'engine = create_engine("{}")',
    ])
    return wrapper.format(url), pw


@secret("adonet-connection-string", 5)
def _adonet(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r)
    u, db = r.choice(USERS), r.choice(DBS)
    cs = _pick(i, [
        f"Server=tcp:acme-sql.database.windows.net,1433;Initial Catalog={db};Persist Security Info=False;"
        f"User ID={u};Password={pw};MultipleActiveResultSets=False;Encrypt=True;",
        f"Data Source=localhost;Initial Catalog={db};User Id=sa;Password={pw};TrustServerCertificate=True",
        f"Host=localhost;Port=5432;Database={db};Username={u};Password={pw}",
        f"server=127.0.0.1;uid=root;pwd={pw};database={db}",
        f"Server=sql01;Database={db};User Id={u};Password={pw};",
    ])
    wrapper = _pick(i // 2, [
        '  "ConnectionStrings": {{\n    "DefaultConnection": "{}"\n  }},',
        '<add name="Default" connectionString="{}" providerName="System.Data.SqlClient" />',
        'var connectionString = "{}";',
        'ConnectionStrings__Default="{}"',
    ])
    return wrapper.format(cs), pw


@secret("jdbc-url-password")
def _jdbc(r: random.Random, i: int) -> tuple[str, str]:
    pw = _mixed(r, AN + "-_.!~*", r.randint(12, 20)) if r.random() < 0.5 else _human(r, "-_.!*~")
    host, db = r.choice(HOSTS), r.choice(DBS)
    return _pick(i, [
        f"spring.datasource.url=jdbc:postgresql://{host}:5432/{db}?user=app&password={pw}&ssl=true",
        f'String url = "jdbc:mysql://{host}:3306/{db}?user=root&password={pw}&useSSL=false";',
        f"jdbc:sqlserver://sql01:1433;databaseName={db};user=sa;password={pw};encrypt=true",
        f"  url: jdbc:oracle:thin:scott/{pw}@//{host}:1521/ORCLPDB1",
    ]), pw


@secret("http-basic-auth", 5)
def _basic(r: random.Random, i: int) -> tuple[str, str]:
    b = base64.b64encode(f"{r.choice(USERS)}:{_pw(r)}".encode()).decode()
    return _pick(i, [
        f"Authorization: Basic {b}",
        f'curl -H "Authorization: Basic {b}" https://nexus.acme.io/service/rest/v1/repositories',
        f'headers = {{"Authorization": "Basic {b}", "Accept": "application/json"}}',
        f"> GET /api/v1/builds HTTP/1.1\n> Host: ci.acme.io\n> Authorization: Basic {b}\n"
        "> User-Agent: curl/8.4.0",
        f"Proxy-Authorization: Basic {b}",
    ]), b


@secret("http-bearer-token", 6)
def _bearer(r: random.Random, i: int) -> tuple[str, str]:
    tok = _pick(i, ["a", "b", "c"])
    tok = {"a": _mixed(r, AN, 40), "b": "ya29." + _mixed(r, URLSAFE, 150), "c": _mixed(r, URLSAFE, 64)}[tok]
    hex40 = _hex(r, 40)
    options = [
        (f"Authorization: Bearer {tok}", tok),
        (f'curl -sS -H "Authorization: Bearer {tok}" https://api.acme.io/v2/me', tok),
        (f"fetch(url, {{ headers: {{ Authorization: `Bearer {tok}` }} }});", tok),
        (f"Authorization: Token {hex40}", hex40),
        (f'req.Header.Set("Authorization", "Bearer {tok}")', tok),
        (f'http GET api.acme.io/v2/me "Authorization:Bearer {tok}"', tok),
    ]
    return options[i % len(options)]


@secret("api-key-header", 6)
def _api_header(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("X-API-Key: {k}", _mixed(r, AN, 32)),
        lambda: ("curl -H 'x-api-key: {k}' https://api.acme.io/v1/reports", _mixed(r, AN, 40)),
        lambda: ('curl "$ENDPOINT/openai/deployments/gpt4/chat/completions" -H "api-key: {k}"', _hex(r, 32)),
        lambda: ("Ocp-Apim-Subscription-Key: {k}", _hex(r, 32)),
        lambda: ("X-Auth-Token: {k}", _mixed(r, URLSAFE, 48)),
        lambda: ('curl -H "X-Vault-Token: {k}" https://vault.acme.io/v1/secret/data/app',
                 "hvs." + _mixed(r, URLSAFE, 24)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("cookie-session", 6)
def _cookie(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("Cookie: sessionid={k}; csrftoken=" + _mixed(r, AN, 32), _s(r, LO + DG, 32)),
        lambda: ("Set-Cookie: session={k}; HttpOnly; Path=/",
                 _b64url(json.dumps({"user_id": r.randint(1, 9999)}).encode()) + "." + _mixed(r, URLSAFE, 6)
                 + "." + _mixed(r, URLSAFE, 27)),
        lambda: ("Set-Cookie: connect.sid={k}; Path=/; Expires=Wed, 05 Jun 2024 10:00:00 GMT; HttpOnly",
                 "s%3A" + _mixed(r, URLSAFE, 32) + "."
                 + urllib.parse.quote(_b64(r, 32).rstrip("="), safe="")),
        lambda: ("Cookie: JSESSIONID={k}", _s(r, "0123456789ABCDEF", 32)),
        lambda: ('curl -b "session_token={k}" https://admin.acme.io/api/users', _mixed(r, AN, 48)),
        lambda: ('document.cookie = "auth_token={k}; path=/; secure";', _mixed(r, AN, 40)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("curl-user-password", 5)
def _curl_u(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.")
    u = r.choice(USERS)
    return _pick(i, [
        f"curl -u {u}:{pw} https://nexus.acme.io/repository/raw/releases/app.tgz -O",
        f'curl --user "{u}:{pw}" -X POST https://jenkins.acme.io/job/deploy/build',
        f"http -a {u}:{pw} GET https://api.acme.io/status",
        f"wget --user={u} --password={pw} https://files.acme.io/backups/latest.tar.gz",
        f"curl -su '{u}:{pw}' https://registry.acme.io/v2/_catalog",
    ]), pw


@secret("git-remote-token", 5)
def _git_remote(r: random.Random, i: int) -> tuple[str, str]:
    u = r.choice(USERS)
    ghp = "ghp_" + _mixed(r, AN, 36)
    glpat = "glpat-" + _mixed(r, URLSAFE, 20)
    ado = _s(r, LO + "234567", 52)
    bb = _mixed(r, AN, 20)
    options = [
        (f"git remote add origin https://{u}:{ghp}@github.com/acme/site.git", ghp),
        (f"git clone https://oauth2:{glpat}@gitlab.com/acme/ml.git", glpat),
        (f"git push https://{u}:{ado}@dev.azure.com/acme/Platform/_git/api HEAD:main", ado),
        (f'[remote "origin"]\n\turl = https://{u}:{bb}@bitbucket.org/acme/app.git\n'
         "\tfetch = +refs/heads/*:refs/remotes/origin/*", bb),
        (f"fatal: unable to access 'https://{u}:{ghp}@github.com/acme/app.git/': "
         "The requested URL returned error: 403", ghp),
    ]
    return options[i % len(options)]


@secret("git-credentials-file")
def _git_creds(r: random.Random, i: int) -> tuple[str, str]:
    u = r.choice(USERS)
    tok = r.choice(["ghp_" + _mixed(r, AN, 36), _pw(r, "-_.~")])
    return _pick(i, [
        f"https://{u}:{tok}@github.com",
        f"$ cat ~/.git-credentials\nhttps://{u}:{tok}@gitlab.acme.io",
        f"git credential approve <<EOF\nprotocol=https\nhost=github.com\nusername={u}\npassword={tok}\nEOF",
        f"protocol=https\nhost=git.acme.io\nusername={u}\npassword={tok}",
    ]), tok


@secret("netrc")
def _netrc(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("machine api.heroku.com\n  login dana@acme.io\n  password {k}", _uuid(r)),
        lambda: ("machine github.com login acmebot password {k}", "ghp_" + _mixed(r, AN, 36)),
        lambda: ("machine artifactory.acme.io\nlogin ci\npassword {k}", _pw(r)),
        lambda: ("$ cat ~/.netrc\nmachine ftp.acme.io login backup password {k}", _human(r)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("docker-config-auth")
def _docker_auth(r: random.Random, i: int) -> tuple[str, str]:
    u = r.choice(USERS)
    secret_part = _pick(i, [_pw(r), "ghp_" + _mixed(r, AN, 36), _pw(r), "dckr_pat_" + _mixed(r, URLSAFE, 27)])
    auth = base64.b64encode(f"{u}:{secret_part}".encode()).decode()
    reg = _pick(i, ["https://index.docker.io/v1/", "ghcr.io", "registry.gitlab.com", "registry.acme.io"])
    options = [
        json.dumps({"auths": {reg: {"auth": auth}}}, indent=2),
        json.dumps({"auths": {reg: {"auth": auth}}, "credsStore": ""}, indent="\t"),
        f"echo '{json.dumps({'auths': {reg: {'auth': auth}}})}' > ~/.docker/config.json",
        json.dumps({reg: {"auth": auth, "email": "ci@acme.io"}}),
    ]
    return options[i % len(options)], auth


@secret("kubeconfig-credential", 5)
def _kubeconfig(r: random.Random, i: int) -> tuple[str, str]:
    if i % 5 == 0:
        tok = _jwt(r, "RS256", {"iss": "kubernetes/serviceaccount",
                                "kubernetes.io/serviceaccount/namespace": "ci",
                                "sub": "system:serviceaccount:ci:deployer"})
        return f"users:\n- name: ci-deployer\n  user:\n    token: {tok}", tok
    if i % 5 == 1:
        block, _ = _pem(r, "RSA PRIVATE KEY")
        data = base64.b64encode(block.encode()).decode()
        crt = base64.b64encode(_cert(r).encode()).decode()
        return (f"users:\n- name: kubernetes-admin\n  user:\n    client-certificate-data: {crt}\n"
                f"    client-key-data: {data}"), data
    if i % 5 == 2:
        tok = _mixed(r, AN, 40)
        return f"kubectl config set-credentials admin --token={tok}", tok
    if i % 5 == 3:
        sec = _mixed(r, AN, 32)
        return (f"    auth-provider:\n      name: oidc\n      config:\n        client-id: kubernetes\n"
                f"        client-secret: {sec}\n        idp-issuer-url: https://sso.acme.io"), sec
    tok = f"{_s(r, LO + DG, 6)}.{_s(r, LO + DG, 16)}"
    return (f"kubeadm join 10.0.0.10:6443 --token {tok} "
            f"--discovery-token-ca-cert-hash sha256:{_hex(r, 64)}"), tok


@secret("k8s-secret-data-base64")
def _k8s_data(r: random.Random, i: int) -> tuple[str, str]:
    key = _pick(i, ["password", "DB_PASSWORD", "api-token", "client-secret"])
    val = _pw(r) if i % 2 == 0 else _mixed(r, AN, 32)
    b = base64.b64encode(val.encode()).decode()
    user = base64.b64encode(r.choice(USERS).encode()).decode()
    return (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-credentials\n  namespace: prod\n"
            f"type: Opaque\ndata:\n  username: {user}\n  {key}: {b}"), b


@secret("k8s-secret-stringdata")
def _k8s_string(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r)
    return _pick(i, [
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  DB_USER: app\n"
        f"  DB_PASSWORD: {pw}",
        f"kubectl create secret generic db-creds --from-literal=username=app --from-literal=password='{pw}'",
        f'stringData:\n  API_TOKEN: "{pw}"',
        f"kubectl create secret docker-registry regcred --docker-server=registry.acme.io "
        f"--docker-username=ci --docker-password={pw}",
    ]), pw


@secret("dotenv", 8)
def _dotenv(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("DB_PASSWORD", _pw(r)),
        lambda: ("SECRET_KEY", _mixed(r, AN + "!@%^*(-_=+)", 50)),
        lambda: ("JWT_SECRET", _mixed(r, AN, 48)),
        lambda: ("SESSION_SECRET", '"' + _human(r) + '"'),
        lambda: ("APP_KEY", "base64:" + _b64(r, 32)),
        lambda: ("REDIS_PASSWORD", _pw(r)),
        lambda: ("SMTP_PASSWORD", "'" + _pw(r) + "'"),
        lambda: ("ENCRYPTION_KEY", _hex(r, 64)),
    ]
    name, raw = options[i % len(options)]()
    val = raw.strip("'\"")
    text = f"APP_NAME=acme\nAPP_ENV=production\nDEBUG=false\n{name}={raw}\nLOG_LEVEL=info"
    return text, val


@secret("shell-export", 5)
def _export(r: random.Random, i: int) -> tuple[str, str]:
    tok = _mixed(r, AN, 40)
    pw = _pw(r)
    options = [
        (f'export API_TOKEN="{tok}"', tok),
        (f"export DB_PASS='{pw}'", pw),
        (f"set -gx AUTH_TOKEN {tok}", tok),
        (f'$env:SERVICE_API_KEY = "{tok}"', tok),
        (f'setx SERVICE_PASSWORD "{pw}"', pw),
    ]
    return options[i % len(options)]


@secret("docker-run-env", 5)
def _docker_env(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.")
    return _pick(i, [
        f"docker run -d -e POSTGRES_PASSWORD={pw} -p 5432:5432 postgres:16",
        f"docker run --name db --env MYSQL_ROOT_PASSWORD='{pw}' -d mysql:8.0",
        f"services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_USER=app\n"
        f"      - POSTGRES_PASSWORD={pw}",
        "  rabbitmq:\n    image: rabbitmq:3-management\n    environment:\n"
        f'      RABBITMQ_DEFAULT_PASS: "{pw}"',
        f"podman run -e MINIO_ROOT_USER=admin -e MINIO_ROOT_PASSWORD={pw} quay.io/minio/minio server /data",
    ]), pw


@secret("github-actions-yaml")
def _gha(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("    steps:\n      - uses: docker/login-action@v3\n        with:\n"
                 "          username: acmebot\n          password: {k}",
                 "dckr_pat_" + _mixed(r, URLSAFE, 27)),
        lambda: ("env:\n  NODE_ENV: production\n  API_TOKEN: {k}\njobs:\n  build:\n"
                 "    runs-on: ubuntu-latest", _mixed(r, AN, 40)),
        lambda: ("      - run: npm publish\n        env:\n          NODE_AUTH_TOKEN: {k}",
                 "npm_" + _mixed(r, AN, 36)),
        lambda: ('      - run: curl -fsS -H "Authorization: Bearer {k}" https://deploy.acme.io/hook',
                 _mixed(r, AN, 40)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("gitlab-ci-yaml")
def _glci(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ('variables:\n  DOCKER_DRIVER: overlay2\n  DEPLOY_PASSWORD: "{k}"', _pw(r)),
        lambda: ("deploy:\n  script:\n    - docker login -u deployer -p {k} registry.acme.io\n"
                 "    - docker push registry.acme.io/acme/api:latest", _pw(r, "!%*?+-_.")),
        lambda: ("trigger:\n  script:\n    - curl --request POST --form token={k} --form ref=main "
                 "https://gitlab.com/api/v4/projects/42/trigger/pipeline", "glptt-" + _hex(r, 40)),
        lambda: ('variables:\n  SONAR_HOST_URL: https://sonar.acme.io\n  SONAR_TOKEN: "{k}"',
                 "squ_" + _hex(r, 40)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("terraform-tfvars", 5)
def _tfvars(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ('region      = "eu-west-1"\ndb_password = "{k}"', _pw(r)),
        lambda: ('admin_password     = "{k}"', _human(r)),
        lambda: ('cloudflare_api_token = "{k}"', _mixed(r, URLSAFE, 40)),
        lambda: ('resource "aws_db_instance" "main" {{\n  engine   = "postgres"\n  username = "app"\n'
                 '  password = "{k}"\n}}', _pw(r)),
        lambda: ('datadog_api_key = "{k}"', _hex(r, 32)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("helm-values")
def _helm(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.")
    return _pick(i, [
        f"postgresql:\n  auth:\n    username: app\n    postgresPassword: {pw}\n    database: app",
        f"helm install pg bitnami/postgresql --set auth.postgresPassword={pw} -n data",
        f'redis:\n  auth:\n    enabled: true\n    password: "{pw}"',
        f"grafana:\n  adminUser: admin\n  adminPassword: {pw}",
    ]), pw


@secret("json-config", 6)
def _json_cfg(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda k: {"database": {"host": r.choice(HOSTS), "port": 5432, "user": "app", "password": k}},
        lambda k: {"service": "geocoder", "apiKey": k, "timeout": 30},
        lambda k: {"oauth": {"client_id": "acme-web", "client_secret": k}},
        lambda k: {"smtp": {"host": "smtp.acme.io", "user": "noreply@acme.io", "pass": k}},
        lambda k: {"auth": {"accessToken": k, "refreshToken": _mixed(r, AN, 40)}},
        lambda k: {"storage": {"bucket": "acme-assets", "secretKey": k}},
    ]
    k = _pw(r) if i % 2 == 0 else _mixed(r, AN, 36)
    return json.dumps(options[i % len(options)](k), indent=2), k


@secret("toml-config")
def _toml(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ('[database]\nhost = "db.internal"\nuser = "app"\npassword = "{k}"', _pw(r)),
        lambda: ('[registry]\ntoken = "{k}"', "cio" + _mixed(r, AN, 32)),
        lambda: ('[http-basic.acme]\nusername = "ci"\npassword = "{k}"', _pw(r)),
        lambda: ('[tool.acme.client]\nendpoint = "https://api.acme.io"\napi_key = "{k}"', _mixed(r, AN, 40)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("ini-config")
def _ini(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.")
    upw = _url_pw(r)
    options = [
        (f"[client]\nuser = root\npassword = {pw}\nhost = 127.0.0.1", pw),
        (f"[smtp]\nhost = smtp.acme.io\nport = 587\nusername = noreply\npassword = {pw}", pw),
        (f"[global]\nindex-url = https://ci:{upw}@pypi.acme.io/simple", upw),
        (f"[mysqldump]\nuser=backup\npassword={pw}", pw),
    ]
    return options[i % len(options)]


@secret("pgpass-file")
def _pgpass(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    return _pick(i, [
        f"db.internal:5432:prod:app:{pw}",
        f"*:*:*:postgres:{pw}",
        f"$ cat ~/.pgpass\nlocalhost:5432:*:app:{pw}",
        f'echo "warehouse.acme.io:5432:analytics:etl:{pw}" >> ~/.pgpass',
    ]), pw


@secret("java-properties")
def _props(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("spring.datasource.username=app\nspring.datasource.password={k}", _pw(r)),
        lambda: ("mail.smtp.host=smtp.acme.io\nmail.smtp.password = {k}", _pw(r)),
        lambda: ("jwt.secret={k}", _mixed(r, AN, 64)),
        lambda: ("server.ssl.key-store-password: {k}", _human(r)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("spring-application-yml")
def _spring(r: random.Random, i: int) -> tuple[str, str]:
    options = [
        lambda: ("spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app\n"
                 "    password: {k}", _pw(r, "!%*?+-_.")),
        lambda: ("spring:\n  security:\n    oauth2:\n      client:\n        registration:\n"
                 "          github:\n            client-id: Iv1.{c}\n"
                 "            client-secret: {k}".replace("{c}", _hex(r, 16)),
                 _hex(r, 40)),
        lambda: ("spring:\n  mail:\n    host: smtp.acme.io\n    username: noreply@acme.io\n    password: {k}",
                 _human(r, "!%*?+-_.")),
        lambda: ("spring:\n  rabbitmq:\n    host: rabbitmq\n    username: app\n    password: '{k}'", _pw(r)),
    ]
    tmpl, k = options[i % len(options)]()
    return tmpl.format(k=k), k


@secret("xml-config", 5)
def _xml(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.")
    k = _mixed(r, AN, 32)
    options = [
        (f"<server>\n  <id>nexus-releases</id>\n  <username>deploy</username>\n  <password>{pw}</password>\n"
         "</server>", pw),
        (f'<appSettings>\n  <add key="ApiKey" value="{k}" />\n</appSettings>', k),
        (f'<property name="password" value="{pw}"/>', pw),
        (f'<packageSourceCredentials>\n  <acme>\n    <add key="Username" value="ci" />\n'
         f'    <add key="ClearTextPassword" value="{pw}" />\n  </acme>\n</packageSourceCredentials>', pw),
        (f"<datasource>\n  <user-name>app</user-name>\n  <password>{pw}</password>\n</datasource>", pw),
    ]
    return options[i % len(options)]


@secret("python-source", 6)
def _py(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    dj = "django-insecure-" + _s(r, LO + DG + "!@#$%^&*(-_=+)", 50)
    options = [
        (f'API_KEY = "{k}"', k),
        (f"SECRET_KEY = '{dj}'", dj),
        (f'conn = psycopg2.connect(host="db", dbname="app", user="app", password="{pw}")', pw),
        (f'resp = requests.get(url, auth=("{r.choice(USERS)}", "{pw}"), timeout=10)', pw),
        (f'        self.token = "{k}"', k),
        (f'cache = redis.Redis(host="cache", port=6379, password="{pw}")', pw),
    ]
    return options[i % len(options)]


@secret("javascript-source", 5)
def _js(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    options = [
        (f"const token = '{k}';", k),
        (f'export default {{\n  baseUrl: "https://api.acme.io",\n  apiKey: "{k}",\n}};', k),
        (f'const API_KEY = process.env.API_KEY || "{k}";', k),
        (f'let password = "{pw}";', pw),
        (f'axios.defaults.headers.common["X-Api-Key"] = "{k}";', k),
    ]
    return options[i % len(options)]


@secret("go-source")
def _go(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    options = [
        (f'const apiKey = "{k}"', k),
        (f'\tpassword := "{pw}"', pw),
        (f'\tcfg := Config{{\n\t\tEndpoint: "https://api.acme.io",\n\t\tToken:    "{k}",\n\t}}', k),
        (f'os.Setenv("API_TOKEN", "{k}")', k),
    ]
    return options[i % len(options)]


@secret("ruby-source")
def _rb(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    h = _hex(r, 128)
    options = [
        (f'  config.api_key = "{k}"', k),
        (f'ENV["SECRET_TOKEN"] ||= "{k}"', k),
        (f'db = Sequel.connect(adapter: "postgres", host: "db", user: "app", password: "{pw}")', pw),
        (f'Rails.application.config.secret_key_base = "{h}"', h),
    ]
    return options[i % len(options)]


@secret("java-source")
def _java(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    options = [
        (f'    private static final String API_KEY = "{k}";', k),
        (f'        String password = "{pw}";', pw),
        (f'        dataSource.setPassword("{pw}");', pw),
        (f'Connection c = DriverManager.getConnection(url, "app", "{pw}");', pw),
    ]
    return options[i % len(options)]


@secret("csharp-source")
def _cs(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    options = [
        (f'var cred = new NetworkCredential("{r.choice(USERS)}", "{pw}");', pw),
        (f'client.DefaultRequestHeaders.Add("X-Api-Key", "{k}");', k),
        (f'    options.ClientSecret = "{k}";', k),
        (f'smtp.Credentials = new NetworkCredential("noreply@acme.io", "{pw}", "ACME");', pw),
    ]
    return options[i % len(options)]


@secret("env-set-in-code")
def _env_code(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    options = [
        (f'os.environ["OPENAI_API_KEY"] = "{k}"', k),
        (f'os.environ.setdefault("DB_PASSWORD", "{pw}")', pw),
        (f'process.env.AUTH_TOKEN = "{k}";', k),
        (f"ENV['PAYMENTS_API_KEY'] = '{k}'", k),
    ]
    return options[i % len(options)]


@secret("log-config-dump", 5)
def _log_cfg(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    upw = _url_pw(r)
    k = _mixed(r, AN, 40)
    options = [
        (f"2024-05-07 10:12:33,812 INFO config loaded: {{'host': 'db.internal', 'port': 5432, "
         f"'user': 'app', 'password': '{pw}'}}", pw),
        ('{"level":"debug","ts":"2024-05-07T10:12:33Z","msg":"loaded config",'
         f'"api_key":"{k}","region":"eu"}}', k),
        (f"DEBUG settings = Settings(database_url='postgresql://app:{upw}@db/app', debug=False)", upw),
        (f'time="2024-05-07T10:12:33Z" level=info msg="starting worker" queue=default token={k}', k),
        (f"Namespace(host='0.0.0.0', port=8080, secret='{k}', verbose=True)", k),
    ]
    return options[i % len(options)]


@secret("stack-trace-with-secret")
def _trace(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    k = _mixed(r, AN, 40)
    options = [
        ('Traceback (most recent call last):\n  File "/app/db.py", line 14, in connect\n'
         "    return psycopg2.connect(dsn)\n"
         f'psycopg2.OperationalError: could not connect using dsn "host=db.internal port=5432 user=app '
         f'password={pw} dbname=prod"', pw),
        (f"E       AssertionError: assert {{'api_key': '{k}', 'ok': False}} == {{'ok': True}}", k),
        ("Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] "
         f"(node:net:1555:16) {{\n  config: {{ user: 'app', password: '{pw}', host: 'db' }}\n}}", pw),
        ("Caused by: org.springframework.boot.context.properties.bind.BindException: Failed to bind "
         f"properties under 'app.client' with token={k}", k),
    ]
    return options[i % len(options)]


@secret("chat-pasted-secret", 6)
def _chat(r: random.Random, i: int) -> tuple[str, str]:
    human = _human(r)
    k = _mixed(r, AN, 40)
    ghp = "ghp_" + _mixed(r, AN, 36)
    aws = _mixed(r, B64, 40)
    options = [
        (f"my password is {human} - can you log in to the staging admin and check the orders page?", human),
        (f"the api key is {k} (the one from the dashboard), put it in the config", k),
        (f"try again with token {ghp}", ghp),
        (f"ok here is the secret access key: {aws} and the region is eu-west-1", aws),
        (f"password for the db: {human}", human),
        (f"use this key: {k}", k),
    ]
    return options[i % len(options)]


@secret("password-cli-flag", 10)
def _cli_pw(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    options = [
        f"mysql -u root -p'{pw}' shop",
        f"mysqldump --user=backup --password={pw} --all-databases > all.sql",
        f"PGPASSWORD={pw} psql -h db.internal -U app -d prod",
        f"MYSQL_PWD='{pw}' mysql -h 127.0.0.1 -u root",
        f"docker login -u acmebot -p {pw} registry.acme.io",
        f"sshpass -p '{pw}' ssh deploy@10.0.4.2",
        f"redis-cli -h cache -a {pw} ping",
        f'mongosh "mongodb://db:27017/app" --username app --password {pw}',
        f"java -jar app.jar --spring.datasource.password={pw}",
        f'./deploy.sh --env prod --db-password "{pw}"',
    ]
    return options[i % len(options)], pw


@secret("password-assignment", 10)
def _pw_assign(r: random.Random, i: int) -> tuple[str, str]:
    pw = _human(r, "!%*?+-_.@")
    options = [
        f"password: {pw}",
        f"passwd={pw}",
        f'pwd = "{pw}"',
        f"admin_pass: '{pw}'",
        f'  "Password": "{pw}",',
        f"PASSWORD='{pw}'",
        f"user_password = {pw}",
        f'db_pass="{pw}"',
        f'root_password: "{pw}"',
        f"smtp_pass={pw}",
    ]
    return options[i % len(options)], pw


@secret("ansible-inventory")
def _ansible(r: random.Random, i: int) -> tuple[str, str]:
    pw = _pw(r, "!%*?+-_.@")
    return _pick(i, [
        f"[web]\nweb1 ansible_host=10.0.0.5 ansible_user=deploy ansible_password={pw}",
        f'ansible_become_pass: "{pw}"',
        f"all:\n  vars:\n    ansible_user: ubuntu\n    ansible_ssh_pass: {pw}",
        f"ansible-playbook site.yml -e 'ansible_become_password={pw}'",
    ]), pw


@secret("proxy-url-credentials")
def _proxy(r: random.Random, i: int) -> tuple[str, str]:
    pw = _url_pw(r)
    u = r.choice(USERS)
    return _pick(i, [
        f"HTTPS_PROXY=http://{u}:{pw}@proxy.acme.io:3128",
        f"pip install --proxy http://{u}:{pw}@10.1.0.1:8080 -r requirements.txt",
        f'Acquire::http::Proxy "http://{u}:{pw}@proxy.acme.lan:3128/";',
        f"git config --global http.proxy http://{u}:{pw}@proxy.acme.io:8080",
    ]), pw


@secret("wireguard-private-key")
def _wg(r: random.Random, i: int) -> tuple[str, str]:
    k = _b64(r, 32)
    pub = _b64(r, 32)
    return _pick(i, [
        f"[Interface]\nPrivateKey = {k}\nAddress = 10.8.0.2/24\nDNS = 1.1.1.1\n\n[Peer]\nPublicKey = {pub}\n"
        "Endpoint = vpn.acme.io:51820\nAllowedIPs = 0.0.0.0/0",
        f"$ wg genkey | tee privatekey\n{k}",
        f"wireguard:\n  private_key: {k}\n  peer_public_key: {pub}",
        f'wg set wg0 private-key <(echo "{k}") peer {pub} endpoint vpn.acme.io:51820',
    ]), k


@secret("age-secret-key")
def _age(r: random.Random, i: int) -> tuple[str, str]:
    k = "AGE-SECRET-KEY-1" + _s(r, BECH32, 58).upper()
    pub = "age1" + _s(r, BECH32, 58)
    return _pick(i, [
        f"# created: 2024-05-07T10:12:33+02:00\n# public key: {pub}\n{k}",
        f"SOPS_AGE_KEY={k}",
        f"export SOPS_AGE_KEY='{k}'",
        f"      - name: decrypt\n        env:\n          SOPS_AGE_KEY: {k}",
    ]), k


# ================================================================ benign shapes


@benign("git-sha")
def _b_git(r: random.Random, i: int) -> str:
    a, b = _hex(r, 40), _hex(r, 40)
    return _pick(i, [
        f"commit {a}\nAuthor: {r.choice(NAMES)} <dev@acme.io>\nDate:   Tue May 7 10:12:33 2024 +0200\n\n"
        "    Fix token refresh race",
        f"HEAD is now at {a[:7]} Bump pyyaml from 6.0.1 to 6.0.2",
        f"   {a[:7]}..{b[:7]}  main -> main",
        f"git cherry-pick {a}",
        f"[main {a[:7]}] Rotate signing key loader",
        f"Merge: {a[:7]} {b[:7]}",
        f"{a}\trefs/heads/main",
        f"      - uses: actions/checkout@{a} # v4.1.1",
    ])


@benign("sha256-digest")
def _b_sha(r: random.Random, i: int) -> str:
    h = hashlib.sha256(r.randbytes(16)).hexdigest()
    return _pick(i, [
        f"Digest: sha256:{h}",
        f"{h}  dist/acme-1.{r.randint(0, 9)}.2.tar.gz",
        f'  "sha256": "{h}",',
        f"image: ghcr.io/acme/api@sha256:{h}",
        f"SHA256 (acme-cli-darwin-arm64.zip) = {h}",
        f"        checksum/config: {h}",
        f'ETag: "{hashlib.md5(r.randbytes(8)).hexdigest()}"',
        f"Successfully built {h[:12]}",
    ])


@benign("uuid")
def _b_uuid(r: random.Random, i: int) -> str:
    u = _uuid(r)
    return _pick(i, [
        f"request_id={u}",
        f"Created workspace '{u}'",
        f'  "id": "{u}",',
        f"DELETE /api/v1/projects/{u} 204",
        f"Session {u} resumed",
        f"correlationId: {u}",
        f'<ProjectGuid>{{{u.upper()}}}</ProjectGuid>',
        f"subscription_id = \"{u}\"",
    ])


@benign("npm-integrity")
def _b_integrity(r: random.Random, i: int) -> str:
    s512 = "sha512-" + _b64(r, 64)
    name = r.choice(["lodash", "react-dom", "esbuild", "typescript", "@babel/core", "zod"])
    ver = f"{r.randint(1, 18)}.{r.randint(0, 30)}.{r.randint(0, 20)}"
    return _pick(i, [
        f'      "resolved": "https://registry.npmjs.org/{name}/-/{name.split("/")[-1]}-{ver}.tgz",\n'
        f'      "integrity": "{s512}",',
        f'  integrity {s512}',
        f"    resolution: {{integrity: {s512}}}",
        f'      "integrity": "sha1-{_b64(r, 20)}",',
        f'"node_modules/{name}": {{\n  "version": "{ver}",\n  "integrity": "{s512}"\n}}',
        f"  resolved \"https://registry.yarnpkg.com/{name}/-/{name.split('/')[-1]}-{ver}.tgz#{_hex(r, 40)}\"",
        f'integrity="{s512}"',
        f"npm http fetch GET 200 https://registry.npmjs.org/{name} 112ms (cache revalidated) {s512[:30]}",
    ])


TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "# Acme API\n\nThis service exposes the order history endpoints.\n",
    "Hello, world! Deploy finished at 10:42.",
    "name: acme-web\nversion: 1.4.2\ndescription: storefront\n",
    "Meeting notes: migrate the billing worker to Python 3.12 next sprint.",
    "print('hello from the build container')\n",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
    "{\"status\": \"ok\", \"items\": 42}",
]


@benign("base64-ordinary-text")
def _b_b64text(r: random.Random, i: int) -> str:
    b = base64.b64encode(TEXTS[i % len(TEXTS)].encode()).decode()
    return _pick(i // len(TEXTS) + i, [
        f"echo {b} | base64 -d",
        f'  "content": "{b}",\n  "encoding": "base64"',
        f"data:text/plain;base64,{b}",
        f"decoded payload from {b}",
        f"README.md content: {b}",
        f"binaryData:\n  notes.txt: {b}",
        f"'{b}'",
        f"message body (base64): {b}",
    ])


@benign("ssh-public-key")
def _b_sshpub(r: random.Random, i: int) -> str:
    k = _ssh_pub(r)
    who = f"{r.choice(USERS)}@{r.choice(['laptop', 'build-01', 'bastion'])}"
    fp = base64.b64encode(r.randbytes(32)).decode().rstrip("=")
    return _pick(i, [
        f"{k} {who}",
        f"github.com {k}",
        f"ssh_authorized_keys:\n  - {k} {who}",
        f'{{"title": "deploy key", "key": "{k}", "read_only": true}}',
        "Your public key has been saved in /home/dev/.ssh/id_ed25519.pub\nThe key fingerprint is:\n"
        f"SHA256:{fp} {who}",
        f'command="/usr/bin/backup",no-pty {k} backup@nas',
        f"$ cat ~/.ssh/id_ed25519.pub\n{k} {who}",
        f"256 SHA256:{fp} {who} (ED25519)",
    ])


def _cert(r: random.Random) -> str:
    der = b"\x30\x82\x03\x5a\x30\x82\x02\x42\xa0\x03\x02\x01\x02" + r.randbytes(840)
    body = base64.b64encode(der).decode()
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(_wrap(body, 64)) + "\n-----END CERTIFICATE-----"


@benign("certificate")
def _b_cert(r: random.Random, i: int) -> str:
    c = _cert(r)
    return _pick(i, [
        c,
        f"$ cat /etc/ssl/certs/acme-ca.pem\n{c}",
        f"clusters:\n- cluster:\n    certificate-authority-data: {base64.b64encode(c.encode()).decode()}\n"
        "    server: https://10.0.0.10:6443\n  name: prod",
        "ca.crt: |\n  " + c.replace("\n", "\n  "),
        f"{c}\n{_cert(r)}",
        f'  "ca": "{c.replace(chr(10), chr(92) + "n")}",',
        f"ssl_certificate /etc/nginx/certs/acme.io.crt;\n# issuer chain:\n{c}",
        f"Certificate:\n{c}",
    ])


@benign("public-key")
def _b_pub(r: random.Random, i: int) -> str:
    spki = base64.b64encode(
        b"\x30\x82\x01\x22\x30\x0d\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01\x05\x00\x03\x82\x01\x0f\x00"
        + r.randbytes(270)).decode()
    pem = "-----BEGIN PUBLIC KEY-----\n" + "\n".join(_wrap(spki, 64)) + "\n-----END PUBLIC KEY-----"
    pgp_body = "\n".join(_wrap(base64.b64encode(b"\x99\x01\x0d\x04" + r.randbytes(400)).decode(), 64))
    pgp = (f"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{pgp_body}\n={_b64(r, 3)}\n"
           "-----END PGP PUBLIC KEY BLOCK-----")
    rsa_der = b"\x30\x82\x01\x0a\x02\x82\x01\x01\x00" + r.randbytes(266)
    rsa = ("-----BEGIN RSA PUBLIC KEY-----\n"
           + "\n".join(_wrap(base64.b64encode(rsa_der).decode(), 64))
           + "\n-----END RSA PUBLIC KEY-----")
    return _pick(i, [
        pem,
        pgp,
        rsa,
        f"JWT_PUBLIC_KEY_PATH=keys/jwt.pub\n$ cat keys/jwt.pub\n{pem}",
        f"$ gpg --armor --export dana@acme.io\n{pgp}",
        f'  "public_key": "{pem.replace(chr(10), chr(92) + "n")}"',
        f"jwks verification key:\n{rsa}",
        "publicKey: |\n  " + pem.replace("\n", "\n  "),
    ])


@benign("placeholder", 16)
def _b_placeholder(r: random.Random, i: int) -> str:
    return _pick(i, [
        "API_KEY=<your-api-key>",
        "OPENAI_API_KEY=sk-...",
        "password: changeme",
        "TOKEN=xxxxxxxxxxxxxxxx",
        "DB_PASSWORD=********",
        "GITHUB_TOKEN=${GITHUB_TOKEN}",
        'api_key: "YOUR_API_KEY_HERE"',
        "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX",
        'STRIPE_SECRET_KEY="sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"',
        "export HF_TOKEN=hf_xxx",
        '"token": "<token>"',
        "SLACK_BOT_TOKEN=xoxb-your-token",
        "password = REPLACE_ME",
        "postgres://user:password@localhost:5432/mydb",
        "curl -H 'Authorization: Bearer <ACCESS_TOKEN>' https://api.example.com/v1/me",
        "client_secret: your-client-secret-here",
    ])


@benign("secret-ish-identifier", 16)
def _b_ident(r: random.Random, i: int) -> str:
    n = r.randint(2, 72)
    return _pick(i, [
        f"password_reset_token_expiry = timedelta(hours={n})",
        "token = self.getToken()",
        "token_type: bearer",
        f'  "max_tokens": {n * 64},',
        "def validate_password_strength(candidate: str) -> bool:",
        "class OAuthTokenRefreshScheduler(BaseScheduler):",
        'api_key_env = "OPENAI_API_KEY"',
        f"secret_rotation_interval_days: {n}",
        f"MAX_PASSWORD_ATTEMPTS = {n % 10 + 3}",
        "private_key_path: /etc/acme/keys/signing.pem",
        "author: Dana Lee",
        "num_tokens = len(tokenizer.encode(prompt))",
        "--- token budget: 12000 used of 200000",
        "has_secret = bool(config.get(\"secret_name\"))",
        "passwordless: true",
        "authorization_endpoint: https://sso.acme.io/oauth2/authorize",
    ])


@benign("env-reference", 16)
def _b_envref(r: random.Random, i: int) -> str:
    return _pick(i, [
        "password: $DB_PASSWORD",
        'token = os.environ["TOKEN"]',
        'api_key = os.getenv("OPENAI_API_KEY")',
        "const key = process.env.STRIPE_SECRET_KEY;",
        'docker run -e POSTGRES_PASSWORD="$POSTGRES_PASSWORD" postgres:16',
        'PGPASSWORD="$PGPASS" psql -h db -U app',
        'curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user',
        "export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:?missing}",
        'secret = ENV.fetch("SECRET_KEY_BASE")',
        'String password = System.getenv("DB_PASSWORD");',
        "$env:API_KEY = $env:PROD_API_KEY",
        'token := os.Getenv("API_TOKEN")',
        "mysql -u root -p\"$MYSQL_ROOT_PASSWORD\" shop",
        "--password-stdin < \"$REGISTRY_PASSWORD_FILE\"",
        'DATABASE_URL="postgres://app:${DB_PASSWORD}@db:5432/app"',
        "redis-cli -a \"$REDIS_PASSWORD\" ping",
    ])


@benign("template-reference", 16)
def _b_template(r: random.Random, i: int) -> str:
    return _pick(i, [
        "          password: ${{ secrets.DOCKERHUB_TOKEN }}",
        "          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}",
        "  password = var.db_password",
        'ansible_become_pass: "{{ vault_become_password }}"',
        "  token: {{ .Values.apiToken | quote }}",
        "secret_key: !env_var SECRET_KEY",
        'api_key = "${API_KEY}"',
        "  password: <%= ENV['DB_PASSWORD'] %>",
        "spring.datasource.password=${DB_PASSWORD}",
        "    DEPLOY_TOKEN: $CI_JOB_TOKEN",
        '  admin_password = data.aws_secretsmanager_secret_version.admin.secret_string',
        "password: ref+vault://secret/data/prod/db#/password",
        "client_secret: '{{ lookup(\"env\", \"CLIENT_SECRET\") }}'",
        "  apiKey: process.env.NEXT_PUBLIC_MAPS_KEY,",
        "token: ${TOKEN:-}",
        "password: %(db_password)s",
    ])


@benign("file-path", 10)
def _b_path(r: random.Random, i: int) -> str:
    u = r.choice(["dana", "sam", "priya", "dev"])
    return _pick(i, [
        f"/home/{u}/.ssh/id_ed25519",
        "~/.aws/credentials",
        "src/main/java/com/acme/auth/TokenRefreshService.java",
        "/var/run/secrets/kubernetes.io/serviceaccount/token",
        f"C:\\Users\\{u}\\AppData\\Roaming\\npm\\node_modules\\@acme\\cli\\bin\\run.js",
        "node_modules/.pnpm/@babel+core@7.24.0/node_modules/@babel/core/lib/index.js",
        ".git/refs/heads/feature/password-reset-flow",
        "ssl_certificate_key /etc/ssl/private/acme.io.key;",
        f"modified:   services/auth/secrets_manager_{r.randint(1, 9)}.py",
        "/opt/homebrew/Cellar/openssl@3/3.3.0/lib/libcrypto.3.dylib",
    ])


@benign("url-without-credentials", 12)
def _b_url(r: random.Random, i: int) -> str:
    return _pick(i, [
        f"https://github.com/acme/platform/pull/{r.randint(100, 9999)}",
        "https://docs.python.org/3/library/secrets.html",
        "DATABASE_URL=postgres://db.internal:5432/app",
        "https://registry.npmjs.org/@acme%2fui/-/ui-2.3.1.tgz",
        "https://acme.io/account/reset-password?step=confirm&lang=en",
        f"https://docs.google.com/spreadsheets/d/{_mixed(r, URLSAFE, 44)}/edit#gid=0",
        f"https://www.youtube.com/watch?v={_mixed(r, URLSAFE, 11)}",
        "git@github.com:acme/api.git",
        "https://storage.googleapis.com/acme-public/releases/v1.2.0/app.tar.gz",
        "redis://cache:6379/0",
        f"https://drive.google.com/file/d/{_mixed(r, URLSAFE, 33)}/view?usp=sharing",
        "https://api.github.com/repos/acme/api/actions/runs?per_page=50&page=2",
    ])


CAMEL = ["Abstract", "Singleton", "Proxy", "Factory", "Bean", "Annotation", "Config", "Dispatcher", "Servlet",
         "Initializer", "Request", "Mapping", "Handler", "Adapter", "Token", "Authentication", "Provider",
         "Manager", "Resolver", "Transaction", "Aware", "Internal", "Default", "Reactive", "Composite",
         "Delegating", "Security", "Context", "Holder", "Strategy", "Password", "Encoder", "Credentials",
         "Secret", "Key", "Store", "Http2", "Base64", "Utf8", "V2", "Oauth2", "Jwt", "Session", "Registry"]


@benign("camelcase-identifier")
def _b_camel(r: random.Random, i: int) -> str:
    name = "".join(r.sample(CAMEL, r.randint(5, 8)))
    other = "".join(r.sample(CAMEL, 4))
    return _pick(i, [
        f"class {name}({other}):",
        f"import com.acme.security.{name};",
        f"\tat com.acme.security.{name}.resolve({name}.java:{r.randint(20, 900)})",
        f"public final class {name} implements {other} {{",
        f"No qualifying bean of type 'com.acme.{name}' available",
        f"export class {name} extends {other} {{}}",
        f"type {name} struct {{",
        f"  {name}Test > handlesExpiredInput() PASSED",
    ])


def _image(r: random.Random, i: int) -> tuple[str, str]:
    k = i % 4
    if k == 0:
        return "image/png", base64.b64encode(_png(r)).decode()
    if k == 1:
        data = b"GIF89a" + struct.pack("<HH", 8, 8) + b"\xf0\x00\x00" + r.randbytes(60) + b"\x3b"
        return "image/gif", base64.b64encode(data).decode()
    if k == 2:
        data = (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
                + r.randbytes(300) + b"\xff\xd9")
        return "image/jpeg", base64.b64encode(data).decode()
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" '
           f'r="{r.randint(2, 7)}" fill="#{_hex(r, 6)}"/></svg>')
    return "image/svg+xml", base64.b64encode(svg.encode()).decode()


@benign("data-uri-image")
def _b_datauri(r: random.Random, i: int) -> str:
    mime, data = _image(r, i)
    uri = f"data:{mime};base64,{data}"
    return _pick(i // 4 + i, [
        f'<img alt="logo" src="{uri}">',
        f'  background-image: url("{uri}");',
        f"![badge]({uri})",
        f'  "icon": "{uri}",',
        f"<link rel=\"icon\" href=\"{uri}\">",
        f"const PLACEHOLDER = '{uri}';",
        f"favicon: {uri}",
        f"--thumb: url({uri});",
    ])


GO_MODS = ["github.com/stretchr/testify", "golang.org/x/crypto", "github.com/spf13/cobra",
           "google.golang.org/grpc", "github.com/golang-jwt/jwt/v5", "go.uber.org/zap",
           "github.com/aws/aws-sdk-go-v2", "golang.org/x/oauth2"]


@benign("go-sum")
def _b_gosum(r: random.Random, i: int) -> str:
    mod = GO_MODS[i % len(GO_MODS)]
    ver = f"v{r.randint(0, 2)}.{r.randint(0, 40)}.{r.randint(0, 12)}"

    def h1() -> str:
        return "h1:" + base64.b64encode(hashlib.sha256(r.randbytes(16)).digest()).decode()

    return _pick(i, [
        f"{mod} {ver} {h1()}\n{mod} {ver}/go.mod {h1()}",
        f"{mod} {ver}/go.mod {h1()}",
        f"verifying {mod}@{ver}: checksum mismatch\n\tdownloaded: {h1()}\n\tgo.sum:     {h1()}",
        f"{mod} {ver} {h1()}",
    ])


@benign("code-reference", 16)
def _b_code(r: random.Random, i: int) -> str:
    return _pick(i, [
        "token = get_token()",
        "conn = connect(host=host, user=user, password=password)",
        "api_key: Optional[str] = None",
        "const { token } = useAuth();",
        "auth = HTTPBasicAuth(username, password)",
        'if (!apiKey) throw new Error("missing API key");',
        'password = getpass.getpass("DB password: ")',
        'headers["Authorization"] = f"Bearer {token}"',
        "func (c *Client) SetToken(token string) { c.token = token }",
        "self.secret_key = settings.SECRET_KEY",
        "password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
        "return jwt.encode(claims, signing_key, algorithm=\"HS256\")",
        "private readonly string _apiKey;",
        "let creds = Credentials::from_env()?;",
        "client = boto3.client(\"s3\", aws_access_key_id=key_id, aws_secret_access_key=secret)",
        "`${protocol}://${user}:${password}@${host}:${port}/${db}`",
    ])


@benign("test-output")
def _b_test(r: random.Random, i: int) -> str:
    t = f"{r.randint(0, 9)}.{r.randint(0, 99):02d}"
    return _pick(i, [
        f"--- PASS: TestTokenRefresh ({t}s)",
        f"tests/test_auth.py::test_password_hash_roundtrip PASSED   [ {r.randint(1, 99)}%]",
        f"ok  \tgithub.com/acme/auth/token\t0.0{r.randint(10, 99)}s",
        f"  ✓ rejects expired API keys ({r.randint(1, 40)} ms)",
        "[ RUN      ] SecretStoreTest.RotatesKeys",
        f"test result: ok. {r.randint(3, 80)} passed; 0 failed; 0 ignored; 0 measured",
        "FAILED tests/test_secrets.py::test_redact_bearer - AssertionError: expected mark",
        "    PasswordValidatorSpec > rejects short passwords PASSED",
    ])


@benign("prose-about-secrets")
def _b_prose(r: random.Random, i: int) -> str:
    return _pick(i, [
        f"Rotate the API key every {r.choice([30, 60, 90])} days and keep it in the vault, not the repo.",
        f"The password must be at least {r.randint(10, 16)} characters long and include a digit.",
        "Pass the bearer token in the Authorization header; the server answers 401 otherwise.",
        "I moved the secret out of config.yaml into AWS Secrets Manager.",
        "Set OPENAI_API_KEY in your shell before running the integration tests.",
        "The token expired, so I ran `gh auth refresh` and retried the push.",
        "Private keys live in ~/.ssh and must be chmod 600.",
        "Use `kubectl create secret generic` rather than committing the manifest.",
    ])


@benign("hash-pin")
def _b_pin(r: random.Random, i: int) -> str:
    h = hashlib.sha256(r.randbytes(16)).hexdigest()
    return _pick(i, [
        f"requests==2.31.0 \\\n    --hash=sha256:{h}",
        f'    {{file = "idna-3.7-py3-none-any.whl", hash = "sha256:{h}"}},',
        f'checksum = "{h}"',
        f'sdist = {{ url = "https://files.pythonhosted.org/packages/source/a/attrs/attrs-23.2.0.tar.gz", '
        f'hash = "sha256:{h}", size = {r.randint(1000, 900000)} }}',
        f'                "sha256:{h}",',
        f'    sha256 = "{h}",',
        f'RUN echo "{h}  /tmp/tool.tgz" | sha256sum -c -',
        f'<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.min.js" '
        f'integrity="sha384-{_b64(r, 48)}" crossorigin="anonymous"></script>',
    ])


@benign("request-trace-id")
def _b_trace(r: random.Random, i: int) -> str:
    return _pick(i, [
        f"x-request-id: {_uuid(r)}",
        f"traceparent: 00-{_hex(r, 32)}-{_hex(r, 16)}-01",
        f"x-amz-request-id: {_s(r, '0123456789ABCDEF', 16)}",
        f"x-amz-id-2: {_b64(r, 57)}",
        f"cf-ray: {_hex(r, 16)}-FRA",
        f'{{"trace_id": "{_hex(r, 32)}", "span_id": "{_hex(r, 16)}", "msg": "request done"}}',
        f"X-GitHub-Request-Id: {_s(r, '0123456789ABCDEF', 4)}:{_s(r, '0123456789ABCDEF', 5)}:"
        f"{_s(r, '0123456789ABCDEF', 7)}:{_s(r, '0123456789ABCDEF', 7)}:{_s(r, '0123456789ABCDEF', 8)}",
        f"x-ms-request-id: {_uuid(r)}",
    ])


@benign("empty-value")
def _b_empty(r: random.Random, i: int) -> str:
    return _pick(i, [
        "DB_PASSWORD=",
        'API_KEY=""',
        "token: null",
        "password: ~",
        "SECRET_KEY=  # set in CI",
        '  "password": "",',
        "SMTP_PASSWORD=\nSMTP_HOST=smtp.acme.io",
        "<password></password>",
    ])


@benign("k8s-secret-reference", 6)
def _b_k8sref(r: random.Random, i: int) -> str:
    return _pick(i, [
        "        env:\n          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:\n"
        "                name: db-credentials\n                key: password",
        "        envFrom:\n          - secretRef:\n              name: app-secrets",
        "      volumes:\n        - name: tls\n          secret:\n            secretName: api-tls",
        "spec:\n  data:\n    - secretKey: password\n      remoteRef:\n        key: prod/db\n"
        "        property: password",
        "      imagePullSecrets:\n        - name: regcred",
        "kubectl get secret db-creds -o jsonpath='{.data.password}' | base64 -d",
    ])


@benign("ordinary-log-line")
def _b_log(r: random.Random, i: int) -> str:
    pod = f"api-{_s(r, 'bcdfghjklmnpqrstvwxz2456789', 10)}-{_s(r, 'bcdfghjklmnpqrstvwxz2456789', 5)}"
    return _pick(i, [
        f"2024-05-07T10:12:33.812Z INFO  server listening on 0.0.0.0:8080 (pid {r.randint(100, 99999)})",
        "Collecting numpy==1.26.4\n"
        "  Downloading numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl (18.3 MB)",
        "npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
        f"Step {r.randint(2, 9)}/12 : RUN pip install --no-cache-dir -r requirements.txt",
        f"   Compiling serde_json v1.0.{r.randint(100, 120)}",
        "[INFO] BUILD SUCCESS",
        f"{pod}   1/1     Running   0          {r.randint(1, 59)}m{r.randint(1, 59)}s",
        "Python 3.11.7 (main, Dec  8 2023, 18:56:58) [GCC 11.4.0] on linux",
    ])


@benign("cloud-identifier")
def _b_cloud(r: random.Random, i: int) -> str:
    acct = str(r.randint(10**11, 10**12 - 1))
    return _pick(i, [
        f"arn:aws:iam::{acct}:role/github-actions-deploy",
        f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:prod/db/password-{_s(r, AN, 6)}",
        f"/subscriptions/{_uuid(r)}/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/acmeprod",
        f"projects/acme-prod-{r.randint(100, 999)}/serviceAccounts/"
        "deployer@acme-prod.iam.gserviceaccount.com",
        f"s3://acme-artifacts-prod/releases/2024/05/app-{r.randint(1, 99)}.tar.gz",
        f"Launched instance i-{_hex(r, 17)} in subnet subnet-{_hex(r, 17)} (sg-{_hex(r, 17)})",
        f'  "client_id": "{r.randint(10**11, 10**12 - 1)}-{_s(r, LO + DG, 32)}.apps.googleusercontent.com",',
        f"AWS_ACCOUNT_ID={acct}\nAWS_REGION=eu-central-1",
    ])


# ================================================================ assembly


def cases(seed: int = 0) -> list[dict]:
    """All cases, deterministic for a seed. Splits alternate tune/heldout within each shape."""
    r = random.Random(seed)
    out: list[dict] = []
    for shape, n, gen in SECRET_SHAPES:
        for i in range(n):
            text, sec = gen(r, i)
            assert sec and sec in text, (shape, i)
            assert text.count(sec) == 1, (shape, i, sec)
            out.append({"kind": "secret", "shape": shape, "text": text, "secret": sec,
                        "split": "tune" if i % 2 == 0 else "heldout"})
    for shape, n, bgen in BENIGN_SHAPES:
        for i in range(n):
            text = bgen(r, i)
            assert text, (shape, i)
            out.append({"kind": "benign", "shape": shape, "text": text,
                        "split": "tune" if i % 2 == 0 else "heldout"})
    return out


def main() -> None:
    all_cases = cases()
    per: Counter[tuple[str, str, str]] = Counter((c["kind"], c["shape"], c["split"]) for c in all_cases)
    shapes = sorted({(c["kind"], c["shape"]) for c in all_cases})
    for kind, shape in shapes:
        tune, held = per[(kind, shape, "tune")], per[(kind, shape, "heldout")]
        print(f"{kind:7} {shape:32} tune={tune:3} heldout={held:3}")
    totals = Counter((c["kind"], c["split"]) for c in all_cases)
    for kind in ("secret", "benign"):
        n_shapes = sum(1 for k, _ in shapes if k == kind)
        print(f"{kind}: {n_shapes} shapes, tune={totals[(kind, 'tune')]} heldout={totals[(kind, 'heldout')]}")
    print(f"total: {len(all_cases)} cases")


if __name__ == "__main__":
    main()
