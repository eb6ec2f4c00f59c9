# ruff: noqa: E501, E731, B905  -- authored case data: long literal lines kept as written
"""Independent held-out test set for the secret-redaction step (author "c").

Authored BLIND: the only material read was docs/redaction.md, shared/DESIGN.md and
README.md of the project.  No source, test, benchmark, rules data or git history of the
implementation was looked at, and the redactor was never run against these cases.

Every value is drawn from ``random.Random(seed)``, so no real credential appears here;
the generated values follow each provider's public format (prefix, exact length,
alphabet, public checksums such as the CRC32/base62 suffix of GitHub and npm tokens).

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
import json
import random
import string
import uuid

UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
DIGITS = string.digits
ALNUM = UPPER + LOWER + DIGITS
LOWALNUM = LOWER + DIGITS
UPALNUM = UPPER + DIGITS
HEX = "0123456789abcdef"
HEXUP = "0123456789ABCDEF"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
B32 = UPPER + "234567"
BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BASE62 = DIGITS + UPPER + LOWER
N_PER_SHAPE = 6


def rs(r: random.Random, n: int, alphabet: str = ALNUM) -> str:
    """Random string; for mixed alphabets insist on every class present (realistic)."""
    while True:
        s = "".join(r.choice(alphabet) for _ in range(n))
        need = []
        if any(c in alphabet for c in UPPER) and n >= 16:
            need.append(any(c in UPPER for c in s))
        if any(c in alphabet for c in LOWER) and n >= 16:
            need.append(any(c in LOWER for c in s))
        if any(c in alphabet for c in DIGITS) and n >= 16:
            need.append(any(c in DIGITS for c in s))
        if all(need):
            return s


def hexs(r: random.Random, n: int) -> str:
    return rs(r, n, HEX)


def digits(r: random.Random, n: int) -> str:
    return str(r.randint(1, 9)) + rs(r, n - 1, DIGITS)


def ruuid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def b64(data: bytes, url: bool = False, pad: bool = True) -> str:
    s = (base64.urlsafe_b64encode if url else base64.b64encode)(data).decode()
    return s if pad else s.rstrip("=")


def rbytes(r: random.Random, n: int) -> bytes:
    return bytes(r.getrandbits(8) for _ in range(n))


def base62(n: int, width: int = 6) -> str:
    out = ""
    while n:
        n, d = divmod(n, 62)
        out = BASE62[d] + out
    return out.rjust(width, "0")


def gh_style(r: random.Random, prefix: str) -> str:
    """GitHub / npm style: prefix + 30 base62 chars + base62(CRC32(random part)), 6 chars."""
    body = rs(r, 30)
    return prefix + body + base62(binascii.crc32(body.encode()) & 0xFFFFFFFF)


def jwt(r: random.Random, claims: dict | None = None, alg: str = "HS256") -> str:
    header = {"alg": alg, "typ": "JWT"}
    now = r.randint(1_700_000_000, 1_760_000_000)
    body = {"sub": ruuid(r), "iat": now, "exp": now + 3600}
    body.update(claims or {})
    sig_len = 32 if alg.startswith("HS") else 256
    return ".".join([
        b64(json.dumps(header, separators=(",", ":")).encode(), url=True, pad=False),
        b64(json.dumps(body, separators=(",", ":")).encode(), url=True, pad=False),
        b64(rbytes(r, sig_len), url=True, pad=False),
    ])


def pem_body(r: random.Random, nbytes: int, width: int = 64) -> str:
    s = b64(rbytes(r, nbytes))
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


def password(r: random.Random) -> str:
    """A human-ish or generated password (never a placeholder word)."""
    kind = r.randrange(4)
    words = ["Falcon", "river", "Quartz", "maple", "Orbit", "cobalt", "Tango", "ember",
             "Nimbus", "walrus", "Saffron", "glacier"]
    if kind == 0:
        return r.choice(words) + r.choice(words).lower() + digits(r, 3) + r.choice("!#%&*")
    if kind == 1:
        return rs(r, r.randint(14, 24), ALNUM + "!#%^*-_+=")
    if kind == 2:
        return "-".join(r.choice(words).lower() for _ in range(3)) + digits(r, 2)
    return rs(r, 20, ALNUM)


HOSTS = ["db.internal.acme.io", "10.4.12.7", "pg-prod-01.c9x2kq.eu-west-1.rds.amazonaws.com",
         "mysql.staging.corp", "cache-7.lan", "broker.svc.cluster.local"]
USERS = ["app", "deploy", "svc_billing", "admin", "reporting", "ci-bot", "jdoe"]


def camel(name: str) -> str:
    parts = name.lower().split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])


# ---------------------------------------------------------------------------------
# Contexts: place a value assigned to NAME in one of many file/command styles.
# Each returns the text; the value appears verbatim in it.
# ---------------------------------------------------------------------------------
def _ctx_env(r, n, v): return f"{n}={v}"
def _ctx_export(r, n, v): return f'export {n}="{v}"'
def _ctx_export_sq(r, n, v): return f"export {n}='{v}'"
def _ctx_json(r, n, v): return json.dumps({"service": "billing", n.lower(): v, "region": "eu-west-1"}, indent=2)
def _ctx_json_camel(r, n, v): return '{"name": "worker", "' + camel(n) + '": "' + v + '", "debug": false}'
def _ctx_yaml(r, n, v): return f"config:\n  env: production\n  {n.lower()}: {v}\n  timeout: 30"
def _ctx_yaml_q(r, n, v): return f'{n.lower()}: "{v}"'
def _ctx_toml(r, n, v): return f'[credentials]\n{n.lower()} = "{v}"\nretries = 3'
def _ctx_ini(r, n, v): return f"[default]\nregion = us-east-1\n{n.lower()} = {v}"
def _ctx_props(r, n, v): return f"app.{n.lower().replace('_', '.')}={v}\napp.timeout=30"
def _ctx_xml(r, n, v): return f"<config>\n  <{camel(n)}>{v}</{camel(n)}>\n</config>"
def _ctx_docker_env(r, n, v): return f"FROM python:3.12-slim\nENV {n}={v}\nRUN pip install -r requirements.txt"
def _ctx_docker_arg(r, n, v): return f'ARG {n}="{v}"'
def _ctx_docker_run(r, n, v): return f"docker run -d --name api -e {n}={v} -p 8080:8080 acme/api:1.4.2"
def _ctx_kubectl(r, n, v): return f"kubectl create secret generic app-secrets --from-literal={n.lower()}={v} -n prod"
def _ctx_helm(r, n, v): return f"helm upgrade --install api ./chart --set secrets.{camel(n)}={v} --namespace prod"
def _ctx_tfvars(r, n, v): return f'{n.lower()} = "{v}"'
def _ctx_gha(r, n, v): return f"    steps:\n      - run: ./deploy.sh\n        env:\n          {n}: {v}"
def _ctx_py(r, n, v): return f'{n} = "{v}"'
def _ctx_py_environ(r, n, v): return f'os.environ["{n}"] = "{v}"'
def _ctx_js(r, n, v): return f"const {camel(n)} = '{v}';"
def _ctx_js_obj(r, n, v): return f"const client = createClient({{ {camel(n)}: \"{v}\", timeout: 5000 }});"
def _ctx_go(r, n, v): return f'\t{camel(n)} := "{v}"'
def _ctx_java(r, n, v): return f'    private static final String {n} = "{v}";'
def _ctx_rust(r, n, v): return f'let {n.lower()} = "{v}";'
def _ctx_csharp(r, n, v): return f'var {camel(n)} = "{v}";'
def _ctx_history(r, n, v): return f"  {r.randint(100, 2000)}  export {n}={v}\n  {r.randint(2001, 3000)}  ./run.sh"
def _ctx_log(r, n, v): return f"2025-03-14T09:21:{r.randint(10, 59)}Z DEBUG settings loaded {n}={v} pid={r.randint(1000, 9999)}"

CONTEXTS = [_ctx_env, _ctx_export, _ctx_json, _ctx_yaml, _ctx_toml, _ctx_ini, _ctx_props,
            _ctx_xml, _ctx_docker_env, _ctx_docker_run, _ctx_kubectl, _ctx_helm, _ctx_tfvars,
            _ctx_gha, _ctx_py, _ctx_py_environ, _ctx_js, _ctx_js_obj, _ctx_go, _ctx_java,
            _ctx_rust, _ctx_csharp, _ctx_history, _ctx_log, _ctx_export_sq, _ctx_json_camel,
            _ctx_yaml_q, _ctx_docker_arg]


def placed(r, names, gen, n=N_PER_SHAPE):
    """n (text, secret) pairs: value from gen(r) assigned to one of names, rotating contexts."""
    start = r.randrange(len(CONTEXTS))
    out = []
    for i in range(n):
        v = gen(r)
        ctx = CONTEXTS[(start + i * 5) % len(CONTEXTS)]
        out.append((ctx(r, r.choice(names), v), v))
    return out


PROSE = [
    "here is the token you asked for: {v}",
    "Use {v} for now, I'll rotate it after the demo.",
    "> the key is {v} -- don't commit it",
    "Tried again with `{v}` and the API returned 401.",
    "FYI my key: {v}",
    "can you check why {v} stopped working?",
]


def bare(r, gen, n=N_PER_SHAPE, extra=()):
    """Prefixed tokens that need no name: mix of named contexts and prose."""
    out = []
    names = list(extra) or ["API_TOKEN"]
    start = r.randrange(len(CONTEXTS))
    for i in range(n):
        v = gen(r)
        if i % 3 == 2:
            out.append((r.choice(PROSE).format(v=v), v))
        else:
            ctx = CONTEXTS[(start + i * 7) % len(CONTEXTS)]
            out.append((ctx(r, r.choice(names), v), v))
    return out


# Registry: (kind, shape, function(r) -> list of (text, secret) or list of text)
GENERATORS: list[tuple[str, str, object]] = []


def secret(shape):
    def deco(fn):
        GENERATORS.append(("secret", shape, fn))
        return fn
    return deco


def benign(shape):
    def deco(fn):
        GENERATORS.append(("benign", shape, fn))
        return fn
    return deco


# ===== generators (appended below in chunks) =====
# ---------------------------------------------------------------- cloud providers
def aws_key_id(r, prefix="AKIA"):
    return prefix + rs(r, 16, B32)


def aws_secret(r):
    return rs(r, 40, B64)


def aws_session(r):
    return r.choice(["IQoJb3JpZ2luX2VjE", "FwoGZXIvYXdzE", "IQoJb3JpZ2luX2VjEO"]) + rs(r, r.randint(280, 560), B64)


@secret("aws-access-key-id")
def g_aws_key_id(r):
    out = placed(r, ["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "S3_ACCESS_KEY_ID"], aws_key_id, 4)
    k = aws_key_id(r)
    out.append((f"[default]\naws_access_key_id = {k}\nregion = eu-central-1", k))
    k = aws_key_id(r)
    out.append((f"Credential={k}/20250314/us-east-1/s3/aws4_request", k))
    return out


@secret("aws-secret-access-key")
def g_aws_secret(r):
    out = []
    k, s = aws_key_id(r), aws_secret(r)
    out.append((f"[prod]\naws_access_key_id = {k}\naws_secret_access_key = {s}", s))
    s = aws_secret(r)
    out.append((f"export AWS_SECRET_ACCESS_KEY={s}", s))
    s = aws_secret(r)
    out.append((f's3 = boto3.client("s3", aws_access_key_id="{aws_key_id(r)}", aws_secret_access_key="{s}")', s))
    s = aws_secret(r)
    out.append((f'provider "aws" {{\n  region     = "us-west-2"\n  access_key = "{aws_key_id(r)}"\n  secret_key = "{s}"\n}}', s))
    s = aws_secret(r)
    out.append((json.dumps({"AccessKey": {"UserName": "ci", "AccessKeyId": aws_key_id(r), "Status": "Active", "SecretAccessKey": s}}, indent=4), s))
    s = aws_secret(r)
    out.append((f"docker run --rm -e AWS_ACCESS_KEY_ID={aws_key_id(r)} -e AWS_SECRET_ACCESS_KEY={s} amazon/aws-cli s3 ls", s))
    return out


@secret("aws-session-token")
def g_aws_session(r):
    out = []
    t = aws_session(r)
    out.append((f"AWS_SESSION_TOKEN={t}", t))
    t = aws_session(r)
    out.append((json.dumps({"Credentials": {"AccessKeyId": aws_key_id(r, "ASIA"), "SecretAccessKey": aws_secret(r), "SessionToken": t, "Expiration": "2025-03-14T10:21:07+00:00"}}, indent=4), t))
    t = aws_session(r)
    out.append((f"[assumed]\naws_access_key_id = {aws_key_id(r, 'ASIA')}\naws_session_token = {t}", t))
    t = aws_session(r)
    out.append((f"      - name: Configure\n        env:\n          AWS_SESSION_TOKEN: {t}", t))
    t = aws_session(r)
    out.append((f"session = boto3.Session(aws_session_token='{t}')", t))
    t = aws_session(r)
    out.append((f"$env:AWS_SESSION_TOKEN=\"{t}\"", t))
    return out


@secret("aws-sts-temp-key-id")
def g_aws_asia(r):
    out = placed(r, ["AWS_ACCESS_KEY_ID", "aws_access_key_id"], lambda r: aws_key_id(r, "ASIA"), 4)
    k = aws_key_id(r, "ASIA")
    out.append((f'"AccessKeyId": "{k}",', k))
    k = aws_key_id(r, "ASIA")
    out.append((f"assumed role ok, temporary key {k} expires in 3600s", k))
    return out


def gcp_key(r):
    return "AIza" + rs(r, 35, B64URL)


@secret("gcp-api-key")
def g_gcp_key(r):
    out = bare(r, gcp_key, 3, ["GOOGLE_API_KEY", "GCP_API_KEY", "MAPS_API_KEY"])
    k = gcp_key(r)
    out.append((f"curl 'https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key={k}'", k))
    k = gcp_key(r)
    out.append((f'<meta-data android:name="com.google.android.geo.API_KEY" android:value="{k}"/>', k))
    k = gcp_key(r)
    out.append((f"GET https://generativelanguage.googleapis.com/v1beta/models?key={k} 200", k))
    return out


def sa_json(r, escaped=True):
    body = pem_body(r, 1190)
    pk = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n"
    proj = r.choice(["acme-prod", "billing-342117", "ml-sandbox-88"])
    d = {"type": "service_account", "project_id": proj, "private_key_id": hexs(r, 40),
         "private_key": pk, "client_email": f"ci-deployer@{proj}.iam.gserviceaccount.com",
         "client_id": digits(r, 21), "token_uri": "https://oauth2.googleapis.com/token"}
    text = json.dumps(d, indent=2)
    return text, body.replace("\n", "\\n")


@secret("gcp-service-account-json")
def g_gcp_sa(r):
    out = []
    for i in range(N_PER_SHAPE):
        text, body = sa_json(r)
        if i % 3 == 1:
            text = "$ cat key.json\n" + text
        elif i % 3 == 2:
            text = "GOOGLE_CREDENTIALS='" + text.replace("\n", "") + "'"
        out.append((text, body))
    return out


@secret("gcp-sa-private-key-id")
def g_gcp_keyid(r):
    return placed(r, ["private_key_id", "GCP_PRIVATE_KEY_ID"], lambda r: hexs(r, 40))


def azure_key(r):
    return b64(rbytes(r, 64))


@secret("azure-storage-account-key")
def g_azure_key(r):
    out = placed(r, ["AZURE_STORAGE_KEY", "AZURE_STORAGE_ACCOUNT_KEY", "STORAGE_ACCOUNT_KEY"], azure_key, 4)
    k = azure_key(r)
    out.append((f"az storage blob upload --account-name acmeprod --account-key {k} -c logs -f app.log", k))
    k = azure_key(r)
    out.append((f'new StorageSharedKeyCredential("acmeprod", "{k}");', k))
    return out


@secret("azure-storage-connection-string")
def g_azure_conn(r):
    out = []
    for i in range(N_PER_SHAPE):
        k = azure_key(r)
        acct = r.choice(["acmeprod", "stlogs01", "datalake7"])
        cs = f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={k};EndpointSuffix=core.windows.net"
        text = [f"AZURE_STORAGE_CONNECTION_STRING=\"{cs}\"",
                json.dumps({"Values": {"AzureWebJobsStorage": cs, "FUNCTIONS_WORKER_RUNTIME": "python"}}, indent=2),
                f'var client = new BlobServiceClient("{cs}");',
                f"  connectionString: {cs}",
                f"System.InvalidOperationException: bad container 'logs' for {cs}\n   at Acme.Storage.Open()",
                f"<add name=\"Storage\" connectionString=\"{cs}\" />"][i]
        out.append((text, k))
    return out


def azure_sas_sig(r):
    return b64(rbytes(r, 32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


@secret("azure-sas-signature")
def g_azure_sas(r):
    out = []
    for i in range(N_PER_SHAPE):
        sig = azure_sas_sig(r)
        acct = r.choice(["acmeprod", "stbackups", "mediacdn"])
        q = f"sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-01-01T00:00:00Z&st=2025-03-01T00:00:00Z&spr=https&sig={sig}"
        text = [f"https://{acct}.blob.core.windows.net/backups/db.bak?{q}",
                f"AZURE_SAS_URL=https://{acct}.blob.core.windows.net/?{q}",
                f"azcopy copy ./dist 'https://{acct}.blob.core.windows.net/$web?{q}' --recursive",
                f"GET /media/intro.mp4?sp=r&st=2025-03-14T09:00:00Z&se=2025-03-14T17:00:00Z&spr=https&sv=2022-11-02&sr=b&sig={sig} HTTP/1.1",
                f'sas_token = "?{q}"',
                f"BlobEndpoint=https://{acct}.blob.core.windows.net/;SharedAccessSignature={q}"][i]
        out.append((text, sig))
    return out


@secret("azure-servicebus-sas-key")
def g_azure_sb(r):
    out = []
    for i in range(N_PER_SHAPE):
        k = b64(rbytes(r, 32))
        ns = r.choice(["acme-events", "orders-bus", "iot-hub-prod"])
        cs = f"Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={k}"
        if i % 3 == 2:
            cs = f"HostName={ns}.azure-devices.net;DeviceId=sensor-12;SharedAccessKey={k}"
        text = [f"SERVICEBUS_CONNECTION={cs}", f'  "ServiceBusConnection": "{cs}",', f"conn_str = '{cs}'"][i % 3]
        out.append((text, k))
    return out


def azure_client_secret(r):
    return rs(r, 3, ALNUM) + r.choice(["8Q~", "7Q~"]) + rs(r, 34, ALNUM + "_~.-")


@secret("azure-ad-client-secret")
def g_azure_ad(r):
    out = placed(r, ["AZURE_CLIENT_SECRET", "ARM_CLIENT_SECRET", "client_secret"], azure_client_secret, 5)
    s = azure_client_secret(r)
    out.append((f"az login --service-principal -u {ruuid(r)} -p '{s}' --tenant {ruuid(r)}", s))
    return out


@secret("digitalocean-token")
def g_do(r):
    return bare(r, lambda r: r.choice(["dop_v1_", "doo_v1_", "dor_v1_"]) + hexs(r, 64), extra=["DIGITALOCEAN_TOKEN", "DO_TOKEN"])


@secret("cloudflare-api-token")
def g_cf(r):
    out = placed(r, ["CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"], lambda r: rs(r, 40, B64URL), 4)
    t = rs(r, 40, B64URL)
    out.append((f'curl -X GET "https://api.cloudflare.com/client/v4/user/tokens/verify" -H "Authorization: Bearer {t}"', t))
    t = rs(r, 40, B64URL)
    out.append((f'provider "cloudflare" {{\n  api_token = "{t}"\n}}', t))
    return out


@secret("cloudflare-global-api-key")
def g_cf_global(r):
    out = placed(r, ["CLOUDFLARE_API_KEY", "CF_API_KEY"], lambda r: hexs(r, 37), 4)
    k = hexs(r, 37)
    out.append((f'curl https://api.cloudflare.com/client/v4/zones -H "X-Auth-Email: ops@acme.io" -H "X-Auth-Key: {k}"', k))
    k = hexs(r, 37)
    out.append((f"dns_cloudflare_api_key = {k}", k))
    return out


@secret("vercel-token")
def g_vercel(r):
    out = placed(r, ["VERCEL_TOKEN", "NOW_TOKEN"], lambda r: rs(r, 24), 4)
    t = rs(r, 24)
    out.append((f"npx vercel deploy --prod --token {t}", t))
    t = rs(r, 24)
    out.append((f"npx vercel --token={t} --yes", t))
    return out


@secret("netlify-token")
def g_netlify(r):
    return bare(r, lambda r: "nfp_" + rs(r, 36), extra=["NETLIFY_AUTH_TOKEN"])


@secret("heroku-api-key")
def g_heroku(r):
    out = bare(r, lambda r: "HRKU-AA" + rs(r, 58, B64URL), 3, ["HEROKU_API_KEY"])
    out += placed(r, ["HEROKU_API_KEY"], ruuid, 2)
    u = ruuid(r)
    out.append((f"machine api.heroku.com\n  login ops@acme.io\n  password {u}", u))
    return out


def fly_token(r):
    return "fm2_" + rs(r, r.randint(180, 320), B64)


@secret("fly-token")
def g_fly(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = fly_token(r)
        text = [f"FLY_API_TOKEN=FlyV1 {t}", f"flyctl deploy --access-token \"FlyV1 {t}\"",
                f"          FLY_API_TOKEN: FlyV1 {t}", f'Authorization: FlyV1 {t}',
                f"fly secrets list -t 'FlyV1 {t}'", f"token: FlyV1 {t}"][i]
        out.append((text, t))
    return out


# ---------------------------------------------------------------- source hosting, registries
@secret("github-classic-pat")
def g_ghp(r):
    out = bare(r, lambda r: gh_style(r, "ghp_"), 4, ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT"])
    t = gh_style(r, "ghp_")
    out.append((f'curl -H "Authorization: token {t}" https://api.github.com/user/repos', t))
    t = gh_style(r, "ghp_")
    out.append((f"git remote set-url origin https://{t}@github.com/acme/infra.git", t))
    return out


@secret("github-fine-grained-pat")
def g_github_pat(r):
    return bare(r, lambda r: "github_pat_11" + rs(r, 20, UPALNUM) + "_" + rs(r, 59), extra=["GITHUB_TOKEN", "GH_PAT"])


@secret("github-oauth-token")
def g_gho(r):
    out = bare(r, lambda r: gh_style(r, "gho_"), 4, ["GITHUB_OAUTH_TOKEN"])
    t = gh_style(r, "gho_")
    out.append((f"github.com:\n    user: jdoe\n    oauth_token: {t}\n    git_protocol: https", t))
    t = gh_style(r, "gho_")
    out.append((f'{{"access_token":"{t}","token_type":"bearer","scope":"repo,gist"}}', t))
    return out


@secret("github-app-token")
def g_ghs(r):
    out = bare(r, lambda r: gh_style(r, r.choice(["ghs_", "ghu_"])), 4, ["GH_APP_TOKEN", "INSTALLATION_TOKEN"])
    t = gh_style(r, "ghs_")
    out.append((f"git clone https://x-access-token:{t}@github.com/acme/private-repo.git", t))
    t = gh_style(r, "ghu_")
    out.append((f'{{"token": "{t}", "expires_at": "2025-03-14T10:21:07Z"}}', t))
    return out


@secret("github-refresh-token")
def g_ghr(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = "ghr_" + rs(r, 76)
        text = [f'{{"access_token":"{gh_style(r, "ghu_")}","expires_in":28800,"refresh_token":"{t}","refresh_token_expires_in":15724800}}',
                f"GITHUB_REFRESH_TOKEN={t}", f"refresh_token: {t}", f"stored refresh token {t} for app 123456",
                f'const refreshToken = "{t}";', f"grant_type=refresh_token&refresh_token={t}&client_id=Iv1.{hexs(r, 16)}"][i]
        out.append((text, t))
    return out


def glpat(r):
    return "glpat-" + rs(r, 20, B64URL)


@secret("gitlab-pat")
def g_glpat(r):
    out = bare(r, glpat, 4, ["GITLAB_TOKEN", "CI_JOB_TOKEN_OVERRIDE", "GL_TOKEN"])
    t = glpat(r)
    out.append((f'curl --header "PRIVATE-TOKEN: {t}" "https://gitlab.com/api/v4/projects"', t))
    t = glpat(r)
    out.append((f"git push https://oauth2:{t}@gitlab.acme.io/platform/api.git HEAD:main", t))
    return out


@secret("gitlab-runner-token")
def g_glrt(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = "glrt-" + rs(r, 20, B64URL)
        text = [f"gitlab-runner register --non-interactive --url https://gitlab.com --token {t} --executor docker",
                f'[[runners]]\n  name = "docker-01"\n  url = "https://gitlab.com"\n  token = "{t}"',
                f"RUNNER_TOKEN={t}", f"  runnerToken: \"{t}\"", f"registered runner with {t}",
                f"helm install gitlab-runner gitlab/gitlab-runner --set runnerToken={t}"][i]
        out.append((text, t))
    return out


@secret("gitlab-deploy-token")
def g_gldt(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = r.choice(["gldt-", "glptt-"]) + (rs(r, 20, B64URL) if i % 2 == 0 else hexs(r, 40))
        if t.startswith("glptt-") and i % 2 == 0:
            t = "glptt-" + hexs(r, 40)
        text = [f"docker login registry.gitlab.com -u gitlab+deploy-token-42 -p {t}",
                f"curl -X POST -F token={t} -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline",
                f"DEPLOY_TOKEN={t}", f"  password: {t}", f'"token": "{t}"', f"pip install --index-url https://deploy:{t}@gitlab.com/api/v4/projects/42/packages/pypi/simple acme-lib"][i]
        out.append((text, t))
    return out


@secret("bitbucket-app-password")
def g_bitbucket(r):
    out = bare(r, lambda r: "ATBB" + rs(r, 32), 4, ["BITBUCKET_APP_PASSWORD", "BB_TOKEN"])
    t = "ATBB" + rs(r, 32)
    out.append((f"git clone https://jdoe:{t}@bitbucket.org/acme/web.git", t))
    t = "ATBB" + rs(r, 32)
    out.append((f"curl -u jdoe:{t} https://api.bitbucket.org/2.0/repositories/acme", t))
    return out


@secret("npm-token")
def g_npm(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = gh_style(r, "npm_")
        text = [f"//registry.npmjs.org/:_authToken={t}", f"NPM_TOKEN={t}",
                f"echo '//registry.npmjs.org/:_authToken={t}' >> ~/.npmrc",
                f'npmAuthToken: "{t}"', f"          NODE_AUTH_TOKEN: {t}", f"I published with {t}, works now"][i]
        out.append((text, t))
    return out


def pypi_token(r):
    return "pypi-AgEIcHlwaS5vcmcCJ" + rs(r, r.randint(130, 170), B64URL)


@secret("pypi-token")
def g_pypi(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = pypi_token(r)
        text = [f"[pypi]\n  username = __token__\n  password = {t}",
                f"twine upload -u __token__ -p {t} dist/*", f"TWINE_PASSWORD={t}",
                f"UV_PUBLISH_TOKEN={t}", f"poetry config pypi-token.pypi {t}",
                f"          password: {t}"][i]
        out.append((text, t))
    return out


@secret("rubygems-api-key")
def g_rubygems(r):
    out = bare(r, lambda r: "rubygems_" + hexs(r, 48), 4, ["GEM_HOST_API_KEY", "RUBYGEMS_API_KEY"])
    t = "rubygems_" + hexs(r, 48)
    out.append((f"---\n:rubygems_api_key: {t}", t))
    t = "rubygems_" + hexs(r, 48)
    out.append((f"gem push pkg/acme-1.2.0.gem --key {t}", t))
    return out


@secret("nuget-api-key")
def g_nuget(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = "oy2" + rs(r, 43, LOWALNUM)
        text = [f"dotnet nuget push bin/Release/Acme.1.0.0.nupkg --api-key {t} --source https://api.nuget.org/v3/index.json",
                f"NUGET_API_KEY={t}", f'<add key="ClearTextPassword" value="{t}" />',
                f"nuget setapikey {t}", f"  NUGET_KEY: {t}", f"the nuget key {t} expired yesterday"][i]
        out.append((text, t))
    return out


@secret("dockerhub-pat")
def g_dockerhub(r):
    out = bare(r, lambda r: r.choice(["dckr_pat_", "dckr_oat_"]) + rs(r, 27, B64URL), 4, ["DOCKERHUB_TOKEN", "DOCKER_PASSWORD"])
    t = "dckr_pat_" + rs(r, 27, B64URL)
    out.append((f"echo {t} | docker login -u acmeci --password-stdin", t))
    t = "dckr_pat_" + rs(r, 27, B64URL)
    out.append((f"docker login -u acmeci -p {t} docker.io", t))
    return out


@secret("docker-config-auth")
def g_docker_auth(r):
    out = []
    for i in range(N_PER_SHAPE):
        a = b64(f"{r.choice(USERS)}:{password(r)}".encode())
        reg = r.choice(["https://index.docker.io/v1/", "ghcr.io", "registry.acme.io:5000"])
        text = json.dumps({"auths": {reg: {"auth": a}}}, indent=2 if i % 2 else None)
        if i == 4:
            text = f'kubectl create secret docker-registry regcred --docker-server={reg} --from-literal=.dockerconfigjson=\'{{"auths":{{"{reg}":{{"auth":"{a}"}}}}}}\''
        out.append((text, a))
    return out


@secret("jfrog-token")
def g_jfrog(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = "AKCp" + rs(r, 69) if i % 2 == 0 else "cmVmdGtuOjAxOj" + rs(r, 50)
        text = [f"ARTIFACTORY_API_KEY={t}", f'curl -H "X-JFrog-Art-Api:{t}" -T app.jar https://acme.jfrog.io/artifactory/libs-release/',
                f"jf c add acme --url=https://acme.jfrog.io --access-token={t}", f"  password: {t}",
                f"artifactory_password={t}", f'curl -H "Authorization: Bearer {t}" https://acme.jfrog.io/artifactory/api/repositories'][i]
        out.append((text, t))
    return out


def tfc_token(r):
    return rs(r, 14, LOWALNUM) + ".atlasv1." + rs(r, 67, ALNUM)


@secret("terraform-cloud-token")
def g_tfc(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = tfc_token(r)
        text = [f'credentials "app.terraform.io" {{\n  token = "{t}"\n}}', f"TF_TOKEN_app_terraform_io={t}",
                f"TFE_TOKEN={t}", json.dumps({"credentials": {"app.terraform.io": {"token": t}}}, indent=2),
                f"          TF_API_TOKEN: {t}", f"use {t} for the tfc workspace"][i]
        out.append((text, t))
    return out


@secret("vault-token")
def g_vault(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = "hvs." + rs(r, 24) if i % 3 != 2 else "hvs.CAESI" + rs(r, 86, B64URL)
        text = [f"VAULT_TOKEN={t}", f"vault login {t}", f'curl -H "X-Vault-Token: {t}" https://vault.acme.io/v1/secret/data/app',
                f"Key                  Value\n---                  -----\ntoken                {t}\ntoken_accessor       {rs(r, 24)}",
                f"export VAULT_TOKEN='{t}'", f'client = hvac.Client(url=VAULT_ADDR, token="{t}")'][i]
        out.append((text, t))
    return out


@secret("vault-batch-token")
def g_vault_b(r):
    return bare(r, lambda r: "hvb." + rs(r, r.randint(120, 160), B64URL), extra=["VAULT_TOKEN"])


@secret("doppler-token")
def g_doppler(r):
    def gen(r):
        return r.choice(["dp.pt.", "dp.st.prd.", "dp.st.dev.", "dp.sa.", "dp.ct."]) + rs(r, 43)
    out = bare(r, gen, 5, ["DOPPLER_TOKEN"])
    t = gen(r)
    out.append((f"doppler run --token {t} -- ./server", t))
    return out


@secret("pulumi-token")
def g_pulumi(r):
    out = bare(r, lambda r: "pul-" + hexs(r, 40), 5, ["PULUMI_ACCESS_TOKEN"])
    t = "pul-" + hexs(r, 40)
    out.append((f"pulumi login --cloud-url https://api.pulumi.com <<< {t}", t))
    return out


# ---------------------------------------------------------------- payments, messaging
@secret("stripe-secret-key")
def g_stripe(r):
    gen = lambda r: "sk_live_" + rs(r, r.choice([24, 99]))
    out = bare(r, gen, 4, ["STRIPE_SECRET_KEY", "STRIPE_API_KEY"])
    t = gen(r)
    out.append((f"curl https://api.stripe.com/v1/charges -u {t}: -d amount=2000", t))
    t = gen(r)
    out.append((f"stripe.api_key = '{t}'", t))
    return out


@secret("stripe-restricted-key")
def g_stripe_rk(r):
    return bare(r, lambda r: "rk_live_" + rs(r, r.choice([24, 99])), extra=["STRIPE_RESTRICTED_KEY"])


@secret("stripe-webhook-secret")
def g_whsec(r):
    out = bare(r, lambda r: "whsec_" + rs(r, 32), 5, ["STRIPE_WEBHOOK_SECRET", "STRIPE_ENDPOINT_SECRET"])
    t = "whsec_" + rs(r, 32)
    out.append((f"> Ready! Your webhook signing secret is {t} (^C to quit)", t))
    return out


@secret("twilio-api-key")
def g_twilio(r):
    out = []
    for i in range(N_PER_SHAPE):
        sid, sk, tok = "AC" + hexs(r, 32), "SK" + hexs(r, 32), hexs(r, 32)
        if i % 2 == 0:
            text = [f"TWILIO_ACCOUNT_SID={sid}\nTWILIO_AUTH_TOKEN={tok}",
                    f"client = Client('{sid}', '{tok}')",
                    f"curl -X POST https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json -u {sid}:{tok}"][i // 2]
            out.append((text, tok))
        else:
            text = [f"TWILIO_API_KEY={sk}", f"twilio api key created: {sk}", f'  "apiKeySid": "{sk}",'][i // 2]
            out.append((text, sk))
    return out


def sendgrid(r):
    return "SG." + rs(r, 22, B64URL) + "." + rs(r, 43, B64URL)


@secret("sendgrid-api-key")
def g_sendgrid(r):
    out = bare(r, sendgrid, 4, ["SENDGRID_API_KEY", "SMTP_PASSWORD"])
    t = sendgrid(r)
    out.append((f'curl --request POST --url https://api.sendgrid.com/v3/mail/send --header "Authorization: Bearer {t}"', t))
    t = sendgrid(r)
    out.append((f"spring.mail.host=smtp.sendgrid.net\nspring.mail.username=apikey\nspring.mail.password={t}", t))
    return out


@secret("mailgun-api-key")
def g_mailgun(r):
    def gen(r):
        return "key-" + hexs(r, 32) if r.random() < 0.4 else hexs(r, 32) + "-" + hexs(r, 8) + "-" + hexs(r, 8)
    out = placed(r, ["MAILGUN_API_KEY", "MAILGUN_KEY"], gen, 4)
    t = gen(r)
    out.append((f"curl -s --user 'api:{t}' https://api.mailgun.net/v3/mg.acme.io/messages -F to=ops@acme.io", t))
    t = "key-" + hexs(r, 32)
    out.append((f"mailgun key {t} was in the old config", t))
    return out


def mailchimp(r):
    return hexs(r, 32) + "-us" + str(r.randint(1, 21))


@secret("mailchimp-api-key")
def g_mailchimp(r):
    out = bare(r, mailchimp, 5, ["MAILCHIMP_API_KEY"])
    t = mailchimp(r)
    out.append((f"curl -u anystring:{t} https://{t.split('-')[1]}.api.mailchimp.com/3.0/lists", t))
    return out


@secret("postmark-server-token")
def g_postmark(r):
    out = placed(r, ["POSTMARK_SERVER_TOKEN", "POSTMARK_API_TOKEN"], ruuid, 4)
    t = ruuid(r)
    out.append((f'curl "https://api.postmarkapp.com/email" -H "X-Postmark-Server-Token: {t}" -d @mail.json', t))
    t = ruuid(r)
    out.append((f"new PostmarkClient('{t}')", t))
    return out


def xoxb(r):
    return f"xoxb-{digits(r, r.randint(10, 13))}-{digits(r, r.randint(10, 13))}-{rs(r, 24)}"


@secret("slack-bot-token")
def g_xoxb(r):
    out = bare(r, xoxb, 4, ["SLACK_BOT_TOKEN", "SLACK_TOKEN"])
    t = xoxb(r)
    out.append((f'curl -H "Authorization: Bearer {t}" -d channel=C0123 -d text=hi https://slack.com/api/chat.postMessage', t))
    t = xoxb(r)
    out.append((f"app = App(token='{t}', signing_secret=os.environ['SLACK_SIGNING_SECRET'])", t))
    return out


@secret("slack-user-token")
def g_xoxp(r):
    def gen(r):
        if r.random() < 0.3:
            return f"xoxe.xoxp-1-{rs(r, 140, ALNUM + '-')}"
        return f"xoxp-{digits(r, 12)}-{digits(r, 12)}-{digits(r, 13)}-{hexs(r, 32)}"
    return bare(r, gen, extra=["SLACK_USER_TOKEN"])


@secret("slack-app-token")
def g_xapp(r):
    return bare(r, lambda r: f"xapp-1-A{rs(r, 10, UPALNUM)}-{digits(r, 13)}-{hexs(r, 64)}", extra=["SLACK_APP_TOKEN"])


@secret("slack-webhook")
def g_slack_hook(r):
    out = []
    for i in range(N_PER_SHAPE):
        tok = rs(r, 24)
        url = f"https://hooks.slack.com/services/T{rs(r, 10, UPALNUM)}/B{rs(r, 10, UPALNUM)}/{tok}"
        text = [f"SLACK_WEBHOOK_URL={url}", f"curl -X POST -H 'Content-type: application/json' --data '{{\"text\":\"deploy done\"}}' {url}",
                f"  slack_webhook: {url}", f'webhook = "{url}"', f"notify via {url} on failure",
                f"alertmanager:\n  receivers:\n  - name: slack\n    slack_configs:\n    - api_url: '{url}'"][i]
        out.append((text, tok))
    return out


def discord_bot(r):
    uid = str(r.randint(10**17, 10**19 - 1))
    return b64(uid.encode(), pad=False) + "." + rs(r, 6, B64URL) + "." + rs(r, r.choice([27, 38]), B64URL)


@secret("discord-bot-token")
def g_discord(r):
    out = placed(r, ["DISCORD_TOKEN", "DISCORD_BOT_TOKEN", "BOT_TOKEN"], discord_bot, 4)
    t = discord_bot(r)
    out.append((f"client.run('{t}')", t))
    t = discord_bot(r)
    out.append((f'curl -H "Authorization: Bot {t}" https://discord.com/api/v10/users/@me', t))
    return out


@secret("discord-webhook")
def g_discord_hook(r):
    out = []
    for i in range(N_PER_SHAPE):
        tok = rs(r, 68, B64URL)
        host = r.choice(["discord.com", "discordapp.com"])
        url = f"https://{host}/api/webhooks/{r.randint(10**17, 10**19 - 1)}/{tok}"
        text = [f"DISCORD_WEBHOOK={url}", f'requests.post("{url}", json={{"content": "build failed"}})',
                f"  webhook_url: {url}", f"curl -H 'Content-Type: application/json' -d '{{\"content\":\"hi\"}}' {url}",
                f"posting to {url}", f"const hook = new WebhookClient({{ url: '{url}' }});"][i]
        out.append((text, tok))
    return out


def telegram(r):
    return f"{r.randint(10**7, 10**10 - 1)}:AA{rs(r, 33, B64URL)}"


@secret("telegram-bot-token")
def g_telegram(r):
    out = placed(r, ["TELEGRAM_BOT_TOKEN", "TG_TOKEN", "BOT_TOKEN"], telegram, 3)
    for _ in range(3):
        t = telegram(r)
        out.append((r.choice([f"curl https://api.telegram.org/bot{t}/getUpdates",
                              f"GET https://api.telegram.org/bot{t}/sendMessage?chat_id=-100123&text=ok",
                              f"bot = telebot.TeleBot('{t}')"]), t))
    return out


# ---------------------------------------------------------------- commerce, SaaS, observability
@secret("shopify-token")
def g_shopify(r):
    gen = lambda r: r.choice(["shpat_", "shpca_", "shppa_", "shpss_"]) + hexs(r, 32)
    out = bare(r, gen, 5, ["SHOPIFY_ACCESS_TOKEN", "SHOPIFY_API_SECRET"])
    t = "shpat_" + hexs(r, 32)
    out.append((f'curl -H "X-Shopify-Access-Token: {t}" https://acme-store.myshopify.com/admin/api/2024-10/shop.json', t))
    return out


@secret("square-token")
def g_square(r):
    def gen(r):
        return r.choice(["EAAA" + rs(r, 60, B64URL), "sq0atp-" + rs(r, 22, B64URL), "sq0csp-" + rs(r, 43, B64URL)])
    out = bare(r, gen, 5, ["SQUARE_ACCESS_TOKEN", "SQUARE_APPLICATION_SECRET"])
    t = "EAAA" + rs(r, 60, B64URL)
    out.append((f"curl https://connect.squareup.com/v2/locations -H 'Authorization: Bearer {t}'", t))
    return out


@secret("paypal-braintree")
def g_paypal(r):
    out = []
    for i in range(N_PER_SHAPE):
        if i % 2 == 0:
            t = f"access_token$production${rs(r, 16, LOWALNUM)}${hexs(r, 32)}"
            text = [f"BRAINTREE_ACCESS_TOKEN={t}", f"gateway = braintree.BraintreeGateway(access_token='{t}')", f"  accessToken: {t}"][i // 2]
        else:
            t = "E" + rs(r, 79, B64URL)
            text = [f"PAYPAL_CLIENT_SECRET={t}", f"curl -v https://api-m.paypal.com/v1/oauth2/token -u \"A{rs(r, 79, B64URL)}:{t}\" -d grant_type=client_credentials",
                    f'  "client_secret": "{t}"'][i // 2]
        out.append((text, t))
    return out


@secret("plaid-credentials")
def g_plaid(r):
    out = []
    for i in range(N_PER_SHAPE):
        if i % 2 == 0:
            t = hexs(r, 30)
            text = [f"PLAID_SECRET={t}", f'{{"client_id": "{hexs(r, 24)}", "secret": "{t}"}}', f"plaid_secret: {t}"][i // 2]
        else:
            t = f"access-{r.choice(['production', 'development'])}-{ruuid(r)}"
            text = [f"PLAID_ACCESS_TOKEN={t}", f'{{"access_token": "{t}", "item_id": "{rs(r, 37)}"}}', f"exchanged public token, got {t}"][i // 2]
        out.append((text, t))
    return out


def okta(r):
    return "00" + rs(r, 40, B64URL)


@secret("okta-api-token")
def g_okta(r):
    out = placed(r, ["OKTA_API_TOKEN", "OKTA_CLIENT_TOKEN"], okta, 3)
    for _ in range(3):
        t = okta(r)
        out.append((r.choice([f'curl -H "Authorization: SSWS {t}" https://acme.okta.com/api/v1/users?limit=25',
                              f"Authorization: SSWS {t}", f"okta:\n  client:\n    orgUrl: https://acme.okta.com\n    token: {t}"]), t))
    return out


@secret("auth0-client-secret")
def g_auth0(r):
    out = placed(r, ["AUTH0_CLIENT_SECRET", "client_secret"], lambda r: rs(r, 64, B64URL), 4)
    t = rs(r, 64, B64URL)
    out.append((f"curl --request POST --url https://acme.eu.auth0.com/oauth/token --data 'grant_type=client_credentials&client_id={rs(r, 32)}&client_secret={t}&audience=https://api.acme.io'", t))
    t = jwt(r, {"iss": "https://acme.eu.auth0.com/", "aud": "https://acme.eu.auth0.com/api/v2/", "gty": "client-credentials"}, "RS256")
    out.append((f"AUTH0_MANAGEMENT_TOKEN={t}", t))
    return out


@secret("sentry-dsn")
def g_sentry_dsn(r):
    out = []
    for i in range(N_PER_SHAPE):
        key = hexs(r, 32)
        if i % 3 == 2:
            sec = hexs(r, 32)
            dsn = f"https://{key}:{sec}@sentry.io/{r.randint(100000, 999999)}"
        else:
            sec = key
            dsn = f"https://{key}@o{r.randint(100000, 4999999)}.ingest.{r.choice(['', 'us.', 'de.'])}sentry.io/{r.randint(1000000, 4999999)}"
        text = [f"SENTRY_DSN={dsn}", f'sentry_sdk.init(dsn="{dsn}", traces_sample_rate=0.2)', f"RAVEN_DSN='{dsn}'",
                f"Sentry.init({{ dsn: '{dsn}' }});", f"  sentry_dsn: {dsn}", f"SENTRY_DSN: \"{dsn}\""][i]
        out.append((text, sec))
    return out


@secret("sentry-auth-token")
def g_sentry_tok(r):
    def gen(r):
        if r.random() < 0.5:
            return "sntryu_" + hexs(r, 64)
        claims = b64(json.dumps({"iat": r.randint(1_700_000_000, 1_760_000_000), "url": "https://sentry.io", "region_url": "https://us.sentry.io", "org": "acme"}).encode(), pad=False)
        return "sntrys_" + claims + "_" + rs(r, 43, B64)
    out = bare(r, gen, 5, ["SENTRY_AUTH_TOKEN"])
    t = gen(r)
    out.append((f"sentry-cli --auth-token {t} releases new 1.4.2", t))
    return out


@secret("datadog-keys")
def g_datadog(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = hexs(r, 32) if i % 2 == 0 else hexs(r, 40)
        text = [f"DD_API_KEY={t}", f"DD_APP_KEY={t}", f"datadog:\n  apiKey: {t}\n  site: datadoghq.eu",
                f'curl -X GET "https://api.datadoghq.com/api/v1/validate" -H "DD-API-KEY: {hexs(r, 32)}" -H "DD-APPLICATION-KEY: {t}"',
                f"api_key: {t}", f"helm install datadog-agent datadog/datadog --set datadog.appKey={t}"][i]
        out.append((text, t))
    return out


@secret("newrelic-key")
def g_newrelic(r):
    def gen(r):
        return r.choice(["NRAK-" + rs(r, 27, UPALNUM), "NRII-" + rs(r, 32, B64URL), hexs(r, 36) + "NRAL", "NRJS-" + hexs(r, 19)])
    out = bare(r, gen, 5, ["NEW_RELIC_LICENSE_KEY", "NEW_RELIC_API_KEY", "NEW_RELIC_INSERT_KEY"])
    t = "NRAK-" + rs(r, 27, UPALNUM)
    out.append((f"curl -X POST https://api.newrelic.com/graphql -H 'API-Key: {t}' -d @query.json", t))
    return out


@secret("grafana-token")
def g_grafana(r):
    def gen(r):
        if r.random() < 0.5:
            return "glsa_" + rs(r, 32) + "_" + hexs(r, 8)
        return "glc_" + b64(json.dumps({"o": digits(r, 6), "n": "stack-" + digits(r, 6) + "-alloy", "k": rs(r, 24), "m": {"r": "prod-eu-west-2"}}).encode(), pad=False)
    out = bare(r, gen, 5, ["GRAFANA_TOKEN", "GRAFANA_SERVICE_ACCOUNT_TOKEN", "GRAFANA_CLOUD_API_KEY"])
    t = gen(r)
    out.append((f'curl -H "Authorization: Bearer {t}" https://acme.grafana.net/api/dashboards/uid/abc', t))
    return out


@secret("pagerduty-token")
def g_pagerduty(r):
    out = placed(r, ["PAGERDUTY_TOKEN", "PD_API_KEY"], lambda r: "u+" + rs(r, 18, B64URL), 3)
    for i in range(3):
        t = rs(r, 20, B64URL) if i else "u+" + rs(r, 18, B64URL)
        out.append(([f"curl -H 'Authorization: Token token={t}' https://api.pagerduty.com/incidents",
                     f"Authorization: Token token={t}",
                     f'provider "pagerduty" {{\n  token = "{t}"\n}}'][i], t))
    return out


def atlassian(r):
    return "ATATT3xFfGF0" + rs(r, 171, B64URL) + "=" + rs(r, 8, HEXUP)


@secret("atlassian-api-token")
def g_atlassian(r):
    out = bare(r, atlassian, 4, ["JIRA_API_TOKEN", "CONFLUENCE_TOKEN", "ATLASSIAN_API_TOKEN"])
    t = atlassian(r)
    out.append((f"curl -u ops@acme.io:{t} https://acme.atlassian.net/rest/api/3/myself", t))
    t = atlassian(r)
    out.append((f"jira = JIRA(server='https://acme.atlassian.net', basic_auth=('ops@acme.io', '{t}'))", t))
    return out


@secret("linear-api-key")
def g_linear(r):
    gen = lambda r: "lin_api_" + rs(r, 40) if r.random() < 0.7 else "lin_oauth_" + hexs(r, 64)
    out = bare(r, gen, 5, ["LINEAR_API_KEY"])
    t = "lin_api_" + rs(r, 40)
    out.append((f"curl https://api.linear.app/graphql -H 'Authorization: {t}' -d '{{\"query\":\"{{ viewer {{ id }} }}\"}}'", t))
    return out


@secret("notion-token")
def g_notion(r):
    gen = lambda r: "secret_" + rs(r, 43) if r.random() < 0.4 else "ntn_" + digits(r, 11) + rs(r, 35)
    out = bare(r, gen, 5, ["NOTION_TOKEN", "NOTION_API_KEY"])
    t = gen(r)
    out.append((f"notion = Client(auth='{t}')", t))
    return out


@secret("airtable-pat")
def g_airtable(r):
    gen = lambda r: "pat" + rs(r, 14) + "." + hexs(r, 64)
    out = bare(r, gen, 5, ["AIRTABLE_API_KEY", "AIRTABLE_TOKEN"])
    t = gen(r)
    out.append((f'curl "https://api.airtable.com/v0/appX1y2Z3/Tasks" -H "Authorization: Bearer {t}"', t))
    return out


@secret("figma-token")
def g_figma(r):
    out = bare(r, lambda r: "figd_" + rs(r, 40, B64URL), 5, ["FIGMA_TOKEN", "FIGMA_ACCESS_TOKEN"])
    t = "figd_" + rs(r, 40, B64URL)
    out.append((f"curl -H 'X-Figma-Token: {t}' https://api.figma.com/v1/files/Abc123", t))
    return out


# ---------------------------------------------------------------- AI providers and others
def openai_legacy(r):
    return "sk-" + rs(r, 20) + "T3BlbkFJ" + rs(r, 20)


def openai_proj(r):
    kind = r.choice(["sk-proj-", "sk-svcacct-", "sk-admin-"])
    return kind + rs(r, 74, B64URL) + "T3BlbkFJ" + rs(r, 74, B64URL)


@secret("openai-key-legacy")
def g_openai_legacy(r):
    out = bare(r, openai_legacy, 5, ["OPENAI_API_KEY"])
    t = openai_legacy(r)
    out.append((f"openai.api_key = \"{t}\"", t))
    return out


@secret("openai-key-project")
def g_openai_proj(r):
    out = bare(r, openai_proj, 4, ["OPENAI_API_KEY", "OPENAI_KEY"])
    t = openai_proj(r)
    out.append((f'curl https://api.openai.com/v1/responses -H "Authorization: Bearer {t}" -H "Content-Type: application/json"', t))
    t = openai_proj(r)
    out.append((f"client = OpenAI(api_key=\"{t}\")", t))
    return out


def anthropic(r):
    kind = r.choice(["sk-ant-api03-", "sk-ant-api03-", "sk-ant-admin01-", "sk-ant-oat01-"])
    return kind + rs(r, 93, B64URL) + "AA"


@secret("anthropic-key")
def g_anthropic(r):
    out = bare(r, anthropic, 4, ["ANTHROPIC_API_KEY", "CLAUDE_API_KEY"])
    t = anthropic(r)
    out.append((f"curl https://api.anthropic.com/v1/messages -H \"x-api-key: {t}\" -H \"anthropic-version: 2023-06-01\"", t))
    t = anthropic(r)
    out.append((f"client = anthropic.Anthropic(api_key='{t}')", t))
    return out


@secret("cohere-api-key")
def g_cohere(r):
    out = placed(r, ["COHERE_API_KEY", "CO_API_KEY"], lambda r: rs(r, 40), 4)
    t = rs(r, 40)
    out.append((f"co = cohere.ClientV2(api_key=\"{t}\")", t))
    t = rs(r, 40)
    out.append((f"curl https://api.cohere.com/v2/chat -H 'Authorization: Bearer {t}'", t))
    return out


@secret("huggingface-token")
def g_hf(r):
    gen = lambda r: ("hf_" if r.random() < 0.8 else "api_org_") + rs(r, 34, UPPER + LOWER)
    out = bare(r, gen, 4, ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"])
    t = "hf_" + rs(r, 34, UPPER + LOWER)
    out.append((f"huggingface-cli login --token {t}", t))
    t = "hf_" + rs(r, 34, UPPER + LOWER)
    out.append((f"git clone https://user:{t}@huggingface.co/acme/private-model", t))
    return out


@secret("replicate-token")
def g_replicate(r):
    return bare(r, lambda r: "r8_" + rs(r, 37), extra=["REPLICATE_API_TOKEN"])


@secret("groq-key")
def g_groq(r):
    out = bare(r, lambda r: "gsk_" + rs(r, 52), 5, ["GROQ_API_KEY"])
    t = "gsk_" + rs(r, 52)
    out.append((f"client = Groq(api_key='{t}')", t))
    return out


@secret("supabase-keys")
def g_supabase(r):
    out = []
    for i in range(N_PER_SHAPE):
        if i % 2 == 0:
            t = "sbp_" + hexs(r, 40)
            text = [f"SUPABASE_ACCESS_TOKEN={t}", f"supabase login --token {t}", f"  access_token: {t}"][i // 2]
        else:
            t = jwt(r, {"iss": "supabase", "ref": rs(r, 20, LOWER), "role": "service_role"})
            text = [f"SUPABASE_SERVICE_ROLE_KEY={t}", f"const supabase = createClient('https://{rs(r, 20, LOWER)}.supabase.co', '{t}')",
                    f"  service_role_key: \"{t}\""][i // 2]
        out.append((text, t))
    return out


def fcm(r):
    return "AAAA" + rs(r, 7, B64URL) + ":APA91b" + rs(r, 134, B64URL)


@secret("firebase-fcm-server-key")
def g_fcm(r):
    out = placed(r, ["FCM_SERVER_KEY", "FIREBASE_SERVER_KEY"], fcm, 4)
    t = fcm(r)
    out.append((f'curl -X POST https://fcm.googleapis.com/fcm/send -H "Authorization: key={t}" -d @push.json', t))
    t = fcm(r)
    out.append((f"server key for push: {t}", t))
    return out


def mapbox_sk(r):
    head = b64(json.dumps({"u": r.choice(["acme", "jdoe", "geo-team"]), "a": rs(r, 25, LOWALNUM)}, separators=(",", ":")).encode(), url=True, pad=False)
    return "sk." + head + "." + rs(r, 22, B64URL)


@secret("mapbox-secret-token")
def g_mapbox(r):
    return bare(r, mapbox_sk, extra=["MAPBOX_SECRET_TOKEN", "MAPBOX_DOWNLOADS_TOKEN"])


@secret("algolia-admin-key")
def g_algolia(r):
    out = placed(r, ["ALGOLIA_ADMIN_KEY", "ALGOLIA_API_KEY", "ALGOLIA_WRITE_API_KEY"], lambda r: hexs(r, 32), 4)
    t = hexs(r, 32)
    out.append((f'curl -H "X-Algolia-API-Key: {t}" -H "X-Algolia-Application-Id: {rs(r, 10, UPALNUM)}" https://XYZ.algolia.net/1/indexes', t))
    t = hexs(r, 32)
    out.append((f"client = SearchClient.create('{rs(r, 10, UPALNUM)}', '{t}')", t))
    return out


def age_secret(r):
    return "AGE-SECRET-KEY-1" + rs(r, 58, BECH32.upper())


@secret("age-secret-key")
def g_age(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = age_secret(r)
        pub = "age1" + rs(r, 58, BECH32)
        text = [f"# created: 2025-03-14T09:21:07Z\n# public key: {pub}\n{t}", f"SOPS_AGE_KEY={t}",
                f"echo '{t}' > ~/.config/sops/age/keys.txt", f"  age_key: {t}",
                f"$ age-keygen\n# public key: {pub}\n{t}", f"the sops key is {t}"][i]
        out.append((text, t))
    return out


def tailscale(r):
    return f"tskey-{r.choice(['auth', 'api', 'client'])}-k{rs(r, r.randint(10, 12))}CNTRL-{rs(r, 32)}"


@secret("tailscale-key")
def g_tailscale(r):
    out = bare(r, tailscale, 5, ["TS_AUTHKEY", "TAILSCALE_API_KEY"])
    t = tailscale(r)
    out.append((f"sudo tailscale up --authkey={t} --advertise-tags=tag:ci", t))
    return out


def ngrok(r):
    return "2" + rs(r, 26) + "_" + rs(r, 21)


@secret("ngrok-authtoken")
def g_ngrok(r):
    out = placed(r, ["NGROK_AUTHTOKEN", "NGROK_API_KEY"], ngrok, 3)
    for i in range(3):
        t = ngrok(r)
        out.append(([f"ngrok config add-authtoken {t}", f'version: "3"\nagent:\n    authtoken: {t}',
                     f"curl -H 'Authorization: Bearer {t}' -H 'Ngrok-Version: 2' https://api.ngrok.com/endpoints"][i], t))
    return out


@secret("postman-api-key")
def g_postman(r):
    out = bare(r, lambda r: "PMAK-" + hexs(r, 24) + "-" + hexs(r, 34), 5, ["POSTMAN_API_KEY"])
    t = "PMAK-" + hexs(r, 24) + "-" + hexs(r, 34)
    out.append((f"newman run https://api.getpostman.com/collections/123?apikey={t}", t))
    return out


@secret("dropbox-token")
def g_dropbox(r):
    def gen(r):
        if r.random() < 0.6:
            return r.choice(["sl.", "sl.u."]) + rs(r, r.randint(135, 150), B64URL)
        return rs(r, 11) + "AAAAAAAAAA" + rs(r, 43, B64URL)
    out = placed(r, ["DROPBOX_ACCESS_TOKEN", "DROPBOX_TOKEN"], gen, 4)
    t = "sl." + rs(r, 140, B64URL)
    out.append((f"curl -X POST https://api.dropboxapi.com/2/files/list_folder --header \"Authorization: Bearer {t}\"", t))
    t = "sl.u." + rs(r, 140, B64URL)
    out.append((f"dbx = dropbox.Dropbox('{t}')", t))
    return out


# ---------------------------------------------------------------- generic credential contexts
def urlpw(r):
    """A password that can sit in a URL's userinfo without escaping."""
    return rs(r, r.randint(12, 24), ALNUM + "-_.~")


@secret("jwt")
def g_jwt(r):
    out = []
    for i in range(N_PER_SHAPE):
        t = jwt(r, {"name": r.choice(["Ada", "Lin", "Omar"]), "scope": "read write"}, r.choice(["HS256", "RS256"]))
        text = [f"Authorization: Bearer {t}", f'{{"id_token": "{t}", "token_type": "Bearer", "expires_in": 3600}}',
                f"localStorage.setItem('session', '{t}');", f"curl -H 'Authorization: Bearer {t}' https://api.acme.io/v1/me",
                f"Cookie: theme=dark; auth={t}", f"decoded fine, the jwt was {t}"][i]
        out.append((text, t))
    return out


@secret("http-basic-header")
def g_basic_header(r):
    out = []
    for i in range(N_PER_SHAPE):
        a = b64(f"{r.choice(USERS)}:{password(r)}".encode())
        text = [f"Authorization: Basic {a}", f"curl -H 'Authorization: Basic {a}' https://ci.acme.io/api/json",
                f'    proxy_set_header Authorization "Basic {a}";', f"Proxy-Authorization: Basic {a}",
                f"headers = {{'Authorization': 'Basic {a}'}}", f'> GET /v2/_catalog HTTP/1.1\n> Host: registry.acme.io\n> Authorization: Basic {a}\n> User-Agent: curl/8.5.0'][i]
        out.append((text, a))
    return out


@secret("cli-basic-auth")
def g_cli_basic(r):
    out = []
    for i in range(N_PER_SHAPE):
        p = urlpw(r)
        u = r.choice(USERS)
        text = [f"curl -u {u}:{p} https://nexus.acme.io/service/rest/v1/repositories",
                f'requests.get(url, auth=("{u}", "{p}"), timeout=10)',
                f"http -a {u}:{p} GET https://api.acme.io/health",
                f"session.auth = HTTPBasicAuth('{u}', '{p}')",
                f"curl --user '{u}:{p}' -X POST https://jenkins.acme.io/job/deploy/build",
                f"wget --user={u} --password={p} https://files.acme.io/dump.sql.gz"][i]
        out.append((text, p))
    return out


@secret("db-url-password")
def g_db_url(r):
    out = []
    for i in range(N_PER_SHAPE):
        p, u, h = urlpw(r), r.choice(USERS), r.choice(HOSTS)
        text = [f"DATABASE_URL=postgres://{u}:{p}@{h}:5432/orders",
                f'engine = create_engine("mysql+pymysql://{u}:{p}@{h}:3306/shop?charset=utf8mb4")',
                f"spring.datasource.url=jdbc:postgresql://{h}:5432/app?user={u}&password={p}&ssl=true",
                f'"ConnectionStrings": {{ "Default": "Server={h};Database=crm;User Id={u};Password={p};" }}',
                f"psycopg.OperationalError: connection to server at \"{h}\" failed for postgresql://{u}:{p}@{h}/app",
                f"jdbc:sqlserver://{h}:1433;databaseName=erp;user=sa;password={p};encrypt=true"][i]
        out.append((text, p))
    return out


@secret("broker-url-password")
def g_broker_url(r):
    out = []
    for i in range(N_PER_SHAPE):
        p, u, h = urlpw(r), r.choice(USERS), r.choice(HOSTS)
        text = [f"CELERY_BROKER_URL=amqp://{u}:{p}@{h}:5672/prod",
                f"REDIS_URL=redis://:{p}@{h}:6379/0",
                f'client = MongoClient("mongodb+srv://{u}:{p}@cluster0.ab1cd.mongodb.net/?retryWrites=true&w=majority")',
                f"pymongo.errors.ServerSelectionTimeoutError: mongodb://{u}:{p}@{h}:27017/admin timed out\n  File \"app/db.py\", line 12, in connect",
                f"  cache:\n    url: rediss://default:{p}@{h}:6380",
                f"kafka.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"{u}\" password=\"{p}\";"][i]
        out.append((text, p))
    return out


@secret("pem-private-key")
def g_pem(r):
    out = []
    kinds = [("RSA PRIVATE KEY", 1190), ("PRIVATE KEY", 1218), ("EC PRIVATE KEY", 121),
             ("ENCRYPTED PRIVATE KEY", 1298), ("DSA PRIVATE KEY", 444), ("PRIVATE KEY", 48)]
    for i, (label, n) in enumerate(kinds):
        body = pem_body(r, n)
        block = f"-----BEGIN {label}-----\n{body}\n-----END {label}-----"
        if i == 1:
            ind = "    "
            ybody = body.replace("\n", "\n" + ind)
            out.append((f"tls:\n  key: |\n{ind}-----BEGIN {label}-----\n{ind}{ybody}\n{ind}-----END {label}-----", ybody))
        elif i == 3:
            out.append((f'PRIVATE_KEY="{block}"', body))
        elif i == 5:
            jb = body.replace("\n", "\\n")
            out.append((json.dumps({"kid": hexs(r, 16), "pem": block}), jb))
        else:
            out.append(("$ cat server.key\n" + block if i == 0 else block, body))
    return out


@secret("openssh-private-key")
def g_openssh(r):
    out = []
    for i in range(N_PER_SHAPE):
        raw = b"openssh-key-v1\x00" + rbytes(r, r.choice([220, 385, 1800]))
        s = b64(raw)
        body = "\n".join(s[j:j + 70] for j in range(0, len(s), 70))
        block = f"-----BEGIN OPENSSH PRIVATE KEY-----\n{body}\n-----END OPENSSH PRIVATE KEY-----"
        if i % 3 == 1:
            out.append(("          SSH_PRIVATE_KEY: |\n            " + block.replace("\n", "\n            "), body.replace("\n", "\n            ")))
        elif i % 3 == 2:
            out.append((f"$ cat ~/.ssh/id_ed25519\n{block}\n$ ", body))
        else:
            out.append((block, body))
    return out


@secret("putty-private-key")
def g_putty(r):
    out = []
    for i in range(N_PER_SHAPE):
        pub = b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + rbytes(r, 32))
        priv = b64(rbytes(r, 36)) if i % 2 == 0 else b64(rbytes(r, 48))
        ver = "3" if i % 3 else "2"
        text = (f"PuTTY-User-Key-File-{ver}: ssh-ed25519\nEncryption: none\nComment: ops@bastion\n"
                f"Public-Lines: 2\n{pub[:64]}\n{pub[64:]}\nPrivate-Lines: 1\n{priv}\nPrivate-MAC: {hexs(r, 64 if ver == '3' else 40)}")
        out.append((text, priv))
    return out


@secret("pgp-private-key")
def g_pgp(r):
    out = []
    for i in range(N_PER_SHAPE):
        s = b64(b"\x95\x03\x98\x04" + rbytes(r, r.choice([400, 900])))
        body = "\n".join(s[j:j + 64] for j in range(0, len(s), 64))
        crc = "=" + b64(rbytes(r, 3))
        text = f"-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body}\n{crc}\n-----END PGP PRIVATE KEY BLOCK-----"
        if i % 2:
            text = "$ gpg --export-secret-keys --armor ops@acme.io\n" + text
        out.append((text, body))
    return out


@secret("wireguard-private-key")
def g_wireguard(r):
    out = []
    for i in range(N_PER_SHAPE):
        k = b64(rbytes(r, 32))
        text = [f"[Interface]\nPrivateKey = {k}\nAddress = 10.8.0.{i + 2}/32\nDNS = 1.1.1.1\n\n[Peer]\nPublicKey = {b64(rbytes(r, 32))}\nEndpoint = vpn.acme.io:51820",
                f"WG_PRIVATE_KEY={k}", f"wireguard:\n  private_key: \"{k}\"", f"$ wg genkey\n{k}",
                f"echo '{k}' > /etc/wireguard/private.key", f"  privateKey: {k}"][i]
        out.append((text, k))
    return out


@secret("session-cookie")
def g_cookie(r):
    out = []
    for i in range(N_PER_SHAPE):
        v = rs(r, r.choice([32, 40, 48]))
        text = [f"Cookie: sessionid={v}; csrftoken={rs(r, 32)}",
                f"Set-Cookie: session={v}; Path=/; HttpOnly; Secure; SameSite=Lax",
                f"curl -b 'connect.sid=s%3A{v}' https://admin.acme.io/dashboard",
                f"document.cookie = \"auth_token={v}; path=/\";",
                f"Set-Cookie: _gitlab_session={hexs(r, 32)}{v[:0]}; path=/; HttpOnly",
                f"requests.get(url, cookies={{'PHPSESSID': '{v}'}})"][i]
        if i == 4:
            v = text.split("=")[1].split(";")[0]
        out.append((text, v))
    return out


@secret("url-query-token")
def g_query(r):
    out = []
    for i in range(N_PER_SHAPE):
        v = rs(r, r.choice([32, 40, 64]), B64URL)
        text = [f"GET /api/v1/export?format=csv&access_token={v} HTTP/1.1",
                f"https://hooks.acme.io/ingest?token={v}",
                f"wss://stream.acme.io/socket?api_key={v}&v=2",
                f"INFO 10.0.3.4 - - [14/Mar/2025:09:21:07 +0000] \"GET /download?id=42&sig={v} HTTP/1.1\" 200 5120",
                f"fetch(`https://api.acme.io/feed?apikey={v}`)",
                f"redirect_uri=https://app.acme.io/cb#access_token={v}&token_type=Bearer&expires_in=3600"][i]
        out.append((text, v))
    return out


@secret("prose-password")
def g_prose_pw(r):
    out = []
    for i in range(N_PER_SHAPE):
        p = password(r)
        text = [f"my password is {p} if you need to log in to staging",
                f"The admin login is admin / {p} for now.",
                f"db pass: {p}", f"wifi password is {p}",
                f"I reset it, new password: {p}", f"use root and the password `{p}` on the jump host"][i]
        out.append((text, p))
    return out


@secret("password-assignment")
def g_pw_assign(r):
    out = []
    for i in range(N_PER_SHAPE):
        p = password(r)
        if i == 5:
            p = rs(r, 4, LOWER) + "~" + rs(r, 3, LOWER) + "?*#" + rs(r, 4, ALNUM) + "!9"
        text = [f"DB_PASSWORD={p}", f'  "password": "{p}",', f"<password>{p}</password>",
                f"    environment:\n      MYSQL_ROOT_PASSWORD: {p}\n      MYSQL_DATABASE: shop",
                f"spring.datasource.password={p}", f'PASSWORD="{p}"'][i]
        out.append((text, p))
    return out


@secret("generic-secret-assignment")
def g_generic(r):
    out = []
    for i in range(N_PER_SHAPE):
        v = rs(r, r.choice([32, 40, 48, 64]), [ALNUM, B64URL, HEX, B64][i % 4])
        text = [f"JWT_SECRET={v}", f'client_secret: "{v}"', f"ENCRYPTION_KEY={v}",
                f'api_key = "{v}"', f"  signing_secret: {v}", f'app.config["SECRET_KEY"] = "{v}"'][i]
        out.append((text, v))
    return out


@secret("django-secret-key")
def g_django(r):
    alpha = LOWER + DIGITS + "!@#$%^&*(-_=+)"
    out = []
    for i in range(N_PER_SHAPE):
        v = ("django-insecure-" if i % 2 == 0 else "") + rs(r, 50, alpha)
        text = [f"SECRET_KEY = '{v}'", f'DJANGO_SECRET_KEY="{v}"', f"SECRET_KEY = os.environ.get('DJANGO_SECRET_KEY', '{v}')",
                f"DJANGO_SECRET_KEY='{v}'", f"  secretKey: '{v}'", f"export DJANGO_SECRET_KEY='{v}'"][i]
        out.append((text, v))
    return out


@secret("stored-credentials")
def g_stored(r):
    out = []
    for i in range(N_PER_SHAPE):
        p = urlpw(r) if i % 2 else gh_style(r, "ghp_")
        u = r.choice(USERS)
        text = [f"https://{u}:{p}@github.com", f"machine ftp.acme.io\nlogin {u}\npassword {p}",
                f"[global]\nindex-url = https://{u}:{p}@pypi.acme.io/simple/",
                f"machine api.github.com login {u} password {p}",
                f"registry=https://npm.acme.io/\n//npm.acme.io/:_password={b64(p.encode())}\n//npm.acme.io/:username={u}",
                f"[credential]\n\thelper = store\n# ~/.git-credentials\nhttps://{u}:{p}@gitlab.acme.io"][i]
        if i == 4:
            p = b64(p.encode())
        out.append((text, p))
    return out


@secret("cli-password-flag")
def g_cli_flag(r):
    out = []
    for i in range(N_PER_SHAPE):
        p = urlpw(r)
        text = [f"mysql -h {r.choice(HOSTS)} -u root -p'{p}' shop < dump.sql",
                f"mysqldump --user=backup --password={p} --all-databases > all.sql",
                f"sshpass -p '{p}' ssh deploy@10.0.4.2",
                f"redis-cli -h cache-7.lan -a {p} --no-auth-warning PING",
                f"openssl pkcs12 -export -in cert.pem -inkey key.pem -out bundle.p12 -passout pass:{p}",
                f"PGPASSWORD={p} psql -h {r.choice(HOSTS)} -U app -d orders"][i]
        out.append((text, p))
    return out


# ---------------------------------------------------------------- merge closely related shapes
def _merge(new_shape, a, b):
    """Replace shapes a and b by one shape: first two and last case of each, interleaved."""
    idx = {s: i for i, (_, s, _) in enumerate(GENERATORS)}
    fa, fb = GENERATORS[idx[a]][2], GENERATORS[idx[b]][2]

    def both(r):
        xa, xb = fa(r), fb(r)
        pa, pb = xa[:2] + xa[-1:], xb[:2] + xb[-1:]
        return [x for pair in zip(pa, pb) for x in pair]
    GENERATORS[idx[a]] = ("secret", new_shape, both)
    del GENERATORS[idx[b]]


for _new, _a, _b in [
    ("aws-access-key-id", "aws-access-key-id", "aws-sts-temp-key-id"),
    ("gcp-service-account", "gcp-service-account-json", "gcp-sa-private-key-id"),
    ("cloudflare-key", "cloudflare-api-token", "cloudflare-global-api-key"),
    ("vault-token", "vault-token", "vault-batch-token"),
    ("stripe-secret-key", "stripe-secret-key", "stripe-restricted-key"),
    ("slack-user-app-token", "slack-user-token", "slack-app-token"),
    ("github-oauth-refresh", "github-oauth-token", "github-refresh-token"),
    ("gitlab-runner-deploy", "gitlab-runner-token", "gitlab-deploy-token"),
    ("azure-connection-string", "azure-storage-connection-string", "azure-servicebus-sas-key"),
]:
    _merge(_new, _a, _b)


@secret("google-oauth-client-secret")
def g_gocspx(r):
    gen = lambda r: "GOCSPX-" + rs(r, 28, B64URL)
    out = bare(r, gen, 4, ["GOOGLE_CLIENT_SECRET", "OAUTH_CLIENT_SECRET"])
    t = gen(r)
    out.append((json.dumps({"web": {"client_id": f"{digits(r, 12)}-{rs(r, 32, LOWALNUM)}.apps.googleusercontent.com", "client_secret": t, "redirect_uris": ["http://localhost:8080/cb"]}}), t))
    t = gen(r)
    out.append((f"flow = Flow.from_client_config({{'installed': {{'client_secret': '{t}'}}}}, scopes=SCOPES)", t))
    return out


@secret("crates-io-token")
def g_crates(r):
    out = bare(r, lambda r: "cio" + rs(r, 32), 4, ["CARGO_REGISTRY_TOKEN"])
    t = "cio" + rs(r, 32)
    out.append((f"[registry]\ntoken = \"{t}\"", t))
    t = "cio" + rs(r, 32)
    out.append((f"cargo login {t}", t))
    return out


# ================================================================= benign
def sha1(r): return hexs(r, 40)
def sha256(r): return hexs(r, 64)


@benign("git-sha")
def b_git_sha(r):
    out = []
    for i in range(N_PER_SHAPE):
        s = sha1(r)
        out.append([f"commit {s}\nAuthor: Ada Lovelace <ada@acme.io>\nDate:   Fri Mar 14 09:21:07 2025 +0000\n\n    fix: retry on 503",
                    f"HEAD is now at {s[:7]} fix: token refresh race",
                    f"git cherry-pick {s}", f"https://github.com/acme/api/commit/{s}",
                    f"Merge: {s[:7]} {sha1(r)[:7]}", f"  resolved: \"git+ssh://git@github.com/acme/lib.git#{s}\""][i])
    return out


@benign("uuid")
def b_uuid(r):
    out = []
    for i in range(N_PER_SHAPE):
        u = ruuid(r)
        out.append([f'{{"id": "{u}", "status": "active"}}', f"  uid: {u}\n  resourceVersion: \"{r.randint(10**6, 10**8)}\"",
                    f"GET /api/v2/orders/{u}/items 200 12ms", f"created workspace {u}",
                    f"ProjectGuid = \"{{{u.upper()}}}\"", f"session_id={u} user=42 action=login"][i])
    return out


@benign("sha256-digest")
def b_sha256(r):
    out = []
    for i in range(N_PER_SHAPE):
        d = sha256(r)
        out.append([f"image: ghcr.io/acme/api@sha256:{d}", f"{d}  dist/acme-1.4.2.tar.gz",
                    f"Digest: sha256:{d}\nStatus: Downloaded newer image for python:3.12-slim",
                    f"--hash=sha256:{d} \\", f'checksum = "{d}"', f"sha256:{d} linux/amd64"][i])
    return out


def sri(r, alg):
    n = {"sha256": 32, "sha384": 48, "sha512": 64}[alg]
    return f"{alg}-{b64(rbytes(r, n))}"


@benign("lockfile-integrity")
def b_integrity(r):
    out = []
    for i in range(N_PER_SHAPE):
        s = sri(r, "sha512")
        out.append([f'    "node_modules/lodash": {{\n      "version": "4.17.21",\n      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",\n      "integrity": "{s}"\n    }}',
                    f'  integrity {s}', f"    resolution: {{integrity: {s}}}",
                    f'"integrity": "{s}",', f"lodash@^4.17.21:\n  version \"4.17.21\"\n  integrity {s}",
                    f"  /react@18.2.0:\n    resolution: {{integrity: {s}}}"][i])
    return out


@benign("sri-integrity")
def b_sri(r):
    out = []
    for i in range(N_PER_SHAPE):
        s = sri(r, r.choice(["sha384", "sha256", "sha512"]))
        lib = r.choice(["bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js", "htmx.org@1.9.12", "alpinejs@3.13.5/dist/cdn.min.js"])
        out.append(f'<script src="https://cdn.jsdelivr.net/npm/{lib}" integrity="{s}" crossorigin="anonymous"></script>'
                   if i % 2 == 0 else f'<link rel="stylesheet" href="/static/app.css" integrity="{s}">')
    return out


@benign("go-sum-h1")
def b_gosum(r):
    out = []
    for i in range(N_PER_SHAPE):
        h = b64(rbytes(r, 32))
        mod = r.choice(["github.com/spf13/cobra", "golang.org/x/net", "github.com/stretchr/testify", "google.golang.org/grpc"])
        out.append([f"{mod} v1.{r.randint(0, 60)}.{r.randint(0, 9)} h1:{h}",
                    f"{mod} v1.8.0/go.mod h1:{h}",
                    f'provider "registry.terraform.io/hashicorp/aws" {{\n  version = "5.40.0"\n  hashes = [\n    "h1:{h}",\n    "zh:{sha256(r)}",\n  ]\n}}',
                    f"verifying {mod}@v0.21.0: checksum mismatch\n\tdownloaded: h1:{h}\n\tgo.sum:     h1:{b64(rbytes(r, 32))}",
                    f"{mod} v0.0.0-20240115123456-{hexs(r, 12)} h1:{h}",
                    f"  h1:{h}"][i])
    return out


@benign("ssh-fingerprint")
def b_fingerprint(r):
    out = []
    for i in range(N_PER_SHAPE):
        f = b64(rbytes(r, 32), pad=False)
        out.append([f"ED25519 key fingerprint is SHA256:{f}.",
                    f"256 SHA256:{f} ops@bastion (ED25519)",
                    f"The authenticity of host 'github.com (140.82.121.4)' can't be established.\nECDSA key fingerprint is SHA256:{f}.",
                    f"Server host key: ssh-ed25519 SHA256:{f}",
                    f"fingerprint: SHA256:{f}",
                    f"gpg: key {hexs(r, 16).upper()}: public key \"Ada <ada@acme.io>\" imported\n      {hexs(r, 40).upper()}"][i])
    return out


ORDINARY = [
    "# acme-api\n\nThe public API of the Acme order service.\n\n## Running\n\n    make run\n",
    "import os\n\n\ndef main():\n    print('hello from the worker')\n\n\nif __name__ == '__main__':\n    main()\n",
    '{"name": "acme-web", "version": "2.3.1", "private": true, "scripts": {"build": "vite build"}}',
    "server:\n  port: 8080\n  shutdown: graceful\nlogging:\n  level: info\n",
    "The quick brown fox jumps over the lazy dog. Meeting notes for the Q3 roadmap review.",
    "<!doctype html><html><head><title>Status</title></head><body>All systems operational</body></html>",
]


@benign("base64-ordinary-text")
def b_b64text(r):
    out = []
    for i in range(N_PER_SHAPE):
        raw = ORDINARY[i].encode()
        s = b64(raw)
        wrapped = "\\n".join(s[j:j + 60] for j in range(0, len(s), 60)) + "\\n"
        out.append([f'{{"type": "file", "encoding": "base64", "name": "README.md", "content": "{wrapped}", "sha": "{sha1(r)}"}}',
                    f"$ echo {s} | base64 -d", f'  "content": "{s}",',
                    f"  application.yml: {s}", f"echo '{s}' | base64 --decode > notes.txt",
                    f'payload = base64.b64decode("{s}")'][i])
    return out


@benign("data-uri-svg")
def b_svg(r):
    out = []
    for i in range(N_PER_SHAPE):
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{r.randint(12, 48)}" height="{r.randint(12, 48)}" viewBox="0 0 24 24">'
               f'<path fill="#{hexs(r, 6)}" d="M{r.randint(1, 9)} {r.randint(1, 9)}h{r.randint(4, 14)}v{r.randint(4, 14)}H{r.randint(1, 9)}z"/></svg>')
        u = "data:image/svg+xml;base64," + b64(svg.encode())
        out.append([f".icon {{ background-image: url({u}); }}", f'<img alt="logo" src="{u}">',
                    f"  icon: '{u}'", f"export const CHECK = '{u}';", f'"favicon": "{u}"', f"background: url(\"{u}\") no-repeat;"][i])
    return out


JOSE_HEADERS = [{"alg": "HS256", "typ": "JWT"}, {"alg": "RS256", "typ": "JWT", "kid": "k1"}, {"alg": "ES256"},
                {"alg": "RS256", "kid": "2024-01"}, {"typ": "JWT", "alg": "none"}, {"alg": "EdDSA", "typ": "JWT"}]


@benign("jwt-header-only")
def b_jwt_header(r):
    out = []
    for i in range(N_PER_SHAPE):
        h = b64(json.dumps(JOSE_HEADERS[i], separators=(",", ":")).encode(), url=True, pad=False)
        out.append([f"A JWT always starts with {h}, which decodes to the header.",
                    f"header: {h}", f"assert token.startswith('{h}')",
                    f"The protected header `{h}` names the algorithm only.",
                    f"// {h} = {json.dumps(JOSE_HEADERS[i])}", f"jose header part: {h}"][i])
    return out


@benign("aws-response-ids")
def b_amz(r):
    out = []
    for i in range(N_PER_SHAPE):
        id2 = b64(rbytes(r, 57))
        reqid = rs(r, 16, HEXUP)
        cf = b64(rbytes(r, 42), url=True)
        out.append([f"x-amz-id-2: {id2}\nx-amz-request-id: {reqid}",
                    f"X-Amz-Cf-Id: {cf}", f"< x-amz-id-2: {id2}",
                    f"An error occurred (AccessDenied) when calling the GetObject operation. RequestId: {reqid}, HostId: {id2}",
                    f"x-amzn-RequestId: {ruuid(r)}", f"x-amz-cf-id: {cf}\nx-cache: Miss from cloudfront"][i])
    return out


@benign("go-build-id")
def b_buildid(r):
    out = []
    for i in range(N_PER_SHAPE):
        bid = "/".join(rs(r, 20, B64URL) for _ in range(4))
        out.append([f"bin/server: ELF 64-bit LSB executable, x86-64, version 1 (SYSV), statically linked, Go BuildID={bid}, with debug_info, not stripped",
                    f'Go build ID: "{bid}"', f"$ go tool buildid ./bin/ao\n{bid}",
                    f"build id {bid} matches cache", f'  Go build ID: "{bid}"',
                    f"BuildID[sha1]={hexs(r, 40)}, for GNU/Linux 3.2.0, stripped"][i])
    return out


@benign("labelled-checksums")
def b_checks(r):
    out = []
    for i in range(N_PER_SHAPE):
        out.append([f"      annotations:\n        checksum/config: {sha256(r)}\n        checksum/secret: {sha256(r)}",
                    f'"contentHash": "{b64(rbytes(r, 32))}",', f'ETag: "{hexs(r, 32)}"',
                    f'  "contentHash": "{sha256(r)}"', f"Content-MD5: {b64(rbytes(r, 16))}",
                    f'    "hash": "{hexs(r, 20)}", "contenthash": "{hexs(r, 20)}"'][i])
    return out


@benign("trace-request-ids")
def b_trace(r):
    out = []
    for i in range(N_PER_SHAPE):
        t, s = hexs(r, 32), hexs(r, 16)
        out.append([f"traceparent: 00-{t}-{s}-01",
                    f"2025-03-14T09:21:07Z INFO request done trace_id={t} span_id={s} status=200 dur=12ms",
                    f"X-Request-Id: {ruuid(r)}", f'{{"level":"error","msg":"upstream timeout","request_id":"{rs(r, 26, UPALNUM)}","trace_id":"{t}"}}',
                    f"[req:{ruuid(r)}] GET /healthz 200", f"x-cloud-trace-context: {t}/{r.randint(10**17, 10**18)};o=1"][i])
    return out


@benign("container-ids")
def b_container(r):
    out = []
    for i in range(N_PER_SHAPE):
        c = sha256(r)
        out.append([f"{c[:12]}   acme/api:1.4.2   \"gunicorn app:app\"   3 hours ago   Up 3 hours   0.0.0.0:8080->8080/tcp   api",
                    f"docker logs -f {c}", f"containerID: containerd://{c}",
                    f"Successfully built {c[:12]}", f"/sys/fs/cgroup/system.slice/docker-{c}.scope",
                    f"  api-7d9f8b6c5d-{rs(r, 5, LOWALNUM)}   1/1   Running   0   3h"][i])
    return out


@benign("placeholder-angle")
def b_ph_angle(r):
    return ["OPENAI_API_KEY=<your-api-key>", 'curl -H "Authorization: Bearer <token>" https://api.acme.io/v1/me',
            "password: <PASSWORD>", '{"api_key": "<YOUR_API_KEY>", "region": "eu"}',
            "export GITHUB_TOKEN=<paste-your-token>", "STRIPE_SECRET_KEY=<stripe-secret-key>"]


@benign("placeholder-reference")
def b_ph_ref(r):
    return ["API_KEY=${API_KEY}", "          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}",
            'password: "{{ .Values.db.password }}"', "curl -u admin:$ADMIN_PASSWORD https://ci.acme.io",
            "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app", "token: '{{ vault_github_token }}'"]


@benign("placeholder-filler")
def b_ph_fill(r):
    return ["AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX", "OPENAI_API_KEY=sk-...", "HF_TOKEN=hf_xxx",
            "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "password: ********",
            "STRIPE_SECRET_KEY=sk_live_XXXXXXXXXXXXXXXXXXXXXXXX"]


@benign("placeholder-words")
def b_ph_words(r):
    return ["SLACK_BOT_TOKEN=xoxb-your-token", "api_key = \"REPLACE_ME\"", "API_TOKEN=YOUR_TOKEN_HERE",
            "DB_PASSWORD=changeme", "DATABASE_URL=postgres://user:password@localhost:5432/mydb",
            "client_secret: your-client-secret-here"]


def ssh_pub(r):
    kind = r.choice(["ed25519", "rsa", "ecdsa"])
    if kind == "ed25519":
        return "ssh-ed25519 " + b64(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00 " + rbytes(r, 32))
    if kind == "rsa":
        return "ssh-rsa " + b64(b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01" + rbytes(r, 257))
    return "ecdsa-sha2-nistp256 " + b64(b"\x00\x00\x00\x13ecdsa-sha2-nistp256\x00\x00\x00\x08nistp256\x00\x00\x00A\x04" + rbytes(r, 64))


@benign("ssh-public-key")
def b_sshpub(r):
    out = []
    for i in range(N_PER_SHAPE):
        k = ssh_pub(r)
        out.append([f"{k} ada@laptop", f"# ~/.ssh/authorized_keys\n{k} deploy@ci",
                    f"github.com {k}", f'ssh_authorized_keys:\n  - "{k} ops@bastion"',
                    f"$ cat ~/.ssh/id_ed25519.pub\n{k} jdoe@work", f'public_key = "{k}"'][i])
    return out


@benign("pem-public-material")
def b_pempub(r):
    out = []
    for i in range(N_PER_SHAPE):
        label = ["PUBLIC KEY", "CERTIFICATE", "PGP PUBLIC KEY BLOCK", "CERTIFICATE REQUEST", "RSA PUBLIC KEY", "CERTIFICATE"][i]
        body = pem_body(r, [294, 900, 600, 700, 270, 1200][i])
        extra = "\n" if "PGP" in label else ""
        out.append(f"-----BEGIN {label}-----\n{extra}{body}\n-----END {label}-----")
    return out


@benign("age-wireguard-public")
def b_agepub(r):
    out = []
    for i in range(N_PER_SHAPE):
        a = "age1" + rs(r, 58, BECH32)
        wg = b64(rbytes(r, 32))
        out.append([f"creation_rules:\n  - path_regex: secrets/.*\\.yaml\n    age: {a}",
                    f"age -r {a} -o backup.tar.age backup.tar", f"[Peer]\nPublicKey = {wg}\nAllowedIPs = 10.8.0.0/24\nEndpoint = vpn.acme.io:51820",
                    f"recipient: {a}", f"peer: {wg}\n  endpoint: 203.0.113.7:51820\n  latest handshake: 41 seconds ago",
                    f"SOPS_AGE_RECIPIENTS={a}"][i])
    return out


@benign("non-secret-names")
def b_names(r):
    return ['{"access_token_type": "Bearer", "token_type": "Bearer", "expires_in": 3600}',
            "max_tokens = 4096\nprompt_tokens = 1832", 'api_key_env = "OPENAI_API_KEY"',
            "author: Ada Lovelace <ada@acme.io>", "TOKEN_URL=https://oauth2.googleapis.com/token\nPASSWORD_MIN_LENGTH=12",
            "secret_name: prod/db/credentials\npassword_policy: strict"]


@benign("code-references")
def b_coderefs(r):
    return ['password = os.environ["DB_PASSWORD"]', "token = get_token()",
            "    api_key: Optional[str] = None", "conn = connect(user=user, password=password)",
            "self.client_secret = client_secret", 'headers = {"Authorization": f"Bearer {token}"}']


@benign("yaml-tags-and-vault")
def b_yamltags(r):
    vault = "\n".join("          " + hexs(r, 80) for _ in range(4))
    return ["secret_key: !env_var SECRET_KEY", f"db_password: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n{vault}",
            "MasterUserPassword: !Ref DbPassword", "api_password: !secret api_password",
            "password: !ENV ${DB_PASSWORD}", "token: !include_secret github.token"]


@benign("test-runner-lines")
def b_tests(r):
    return ["--- PASS: TestTokenRefresh (0.00s)", "tests/test_auth.py::test_password_reset PASSED                [ 42%]",
            "  ✓ rejects an expired api key (3 ms)", "--- FAIL: TestSecretRotation/empty_secret (0.01s)",
            "test auth::tests::bearer_token_is_parsed ... ok", "ok  \tgithub.com/acme/api/internal/token\t0.214s"]


@benign("security-prose")
def b_prose(r):
    return ["Rotate the database password every 90 days and store it in Vault.",
            "The token expired; run `gh auth login` again to get a new one.",
            "Never paste your API key into a chat; use the secrets manager instead.",
            "fix: refresh token rotation when the access token expires (#4127)",
            "Set STRIPE_SECRET_KEY in the environment before starting the server.",
            "The password field must be at least 12 characters long."]


@benign("file-paths")
def b_paths(r):
    nix = rs(r, 32, "0123456789abcdfghijklmnpqrsvwxyz")
    return [f"/nix/store/{nix}-python3-3.12.2/bin/python3",
            "node_modules/.pnpm/@babel+core@7.24.0_supports-color@8.1.1/node_modules/@babel/core/lib/index.js",
            f"dist/assets/index-{rs(r, 8, B64URL)}.js", ".venv/lib/python3.12/site-packages/botocore/credentials.py",
            r"C:\Users\ada\AppData\Local\Temp\pip-install-" + rs(r, 8, LOWALNUM) + r"\cryptography",
            "src/components/PasswordResetForm/PasswordResetForm.test.tsx"]


@benign("css-colours")
def b_css(r):
    out = []
    for i in range(N_PER_SHAPE):
        c = [hexs(r, 6) for _ in range(4)]
        out.append([f".btn-primary {{ color: #{c[0]}; background: #{c[1]}; border-color: #{c[2]}; }}",
                    f"--brand-{i}: #{c[0]}{c[1][:2]};", f'  "editor.background": "#{c[0]}",',
                    f"box-shadow: 0 1px 2px rgba({r.randint(0, 255)}, {r.randint(0, 255)}, {r.randint(0, 255)}, 0.2), inset 0 0 0 1px #{c[3]};",
                    f'<rect fill="#{c[0].upper()}" stroke="#{c[1].upper()}"/>', f"theme: {{ primary: '#{c[2]}', accent: '#{c[3]}' }}"][i])
    return out


@benign("version-strings")
def b_versions(r):
    return ["acme-api 2.14.0-rc.1+build.20250314.5f3a9c1", f"github.com/acme/lib v0.0.0-20240115123456-{hexs(r, 12)}",
            "Python 3.12.2 (main, Feb  6 2024, 20:19:44) [GCC 13.2.0] on linux",
            "node v20.11.1, npm 10.2.4", "Docker version 25.0.3, build 4debf41",
            "kubectl: Client Version: v1.29.2, Kustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3"]


@benign("long-identifiers")
def b_idents(r):
    return ["public class AbstractSingletonProxyFactoryBeanDefinitionParser2 extends BaseParser {",
            "const useInfiniteScrollWithVirtualizedListAndPrefetchV3 = () => {};",
            "func TestHandleOAuth2AuthorizationCodeGrantWithPKCEVerifier256(t *testing.T) {",
            "export type GetOrganizationMembersWithPendingInvitesQueryResult = Apollo.QueryResult;",
            "    def test_password_reset_email_is_sent_only_once_per_15_minutes(self):",
            "k8sIoApiCoreV1PersistentVolumeClaimSpecDataSourceRef2: object"]


@benign("urls-without-password")
def b_urls(r):
    return [f"https://github.com/acme/api/blob/{sha1(r)}/src/auth/token.py#L42",
            f"https://drive.google.com/file/d/1{rs(r, 32, B64URL)}/view?usp=sharing",
            f"https://docs.google.com/spreadsheets/d/1{rs(r, 43, B64URL)}/edit#gid=0",
            "DATABASE_URL=postgres://app@db.internal.acme.io:5432/orders?sslmode=require",
            f"https://www.youtube.com/watch?v={rs(r, 11, B64URL)}&t=42s",
            f"https://acme-assets.s3.eu-west-1.amazonaws.com/uploads/2025/03/{ruuid(r)}.png"]


@benign("cloud-resource-ids")
def b_cloudids(r):
    acct = digits(r, 12)
    return [f"arn:aws:iam::{acct}:role/github-actions-deploy", f"image_id = \"ami-{hexs(r, 17)}\"",
            f"subnet-{hexs(r, 17)} sg-{hexs(r, 17)} vpc-{hexs(r, 17)}",
            f"/subscriptions/{ruuid(r)}/resourceGroups/rg-prod/providers/Microsoft.Storage/storageAccounts/acmeprod",
            f"projects/acme-prod/locations/europe-west1/services/api/revisions/api-00042-{rs(r, 3, LOWER)}",
            f"aws_account_id: \"{acct}\""]


@benign("provider-object-ids")
def b_objids(r):
    return [f"pi_3{rs(r, 23)}", f"Customer cus_{rs(r, 14)} charged ch_3{rs(r, 23)}",
            f"Message sent, sid SM{hexs(r, 32)}", f'"node_id": "{b64(("04:User" + digits(r, 7)).encode())}"',
            f"channel C0{rs(r, 9, UPALNUM)} thread_ts 1710408067.{digits(r, 6)}",
            f"discord guild {r.randint(10**17, 10**19 - 1)} channel {r.randint(10**17, 10**19 - 1)}"]


@benign("public-client-ids")
def b_clientids(r):
    return [f"GOOGLE_CLIENT_ID={digits(r, 12)}-{rs(r, 32, LOWALNUM)}.apps.googleusercontent.com",
            f"NEXT_PUBLIC_SUPABASE_URL=https://{rs(r, 20, LOWER)}.supabase.co",
            f"AWS_REGION=eu-west-1\nAWS_ACCOUNT_ID={digits(r, 12)}",
            f"AZURE_TENANT_ID={ruuid(r)}", f"client_id: {ruuid(r)}\ntenant_id: {ruuid(r)}",
            "SENTRY_ORG=acme\nSENTRY_PROJECT=api\nSENTRY_ENVIRONMENT=production"]


# ===== end of generators =====


def cases(seed: int = 20261207) -> list[dict]:
    r = random.Random(seed)
    out: list[dict] = []
    seen = set()
    for kind, shape, fn in GENERATORS:
        assert shape not in seen, shape
        seen.add(shape)
        for i, item in enumerate(fn(r)):
            split = "tune" if i % 2 == 0 else "heldout"
            if kind == "secret":
                text, sec = item
                out.append({"kind": "secret", "shape": shape, "text": text, "secret": sec,
                            "split": split})
            else:
                out.append({"kind": "benign", "shape": shape, "text": item, "split": split})
    return out


if __name__ == "__main__":
    from collections import Counter
    cs = cases()
    shapes = Counter((c["kind"], c["shape"]) for c in cs)
    print("shapes:", len(shapes), " secret shapes:", sum(1 for k, _ in shapes if k == "secret"),
          " benign shapes:", sum(1 for k, _ in shapes if k == "benign"))
    print("cases:", len(cs), dict(Counter((c["kind"], c["split"]) for c in cs)))
    for c in cs:
        if c["kind"] == "secret":
            assert c["secret"] and c["secret"] in c["text"], c
    assert cases() == cs, "not deterministic"
    print("ok")
