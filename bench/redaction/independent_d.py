# ruff: noqa: E501, E731, B905  -- authored case data: long literal lines kept as written
"""Fourth independent held-out test set for the secret-redaction step (author "d").

Authored BLIND.  The only material read was docs/redaction.md, shared/DESIGN.md and
README.md of the project, the opening docstring of ``independent_c.py`` (for the case
format) and the two scoring scripts ``independent_b_check.py`` and ``independent_c_check.py``.
No source, test, rules data, body of another case set or git history of the implementation
was looked at, and the redactor was not run on these cases while they were written.

Every value is drawn from ``random.Random(seed)``, so no real credential appears here.
Values follow each provider's public format: prefix, length, alphabet, and the public
checksum where the format has one (CRC32/base62 tail of GitHub and npm tokens, bech32 of age
keys, base58check of Bitcoin keys, CRC24 of PGP armor).  The shapes favour what a rule set is
less likely to carry: bare keys under provider-specific names, credentials inside
connection strings, CLI flags, manifests, logs, and code in several languages.

``cases(seed)`` returns a list of dicts:

* ``{"kind": "secret", "shape", "text", "secret", "split"}`` -- ``secret`` is the exact
  substring of ``text`` that must not survive redaction (only the password of a URL or a
  user:password pair, the base64 body of a private key, the token part of a webhook URL).
* ``{"kind": "benign", "shape", "text", "split"}`` -- text that must come back unchanged.

Within each shape, cases alternate ``tune``, ``heldout``, ``tune``, ...
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import random
import string
import uuid
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

T = TypeVar("T")

PER_SHAPE = 6

LOWER = string.ascii_lowercase
UPPER = string.ascii_uppercase
DIGITS = string.digits
LETTERS = UPPER + LOWER
ALNUM = LETTERS + DIGITS
LALNUM = LOWER + DIGITS
UALNUM = UPPER + DIGITS
HEX = "0123456789abcdef"
UHEX = HEX.upper()
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32U = UPPER + "234567"
B32L = LOWER + "234567"
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
B62 = DIGITS + UPPER + LOWER
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
SYMS = "!#%^*-_=+.~?"

Rng = random.Random
SecretFn = Callable[[Rng, int], tuple[str, str]]
BenignFn = Callable[[Rng, int], str]
SECRET_SHAPES: list[tuple[str, SecretFn]] = []
BENIGN_SHAPES: list[tuple[str, BenignFn]] = []


def secret(name: str) -> Callable[[SecretFn], SecretFn]:
    def register(fn: SecretFn) -> SecretFn:
        SECRET_SHAPES.append((name, fn))
        return fn

    return register


def benign(name: str) -> Callable[[BenignFn], BenignFn]:
    def register(fn: BenignFn) -> BenignFn:
        BENIGN_SHAPES.append((name, fn))
        return fn

    return register


# ---------------------------------------------------------------- value helpers


def rs(r: Rng, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def num(r: Rng, n: int) -> str:
    return str(r.randint(1, 9)) + rs(r, DIGITS, n - 1)


def uid(r: Rng) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def pick(i: int, items: list[T]) -> T:
    return items[i % len(items)]


def wrap(s: str, width: int = 64) -> list[str]:
    return [s[k:k + width] for k in range(0, len(s), width)]


def base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = B62[d] + out
    return out.rjust(width, "0")


def crc_token(r: Rng, prefix: str, body_len: int = 30) -> str:
    """GitHub / npm style: random body, then base62 of its CRC32, six characters."""
    body = rs(r, ALNUM, body_len)
    return prefix + body + base62(binascii.crc32(body.encode()), 6)


def base58(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, d = divmod(n, 58)
        out = B58[d] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58check(payload: bytes) -> str:
    return base58(payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4])


def _polymod(values: list[int]) -> int:
    gen = [0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3]
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for k in range(5):
            if (top >> k) & 1:
                chk ^= gen[k]
    return chk


def bech32(hrp: str, data: bytes) -> str:
    acc = bits = 0
    five: list[int] = []
    for byte in data:
        acc = (acc << 8) | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            five.append((acc >> bits) & 31)
    if bits:
        five.append((acc << (5 - bits)) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    pm = _polymod(expanded + five + [0] * 6) ^ 1
    chk = [(pm >> 5 * (5 - k)) & 31 for k in range(6)]
    return hrp + "1" + "".join(BECH32[d] for d in five + chk)


def crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


def jwt(r: Rng, payload: dict, alg: str = "HS256", kid: str | None = None) -> str:
    header: dict[str, str] = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = kid
    sig = r.randbytes(256 if alg.startswith("RS") else 32)
    compact = lambda obj: b64u(json.dumps(obj, separators=(",", ":")).encode())
    return f"{compact(header)}.{compact(payload)}.{b64u(sig)}"


WORDS = ["harbor", "quilt", "maple", "orbit", "cactus", "lantern", "violet", "ember", "falcon",
         "granite", "meadow", "pepper", "thistle", "copper", "willow", "saffron", "tundra",
         "zephyr", "juniper", "basalt", "marble", "cobalt", "nectar", "raven"]
ORGS = ["acme", "northwind", "contoso", "initech", "globex", "umbrella-labs", "hooli", "vandelay"]
REPOS = ["api", "infra", "web", "billing-service", "data-pipeline", "mobile-app", "platform"]
USERS = ["app", "deploy", "svc_etl", "admin", "ci", "jdoe", "reporting_ro", "backend", "mlops"]
EMAILS = ["ops@acme.io", "jdoe@northwind.dev", "platform@contoso.net", "ci-bot@initech.com"]
HOSTS = ["db.internal", "10.20.3.14", "pg-primary.prod.svc.cluster.local",
         "orders-db.c8kz2yqf1x.eu-west-1.rds.amazonaws.com", "mysql-01.dc2.acme.lan", "localhost",
         "127.0.0.1", "db-replica-2.northwind.dev"]
DBNAMES = ["orders", "app_production", "warehouse", "billing", "analytics", "inventory"]


def pw(r: Rng) -> str:
    """A password as people and generators make them: random with symbols, words, or alnum."""
    style = r.randrange(4)
    if style == 0:
        return rs(r, ALNUM, 3) + rs(r, ALNUM + SYMS, r.randint(11, 18))
    if style == 1:
        return f"{r.choice(WORDS).capitalize()}{r.randint(10, 99)}{r.choice(WORDS).capitalize()}{r.choice('!#%*?')}{r.randint(100, 9999)}"
    if style == 2:
        return rs(r, ALNUM, r.randint(16, 28))
    return "-".join(r.sample(WORDS, 4)) + str(r.randint(10, 99))


def upw(r: Rng) -> str:
    """A password as it appears inside a URL (percent-encoded where it must be)."""
    return quote(pw(r), safe="-_.~")


# ---------------------------------------------------------------- key material


def sshstr(b: bytes) -> bytes:
    return len(b).to_bytes(4, "big") + b


def rsa_der(r: Rng) -> bytes:
    return bytes.fromhex("308204a40201000282010100") + r.randbytes(1180)


def pkcs8_der(r: Rng, ed25519: bool = False) -> bytes:
    if ed25519:
        return bytes.fromhex("302e020100300506032b657004220420") + r.randbytes(32)
    return bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100") + r.randbytes(1179)


def ec_der(r: Rng) -> bytes:
    return (bytes.fromhex("30770201010420") + r.randbytes(32)
            + bytes.fromhex("a00a06082a8648ce3d030107a14403420004") + r.randbytes(64))


def enc_pkcs8_der(r: Rng) -> bytes:
    return (bytes.fromhex("30820516304006092a864886f70d01050d3033301b06092a864886f70d01050c300e0408")
            + r.randbytes(8) + bytes.fromhex("02020800301406082a864886f70d03070408") + r.randbytes(8)
            + bytes.fromhex("048204d0") + r.randbytes(1232))


def openssh_blob(r: Rng, encrypted: bool) -> bytes:
    kind = b"ssh-ed25519"
    pub = r.randbytes(32)
    check = r.randbytes(4)
    priv = (check + check + sshstr(kind) + sshstr(pub) + sshstr(r.randbytes(32) + pub)
            + sshstr(f"{r.choice(USERS)}@{r.choice(['laptop', 'ci-runner-3', 'bastion', 'build01'])}".encode()))
    priv += bytes(range(1, 1 + (-len(priv)) % 8))
    if encrypted:
        cipher, kdf, opts = b"aes256-ctr", b"bcrypt", sshstr(r.randbytes(16)) + (24).to_bytes(4, "big")
        priv = r.randbytes(len(priv) + (-len(priv)) % 16)
    else:
        cipher, kdf, opts = b"none", b"none", b""
    return (b"openssh-key-v1\0" + sshstr(cipher) + sshstr(kdf) + sshstr(opts)
            + (1).to_bytes(4, "big") + sshstr(sshstr(kind) + sshstr(pub)) + sshstr(priv))


KEY_PATHS = ["~/.ssh/id_rsa", "deploy/keys/github-app.pem", "/etc/ssl/private/api.acme.io.key",
             "./certs/server.key", "~/.ssh/deploy_key", "secrets/signing.pem"]


def pem_contexts(r: Rng, i: int, label: str, body: list[str], head: tuple[str, ...] = (),
                 tail: tuple[str, ...] = (), before: str = "") -> tuple[str, str]:
    """One key block, shown the way agents meet it: a file, YAML, JSON, .env, HCL, a CI log."""
    begin, end = f"-----BEGIN {label}-----", f"-----END {label}-----"
    lines = [begin, *head, *body, *tail, end]
    k = i % 6
    if k == 0:
        return f"$ cat {r.choice(KEY_PATHS)}\n{before}" + "\n".join(lines) + "\n", "\n".join(body)
    if k == 1:
        sep = "\n    "
        return (f"deploy:\n  host: {r.choice(HOSTS)}\n  user: {r.choice(USERS)}\n  private_key: |\n    "
                + sep.join(lines) + "\n  port: 22", sep.join(body))
    if k == 2:
        sep = "\\n"
        return (f'{{"app_id": {r.randint(100000, 999999)}, "client_id": "Iv1.{rs(r, HEX, 16)}", "private_key": "'
                + sep.join(lines) + '\\n"}', sep.join(body))
    if k == 3:
        return (f'SIGNING_KEY_ID={rs(r, HEX, 16)}\nSIGNING_KEY="' + "\n".join(lines) + '"\nSIGNING_ALG=RS256',
                "\n".join(body))
    if k == 4:
        return ('locals {\n  bootstrap_key = <<-EOT\n' + "\n".join(lines) + "\nEOT\n}", "\n".join(body))
    build = r.randint(1000, 9999)
    shown = [f"[build {build}] 14:02:{10 + n:02d} {line}" for n, line in enumerate(lines)]
    # Only a whole body line is the secret here: the log prefixes between lines are not.
    return ("$ echo \"$DEPLOY_KEY\"\n" + "\n".join(shown), body[1] if len(body) > 1 else body[0])


# ================================================================ cloud providers


@secret("aws_secret_access_key")
def _aws_secret(r: Rng, i: int) -> tuple[str, str]:
    kid = "AKIA" + rs(r, B32U, 16)
    v = rs(r, B64, 40)
    return pick(i, [
        f"[default]\naws_access_key_id = {kid}\naws_secret_access_key = {v}\nregion = eu-central-1",
        f"$ export AWS_ACCESS_KEY_ID={kid}\n$ export AWS_SECRET_ACCESS_KEY={v}\n$ aws s3 ls s3://acme-backups/",
        f's3 = boto3.client("s3", aws_access_key_id="{kid}", aws_secret_access_key="{v}")',
        f'provider "aws" {{\n  region     = "us-west-2"\n  access_key = "{kid}"\n  secret_key = "{v}"\n}}',
        f"services:\n  worker:\n    image: acme/worker:1.4\n    environment:\n      - AWS_ACCESS_KEY_ID={kid}\n      - AWS_SECRET_ACCESS_KEY={v}",
        f'{{"AccessKey": {{"UserName": "ci-deployer", "AccessKeyId": "{kid}", "Status": "Active", "SecretAccessKey": "{v}", "CreateDate": "2024-05-02T09:14:11+00:00"}}}}',
    ]), v


@secret("aws_session_token")
def _aws_session(r: Rng, i: int) -> tuple[str, str]:
    kid = "ASIA" + rs(r, B32U, 16)
    sk = rs(r, B64, 40)
    raw = (b"!\n\torigin_ec" + r.randbytes(r.randint(280, 420))) if i % 3 else (b"\x17\n\x06er/aws\x10" + r.randbytes(240))
    v = b64(raw)
    enc = quote(v, safe="")
    url = (f"https://acme-exports.s3.eu-west-1.amazonaws.com/reports/2024-06.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256"
           f"&X-Amz-Credential={kid}%2F20240601%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Date=20240601T101500Z"
           f"&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Security-Token={enc}&X-Amz-Signature={rs(r, HEX, 64)}")
    return pick(i, [
        (f"[sso-admin]\naws_access_key_id = {kid}\naws_secret_access_key = {sk}\naws_session_token = {v}", v),
        (f"export AWS_SESSION_TOKEN={v}", v),
        (f'{{\n    "Credentials": {{\n        "AccessKeyId": "{kid}",\n        "SecretAccessKey": "{sk}",\n        "SessionToken": "{v}",\n        "Expiration": "2024-06-01T11:15:00+00:00"\n    }}\n}}', v),
        (f"PUT /v1/items HTTP/1.1\nHost: api.execute-api.eu-west-1.amazonaws.com\nX-Amz-Date: 20240601T101500Z\nX-Amz-Security-Token: {v}", v),
        (f"curl -o report.csv '{url}'", enc),
        (f'session = boto3.Session(aws_access_key_id="{kid}", aws_secret_access_key=secret, aws_session_token="{v}")', v),
    ])


@secret("gcp_api_key")
def _gcp_api_key(r: Rng, i: int) -> tuple[str, str]:
    v = "AIza" + rs(r, B64URL, 35)
    return pick(i, [
        f'curl "https://maps.googleapis.com/maps/api/geocode/json?address=Alexanderplatz+Berlin&key={v}"',
        f"GOOGLE_API_KEY={v}",
        f'genai.configure(api_key="{v}")\nmodel = genai.GenerativeModel("gemini-1.5-flash")',
        f"gemini:\n  model: gemini-1.5-pro\n  api_key: {v}",
        f"curl -s -H 'x-goog-api-key: {v}' -H 'Content-Type: application/json' https://generativelanguage.googleapis.com/v1beta/models",
        f'<meta-data android:name="com.google.android.geo.API_KEY" android:value="{v}"/>',
    ]), v


@secret("gcp_service_account_key")
def _gcp_sa(r: Rng, i: int) -> tuple[str, str]:
    body = wrap(b64(pkcs8_der(r)), 64)
    proj = f"{r.choice(ORGS)}-prod-{r.randint(100000, 999999)}"
    pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(body) + "\n-----END PRIVATE KEY-----\n"
    data = {"type": "service_account", "project_id": proj, "private_key_id": rs(r, HEX, 40),
            "private_key": pem, "client_email": f"deployer@{proj}.iam.gserviceaccount.com",
            "client_id": num(r, 21), "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": "https://oauth2.googleapis.com/token",
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/deployer%40{proj}.iam.gserviceaccount.com",
            "universe_domain": "googleapis.com"}
    pretty, compact = json.dumps(data, indent=2), json.dumps(data)
    v = "\\n".join(body)
    return pick(i, [
        pretty,
        f"GOOGLE_CREDENTIALS='{compact}'",
        f"$ cat sa-key.json\n{compact}",
        f"info = {compact}\ncreds = service_account.Credentials.from_service_account_info(info)",
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: gcp-sa\ntype: Opaque\nstringData:\n  key.json: '{compact}'",
        f'provider "google" {{\n  project     = "{proj}"\n  credentials = <<EOF\n{pretty}\nEOF\n}}',
    ]), v


@secret("google_oauth_credentials")
def _google_oauth(r: Rng, i: int) -> tuple[str, str]:
    cid = f"{num(r, 12)}-{rs(r, LALNUM, 32)}.apps.googleusercontent.com"
    gocspx = "GOCSPX-" + rs(r, B64URL, 28)
    ya29 = "ya29.a0" + rs(r, B64URL, 180)
    refresh = "1//0" + rs(r, LOWER, 1) + rs(r, B64URL, 98)
    return pick(i, [
        (f'{{"web":{{"client_id":"{cid}","project_id":"acme-web","auth_uri":"https://accounts.google.com/o/oauth2/auth","token_uri":"https://oauth2.googleapis.com/token","client_secret":"{gocspx}","redirect_uris":["https://app.acme.io/oauth/callback"]}}}}', gocspx),
        (f"GOOGLE_CLIENT_ID={cid}\nGOOGLE_CLIENT_SECRET={gocspx}", gocspx),
        (f'curl -H "Authorization: Bearer {ya29}" https://www.googleapis.com/drive/v3/files?pageSize=10', ya29),
        (f'{{\n  "account": "",\n  "client_id": "{cid}",\n  "client_secret": "{gocspx}",\n  "refresh_token": "{refresh}",\n  "type": "authorized_user",\n  "universe_domain": "googleapis.com"\n}}', refresh),
        (f'{{"token": "{ya29}", "refresh_token": "{refresh}", "token_uri": "https://oauth2.googleapis.com/token", "client_id": "{cid}", "scopes": ["https://www.googleapis.com/auth/gmail.send"]}}', ya29),
        (f"DEBUG google.auth.transport.requests:Making request: POST https://oauth2.googleapis.com/token refresh_token={refresh}", refresh),
    ])


@secret("azure_storage_account_key")
def _azure_storage(r: Rng, i: int) -> tuple[str, str]:
    key = b64(r.randbytes(64))
    acct = r.choice(ORGS).replace("-", "") + "store" + num(r, 3)
    cs = f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={key};EndpointSuffix=core.windows.net"
    return pick(i, [
        f'AZURE_STORAGE_CONNECTION_STRING="{cs}"',
        f'{{\n  "IsEncrypted": false,\n  "Values": {{\n    "AzureWebJobsStorage": "{cs}",\n    "FUNCTIONS_WORKER_RUNTIME": "python"\n  }}\n}}',
        f"az storage blob upload --account-name {acct} --account-key {key} --container-name logs --file out.log --name out.log",
        f'"ConnectionStrings": {{\n  "Cosmos": "AccountEndpoint=https://{acct}-cosmos.documents.azure.com:443/;AccountKey={key};"\n}}',
        f'client = CosmosClient("https://{acct}-cosmos.documents.azure.com:443/", credential="{key}")',
        f"export ARM_ACCESS_KEY={key}\nterraform init -backend-config=storage_account_name={acct}",
    ]), key


@secret("azure_sas_signature")
def _azure_sas(r: Rng, i: int) -> tuple[str, str]:
    sig = quote(b64(r.randbytes(32)), safe="")
    acct = r.choice(ORGS).replace("-", "") + "backup"
    url = (f"https://{acct}.blob.core.windows.net/backups/db-2024-06-01.bak?sp=r&st=2024-06-01T08:00:00Z"
           f"&se=2024-06-08T16:00:00Z&spr=https&sv=2022-11-02&sr=b&sig={sig}")
    return pick(i, [
        f'azcopy copy "{url}" ./restore/',
        f'curl -o db.bak "{url}"',
        f'AZURE_SAS_TOKEN="?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2025-01-01T00:00:00Z&st=2024-06-01T00:00:00Z&spr=https&sig={sig}"',
        f"2024-06-01 10:15:02 INFO uploading chunk 3/12 to {url}",
        f'blob = BlobClient.from_blob_url("{url}")',
        f"https://{acct}.queue.core.windows.net/jobs?sv=2019-02-02&st=2024-06-01T10%3A00%3A00Z&se=2024-06-02T10%3A00%3A00Z&sp=raup&sig={sig}",
    ]), sig


@secret("azure_ad_client_secret")
def _azure_ad(r: Rng, i: int) -> tuple[str, str]:
    v = rs(r, ALNUM, 3) + str(r.randint(0, 9)) + "Q~" + rs(r, ALNUM + "_~.-", 34)
    tenant, app = uid(r), uid(r)
    return pick(i, [
        f"AZURE_CLIENT_ID={app}\nAZURE_TENANT_ID={tenant}\nAZURE_CLIENT_SECRET={v}",
        f"az login --service-principal -u {app} -p {v} --tenant {tenant}",
        f'credential = ClientSecretCredential(tenant_id="{tenant}", client_id="{app}", client_secret="{v}")',
        f'"AzureAd": {{\n  "Instance": "https://login.microsoftonline.com/",\n  "TenantId": "{tenant}",\n  "ClientId": "{app}",\n  "ClientSecret": "{v}"\n}}',
        f'{{\n  "appId": "{app}",\n  "displayName": "gh-actions-deployer",\n  "password": "{v}",\n  "tenant": "{tenant}"\n}}',
        f'curl -X POST https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token -d "client_id={app}&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_secret={v}&grant_type=client_credentials"',
    ]), v


@secret("azure_devops_pat")
def _azure_devops(r: Rng, i: int) -> tuple[str, str]:
    v = rs(r, B32L, 52)
    org, repo = r.choice(ORGS), r.choice(REPOS)
    basic = b64(f":{v}".encode())
    return pick(i, [
        (f"git clone https://build:{v}@dev.azure.com/{org}/Platform/_git/{repo}", v),
        (f"AZURE_DEVOPS_EXT_PAT={v}", v),
        (f"echo {v} | az devops login --organization https://dev.azure.com/{org}", v),
        (f'curl -H "Authorization: Basic {basic}" https://dev.azure.com/{org}/_apis/projects?api-version=7.0', basic),
        (f"; begin auth token\n//pkgs.dev.azure.com/{org}/_packaging/internal/npm/registry/:username={org}\n//pkgs.dev.azure.com/{org}/_packaging/internal/npm/registry/:_password={b64(v.encode())}\n//pkgs.dev.azure.com/{org}/_packaging/internal/npm/registry/:email=npm requires email to be set but doesn't use the value\n; end auth token", b64(v.encode())),
        (f'<packageSourceCredentials>\n  <internal>\n    <add key="Username" value="az" />\n    <add key="ClearTextPassword" value="{v}" />\n  </internal>\n</packageSourceCredentials>', v),
    ])


@secret("azure_servicebus_key")
def _azure_sb(r: Rng, i: int) -> tuple[str, str]:
    key = b64(r.randbytes(32))
    ns = r.choice(ORGS) + "-events"
    return pick(i, [
        f"Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}",
        f'SERVICEBUS_CONNECTION_STR="Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={key};EntityPath=orders"',
        f'producer = EventHubProducerClient.from_connection_string("Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=writer;SharedAccessKey={key}", eventhub_name="telemetry")',
        f'"IoTHubDevice": "HostName={ns}.azure-devices.net;DeviceId=sensor-{r.randint(10, 99)};SharedAccessKey={key}"',
        f'{{\n  "keyName": "RootManageSharedAccessKey",\n  "primaryConnectionString": "Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={key}",\n  "primaryKey": "{key}"\n}}',
        f"Azure__SignalR__ConnectionString=Endpoint=https://{ns}.service.signalr.net;AccessKey={key};Version=1.0;",
    ]), key


@secret("azure_openai_cognitive_key")
def _azure_cog(r: Rng, i: int) -> tuple[str, str]:
    v = rs(r, HEX, 32)
    ns = r.choice(ORGS) + "-oai"
    return pick(i, [
        f"curl https://{ns}.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-02-01 -H \"api-key: {v}\" -H \"Content-Type: application/json\" -d @req.json",
        f"AZURE_OPENAI_ENDPOINT=https://{ns}.openai.azure.com/\nAZURE_OPENAI_API_KEY={v}",
        f'client = AzureOpenAI(api_key="{v}", api_version="2024-02-01", azure_endpoint="https://{ns}.openai.azure.com")',
        f"curl -X POST \"https://api.cognitive.microsofttranslator.com/translate?api-version=3.0&to=de\" -H \"Ocp-Apim-Subscription-Key: {v}\" -H \"Ocp-Apim-Subscription-Region: westeurope\" -d '[{{\"Text\":\"Hello\"}}]'",
        f'headers = {{"Ocp-Apim-Subscription-Key": "{v}", "Content-Type": "application/json"}}',
        f'speech_config = speechsdk.SpeechConfig(subscription="{v}", region="westeurope")',
    ]), v


@secret("vps_provider_tokens")
def _vps(r: Rng, i: int) -> tuple[str, str]:
    do = r.choice(["dop_v1_", "doo_v1_", "dor_v1_"]) + rs(r, HEX, 64)
    linode = rs(r, HEX, 64)
    hetzner = rs(r, ALNUM, 64)
    vultr = rs(r, UALNUM, 36)
    return pick(i, [
        (f"doctl auth init --context prod -t {do}", do),
        (f"[DEFAULT]\ndefault-user = {r.choice(USERS)}\n\n[{r.choice(USERS)}]\ntoken = {linode}\nregion = eu-central\ntype = g6-standard-2", linode),
        (f'[[contexts]]\n  name = "prod"\n  token = "{hetzner}"', hetzner),
        (f'curl -H "Authorization: Bearer {hetzner}" "https://api.hetzner.cloud/v1/servers?per_page=50"', hetzner),
        (f"api-key: {vultr}\noutput: text", vultr),
        (f'curl -H "Authorization: Bearer {linode}" https://api.linode.com/v4/linode/instances', linode),
    ])


@secret("scaleway_secret_key")
def _scaleway(r: Rng, i: int) -> tuple[str, str]:
    ak = "SCW" + rs(r, UALNUM, 17)
    sk, org = uid(r), uid(r)
    return pick(i, [
        f"SCW_ACCESS_KEY={ak}\nSCW_SECRET_KEY={sk}\nSCW_DEFAULT_ORGANIZATION_ID={org}",
        f"access_key: {ak}\nsecret_key: {sk}\ndefault_organization_id: {org}\ndefault_region: fr-par\ndefault_zone: fr-par-1",
        f'provider "scaleway" {{\n  access_key = "{ak}"\n  secret_key = "{sk}"\n  zone       = "fr-par-1"\n}}',
        f'curl -H "X-Auth-Token: {sk}" https://api.scaleway.com/instance/v1/zones/fr-par-1/servers',
        f"[scw]\naws_access_key_id = {ak}\naws_secret_access_key = {sk}\nendpoint_url = https://s3.fr-par.scw.cloud",
        f'docker login rg.fr-par.scw.cloud/acme -u nologin --password-stdin <<< "{sk}"',
    ]), sk


@secret("cloudflare_keys")
def _cloudflare(r: Rng, i: int) -> tuple[str, str]:
    tok = rs(r, B64URL, 40)
    gkey = rs(r, HEX, 37)
    origin = "v1.0-" + rs(r, HEX, 24) + "-" + rs(r, HEX, 146)
    return pick(i, [
        (f"CLOUDFLARE_API_TOKEN={tok}\nCLOUDFLARE_ACCOUNT_ID={rs(r, HEX, 32)}", tok),
        (f'curl -X GET "https://api.cloudflare.com/client/v4/user/tokens/verify" -H "Authorization: Bearer {tok}" -H "Content-Type:application/json"', tok),
        (f'curl -H "X-Auth-Email: {r.choice(EMAILS)}" -H "X-Auth-Key: {gkey}" https://api.cloudflare.com/client/v4/zones', gkey),
        (f"# Cloudflare API credentials used by Certbot\ndns_cloudflare_email = {r.choice(EMAILS)}\ndns_cloudflare_api_key = {gkey}", gkey),
        (f"      - uses: cloudflare/wrangler-action@v3\n        with:\n          apiToken: {tok}\n          command: deploy", tok),
        (f'curl -X POST https://api.cloudflare.com/client/v4/certificates -H "X-Auth-User-Service-Key: {origin}" -d @csr.json', origin),
    ])


@secret("cloudflare_tunnel_token")
def _cf_tunnel(r: Rng, i: int) -> tuple[str, str]:
    payload = {"a": rs(r, HEX, 32), "t": uid(r), "s": b64(r.randbytes(32))}
    v = b64(json.dumps(payload, separators=(",", ":")).encode())
    return pick(i, [
        f"cloudflared tunnel run --token {v}",
        f"TUNNEL_TOKEN={v}",
        f"  cloudflared:\n    image: cloudflare/cloudflared:latest\n    restart: unless-stopped\n    command: tunnel --no-autoupdate run --token {v}",
        f"sudo cloudflared service install {v}",
        f'        args: ["tunnel", "--no-autoupdate", "run", "--token", "{v}"]',
        f"docker run -d cloudflare/cloudflared:latest tunnel --no-autoupdate run --token {v}",
    ]), v


@secret("paas_deploy_tokens")
def _paas(r: Rng, i: int) -> tuple[str, str]:
    vercel = rs(r, ALNUM, 24)
    netlify = "nfp_" + rs(r, ALNUM, 36)
    render = "rnd_" + rs(r, ALNUM, 32)
    fastly = rs(r, B64URL, 32)
    return pick(i, [
        (f"vercel deploy --prod --token {vercel}", vercel),
        (f"NETLIFY_AUTH_TOKEN={netlify}\nNETLIFY_SITE_ID={uid(r)}", netlify),
        (f'curl -H "Accept: application/json" -H "Authorization: Bearer {render}" "https://api.render.com/v1/services?limit=20"', render),
        (f'curl -X POST -H "Fastly-Key: {fastly}" https://api.fastly.com/service/{rs(r, ALNUM, 22)}/purge_all', fastly),
        (f'{{\n  "// Note": "This is your Vercel credentials file. DO NOT SHARE!",\n  "// Docs": "https://vercel.com/docs/projects/project-configuration/global-configuration#auth.json",\n  "token": "{vercel}"\n}}', vercel),
        (f"netlify deploy --dir=dist --prod --auth {netlify} --site {uid(r)}", netlify),
    ])


@secret("heroku_fly_tokens")
def _heroku_fly(r: Rng, i: int) -> tuple[str, str]:
    hk = ("HRKU-AA" + rs(r, B64URL, 58)) if i % 2 else uid(r)
    fm2 = "fm2_" + b64(r.randbytes(r.randint(150, 240)))
    fo1 = "fo1_" + rs(r, B64URL, 43)
    app = r.choice(ORGS) + "-" + r.choice(REPOS)
    return pick(i, [
        (f"HEROKU_API_KEY={hk}", hk),
        (f"machine api.heroku.com\n  login dev@acme.io\n  password {hk}\nmachine git.heroku.com\n  login dev@acme.io\n  password {hk}", hk),
        (f"git push https://heroku:{hk}@git.heroku.com/{app}.git HEAD:main", hk),
        (f'FLY_API_TOKEN="FlyV1 {fm2}"', fm2),
        (f"access_token: {fo1}\nlast_login: 2024-06-01T10:20:00Z\nauto_update: true", fo1),
        (f'fly deploy --app {app} --access-token "FlyV1 {fm2}"', fm2),
    ])


@secret("supabase_keys")
def _supabase(r: Rng, i: int) -> tuple[str, str]:
    ref = rs(r, LOWER, 20)
    sbp = "sbp_" + rs(r, HEX, 40)
    sbs = "sb_secret_" + rs(r, B64URL, 31)
    svc = jwt(r, {"iss": "supabase", "ref": ref, "role": "service_role", "iat": 1716000000, "exp": 2031576000})
    return pick(i, [
        (f"SUPABASE_ACCESS_TOKEN={sbp}", sbp),
        (f"supabase login --token {sbp}", sbp),
        (f"NEXT_PUBLIC_SUPABASE_URL=https://{ref}.supabase.co\nSUPABASE_SERVICE_ROLE_KEY={svc}", svc),
        (f'const supabase = createClient("https://{ref}.supabase.co", "{sbs}");', sbs),
        (f'supabase: Client = create_client("https://{ref}.supabase.co", "{svc}")', svc),
        (f'curl "https://{ref}.supabase.co/rest/v1/profiles?select=*" -H "apikey: {sbs}" -H "Authorization: Bearer {sbs}"', sbs),
    ])


@secret("serverless_db_credentials")
def _serverless_db(r: Rng, i: int) -> tuple[str, str]:
    tkn = "pscale_tkn_" + rs(r, B64URL, 43)
    pspw = "pscale_pw_" + rs(r, B64URL, 43)
    napi = "napi_" + rs(r, LALNUM, 64)
    npg = "npg_" + rs(r, ALNUM, 12)
    ep = f"ep-{r.choice(WORDS)}-{r.choice(WORDS)}-{num(r, 6)}"
    user = rs(r, LALNUM, 12)
    return pick(i, [
        (f"PLANETSCALE_SERVICE_TOKEN_ID={rs(r, LALNUM, 12)}\nPLANETSCALE_SERVICE_TOKEN={tkn}", tkn),
        (f"DATABASE_URL='mysql://{user}:{pspw}@aws.connect.psdb.cloud/app?sslaccept=strict'", pspw),
        (f"mysql -h aws.connect.psdb.cloud -u {user} -p{pspw} --ssl-mode=VERIFY_IDENTITY app", pspw),
        (f"NEON_API_KEY={napi}", napi),
        (f"DATABASE_URL=postgresql://neondb_owner:{npg}@{ep}.eu-central-1.aws.neon.tech/neondb?sslmode=require", npg),
        (f"neonctl --api-key {napi} projects list --output json", napi),
    ])


@secret("mongodb_atlas_keys")
def _atlas(r: Rng, i: int) -> tuple[str, str]:
    pub = rs(r, LOWER, 8)
    priv = uid(r)
    p = upw(r)
    cluster = f"cluster0.{rs(r, LALNUM, 5)}.mongodb.net"
    return pick(i, [
        (f"MONGODB_ATLAS_PUBLIC_KEY={pub}\nMONGODB_ATLAS_PRIVATE_KEY={priv}", priv),
        (f'[default]\n  org_id = "{rs(r, HEX, 24)}"\n  public_api_key = "{pub}"\n  private_api_key = "{priv}"\n  service = "cloud"', priv),
        (f'curl --user "{pub}:{priv}" --digest --header "Accept: application/vnd.atlas.2023-02-01+json" "https://cloud.mongodb.com/api/atlas/v2/groups"', priv),
        (f'MONGODB_URI="mongodb+srv://app:{p}@{cluster}/prod?retryWrites=true&w=majority&appName=Cluster0"', p),
        (f'provider "mongodbatlas" {{\n  public_key  = "{pub}"\n  private_key = "{priv}"\n}}', priv),
        (f'client = MongoClient("mongodb+srv://analytics:{p}@{cluster}/?retryWrites=true&w=majority")', p),
    ])


@secret("databricks_token")
def _databricks(r: Rng, i: int) -> tuple[str, str]:
    v = "dapi" + rs(r, HEX, 32) + ("-2" if i % 3 == 2 else "")
    host = f"adb-{num(r, 16)}.{r.randint(1, 19)}.azuredatabricks.net"
    return pick(i, [
        f"[DEFAULT]\nhost  = https://{host}\ntoken = {v}",
        f"DATABRICKS_HOST=https://{host}\nDATABRICKS_TOKEN={v}",
        f'conn = sql.connect(server_hostname="dbc-{rs(r, HEX, 8)}-{rs(r, HEX, 4)}.cloud.databricks.com", http_path="/sql/1.0/warehouses/{rs(r, HEX, 16)}", access_token="{v}")',
        f"jdbc:databricks://{host}:443/default;transportMode=http;ssl=1;httpPath=sql/protocolv1/o/{num(r, 16)}/0601-182128-dcbte59m;AuthMech=3;UID=token;PWD={v}",
        f'curl -H "Authorization: Bearer {v}" https://{host}/api/2.0/clusters/list',
        f"  outputs:\n    dev:\n      type: databricks\n      host: {host}\n      http_path: /sql/1.0/warehouses/{rs(r, HEX, 16)}\n      token: {v}\n      schema: analytics",
    ]), v


@secret("snowflake_password")
def _snowflake(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    acct = f"{rs(r, LOWER, 2)}{num(r, 5)}.eu-central-1"
    u = quote(p, safe="-_.~")
    return pick(i, [
        (f'conn = snowflake.connector.connect(user="ETL_SVC", password="{p}", account="{acct}", warehouse="LOAD_WH")', p),
        (f"SNOWSQL_PWD='{p}' snowsql -a {acct} -u ETL_SVC -d ANALYTICS", p),
        (f"[connections.prod]\naccountname = {acct}\nusername = ETL_SVC\npassword = {p}\nrolename = LOADER", p),
        (f'engine = create_engine("snowflake://ETL_SVC:{u}@{acct}/ANALYTICS/PUBLIC?warehouse=LOAD_WH&role=LOADER")', u),
        (f'prod:\n  target: prod\n  outputs:\n    prod:\n      type: snowflake\n      account: {acct}\n      user: ETL_SVC\n      password: "{p}"\n      role: LOADER', p),
        (f'[default]\naccount = "{acct}"\nuser = "ETL_SVC"\npassword = "{p}"\nwarehouse = "LOAD_WH"', p),
    ])


@secret("alibaba_tencent_secrets")
def _ali_tencent(r: Rng, i: int) -> tuple[str, str]:
    ak = "LTAI" + rs(r, ALNUM, 20)
    sec = rs(r, ALNUM, 30)
    tid = "AKID" + rs(r, ALNUM, 32)
    tsec = rs(r, ALNUM, 32)
    return pick(i, [
        (f"aliyun configure set --profile prod --mode AK --region cn-hangzhou --access-key-id {ak} --access-key-secret {sec}", sec),
        (f'{{"current": "default", "profiles": [{{"name": "default", "mode": "AK", "access_key_id": "{ak}", "access_key_secret": "{sec}", "region_id": "cn-shanghai"}}]}}', sec),
        (f"ALIBABA_CLOUD_ACCESS_KEY_ID={ak}\nALIBABA_CLOUD_ACCESS_KEY_SECRET={sec}", sec),
        (f"TENCENTCLOUD_SECRET_ID={tid}\nTENCENTCLOUD_SECRET_KEY={tsec}", tsec),
        (f'cred = credential.Credential("{tid}", "{tsec}")\nclient = cvm_client.CvmClient(cred, "ap-guangzhou")', tsec),
        (f"auth = oss2.Auth('{ak}', '{sec}')\nbucket = oss2.Bucket(auth, 'https://oss-cn-hangzhou.aliyuncs.com', 'acme-logs')", sec),
    ])


@secret("ibm_yandex_ovh_keys")
def _ibm_yandex_ovh(r: Rng, i: int) -> tuple[str, str]:
    ibm = rs(r, B64URL, 44)
    y0 = "y0_" + rs(r, B64URL, 55)
    aqvn = "AQVN" + rs(r, B64URL, 36)
    ovh = rs(r, ALNUM, 32)
    return pick(i, [
        (f"ibmcloud login --apikey {ibm} -r eu-de -g default", ibm),
        (f"IBMCLOUD_API_KEY={ibm}", ibm),
        (f'{{\n  "name": "ci-key",\n  "description": "",\n  "createdAt": "2024-05-10T08:21+0000",\n  "apikey": "{ibm}"\n}}', ibm),
        (f"yc config set token {y0}", y0),
        (f'curl -H "Authorization: Api-Key {aqvn}" https://llm.api.cloud.yandex.net/foundationModels/v1/completion -d @prompt.json', aqvn),
        (f"[default]\nendpoint=ovh-eu\n\n[ovh-eu]\napplication_key={rs(r, ALNUM, 16)}\napplication_secret={ovh}\nconsumer_key={rs(r, ALNUM, 32)}", ovh),
    ])


@secret("s3_compatible_secrets")
def _s3compat(r: Rng, i: int) -> tuple[str, str]:
    r2id, r2sec = rs(r, HEX, 32), rs(r, HEX, 64)
    goog, gsec = "GOOG1E" + rs(r, UALNUM, 55), rs(r, B64, 40)
    minio = pw(r)
    b2 = "K005" + rs(r, ALNUM, 27)
    return pick(i, [
        (f"[r2]\naws_access_key_id = {r2id}\naws_secret_access_key = {r2sec}", r2sec),
        (f"[r2]\ntype = s3\nprovider = Cloudflare\naccess_key_id = {r2id}\nsecret_access_key = {r2sec}\nendpoint = https://{rs(r, HEX, 32)}.r2.cloudflarestorage.com", r2sec),
        (f"$ gsutil hmac create deployer@acme-prod.iam.gserviceaccount.com\nAccess ID:   {goog}\nSecret:      {gsec}", gsec),
        (f"CREATE SECRET gcs_secret (TYPE GCS, KEY_ID '{goog}', SECRET '{gsec}');", gsec),
        (f"mc alias set local http://minio:9000 minioadmin '{minio}'", minio),
        (f"b2 account authorize 005{rs(r, HEX, 12)}0000000003 {b2}", b2),
    ])


# ================================================================ SaaS: chat, source hosting, work tools


@secret("slack_tokens")
def _slack(r: Rng, i: int) -> tuple[str, str]:
    bot = f"xoxb-{num(r, 11)}-{num(r, 13)}-{rs(r, ALNUM, 24)}"
    user = f"xoxp-{num(r, 11)}-{num(r, 11)}-{num(r, 13)}-{rs(r, HEX, 32)}"
    app = f"xapp-1-A{rs(r, UALNUM, 10)}-{num(r, 13)}-{rs(r, HEX, 64)}"
    sign = rs(r, HEX, 32)
    return pick(i, [
        (f"SLACK_BOT_TOKEN={bot}", bot),
        (f'client = WebClient(token="{bot}")\nclient.chat_postMessage(channel="#deploys", text="done")', bot),
        (f'curl -H "Authorization: Bearer {user}" "https://slack.com/api/conversations.list?limit=200"', user),
        (f'handler = SocketModeHandler(app, "{app}")\nhandler.start()', app),
        (f"SLACK_SIGNING_SECRET={sign}\nSLACK_APP_ID=A{rs(r, UALNUM, 10)}", sign),
        (f'app = App(token=os.environ["SLACK_BOT_TOKEN"], signing_secret="{sign}")', sign),
    ])


@secret("slack_webhook")
def _slack_hook(r: Rng, i: int) -> tuple[str, str]:
    tok = rs(r, ALNUM, 24)
    url = f"https://hooks.slack.com/services/T{rs(r, UALNUM, 8)}/B{rs(r, UALNUM, 10)}/{tok}"
    trig = rs(r, HEX, 32)
    return pick(i, [
        (f"SLACK_WEBHOOK_URL={url}", tok),
        (f"curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"Deploy of api finished\"}}' {url}", tok),
        (f"receivers:\n- name: slack\n  slack_configs:\n  - api_url: '{url}'\n    channel: '#alerts'\n    send_resolved: true", tok),
        (f'requests.post("{url}", json={{"text": msg}}, timeout=5)', tok),
        (f"https://hooks.slack.com/triggers/T{rs(r, UALNUM, 9)}/{num(r, 13)}/{trig}", trig),
        (f"2024-06-01T10:00:03Z POST {url} -> 200 ok", tok),
    ])


@secret("discord_bot_token")
def _discord(r: Rng, i: int) -> tuple[str, str]:
    ident = str(r.randint(10**17, 10**19 - 1))
    v = f"{b64(ident.encode()).rstrip('=')}.{rs(r, B64URL, 6)}.{rs(r, B64URL, 38)}"
    return pick(i, [
        f"DISCORD_TOKEN={v}",
        f'bot = commands.Bot(command_prefix="!", intents=intents)\nbot.run("{v}")',
        f"client.login('{v}');",
        f'curl -H "Authorization: Bot {v}" https://discord.com/api/v10/users/@me',
        f'{{\n  "prefix": "!",\n  "token": "{v}",\n  "guildId": "{num(r, 18)}"\n}}',
        f"discord:\n  token: {v}\n  owner_id: {num(r, 18)}",
    ]), v


@secret("telegram_bot_token")
def _telegram(r: Rng, i: int) -> tuple[str, str]:
    v = f"{r.randint(10**8, 10**10 - 1)}:AA{rs(r, B64URL, 33)}"
    return pick(i, [
        f'curl -s "https://api.telegram.org/bot{v}/sendMessage?chat_id=-100{num(r, 10)}&text=Backup%20ok"',
        f"TELEGRAM_BOT_TOKEN={v}",
        f'application = Application.builder().token("{v}").build()',
        f'bot = telebot.TeleBot("{v}")',
        f"const bot = new Telegraf('{v}');",
        f'2024-06-01 10:22:41,118 - httpx - INFO - HTTP Request: POST https://api.telegram.org/bot{v}/getUpdates "HTTP/1.1 200 OK"',
    ]), v


@secret("github_tokens")
def _github(r: Rng, i: int) -> tuple[str, str]:
    ghp = crc_token(r, "ghp_")
    fine = f"github_pat_{rs(r, ALNUM, 22)}_{rs(r, ALNUM, 59)}"
    ghs = crc_token(r, "ghs_")
    gho = crc_token(r, "gho_")
    org, repo = r.choice(ORGS), r.choice(REPOS)
    return pick(i, [
        (f"git remote set-url origin https://{r.choice(USERS)}:{ghp}@github.com/{org}/{repo}.git", ghp),
        (f"GH_TOKEN={fine}", fine),
        (f'curl -H "Authorization: token {ghp}" -H "Accept: application/vnd.github+json" https://api.github.com/user', ghp),
        (f"git clone https://x-access-token:{ghs}@github.com/{org}/{repo}.git", ghs),
        (f"github.com:\n    users:\n        jdoe:\n            oauth_token: {gho}\n    git_protocol: https\n    user: jdoe\n    oauth_token: {gho}", gho),
        (f'{{"token": "{ghs}", "expires_at": "2024-06-01T11:00:00Z", "permissions": {{"contents": "read", "metadata": "read"}}, "repository_selection": "selected"}}', ghs),
    ])


@secret("gitlab_tokens")
def _gitlab(r: Rng, i: int) -> tuple[str, str]:
    v = "glpat-" + rs(r, B64URL, 20)
    org, repo = r.choice(ORGS), r.choice(REPOS)
    return pick(i, [
        f"git clone https://oauth2:{v}@gitlab.com/{org}/{repo}.git",
        f'curl --header "PRIVATE-TOKEN: {v}" "https://gitlab.com/api/v4/projects?membership=true"',
        f"GITLAB_TOKEN={v}",
        f"glab auth login --hostname gitlab.{org}.io --token {v}",
        f'gl = gitlab.Gitlab("https://gitlab.com", private_token="{v}")',
        f"hosts:\n    gitlab.com:\n        token: {v}\n        api_protocol: https\n        git_protocol: ssh",
    ]), v


@secret("gitlab_ci_runner_tokens")
def _gitlab_ci(r: Rng, i: int) -> tuple[str, str]:
    trig = "glptt-" + rs(r, HEX, 40)
    runner = "glrt-" + rs(r, B64URL, 20)
    deploy = "gldt-" + rs(r, B64URL, 20)
    reg = "GR1348941" + rs(r, B64URL, 20)
    job = "glcbt-64_" + rs(r, B64URL, 20)
    return pick(i, [
        (f"curl -X POST --fail -F token={trig} -F ref=main https://gitlab.com/api/v4/projects/{num(r, 8)}/trigger/pipeline", trig),
        (f"gitlab-runner register --non-interactive --url https://gitlab.com --token {runner} --executor docker --docker-image alpine:3.19", runner),
        (f'[[runners]]\n  name = "docker-runner"\n  url = "https://gitlab.com"\n  token = "{runner}"\n  executor = "docker"', runner),
        (f"docker login registry.gitlab.com -u gitlab+deploy-token-{num(r, 6)} -p {deploy}", deploy),
        (f"gitlab-runner register --url https://gitlab.acme.io/ --registration-token {reg}", reg),
        (f"Cloning into 'lib'...\nfatal: unable to access 'https://gitlab-ci-token:{job}@gitlab.com/acme/lib.git/': The requested URL returned error: 403", job),
    ])


@secret("bitbucket_tokens")
def _bitbucket(r: Rng, i: int) -> tuple[str, str]:
    atbb = "ATBB" + rs(r, ALNUM, 32)
    atctt = "ATCTT3xFfGN0" + rs(r, B64URL, 170) + "=" + rs(r, UHEX, 8)
    org, repo = r.choice(ORGS), r.choice(REPOS)
    return pick(i, [
        (f"git clone https://jdoe:{atbb}@bitbucket.org/{org}/{repo}.git", atbb),
        (f"BITBUCKET_USERNAME=jdoe\nBITBUCKET_APP_PASSWORD={atbb}", atbb),
        (f"curl -u jdoe:{atbb} https://api.bitbucket.org/2.0/repositories/{org}", atbb),
        (f"git clone https://x-token-auth:{atctt}@bitbucket.org/{org}/{repo}.git", atctt),
        (f'curl -H "Authorization: Bearer {atctt}" https://api.bitbucket.org/2.0/repositories/{org}/{repo}/pullrequests', atctt),
        (f"      - pipe: atlassian/bitbucket-upload-file:0.7.1\n        variables:\n          BITBUCKET_USERNAME: 'ci'\n          BITBUCKET_APP_PASSWORD: '{atbb}'\n          FILENAME: 'dist/*.zip'", atbb),
    ])


@secret("atlassian_api_token")
def _atlassian(r: Rng, i: int) -> tuple[str, str]:
    v = "ATATT3xFfGF0" + rs(r, B64URL, 171) + "=" + rs(r, UHEX, 8)
    old = rs(r, ALNUM, 24)
    email = r.choice(EMAILS)
    return pick(i, [
        (f"JIRA_URL=https://acme.atlassian.net\nJIRA_USER={email}\nJIRA_API_TOKEN={v}", v),
        (f'curl -u {email}:{v} -H "Accept: application/json" https://acme.atlassian.net/rest/api/3/myself', v),
        (f'jira = JIRA(server="https://acme.atlassian.net", basic_auth=("{email}", "{v}"))', v),
        (f"confluence = Confluence(url='https://acme.atlassian.net/wiki', username='{email}', password='{v}', cloud=True)", v),
        (f"machine acme.atlassian.net\n  login {email}\n  password {v}", v),
        (f"ATLASSIAN_TOKEN={old}", old),
    ])


@secret("project_tool_tokens")
def _project_tools(r: Rng, i: int) -> tuple[str, str]:
    lin = "lin_api_" + rs(r, ALNUM, 40)
    asana = f"2/{num(r, 16)}/{num(r, 16)}:{rs(r, HEX, 32)}"
    old = f"1/{num(r, 16)}:{rs(r, HEX, 32)}"
    return pick(i, [
        (f"LINEAR_API_KEY={lin}", lin),
        (f"curl -X POST -H \"Content-Type: application/json\" -H \"Authorization: {lin}\" --data '{{\"query\": \"{{ viewer {{ id name }} }}\"}}' https://api.linear.app/graphql", lin),
        (f'const linear = new LinearClient({{ apiKey: "{lin}" }});', lin),
        (f"ASANA_ACCESS_TOKEN={asana}", asana),
        (f'curl https://app.asana.com/api/1.0/users/me -H "Authorization: Bearer {asana}"', asana),
        (f"client = asana.Client.access_token('{old}')", old),
    ])


@secret("workspace_tokens")
def _workspace(r: Rng, i: int) -> tuple[str, str]:
    notion = ("secret_" + rs(r, ALNUM, 43)) if i % 2 else ("ntn_" + num(r, 11) + rs(r, ALNUM, 35))
    air = "pat" + rs(r, ALNUM, 14) + "." + rs(r, HEX, 64)
    base = "app" + rs(r, ALNUM, 14)
    return pick(i, [
        (f"NOTION_TOKEN={notion}", notion),
        (f'notion = Client(auth="{notion}")', notion),
        (f"curl https://api.notion.com/v1/users -H 'Authorization: Bearer {notion}' -H 'Notion-Version: 2022-06-28'", notion),
        (f"AIRTABLE_API_KEY={air}\nAIRTABLE_BASE_ID={base}", air),
        (f'api = Api("{air}")\ntable = api.table("{base}", "tbl{rs(r, ALNUM, 14)}")', air),
        (f'curl "https://api.airtable.com/v0/{base}/Tasks?maxRecords=3" -H "Authorization: Bearer {air}"', air),
    ])


@secret("sentry_tokens")
def _sentry(r: Rng, i: int) -> tuple[str, str]:
    payload = {"iat": 1717200000 + r.randint(0, 10**6), "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": r.choice(ORGS)}
    sntrys = "sntrys_" + b64(json.dumps(payload, separators=(",", ":")).encode()).rstrip("=") + "_" + rs(r, ALNUM, 43)
    sntryu = "sntryu_" + rs(r, HEX, 64)
    legacy = rs(r, HEX, 64)
    return pick(i, [
        (f"SENTRY_AUTH_TOKEN={sntrys}", sntrys),
        (f"[auth]\ntoken={sntryu}\n\n[defaults]\norg=acme\nproject=web", sntryu),
        (f"sentry-cli --auth-token {sntrys} releases new -p web 2.4.1", sntrys),
        (f'sentryWebpackPlugin({{ org: "acme", project: "web", authToken: "{sntrys}" }})', sntrys),
        (f"curl -H 'Authorization: Bearer {legacy}' https://sentry.io/api/0/projects/", legacy),
        (f"# DO NOT commit this file\nSENTRY_AUTH_TOKEN={sntryu}", sntryu),
    ])


@secret("datadog_keys")
def _datadog(r: Rng, i: int) -> tuple[str, str]:
    api, app = rs(r, HEX, 32), rs(r, HEX, 40)
    return pick(i, [
        (f"DD_API_KEY={api}\nDD_SITE=datadoghq.eu", api),
        (f'curl -X GET "https://api.datadoghq.eu/api/v1/validate" -H "Accept: application/json" -H "DD-API-KEY: {api}"', api),
        (f'curl "https://api.datadoghq.com/api/v1/monitor" -H "DD-API-KEY: {api}" -H "DD-APPLICATION-KEY: {app}"', app),
        (f"## @param api_key - string - required\napi_key: {api}\nsite: datadoghq.eu\nlogs_enabled: true", api),
        (f'docker run -d --name dd-agent -e DD_API_KEY={api} -e DD_SITE="datadoghq.com" -v /var/run/docker.sock:/var/run/docker.sock:ro gcr.io/datadoghq/agent:7', api),
        (f'options = {{"api_key": "{api}", "app_key": "{app}"}}\ninitialize(**options)', app),
    ])


@secret("newrelic_honeycomb_keys")
def _nr_hc(r: Rng, i: int) -> tuple[str, str]:
    nrak = "NRAK-" + rs(r, UALNUM, 27)
    lic = rs(r, HEX, 36) + "NRAL"
    nrii = "NRII-" + rs(r, B64URL, 32)
    hc = "hcaik_" + rs(r, LALNUM, 58)
    hc_classic = rs(r, ALNUM, 22)
    return pick(i, [
        (f"NEW_RELIC_APP_NAME=billing-api\nNEW_RELIC_LICENSE_KEY={lic}", lic),
        (f"common: &default_settings\n  license_key: '{lic}'\n  app_name: Billing API\n  log_level: info", lic),
        (f"curl -X POST https://api.newrelic.com/graphql -H 'Content-Type: application/json' -H 'API-Key: {nrak}' -d '{{\"query\":\"{{ actor {{ user {{ name }} }} }}\"}}'", nrak),
        (f'curl -X POST -H "Content-Type: application/json" -H "X-Insert-Key: {nrii}" -d @events.json https://insights-collector.newrelic.com/v1/accounts/{num(r, 7)}/events', nrii),
        (f'OTEL_EXPORTER_OTLP_ENDPOINT=https://api.honeycomb.io\nOTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team={hc}"', hc),
        (f"exporters:\n  otlp/honeycomb:\n    endpoint: api.honeycomb.io:443\n    headers:\n      x-honeycomb-team: {hc_classic}\n      x-honeycomb-dataset: traces", hc_classic),
    ])


@secret("pagerduty_keys")
def _pagerduty(r: Rng, i: int) -> tuple[str, str]:
    api = (("u+" + rs(r, B64URL, 18)) if i % 2 else rs(r, B64URL + "+", 20))
    routing = rs(r, HEX, 32)
    return pick(i, [
        (f'curl -H "Accept: application/vnd.pagerduty+json;version=2" -H "Authorization: Token token={api}" https://api.pagerduty.com/incidents', api),
        (f"PAGERDUTY_TOKEN={api}", api),
        (f"receivers:\n- name: oncall\n  pagerduty_configs:\n  - routing_key: {routing}\n    severity: critical", routing),
        (f'{{"routing_key": "{routing}", "event_action": "trigger", "payload": {{"summary": "disk full on db-1", "severity": "critical", "source": "db-1"}}}}', routing),
        (f'provider "pagerduty" {{\n  token = "{api}"\n}}', api),
        (f'session = APISession("{api}")\nfor incident in session.iter_all("incidents"):', api),
    ])


@secret("grafana_tokens")
def _grafana(r: Rng, i: int) -> tuple[str, str]:
    glsa = "glsa_" + rs(r, ALNUM, 32) + "_" + rs(r, HEX, 8)
    glc_payload = {"o": num(r, 6), "n": f"stack-{num(r, 6)}-hm-write", "k": rs(r, ALNUM, 24), "m": {"r": "prod-eu-west-2"}}
    glc = "glc_" + b64(json.dumps(glc_payload, separators=(",", ":")).encode()).rstrip("=")
    legacy = b64(json.dumps({"k": rs(r, ALNUM, 32), "n": "ci", "id": 1}, separators=(",", ":")).encode())
    return pick(i, [
        (f"GRAFANA_URL=https://grafana.acme.io\nGRAFANA_SERVICE_ACCOUNT_TOKEN={glsa}", glsa),
        (f'curl -H "Authorization: Bearer {glsa}" https://grafana.acme.io/api/dashboards/uid/api-latency', glsa),
        (f'provider "grafana" {{\n  url  = "https://acme.grafana.net/"\n  auth = "{glsa}"\n}}', glsa),
        (f"remote_write:\n  - url: https://prometheus-prod-24-prod-eu-west-2.grafana.net/api/prom/push\n    basic_auth:\n      username: {num(r, 7)}\n      password: {glc}", glc),
        (f"GRAFANA_CLOUD_ACCESS_POLICY_TOKEN={glc}", glc),
        (f'curl -H "Authorization: Bearer {legacy}" http://grafana:3000/api/search?query=api', legacy),
    ])


@secret("postman_api_key")
def _postman(r: Rng, i: int) -> tuple[str, str]:
    v = "PMAK-" + rs(r, HEX, 24) + "-" + rs(r, HEX, 34)
    return pick(i, [
        f"POSTMAN_API_KEY={v}",
        f'curl https://api.getpostman.com/collections -H "X-Api-Key: {v}"',
        f'newman run "https://api.getpostman.com/collections/{num(r, 8)}-{uid(r)}?apikey={v}" -e staging.json',
        f"postman login --with-api-key {v}",
        f'const res = await fetch("https://api.getpostman.com/workspaces", {{ headers: {{ "X-API-Key": "{v}" }} }});',
        f"      - name: Run API tests\n        run: |\n          postman login --with-api-key {v}\n          postman collection run {num(r, 8)}-{uid(r)}",
    ]), v


# ================================================================ SaaS: payments, mail, identity, misc


@secret("stripe_live_keys")
def _stripe_live(r: Rng, i: int) -> tuple[str, str]:
    n = 99 if i % 2 else 24
    sk = "sk_live_" + rs(r, ALNUM, n)
    rk = "rk_live_" + rs(r, ALNUM, n)
    return pick(i, [
        (f'stripe.api_key = "{sk}"', sk),
        (f"STRIPE_SECRET_KEY={sk}\nSTRIPE_PUBLISHABLE_KEY=pk_live_{rs(r, ALNUM, 99)}", sk),
        (f"curl https://api.stripe.com/v1/charges -u {sk}: -d amount=2000 -d currency=eur -d source=tok_visa", sk),
        (f"const stripe = require('stripe')('{sk}');", sk),
        (f"Stripe.api_key = '{rk}'", rk),
        (f'StripeConfiguration.ApiKey = "{rk}";', rk),
    ])


@secret("stripe_test_and_webhook")
def _stripe_test(r: Rng, i: int) -> tuple[str, str]:
    skt = "sk_test_" + rs(r, ALNUM, 99)
    rkt = "rk_test_" + rs(r, ALNUM, 99)
    whsec = "whsec_" + rs(r, ALNUM, 32)
    return pick(i, [
        (f"# .env.test\nSTRIPE_SECRET_KEY={skt}", skt),
        (f'Stripe.apiKey = "{skt}";', skt),
        (f"> Ready! You are using Stripe API Version [2024-04-10]. Your webhook signing secret is {whsec} (^C to quit)", whsec),
        (f"STRIPE_WEBHOOK_SECRET={whsec}", whsec),
        (f'event = stripe.Webhook.construct_event(payload, sig_header, "{whsec}")', whsec),
        (f"[default]\ndevice_name = jdoe-laptop\ntest_mode_api_key = '{rkt}'\ntest_mode_publishable_key = 'pk_test_{rs(r, ALNUM, 99)}'", rkt),
    ])


@secret("payment_provider_tokens")
def _payments(r: Rng, i: int) -> tuple[str, str]:
    sq = "EAAA" + rs(r, B64URL, 60)
    sqs = "sq0csp-" + rs(r, B64URL, 43)
    bt = f"access_token$production${rs(r, LALNUM, 16)}${rs(r, HEX, 32)}"
    ppid, ppsec = "A" + rs(r, B64URL, 79), "E" + rs(r, B64URL, 79)
    return pick(i, [
        (f"SQUARE_ACCESS_TOKEN={sq}\nSQUARE_ENVIRONMENT=production", sq),
        (f'client = Client(access_token="{sq}", environment="production")', sq),
        (f"curl https://connect.squareup.com/v2/locations -H 'Square-Version: 2024-05-15' -H 'Authorization: Bearer {sq}'", sq),
        (f"SQUARE_APPLICATION_ID=sq0idp-{rs(r, B64URL, 22)}\nSQUARE_APPLICATION_SECRET={sqs}", sqs),
        (f'gateway = braintree.BraintreeGateway(access_token="{bt}")', bt),
        (f'curl -v https://api-m.paypal.com/v1/oauth2/token -u "{ppid}:{ppsec}" -d "grant_type=client_credentials"', ppsec),
    ])


@secret("shopify_tokens")
def _shopify(r: Rng, i: int) -> tuple[str, str]:
    shpat, shpca, shppa, shpss = (p + rs(r, HEX, 32) for p in ("shpat_", "shpca_", "shppa_", "shpss_"))
    return pick(i, [
        (f'curl -H "X-Shopify-Access-Token: {shpat}" https://acme.myshopify.com/admin/api/2024-04/shop.json', shpat),
        (f"SHOPIFY_STORE=acme.myshopify.com\nSHOPIFY_ACCESS_TOKEN={shpat}", shpat),
        (f'session = shopify.Session("acme.myshopify.com", "2024-04", "{shpca}")', shpca),
        (f"SHOPIFY_API_KEY={rs(r, HEX, 32)}\nSHOPIFY_API_SECRET={shpss}", shpss),
        (f"GET https://{rs(r, HEX, 32)}:{shppa}@acme.myshopify.com/admin/api/2024-04/products.json", shppa),
        (f"ShopifyAPI::Context.setup(api_key: 'key', api_secret_key: '{shpss}', host: 'https://app.acme.io', scope: 'read_products')", shpss),
    ])


@secret("twilio_credentials")
def _twilio(r: Rng, i: int) -> tuple[str, str]:
    sid, tok = "AC" + rs(r, HEX, 32), rs(r, HEX, 32)
    sk, sksec = "SK" + rs(r, HEX, 32), rs(r, ALNUM, 32)
    return pick(i, [
        (f"TWILIO_ACCOUNT_SID={sid}\nTWILIO_AUTH_TOKEN={tok}", tok),
        (f'client = Client("{sid}", "{tok}")', tok),
        (f'curl -X POST "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json" --data-urlencode "Body=Your code is 481516" --data-urlencode "From=+15005550006" --data-urlencode "To=+15558675310" -u {sid}:{tok}', tok),
        (f"const client = require('twilio')('{sid}', '{tok}');", tok),
        (f'client = Client("{sk}", "{sksec}", "{sid}")', sksec),
        (f"twilio:\n  account_sid: {sid}\n  auth_token: {tok}\n  from_number: '+15005550006'", tok),
    ])


@secret("mail_provider_keys")
def _mail(r: Rng, i: int) -> tuple[str, str]:
    sg = "SG." + rs(r, B64URL, 22) + "." + rs(r, B64URL, 43)
    mg_old = "key-" + rs(r, HEX, 32)
    mg_new = f"{rs(r, HEX, 32)}-{rs(r, HEX, 8)}-{rs(r, HEX, 8)}"
    mc = rs(r, HEX, 32) + "-us" + str(r.randint(1, 21))
    brevo = "xkeysib-" + rs(r, HEX, 64) + "-" + rs(r, ALNUM, 16)
    resend = "re_" + rs(r, ALNUM, 8) + "_" + rs(r, ALNUM, 24)
    pm = uid(r)
    return pick(i, [
        (f"curl -s --user 'api:{mg_old}' https://api.mailgun.net/v3/mg.acme.io/messages -F from='Acme <noreply@mg.acme.io>' -F to=jdoe@example.com -F subject=Hello -F text='Testing'", mg_old),
        (f'requests.post("https://api.eu.mailgun.net/v3/mg.acme.io/messages", auth=("api", "{mg_new}"), data=message)', mg_new),
        (f"MAILCHIMP_API_KEY={mc}\nMAILCHIMP_LIST_ID={rs(r, HEX, 10)}", mc),
        (f"curl -X POST https://api.brevo.com/v3/smtp/email -H 'accept: application/json' -H 'api-key: {brevo}' -d @mail.json\n# then resend fallback: const resend = new Resend('{resend}');", brevo),
        (f'EMAIL_HOST = "smtp.sendgrid.net"\nEMAIL_HOST_USER = "apikey"\nEMAIL_HOST_PASSWORD = "{sg}"\nEMAIL_PORT = 587', sg),
        (f'curl "https://api.postmarkapp.com/email" -X POST -H "Accept: application/json" -H "Content-Type: application/json" -H "X-Postmark-Server-Token: {pm}" -d @message.json', pm),
    ])


@secret("algolia_admin_key")
def _algolia(r: Rng, i: int) -> tuple[str, str]:
    app_id, v = rs(r, UALNUM, 10), rs(r, HEX, 32)
    return pick(i, [
        f"ALGOLIA_APP_ID={app_id}\nALGOLIA_ADMIN_API_KEY={v}",
        f'client = SearchClient.create("{app_id}", "{v}")\nindex = client.init_index("products")',
        f'curl -X GET -H "X-Algolia-API-Key: {v}" -H "X-Algolia-Application-Id: {app_id}" "https://{app_id}-dsn.algolia.net/1/indexes"',
        f"const client = algoliasearch('{app_id}', '{v}');",
        f"algolia:\n  application_id: {app_id}\n  index_name: docs\n  admin_api_key: {v}",
        f"ALGOLIA_API_KEY={v} bundle exec jekyll algolia",
    ]), v


@secret("okta_auth0_secrets")
def _okta_auth0(r: Rng, i: int) -> tuple[str, str]:
    okta = "00" + rs(r, B64URL, 40)
    a0 = rs(r, B64URL, 64)
    cid = rs(r, ALNUM, 32)
    return pick(i, [
        (f'curl -H "Accept: application/json" -H "Authorization: SSWS {okta}" "https://acme.okta.com/api/v1/users?limit=25"', okta),
        (f"OKTA_ORG_URL=https://acme.okta.com\nOKTA_API_TOKEN={okta}", okta),
        (f"okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: {okta}", okta),
        (f"AUTH0_DOMAIN=acme.eu.auth0.com\nAUTH0_CLIENT_ID={cid}\nAUTH0_CLIENT_SECRET={a0}", a0),
        (f"curl --request POST --url https://acme.eu.auth0.com/oauth/token --header 'content-type: application/json' --data '{{\"client_id\":\"{cid}\",\"client_secret\":\"{a0}\",\"audience\":\"https://api.acme.io\",\"grant_type\":\"client_credentials\"}}'", a0),
        (f"const auth0 = new AuthenticationClient({{ domain: 'acme.eu.auth0.com', clientId: '{cid}', clientSecret: '{a0}' }});", a0),
    ])


@secret("network_agent_tokens")
def _net_agents(r: Rng, i: int) -> tuple[str, str]:
    ts = "tskey-auth-k" + rs(r, ALNUM, 9) + "CNTRL-" + rs(r, ALNUM, 33)
    tsapi = "tskey-api-k" + rs(r, ALNUM, 9) + "CNTRL-" + rs(r, ALNUM, 33)
    ngrok = "2" + rs(r, ALNUM, 26) + "_" + rs(r, ALNUM, 21)
    return pick(i, [
        (f"sudo tailscale up --authkey={ts} --advertise-tags=tag:ci", ts),
        (f"docker run -d --name tailscaled -e TS_AUTHKEY={ts} -e TS_STATE_DIR=/var/lib/tailscale tailscale/tailscale", ts),
        (f'curl -u "{tsapi}:" https://api.tailscale.com/api/v2/tailnet/-/devices', tsapi),
        (f"ngrok config add-authtoken {ngrok}", ngrok),
        (f'version: "2"\nauthtoken: {ngrok}\ntunnels:\n  web:\n    proto: http\n    addr: 8080', ngrok),
        (f"NGROK_AUTHTOKEN={ngrok}", ngrok),
    ])


@secret("uuid_service_tokens")
def _uuid_tokens(r: Rng, i: int) -> tuple[str, str]:
    ld = "sdk-" + uid(r)
    snyk, codecov = uid(r), uid(r)
    ldapi = "api-" + uid(r)
    return pick(i, [
        (f"LAUNCHDARKLY_SDK_KEY={ld}", ld),
        (f'ldclient.set_config(Config("{ld}"))\nclient = ldclient.get()', ld),
        (f"$ snyk auth {snyk}\nYour account has been authenticated.", snyk),
        (f"SNYK_TOKEN={snyk}", snyk),
        (f"bash <(curl -s https://codecov.io/bash) -t {codecov} -f coverage.xml", codecov),
        (f'curl -H "Authorization: {ldapi}" https://app.launchdarkly.com/api/v2/flags/default', ldapi),
    ])


@secret("sonarqube_tokens")
def _sonar(r: Rng, i: int) -> tuple[str, str]:
    v = r.choice(["sqp_", "squ_", "sqa_"]) + rs(r, HEX, 40)
    return pick(i, [
        f"sonar-scanner -Dsonar.projectKey=api -Dsonar.host.url=https://sonar.acme.io -Dsonar.token={v}",
        f"SONAR_TOKEN={v}\nSONAR_HOST_URL=https://sonarcloud.io",
        f"mvn clean verify sonar:sonar -Dsonar.login={v}",
        f"sonar.projectKey=acme_api\nsonar.organization=acme\nsonar.token={v}",
        f"curl -u {v}: https://sonar.acme.io/api/projects/search",
        f"./gradlew sonar -Dsonar.token={v} --info",
    ]), v


@secret("crm_support_tokens")
def _crm(r: Rng, i: int) -> tuple[str, str]:
    zd = rs(r, ALNUM, 40)
    sf = "00D" + rs(r, ALNUM, 12) + "!" + rs(r, ALNUM + ".", 96)
    intercom = b64(f"tok:{uid(r)}:1:0".encode())
    email = r.choice(EMAILS)
    return pick(i, [
        (f"curl https://acme.zendesk.com/api/v2/tickets.json -u {email}/token:{zd}", zd),
        (f'zenpy_client = Zenpy(email="{email}", token="{zd}", subdomain="acme")', zd),
        (f"$ sf org display --target-org prod\n=== Org Description\n KEY              VALUE\n ──────────────── ─────────────\n Access Token     {sf}\n Api Version      60.0\n Instance Url     https://acme.my.salesforce.com", sf),
        (f'curl https://acme.my.salesforce.com/services/data/v60.0/sobjects/Account -H "Authorization: Bearer {sf}"', sf),
        (f"INTERCOM_ACCESS_TOKEN={intercom}", intercom),
        (f'curl https://api.intercom.io/contacts -H "Authorization: Bearer {intercom}" -H "Intercom-Version: 2.11"', intercom),
    ])


@secret("media_map_tokens")
def _media(r: Rng, i: int) -> tuple[str, str]:
    mb = "sk." + b64u(json.dumps({"u": r.choice(ORGS), "a": rs(r, LALNUM, 25)}, separators=(",", ":")).encode()) + "." + rs(r, B64URL, 22)
    cl_key, cl_sec = num(r, 15), rs(r, B64URL, 27)
    dbx = "sl." + rs(r, B64URL, 138)
    return pick(i, [
        (f"MAPBOX_SECRET_TOKEN={mb}", mb),
        (f"machine api.mapbox.com\n  login mapbox\n  password {mb}", mb),
        (f"MAPBOX_DOWNLOADS_TOKEN={mb}\norg.gradle.jvmargs=-Xmx2048m", mb),
        (f"CLOUDINARY_URL=cloudinary://{cl_key}:{cl_sec}@acme", cl_sec),
        (f'cloudinary.config(cloud_name="acme", api_key="{cl_key}", api_secret="{cl_sec}", secure=True)', cl_sec),
        (f'dbx = dropbox.Dropbox("{dbx}")\ndbx.files_upload(data, "/backups/db.sql.gz")', dbx),
    ])


@secret("social_push_tokens")
def _social(r: Rng, i: int) -> tuple[str, str]:
    fcm = "AAAA" + rs(r, B64URL, 7) + ":APA91b" + rs(r, B64URL, 134)
    tw = "A" * 22 + rs(r, ALNUM, 4) + "A" * 7 + quote(b64(r.randbytes(24)), safe="") + rs(r, ALNUM, 50)
    fb = "EAAG" + rs(r, ALNUM, 180)
    return pick(i, [
        (f"curl -X POST -H \"Authorization: key={fcm}\" -H \"Content-Type: application/json\" https://fcm.googleapis.com/fcm/send -d '{{\"to\": \"/topics/news\", \"notification\": {{\"title\": \"Hi\"}}}}'", fcm),
        (f"FCM_SERVER_KEY={fcm}", fcm),
        (f"TWITTER_BEARER_TOKEN={tw}", tw),
        (f'client = tweepy.Client(bearer_token="{tw}")', tw),
        (f'curl -i -X GET "https://graph.facebook.com/v19.0/me/accounts?access_token={fb}"', fb),
        (f"FB_PAGE_ID={num(r, 15)}\nFB_PAGE_ACCESS_TOKEN={fb}", fb),
    ])


# ================================================================ AI providers


@secret("openai_keys")
def _openai(r: Rng, i: int) -> tuple[str, str]:
    proj = "sk-proj-" + rs(r, B64URL, 74) + "T3BlbkFJ" + rs(r, B64URL, 74)
    legacy = "sk-" + rs(r, ALNUM, 20) + "T3BlbkFJ" + rs(r, ALNUM, 20)
    svc = "sk-svcacct-" + rs(r, B64URL, 74) + "T3BlbkFJ" + rs(r, B64URL, 74)
    admin = "sk-admin-" + rs(r, B64URL, 74) + "T3BlbkFJ" + rs(r, B64URL, 74)
    return pick(i, [
        (f"OPENAI_API_KEY={proj}", proj),
        (f'client = OpenAI(api_key="{legacy}")', legacy),
        (f"curl https://api.openai.com/v1/chat/completions -H \"Content-Type: application/json\" -H \"Authorization: Bearer {svc}\" -d '{{\"model\": \"gpt-4o-mini\", \"messages\": [{{\"role\": \"user\", \"content\": \"hi\"}}]}}'", svc),
        (f'openai.api_key = "{proj}"', proj),
        (f'const openai = new OpenAI({{ apiKey: "{admin}" }});', admin),
        (f'{{\n  "// Note": "This file stores secret API credentials. Do not share!",\n  "openai": "{proj}"\n}}', proj),
    ])


@secret("anthropic_keys")
def _anthropic(r: Rng, i: int) -> tuple[str, str]:
    api = "sk-ant-api03-" + rs(r, B64URL, 93) + "AA"
    admin = "sk-ant-admin01-" + rs(r, B64URL, 93) + "AA"
    return pick(i, [
        (f"ANTHROPIC_API_KEY={api}", api),
        (f'client = anthropic.Anthropic(api_key="{api}")', api),
        (f"curl https://api.anthropic.com/v1/messages -H \"x-api-key: {api}\" -H \"anthropic-version: 2023-06-01\" -H \"content-type: application/json\" -d '{{\"model\":\"claude-3-5-sonnet-20240620\",\"max_tokens\":256,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}]}}'", api),
        (f'curl "https://api.anthropic.com/v1/organizations/workspaces" -H "x-api-key: {admin}" -H "anthropic-version: 2023-06-01"', admin),
        (f'{{\n  "numStartups": 3,\n  "primaryApiKey": "{api}",\n  "hasCompletedOnboarding": true\n}}', api),
        (f"const anthropic = new Anthropic({{ apiKey: '{api}' }});", api),
    ])


@secret("llm_bare_keys")
def _llm_bare(r: Rng, i: int) -> tuple[str, str]:
    co, mi, tg = rs(r, ALNUM, 40), rs(r, ALNUM, 32), rs(r, HEX, 64)
    ds = "sk-" + rs(r, HEX, 32)
    return pick(i, [
        (f"CO_API_KEY={co}", co),
        (f'co = cohere.ClientV2(api_key="{co}")', co),
        (f"MISTRAL_API_KEY={mi}", mi),
        (f'client = Mistral(api_key="{mi}")\nresp = client.chat.complete(model="mistral-large-latest", messages=msgs)', mi),
        (f'curl -H "Authorization: Bearer {tg}" https://api.together.xyz/v1/models', tg),
        (f'client = OpenAI(api_key="{ds}", base_url="https://api.deepseek.com")', ds),
    ])


@secret("huggingface_token")
def _hf(r: Rng, i: int) -> tuple[str, str]:
    v = ("api_org_" if i == 5 else "hf_") + rs(r, LETTERS, 34)
    return pick(i, [
        f"HF_TOKEN={v}",
        f"huggingface-cli login --token {v} --add-to-git-credential",
        f'from huggingface_hub import login\nlogin(token="{v}")',
        f"git clone https://jdoe:{v}@huggingface.co/acme/private-model",
        f'model = AutoModelForCausalLM.from_pretrained("meta-llama/Meta-Llama-3-8B", token="{v}")',
        f"$ cat ~/.cache/huggingface/token\n{v}",
    ]), v


@secret("replicate_groq_keys")
def _replicate_groq(r: Rng, i: int) -> tuple[str, str]:
    r8 = "r8_" + rs(r, ALNUM, 37)
    gsk = "gsk_" + rs(r, ALNUM, 52)
    return pick(i, [
        (f"REPLICATE_API_TOKEN={r8}", r8),
        (f'client = replicate.Client(api_token="{r8}")', r8),
        (f"curl -s -X POST -H 'Authorization: Bearer {r8}' -H 'Content-Type: application/json' -d '{{\"input\": {{\"prompt\": \"a cat\"}}}}' https://api.replicate.com/v1/models/black-forest-labs/flux-schnell/predictions", r8),
        (f"GROQ_API_KEY={gsk}", gsk),
        (f'client = Groq(api_key="{gsk}")', gsk),
        (f'curl https://api.groq.com/openai/v1/models -H "Authorization: Bearer {gsk}"', gsk),
    ])


@secret("ai_platform_keys")
def _ai_platform(r: Rng, i: int) -> tuple[str, str]:
    pc = "pcsk_" + rs(r, ALNUM, 5) + "_" + rs(r, ALNUM, 63)
    ls_pt = "lsv2_pt_" + rs(r, HEX, 32) + "_" + rs(r, HEX, 10)
    ls_sk = "lsv2_sk_" + rs(r, HEX, 32) + "_" + rs(r, HEX, 10)
    lf = "sk-lf-" + uid(r)
    return pick(i, [
        (f"PINECONE_API_KEY={pc}", pc),
        (f'pc = Pinecone(api_key="{pc}")\nindex = pc.Index("docs")', pc),
        (f'curl -X GET "https://api.pinecone.io/indexes" -H "Api-Key: {pc}" -H "X-Pinecone-API-Version: 2024-07"', pc),
        (f"LANGCHAIN_TRACING_V2=true\nLANGCHAIN_API_KEY={ls_pt}\nLANGCHAIN_PROJECT=support-bot", ls_pt),
        (f'client = Client(api_url="https://api.smith.langchain.com", api_key="{ls_sk}")', ls_sk),
        (f'langfuse = Langfuse(public_key="pk-lf-{uid(r)}", secret_key="{lf}", host="https://cloud.langfuse.com")', lf),
    ])


@secret("other_llm_keys")
def _other_llm(r: Rng, i: int) -> tuple[str, str]:
    xai = "xai-" + rs(r, ALNUM, 80)
    pplx = "pplx-" + rs(r, ALNUM, 48)
    orr = "sk-or-v1-" + rs(r, HEX, 64)
    el = "sk_" + rs(r, HEX, 48)
    fw = "fw_" + rs(r, ALNUM, 24)
    vo = "pa-" + rs(r, B64URL, 43)
    return pick(i, [
        (f"XAI_API_KEY={xai}", xai),
        (f'client = OpenAI(api_key="{pplx}", base_url="https://api.perplexity.ai")', pplx),
        (f'curl https://openrouter.ai/api/v1/chat/completions -H "Authorization: Bearer {orr}" -H "Content-Type: application/json" -d @req.json', orr),
        (f"curl -X POST \"https://api.elevenlabs.io/v1/text-to-speech/{rs(r, ALNUM, 20)}\" -H \"xi-api-key: {el}\" -H \"Content-Type: application/json\" -d '{{\"text\": \"Hello\"}}'", el),
        (f"FIREWORKS_API_KEY={fw}", fw),
        (f'vo = voyageai.Client(api_key="{vo}")', vo),
    ])


@secret("wandb_kaggle_keys")
def _wandb(r: Rng, i: int) -> tuple[str, str]:
    wb, kg = rs(r, HEX, 40), rs(r, HEX, 32)
    return pick(i, [
        (f"WANDB_API_KEY={wb}\nWANDB_PROJECT=llm-finetune", wb),
        (f"$ wandb login {wb}\nwandb: Appending key for api.wandb.ai to your netrc file: /home/jdoe/.netrc", wb),
        (f"machine api.wandb.ai\n  login user\n  password {wb}", wb),
        (f'{{"username":"jdoe","key":"{kg}"}}', kg),
        (f"KAGGLE_USERNAME=jdoe\nKAGGLE_KEY={kg}", kg),
        (f'os.environ["WANDB_API_KEY"] = "{wb}"\nwandb.init(project="vision")', wb),
    ])


# ================================================================ secret managers, IaC, registries, CI


@secret("doppler_token")
def _doppler(r: Rng, i: int) -> tuple[str, str]:
    env = r.choice(["prd", "stg", "dev"])
    st = f"dp.st.{env}." + rs(r, ALNUM, 43)
    ct = "dp.ct." + rs(r, ALNUM, 43)
    pt = "dp.pt." + rs(r, ALNUM, 43)
    return pick(i, [
        (f"DOPPLER_TOKEN={st}", st),
        (f"doppler run --token {st} -- npm start", st),
        (f"scoped:\n    /:\n        token: {ct}\n        api-host: https://api.doppler.com\n        dashboard-host: https://dashboard.doppler.com", ct),
        (f"docker run --rm -e DOPPLER_TOKEN={st} acme/api:2.1", st),
        (f"curl -u {pt}: https://api.doppler.com/v3/projects", pt),
        (f"$ doppler configs tokens create ci-{env} --plain\n{st}", st),
    ])


@secret("onepassword_tokens")
def _onepassword(r: Rng, i: int) -> tuple[str, str]:
    blob = {"signInAddress": "my.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256", "iterations": 650000, "salt": b64u(r.randbytes(16))},
            "email": f"{rs(r, LALNUM, 13)}@1passwordserviceaccounts.com", "srpX": rs(r, HEX, 64),
            "muk": {"alg": "A256GCM", "ext": False, "k": b64u(r.randbytes(32)), "key_ops": ["decrypt", "encrypt"], "kty": "oct", "kid": "mp"},
            "secretKey": "A3-" + rs(r, UALNUM, 6) + "-" + rs(r, UALNUM, 6), "throttleSecret": {"seed": rs(r, HEX, 64), "uuid": rs(r, UALNUM, 26)},
            "deviceUuid": rs(r, LALNUM, 26)}
    ops = "ops_" + b64u(json.dumps(blob, separators=(",", ":")).encode())
    sk = "A3-" + "-".join(rs(r, "ABCDEFGHJKLMNPQRSTVWXYZ23456789", n) for n in (6, 6, 5, 5, 5, 5))
    conn = jwt(r, {"aud": ["com.1password.connect"], "iss": "com.1password.b5", "sub": rs(r, UALNUM, 26), "jti": rs(r, LALNUM, 26)}, alg="ES256", kid=rs(r, LALNUM, 26))
    return pick(i, [
        (f"OP_SERVICE_ACCOUNT_TOKEN={ops}", ops),
        (f"      - uses: 1password/load-secrets-action@v2\n        env:\n          OP_SERVICE_ACCOUNT_TOKEN: {ops}\n          DB_PASSWORD: op://prod/db/password", ops),
        (f'client = await Client.authenticate(auth="{ops}", integration_name="deploy", integration_version="v1.0.0")', ops),
        (f"op account add --address my.1password.com --email jdoe@acme.io --secret-key {sk}", sk),
        (f"1Password Emergency Kit\nSign-in address: https://acme.1password.com\nEmail address: jdoe@acme.io\nSecret Key: {sk}", sk),
        (f'curl -H "Authorization: Bearer {conn}" http://op-connect:8080/v1/vaults', conn),
    ])


@secret("vault_tokens")
def _vault(r: Rng, i: int) -> tuple[str, str]:
    hvs = "hvs." + rs(r, ALNUM, 24)
    hvs_long = "hvs.CAESI" + rs(r, B64URL, 86)
    legacy = "s." + rs(r, ALNUM, 24)
    unseal = [b64(r.randbytes(33)) for _ in range(5)]
    init = "\n".join(f"Unseal Key {n + 1}: {k}" for n, k in enumerate(unseal))
    return pick(i, [
        (f"export VAULT_ADDR=https://vault.acme.io:8200\nexport VAULT_TOKEN={hvs}", hvs),
        (f'curl -H "X-Vault-Token: {hvs}" https://vault.acme.io:8200/v1/secret/data/api', hvs),
        (f'client = hvac.Client(url="https://vault.acme.io:8200", token="{hvs_long}")', hvs_long),
        (f"$ cat ~/.vault-token\n{legacy}", legacy),
        (f"$ vault operator init\n{init}\n\nInitial Root Token: {hvs}\n\nVault initialized with 5 key shares and a key threshold of 3.", unseal[0]),
        (f"$ vault operator unseal {unseal[2]}\nKey                Value\n---                -----\nSeal Type          shamir\nSealed             true\nUnseal Progress    1/3", unseal[2]),
    ])


@secret("terraform_cloud_token")
def _tfc(r: Rng, i: int) -> tuple[str, str]:
    v = rs(r, ALNUM, 14) + ".atlasv1." + rs(r, ALNUM, 67)
    return pick(i, [
        f'{{\n  "credentials": {{\n    "app.terraform.io": {{\n      "token": "{v}"\n    }}\n  }}\n}}',
        f"TF_TOKEN_app_terraform_io={v}",
        f'credentials "app.terraform.io" {{\n  token = "{v}"\n}}',
        f'curl --header "Authorization: Bearer {v}" --header "Content-Type: application/vnd.api+json" https://app.terraform.io/api/v2/organizations/acme/workspaces',
        f"TFE_TOKEN={v}\nTFE_HOSTNAME=app.terraform.io",
        f"      - uses: hashicorp/setup-terraform@v3\n        with:\n          cli_config_credentials_token: {v}",
    ]), v


@secret("infra_tool_tokens")
def _infra_tools(r: Rng, i: int) -> tuple[str, str]:
    pul = "pul-" + rs(r, HEX, 40)
    consul, accessor, nomad = uid(r), uid(r), uid(r)
    return pick(i, [
        (f"PULUMI_ACCESS_TOKEN={pul}", pul),
        (f'{{\n    "current": "https://api.pulumi.com",\n    "accessTokens": {{\n        "https://api.pulumi.com": "{pul}"\n    }}\n}}', pul),
        (f'curl -H "Authorization: token {pul}" https://api.pulumi.com/api/user', pul),
        (f"CONSUL_HTTP_ADDR=https://consul.acme.io:8501\nCONSUL_HTTP_TOKEN={consul}", consul),
        (f"$ consul acl bootstrap\nAccessorID:       {accessor}\nSecretID:         {consul}\nDescription:      Bootstrap Token (Global Management)\nLocal:            false\nCreate Time:      2024-06-01 10:22:11.123 +0000 UTC\nPolicies:\n   00000000-0000-0000-0000-000000000001 - global-management", consul),
        (f'curl --header "X-Nomad-Token: {nomad}" https://nomad.acme.io:4646/v1/jobs', nomad),
    ])


@secret("npm_token")
def _npm(r: Rng, i: int) -> tuple[str, str]:
    v = crc_token(r, "npm_")
    return pick(i, [
        f"//registry.npmjs.org/:_authToken={v}",
        f"NPM_TOKEN={v}",
        f"npm config set //registry.npmjs.org/:_authToken {v}",
        f'npmRegistryServer: "https://registry.npmjs.org"\nnpmAuthToken: "{v}"',
        f'echo "//registry.npmjs.org/:_authToken={v}" > ~/.npmrc && npm publish --access public',
        f'[install.scopes]\n"@acme" = {{ token = "{v}", url = "https://registry.npmjs.org/" }}',
    ]), v


@secret("npmrc_legacy_auth")
def _npmrc_legacy(r: Rng, i: int) -> tuple[str, str]:
    basic = b64(f"{r.choice(USERS)}:{pw(r)}".encode())
    pwb = b64(pw(r).encode())
    legacy = uid(r)
    return pick(i, [
        (f"registry=https://nexus.acme.io/repository/npm-group/\n_auth={basic}\nalways-auth=true", basic),
        (f"//nexus.acme.io/repository/npm-private/:username=deploy\n//nexus.acme.io/repository/npm-private/:_password={pwb}\n//nexus.acme.io/repository/npm-private/:email=deploy@acme.io", pwb),
        (f"//registry.npmjs.org/:_authToken={legacy}", legacy),
        (f"NPM_CONFIG__AUTH={basic}", basic),
        (f"@acme:registry=https://npm.acme.io/\n//npm.acme.io/:_authToken={legacy}", legacy),
        (f"email=ci@acme.io\n_auth = {basic}\nstrict-ssl=false", basic),
    ])


@secret("pypi_token")
def _pypi(r: Rng, i: int) -> tuple[str, str]:
    head = "pypi-AgENdGVzdC5weXBpLm9yZw" if i == 5 else "pypi-AgEIcHlwaS5vcmc"
    v = head + rs(r, B64URL, r.randint(140, 190))
    return pick(i, [
        f"[distutils]\nindex-servers =\n    pypi\n\n[pypi]\n  username = __token__\n  password = {v}",
        f"TWINE_USERNAME=__token__\nTWINE_PASSWORD={v}",
        f"twine upload -u __token__ -p {v} dist/*",
        f"poetry config pypi-token.pypi {v}",
        f"UV_PUBLISH_TOKEN={v} uv publish",
        f"      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: {v}\n          repository-url: https://test.pypi.org/legacy/",
    ]), v


@secret("python_index_passwords")
def _py_index(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    u = quote(p, safe="-_.~")
    return pick(i, [
        (f"[internal]\nrepository = https://nexus.acme.io/repository/pypi-internal/\nusername = deploy\npassword = {p}", p),
        (f"[global]\nindex-url = https://deploy:{u}@nexus.acme.io/repository/pypi-all/simple\ntrusted-host = nexus.acme.io", u),
        (f"PIP_EXTRA_INDEX_URL=https://__token__:{u}@gitlab.com/api/v4/projects/{num(r, 8)}/packages/pypi/simple", u),
        (f"POETRY_HTTP_BASIC_ACME_USERNAME=deploy\nPOETRY_HTTP_BASIC_ACME_PASSWORD={p}", p),
        (f"UV_INDEX_ACME_USERNAME=deploy\nUV_INDEX_ACME_PASSWORD='{p}'", p),
        (f"--extra-index-url https://ci:{u}@pypi.acme.io/simple/\nacme-core==2.4.1\nrequests==2.32.3", u),
    ])


@secret("rubygems_nuget_keys")
def _gems_nuget(r: Rng, i: int) -> tuple[str, str]:
    rg = "rubygems_" + rs(r, HEX, 48)
    ng = "oy2" + rs(r, LALNUM, 43)
    return pick(i, [
        (f"---\n:rubygems_api_key: {rg}", rg),
        (f"GEM_HOST_API_KEY={rg} gem push acme-client-1.4.0.gem", rg),
        (f'curl -H "Authorization: {rg}" https://rubygems.org/api/v1/gems/acme-client/owners', rg),
        (f"dotnet nuget push bin/Release/Acme.Core.2.1.0.nupkg --api-key {ng} --source https://api.nuget.org/v3/index.json", ng),
        (f"NUGET_API_KEY={ng}", ng),
        (f"nuget setapikey {ng} -source https://api.nuget.org/v3/index.json", ng),
    ])


@secret("dockerhub_pat")
def _dockerhub(r: Rng, i: int) -> tuple[str, str]:
    v = ("dckr_oat_" if i == 5 else "dckr_pat_") + rs(r, B64URL, 27)
    return pick(i, [
        f"docker login -u acme -p {v}",
        f"DOCKERHUB_USERNAME=acme\nDOCKERHUB_TOKEN={v}",
        f'echo "{v}" | docker login -u acme --password-stdin',
        f"      - uses: docker/login-action@v3\n        with:\n          username: acme\n          password: {v}",
        f'curl -s -H "Content-Type: application/json" -X POST -d \'{{"username": "acme", "password": "{v}"}}\' https://hub.docker.com/v2/users/login/',
        f"DOCKER_PASSWORD={v}",
    ]), v


@secret("docker_config_auth")
def _docker_auth(r: Rng, i: int) -> tuple[str, str]:
    basic = b64(f"{r.choice(USERS)}:{pw(r)}".encode())
    ecr = b64(("AWS:" + b64(r.randbytes(900))).encode())
    regs = ["https://index.docker.io/v1/", "ghcr.io", "registry.gitlab.com", "harbor.acme.io", "quay.io"]
    reg = pick(i, regs)
    return pick(i, [
        (f'{{\n\t"auths": {{\n\t\t"{reg}": {{\n\t\t\t"auth": "{basic}"\n\t\t}}\n\t}}\n}}', basic),
        (f"DOCKER_AUTH_CONFIG='{{\"auths\":{{\"{reg}\":{{\"auth\":\"{basic}\"}}}}}}'", basic),
        (f'$ cat $XDG_RUNTIME_DIR/containers/auth.json\n{{\n  "auths": {{\n    "{reg}": {{\n      "auth": "{basic}"\n    }}\n  }}\n}}', basic),
        (f'{{"auths":{{"{num(r, 12)}.dkr.ecr.eu-west-1.amazonaws.com":{{"auth":"{ecr}"}}}},"credsStore":""}}', ecr),
        (f"$ kubectl get secret regcred -o jsonpath='{{.data.\\.dockerconfigjson}}' | base64 -d\n{{\"auths\":{{\"{reg}\":{{\"username\":\"ci\",\"auth\":\"{basic}\"}}}}}}", basic),
        (f"echo '{{\"auths\":{{\"{reg}\":{{\"auth\":\"{basic}\"}}}}}}' > /kaniko/.docker/config.json", basic),
    ])


@secret("jfrog_tokens")
def _jfrog(r: Rng, i: int) -> tuple[str, str]:
    akcp = "AKCp" + rs(r, ALNUM, 69)
    ident = b64(f"reftkn:01:{r.randint(1700000000, 2000000000)}:{rs(r, ALNUM, 32)}".encode()).rstrip("=")
    return pick(i, [
        (f'curl -H "X-JFrog-Art-Api: {akcp}" https://acme.jfrog.io/artifactory/api/repositories', akcp),
        (f"jf c add acme --url https://acme.jfrog.io --access-token {ident} --interactive=false", ident),
        (f"ARTIFACTORY_URL=https://acme.jfrog.io/artifactory\nARTIFACTORY_API_KEY={akcp}", akcp),
        (f'curl -u deploy:{akcp} -T build/app.jar "https://acme.jfrog.io/artifactory/libs-release-local/com/acme/app/1.0/app-1.0.jar"', akcp),
        (f"<servers>\n  <server>\n    <id>central</id>\n    <username>deploy</username>\n    <password>{ident}</password>\n  </server>\n</servers>", ident),
        (f"JFROG_ACCESS_TOKEN={ident}", ident),
    ])


@secret("ci_service_tokens")
def _ci_tokens(r: Rng, i: int) -> tuple[str, str]:
    cci = "CCIPAT_" + rs(r, ALNUM, 22) + "_" + rs(r, HEX, 40)
    cci_old = rs(r, HEX, 40)
    travis = rs(r, B64URL, 22)
    bkua = "bkua_" + rs(r, HEX, 40)
    agent = rs(r, HEX, 50)
    return pick(i, [
        (f'curl -H "Circle-Token: {cci}" https://circleci.com/api/v2/me', cci),
        (f"host: https://circleci.com\nendpoint: graphql-unstable\ntoken: {cci_old}", cci_old),
        (f'curl -H "Travis-API-Version: 3" -H "Authorization: token {travis}" https://api.travis-ci.com/user', travis),
        (f"BUILDKITE_ORGANIZATION_SLUG=acme\nBUILDKITE_API_TOKEN={bkua}", bkua),
        (f'token="{agent}"\nname="%hostname-%spawn"\ntags="queue=default"\nbuild-path="/var/lib/buildkite-agent/builds"', agent),
        (f"CIRCLECI_CLI_TOKEN={cci}", cci),
    ])


@secret("cloud_iam_bootstrap_secrets")
def _iam_misc(r: Rng, i: int) -> tuple[str, str]:
    """Credentials that a CLI prints once: OCI auth tokens and passphrases, Salesforce security tokens."""
    oci_tok = rs(r, ALNUM + "()<>:;[]{}#", 20)
    passphrase = pw(r)
    sf_sec = rs(r, ALNUM, 25)
    return pick(i, [
        (f"docker login fra.ocir.io -u 'frxyz1234/oracleidentitycloudservice/jdoe@acme.io' -p '{oci_tok}'", oci_tok),
        (f"[DEFAULT]\nuser=ocid1.user.oc1..{rs(r, LALNUM, 60)}\nfingerprint={':'.join(rs(r, HEX, 2) for _ in range(16))}\nkey_file=~/.oci/oci_api_key.pem\npass_phrase={passphrase}\ntenancy=ocid1.tenancy.oc1..{rs(r, LALNUM, 60)}\nregion=eu-frankfurt-1", passphrase),
        (f"OCI_CLI_PASSPHRASE='{passphrase}'", passphrase),
        (f"SFDC_USERNAME=integration@acme.io\nSFDC_PASSWORD={pw(r)}\nSFDC_SECURITY_TOKEN={sf_sec}", sf_sec),
        (f"sf = Salesforce(username='integration@acme.io', password='x', security_token='{sf_sec}')", sf_sec),
        (f"Auth token generated (copy it now, it will not be shown again):\n{oci_tok}", oci_tok),
    ])


# ================================================================ wallets, age, WireGuard


_BIP39_SUBSET = ("abandon ability able about above absent absorb abstract absurd abuse access accident account accuse "
         "achieve acid acoustic acquire across act action actor actress actual adapt add addict address adjust "
         "admit adult advance advice aerobic affair afford afraid again age agent agree ahead aim air airport "
         "aisle alarm album alcohol alert alien all alley allow almost alone alpha already also alter always "
         "amateur amazing among amount amused analyst anchor ancient anger angle angry animal ankle announce "
         "annual another answer antenna antique anxiety any apart apology appear apple approve april arch arctic "
         "area arena argue arm armed armor army around arrange arrest arrive arrow art artefact artist artwork "
         "ask aspect assault asset assist assume asthma athlete atom attack attend attitude attract auction audit "
         "august aunt author auto autumn average avocado avoid awake aware away awesome awful awkward axis "
         "vacuum vague valley valve vapor vast velvet vendor venue verb vicious victory video view village "
         "vintage violin virus visit vivid volcano vote voyage wage walk wall warm warrior wash water wave way "
         "wealth weapon weekend west wet whale wide width wife wild window wine winter wisdom wolf world wrong "
         "year yellow young youth zero zone zoo")
BIP39 = _BIP39_SUBSET.split()


@secret("age_secret_key")
def _age(r: Rng, i: int) -> tuple[str, str]:
    v = bech32("age-secret-key-", r.randbytes(32)).upper()
    pub = bech32("age", r.randbytes(32))
    return pick(i, [
        f"# created: 2024-06-01T10:22:11+02:00\n# public key: {pub}\n{v}",
        f"SOPS_AGE_KEY={v}",
        f"$ age-keygen -o key.txt\nPublic key: {pub}\n$ cat key.txt\n# created: 2024-06-01T10:22:11Z\n# public key: {pub}\n{v}",
        f'echo "{v}" > ~/.config/sops/age/keys.txt',
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n  namespace: flux-system\nstringData:\n  age.agekey: {v}",
        f"    env:\n      SOPS_AGE_KEY: {v}\n    steps:\n      - run: sops -d secrets.enc.yaml > secrets.yaml",
    ]), v


@secret("wireguard_private_key")
def _wireguard(r: Rng, i: int) -> tuple[str, str]:
    raw = bytearray(r.randbytes(32))
    raw[0] &= 248
    raw[31] = (raw[31] & 127) | 64
    v = b64(bytes(raw))
    pub = b64(r.randbytes(32))
    return pick(i, [
        f"[Interface]\nPrivateKey = {v}\nAddress = 10.8.0.2/24\nDNS = 1.1.1.1\n\n[Peer]\nPublicKey = {pub}\nEndpoint = vpn.acme.io:51820\nAllowedIPs = 0.0.0.0/0",
        f"echo {v} > /etc/wireguard/private.key && chmod 600 /etc/wireguard/private.key",
        f"network:\n  version: 2\n  tunnels:\n    wg0:\n      mode: wireguard\n      port: 51820\n      key:\n        private: {v}\n      peers:\n        - keys:\n            public: {pub}\n          allowed-ips: [0.0.0.0/0]",
        f"      - VPN_SERVICE_PROVIDER=mullvad\n      - VPN_TYPE=wireguard\n      - WIREGUARD_PRIVATE_KEY={v}\n      - WIREGUARD_ADDRESSES=10.64.222.21/32",
        f'networking.wireguard.interfaces.wg0 = {{\n  ips = [ "10.100.0.2/24" ];\n  privateKey = "{v}";\n}};',
        f'/interface wireguard add listen-port=13231 name=wg1 private-key="{v}"',
    ]), v


@secret("ethereum_private_key")
def _eth(r: Rng, i: int) -> tuple[str, str]:
    k = rs(r, HEX, 64)
    addr = "0x" + rs(r, HEX, 40)
    v = k if i == 4 else "0x" + k
    return pick(i, [
        f"PRIVATE_KEY={v}\nRPC_URL=https://sepolia.infura.io/v3/{rs(r, HEX, 32)}",
        f'  networks: {{\n    sepolia: {{\n      url: "https://rpc.sepolia.org",\n      accounts: ["{v}"],\n    }},\n  }},',
        f'const wallet = new ethers.Wallet("{v}", provider);',
        f'cast send --private-key {v} {addr} "transfer(address,uint256)" 0x{rs(r, HEX, 40)} 1000000',
        f'acct = w3.eth.account.from_key("{v}")',
        f"forge script script/Deploy.s.sol --rpc-url $RPC_URL --private-key {v} --broadcast --verify",
    ]), v


@secret("bitcoin_private_keys")
def _btc(r: Rng, i: int) -> tuple[str, str]:
    wif_c = b58check(b"\x80" + r.randbytes(32) + b"\x01")
    wif_u = b58check(b"\x80" + r.randbytes(32))
    xprv = b58check(bytes.fromhex("0488ade4") + b"\x00" + b"\x00" * 8 + r.randbytes(32) + b"\x00" + r.randbytes(32))
    xpub = b58check(bytes.fromhex("0488b21e") + b"\x00" + b"\x00" * 8 + r.randbytes(32) + b"\x02" + r.randbytes(32))
    tprv = b58check(bytes.fromhex("04358394") + b"\x00" + b"\x00" * 8 + r.randbytes(32) + b"\x00" + r.randbytes(32))
    addr = bech32("bc", b"\x00" + r.randbytes(20))
    return pick(i, [
        (f'bitcoin-cli importprivkey "{wif_c}" "cold-1" false', wif_c),
        (f"$ bitcoin-cli dumpprivkey {addr}\n{wif_c}", wif_c),
        (f'"keystore": {{"type": "bip32", "xpub": "{xpub}", "xprv": "{xprv}", "derivation": "m/0h"}}', xprv),
        (f"BTC_WIF={wif_u}", wif_u),
        (f'key = Key("{wif_c}")\nprint(key.address)', wif_c),
        (f'bitcoin-cli importdescriptors \'[{{"desc": "wpkh({tprv}/84h/1h/0h/0/*)#{rs(r, LALNUM, 8)}", "timestamp": "now", "active": true}}]\'', tprv),
    ])


@secret("bip39_mnemonic")
def _mnemonic(r: Rng, i: int) -> tuple[str, str]:
    v = " ".join(r.choice(BIP39) for _ in range(24 if i % 3 == 1 else 12))
    return pick(i, [
        f'MNEMONIC="{v}"',
        f'    hardhat: {{\n      accounts: {{\n        mnemonic: "{v}",\n        path: "m/44\'/60\'/0\'/0",\n      }},\n    }},',
        f"Your new wallet has been created.\nRecovery phrase (write it down and keep it offline):\n{v}",
        f'wallet = ethers.Wallet.fromPhrase("{v}");',
        f'ganache --wallet.mnemonic "{v}" --chain.chainId 1337',
        f'const provider = new HDWalletProvider("{v}", "https://mainnet.infura.io/v3/{rs(r, HEX, 32)}");',
    ]), v


@secret("solana_keypair")
def _solana(r: Rng, i: int) -> tuple[str, str]:
    raw = r.randbytes(64)
    arr = "[" + ",".join(str(b) for b in raw) + "]"
    b58 = base58(raw)
    return pick(i, [
        (f"$ cat ~/.config/solana/id.json\n{arr}", arr),
        (f"SOLANA_PRIVATE_KEY={arr}", arr),
        (f"const payer = Keypair.fromSecretKey(Uint8Array.from({arr}));", arr),
        (f"PRIVATE_KEY={b58}", b58),
        (f'kp = Keypair.from_base58_string("{b58}")', b58),
        (f"wallet:\n  cluster: mainnet-beta\n  secret_key: {b58}", b58),
    ])


# ================================================================ private key blocks


@secret("rsa_private_key")
def _rsa(r: Rng, i: int) -> tuple[str, str]:
    return pem_contexts(r, i, "RSA PRIVATE KEY", wrap(b64(rsa_der(r))))


@secret("pkcs8_private_key")
def _pkcs8(r: Rng, i: int) -> tuple[str, str]:
    return pem_contexts(r, i, "PRIVATE KEY", wrap(b64(pkcs8_der(r, ed25519=i % 2 == 1))))


@secret("ec_private_key")
def _ec(r: Rng, i: int) -> tuple[str, str]:
    params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"
    return pem_contexts(r, i, "EC PRIVATE KEY", wrap(b64(ec_der(r))), before=params)


@secret("openssh_private_key")
def _openssh(r: Rng, i: int) -> tuple[str, str]:
    return pem_contexts(r, i, "OPENSSH PRIVATE KEY", wrap(b64(openssh_blob(r, encrypted=i % 3 == 2)), 70))


@secret("pgp_private_key")
def _pgp(r: Rng, i: int) -> tuple[str, str]:
    data = bytes([0x95, 0x03, 0xC6, 0x04]) + r.randbytes(4) + b"\x01\x0c\x00" + r.randbytes(r.randint(900, 960))
    head = ("Comment: https://keys.openpgp.org", "") if i % 2 else ("",)
    crc = "=" + b64(crc24(data).to_bytes(3, "big"))
    return pem_contexts(r, i, "PGP PRIVATE KEY BLOCK", wrap(b64(data)), head=head, tail=(crc,))


@secret("encrypted_private_key")
def _encrypted(r: Rng, i: int) -> tuple[str, str]:
    if i % 2:
        head = ("Proc-Type: 4,ENCRYPTED", f"DEK-Info: AES-256-CBC,{rs(r, UHEX, 32)}", "")
        return pem_contexts(r, i, "RSA PRIVATE KEY", wrap(b64(r.randbytes(1200))), head=head)
    return pem_contexts(r, i, "ENCRYPTED PRIVATE KEY", wrap(b64(enc_pkcs8_der(r))))


@secret("putty_private_key")
def _putty(r: Rng, i: int) -> tuple[str, str]:
    if i % 2 == 0:
        pub = [b64(sshstr(b"ssh-ed25519") + sshstr(r.randbytes(32)))]
        priv = [b64(sshstr(r.randbytes(32)))]
        head = ["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", f"Comment: eddsa-key-202406{10 + i}"]
    else:
        pub = wrap(b64(sshstr(b"ssh-rsa") + sshstr(b"\x01\x00\x01") + sshstr(b"\x00" + r.randbytes(256))))
        priv = wrap(b64(r.randbytes(880)))
        head = ["PuTTY-User-Key-File-2: ssh-rsa", "Encryption: none", f"Comment: rsa-key-202406{10 + i}"]
    lines = [*head, f"Public-Lines: {len(pub)}", *pub, f"Private-Lines: {len(priv)}", *priv, f"Private-MAC: {rs(r, HEX, 64 if i % 2 == 0 else 40)}"]
    k = i % 3
    if k == 0:
        return "C:\\> type C:\\Users\\jdoe\\.ssh\\deploy.ppk\n" + "\n".join(lines), "\n".join(priv)
    if k == 1:
        sep = "\n      "
        return "vars:\n  putty_key: |\n      " + sep.join(lines), sep.join(priv)
    return "\n".join(lines), "\n".join(priv)


@secret("kubeconfig_credentials")
def _kubeconfig(r: Rng, i: int) -> tuple[str, str]:
    key_pem = "-----BEGIN EC PRIVATE KEY-----\n" + "\n".join(wrap(b64(ec_der(r)))) + "\n-----END EC PRIVATE KEY-----\n"
    key_data = b64(key_pem.encode())
    cert_data = b64(("-----BEGIN CERTIFICATE-----\n" + "\n".join(wrap(b64(r.randbytes(540)))) + "\n-----END CERTIFICATE-----\n").encode())
    sa = jwt(r, {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "ci",
                 "kubernetes.io/serviceaccount/secret.name": "deployer-token-7xk2p",
                 "kubernetes.io/serviceaccount/service-account.name": "deployer", "sub": "system:serviceaccount:ci:deployer"},
             alg="RS256", kid=b64u(r.randbytes(32)))
    rancher = f"kubeconfig-u-{rs(r, LALNUM, 5)}:{rs(r, LALNUM, 54)}"
    return pick(i, [
        (f"users:\n- name: admin@prod\n  user:\n    client-certificate-data: {cert_data}\n    client-key-data: {key_data}", key_data),
        (f"users:\n- name: ci\n  user:\n    token: {sa}", sa),
        (f"kubectl config set-credentials ci-deployer --token={sa}", sa),
        (f'curl -sk -H "Authorization: Bearer {sa}" https://10.0.0.1:6443/api/v1/namespaces/ci/pods', sa),
        (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: deployer-token-7xk2p\n  namespace: ci\ntype: kubernetes.io/service-account-token\ndata:\n  namespace: Y2k=\n  token: {b64(sa.encode())}", b64(sa.encode())),
        (f'users:\n- name: "rancher-prod"\n  user:\n    token: "{rancher}"', rancher),
    ])


@secret("k8s_join_tokens")
def _k8s_join(r: Rng, i: int) -> tuple[str, str]:
    tid, tsec = rs(r, LALNUM, 6), rs(r, LALNUM, 16)
    tok = f"{tid}.{tsec}"
    k3s = f"K10{rs(r, HEX, 64)}::server:{rs(r, HEX, 32)}"
    ca = rs(r, HEX, 64)
    return pick(i, [
        (f"kubeadm join 10.0.0.10:6443 --token {tok} --discovery-token-ca-cert-hash sha256:{ca}", tok),
        (f"$ kubeadm token create --print-join-command\nkubeadm join 10.0.0.10:6443 --token {tok} --discovery-token-ca-cert-hash sha256:{ca}", tok),
        (f"curl -sfL https://get.k3s.io | K3S_URL=https://10.0.0.10:6443 K3S_TOKEN={k3s} sh -", k3s),
        (f"$ sudo cat /var/lib/rancher/k3s/server/node-token\n{k3s}", k3s),
        (f"token: {k3s}\nserver: https://10.0.0.10:6443\nnode-label:\n  - role=worker", k3s),
        (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: bootstrap-token-{tid}\n  namespace: kube-system\ntype: bootstrap.kubernetes.io/token\nstringData:\n  token-id: {tid}\n  token-secret: {tsec}\n  usage-bootstrap-authentication: \"true\"", tsec),
    ])


@secret("k8s_secret_data")
def _k8s_data(r: Rng, i: int) -> tuple[str, str]:
    p = b64(pw(r).encode())
    tok = b64(rs(r, ALNUM, 40).encode())
    dcj = b64(json.dumps({"auths": {"ghcr.io": {"auth": b64(f"ci:{pw(r)}".encode())}}}).encode())
    tls = b64(("-----BEGIN PRIVATE KEY-----\n" + "\n".join(wrap(b64(pkcs8_der(r, ed25519=True)))) + "\n-----END PRIVATE KEY-----\n").encode())
    return pick(i, [
        (f"$ kubectl get secret db-credentials -o yaml\napiVersion: v1\ndata:\n  password: {p}\n  username: YXBw\nkind: Secret\nmetadata:\n  name: db-credentials\n  namespace: prod\ntype: Opaque", p),
        (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-env\ntype: Opaque\ndata:\n  API_TOKEN: {tok}\n  LOG_LEVEL: aW5mbw==", tok),
        (f'{{\n    "apiVersion": "v1",\n    "data": {{\n        "api-key": "{tok}"\n    }},\n    "kind": "Secret",\n    "metadata": {{"name": "partner-api", "namespace": "default"}},\n    "type": "Opaque"\n}}', tok),
        (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: {dcj}", dcj),
        (f"---\n# Source: api/templates/tls.yaml\napiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\nmetadata:\n  name: api-tls\ndata:\n  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=\n  tls.key: {tls}", tls),
        (f"kubectl patch secret app -p '{{\"data\":{{\"DB_PASSWORD\":\"{p}\"}}}}'", p),
    ])


# ================================================================ tokens in HTTP


@secret("jwt_tokens")
def _jwt(r: Rng, i: int) -> tuple[str, str]:
    payload = {"sub": uid(r), "email": r.choice(EMAILS), "role": r.choice(["admin", "user", "service"]),
               "iat": 1717200000 + r.randint(0, 10**6), "exp": 1717300000 + r.randint(0, 10**6)}
    v = jwt(r, payload, alg=r.choice(["HS256", "RS256"]), kid=rs(r, HEX, 16) if i % 2 else None)
    return pick(i, [
        f'curl -H "Authorization: Bearer {v}" https://api.acme.io/v1/orders?limit=10',
        f"Cookie: theme=dark; access_token={v}; _ga=GA1.2.{num(r, 9)}.{num(r, 10)}",
        f"2024-06-01T10:22:41.118Z INFO  GET /ws/connect?token={v} 101 Switching Protocols",
        f'localStorage.setItem("id_token", "{v}");',
        f'{{"access_token": "{v}", "token_type": "Bearer", "expires_in": 3600, "scope": "openid profile"}}',
        f"export API_JWT={v}\nhttp GET :8080/me Authorization:\"Bearer $API_JWT\"",
    ]), v


@secret("http_basic_header")
def _basic(r: Rng, i: int) -> tuple[str, str]:
    v = b64(f"{r.choice(USERS)}:{pw(r)}".encode())
    return pick(i, [
        f'curl -H "Authorization: Basic {v}" https://registry.acme.io/v2/_catalog',
        f"GET /api/v1/status HTTP/1.1\nHost: jenkins.acme.io\nAuthorization: Basic {v}\nAccept: */*",
        f'headers = {{"Authorization": "Basic {v}", "Accept": "application/json"}}',
        f'location /admin/ {{\n    proxy_pass http://backend:8080;\n    proxy_set_header Authorization "Basic {v}";\n}}',
        f"DEBUG http.client send: b'POST /hooks HTTP/1.1\\r\\nHost: ci.acme.io\\r\\nauthorization: Basic {v}\\r\\n'",
        f"- name: Call API\n  uri:\n    url: https://api.acme.io/v1/deploy\n    headers:\n      Authorization: Basic {v}",
    ]), v


@secret("http_bearer_opaque")
def _bearer(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [rs(r, B64URL, 40), rs(r, HEX, 64), rs(r, ALNUM, 48)])
    return pick(i, [
        f'curl -sS -H "Authorization: Bearer {v}" https://internal-api.acme.io/v2/reports',
        f'http GET https://api.acme.io/v1/me "Authorization:Bearer {v}"',
        f"axios.get(url, {{ headers: {{ Authorization: 'Bearer {v}' }} }});",
        f"> GET /v1/metrics HTTP/2\n> Host: metrics.acme.io\n> authorization: Bearer {v}\n> user-agent: curl/8.5.0",
        f'req.Header.Set("Authorization", "Bearer {v}")',
        f'Invoke-RestMethod -Uri https://api.acme.io/v1/jobs -Headers @{{ Authorization = "Bearer {v}" }}',
    ]), v


@secret("api_key_headers")
def _api_headers(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [rs(r, ALNUM, 32), rs(r, HEX, 40), rs(r, B64URL, 36)])
    rapid = rs(r, ALNUM, 10) + "msh" + rs(r, ALNUM, 15) + "p1" + rs(r, ALNUM, 6) + "jsn" + rs(r, ALNUM, 12)
    return pick(i, [
        (f'curl -H "X-API-Key: {v}" https://api.weather-data.io/v2/forecast?city=Berlin', v),
        (f"X-Auth-Token: {v}\nContent-Type: application/json", v),
        (f"curl 'https://api.acme.io/v1/search' -H 'apikey: {v}'", v),
        (f"curl --request GET --url 'https://weatherapi-com.p.rapidapi.com/current.json?q=London' --header 'X-RapidAPI-Host: weatherapi-com.p.rapidapi.com' --header 'X-RapidAPI-Key: {rapid}'", rapid),
        (f'fetch(url, {{ headers: {{ "x-access-token": "{v}" }} }})', v),
        (f"GET /v3/items HTTP/1.1\r\nHost: partner.acme.io\r\nApi-Key: {v}\r\n\r\n", v),
    ])


@secret("session_cookies")
def _cookies(r: Rng, i: int) -> tuple[str, str]:
    dj = rs(r, LALNUM, 32)
    sid = "s%3A" + rs(r, B64URL, 32) + "." + quote(b64(r.randbytes(32)).rstrip("="), safe="")
    php = rs(r, LALNUM, 26)
    jsess = rs(r, UHEX, 32)
    flask = b64u(json.dumps({"user_id": r.randint(1, 9999), "_fresh": True}).encode()) + "." + rs(r, B64URL, 6) + "." + rs(r, B64URL, 27)
    lar = b64(json.dumps({"iv": b64(r.randbytes(16)), "value": b64(r.randbytes(96)), "mac": rs(r, HEX, 64), "tag": ""}).encode())
    return pick(i, [
        (f"Cookie: csrftoken={rs(r, ALNUM, 32)}; sessionid={dj}", dj),
        (f"Set-Cookie: connect.sid={sid}; Path=/; HttpOnly; SameSite=Lax", sid),
        (f"curl -b 'PHPSESSID={php}' https://shop.acme.io/admin/orders.php", php),
        (f"GET /app/dashboard HTTP/1.1\nCookie: JSESSIONID={jsess}; lang=en", jsess),
        (f"curl -b 'session={flask}' http://localhost:5000/account", flask),
        (f"Set-Cookie: laravel_session={quote(lar, safe='')}; expires=Sat, 01 Jun 2024 12:00:00 GMT; Max-Age=7200; path=/; httponly; samesite=lax", quote(lar, safe="")),
    ])


@secret("curl_user_password")
def _curl_u(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    user = r.choice(USERS)
    return pick(i, [
        f"curl -u {user}:'{p}' https://jenkins.acme.io/job/deploy/build -X POST",
        f'curl --user "{user}:{p}" -T backup.tar.gz https://nexus.acme.io/repository/raw/backups/',
        f"wget --user={user} --password='{p}' https://files.acme.io/releases/app-2.4.1.tar.gz",
        f"http -a {user}:'{p}' POST https://api.acme.io/v1/login",
        f"curl -s -u '{user}:{p}' https://es.acme.io:9200/_cat/indices?v",
        f"curl --basic --user {user}:'{p}' ftp://ftp.acme.io/incoming/ -T report.csv",
    ]), p


@secret("url_userinfo_password")
def _url_userinfo(r: Rng, i: int) -> tuple[str, str]:
    p = upw(r)
    user = r.choice(USERS)
    return pick(i, [
        f"git+https://{user}:{p}@git.acme.io/platform/acme-utils.git@v1.3.0#egg=acme-utils",
        f"lftp sftp://{user}:{p}@files.acme.io:2222/outgoing",
        f"smb://{user}:{p}@fileserver.acme.lan/finance",
        f'proxies = {{"https": "http://{user}:{p}@proxy.acme.io:3128"}}',
        f"HTTPS_PROXY=http://{user}:{p}@10.0.0.5:8080",
        f"svn checkout https://{user}:{p}@svn.acme.io/repos/legacy/trunk legacy",
    ]), p


@secret("url_query_tokens")
def _url_query(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [rs(r, ALNUM, 32), rs(r, B64URL, 40), rs(r, HEX, 40)])
    return pick(i, [
        f"https://api.acme.io/v1/export?format=csv&access_token={v}",
        f"GET /api/feed?user=42&api_key={v} HTTP/1.1",
        f'curl "https://api.openweathermap.org/data/2.5/weather?q=Paris&appid={v}"',
        f"wss://stream.acme.io/live?channel=prices&token={v}",
        f"https://hooks.acme.io/ingest?source=github&secret={v}",
        f"POST https://auth.acme.io/oauth/token?grant_type=client_credentials&client_id=cli&client_secret={v}",
    ]), v


@secret("git_remote_token")
def _git_remote(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [rs(r, HEX, 40), rs(r, ALNUM, 40), rs(r, B64URL, 32)])
    org, repo = r.choice(ORGS), r.choice(REPOS)
    return pick(i, [
        f'[remote "origin"]\n\turl = https://ci:{v}@git.{org}.io/{org}/{repo}.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*',
        f"git clone https://{v}@github.com/{org}/{repo}.git",
        f"git push https://{v}:x-oauth-basic@github.com/{org}/{repo}.git HEAD:refs/heads/release",
        f"$ git remote -v\norigin\thttps://oauth2:{v}@gitea.{org}.io/{org}/{repo}.git (fetch)\norigin\thttps://oauth2:{v}@gitea.{org}.io/{org}/{repo}.git (push)",
        f"https://x-token-auth:{v}@bitbucket.org/{org}/{repo}.git",
        f"fatal: unable to access 'https://deploy:{v}@code.{org}.io/{repo}.git/': Could not resolve host: code.{org}.io",
    ]), v


# ================================================================ connection strings and DSNs


@secret("postgres_dsn")
def _postgres(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    u = quote(p, safe="-_.~")
    host, db, user = r.choice(HOSTS), r.choice(DBNAMES), r.choice(USERS)
    return pick(i, [
        (f"DATABASE_URL=postgresql://{user}:{u}@{host}:5432/{db}?sslmode=require", u),
        (f"host={host} port=5432 dbname={db} user={user} password={p} sslmode=verify-full", p),
        (f"PGPASSWORD='{p}' psql -h {host} -U {user} -d {db} -c 'select 1'", p),
        (f"$ cat ~/.pgpass\n{host}:5432:{db}:{user}:{p}", p),
        (f'engine = create_async_engine("postgresql+asyncpg://{user}:{u}@{host}/{db}", pool_size=10)', u),
        (f"pg_dump 'postgres://{user}:{u}@{host}:5432/{db}' -Fc -f {db}.dump", u),
    ])


@secret("mysql_dsn")
def _mysql(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    u = quote(p, safe="-_.~")
    host, db, user = r.choice(HOSTS), r.choice(DBNAMES), r.choice(USERS)
    return pick(i, [
        (f"mysql -u {user} -p{p} -h {host} {db}", p),
        (f"mysqldump --user={user} --password='{p}' --single-transaction {db} > {db}.sql", p),
        (f'db, err := sql.Open("mysql", "{user}:{p}@tcp({host}:3306)/{db}?parseTime=true")', p),
        (f"[client]\nuser={user}\npassword=\"{p}\"\nhost={host}", p),
        (f"MYSQL_PWD='{p}' mysql -h {host} -u {user} -e 'SHOW PROCESSLIST'", p),
        (f"SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://{user}:{u}@{host}:3306/{db}?charset=utf8mb4'", u),
    ])


@secret("mongodb_dsn")
def _mongo(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    u = quote(p, safe="-_.~")
    return pick(i, [
        (f"MONGO_URL=mongodb://admin:{u}@mongo-0.mongo:27017,mongo-1.mongo:27017/?replicaSet=rs0&authSource=admin", u),
        (f"mongosh --host mongo.acme.lan -u admin -p '{p}' --authenticationDatabase admin", p),
        (f"      MONGO_INITDB_ROOT_USERNAME: root\n      MONGO_INITDB_ROOT_PASSWORD: \"{p}\"", p),
        (f"mongodump --uri='mongodb://backup:{u}@10.0.3.4:27017/shop?authSource=admin' --gzip --archive=shop.gz", u),
        (f"spring.data.mongodb.uri=mongodb://app:{u}@mongo.internal:27017/catalog", u),
        (f"mongoose.connect('mongodb://api:{u}@localhost:27017/app?authSource=admin');", u),
    ])


@secret("redis_credentials")
def _redis(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, r.randint(20, 40)) if i % 2 else pw(r)
    u = quote(p, safe="-_.~")
    return pick(i, [
        (f"REDIS_URL=redis://:{u}@cache.internal:6379/0", u),
        (f"CELERY_BROKER_URL=rediss://default:{u}@eu1-bold-owl-31337.upstash.io:6379", u),
        (f"redis-cli -h cache.acme.lan -p 6379 -a '{p}' --no-auth-warning info memory", p),
        (f"# redis.conf\nbind 0.0.0.0\nrequirepass {p}\nmasterauth {p}", p),
        (f'r = redis.Redis(host="cache.internal", port=6379, password="{p}", ssl=True)', p),
        (f"127.0.0.1:6379> AUTH default {p}\nOK", p),
    ])


@secret("amqp_credentials")
def _amqp(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    u = quote(p, safe="-_.~")
    return pick(i, [
        (f"AMQP_URL=amqp://worker:{u}@rabbit.internal:5672/%2F", u),
        (f'broker_url = "amqps://celery:{u}@goose.rmq2.cloudamqp.com/celery"', u),
        (f"      RABBITMQ_DEFAULT_USER: admin\n      RABBITMQ_DEFAULT_PASS: \"{p}\"", p),
        (f"rabbitmqctl add_user deploy '{p}' && rabbitmqctl set_permissions -p / deploy '.*' '.*' '.*'", p),
        (f"rabbitmqctl change_password guest '{p}'", p),
        (f'factory.setUri("amqp://orders:{u}@mq.acme.lan:5672/orders");', u),
    ])


@secret("jdbc_urls")
def _jdbc(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_+.~", r.randint(12, 18))
    host, db = r.choice(HOSTS), r.choice(DBNAMES)
    return pick(i, [
        (f"jdbc:postgresql://{host}:5432/{db}?user=app&password={p}&ssl=true", p),
        (f"jdbc:sqlserver://{host}:1433;databaseName={db};user=sa;password={p};encrypt=true;trustServerCertificate=false", p),
        (f"jdbc:oracle:thin:scott/{p}@//{host}:1521/ORCLPDB1", p),
        (f"spring.datasource.url=jdbc:mysql://{host}:3306/{db}\nspring.datasource.username=app\nspring.datasource.password={p}", p),
        (f'Connection conn = DriverManager.getConnection("jdbc:mariadb://{host}:3306/{db}", "app", "{p}");', p),
        (f"liquibase --url=jdbc:postgresql://{host}:5432/{db} --username=migrator --password='{p}' update", p),
    ])


@secret("odbc_ado_strings")
def _odbc(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_+.~@", r.randint(12, 18))
    srv = f"{r.choice(ORGS)}-sql.database.windows.net"
    return pick(i, [
        (f"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:{srv},1433;Database=sales;Uid=sqladmin;Pwd={{{p}}};Encrypt=yes;TrustServerCertificate=no;", p),
        (f'"ConnectionStrings": {{\n  "Default": "Server={srv};Database=sales;User Id=app;Password={p};TrustServerCertificate=True"\n}}', p),
        (f'conn = pyodbc.connect("DRIVER={{ODBC Driver 17 for SQL Server}};SERVER={srv};DATABASE=sales;UID=etl;PWD={p}")', p),
        (f'<add name="Legacy" connectionString="Data Source=SQL01\\PROD;Initial Catalog=Billing;User ID=svc_billing;Password={p}" providerName="System.Data.SqlClient" />', p),
        (f"User Id=scott;Password={p};Data Source=(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=ora1)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=ORCL)))", p),
        (f"sqlcmd -S {srv} -d sales -U sqladmin -P '{p}' -Q \"SELECT @@VERSION\"", p),
    ])


@secret("other_dsns")
def _other_dsn(r: Rng, i: int) -> tuple[str, str]:
    p = upw(r)
    return pick(i, [
        f"CLICKHOUSE_URL=clickhouse://default:{p}@ch.internal:9000/events",
        f'driver = GraphDatabase.driver("neo4j+s://{rs(r, HEX, 8)}.databases.neo4j.io", auth=("neo4j", "{p}"))',
        f"ELASTICSEARCH_URL=https://elastic:{p}@es01.acme.lan:9200",
        f"nats://svc:{p}@nats.internal:4222",
        f"COUCHDB_URL=http://admin:{p}@couchdb:5984/_utils",
        f"sqlserver://sa:{p}@localhost:1433?database=master&encrypt=disable",
    ]), p


@secret("middleware_credentials")
def _middleware(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    csec = rs(r, ALNUM + "+/", 64)
    ckey = rs(r, UALNUM, 16)
    return pick(i, [
        (f'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="{ckey}" password="{csec}";', csec),
        (f"bootstrap.servers=pkc-4nym6.eu-central-1.aws.confluent.cloud:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanisms=PLAIN\nsasl.username={ckey}\nsasl.password={csec}", csec),
        (f"$ confluent api-key store {ckey} {csec} --resource lkc-{rs(r, LALNUM, 5)}", csec),
        (f'ldapsearch -x -H ldaps://ldap.acme.lan -D "cn=admin,dc=acme,dc=lan" -w \'{p}\' -b "ou=people,dc=acme,dc=lan" "(uid=jdoe)"', p),
        (f"[domain/acme.lan]\nid_provider = ldap\nldap_uri = ldaps://ldap.acme.lan\nldap_default_bind_dn = cn=sssd,ou=svc,dc=acme,dc=lan\nldap_default_authtok = {p}", p),
        (f'conn.simple_bind_s("cn=readonly,dc=acme,dc=lan", "{p}")', p),
    ])


@secret("netrc_password")
def _netrc(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [rs(r, HEX, 40), pw(r), rs(r, ALNUM, 36)])
    return pick(i, [
        f"machine github.com login jdoe password {v}",
        f"machine ftp.acme.io\n  login backup\n  password {v}\n\ndefault login anonymous password guest@",
        f"machine gitlab.acme.io\nlogin ci\npassword {v}",
        f"$ cat ~/.netrc\nmachine api.acme.io login svc-report password {v}",
        f"machine nexus.acme.io login deploy password {v} port 8443",
        f"machine artifacts.acme.io\n    login ci-robot\n    password {v}",
    ]), v


# ================================================================ commands and flags


@secret("cli_password_flags")
def _cli_pw(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    return pick(i, [
        f"./manage.py createsuperuser --username admin --password='{p}' --noinput",
        f"pgbench -h db.internal -U bench --password {p} -c 10 -T 60",
        f"influx setup --username admin --password '{p}' --org acme --bucket metrics --force",
        f"keycloak/bin/kc.sh start --db-password='{p}' --hostname auth.acme.io",
        f"java -jar app.jar --spring.datasource.password='{p}' --server.port=8080",
        f"gitlab-rails runner \"user = User.find_by_username('root'); user.password = '{p}'; user.save!\"",
    ]), p


@secret("cli_token_flags")
def _cli_tok(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [rs(r, ALNUM, 40), rs(r, B64URL, 43), rs(r, HEX, 48)])
    return pick(i, [
        f"acme-cli deploy --env prod --token {v}",
        f"./sync.sh --api-key={v} --since 2024-06-01",
        f"terraform apply -var 'api_token={v}' -auto-approve",
        f"argocd login argocd.acme.io --auth-token {v} --grpc-web",
        f"helm repo add acme https://charts.acme.io --username ci --password {v}",
        f"node scripts/seed.js --client-secret {v} --tenant acme",
    ]), v


@secret("openssl_keytool_passwords")
def _openssl(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_+.~", r.randint(12, 18))
    return pick(i, [
        f"openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:{p}",
        f"openssl rsa -in server.key.enc -out server.key -passin 'pass:{p}'",
        f"keytool -importkeystore -srckeystore bundle.p12 -srcstoretype PKCS12 -destkeystore app.jks -deststorepass '{p}' -srcstorepass '{p}'",
        f"keytool -genkeypair -alias upload -keyalg RSA -keystore upload.jks -storepass {p} -keypass {p} -dname 'CN=Acme'",
        f"storePassword={p}\nkeyPassword={p}\nkeyAlias=upload\nstoreFile=../upload.jks",
        f"gpg --batch --pinentry-mode loopback --passphrase '{p}' --decrypt secrets.tar.gpg | tar x",
    ]), p


@secret("helm_kubectl_secrets")
def _helm_kubectl(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    return pick(i, [
        f"kubectl create secret generic db-credentials --from-literal=username=app --from-literal=password='{p}'",
        f"helm install pg bitnami/postgresql --set auth.postgresPassword='{p}' --set auth.database=app",
        f"helm upgrade --install redis bitnami/redis --set auth.password={p} -n cache",
        f"kubectl -n prod create secret generic api-keys --from-literal=STRIPE_KEY=rk_prod_dummy --from-literal=SIGNING_SECRET='{p}'",
        f"argocd account update-password --account admin --current-password old --new-password '{p}'",
        f"kubectl exec -it mysql-0 -- mysql -uroot -p'{p}' -e 'show databases'",
    ]), p


@secret("misc_tool_passwords")
def _misc_tools(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_+.~", r.randint(12, 18))
    return pick(i, [
        f"sshpass -p '{p}' ssh -o StrictHostKeyChecking=no admin@10.0.0.21 'sudo systemctl restart api'",
        f"htpasswd -b -c /etc/nginx/.htpasswd admin '{p}'",
        f"smbclient //fileserver/finance -U 'ACME\\jdoe%{p}' -c 'ls'",
        f"RSYNC_PASSWORD='{p}' rsync -av backup@nas.acme.lan::backups/ /mnt/restore/",
        f"7z a -p'{p}' -mhe=on exports.7z exports/",
        f"zip -P '{p}' -r payroll.zip payroll/",
    ]), p


@secret("powershell_windows_credentials")
def _powershell(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_+.~@", r.randint(12, 18))
    return pick(i, [
        f'$secure = ConvertTo-SecureString "{p}" -AsPlainText -Force',
        f"$cred = New-Object System.Management.Automation.PSCredential('ACME\\svc_deploy', (ConvertTo-SecureString '{p}' -AsPlainText -Force))",
        f"net user svc_backup {p} /add /passwordchg:no",
        f'Set-ADAccountPassword -Identity jdoe -Reset -NewPassword (ConvertTo-SecureString -AsPlainText "{p}" -Force)',
        f'cmdkey /generic:TERMSRV/rdp01.acme.lan /user:ACME\\admin /pass:"{p}"',
        f'New-LocalUser -Name "kiosk" -Password (ConvertTo-SecureString "{p}" -AsPlainText -Force) -FullName "Kiosk"',
    ]), p


@secret("sql_password_statements")
def _sql_pw(r: Rng, i: int) -> tuple[str, str]:
    p = rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_+.~@", r.randint(12, 18))
    return pick(i, [
        f"CREATE USER app WITH PASSWORD '{p}';",
        f"ALTER USER 'root'@'localhost' IDENTIFIED BY '{p}';",
        f"CREATE LOGIN svc_reporting WITH PASSWORD = '{p}', CHECK_POLICY = ON;",
        f"ALTER ROLE analytics WITH LOGIN PASSWORD '{p}' VALID UNTIL '2025-01-01';",
        f"GRANT ALL PRIVILEGES ON shop.* TO 'shop'@'%' IDENTIFIED BY '{p}';",
        f'ALTER USER scott IDENTIFIED BY "{p}" ACCOUNT UNLOCK;',
    ]), p


# ================================================================ app config and code


def _gen_secret(r: Rng, i: int) -> str:
    """A generated application secret: hex, base64, urlsafe, or alnum with symbols."""
    return pick(i, [rs(r, HEX, 64), b64(r.randbytes(32)), rs(r, B64URL, 43), rs(r, ALNUM, 3) + rs(r, ALNUM + "!#%^*-_=+.~", 29),
                    rs(r, ALNUM, 40), b64(r.randbytes(48))])


@secret("compose_env_passwords")
def _compose(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    return pick(i, [
        f"services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      POSTGRES_PASSWORD: \"{p}\"\n      POSTGRES_DB: app",
        f"services:\n  mysql:\n    image: mysql:8.4\n    environment:\n      - MYSQL_ROOT_PASSWORD={p}\n      - MYSQL_DATABASE=shop",
        f"  minio:\n    image: minio/minio\n    environment:\n      MINIO_ROOT_USER: admin\n      MINIO_ROOT_PASSWORD: '{p}'",
        f"  grafana:\n    image: grafana/grafana:11.0.0\n    environment:\n      - GF_SECURITY_ADMIN_PASSWORD={p}",
        f"docker run -d --name kc -e KEYCLOAK_ADMIN=admin -e KEYCLOAK_ADMIN_PASSWORD='{p}' quay.io/keycloak/keycloak:24.0 start-dev",
        f"  es01:\n    image: docker.elastic.co/elasticsearch/elasticsearch:8.13.4\n    environment:\n      - ELASTIC_PASSWORD={p}\n      - discovery.type=single-node",
    ]), p


@secret("env_file_app_secrets")
def _env_app(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i)
    name = pick(i, ["SESSION_SECRET", "NEXTAUTH_SECRET", "COOKIE_SECRET", "ENCRYPTION_KEY", "JWT_SECRET", "WEBHOOK_SIGNING_SECRET"])
    return pick(i, [
        f"NODE_ENV=production\nPORT=3000\n{name}={v}\nLOG_LEVEL=info",
        f'{name}="{v}"',
        f"export {name}='{v}'",
        f"# generated with: openssl rand -base64 32\n{name}={v}",
        f"{name}={v}\nDATABASE_URL=${{DATABASE_URL}}",
        f"heroku config:set {name}={v} -a acme-api",
    ]), v


@secret("python_literals")
def _py(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 1)
    p = pw(r)
    return pick(i, [
        (f'client = PaymentsClient(api_key="{v}", timeout=30)', v),
        (f'conn = psycopg2.connect(host="db.internal", dbname="orders", user="app", password="{p}")', p),
        (f'class Settings(BaseSettings):\n    api_secret: str = "{v}"\n    debug: bool = False', v),
        (f'self.auth_token = "{v}"', v),
        (f'smtp.login("alerts@acme.io", "{p}")', p),
        (f'CREDENTIALS = {{\n    "client_id": "reporting",\n    "client_secret": "{v}",\n}}', v),
    ])


@secret("js_ts_literals")
def _js(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 2)
    p = pw(r)
    return pick(i, [
        (f'const apiKey = "{v}";\nconst client = new Client({{ apiKey }});', v),
        (f"export const CLIENT_SECRET = '{v}';", v),
        (f"const pool = new Pool({{ host: 'db.internal', user: 'app', password: '{p}', database: 'orders' }});", p),
        (f"let authToken: string = `{v}`;", v),
        (f"module.exports = {{\n  port: 8080,\n  secret: '{v}',\n}};", v),
        (f'process.env.ADMIN_PASSWORD = "{p}";', p),
    ])


@secret("go_literals")
def _go(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 3)
    p = pw(r)
    return pick(i, [
        (f'token := "{v}"\nreq.Header.Set("X-Token", token)', v),
        (f'cfg := &Config{{\n\tHost:     "db.internal",\n\tUser:     "app",\n\tPassword: "{p}",\n}}', p),
        (f'const apiSecret = "{v}"', v),
        (f'os.Setenv("API_TOKEN", "{v}")', v),
        (f'conf := &oauth2.Config{{ClientID: "cli", ClientSecret: "{v}", Endpoint: github.Endpoint}}', v),
        (f'auth := smtp.PlainAuth("", "alerts@acme.io", "{p}", "smtp.acme.io")', p),
    ])


@secret("jvm_csharp_literals")
def _jvm(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 4)
    p = pw(r)
    return pick(i, [
        (f'private static final String API_KEY = "{v}";', v),
        (f'DataSource ds = DataSourceBuilder.create().url(url).username("app").password("{p}").build();', p),
        (f'val clientSecret = "{v}"', v),
        (f'var client = new ApiClient(apiKey: "{v}");', v),
        (f'options.ClientSecret = "{v}";', v),
        (f'var cred = new NetworkCredential("svc_mail", "{p}");', p),
    ])


@secret("ruby_php_literals")
def _ruby_php(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 5)
    p = pw(r)
    return pick(i, [
        (f"Acme.configure do |config|\n  config.api_key = '{v}'\nend", v),
        (f"ActiveRecord::Base.establish_connection(adapter: 'postgresql', host: 'db', username: 'app', :password => '{p}')", p),
        (f"define( 'DB_PASSWORD', '{p}' );\ndefine( 'DB_HOST', 'localhost' );", p),
        (f"$password = '{p}';\n$mysqli = new mysqli('localhost', 'shop', $password, 'shop');", p),
        (f"'secret' => env('PARTNER_SECRET', '{v}'),", v),
        (f"define( 'AUTH_KEY', '{v}' );", v),
    ])


@secret("yaml_config_secrets")
def _yaml(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i)
    p = pw(r)
    return pick(i, [
        (f"database:\n  host: db.internal\n  port: 5432\n  username: app\n  password: \"{p}\"", p),
        (f"auth:\n  oidc:\n    issuer: https://id.acme.io\n    client_id: portal\n    client_secret: {v}", v),
        (f"smtp:\n  host: smtp.acme.io\n  user: alerts@acme.io\n  pass: '{p}'", p),
        (f"all:\n  hosts:\n    web01:\n      ansible_host: 10.0.1.11\n      ansible_user: deploy\n      ansible_become_pass: '{p}'", p),
        (f"spring:\n  datasource:\n    url: jdbc:postgresql://db:5432/app\n    username: app\n    password: '{p}'", p),
        (f"auth:\n  rootPassword: \"{p}\"\nprimary:\n  persistence:\n    size: 20Gi", p),
    ])


@secret("toml_ini_secrets")
def _toml_ini(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 1)
    p = pw(r)
    akid, sak, crypt = rs(r, B32U, 16), rs(r, B64, 40), rs(r, B64URL, 43)
    return pick(i, [
        (f'[database]\nhost = "db.internal"\nuser = "app"\npassword = "{p}"', p),
        (f'[server]\nbind = "0.0.0.0:8080"\nsecret_key = "{v}"', v),
        (f"[smtp]\nhost=smtp.acme.io\nport=587\nuser=alerts\npassword={p}", p),
        (f"[inet_http_server]\nport=127.0.0.1:9001\nusername=admin\npassword={p}", p),
        (f"[s3-backup]\ntype = s3\nprovider = AWS\naccess_key_id = AKIA{akid}\nsecret_access_key = {sak}\n\n[crypt]\ntype = crypt\nremote = s3-backup:vault\npassword = {crypt}", crypt),
        (f'[api]\ntoken = "{v}"\nbase_url = "https://api.acme.io"', v),
    ])


@secret("json_config_secrets")
def _json_cfg(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 2)
    p = pw(r)
    return pick(i, [
        (f'{{\n  "db": {{\n    "host": "db.internal",\n    "user": "app",\n    "password": "{p}"\n  }}\n}}', p),
        (f'{{"oauth": {{"clientId": "portal", "clientSecret": "{v}"}}}}', v),
        (f'"Jwt": {{\n  "Issuer": "https://api.acme.io",\n  "Key": "{v}"\n}}', v),
        (f'"sqltools.connections": [\n  {{\n    "name": "prod",\n    "driver": "PostgreSQL",\n    "server": "db.internal",\n    "username": "readonly",\n    "password": "{p}"\n  }}\n]', p),
        (f'{{"webhook": {{"url": "https://api.acme.io/hooks", "signingSecret": "{v}"}}}}', v),
        (f'{{"name": "partner", "apiKey": "{v}", "enabled": true}}', v),
    ])


@secret("xml_properties_secrets")
def _xml_props(r: Rng, i: int) -> tuple[str, str]:
    v = _gen_secret(r, i + 3)
    p = pw(r).replace("&", "")
    return pick(i, [
        (f"<server>\n  <id>acme-releases</id>\n  <username>deploy</username>\n  <password>{p}</password>\n</server>", p),
        (f'<appSettings>\n  <add key="PartnerApiSecret" value="{v}" />\n</appSettings>', v),
        (f"db.url=jdbc:postgresql://db:5432/app\ndb.user=app\ndb.password={p}", p),
        (f"signing.keyId=24875D73\nsigning.password={p}\nsigning.secretKeyRingFile=/home/ci/.gnupg/secring.gpg\nossrhPassword={p}", p),
        (f'<user username="admin" password="{p}" roles="manager-gui,admin-gui"/>', p),
        (f'<Resource name="jdbc/app" auth="Container" type="javax.sql.DataSource" username="app" password="{p}" url="jdbc:mysql://db:3306/app"/>', p),
    ])


@secret("terraform_hcl_secrets")
def _hcl(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    v = _gen_secret(r, i + 4)
    return pick(i, [
        (f'variable "db_password" {{\n  type    = string\n  default = "{p}"\n}}', p),
        (f'resource "aws_db_instance" "main" {{\n  engine   = "postgres"\n  username = "app"\n  password = "{p}"\n}}', p),
        (f'admin_password = "{p}"\nregion         = "eu-west-1"', p),
        (f'"attributes": {{\n  "id": "db-credentials",\n  "data_json": "{{\\"password\\":\\"{p}\\"}}",\n  "path": "secret/db"\n}}', p),
        (f'resource "random_password" "x" {{}}\nresource "github_actions_secret" "deploy" {{\n  repository      = "api"\n  secret_name     = "DEPLOY_TOKEN"\n  plaintext_value = "{v}"\n}}', v),
        (f'provider "acme" {{\n  api_token = "{v}"\n}}', v),
    ])


@secret("non_english_names")
def _non_english(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    return pick(i, [
        f"DB_PASSWORT={p}",
        f"mot_de_passe: \"{p}\"",
        f"contraseña = '{p}'",
        f"senha_banco={p}",
        f"пароль: {p}",
        f"パスワード: {p}",
    ]), p


@secret("name_casing_variants")
def _casing(r: Rng, i: int) -> tuple[str, str]:
    v = pick(i, [pw(r), _gen_secret(r, i)])
    return pick(i, [
        f"dbPassword = \"{v}\"",
        f"MYAPP__DATABASE__PASSWORD={v}",
        f"app.db.passwd={v}",
        f"--db-pass {v}",
        f"Passphrase: {v}",
        f"X_API_SECRET={v}",
    ]), v


@secret("log_stacktrace_leaks")
def _logs(r: Rng, i: int) -> tuple[str, str]:
    p = upw(r)
    v = rs(r, ALNUM, 40)
    q = pw(r)
    return pick(i, [
        (f"sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server at \"db.internal\" (10.0.0.5), port 5432 failed: timeout expired\n(Background on this error at: https://sqlalche.me/e/20/e3q8)\nengine=postgresql://app:{p}@db.internal:5432/orders", p),
        (f'DEBUG:urllib3.connectionpool:https://api.partner.io:443 "GET /v1/items?api_key={v}&page=2 HTTP/1.1" 200 5321', v),
        (f"requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://api.partner.io/v2/data?access_token={v}", v),
        (f"2024-06-01 10:22:41 INFO  app.config - loaded settings {{'db_password': '{q}', 'debug': False, 'workers': 4}}", q),
        (f"AxiosError: Request failed with status code 403\n    at settle (node_modules/axios/lib/core/settle.js:19:12)\n  config: {{\n    headers: {{ Accept: 'application/json', Authorization: 'Bearer {v}' }},\n    url: 'https://api.partner.io/v1/orders'\n  }}", v),
        (f'panic: dial tcp 10.0.0.7:3306: connect: connection refused\n\ngoroutine 1 [running]:\nmain.mustOpen({{0xc0000b4000, "shop:{q}@tcp(10.0.0.7:3306)/shop"}})\n\t/app/main.go:42 +0x1d4', q),
    ])


@secret("env_dump_leaks")
def _env_dump(r: Rng, i: int) -> tuple[str, str]:
    v = rs(r, ALNUM, 40)
    p = pw(r)
    return pick(i, [
        (f"$ printenv | sort\nHOME=/home/app\nHOSTNAME=api-7f9c\nPATH=/usr/local/bin:/usr/bin\nPAYMENTS_API_TOKEN={v}\nPWD=/app", v),
        (f'"Env": [\n    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin",\n    "APP_TOKEN={v}",\n    "LANG=C.UTF-8"\n],', v),
        (f"Environment:\n      DB_HOST:      db.internal\n      DB_PASSWORD:  {p}\n      LOG_LEVEL:    info\n    Mounts:\n      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x2x9z (ro)", p),
        (f"$ systemctl show api.service -p Environment\nEnvironment=PORT=8080 API_SECRET={v} NODE_ENV=production", v),
        (f"$ ps aux | grep worker\napp  4121  2.1  1.3 node worker.js --queue=emails --secret={v}", v),
        (f"$ cat /proc/1/environ | tr '\\0' '\\n'\nHOSTNAME=worker-1\nREDIS_PASSWORD={p}\nHOME=/root", p),
    ])


@secret("framework_secret_keys")
def _framework(r: Rng, i: int) -> tuple[str, str]:
    dj = "django-insecure-" + rs(r, LALNUM + "!@#$%^&*(-_=+)", 50)
    dj2 = rs(r, LALNUM + "!@#$%^&*(-_=+)", 50)
    rails = rs(r, HEX, 128)
    master = rs(r, HEX, 32)
    laravel = "base64:" + b64(r.randbytes(32))
    phx = b64(r.randbytes(48))
    return pick(i, [
        (f"SECRET_KEY = '{dj}'", dj),
        (f'SECRET_KEY = os.environ.get("SECRET_KEY", "{dj2}")', dj2),
        (f"production:\n  secret_key_base: {rails}", rails),
        (f"RAILS_MASTER_KEY={master} bin/rails server -e production", master),
        (f"APP_NAME=Shop\nAPP_ENV=production\nAPP_KEY={laravel}\nAPP_DEBUG=false", laravel),
        (f'config :acme, AcmeWeb.Endpoint,\n  secret_key_base: "{phx}"', phx),
    ])


@secret("smtp_app_passwords")
def _smtp(r: Rng, i: int) -> tuple[str, str]:
    groups = [rs(r, LOWER, 4) for _ in range(4)]
    spaced, joined = " ".join(groups), "".join(groups)
    p = pw(r)
    return pick(i, [
        (f'EMAIL_HOST = "smtp.gmail.com"\nEMAIL_HOST_USER = "alerts@acme.io"\nEMAIL_HOST_PASSWORD = "{joined}"', joined),
        (f"Your app password for your device\n{spaced}\nHow to use it: go to the settings for your Google Account in the application or device you are trying to set up.", spaced),
        (f"[smtp.gmail.com]:587 alerts@acme.io:{joined}", joined),
        (f"account default\nhost smtp.acme.io\nport 587\nauth on\nuser alerts@acme.io\npassword {p}\ntls on", p),
        (f"swaks --to ops@acme.io --server smtp.acme.io:587 --auth LOGIN --auth-user alerts --auth-password '{p}' --tls", p),
        (f"MAIL_MAILER=smtp\nMAIL_HOST=smtp.mailtrap.io\nMAIL_USERNAME=alerts\nMAIL_PASSWORD={p}", p),
    ])


@secret("totp_seeds")
def _totp(r: Rng, i: int) -> tuple[str, str]:
    v = rs(r, B32U, 32)
    spaced = " ".join(wrap(v, 4))
    return pick(i, [
        (f"otpauth://totp/Acme:jdoe@acme.io?secret={v}&issuer=Acme&algorithm=SHA1&digits=6&period=30", v),
        (f'totp = pyotp.TOTP("{v}")\nprint(totp.now())', v),
        (f"MFA_TOTP_SECRET={v}", v),
        (f"Can't scan the QR code? Enter this setup key instead:\n{spaced}", spaced),
        (f"oathtool --totp -b {v}", v),
        (f'{{"issuer": "AWS", "account": "root@acme.io", "secret": "{v}", "type": "TOTP"}}', v),
    ])


@secret("chat_webhook_urls")
def _webhooks(r: Rng, i: int) -> tuple[str, str]:
    d_tok = rs(r, B64URL, 68)
    teams = rs(r, HEX, 32)
    gchat = rs(r, B64URL, 43)
    gkey = "AIza" + rs(r, B64URL, 35)
    mm = rs(r, LALNUM, 26)
    ifttt = rs(r, B64URL, 22)
    return pick(i, [
        (f"DISCORD_WEBHOOK=https://discord.com/api/webhooks/{num(r, 19)}/{d_tok}", d_tok),
        (f'curl -H "Content-Type: application/json" -d \'{{"content": "build failed"}}\' https://discordapp.com/api/webhooks/{num(r, 18)}/{d_tok}', d_tok),
        (f"TEAMS_WEBHOOK_URL=https://acme.webhook.office.com/webhookb2/{uid(r)}@{uid(r)}/IncomingWebhook/{teams}/{uid(r)}", teams),
        (f"https://chat.googleapis.com/v1/spaces/AAAA{rs(r, B64URL, 7)}/messages?key={gkey}&token={gchat}", gchat),
        (f"curl -i -X POST -H 'Content-Type: application/json' -d '{{\"text\": \"deploy ok\"}}' https://chat.acme.io/hooks/{mm}", mm),
        (f"https://maker.ifttt.com/trigger/backup_done/with/key/{ifttt}", ifttt),
    ])


@secret("prose_secrets")
def _prose(r: Rng, i: int) -> tuple[str, str]:
    p = pw(r)
    v = rs(r, ALNUM, 40)
    h = rs(r, HEX, 32)
    return pick(i, [
        (f"the staging db password is {p}, rotate it after the demo", p),
        (f"here's the admin login for the grafana box: admin / {p}", p),
        (f"Use token {v} for the internal reporting API until SSO lands.", v),
        (f"API key for the weather service: {h}", h),
        (f"FYI I reset your VPN password to {p} - please change it on first login", p),
        (f"the webhook secret is {v} (same one as in prod)", v),
    ])


# ================================================================ benign look-alikes


def _sha(r: Rng) -> str:
    return rs(r, HEX, 40)


MODULES = ["github.com/spf13/cobra v1.8.0", "golang.org/x/crypto v0.24.0", "github.com/stretchr/testify v1.9.0",
           "google.golang.org/grpc v1.64.0", "github.com/jackc/pgx/v5 v5.6.0", "go.uber.org/zap v1.27.0"]
PKGS = ["lodash", "react-dom", "@babel/core", "typescript", "express", "@types/node", "zod", "vite"]


@benign("git_shas")
def _b_git(r: Rng, i: int) -> str:
    a, b = _sha(r), _sha(r)
    return pick(i, [
        f"commit {a}\nAuthor: Jane Doe <jane@example.com>\nDate:   Tue Jun 4 10:12:33 2024 +0200\n\n    Fix token refresh race",
        f"git cherry-pick {a} && git push origin HEAD:release/2.4",
        f"{a[:7]} (HEAD -> main, origin/main) Merge pull request #412 from acme/fix-auth\n{b[:7]} Bump requests from 2.31.0 to 2.32.3",
        f'{{"sha": "{a}", "commit": {{"message": "Rotate signing key docs"}}, "parents": [{{"sha": "{b}"}}]}}',
        f'"nixpkgs": {{\n  "locked": {{\n    "lastModified": 1717179513,\n    "narHash": "sha256-{b64(r.randbytes(32))}",\n    "owner": "NixOS",\n    "repo": "nixpkgs",\n    "rev": "{a}",\n    "type": "github"\n  }}\n}}',
        f"Submodule path 'vendor/libfoo': checked out '{a}'\nHEAD is now at {b[:12]} Release 3.1.0",
    ])


@benign("uuids_request_ids")
def _b_uuid(r: Rng, i: int) -> str:
    return pick(i, [
        f"INFO request_id={uid(r)} method=GET path=/v1/orders status=200 duration_ms=41",
        f"metadata:\n  name: api-7f9c\n  namespace: prod\n  uid: {uid(r)}\n  resourceVersion: \"48213377\"",
        f'{{"id": "{uid(r)}", "object": "deployment", "created_at": "2024-05-02T10:00:00Z", "project_id": "{uid(r)}"}}',
        f"Correlation ID: {uid(r)}\nTimestamp: 2024-06-01 10:22:41Z",
        f"trace_id={rs(r, HEX, 32)} span_id={rs(r, HEX, 16)} level=info msg=\"cache miss\"",
        f"UUID={uid(r)} /     ext4  defaults  0 1\nUUID={uid(r)} /boot vfat  umask=0077 0 2",
    ])


@benign("lockfile_hashes")
def _b_lock(r: Rng, i: int) -> str:
    h1, h2 = rs(r, HEX, 64), rs(r, HEX, 64)
    return pick(i, [
        f'[[package]]\nname = "requests"\nversion = "2.32.3"\nfiles = [\n    {{file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:{h1}"}},\n    {{file = "requests-2.32.3.tar.gz", hash = "sha256:{h2}"}},\n]',
        f"certifi==2024.2.2 \\\n    --hash=sha256:{h1} \\\n    --hash=sha256:{h2}",
        f'[[package]]\nname = "serde"\nversion = "1.0.203"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "{h1}"',
        f'sdist = {{ url = "https://files.pythonhosted.org/packages/21/ed/idna-3.7.tar.gz", hash = "sha256:{h1}", size = 189575 }}',
        f"CHECKSUMS\n  rack (3.0.11) sha256={h1}\n  rake (13.2.1) sha256={h2}",
        f'"dist": {{\n    "type": "zip",\n    "url": "https://api.github.com/repos/symfony/console/zipball/{_sha(r)}",\n    "reference": "{_sha(r)}",\n    "shasum": ""\n}}',
    ])


@benign("go_sum_hashes")
def _b_gosum(r: Rng, i: int) -> str:
    mod = pick(i, MODULES)
    a, b = b64(r.randbytes(32)), b64(r.randbytes(32))
    if i == 5:
        return f'{{\n\t"Path": "{mod.split()[0]}",\n\t"Version": "{mod.split()[1]}",\n\t"Sum": "h1:{a}",\n\t"GoModSum": "h1:{b}"\n}}'
    return f"{mod} h1:{a}\n{mod}/go.mod h1:{b}"


@benign("npm_integrity")
def _b_integrity(r: Rng, i: int) -> str:
    pkg = pick(i, PKGS)
    s512 = b64(r.randbytes(64))
    return pick(i, [
        f'"node_modules/{pkg}": {{\n  "version": "4.17.21",\n  "resolved": "https://registry.npmjs.org/{pkg}/-/{pkg}-4.17.21.tgz",\n  "integrity": "sha512-{s512}"\n}}',
        f'"{pkg}@^7.24.0":\n  version "7.24.7"\n  resolved "https://registry.yarnpkg.com/{pkg}/-/{pkg.split("/")[-1]}-7.24.7.tgz#{_sha(r)}"\n  integrity sha512-{s512}',
        f"  /{pkg}@2.1.3:\n    resolution: {{integrity: sha512-{s512}}}\n    dev: false",
        f'<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js" integrity="sha384-{b64(r.randbytes(48))}" crossorigin="anonymous"></script>',
        f'"integrity": "sha1-{b64(r.randbytes(20))}"',
        f"$ npm view {pkg} dist.integrity\nsha512-{s512}",
    ])


@benign("docker_image_digests")
def _b_digest(r: Rng, i: int) -> str:
    d = rs(r, HEX, 64)
    return pick(i, [
        f"    image: ghcr.io/acme/api@sha256:{d}",
        f"Digest: sha256:{d}\nStatus: Downloaded newer image for postgres:16.3",
        f"    imageID: docker-pullable://nginx@sha256:{d}",
        f"FROM python:3.12-slim@sha256:{d}",
        f"REPOSITORY   TAG       DIGEST                                                                    IMAGE ID       CREATED\nredis        7.2       sha256:{d}   {rs(r, HEX, 12)}   2 weeks ago",
        f"{rs(r, HEX, 12)}: Pull complete\n{rs(r, HEX, 12)}: Pull complete\nDigest: sha256:{d}",
    ])


@benign("base64_ordinary_text")
def _b_b64(r: Rng, i: int) -> str:
    text = pick(i, ["deploy finished on staging", "# Acme API\n\nInternal service that serves order data to the web app.\n",
                    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><circle cx="8" cy="8" r="7" fill="#3b82f6"/></svg>',
                    "Hello team,\n\nThe quarterly report is attached. Let me know if anything looks off.\n\nThanks,\nJane\n",
                    '{"event":"signup","plan":"free","country":"DE"}', "console.log('hello from the worker');"])
    enc = b64(text.encode())
    escaped = "\\n".join(wrap(enc, 60))
    return pick(i, [
        f"$ echo -n '{text}' | base64\n{enc}",
        f'{{"name": "README.md", "path": "README.md", "encoding": "base64", "content": "{escaped}\\n"}}',
        f'.icon {{ background-image: url("data:image/svg+xml;base64,{enc}"); }}',
        "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + "\n".join(wrap(enc, 76)),
        f'{{"level": "debug", "msg": "queued", "payload_b64": "{enc}"}}',
        f'const src = atob("{enc}");',
    ])


def _ssh_pub(r: Rng, kind: str) -> str:
    if kind == "ssh-rsa":
        blob = sshstr(b"ssh-rsa") + sshstr(b"\x01\x00\x01") + sshstr(b"\x00" + r.randbytes(256))
    elif kind == "ecdsa-sha2-nistp256":
        blob = sshstr(kind.encode()) + sshstr(b"nistp256") + sshstr(b"\x04" + r.randbytes(64))
    else:
        blob = sshstr(b"ssh-ed25519") + sshstr(r.randbytes(32))
    return f"{kind} {b64(blob)}"


@benign("ssh_public_keys")
def _b_sshpub(r: Rng, i: int) -> str:
    ed, rsa, ec = _ssh_pub(r, "ssh-ed25519"), _ssh_pub(r, "ssh-rsa"), _ssh_pub(r, "ecdsa-sha2-nistp256")
    return pick(i, [
        f"$ cat ~/.ssh/id_ed25519.pub\n{ed} jdoe@laptop",
        f"# ~/.ssh/authorized_keys\n{rsa} deploy@ci\n{ed} jdoe@laptop",
        f"git.acme.io {ed}\n[10.0.0.4]:2222 {ec}",
        f"#cloud-config\nusers:\n  - name: deploy\n    ssh_authorized_keys:\n      - {ed} deploy",
        f'resource "aws_key_pair" "deployer" {{\n  key_name   = "deployer"\n  public_key = "{rsa} deployer@acme"\n}}',
        f'{{"id": {r.randint(1000000, 9999999)}, "key": "{ed}", "title": "ci-deploy", "read_only": true}}',
    ])


@benign("pem_public_material")
def _b_pempub(r: Rng, i: int) -> str:
    rsa_pub = bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100") + r.randbytes(256) + bytes.fromhex("0203010001")
    ec_pub = bytes.fromhex("3059301306072a8648ce3d020106082a8648ce3d030107034200") + b"\x04" + r.randbytes(64)
    cert = bytes.fromhex("308203") + r.randbytes(780)
    csr = bytes.fromhex("308202") + r.randbytes(600)
    pgp = bytes([0x99, 0x01, 0x0D, 0x04]) + r.randbytes(300)
    block = lambda label, der: f"-----BEGIN {label}-----\n" + "\n".join(wrap(b64(der))) + f"\n-----END {label}-----"
    cert_pem = block("CERTIFICATE", cert)
    return pick(i, [
        "$ openssl rsa -in key.pem -pubout\nwriting RSA key\n" + block("PUBLIC KEY", rsa_pub),
        "JWT_PUBLIC_KEY=\"" + block("PUBLIC KEY", ec_pub) + "\"",
        "$ cat /etc/ssl/certs/acme-root-ca.crt\n" + cert_pem,
        f"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {b64((cert_pem + chr(10)).encode())}\n    server: https://10.0.0.1:6443\n  name: prod",
        block("CERTIFICATE REQUEST", csr),
        "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + "\n".join(wrap(b64(pgp))) + "\n=" + b64(crc24(pgp).to_bytes(3, "big")) + "\n-----END PGP PUBLIC KEY BLOCK-----",
    ])


@benign("placeholder_values")
def _b_placeholder(r: Rng, i: int) -> str:
    return pick(i, [
        "OPENAI_API_KEY=your-api-key-here\nANTHROPIC_API_KEY=<your-anthropic-key>",
        'api_key = "<YOUR_API_KEY>"\napi_secret = "<YOUR_API_SECRET>"',
        "DB_PASSWORD=changeme\nREDIS_PASSWORD=changeme",
        "export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nexport HF_TOKEN=hf_xxx",
        'password: "********"\ntoken: "<TOKEN>"',
        "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\nAWS_SECRET_ACCESS_KEY=REPLACE_ME\nSLACK_BOT_TOKEN=xoxb-your-bot-token",
    ])


@benign("env_template_references")
def _b_templates(r: Rng, i: int) -> str:
    return pick(i, [
        "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
        "    env:\n      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n      GH_TOKEN: ${{ github.token }}",
        "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in .env}",
        "  password: {{ .Values.db.password | quote }}\n  apiKey: {{ required \"apiKey is required\" .Values.apiKey }}",
        'curl -H "Authorization: Bearer $API_TOKEN" https://api.acme.io/v1/me',
        'ansible_become_pass: "{{ vault_become_pass }}"\ndb_password: "{{ lookup(\'env\', \'DB_PASSWORD\') }}"',
    ])


@benign("code_env_references")
def _b_coderefs(r: Rng, i: int) -> str:
    return pick(i, [
        'conn = psycopg2.connect(host=host, password=os.environ["DB_PASSWORD"])',
        'client = OpenAI(api_key=os.getenv("OPENAI_API_KEY"))',
        'token := os.Getenv("GITHUB_TOKEN")\nif token == "" {\n\tlog.Fatal("GITHUB_TOKEN not set")\n}',
        "const secret = process.env.JWT_SECRET;\nconst apiKey = config.get('partner.apiKey');",
        'String pwd = System.getenv("DB_PASS");\nvar key = Environment.GetEnvironmentVariable("API_KEY");',
        'password: ENV.fetch("DB_PASSWORD")\napi_key: Optional[str] = None\nself.password = password',
    ])


@benign("docs_prose_tokens")
def _b_prose(r: Rng, i: int) -> str:
    return pick(i, [
        "Create a personal access token under Settings -> Developer settings and store it in the GITHUB_TOKEN repository secret.",
        "Rotate your API keys every 90 days. A key that leaks should be revoked in the dashboard, not just deleted from the repo.",
        "The access token expires after 3600 seconds; use the refresh token to obtain a new one.",
        "Never commit your .env file. The password for the staging database is kept in 1Password under 'Staging DB'.",
        "To authenticate, pass your secret key in the Authorization header as a bearer token.",
        "If the token has the `repo` scope, the CLI can push tags; otherwise it falls back to read-only mode.",
    ])


@benign("package_versions")
def _b_versions(r: Rng, i: int) -> str:
    return pick(i, [
        '"dependencies": {\n  "@types/node": "^20.11.30",\n  "jsonwebtoken": "^9.0.2",\n  "next-auth": "4.24.7"\n}',
        "requests==2.32.3\npyjwt[crypto]==2.8.0\ncryptography>=42.0.5,<43",
        '[dependencies]\nserde = { version = "1.0.203", features = ["derive"] }\njsonwebtoken = "9.3.0"',
        "require (\n\tgithub.com/golang-jwt/jwt/v5 v5.2.1\n\tgolang.org/x/oauth2 v0.21.0\n)",
        "gem 'devise', '~> 4.9'\ngem 'jwt', '2.8.1'\ngem 'bcrypt', '~> 3.1.20'",
        '"resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz"',
    ])


@benign("long_code_identifiers")
def _b_idents(r: Rng, i: int) -> str:
    return pick(i, [
        "public class OAuth2AuthorizationCodeGrantRequestEntityConverter implements Converter<OAuth2AuthorizationCodeGrantRequest, RequestEntity<?>> {",
        "def test_api_key_rotation_keeps_previous_key_valid_for_grace_period(self):",
        "SECRET_MANAGER_SECRET_VERSION_NAME_TEMPLATE = 'projects/{project}/secrets/{secret}/versions/latest'",
        "kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly",
        "async function getAccessTokenFromRefreshTokenWithRetry(refreshToken, maxAttempts = 3) {",
        "func (s *Server) handleOAuth2ClientCredentialsTokenExchange(w http.ResponseWriter, r *http.Request) {",
    ])


@benign("plain_urls")
def _b_urls(r: Rng, i: int) -> str:
    return pick(i, [
        f"https://github.com/acme/api/blob/{_sha(r)}/src/auth/token.py#L42-L58",
        "https://docs.python.org/3/library/secrets.html#secrets.token_urlsafe",
        f"https://drive.google.com/file/d/1{rs(r, B64URL, 32)}/view?usp=sharing",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://api.github.com/repos/acme/api/pulls?state=open&per_page=100&page=2",
        f"https://acme-public-assets.s3.eu-west-1.amazonaws.com/img/logo-{rs(r, HEX, 8)}.png",
    ])


@benign("token_named_settings")
def _b_token_settings(r: Rng, i: int) -> str:
    return pick(i, [
        'response = client.chat.completions.create(model="gpt-4o", max_tokens=4096, temperature=0.2)',
        '{"token_type": "Bearer", "expires_in": 3600, "scope": "read:org"}',
        "password_min_length = 12\npassword_require_symbols = true\npassword_hash_algorithm = \"argon2id\"",
        "TOKEN_URL=https://oauth2.googleapis.com/token\nAUTH_TOKEN_TTL=3600",
        'api_key_env = "OPENAI_API_KEY"\nsecret_name: db-credentials\ntokenizer: cl100k_base',
        "key_size: 4096\nmax_completion_tokens: 1024\nsession_timeout_minutes: 30",
    ])


@benign("k8s_secret_references")
def _b_k8s_refs(r: Rng, i: int) -> str:
    return pick(i, [
        "        env:\n          - name: DB_PASSWORD\n            valueFrom:\n              secretKeyRef:\n                name: db-credentials\n                key: password",
        "        envFrom:\n          - secretRef:\n              name: app-secrets",
        "      volumes:\n        - name: tls\n          secret:\n            secretName: api-tls",
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nspec:\n  secretStoreRef:\n    name: vault\n  data:\n    - secretKey: password\n      remoteRef:\n        key: secret/db\n        property: password",
        "imagePullSecrets:\n  - name: regcred",
        "$ kubectl get secrets -n prod\nNAME             TYPE                             DATA   AGE\ndb-credentials   Opaque                           2      41d\nregcred          kubernetes.io/dockerconfigjson   1      41d",
    ])


@benign("masked_log_values")
def _b_masked(r: Rng, i: int) -> str:
    return pick(i, [
        "> GET /v1/me HTTP/1.1\n> Authorization: Bearer ***",
        "INFO connecting to postgres://app:****@db.internal:5432/orders",
        "  env:\n    GH_TOKEN: ***\n    NPM_TOKEN: ***",
        "token=[REDACTED] user=jdoe action=login result=ok",
        "DB_PASSWORD=<redacted>\nAPI_KEY=<hidden>",
        "Using credentials for user deploy (password hidden)",
    ])


@benign("provider_object_ids")
def _b_objids(r: Rng, i: int) -> str:
    return pick(i, [
        f'{{"id": "pi_3{rs(r, ALNUM, 23)}", "object": "payment_intent", "customer": "cus_{rs(r, ALNUM, 14)}", "latest_charge": "ch_3{rs(r, ALNUM, 23)}"}}',
        f"Posted to channel C0{rs(r, UALNUM, 9)} in team T0{rs(r, UALNUM, 9)} by U0{rs(r, UALNUM, 9)}",
        f'{{"login": "jdoe", "id": {r.randint(100000, 9999999)}, "node_id": "{b64(("04:User" + num(r, 7)).encode())}"}}',
        f"i-0{rs(r, HEX, 16)}  running  t3.medium  sg-0{rs(r, HEX, 16)}  vpc-0{rs(r, HEX, 16)}",
        f"arn:aws:iam::{num(r, 12)}:role/github-actions-deployer",
        f'{{"sid": "SM{rs(r, HEX, 32)}", "status": "delivered", "_id": "{rs(r, HEX, 24)}"}}',
    ])


@benign("checksum_files")
def _b_checksums(r: Rng, i: int) -> str:
    return pick(i, [
        f"{rs(r, HEX, 64)}  terraform_1.8.5_linux_amd64.zip\n{rs(r, HEX, 64)}  terraform_1.8.5_darwin_arm64.zip",
        f"$ md5sum backup.tar.gz\n{rs(r, HEX, 32)}  backup.tar.gz",
        f'ETag: "{rs(r, HEX, 32)}"\nLast-Modified: Sat, 01 Jun 2024 10:00:00 GMT',
        f"entries:\n  api:\n  - apiVersion: v2\n    digest: {rs(r, HEX, 64)}\n    name: api\n    version: 2.4.1",
        f"  annotations:\n    checksum/config: {rs(r, HEX, 64)}\n    checksum/secret: {rs(r, HEX, 64)}",
        f"$ sha512sum node-v20.14.0.tar.gz\n{rs(r, HEX, 128)}  node-v20.14.0.tar.gz",
    ])


@benign("asset_fingerprints")
def _b_assets(r: Rng, i: int) -> str:
    return pick(i, [
        f"dist/assets/index-{rs(r, B64URL, 8)}.js   142.31 kB │ gzip: 45.80 kB\ndist/assets/index-{rs(r, B64URL, 8)}.css   12.07 kB",
        f'<script defer src="/static/js/main.{rs(r, HEX, 20)}.js"></script>',
        f"/_next/static/{rs(r, B64URL, 21)}/_buildManifest.js",
        f'<link rel="stylesheet" href="/assets/application-{rs(r, HEX, 64)}.css" media="all">',
        f"static/js/787.{rs(r, HEX, 8)}.chunk.js",
        f"main.{rs(r, HEX, 16)}.js | main | 1.21 MB",
    ])


@benign("cloud_request_ids")
def _b_reqids(r: Rng, i: int) -> str:
    return pick(i, [
        f"x-amz-request-id: {rs(r, UALNUM, 16)}\nx-amz-id-2: {b64(r.randbytes(57))}",
        f"X-Cache: Miss from cloudfront\nX-Amz-Cf-Pop: FRA56-P5\nX-Amz-Cf-Id: {rs(r, B64URL, 54)}==",
        f"START RequestId: {uid(r)} Version: $LATEST\nEND RequestId: {uid(r)}",
        f"cf-ray: {rs(r, HEX, 16)}-FRA\nx-ms-request-id: {uid(r)}",
        f"X-Cloud-Trace-Context: {rs(r, HEX, 32)}/{num(r, 19)};o=1",
        f"x-guploader-uploadid: {rs(r, B64URL, 72)}",
    ])


@benign("cli_help_text")
def _b_help(r: Rng, i: int) -> str:
    return pick(i, [
        "options:\n  -h, --help            show this help message and exit\n  --token TOKEN         API token (default: $ACME_TOKEN)\n  -p, --password PASSWORD\n                        database password",
        "Flags:\n      --api-key string       API key used to authenticate (env ACME_API_KEY)\n      --client-secret string OAuth client secret",
        "Usage: mysql [OPTIONS] [database]\n  -p, --password[=name] Password to use when connecting to server.",
        "  --secret-file PATH    read the webhook secret from PATH instead of the environment",
        "SYNOPSIS\n    vault login [options] [AUTH K=V...]\n    -method=<string>  Type of authentication to use such as \"userpass\" or \"ldap\".",
        "Commands:\n  token create   Create a new access token\n  token revoke   Revoke an access token\n  token list     List access tokens",
    ])


@benign("test_output_lines")
def _b_tests(r: Rng, i: int) -> str:
    return pick(i, [
        "--- PASS: TestTokenRefresh (0.00s)\n--- PASS: TestPasswordHashing/argon2id (0.21s)",
        "tests/test_auth.py::test_password_reset_requires_valid_token PASSED   [ 42%]",
        " ✓ rejects expired api keys (3 ms)\n ✓ accepts a rotated secret within the grace period (1 ms)",
        "test result: ok. 12 passed; 0 failed; 0 ignored; finished in 0.31s\n    auth::tests::bearer_token_is_parsed ... ok",
        "[INFO] Tests run: 8, Failures: 0, Errors: 0, Skipped: 0 - in com.acme.security.SecretRotationServiceTest",
        "FAIL src/session.test.ts > session > rejects a tampered cookie signature",
    ])


@benign("empty_and_null_values")
def _b_empty(r: Rng, i: int) -> str:
    return pick(i, [
        "DB_PASSWORD=\nAPI_KEY=",
        'API_KEY=""\nSECRET_KEY=\'\'',
        "auth:\n  token: null\n  password: ~",
        '{"secret": "", "apiKey": null}',
        "client_secret = None\napi_token: str | None = None",
        "[credentials]\ntoken =\npassword =",
    ])


@benign("public_wallet_addresses")
def _b_wallets(r: Rng, i: int) -> str:
    eth = "0x" + rs(r, HEX, 40)
    btc = bech32("bc", b"\x00" + r.randbytes(20))
    legacy = b58check(b"\x00" + r.randbytes(20))
    sol = base58(r.randbytes(32))
    return pick(i, [
        f"Donations welcome! ETH: {eth}  BTC: {btc}",
        f"https://etherscan.io/address/{eth}#tokentxns",
        f'{{"from": "{eth}", "to": "0x{rs(r, HEX, 40)}", "value": "0x2386f26fc10000", "gas": "0x5208"}}',
        f"Send to: {legacy}\nAmount: 0.0042 BTC",
        f'const RECIPIENT = new PublicKey("{sol}");',
        f"$ solana address\n{sol}",
    ])


@benign("jwks_public_keys")
def _b_jwks(r: Rng, i: int) -> str:
    n = b64u(r.randbytes(256))
    kid = rs(r, B64URL, 43)
    x, y = b64u(r.randbytes(32)), b64u(r.randbytes(32))
    header = b64u(json.dumps({"alg": "RS256", "typ": "JWT", "kid": rs(r, HEX, 16)}, separators=(",", ":")).encode())
    return pick(i, [
        f'{{"keys": [{{"kty": "RSA", "use": "sig", "kid": "{kid}", "alg": "RS256", "n": "{n}", "e": "AQAB"}}]}}',
        f'{{"kty": "EC", "crv": "P-256", "use": "sig", "kid": "{kid}", "x": "{x}", "y": "{y}"}}',
        f"JWT header (decoded from {header}): alg=RS256",
        '{"issuer": "https://id.acme.io", "jwks_uri": "https://id.acme.io/.well-known/jwks.json", "id_token_signing_alg_values_supported": ["RS256"]}',
        f"$ curl -s https://id.acme.io/.well-known/jwks.json | jq -r '.keys[0].n'\n{n}",
        f'public_jwk = {{"kty": "OKP", "crv": "Ed25519", "x": "{x}"}}',
    ])


@benign("branch_and_commit_messages")
def _b_branches(r: Rng, i: int) -> str:
    return pick(i, [
        "git checkout -b feature/rotate-api-keys-on-schedule",
        "Merge branch 'fix/token-refresh-race' into main",
        "chore(auth): bump jsonwebtoken to 9.0.2 and drop the legacy secret loader",
        'Revert "Store session secret in vault"\n\nThis reverts commit ' + _sha(r) + ".",
        f"{_sha(r)[:7]} docs: explain how to create a deploy token\n{_sha(r)[:7]} fix(cli): read --password from stdin when omitted",
        "remotes/origin/security/remove-hardcoded-credentials",
    ])


@benign("crypto_function_code")
def _b_crypto_code(r: Rng, i: int) -> str:
    return pick(i, [
        "digest = hashlib.sha256(payload).hexdigest()\nif not hmac.compare_digest(digest, signature):\n    raise InvalidSignature",
        "def verify_password(plain: str, hashed: str) -> bool:\n    return pwd_context.verify(plain, hashed)",
        "const hash = await bcrypt.hash(password, 12);",
        "key = Fernet.generate_key()\nf = Fernet(key)",
        "token = secrets.token_urlsafe(32)\nsave_token(user_id, hash_token(token))",
        "openssl rand -base64 32 > /run/secrets/session_key",
    ])


@benign("encrypted_at_rest_values")
def _b_encrypted(r: Rng, i: int) -> str:
    sops = f"ENC[AES256_GCM,data:{b64(r.randbytes(18))},iv:{b64(r.randbytes(32))},tag:{b64(r.randbytes(16))},type:str]"
    vault_lines = "\n".join(wrap(rs(r, HEX, 480), 80))
    sealed = "AgB" + rs(r, B64, 640) + "=="
    return pick(i, [
        f"db:\n    password: {sops}\nsops:\n    age:\n        - recipient: {bech32('age', r.randbytes(32))}",
        f"$ANSIBLE_VAULT;1.1;AES256\n{vault_lines}",
        f"apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db-credentials\nspec:\n  encryptedData:\n    password: {sealed}",
        "db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n          " + "\n          ".join(wrap(rs(r, HEX, 320), 80)),
        f"{{\n  \"api_token\": \"{sops}\"\n}}",
        f'"CiphertextBlob": "AQICAHh{rs(r, B64, 240)}=="',
    ])


@benign("public_peer_keys")
def _b_peers(r: Rng, i: int) -> str:
    wg = b64(r.randbytes(32))
    return pick(i, [
        f"[Peer]\nPublicKey = {wg}\nAllowedIPs = 10.8.0.3/32\nPersistentKeepalive = 25",
        f"interface: wg0\n  public key: {wg}\n  private key: (hidden)\n  listening port: 51820\n\npeer: {b64(r.randbytes(32))}\n  endpoint: 203.0.113.7:51820",
        f"creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    age: {bech32('age', r.randbytes(32))}",
        f"ED25519 key fingerprint is SHA256:{b64(r.randbytes(32)).rstrip('=')}.\nAre you sure you want to continue connecting (yes/no/[fingerprint])?",
        f"untrusted comment: minisign public key {rs(r, UHEX, 16)}\nRWQ{b64(r.randbytes(39))}",
        f"http://{rs(r, B32L, 56)}.onion/",
    ])


# ================================================================ assembly


def cases(seed: int = 4) -> list[dict[str, str]]:
    r = random.Random(seed)
    out: list[dict[str, str]] = []
    for name, make in SECRET_SHAPES:
        for i in range(PER_SHAPE):
            text, value = make(r, i)
            if not value or value not in text:
                raise ValueError(f"{name}[{i}]: secret is not a substring of its text")
            out.append({"kind": "secret", "shape": name, "text": text, "secret": value,
                        "split": "tune" if i % 2 == 0 else "heldout"})
    for name, make_benign in BENIGN_SHAPES:
        for i in range(PER_SHAPE):
            out.append({"kind": "benign", "shape": name, "text": make_benign(r, i),
                        "split": "tune" if i % 2 == 0 else "heldout"})
    return out


if __name__ == "__main__":
    every = cases()
    kinds = {(c["kind"], c["split"]) for c in every}
    for kind, split in sorted(kinds):
        n = sum(1 for c in every if c["kind"] == kind and c["split"] == split)
        print(f"{kind:6} {split:7} {n}")
