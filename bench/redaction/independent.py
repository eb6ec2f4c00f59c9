"""An independently authored redaction benchmark: generated secrets and secret-looking benign lines.

Why this exists: the redactor's own tests and benchmark corpora were written by the same people who
wrote its rules, so they tend to contain exactly the shapes the rules already know.  This set was
written by a separate author who did not read the redactor, its rules data, its tests or the other
benchmark corpora, and who did not adjust any case after seeing what the redactor did with it.  It
is a held-out measurement, not a regression suite: do not tune cases to make it pass.

How it is generated: ``cases(seed)`` builds every case from ``random.Random(seed)``, so the set is
deterministic for a seed and contains no real credential.  Secret values follow the public formats
of the credentials they imitate (prefixes, lengths, alphabets, the base62 CRC32 tail of GitHub and
npm tokens, DER prefixes of PEM bodies, the CRC24 line of OpenPGP armour, base64 JSON inside JWTs,
PyPI macaroons, Grafana and Sentry tokens), and are placed in realistic contexts: config files in
many languages, command lines, logs, stack traces, JSON tool output and chat text.

Each case is a dict:

* ``{"kind": "secret", "shape": ..., "text": ..., "secret": ...}`` -- ``secret`` is the exact
  substring of ``text`` that must not survive redaction (for URLs and ``user:password`` pairs it is
  only the password; for PEM blocks it is the base64 body).
* ``{"kind": "benign", "shape": ..., "text": ...}`` -- ordinary text that looks secret-ish (hashes,
  digests, ids, placeholders, public keys and certificates, identifiers) and must stay unchanged.
"""

from __future__ import annotations

import base64
import json
import random
import string
import urllib.parse
import zlib
from collections.abc import Callable

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DIG = string.digits
ALNUM = DIG + UP + LO
LOALNUM = LO + DIG
UPALNUM = UP + DIG
HEX = "0123456789abcdef"
HEXU = HEX.upper()
B64 = UP + LO + DIG + "+/"
B64URL = UP + LO + DIG + "-_"
B32 = UP + "234567"
BECH32 = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"
CRYPT = "./" + DIG + UP + LO

HOSTS = ("api.internal.acme.io", "staging.example.net", "10.0.3.17", "build-runner-04.ci.local",
         "payments.eu-west-1.prod.svc", "gateway.corp.example.com")

Case = dict[str, str]
Triple = tuple[str, str, str]


# --------------------------------------------------------------------------- primitives


def _rs(r: random.Random, alphabet: str, n: int) -> str:
    return "".join(r.choice(alphabet) for _ in range(n))


def _digits(r: random.Random, n: int) -> str:
    return r.choice("123456789") + _rs(r, DIG, n - 1)


def _b62(num: int, width: int) -> str:
    out = ""
    while num:
        num, rem = divmod(num, 62)
        out = ALNUM[rem] + out
    return out.rjust(width, "0")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _b64u(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _ts(r: random.Random) -> str:
    return (f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:"
            f"{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z")


def _uuid(r: random.Random) -> str:
    h = _rs(r, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{r.choice('89ab')}{h[17:20]}-{h[20:]}"


def _camel(name: str) -> str:
    parts = name.lower().split("_")
    return parts[0] + "".join(p.title() for p in parts[1:])


def _pw(r: random.Random, symbols: str = "!#%*+-.=?^_~@", lo: int = 14, hi: int = 26) -> str:
    """A random-looking password: mixed case, digits and (optionally) symbols, alnum first char."""
    n = r.randint(lo, hi)
    while True:
        s = r.choice(UP + LO) + _rs(r, ALNUM + symbols, n - 1)
        if (any(c.isdigit() for c in s) and any(c.isupper() for c in s) and any(c.islower() for c in s)
                and (not symbols or any(c in symbols for c in s))):
            return s


def _url_pw(r: random.Random) -> str:
    return _pw(r, "-._~", 14, 24)


def _checksummed(prefix: str, n: int = 30) -> Callable[[random.Random], str]:
    """GitHub / npm style: random base62 body followed by its CRC32 in six base62 digits."""
    def gen(r: random.Random) -> str:
        body = _rs(r, ALNUM, n)
        return prefix + body + _b62(zlib.crc32(body.encode()), 6)
    return gen


def _pref(prefix: str, alphabet: str, n: int, suffix: str = "") -> Callable[[random.Random], str]:
    return lambda r: prefix + _rs(r, alphabet, n) + suffix


def _jwt(r: random.Random, payload: dict[str, object], alg: str = "HS256", kid: bool = False) -> str:
    header: dict[str, object] = {"alg": alg, "typ": "JWT"}
    if kid:
        header["kid"] = _rs(r, B64URL, 43)
    sig = r.randbytes(32 if alg.startswith("HS") else 256)
    return ".".join((_b64u(json.dumps(header, separators=(",", ":")).encode()),
                     _b64u(json.dumps(payload, separators=(",", ":")).encode()), _b64u(sig)))


def _wrap(b64: str, width: int = 64) -> list[str]:
    return [b64[i:i + width] for i in range(0, len(b64), width)]


def _crc24(data: bytes) -> int:
    crc = 0xB704CE
    for byte in data:
        crc ^= byte << 16
        for _ in range(8):
            crc <<= 1
            if crc & 0x1000000:
                crc ^= 0x1864CFB
    return crc & 0xFFFFFF


# DER / binary prefixes so that PEM bodies begin the way real ones do.
DER_RSA = bytes.fromhex("308204a40201000282010100")
DER_PKCS8 = bytes.fromhex("308204bd020100300d06092a864886f70d0101010500048204a7")
DER_PKCS8_ENC = bytes.fromhex("3082051c304e06092a864886f70d01050d3041302906092a864886f70d01050c301c0408")
DER_DSA = bytes.fromhex("308201bb02010002818100")
DER_CERT = bytes.fromhex("308203a130820289a003020102021400")
DER_PUB = bytes.fromhex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100")
SSH_ED_HDR = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20"


def _ec_der(r: random.Random) -> bytes:
    return (bytes.fromhex("30770201010420") + r.randbytes(32)
            + bytes.fromhex("a00a06082a8648ce3d030107a14403420004") + r.randbytes(64))


def _openssh_der(r: random.Random) -> bytes:
    pub = SSH_ED_HDR + r.randbytes(32)
    return (b"openssh-key-v1\x00\x00\x00\x00\x04none\x00\x00\x00\x04none\x00\x00\x00\x00\x00\x00\x00\x01"
            + len(pub).to_bytes(4, "big") + pub + r.randbytes(r.choice((144, 152, 160))))


# --------------------------------------------------------------------------- contexts

KW_FORMS = ("env", "export", "python", "python_kw", "js", "go", "yaml", "toml", "json", "docker_env",
            "docker_arg", "gha", "powershell", "log", "error", "tool_json", "cli", "docker_run",
            "chat_kw", "traceback", "k8s", "ini", "diff", "properties", "compose")
BARE_FORMS = ("chat", "curl", "log_bare", "stack", "tool_bare", "markdown", "header")

CHAT = (
    "here's the token: {s} -- can you see why the deploy returns 403?",
    "I accidentally pasted {s} into #general, do we need to rotate it?",
    "try again with {s}, the old one was revoked this morning",
    "The CI log printed {s} in plain text, please scrub it.",
    "ok so I created a new key ({s}) and put it in the vault, can you test?",
)


def _assign(r: random.Random, form: str, name: str, s: str) -> str:
    """The secret ``s`` assigned to variable ``name`` (UPPER_SNAKE) in one concrete syntax."""
    low = name.lower()
    camel = _camel(name)
    dash = low.replace("_", "-")
    host = r.choice(HOSTS)
    ts = _ts(r)
    if form == "env":
        return f"{name}={s}"
    if form == "export":
        return f'export {name}="{s}"'
    if form == "python":
        return f'{low} = "{s}"'
    if form == "python_kw":
        return f'client = ServiceClient(base_url="https://{host}", {low}="{s}", timeout=30)'
    if form == "js":
        return f"const {camel} = '{s}';"
    if form == "go":
        return f'\t{camel} := "{s}"'
    if form == "yaml":
        return f"service:\n  endpoint: https://{host}\n  {low}: {s}\n  retries: 3"
    if form == "toml":
        return f'[service]\nendpoint = "https://{host}"\n{low} = "{s}"'
    if form == "json":
        return json.dumps({"service": "billing", "endpoint": f"https://{host}", low: s, "timeout": 30})
    if form == "docker_env":
        return f"FROM python:3.12-slim\nENV {name}={s}\nCOPY . /app"
    if form == "docker_arg":
        return f"ARG {name}={s}\nRUN ./scripts/fetch-deps.sh"
    if form == "gha":
        return (f"      - name: Deploy\n        run: ./deploy.sh\n        env:\n"
                f"          {name}: {s}\n          REGION: eu-west-1")
    if form == "powershell":
        return f'$env:{name} = "{s}"'
    if form == "log":
        return f"{ts} INFO  [config] loaded {low}={s} from /etc/app/app.env"
    if form == "error":
        return f"ERROR {ts} request to https://{host}/v2/sync failed: 401 Unauthorized ({name}='{s}')"
    if form == "tool_json":
        return json.dumps({"tool": "bash", "exit_code": 0,
                           "stdout": f"HOME=/root\n{name}={s}\nPATH=/usr/local/bin:/usr/bin\n"})
    if form == "cli":
        return f"$ acmectl deploy --{dash} {s} --region eu-west-1 --yes"
    if form == "docker_run":
        return f"docker run --rm -e {name}={s} -p 8080:8080 ghcr.io/acme/api:1.4.2"
    if form == "chat_kw":
        return f"my {low.replace('_', ' ')} is {s} -- does that look right to you?"
    if form == "traceback":
        return ('Traceback (most recent call last):\n  File "/srv/app/settings.py", line 14, in <module>\n'
                f'    {name} = "{s}"\nNameError: name \'env\' is not defined')
    if form == "k8s":
        return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  {name}: \"{s}\""
    if form == "ini":
        return f"[default]\n{low} = {s}\nendpoint = https://{host}"
    if form == "diff":
        return f"@@ -3,6 +3,7 @@ import os\n+{low} = \"{s}\"\n def main():"
    if form == "properties":
        return f"app.{low.replace('_', '.')}={s}"
    if form == "compose":
        return f"    environment:\n      - {name}={s}\n      - LOG_LEVEL=info"
    raise ValueError(form)


def _bare(r: random.Random, form: str, s: str) -> str:
    """The secret ``s`` with no variable name: chat, headers, logs, traces."""
    host = r.choice(HOSTS)
    ts = _ts(r)
    if form == "chat":
        return r.choice(CHAT).format(s=s)
    if form == "curl":
        return f'curl -sS -H "Authorization: Bearer {s}" https://{host}/v1/projects?limit=50'
    if form == "log_bare":
        return f"{ts} WARN  [http] 401 from https://{host}/api - credential {s} was rejected, retrying"
    if form == "stack":
        return ('Traceback (most recent call last):\n  File "/app/main.py", line 88, in <module>\n'
                f'    client = Client("{s}")\n  File "/app/client.py", line 12, in __init__\n'
                '    raise Unauthorized("bad credentials")\nclient.errors.Unauthorized: bad credentials')
    if form == "tool_bare":
        return json.dumps({"type": "tool_result", "tool_use_id": "toolu_01",
                           "content": f"$ grep -rn token deploy/\ndeploy/old.sh:7:  --token {s}\n"})
    if form == "markdown":
        return f"| env  | key | rotated |\n|------|-----|---------|\n| prod | `{s}` | 2024-03-02 |"
    if form == "header":
        return f"> GET /api/v1/me HTTP/1.1\n> Host: {host}\n> Authorization: token {s}\n> Accept: */*"
    raise ValueError(form)


# --------------------------------------------------------------------------- simple token shapes

SIMPLE: list[tuple[str, Callable[[random.Random], str], tuple[str, ...], str, int]] = [
    # (shape, generator, variable names, "any" = prefixed/self-identifying | "kw" = needs a keyword, n)
    ("github_pat_classic", _checksummed("ghp_"), ("GITHUB_TOKEN", "GH_TOKEN"), "any", 3),
    ("github_oauth_token", _checksummed("gho_"), ("GITHUB_OAUTH_TOKEN",), "any", 2),
    ("github_user_to_server", _checksummed("ghu_"), ("GH_APP_USER_TOKEN",), "any", 2),
    ("github_server_to_server", _checksummed("ghs_"), ("GITHUB_APP_TOKEN",), "any", 2),
    ("github_refresh_token", _checksummed("ghr_", 70), ("GITHUB_REFRESH_TOKEN",), "any", 2),
    ("github_fine_grained_pat",
     lambda r: "github_pat_" + _rs(r, ALNUM, 22) + "_" + _rs(r, ALNUM, 59), ("GITHUB_PAT",), "any", 3),
    ("gitlab_pat", _pref("glpat-", ALNUM + "_-", 20), ("GITLAB_TOKEN", "CI_JOB_PAT"), "any", 3),
    ("gitlab_deploy_token", _pref("gldt-", ALNUM + "_-", 20), ("GITLAB_DEPLOY_TOKEN",), "any", 2),
    ("gitlab_runner_token", _pref("glrt-", ALNUM + "_-", 20), ("RUNNER_TOKEN",), "any", 2),
    ("gitlab_pipeline_trigger", _pref("glptt-", HEX, 40), ("TRIGGER_TOKEN",), "any", 2),
    ("gitlab_runner_registration", _pref("GR1348941", ALNUM + "_-", 20), ("REGISTRATION_TOKEN",), "any", 2),
    ("gitlab_cicd_job_token", lambda r: "glcbt-" + _rs(r, HEX, 2) + "_" + _rs(r, ALNUM + "_-", 20),
     ("CI_JOB_TOKEN",), "any", 2),
    ("gitlab_oauth_app_secret", _pref("gloas-", HEX, 64), ("GITLAB_OAUTH_SECRET",), "any", 2),
    ("bitbucket_app_password", lambda r: "ATBB" + _rs(r, ALNUM, 32) + _rs(r, HEXU, 8),
     ("BITBUCKET_APP_PASSWORD",), "any", 2),
    ("npm_access_token", _checksummed("npm_"), ("NPM_TOKEN", "NODE_AUTH_TOKEN"), "any", 3),
    ("rubygems_api_key", _pref("rubygems_", HEX, 48), ("GEM_HOST_API_KEY",), "any", 2),
    ("nuget_api_key", _pref("oy2", LOALNUM, 43), ("NUGET_API_KEY",), "kw", 2),
    ("dockerhub_pat", _pref("dckr_pat_", B64URL, 27), ("DOCKERHUB_TOKEN",), "any", 2),
    ("huggingface_token", _pref("hf_", UP + LO, 34), ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"), "any", 3),
    ("huggingface_org_token", _pref("api_org_", UP + LO, 34), ("HF_ORG_TOKEN",), "any", 2),
    ("openai_project_key",
     lambda r: "sk-proj-" + _rs(r, B64URL, 74) + "T3BlbkFJ" + _rs(r, B64URL, 74), ("OPENAI_API_KEY",),
     "any", 3),
    ("openai_legacy_key", lambda r: "sk-" + _rs(r, ALNUM, 20) + "T3BlbkFJ" + _rs(r, ALNUM, 20),
     ("OPENAI_API_KEY",), "any", 2),
    ("openai_service_account_key",
     lambda r: "sk-svcacct-" + _rs(r, B64URL, 74) + "T3BlbkFJ" + _rs(r, B64URL, 74), ("OPENAI_KEY",),
     "any", 2),
    ("anthropic_api_key", lambda r: "sk-ant-api03-" + _rs(r, B64URL, 93) + "AA", ("ANTHROPIC_API_KEY",),
     "any", 3),
    ("anthropic_admin_key", lambda r: "sk-ant-admin01-" + _rs(r, B64URL, 93) + "AA",
     ("ANTHROPIC_ADMIN_KEY",), "any", 2),
    ("cohere_api_key", _pref("", ALNUM, 40), ("COHERE_API_KEY", "CO_API_KEY"), "kw", 2),
    ("replicate_api_token", _pref("r8_", ALNUM, 37), ("REPLICATE_API_TOKEN",), "any", 2),
    ("groq_api_key", _pref("gsk_", ALNUM, 52), ("GROQ_API_KEY",), "any", 2),
    ("mistral_api_key", _pref("", ALNUM, 32), ("MISTRAL_API_KEY",), "kw", 2),
    ("openrouter_api_key", _pref("sk-or-v1-", HEX, 64), ("OPENROUTER_API_KEY",), "any", 2),
    ("perplexity_api_key", _pref("pplx-", ALNUM, 48), ("PERPLEXITY_API_KEY",), "any", 2),
    ("xai_api_key", _pref("xai-", ALNUM, 80), ("XAI_API_KEY",), "any", 2),
    ("deepseek_api_key", _pref("sk-", HEX, 32), ("DEEPSEEK_API_KEY",), "any", 2),
    ("langsmith_api_key", lambda r: "lsv2_pt_" + _rs(r, HEX, 32) + "_" + _rs(r, HEX, 10),
     ("LANGSMITH_API_KEY",), "any", 2),
    ("wandb_api_key", _pref("", HEX, 40), ("WANDB_API_KEY",), "kw", 2),
    ("pinecone_api_key", lambda r: "pcsk_" + _rs(r, ALNUM, 5) + "_" + _rs(r, ALNUM, 63),
     ("PINECONE_API_KEY",), "any", 2),
    ("stripe_live_secret_key", _pref("sk_live_51", ALNUM, 97), ("STRIPE_SECRET_KEY", "STRIPE_KEY"), "any", 3),
    ("stripe_test_secret_key", _pref("sk_test_51", ALNUM, 97), ("STRIPE_SECRET_KEY",), "any", 2),
    ("stripe_restricted_key", _pref("rk_live_51", ALNUM, 97), ("STRIPE_RESTRICTED_KEY",), "any", 2),
    ("stripe_webhook_secret", _pref("whsec_", ALNUM, 32), ("STRIPE_WEBHOOK_SECRET",), "any", 2),
    ("square_access_token", _pref("EAAA", B64URL, 60), ("SQUARE_ACCESS_TOKEN",), "any", 2),
    ("square_oauth_secret", _pref("sq0csp-", B64URL, 43), ("SQUARE_APP_SECRET",), "any", 2),
    ("braintree_access_token",
     lambda r: "access_token$production$" + _rs(r, LOALNUM, 16) + "$" + _rs(r, HEX, 32),
     ("BRAINTREE_ACCESS_TOKEN",), "any", 2),
    ("braintree_private_key", _pref("", HEX, 32), ("BRAINTREE_PRIVATE_KEY",), "kw", 2),
    ("paypal_client_secret", _pref("E", B64URL, 79), ("PAYPAL_CLIENT_SECRET",), "kw", 2),
    ("shopify_access_token", _pref("shpat_", HEX, 32), ("SHOPIFY_ACCESS_TOKEN",), "any", 2),
    ("shopify_shared_secret", _pref("shpss_", HEX, 32), ("SHOPIFY_API_SECRET",), "any", 2),
    ("shopify_custom_app_token", _pref("shpca_", HEX, 32), ("SHOPIFY_TOKEN",), "any", 2),
    ("shopify_partner_token", _pref("shppa_", HEX, 32), ("SHOPIFY_PARTNER_TOKEN",), "any", 2),
    ("slack_bot_token",
     lambda r: f"xoxb-{_digits(r, 11)}-{_digits(r, 13)}-{_rs(r, ALNUM, 24)}", ("SLACK_BOT_TOKEN",), "any", 3),
    ("slack_user_token",
     lambda r: f"xoxp-{_digits(r, 11)}-{_digits(r, 11)}-{_digits(r, 13)}-{_rs(r, HEX, 32)}",
     ("SLACK_USER_TOKEN",), "any", 2),
    ("slack_app_token",
     lambda r: f"xapp-1-A{_rs(r, UPALNUM, 10)}-{_digits(r, 13)}-{_rs(r, HEX, 64)}", ("SLACK_APP_TOKEN",),
     "any", 2),
    ("slack_refresh_token", _pref("xoxe-1-My0xLTE", ALNUM, 140), ("SLACK_REFRESH_TOKEN",), "any", 2),
    ("discord_bot_token",
     lambda r: _b64u(_digits(r, 18).encode()) + "." + _rs(r, B64URL, 6) + "." + _rs(r, B64URL, 38),
     ("DISCORD_TOKEN",), "any", 2),
    ("twilio_api_key_sid", _pref("SK", HEX, 32), ("TWILIO_API_KEY",), "any", 2),
    ("twilio_auth_token", _pref("", HEX, 32), ("TWILIO_AUTH_TOKEN",), "kw", 2),
    ("twilio_api_secret", _pref("", ALNUM, 32), ("TWILIO_API_SECRET",), "kw", 2),
    ("sendgrid_api_key", lambda r: "SG." + _rs(r, B64URL, 22) + "." + _rs(r, B64URL, 43),
     ("SENDGRID_API_KEY",), "any", 3),
    ("mailgun_api_key", _pref("key-", HEX, 32), ("MAILGUN_API_KEY",), "any", 2),
    ("mailgun_private_key_v2", lambda r: f"{_rs(r, HEX, 32)}-{_rs(r, HEX, 8)}-{_rs(r, HEX, 8)}",
     ("MAILGUN_API_KEY",), "kw", 2),
    ("mailchimp_api_key", lambda r: _rs(r, HEX, 32) + f"-us{r.randint(1, 21)}", ("MAILCHIMP_API_KEY",),
     "any", 2),
    ("postmark_server_token", _uuid, ("POSTMARK_SERVER_TOKEN",), "kw", 2),
    ("brevo_api_key", lambda r: "xkeysib-" + _rs(r, HEX, 64) + "-" + _rs(r, ALNUM, 16), ("BREVO_API_KEY",),
     "any", 2),
    ("datadog_api_key", _pref("", HEX, 32), ("DD_API_KEY", "DATADOG_API_KEY"), "kw", 2),
    ("datadog_app_key", _pref("", HEX, 40), ("DD_APP_KEY",), "kw", 2),
    ("newrelic_user_api_key", _pref("NRAK-", UPALNUM, 27), ("NEW_RELIC_API_KEY",), "any", 2),
    ("newrelic_insert_key", _pref("NRII-", B64URL, 32), ("NEW_RELIC_INSERT_KEY",), "any", 2),
    ("newrelic_license_key", _pref("", HEX, 36, "NRAL"), ("NEW_RELIC_LICENSE_KEY",), "kw", 2),
    ("sentry_user_token", _pref("sntryu_", HEX, 64), ("SENTRY_AUTH_TOKEN",), "any", 2),
    ("pagerduty_integration_key", _pref("", HEX, 32), ("PAGERDUTY_ROUTING_KEY",), "kw", 2),
    ("pagerduty_api_key", _pref("u+", ALNUM + "_-", 18), ("PAGERDUTY_API_KEY",), "kw", 2),
    ("heroku_api_key", _uuid, ("HEROKU_API_KEY",), "kw", 2),
    ("heroku_platform_token", _pref("HRKU-AA", ALNUM + "_-", 58), ("HEROKU_API_KEY",), "any", 2),
    ("netlify_pat", _pref("nfp_", ALNUM, 36), ("NETLIFY_AUTH_TOKEN",), "any", 2),
    ("vercel_token", _pref("", ALNUM, 24), ("VERCEL_TOKEN",), "kw", 2),
    ("digitalocean_pat", _pref("dop_v1_", HEX, 64), ("DIGITALOCEAN_TOKEN",), "any", 2),
    ("digitalocean_oauth_token", _pref("doo_v1_", HEX, 64), ("DO_OAUTH_TOKEN",), "any", 2),
    ("linode_token", _pref("", HEX, 64), ("LINODE_TOKEN",), "kw", 2),
    ("cloudflare_api_token", _pref("", ALNUM + "_-", 40), ("CLOUDFLARE_API_TOKEN", "CF_API_TOKEN"), "kw", 2),
    ("cloudflare_global_api_key", _pref("", HEX, 37), ("CLOUDFLARE_API_KEY",), "kw", 2),
    ("cloudflare_origin_ca_key", lambda r: "v1.0-" + _rs(r, HEX, 24) + "-" + _rs(r, HEX, 146),
     ("CF_ORIGIN_CA_KEY",), "any", 2),
    ("fastly_api_token", _pref("", B64URL, 32), ("FASTLY_API_TOKEN",), "kw", 2),
    ("okta_api_token", _pref("00", ALNUM + "_-", 40), ("OKTA_API_TOKEN",), "kw", 2),
    ("auth0_client_secret", _pref("", B64URL, 64), ("AUTH0_CLIENT_SECRET",), "kw", 2),
    ("firebase_fcm_server_key", lambda r: "AAAA" + _rs(r, B64URL, 7) + ":APA91b" + _rs(r, B64URL, 134),
     ("FCM_SERVER_KEY",), "any", 2),
    ("supabase_access_token", _pref("sbp_", HEX, 40), ("SUPABASE_ACCESS_TOKEN",), "any", 2),
    ("atlassian_api_token", lambda r: "ATATT3xFfGF0" + _rs(r, B64URL, 170) + "=" + _rs(r, HEXU, 8),
     ("JIRA_API_TOKEN", "CONFLUENCE_TOKEN"), "any", 3),
    ("notion_integration_secret", _pref("secret_", ALNUM, 43), ("NOTION_TOKEN",), "any", 2),
    ("notion_ntn_token", lambda r: "ntn_" + _digits(r, 11) + _rs(r, ALNUM, 35), ("NOTION_API_KEY",),
     "any", 2),
    ("airtable_pat", lambda r: "pat" + _rs(r, ALNUM, 14) + "." + _rs(r, HEX, 64), ("AIRTABLE_TOKEN",),
     "any", 2),
    ("asana_pat", lambda r: f"2/{_digits(r, 16)}/{_digits(r, 16)}:{_rs(r, HEX, 32)}", ("ASANA_TOKEN",),
     "kw", 2),
    ("linear_api_key", _pref("lin_api_", ALNUM, 40), ("LINEAR_API_KEY",), "any", 2),
    ("figma_pat", _pref("figd_", B64URL, 40), ("FIGMA_TOKEN",), "any", 2),
    ("doppler_personal_token", _pref("dp.pt.", ALNUM, 43), ("DOPPLER_TOKEN",), "any", 2),
    ("doppler_service_token", _pref("dp.st.prd.", ALNUM, 43), ("DOPPLER_TOKEN",), "any", 2),
    ("vault_service_token", _pref("hvs.CAESI", B64URL, 87), ("VAULT_TOKEN",), "any", 3),
    ("vault_batch_token", _pref("hvb.AAAAAQ", B64URL, 130), ("VAULT_TOKEN",), "any", 2),
    ("terraform_cloud_token", lambda r: _rs(r, ALNUM, 14) + ".atlasv1." + _rs(r, ALNUM, 67),
     ("TF_TOKEN_app_terraform_io",), "any", 2),
    ("pulumi_access_token", _pref("pul-", HEX, 40), ("PULUMI_ACCESS_TOKEN",), "any", 2),
    ("grafana_service_account_token", lambda r: "glsa_" + _rs(r, ALNUM, 32) + "_" + _rs(r, HEX, 8),
     ("GRAFANA_TOKEN",), "any", 2),
    ("databricks_token", lambda r: "dapi" + _rs(r, HEX, 32) + r.choice(("", "-2", "-3")),
     ("DATABRICKS_TOKEN",), "any", 2),
    ("algolia_admin_key", _pref("", HEX, 32), ("ALGOLIA_ADMIN_API_KEY",), "kw", 2),
    ("dropbox_access_token", _pref("sl.", B64URL, 135), ("DROPBOX_ACCESS_TOKEN",), "any", 2),
    ("postman_api_key", lambda r: "PMAK-" + _rs(r, HEX, 24) + "-" + _rs(r, HEX, 34), ("POSTMAN_API_KEY",),
     "any", 2),
    ("age_secret_key", _pref("AGE-SECRET-KEY-1", BECH32, 58), ("SOPS_AGE_KEY",), "any", 2),
    ("dynatrace_token", lambda r: "dt0c01." + _rs(r, UPALNUM, 24) + "." + _rs(r, UPALNUM, 64),
     ("DT_API_TOKEN",), "any", 2),
    ("sourcegraph_token", lambda r: "sgp_" + _rs(r, HEX, 16) + "_" + _rs(r, HEX, 40), ("SRC_ACCESS_TOKEN",),
     "any", 2),
    ("tailscale_auth_key", lambda r: "tskey-auth-k" + _rs(r, ALNUM, 10) + "CNTRL-" + _rs(r, ALNUM, 33),
     ("TS_AUTHKEY",), "any", 2),
    ("contentful_pat", _pref("CFPAT-", B64URL, 43), ("CONTENTFUL_MANAGEMENT_TOKEN",), "any", 2),
    ("shippo_live_token", _pref("shippo_live_", HEX, 40), ("SHIPPO_API_KEY",), "any", 2),
    ("easypost_api_key", _pref("EZAK", ALNUM, 54), ("EASYPOST_API_KEY",), "any", 2),
    ("flutterwave_secret_key", _pref("FLWSECK-", HEX, 32, "-X"), ("FLW_SECRET_KEY",), "any", 2),
    ("alibaba_access_key_id", _pref("LTAI", ALNUM, 20), ("ALIBABA_CLOUD_ACCESS_KEY_ID",), "any", 2),
    ("alibaba_access_key_secret", _pref("", ALNUM, 30), ("ALIBABA_CLOUD_ACCESS_KEY_SECRET",), "kw", 2),
    ("clojars_token", _pref("CLOJARS_", HEX, 60), ("CLOJARS_PASSWORD",), "any", 2),
    ("planetscale_token", _pref("pscale_tkn_", B64URL, 43), ("PLANETSCALE_SERVICE_TOKEN",), "any", 2),
    ("planetscale_password", _pref("pscale_pw_", B64URL, 43), ("DATABASE_PASSWORD",), "any", 2),
    ("prefect_api_key", _pref("pnu_", ALNUM, 36), ("PREFECT_API_KEY",), "any", 2),
    ("readme_api_key", _pref("rdme_", LOALNUM, 70), ("README_API_KEY",), "any", 2),
    ("render_api_key", _pref("rnd_", ALNUM, 32), ("RENDER_API_KEY",), "any", 2),
    ("buildkite_token", _pref("bkua_", HEX, 40), ("BUILDKITE_API_TOKEN",), "any", 2),
    ("sonarqube_token", _pref("sqp_", HEX, 40), ("SONAR_TOKEN",), "any", 2),
    ("snyk_token", _uuid, ("SNYK_TOKEN",), "kw", 2),
    ("launchdarkly_api_key", lambda r: "api-" + _uuid(r), ("LAUNCHDARKLY_ACCESS_TOKEN",), "kw", 2),
    ("typeform_pat", _pref("tfp_", B64URL, 59), ("TYPEFORM_TOKEN",), "any", 2),
    ("circleci_pat", lambda r: "CCIPAT_" + _rs(r, ALNUM, 22) + "_" + _rs(r, HEX, 40), ("CIRCLE_TOKEN",),
     "any", 2),
    ("octopus_api_key", _pref("API-", UPALNUM, 32), ("OCTOPUS_API_KEY",), "any", 2),
    ("gcp_api_key", _pref("AIza", B64URL, 35), ("GOOGLE_API_KEY", "GEMINI_API_KEY", "FIREBASE_API_KEY"),
     "any", 3),
    ("gcp_oauth_client_secret", _pref("GOCSPX-", B64URL, 28), ("GOOGLE_CLIENT_SECRET",), "any", 2),
    ("google_oauth_access_token", _pref("ya29.a0", B64URL, 150), ("GOOGLE_ACCESS_TOKEN",), "any", 2),
    ("google_oauth_refresh_token", lambda r: "1//0" + _rs(r, B64URL, 2) + _rs(r, B64URL, 99),
     ("GOOGLE_REFRESH_TOKEN",), "kw", 2),
    ("azure_client_secret",
     lambda r: _rs(r, ALNUM, 3) + r.choice(DIG) + "Q~" + _rs(r, ALNUM + "_-.~", 34), ("AZURE_CLIENT_SECRET",),
     "kw", 3),
    ("azure_devops_pat", _pref("", B32.lower(), 52), ("AZURE_DEVOPS_PAT", "AZDO_PERSONAL_ACCESS_TOKEN"),
     "kw", 2),
    ("azure_openai_api_key", _pref("", HEX, 32), ("AZURE_OPENAI_API_KEY",), "kw", 2),
    ("jenkins_api_token", _pref("11", HEX, 32), ("JENKINS_API_TOKEN",), "kw", 2),
    ("zendesk_api_token", _pref("", ALNUM, 40), ("ZENDESK_API_TOKEN",), "kw", 2),
]


def _simple(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    for shape, gen, names, mode, n in SIMPLE:
        pool = KW_FORMS + BARE_FORMS if mode == "any" else KW_FORMS
        for form in r.sample(pool, n):
            s = gen(r)
            name = r.choice(names)
            text = _bare(r, form, s) if form in BARE_FORMS else _assign(r, form, name, s)
            out.append((shape, text, s))
    return out


# --------------------------------------------------------------------------- structured token shapes


def _structured(r: random.Random) -> list[Triple]:
    out: list[Triple] = []

    def add(shape: str, s: str, forms: tuple[str, ...], names: tuple[str, ...]) -> None:
        for form in forms:
            text = _bare(r, form, s) if form in BARE_FORMS else _assign(r, form, r.choice(names), s)
            out.append((shape, text, s))

    # PyPI macaroon: base64url of a binary macaroon whose location is pypi.org.
    for forms in (("env", "chat"), ("gha",)):
        for form in forms:
            raw = (b"\x02\x01\x08pypi.org\x02\x25\x08\x01\x12\x20" + r.randbytes(32) + b"\x00\x02\x2a"
                   + json.dumps({"version": 1, "permissions": {"projects": ["acme-sdk"]}}).encode()
                   + b"\x00\x00\x06\x20" + r.randbytes(32))
            add("pypi_upload_token", "pypi-" + _b64u(raw), (form,), ("PYPI_TOKEN", "TWINE_PASSWORD"))
    # Grafana Cloud access policy token: glc_ + base64 JSON.
    for form in ("env", "markdown", "yaml"):
        blob = json.dumps({"o": _digits(r, 6), "n": f"stack-{_digits(r, 6)}-hm-write-ci",
                           "k": _rs(r, ALNUM, 24), "m": {"r": "prod-eu-west-2"}}, separators=(",", ":"))
        add("grafana_cloud_token", "glc_" + _b64(blob.encode()), (form,), ("GRAFANA_CLOUD_TOKEN",))
    # Legacy Grafana API key: base64 of {"k":...,"n":...,"id":1}.
    for form in ("json", "export"):
        blob = json.dumps({"k": _rs(r, ALNUM, 32), "n": "ci-deploy", "id": r.randint(1, 9)},
                          separators=(",", ":"))
        add("grafana_api_key_legacy", _b64(blob.encode()), (form,), ("GRAFANA_API_KEY",))
    # Sentry organisation token: sntrys_ + base64 JSON + _ + secret.
    for form in ("env", "chat", "gha"):
        blob = json.dumps({"iat": r.randint(1700000000, 1720000000), "url": "https://sentry.io",
                           "region_url": "https://us.sentry.io", "org": "acme"}, separators=(",", ":"))
        add("sentry_org_token", "sntrys_" + _b64(blob.encode()).rstrip("=") + "_" + _rs(r, B64URL, 43),
            (form,), ("SENTRY_AUTH_TOKEN",))
    # Mapbox secret token: sk. + base64url JSON + . + 22.
    for form in ("env", "js"):
        blob = json.dumps({"u": "acme-maps", "a": _rs(r, LOALNUM, 25)}, separators=(",", ":"))
        add("mapbox_secret_token", "sk." + _b64u(blob.encode()) + "." + _rs(r, B64URL, 22), (form,),
            ("MAPBOX_SECRET_TOKEN",))
    # 1Password service account token: ops_ + base64url JSON.
    for form in ("env", "gha"):
        blob = json.dumps({"signInAddress": "my.1password.com", "userAuth": {"method": "SRPg-4096",
                           "alg": "PBES2g-HS256", "iterations": 650000, "salt": _rs(r, B64URL, 22)},
                           "email": f"{_rs(r, LO, 12)}@1passwordserviceaccounts.com",
                           "srpX": _rs(r, HEX, 64), "muk": {"alg": "A256GCM", "ext": True,
                           "k": _rs(r, B64URL, 43), "key_ops": ["encrypt", "decrypt"], "kty": "oct",
                           "kid": "mp"}, "secretKey": "A3-" + _rs(r, UPALNUM, 6) + "-" + _rs(r, UPALNUM, 11),
                           "throttleSecret": {"seed": _rs(r, HEX, 64), "uuid": _rs(r, UPALNUM, 26)},
                           "deviceUuid": _rs(r, LOALNUM, 26)}, separators=(",", ":"))
        add("onepassword_service_account_token", "ops_" + _b64u(blob.encode()), (form,),
            ("OP_SERVICE_ACCOUNT_TOKEN",))
    # Fly.io macaroon tokens are sent as "FlyV1 fm2_...".
    for _ in range(2):
        s = "fm2_" + _rs(r, ALNUM + "+/", 236) + "=="
        out.append(("flyio_token", r.choice((
            f'curl -H "Authorization: FlyV1 {s}" https://api.machines.dev/v1/apps/acme-web/machines',
            f'FLY_API_TOKEN="FlyV1 {s}"')), s))
    # Telegram bot token: the part after the colon is the secret; the bot id is public.
    for tpl in ("https://api.telegram.org/bot{bid}:{s}/sendMessage?chat_id=-100{chat}&text=deploy%20ok",
                'TELEGRAM_BOT_TOKEN="{bid}:{s}"', "bot = telebot.TeleBot(\"{bid}:{s}\")"):
        s = "AA" + _rs(r, B64URL, 33)
        out.append(("telegram_bot_token", tpl.format(bid=_digits(r, 10), s=s, chat=_digits(r, 10)), s))
    # Slack incoming webhook: the final path segment is the secret.
    for tpl in ("SLACK_WEBHOOK_URL=https://hooks.slack.com/services/{t}/{b}/{s}",
                "curl -X POST -H 'Content-type: application/json' "
                "--data '{{\"text\":\"build #412 passed\"}}' https://hooks.slack.com/services/{t}/{b}/{s}",
                "notify:\n  slack:\n    webhook_url: https://hooks.slack.com/services/{t}/{b}/{s}"):
        s = _rs(r, ALNUM, 24)
        out.append(("slack_webhook_url", tpl.format(t="T" + _rs(r, UPALNUM, 10), b="B" + _rs(r, UPALNUM, 10),
                                                    s=s), s))
    # Discord webhook URL.
    for tpl in ("DISCORD_WEBHOOK=https://discord.com/api/webhooks/{i}/{s}",
                'requests.post("https://discordapp.com/api/webhooks/{i}/{s}", json={{"content": msg}})'):
        s = _rs(r, B64URL, 68)
        out.append(("discord_webhook_url", tpl.format(i=_digits(r, 19), s=s), s))
    # Sentry DSNs.
    for tpl in ('SENTRY_DSN=https://{k}@o{o}.ingest.sentry.io/{p}',
                'sentry_sdk.init(dsn="https://{k}@o{o}.ingest.us.sentry.io/{p}", traces_sample_rate=0.2)',
                "Sentry.init({{ dsn: 'https://{k}@o{o}.ingest.sentry.io/{p}' }});"):
        s = _rs(r, HEX, 32)
        out.append(("sentry_dsn", tpl.format(k=s, o=_digits(r, 6), p=_digits(r, 7)), s))
    for _ in range(2):
        s = _rs(r, HEX, 32)
        out.append(("sentry_dsn_legacy_secret",
                    f"RAVEN_DSN = 'https://{_rs(r, HEX, 32)}:{s}@sentry.io/{_digits(r, 5)}'", s))
    # Cloudinary URL: api secret between the colon and the @.
    for _ in range(2):
        s = _rs(r, B64URL, 27)
        out.append(("cloudinary_url", f"CLOUDINARY_URL=cloudinary://{_digits(r, 15)}:{s}@acme-media", s))
    return out


# --------------------------------------------------------------------------- AWS


def _aws(r: random.Random) -> list[Triple]:
    out: list[Triple] = []

    def kid(prefix: str = "AKIA") -> str:
        return prefix + _rs(r, B32, 16)

    def sak() -> str:
        return _rs(r, ALNUM + "+/", 40)

    def sess() -> str:
        return r.choice(("IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdzE")) + _rs(r, B64, 340) + "=="

    forms: list[Callable[[str, str], str]] = [
        lambda k, s: f"AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\nAWS_DEFAULT_REGION=us-east-1",
        lambda k, s: f'export AWS_ACCESS_KEY_ID="{k}"\nexport AWS_SECRET_ACCESS_KEY="{s}"',
        lambda k, s: f"[default]\naws_access_key_id = {k}\naws_secret_access_key = {s}\n"
                     "region = eu-central-1",
        lambda k, s: json.dumps({"AccessKey": {"UserName": "ci-deployer", "AccessKeyId": k,
                                               "Status": "Active",
                                               "SecretAccessKey": s, "CreateDate": "2024-04-02T10:11:12Z"}},
                                indent=4),
        lambda k, s: f"provider:\n  name: aws\n  environment:\n    AWS_ACCESS_KEY_ID: {k}\n"
                     f"    AWS_SECRET_ACCESS_KEY: {s}",
        lambda k, s: f'provider "aws" {{\n  region     = "us-east-1"\n  access_key = "{k}"\n'
                     f'  secret_key = "{s}"\n}}',
        lambda k, s: f's3 = boto3.client("s3", aws_access_key_id="{k}", aws_secret_access_key="{s}")',
        lambda k, s: f"docker run --rm -e AWS_ACCESS_KEY_ID={k} -e AWS_SECRET_ACCESS_KEY={s} "
                     "amazon/aws-cli s3 ls s3://acme-backups",
        lambda k, s: f"      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n"
                     f"          aws-access-key-id: {k}\n          aws-secret-access-key: {s}\n"
                     "          aws-region: us-west-2",
        lambda k, s: f"$ aws configure set aws_secret_access_key {s} --profile prod",
        lambda k, s: f"aws.accessKeyId={k}\naws.secretKey={s}",
        lambda k, s: f"2024-05-03 11:02:19,441 DEBUG creds resolved: {{'access_key': '{k}', "
                     f"'secret_key': '{s}', 'token': None, 'method': 'env'}}",
        lambda k, s: f'const s3 = new S3Client({{ region: "us-east-1", credentials: {{ accessKeyId: "{k}", '
                     f'secretAccessKey: "{s}" }} }});',
        lambda k, s: f'\tcfg.Credentials = credentials.NewStaticCredentialsProvider("{k}", "{s}", "")',
        lambda k, s: json.dumps({"tool": "read_file", "path": ".env",
                                 "content": f"AWS_ACCESS_KEY_ID={k}\nAWS_SECRET_ACCESS_KEY={s}\n"}),
    ]
    for i, form in enumerate(forms):
        k, s = kid(), sak()
        out.append(("aws_secret_access_key", form(k, s), s))
        if i % 3 == 0 and i != 9:  # form 9 carries only the secret key
            k, s = kid(), sak()
            out.append(("aws_access_key_id", form(k, s), k))
    k = kid()
    out.append(("aws_access_key_id", f"I think the leaked key was {k} -- it shows up in CloudTrail", k))
    # Temporary credentials from STS.
    for _ in range(2):
        k, s, t = kid("ASIA"), sak(), sess()
        text = json.dumps({"Credentials": {"AccessKeyId": k, "SecretAccessKey": s, "SessionToken": t,
                                           "Expiration": "2024-06-01T12:00:00+00:00"},
                           "AssumedRoleUser": {"Arn": "arn:aws:sts::123456789012:assumed-role/ci/gh"}},
                          indent=2)
        out.append(("aws_session_token", text, t))
        out.append(("aws_temp_access_key_id", text, k))
    t = sess()
    out.append(("aws_session_token", f"[prod]\naws_access_key_id = {kid('ASIA')}\naws_secret_access_key = "
                                     f"{sak()}\naws_session_token = {t}", t))
    t = sess()
    out.append(("aws_session_token", f'export AWS_SESSION_TOKEN="{t}"', t))
    return out


# --------------------------------------------------------------------------- Azure and GCP


def _azure(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    for tpl in ("AZURE_STORAGE_CONNECTION_STRING=\"DefaultEndpointsProtocol=https;AccountName={a};"
                "AccountKey={k};EndpointSuffix=core.windows.net\"",
                "\"ConnectionStrings\": {{ \"Blob\": \"DefaultEndpointsProtocol=https;AccountName={a};"
                "AccountKey={k};EndpointSuffix=core.windows.net\" }}",
                "conn = BlobServiceClient.from_connection_string(\"DefaultEndpointsProtocol=https;"
                "AccountName={a};AccountKey={k}\")"):
        k = _b64(r.randbytes(64))
        out.append(("azure_storage_connection_string", tpl.format(a="acme" + _rs(r, LOALNUM, 8), k=k), k))
    for _ in range(2):
        k = _b64(r.randbytes(64))
        text = json.dumps([{"creationTime": "2024-02-01T09:00:00.000000+00:00", "keyName": "key1",
                            "permissions": "FULL", "value": k}], indent=2)
        out.append(("azure_storage_account_key", text, k))
    k = _b64(r.randbytes(64))
    out.append(("azure_storage_account_key", f"export AZURE_STORAGE_KEY={k}", k))
    for tpl in ("https://{a}.blob.core.windows.net/exports/report.csv?sv=2022-11-02&ss=b&srt=sco&sp=rl"
                "&se=2025-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig={s}",
                "azcopy copy ./dist 'https://{a}.blob.core.windows.net/$web?sp=racwdl&st=2024-03-01T10:00:00Z"
                "&se=2024-03-08T10:00:00Z&spr=https&sv=2022-11-02&sr=c&sig={s}' --recursive",
                "BlobEndpoint=https://{a}.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=bfqt"
                "&srt=sco&sp=rwdlacupiytfx&se=2024-12-31T23:59:59Z&spr=https&sig={s}"):
        s = urllib.parse.quote(_b64(r.randbytes(32)), safe="")
        out.append(("azure_sas_token", tpl.format(a="acme" + _rs(r, LOALNUM, 6), s=s), s))
    for _ in range(2):
        s = _b64(r.randbytes(32))
        out.append(("azure_service_bus_key", f"SERVICEBUS_CONNECTION=Endpoint=sb://acme-{_rs(r, LO, 5)}"
                                              ".servicebus.windows.net/;SharedAccessKeyName="
                                              f"RootManageSharedAccessKey;SharedAccessKey={s}", s))
    for _ in range(2):
        s = _b64(r.randbytes(64))
        out.append(("azure_cosmosdb_key", f"\"CosmosDb\": \"AccountEndpoint=https://acme-{_rs(r, LO, 6)}"
                                           f".documents.azure.com:443/;AccountKey={s};\"", s))
    for _ in range(2):
        s = _rs(r, ALNUM, 54) + "=="
        out.append(("azure_function_key", f"curl 'https://acme-{_rs(r, LO, 6)}.azurewebsites.net/api/Ingest"
                                           f"?code={s}' -d @event.json", s))
    return out


def _gcp_sa(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    for variant in ("file", "env", "tool"):
        lines = _wrap(_b64(DER_PKCS8 + r.randbytes(1191)))
        pem = "-----BEGIN PRIVATE KEY-----\n" + "\n".join(lines) + "\n-----END PRIVATE KEY-----\n"
        proj = "acme-" + _rs(r, LO, 6) + "-" + _digits(r, 6)
        sa = {"type": "service_account", "project_id": proj, "private_key_id": _rs(r, HEX, 40),
              "private_key": pem, "client_email": f"ci-deployer@{proj}.iam.gserviceaccount.com",
              "client_id": _digits(r, 21), "auth_uri": "https://accounts.google.com/o/oauth2/auth",
              "token_uri": "https://oauth2.googleapis.com/token",
              "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
              "universe_domain": "googleapis.com"}
        if variant == "file":
            text = "$ cat ~/keys/ci-deployer.json\n" + json.dumps(sa, indent=2)
            secret = "\\n".join(lines)
        elif variant == "env":
            text = "GOOGLE_CREDENTIALS='" + json.dumps(sa) + "'"
            secret = "\\n".join(lines)
        else:
            text = json.dumps({"tool": "read_file", "path": "sa.json", "content": json.dumps(sa, indent=2)})
            secret = "\\\\n".join(lines)
        out.append(("gcp_service_account_private_key", text, secret))
    return out


# --------------------------------------------------------------------------- private keys


def _pem_cases(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    specs: list[tuple[str, str, Callable[[], bytes], int]] = [
        ("rsa_private_key", "RSA PRIVATE KEY", lambda: DER_RSA + r.randbytes(1180), 64),
        ("ec_private_key", "EC PRIVATE KEY", lambda: _ec_der(r), 64),
        ("openssh_private_key", "OPENSSH PRIVATE KEY", lambda: _openssh_der(r), 70),
        ("pkcs8_private_key", "PRIVATE KEY", lambda: DER_PKCS8 + r.randbytes(1191), 64),
        ("pkcs8_encrypted_private_key", "ENCRYPTED PRIVATE KEY", lambda: DER_PKCS8_ENC + r.randbytes(1270),
         64),
        ("dsa_private_key", "DSA PRIVATE KEY", lambda: DER_DSA + r.randbytes(432), 64),
    ]
    for shape, label, der, width in specs:
        for variant in ("cat", "yaml"):
            lines = _wrap(_b64(der()), width)
            if variant == "cat":
                body = "\n".join(lines)
                text = (f"$ cat deploy/id_{shape.split('_')[0]}\n-----BEGIN {label}-----\n{body}\n"
                        f"-----END {label}-----\n$ ")
            else:
                body = "\n      ".join(lines)
                text = (f"ssl:\n  key: |\n      -----BEGIN {label}-----\n      {body}\n"
                        f"      -----END {label}-----\n  port: 8443")
            out.append((shape, text, body))
    # An RSA key with legacy OpenSSL encryption headers.
    lines = _wrap(_b64(r.randbytes(1192)))
    body = "\n".join(lines)
    out.append(("rsa_private_key_encrypted_legacy",
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"
                f"{_rs(r, HEXU, 32)}\n\n{body}\n-----END RSA PRIVATE KEY-----", body))
    # OpenPGP secret key armour with its CRC24 line.
    for _ in range(2):
        raw = bytes((0x95, 0x07, 0x46, 0x04)) + r.randbytes(1860)
        lines = _wrap(_b64(raw))
        body = "\n".join(lines) + "\n=" + _b64(_crc24(raw).to_bytes(3, "big"))
        text = ("-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: release signing subkey\n\n" + body
                + "\n-----END PGP PRIVATE KEY BLOCK-----")
        out.append(("pgp_private_key", text, body))
    # PuTTY .ppk: the Private-Lines are the secret.
    pub = _wrap(_b64(SSH_ED_HDR + r.randbytes(32)))
    priv = _wrap(_b64(b"\x00\x00\x00\x20" + r.randbytes(32)))
    body = "\n".join(priv)
    out.append(("putty_private_key", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: "
                f"deploy@build\nPublic-Lines: {len(pub)}\n" + "\n".join(pub)
                + f"\nPrivate-Lines: {len(priv)}\n"
                + body + f"\nPrivate-MAC: {_rs(r, HEX, 64)}", body))
    # SSH private keys inside JSON strings (escaped newlines).
    for key in ("ssh_private_key", "deploy_key"):
        lines = _wrap(_b64(_openssh_der(r)), 70)
        pem = ("-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(lines)
               + "\n-----END OPENSSH PRIVATE KEY-----\n")
        out.append(("ssh_private_key_in_json", json.dumps({"name": "prod-bastion", "user": "ubuntu",
                                                           key: pem, "port": 22}), "\\n".join(lines)))
    # kubeconfig client-key-data: base64 of a whole PEM.
    for _ in range(2):
        key_pem = ("-----BEGIN RSA PRIVATE KEY-----\n" + "\n".join(_wrap(_b64(DER_RSA + r.randbytes(1180))))
                   + "\n-----END RSA PRIVATE KEY-----\n")
        cert_pem = ("-----BEGIN CERTIFICATE-----\n" + "\n".join(_wrap(_b64(DER_CERT + r.randbytes(400))))
                    + "\n-----END CERTIFICATE-----\n")
        kd = _b64(key_pem.encode())
        text = (f"users:\n- name: kind-dev\n  user:\n    client-certificate-data: {_b64(cert_pem.encode())}\n"
                f"    client-key-data: {kd}")
        out.append(("kubeconfig_client_key_data", text, kd))
    return out


# --------------------------------------------------------------------------- JWTs and headers


def _jwts(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    iat = r.randint(1700000000, 1720000000)
    for tpl in ("SUPABASE_SERVICE_ROLE_KEY={s}", 'const supabase = createClient(SUPABASE_URL, "{s}");'):
        s = _jwt(r, {"iss": "supabase", "ref": _rs(r, LO, 20), "role": "service_role", "iat": iat,
                     "exp": iat + 315360000})
        out.append(("supabase_service_role_jwt", tpl.format(s=s), s))
    for tpl in ("Authorization: Bearer {s}", "Cookie: session={s}; Path=/; HttpOnly",
                '{{"access_token": "{s}", "token_type": "Bearer", "expires_in": 3600}}',
                "localStorage.setItem('auth', '{s}')"):
        s = _jwt(r, {"sub": _digits(r, 8), "email": "dana@example.com", "scope": "read write",
                     "iat": iat, "exp": iat + 3600})
        out.append(("jwt_generic", tpl.format(s=s), s))
    for _ in range(2):
        s = _jwt(r, {"iss": "https://acme.eu.auth0.com/", "sub": _rs(r, ALNUM, 32) + "@clients",
                     "aud": "https://acme.eu.auth0.com/api/v2/", "iat": iat, "exp": iat + 86400,
                     "gty": "client-credentials"}, "RS256", kid=True)
        out.append(("auth0_management_jwt", f"AUTH0_MGMT_TOKEN={s}", s))
    for _ in range(2):
        s = _jwt(r, {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": "ci",
                     "kubernetes.io/serviceaccount/service-account.name": "deployer",
                     "sub": "system:serviceaccount:ci:deployer"}, "RS256", kid=True)
        out.append(("kubeconfig_token", f"users:\n- name: deployer\n  user:\n    token: {s}", s))
    for tpl in ("> Authorization: Bearer {s}", 'fetch(url, {{ headers: {{ Authorization: "Bearer {s}" }} }})',
                "ERROR 2024-04-11 upstream rejected request (Authorization: Bearer {s}): 403"):
        s = _rs(r, ALNUM + "-_.", r.randint(36, 64))
        out.append(("bearer_opaque_token", tpl.format(s=s), s))
    for tpl in ("Authorization: Basic {s}", 'requests.get(url, headers={{"Authorization": "Basic {s}"}})',
                "proxy_set_header Authorization \"Basic {s}\";"):
        s = _b64(f"{r.choice(('admin', 'deploy', 'svc-ci'))}:{_pw(r)}".encode())
        out.append(("basic_auth_header", tpl.format(s=s), s))
    for _ in range(2):
        s = _rs(r, ALNUM, 40)
        out.append(("x_api_key_header", f"curl -H 'x-api-key: {s}' https://{r.choice(HOSTS)}/v1/items", s))
    return out


# --------------------------------------------------------------------------- URLs with passwords


def _urls(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    specs = [
        ("postgres_url", ("DATABASE_URL=postgres://app_user:{p}@db.prod.internal:5432/app?sslmode=require",
                          "engine = create_engine(\"postgresql+psycopg2://etl:{p}@10.0.4.12/warehouse\")",
                          "2024-03-04 10:00:01 INFO connecting to postgresql://report:{p}@pg-replica:5432/bi")),
        ("mysql_url", ("DB_URL=mysql://root:{p}@127.0.0.1:3306/shop",
                       "SQLALCHEMY_DATABASE_URI = 'mysql+pymysql://shop:{p}@mysql.internal/shop?charset=utf8mb4'")),
        ("mongodb_url", ("MONGO_URI=mongodb+srv://admin:{p}@cluster0.ab1cd.mongodb.net/?retryWrites=true&w=majority",
                         "mongoose.connect('mongodb://api:{p}@mongo-0.mongo:27017,mongo-1.mongo:27017/app')")),
        ("redis_url", ("REDIS_URL=redis://:{p}@redis-12345.c1.us-east-1-2.ec2.cloud.redislabs.com:12345/0",
                       "CELERY_BROKER_URL = \"rediss://default:{p}@cache.acme.io:6380/1\"")),
        ("amqp_url", ("AMQP_URL=amqps://orders:{p}@b-1f2e.mq.us-east-1.amazonaws.com:5671",
                      "pika.URLParameters('amqp://worker:{p}@rabbitmq:5672/%2F')")),
        ("snowflake_url", ("SNOWFLAKE_URL=snowflake://ETL_USER:{p}@xy12345.eu-central-1/ANALYTICS/PUBLIC"
                           "?warehouse=COMPUTE_WH",)),
        ("mssql_connection_string", ("\"Default\": \"Server=tcp:acme-sql.database.windows.net,1433;Initial "
                                     "Catalog=orders;User ID=sqladmin;Password={p};Encrypt=True;\"",)),
        ("jdbc_url_password", ("spring.datasource.url=jdbc:postgresql://db:5432/app?user=app&password={p}",)),
        ("ftp_url", ("lftp -e 'mirror -R dist/' ftp://deploy:{p}@ftp.example-host.com/public_html",)),
        ("smtp_url", ("EMAIL_URL=smtp+tls://mailer:{p}@smtp.mailgun.org:587",)),
        ("git_https_credentials", ("git clone https://oauth2:{p}@gitlab.example.com/acme/infra.git",
                                   "[remote \"origin\"]\n\turl = https://ci-bot:{p}@git.acme.io/acme/app.git")),
    ]
    for shape, tpls in specs:
        for tpl in tpls:
            p = _url_pw(r)
            out.append((shape, tpl.format(p=p), p))
    return out


# --------------------------------------------------------------------------- tool config files


def _config_files(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    for tpl in ("curl -u admin:{p} https://jenkins.acme.io/api/json?pretty=true",
                'curl --user "deploy:{p}" -X PUT --data-binary @app.tgz https://nexus.acme.io/repository/raw/',
                "curl -fsSL -u ci:{p} https://artifactory.acme.io/artifactory/api/system/ping"):
        p = _pw(r, "-_.!%")
        out.append(("curl_user_password", tpl.format(p=p), p))
    for tpl in ("machine github.com\n  login octocat\n  password {p}",
                "machine api.heroku.com login dana@example.com password {p}"):
        p = _pw(r, "-_.!%")
        out.append(("netrc_password", tpl.format(p=p), p))
    raw = b"\x02\x01\x08pypi.org\x02\x25\x08\x01\x12\x20" + r.randbytes(120)
    tok = "pypi-" + _b64u(raw)
    out.append(("pypirc_password", f"[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\n"
                                   f"password = {tok}", tok))
    p = _pw(r)
    out.append(("pypirc_password", f"[internal]\nrepository = https://pypi.acme.io/simple/\nusername = ci\n"
                                   f"password = {p}", p))
    t = _checksummed("npm_")(r)
    out.append(("npmrc_auth_token", f"//registry.npmjs.org/:_authToken={t}\nalways-auth=true", t))
    t = _checksummed("ghp_")(r)
    out.append(("npmrc_auth_token", f"@acme:registry=https://npm.pkg.github.com\n"
                                    f"//npm.pkg.github.com/:_authToken={t}", t))
    t = _uuid(r)
    out.append(("npmrc_legacy_uuid_token", f"//registry.npmjs.org/:_authToken={t}", t))
    a = _b64(f"ci:{_pw(r)}".encode())
    out.append(("npmrc_basic_auth", f"registry=https://artifactory.acme.io/api/npm/npm/\n_auth={a}\n"
                                    "email=ci@acme.io", a))
    a = _b64(_pw(r).encode())
    out.append(("npmrc_basic_auth", f"//nexus.acme.io/repository/npm/:_password={a}", a))
    for tpl in ("docker login -u ci-bot -p {p} registry.acme.io",
                "$ docker login --username deploy --password {p} ghcr.io\n"
                "WARNING! Using --password via the CLI "
                "is insecure. Use --password-stdin."):
        p = _pw(r, "-_.!%")
        out.append(("docker_login_password", tpl.format(p=p), p))
    for _ in range(2):
        a = _b64(f"ci-bot:{_pw(r)}".encode())
        text = json.dumps({"auths": {"https://index.docker.io/v1/": {"auth": a}}}, indent=2)
        out.append(("docker_config_auth", text, a))
    # Password hashes.
    for tpl in ("admin:{h}", "echo 'deploy:{h}' >> /etc/nginx/.htpasswd"):
        h = "$apr1$" + _rs(r, CRYPT, 8) + "$" + _rs(r, CRYPT, 22)
        out.append(("htpasswd_apr1", tpl.format(h=h), h))
    for tpl in ("ops:{h}", "  auth: \"monitor:{h}\""):
        h = "$2y$05$" + _rs(r, CRYPT, 53)
        out.append(("htpasswd_bcrypt", tpl.format(h=h), h))
    h = "$6$" + _rs(r, CRYPT, 16) + "$" + _rs(r, CRYPT, 86)
    out.append(("shadow_sha512crypt", f"root:{h}:19700:0:99999:7:::", h))
    return out


# --------------------------------------------------------------------------- generic assignments


def _generic(r: random.Random) -> list[Triple]:
    out: list[Triple] = []
    groups: list[tuple[str, tuple[str, ...], Callable[[], str], int]] = [
        ("generic_password", ("DB_PASSWORD", "PASSWORD", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD",
                              "ADMIN_PASSWORD", "SMTP_PASSWORD", "REDIS_PASSWORD"), lambda: _pw(r), 12),
        ("generic_api_key", ("API_KEY", "SERVICE_API_KEY", "X_API_KEY", "PARTNER_API_KEY"),
         lambda: _rs(r, ALNUM, r.randint(32, 48)), 8),
        ("generic_client_secret", ("CLIENT_SECRET", "OAUTH_CLIENT_SECRET", "OIDC_CLIENT_SECRET"),
         lambda: _rs(r, B64URL, 40), 5),
        ("generic_access_token", ("ACCESS_TOKEN", "AUTH_TOKEN", "API_TOKEN", "SERVICE_TOKEN"),
         lambda: _rs(r, ALNUM + "-_", r.randint(32, 56)), 6),
        ("jwt_signing_secret", ("JWT_SECRET", "JWT_SIGNING_KEY"), lambda: _rs(r, HEX, 64), 4),
        ("webhook_signing_secret", ("WEBHOOK_SECRET", "GITHUB_WEBHOOK_SECRET"), lambda: _rs(r, ALNUM, 40), 3),
        ("encryption_key_b64", ("ENCRYPTION_KEY", "FERNET_KEY", "APP_KEY"),
         lambda: _b64u(r.randbytes(32)) + "=", 4),
        ("django_secret_key", ("SECRET_KEY", "DJANGO_SECRET_KEY"),
         lambda: r.choice(("", "django-insecure-")) + _rs(r, LO + DIG + "!@#%^&*(-_=+)", 50), 5),
        ("flask_secret_key", ("SECRET_KEY", "FLASK_SECRET_KEY"), lambda: _rs(r, HEX, 64), 3),
    ]
    for shape, names, gen, n in groups:
        for form in r.sample(KW_FORMS, n):
            s = gen()
            out.append((shape, _assign(r, form, r.choice(names), s), s))
    # Hand-written contexts that are not NAME=value.
    p = _pw(r)
    out.append(("generic_password", f"spring:\n  datasource:\n    url: jdbc:mysql://db:3306/app\n"
                                    f"    username: app\n    password: {p}", p))
    p = _pw(r)
    out.append(("generic_password", f'psql: error: connection to server failed: FATAL: password '
                                    f'authentication failed for user "app" (tried password "{p}")', p))
    p = _pw(r)
    out.append(("generic_password", f"mysql -h db.internal -u root -p{p} -e 'SHOW DATABASES'", p))
    p = _pw(r)
    out.append(("generic_password", f"    db := sql.Open(\"postgres\", \"host=db user=app password={p} "
                                    "dbname=app sslmode=disable\")", p))
    p = _pw(r)
    out.append(("generic_password", f"{_ts(r)} DEBUG login attempt payload={{\"username\": \"dana\", "
                                    f"\"password\": \"{p}\"}}", p))
    p = _pw(r)
    out.append(("generic_password", f"the staging admin password is {p} (please don't share)", p))
    s = _rs(r, B64URL, 43)
    out.append(("oauth_token_response", json.dumps({"access_token": s, "token_type": "Bearer",
                                                    "expires_in": 3599, "scope": "read:org"}), s))
    s = _rs(r, B64URL, 64)
    out.append(("oauth_token_response", json.dumps({"access_token": _rs(r, B64URL, 43),
                                                    "refresh_token": s, "expires_in": 3600}), s))
    s = _rs(r, ALNUM, 40)
    out.append(("generic_access_token", f"{_ts(r)} INFO  GET /callback?code=abc&access_token={s}"
                                        "&state=xyz 302", s))
    return out


def _secret_triples(r: random.Random) -> list[Triple]:
    return (_aws(r) + _azure(r) + _gcp_sa(r) + _simple(r) + _structured(r) + _pem_cases(r) + _jwts(r)
            + _urls(r) + _config_files(r) + _generic(r))


# --------------------------------------------------------------------------- benign cases


def _benign(r: random.Random) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []

    def add(shape: str, *texts: str) -> None:
        for t in texts:
            out.append((shape, t))

    def sha() -> str:
        return _rs(r, HEX, 40)

    def h64() -> str:
        return _rs(r, HEX, 64)

    msgs = ("Fix flaky retry test", "Bump lodash from 4.17.20 to 4.17.21", "Add token bucket rate limiter",
            "Refactor password reset flow", "Rotate secrets in staging docs", "Update README")
    for _ in range(4):
        s = sha()
        add("git_commit_sha",
            f"commit {s}\nAuthor: Dana Lee <dana@example.com>\nDate:   Tue Mar 5 10:11:12 2024 +0100",
            f"commit {s} (HEAD -> main, origin/main)", f"$ git rev-parse HEAD\n{sha()}",
            f'  "sha": "{sha()}",\n  "node_id": "C_kwDOA{_rs(r, ALNUM, 20)}",')
    for _ in range(4):
        a, b = _rs(r, HEX, 7), _rs(r, HEX, 7)
        add("git_short_sha", f"{a} {r.choice(msgs)}", f"pick {a} {r.choice(msgs)}",
            f"index {a}..{b} 100644", f"HEAD is now at {b} {r.choice(msgs)}",
            f"[main {a}] {r.choice(msgs)}\n 3 files changed, 41 insertions(+), 7 deletions(-)")
    for _ in range(3):
        add("uuid", f"request_id={_uuid(r)} status=200 duration_ms=42",
            f"Created job {_uuid(r)} in queue default",
            f'{{"id": "{_uuid(r)}", "object": "run", "status": "completed"}}',
            f"/subscriptions/{_uuid(r)}/resourceGroups/rg-prod/providers/Microsoft.Web/sites/acme-api",
            f"  uid: {_uuid(r)}\n  resourceVersion: \"{_digits(r, 8)}\"",
            f"https://app.example.com/projects/{_uuid(r)}/settings/general")
    for _ in range(2):
        add("sha256_digest", f"{h64()}  node-v20.11.1-linux-x64.tar.xz",
            f'  sha256 "{h64()}"', f'    sha256 = "{h64()}",',
            f"requests==2.31.0 \\\n    --hash=sha256:{h64()}",
            f"version https://git-lfs.github.com/spec/v1\noid sha256:{h64()}\nsize {_digits(r, 7)}",
            f'"sha256": "{h64()}"')
    for _ in range(3):
        add("npm_integrity", f'      "integrity": "sha512-{_b64(r.randbytes(64))}",',
            f'  integrity sha512-{_b64(r.randbytes(64))}',
            f"    resolution: {{integrity: sha512-{_b64(r.randbytes(64))}}}",
            f'<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js" '
            f'integrity="sha384-{_b64(r.randbytes(48))}" crossorigin="anonymous"></script>')
    for pkg in ("requests-2.31.0-py3-none-any.whl", "certifi-2024.2.2.tar.gz", "idna-3.6-py3-none-any.whl",
                "urllib3-2.2.1-py3-none-any.whl",
                "charset_normalizer-3.3.2-cp312-cp312-manylinux_2_17_x86_64.whl"):
        add("poetry_lock_hash", f'    {{file = "{pkg}", hash = "sha256:{h64()}"}},')
    for crate in ("serde", "tokio", "anyhow", "regex", "syn"):
        add("cargo_lock_checksum", f'[[package]]\nname = "{crate}"\nversion = "1.0.{r.randint(1, 200)}"\n'
                                   f'source = "registry+https://github.com/rust-lang/crates.io-index"\n'
                                   f'checksum = "{h64()}"')
    for mod in ("github.com/stretchr/testify v1.9.0", "golang.org/x/sys v0.18.0",
                "github.com/google/uuid v1.6.0",
                "gopkg.in/yaml.v3 v3.0.1", "github.com/spf13/cobra v1.8.0"):
        add("go_sum", f"{mod} h1:{_b64(r.randbytes(32))}", f"{mod}/go.mod h1:{_b64(r.randbytes(32))}")
    for _ in range(2):
        add("docker_digest", f"FROM python:3.12-slim@sha256:{h64()}", f"Digest: sha256:{h64()}",
            f"docker pull ghcr.io/acme/api@sha256:{h64()}", f"        image: nginx@sha256:{h64()}",
            f"Successfully built {_rs(r, HEX, 12)}",
            f'{{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "sha256:{h64()}", '
            f'"size": {r.randint(400, 3000)}}}')
    for _ in range(2):
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + r.randbytes(r.randint(60, 180))
        woff = b"wOF2\x00\x01\x00\x00" + r.randbytes(r.randint(120, 300))
        gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + r.randbytes(20)
        add("css_data_uri", f".icon-check {{ background-image: url(data:image/png;base64,{_b64(png)}); }}",
            f"@font-face {{ font-family: 'Inter'; src: "
            f"url(data:font/woff2;base64,{_b64(woff)}) format('woff2'); }}",
            f'<img alt="" src="data:image/gif;base64,{_b64(gif)}">')
    for _ in range(3):
        add("hex_colour", f"  color: #{_rs(r, HEX, 6)};", f"  --brand-primary: #{_rs(r, HEXU, 6)};",
            f'<path fill="#{_rs(r, HEX, 3)}" d="M0 0h24v24H0z"/>', f'  "background": "#{_rs(r, HEX, 8)}",')
    for _ in range(2):
        acct = _digits(r, 12)
        add("aws_arn_account", f"arn:aws:iam::{acct}:role/github-actions-deploy",
            f"arn:aws:lambda:us-east-1:{acct}:function:thumbnailer",
            f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:prod/db/credentials-{_rs(r, ALNUM, 6)}",
            f'{{"UserId": "AIDA{_rs(r, B32, 17)}", "Account": "{acct}", '
            f'"Arn": "arn:aws:iam::{acct}:user/ci"}}',
            f"{acct}.dkr.ecr.us-east-1.amazonaws.com/acme/api:1.8.0",
            f"arn:aws:kms:us-east-1:{acct}:key/{_uuid(r)}")
    add("s3_url", "s3://acme-data-lake/raw/2024/05/01/events.parquet",
        "https://acme-assets.s3.eu-west-1.amazonaws.com/img/logo@2x.png",
        "aws s3 sync ./build s3://acme-web-prod --delete --cache-control max-age=31536000",
        "https://s3.amazonaws.com/acme-public/releases/v2.3.1/acme-cli-linux-amd64.tar.gz")
    add("placeholder",
        "OPENAI_API_KEY=YOUR_API_KEY", "export GITHUB_TOKEN=<token>", "api_key: xxx",
        "          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}", "    password: ${DB_PASSWORD}",
        'api_key = os.environ["OPENAI_API_KEY"]', "const stripe = new Stripe(process.env.STRIPE_KEY);",
        'token = "<your-token-here>"', "AWS_SECRET_ACCESS_KEY=your-secret-access-key",
        '  "password": "********",', '    password: "{{ vault_db_password }}"',
        'curl -H "Authorization: Bearer $TOKEN" https://api.github.com/user',
        '-H "Authorization: Bearer ${API_TOKEN}"',
        'curl -u "$JENKINS_USER:$JENKINS_TOKEN" "$JENKINS_URL/api/json"',
        'echo "$DOCKER_PASSWORD" | docker login -u "$DOCKER_USER" --password-stdin',
        'password = getpass.getpass("Password: ")', "SLACK_BOT_TOKEN=xoxb-your-token",
        "Set OPENAI_API_KEY to your key (it starts with sk-...).", 'api_key: "REPLACE_ME"',
        "DATABASE_URL=postgres://user:password@localhost:5432/mydb", "          token: ${{ github.token }}",
        "  password: {{ .Values.postgresql.auth.password | quote }}",
        "        valueFrom:\n          secretKeyRef:\n            name: db-secret\n            key: password",
        '  "apiKey": "<API_KEY>",', "AZURE_CLIENT_SECRET=<client-secret>", "PASSWORD=", "token = None",
        "api_key = settings.STRIPE_API_KEY",
        "          key: ${{ runner.os }}-pip-${{ hashFiles('**/requirements.txt') }}",
        "ANTHROPIC_API_KEY=sk-ant-...", "HF_TOKEN=hf_xxx", "export AWS_ACCESS_KEY_ID=...",
        "SECRET_KEY=os.getenv('SECRET_KEY')", "  secret_key: !env_var SECRET_KEY",
        'TOKEN="${TOKEN:?TOKEN must be set}"', "password => $ENV{'DB_PASS'},",
        "GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}", "api_key = ENV.fetch('SENDGRID_API_KEY')",
        "# export STRIPE_SECRET_KEY=sk_live_REPLACE_WITH_YOUR_KEY")
    add("identifier_name",
        "token: Token = lexer.next()", "password_field = forms.CharField(widget=forms.PasswordInput)",
        "def get_secret_key(self) -> str:", "class TokenBucketRateLimiter:",
        'api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)', "max_tokens=1024,",
        "tokens = tokenizer.encode(text, add_special_tokens=False)",
        'if not password:\n    raise ValueError("password is required")',
        "func (s *Store) RotateSecret(ctx context.Context, secretID string) error {",
        "const [apiKey, setApiKey] = useState<string>('');",
        "interface AccessTokenResponse { expiresIn: number }",
        "self.refresh_token_expiry = timedelta(days=30)",
        "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']",
        "password_min_length = 12", '"token_type": "bearer",', "  PasswordAuthentication no",
        "secret_scanning: enabled", "def verify_password(plain: str, hashed: str) -> bool:",
        "let secretManagerClient = SecretManagerServiceClient::new().await?;",
        "token = next(self._tokens)", "assert resp.json()['token_type'] == 'Bearer'",
        "private static final String API_KEY_HEADER = \"X-Api-Key\";",
        "public_key_pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)",
        "      - name: Configure AWS credentials\n        uses: aws-actions/configure-aws-credentials@v4",
        "SECRET_NAME = \"prod/db/password\"", 'TOKEN_RE = re.compile(r"ghp_[A-Za-z0-9]{36}")',
        "type PasswordResetToken = Brand<string, 'PasswordResetToken'>;")
    add("url_user_no_password", "git clone git@github.com:acme/infra.git", "ssh://git@gitlab.example.com:2222/acme/app.git",
        "https://dana@bitbucket.org/acme/web.git", "postgresql://app@db.internal:5432/app",
        "ftp://anonymous@ftp.gnu.org/gnu/", "sftp://deploy@files.example.com/uploads")
    add("local_db_url", "postgres://localhost/db", "DATABASE_URL=postgresql://localhost:5432/test_app",
        "REDIS_URL=redis://localhost:6379/0", "mongodb://mongo:27017/test", "amqp://rabbitmq:5672/",
        "sqlite:///./data/app.db", "mysql://localhost/shop_dev")
    for _ in range(2):
        add("test_id", f"tests/test_parser.py::test_roundtrip[case-{_rs(r, HEX, 8)}] PASSED",
            f"run_id: {_rs(r, LOALNUM, 12)}", f'  "testCaseId": "TC-{_digits(r, 5)}",',
            f"pytest -p randomly -p no:cacheprovider --randomly-seed={_digits(r, 10)}",
            f"=== RUN   TestHandler/{_rs(r, LOALNUM, 10)}\n--- PASS: TestHandler ({r.randint(1, 90) / 100}s)")
    for _ in range(2):
        add("snapshot_hash", f'exports[`Button renders primary 1`] = `"{_rs(r, HEX, 32)}"`;',
            f'    assert digest == "{h64()}"', f'expect(hash(output)).toBe("{_rs(r, HEX, 40)}");',
            f'  "contentHash": "{_rs(r, HEX, 20)}",', f"# snapshot: {_rs(r, HEX, 16)}")
    add("camelcase_identifier", "AbstractSingletonProxyFactoryBeanConfigurationManager",
        "NSLayoutConstraintAttributeLeadingMarginRelationGreaterThanOrEqual",
        "InternalFrameInternalFrameTitlePaneInternalFrameTitlePaneMaximizeButtonPainter",
        "class HttpClientConnectionManagerSocketFactoryRegistryBuilder:",
        "useSuspenseQueryWithOptimisticUpdatesAndRollbackOnError()",
        "TransactionAwarePersistenceManagerFactoryProxyInvocationHandler")
    for _ in range(2):
        v = [_rs(r, LO, 1) + _rs(r, ALNUM, r.randint(1, 3)) for _ in range(8)]
        add("minified_js",
            f"!function(e,t){{\"object\"==typeof exports?module.exports=t():e.{v[0]}=t()}}(this,function()"
            f"{{var {v[1]}={{}};"
            f"function {v[2]}(n){{return {v[1]}[n]||({v[1]}[n]={v[3]}(n))}}return {v[2]}}});",
            f"var {v[4]}={v[5]}({v[6]},{v[7]}),{v[0]}=Object.assign({{}},{v[4]},{{k:{r.randint(1, 99)}}});",
            f'(self.webpackChunkapp=self.webpackChunkapp||[]).push([[{_digits(r, 3)}],{{{_digits(r, 5)}:'
            f'(e,t,n)=>{{"use strict";n.d(t,{{Z:()=>{v[3]}}})}}}}]);')
    add("long_number", f'  "tweet_id": {_digits(r, 19)},', f"epoch_ms={_digits(r, 13)}",
        "2**127 - 1 = 170141183460469231731687303715884105727", f'"size": {_digits(r, 9)},',
        f"Order #{_digits(r, 12)} shipped", f"INSERT INTO events VALUES ({_digits(r, 18)}, 'click');")
    add("version_string", "numpy==1.26.4", "v2.3.1-rc.2+build.5e3f2a1", "go 1.22.3", "node v20.11.1",
        "Python 3.12.2 (main, Feb  6 2024, 20:19:44) [GCC 12.2.0] on linux", "openssl 3.0.13 30 Jan 2024",
        "kubectl version: Client Version: v1.29.2, Kustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3",
        "pydantic-core 2.16.3", "@types/node@20.11.30", "Chrome/122.0.6261.112 Safari/537.36")
    for _ in range(2):
        raw = bytes((0x99, 0x02, 0x0D, 0x04)) + r.randbytes(600)
        body = "\n".join(_wrap(_b64(raw))) + "\n=" + _b64(_crc24(raw).to_bytes(3, "big"))
        add("pgp_public_key_block", f"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{body}\n"
                                    "-----END PGP PUBLIC KEY BLOCK-----")
    raw = bytes((0x89, 0x02, 0x33, 0x04, 0x00)) + r.randbytes(560)
    body = "\n".join(_wrap(_b64(raw))) + "\n=" + _b64(_crc24(raw).to_bytes(3, "big"))
    add("pgp_signature", f"gpgsig -----BEGIN PGP SIGNATURE-----\n \n {body.replace(chr(10), chr(10) + ' ')}\n"
                         " -----END PGP SIGNATURE-----")
    for _ in range(2):
        ed = _b64(SSH_ED_HDR + r.randbytes(32))
        rsa = _b64(b"\x00\x00\x00\x07ssh-rsa\x00\x00\x00\x03\x01\x00\x01\x00\x00\x01\x01\x00"
                   + r.randbytes(256))
        ec = _b64(b"\x00\x00\x00\x13ecdsa-sha2-nistp256\x00\x00\x00\x08nistp256\x00\x00\x00\x41\x04"
                  + r.randbytes(64))
        add("ssh_public_key", f"ssh-ed25519 {ed} dana@laptop", f"ssh-rsa {rsa} deploy@ci",
            f"github.com ecdsa-sha2-nistp256 {ec}",
            f'command="/usr/local/bin/backup",no-pty ssh-ed25519 {_b64(SSH_ED_HDR + r.randbytes(32))} backup')
    for _ in range(2):
        body = "\n".join(_wrap(_b64(DER_CERT + r.randbytes(r.randint(700, 900)))))
        add("public_certificate", f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----")
    body = "\n".join(_wrap(_b64(DER_PUB + r.randbytes(256) + b"\x02\x03\x01\x00\x01")))
    add("public_key_pem", f"-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----")
    body = "\n".join(_wrap(_b64(bytes.fromhex("3082029c30820184020100") + r.randbytes(640))))
    add("certificate_request", f"-----BEGIN CERTIFICATE REQUEST-----\n{body}\n"
                               "-----END CERTIFICATE REQUEST-----")
    add("jwt_header_doc",
        "A JWT header such as eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9 decodes to "
        "{\"alg\":\"HS256\",\"typ\":\"JWT\"}.",
        "The first segment, `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9`, is just base64url JSON.",
        "Tokens always start with eyJ because that is base64 for '{\"'.",
        "| header | eyJhbGciOiJFUzI1NiJ9 | {\"alg\":\"ES256\"} |")
    add("prose",
        "Rotate your API tokens every 90 days and never paste them into chat.",
        "The password must be at least 12 characters and include a digit.",
        "Never commit secrets to git; store them in the vault and reference them by name.",
        "The tokenizer splits 'password' into two tokens, which inflates the count.",
        "I reset my password yesterday and now the 2FA prompt loops forever.",
        "Secret scanning flagged the fixture file, but it only contains placeholder keys.",
        "Use a personal access token instead of your account password when pushing over HTTPS.",
        "Our API key rotation job failed because the Secrets Manager role lacked kms:Decrypt.",
        "Bearer tokens are sent in the Authorization header; basic auth uses base64 of user:pass.",
        "The private key never leaves the HSM; only the public certificate is distributed.",
        "Please send the access key id to the security team, not the secret itself.",
        "Login failed: invalid username or password.")
    for _ in range(2):
        add("k8s_names", f"pod/web-{_rs(r, LOALNUM, 10)}-{_rs(r, LOALNUM, 5)}   1/1     Running   0   3d",
            f"replicaset.apps/api-{_rs(r, HEX, 10)} scaled to 3",
            f"  pod-template-hash: {_rs(r, LOALNUM, 10)}")
    for pkg in ("python3-3.11.8", "openssl-3.0.13", "glibc-2.38-44", "nodejs-20.11.1"):
        add("nix_store_path", f"/nix/store/{_rs(r, '0123456789abcdfghijklmnpqrsvwxyz', 32)}-{pkg}")
    for _ in range(2):
        add("build_asset_hash", f"dist/assets/index-{_rs(r, B64URL, 8)}.js   142.31 kB │ gzip: 45.80 kB",
            f"static/js/main.{_rs(r, HEX, 8)}.js", f"  /_next/static/chunks/pages/_app-{_rs(r, HEX, 16)}.js")
    for _ in range(2):
        add("http_ids", f'ETag: "{_rs(r, HEX, 40)}"', f"X-Request-Id: {_uuid(r)}",
            f"traceparent: 00-{_rs(r, HEX, 32)}-{_rs(r, HEX, 16)}-01",
            f"x-amz-request-id: {_rs(r, UPALNUM, 16)}\nx-amz-id-2: {_b64(r.randbytes(57))}",
            f"CF-RAY: {_rs(r, HEX, 16)}-FRA")
    for _ in range(2):
        add("cloud_resource_id", f"i-0{_rs(r, HEX, 16)}", f"vpc-0{_rs(r, HEX, 16)}  10.0.0.0/16  available",
            f'ami_id = "ami-0{_rs(r, HEX, 16)}"', f"sg-0{_rs(r, HEX, 16)} allows 443/tcp from 0.0.0.0/0",
            f"projects/acme-prod-{_digits(r, 6)}/locations/europe-west1/services/api")
    for _ in range(2):
        add("csp_hash", f"Content-Security-Policy: script-src 'self' 'sha256-{_b64(r.randbytes(32))}'",
            f"<script nonce=\"{_b64(r.randbytes(16))}\">window.__INITIAL_STATE__={{}}</script>")
    add("stripe_object_id", f"cus_{_rs(r, ALNUM, 14)}",
        f'{{"id": "ch_3{_rs(r, ALNUM, 23)}", "object": "charge"}}',
        f"evt_1{_rs(r, ALNUM, 23)} payment_intent.succeeded", f"pi_3{_rs(r, ALNUM, 23)}")
    add("slack_ids", f'{{"channel": "C{_rs(r, UPALNUM, 8)}", "user": "U{_rs(r, UPALNUM, 10)}", '
                     f'"ts": "{_digits(r, 10)}.{_digits(r, 6)}"}}', f"team_id=T{_rs(r, UPALNUM, 8)}")
    for text in ("# Acme API\n\nInternal service for billing.\n", "MIT License\n\nCopyright (c) 2024 Acme\n",
                 "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"):
        add("base64_plain_content", json.dumps({"name": "README.md", "encoding": "base64",
                                                "content": _b64(text.encode())}))
    add("base64_plain_content", f"echo {_b64(b'hello world')} | base64 -d")
    for _ in range(2):
        add("hash_tool_output", f"{_rs(r, HEX, 32)}  dist/app.zip", f"{_rs(r, HEX, 40)}  README.md",
            f"$ git hash-object package.json\n{sha()}", f"Content-MD5: {_b64(r.randbytes(16))}")
    for _ in range(2):
        fp = _rs(r, HEXU, 40)
        add("gpg_fingerprint", f"pub   rsa4096 2021-01-01 [SC]\n      {fp}\n"
                               "uid  [ultimate] Dana <dana@example.com>",
            f"gpg --keyserver keys.openpgp.org --recv-keys 0x{_rs(r, HEXU, 16)}",
            "Key fingerprint = " + " ".join(fp[i:i + 4] for i in range(0, 40, 4)))
    add("memory_address", f"<app.models.User object at 0x7f{_rs(r, HEX, 10)}>",
        f"#3  0x0000{_rs(r, HEX, 12)} in PyEval_EvalFrameDefault ()",
        f"panic: runtime error: invalid memory address [signal SIGSEGV: segmentation violation addr=0x0 "
        f"pc=0x{_rs(r, HEX, 6)}]")
    add("lockfile_misc", '      "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz",',
        f'            "shasum": "{sha()}"', f'      "contentHash": "{_b64(r.randbytes(64))}",',
        f'  hashes = [\n    "h1:{_b64(r.randbytes(32))}",\n    "zh:{h64()}",\n  ]')
    add("drive_and_media_ids", f"https://drive.google.com/file/d/1{_rs(r, B64URL, 32)}/view?usp=sharing",
        f"https://www.youtube.com/watch?v={_rs(r, B64URL, 11)}",
        f"https://docs.google.com/spreadsheets/d/1{_rs(r, B64URL, 43)}/edit#gid=0")
    add("sourcemap", '{"version":3,"sources":["src/index.ts"],"names":["main","args"],"mappings":"AAAA,SAASA,'
                     'IAAI,CAACC,IAAc,EAAE;AACnB,OAAO,CAAC,GAAG,CAACA,IAAI,CAAC,CAAC;AACpB,CAAC"}')
    add("hexdump", f"00000000: 7f45 4c46 0201 0100 0000 0000 0000 0000  .ELF............\n"
                   f"00000010: 0300 3e00 0100 0000 {_rs(r, HEX, 4)} {_rs(r, HEX, 4)} 0000 0000  "
                   "..>.....@.......")
    add("wheel_and_build_names",
        "charset_normalizer-3.3.2-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        f"libgcc-ng-13.2.0-h807b86a_5.conda  py311h{_rs(r, HEX, 7)}_0",
        f"Go build ID: \"{_rs(r, B64URL, 20)}/"
                                                                     f"{_rs(r, B64URL, 20)}\"")
    add("ipv6_mac", "fe80::1ff:fe23:4567:890a%eth0", "link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff")
    add("benign_log_line", f"{_ts(r)} INFO  token refresh scheduled in 3600s for client_id=web-frontend",
        f"{_ts(r)} DEBUG password policy loaded: min_length=12 require_digit=true",
        f"{_ts(r)} WARN  api_key header missing on request {_uuid(r)}; returning 401",
        f"{_ts(r)} INFO  rotated secret prod/api/stripe (version {_uuid(r)})")
    for _ in range(2):
        add("blockchain_address", f"0x{_rs(r, HEX, 40)}",
            f"bc1q{_rs(r, '023456789acdefghjklmnpqrstuvwxyz', 38)}",
            f'  "contractAddress": "0x{_rs(r, HEX, 40)}",')
    for _ in range(2):
        add("sortable_id", f"01H{_rs(r, '0123456789ABCDEFGHJKMNPQRSTVWXYZ', 23)}",
            f"ksuid={_rs(r, ALNUM, 27)}", f'nanoid: "{_rs(r, B64URL, 21)}"')
    add("package_names", '"@octokit/auth-token": "^4.0.0",', '"jsonwebtoken": "^9.0.2",',
        "pip install python-dotenv keyring secretstorage", "gem 'devise-jwt', '~> 0.11'",
        'require github.com/golang-jwt/jwt/v5 v5.2.1', "cargo add secrecy zeroize")
    add("env_example_empty", "STRIPE_SECRET_KEY=", 'OPENAI_API_KEY=""', "GITHUB_TOKEN=  # optional",
        "export AWS_SECRET_ACCESS_KEY=''", "DB_PASSWORD=\nDB_USER=app")
    for _ in range(2):
        add("hash_in_url", f"https://github.com/acme/app/commit/{sha()}",
            f"https://github.com/acme/app/blob/{sha()}/src/main.py#L10-L24",
            f"https://cdn.example.com/assets/{h64()}.woff2",
            f"https://gitlab.example.com/acme/infra/-/merge_requests/42/diffs?commit_id={sha()}")
    add("analytics_ids", f"gtag('config', 'G-{_rs(r, UPALNUM, 10)}');", f"UA-{_digits(r, 8)}-1",
        f"GTM-{_rs(r, UPALNUM, 7)}", f"fbq('init', '{_digits(r, 15)}');")
    add("windows_guid", f"{{{_uuid(r).upper()}}}", f"HKEY_CLASSES_ROOT\\CLSID\\{{{_uuid(r).upper()}}}",
        f'<ProjectGuid>{{{_uuid(r).upper()}}}</ProjectGuid>')
    add("checksum_annotation", f"        checksum/config: {h64()}", f"    checksum/secret: {h64()}",
        f'    "kubectl.kubernetes.io/restartedAt": "{_ts(r)}"')
    add("terraform_plan", "      + id                   = (known after apply)",
        '      + password             = (sensitive value)', "      ~ secret_string = (sensitive value)",
        f'      + arn                  = "arn:aws:s3:::acme-logs-{_digits(r, 6)}"')
    add("chat_benign", "can you check why the token refresh endpoint returns 500 on staging?",
        "I rotated the API key in Vault, the new version is live -- nothing to paste here.",
        "The password reset email links to /reset?token=<token>; we should shorten the expiry.",
        "sk- prefixed keys are OpenAI's; ours use the acme_ prefix instead.",
        "what's the difference between an access token and a refresh token?")
    return out


# --------------------------------------------------------------------------- public entry point


def cases(seed: int = 7) -> list[Case]:
    """All cases for ``seed``: secrets first, then benign lines; deterministic for a given seed."""
    r = random.Random(seed)
    result: list[Case] = []
    for shape, text, secret in _secret_triples(r):
        if not secret or secret not in text:
            raise ValueError(f"generator bug: secret not inside text for {shape}")
        result.append({"kind": "secret", "shape": shape, "text": text, "secret": secret})
    for shape, text in _benign(r):
        result.append({"kind": "benign", "shape": shape, "text": text})
    return result


if __name__ == "__main__":
    from collections import Counter

    all_cases = cases()
    print(Counter(c["kind"] for c in all_cases))
    print("secret shapes:", len({c["shape"] for c in all_cases if c["kind"] == "secret"}))
