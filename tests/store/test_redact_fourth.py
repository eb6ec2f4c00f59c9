"""Redaction by class, after the fourth independent set: tokens of providers with no prefix the
rules knew (legacy Azure DevOps PATs, Honeycomb, Salesforce sessions, Kaggle, Consul ACL
secrets), credentials given positionally to tools (`mc alias set`, `rabbitmqctl`, `keytool`,
`smbclient`, `7z`, `net user`, `cmdkey`, `oathtool`), wallet secrets (Ethereum keys, BIP39
mnemonics, Solana keypairs), secrets in code shapes the assignment rule did not read (typed
declarations, Terraform variable defaults, login calls, passwords named in other languages),
and the public or encrypted data beside them (SOPS values, Sealed Secrets, JWKS, minisign
public keys, base64 of JSON, Next.js build paths).

Every value is generated here (seeded), in several spellings; each benign class sits next to a
secret of the same shape that must still be redacted."""

from __future__ import annotations

import base64
import json
import random
import string

import pytest
from redaction_checks import assert_kept, assert_redacted

HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
B32_LOWER = string.ascii_lowercase + "234567"
URL = ALNUM + "_-"


def run(rng: random.Random, alphabet: str, size: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(size))


def password(rng: random.Random, size: int = 16) -> str:
    """A typed or generated password: letters of both cases and digits, a symbol or two."""
    core = list(run(rng, ALNUM, size - 3) + rng.choice("!#^~") + rng.choice(string.digits)
                + rng.choice("QZX"))
    rng.shuffle(core)
    return "".join(core)


def uuid(rng: random.Random) -> str:
    return "-".join(run(rng, HEX, n) for n in (8, 4, 4, 4, 12))


SEEDS = range(4)


# -- provider tokens without a known prefix ----------------------------------------------------
@pytest.mark.parametrize("form", [
    "echo {t} | az devops login --organization https://dev.azure.com/acme",
    "printf '%s' {t}| az devops login",
    "git clone https://{t}@dev.azure.com/acme/web/_git/web",
    "git remote add origin https://{t}@acme.visualstudio.com/web/_git/web",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_legacy_azure_devops_pat_is_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    token = run(rng, B32_LOWER, 51) + rng.choice("234567")
    assert_redacted(form.format(t=token), token)


def test_lower_case_base32_away_from_azure_devops_is_kept() -> None:
    rng = random.Random(1)
    assert_kept(f"echo {run(rng, B32_LOWER, 52)} | base32 -d | xxd")


@pytest.mark.parametrize("form", [
    "mc alias set local http://minio:9000 minioadmin '{s}'",
    "mc alias set s3 https://s3.amazonaws.com AKIAEXAMPLEKEYID {s} --api S3v4",
    'mc config host add minio http://10.0.0.5:9000 admin "{s}"',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_the_secret_key_of_mc_alias_set_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(s=secret), secret)


def test_mc_alias_set_with_variables_is_kept() -> None:
    assert_kept('mc alias set local http://minio:9000 "$MINIO_ACCESS" "$MINIO_SECRET"')


@pytest.mark.parametrize("form", [
    'curl https://app.asana.com/api/1.0/users/me -H "Authorization: Bearer {t}"',
    "ASANA_ACCESS_TOKEN={t}",
    "client = asana.Client.access_token('{t}')",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_an_asana_pat_of_the_three_part_format_is_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    token = f"2/{run(rng, string.digits, 16)}/{run(rng, string.digits, 16)}:{run(rng, HEX, 32)}"
    assert_redacted(form.format(t=token), token)


@pytest.mark.parametrize("form", [
    'OTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team={k}"',
    "export HONEYCOMB_API_KEY={k}",
    "libhoney.init({{ writeKey: '{k}' }})",
])
@pytest.mark.parametrize("kind", ["hcaik", "hcxik", "hcamk"])
def test_honeycomb_keys_are_redacted(form: str, kind: str) -> None:
    rng = random.Random(f"{form}{kind}")
    key = f"{kind}_{run(rng, string.ascii_lowercase + string.digits, 58)}"
    assert_redacted(form.format(k=key), key)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_classic_honeycomb_key_in_the_team_header_is_redacted(seed: int) -> None:
    key = run(random.Random(seed), ALNUM, 32)
    assert_redacted(f'headers = {{"x-honeycomb-team": "{key}", "x-honeycomb-dataset": "web"}}', key)
    assert_kept('headers = {"x-honeycomb-dataset": "checkout-service"}')


@pytest.mark.parametrize("form", [
    "  - routing_key: {k}\n    severity: critical",
    'integration_key = "{k}"',
    '{{"routing_key": "{k}", "event_action": "trigger"}}',
    "PAGERDUTY_ROUTING_KEY={k}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_pagerduty_routing_or_integration_key_is_redacted(form: str, seed: int) -> None:
    key = run(random.Random(f"{form}{seed}"), HEX, 32)
    assert_redacted(form.format(k=key), key)


@pytest.mark.parametrize("text", [
    "channel.basic_publish(exchange='', routing_key='hello', body=message)",
    "channel.basic_publish(exchange='logs', routing_key='orders.created', body=b)",
    "routing_key: orders.*.eu",
])
def test_message_queue_routing_keys_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    "$ snyk auth {u}\nYour account has been authenticated.",
    "bash <(curl -s https://codecov.io/bash) -t {u} -f coverage.xml",
    "codecovcli upload-process --token {u} -f coverage.xml",
    "./codecov -t={u}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_uuid_token_given_to_snyk_or_codecov_is_redacted(form: str, seed: int) -> None:
    token = uuid(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(u=token), token)


def test_other_uuids_of_those_tools_are_kept() -> None:
    rng = random.Random(2)
    assert_kept(f"snyk test --org={uuid(rng)} --severity-threshold=high")
    assert_kept("codecov -f coverage.xml -F unit")


@pytest.mark.parametrize("form", [
    " Access Token     {t}\n Api Version      60.0",
    "export SF_ACCESS_TOKEN='{t}'",
    "sf org login access-token --instance-url https://acme.my.salesforce.com <<< {t}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_salesforce_session_id_is_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    token = f"00D{run(rng, ALNUM, 12)}!{run(rng, ALNUM + '._', 96)}"
    assert_redacted(form.format(t=token), token)


def test_a_salesforce_org_id_alone_is_kept() -> None:
    assert_kept(" Org Id           00D5g000004abcdEAA")


@pytest.mark.parametrize("form", [
    "KAGGLE_USERNAME=jdoe\nKAGGLE_KEY={k}",
    '{{"username":"jdoe","key":"{k}"}}',
    "kaggle_key: '{k}'",
    "$ wandb login {w}",
    "wandb login --relogin {w}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_kaggle_and_wandb_keys_are_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    kaggle, wandb = run(rng, HEX, 32), run(rng, HEX, 40)
    secret = kaggle if "{k}" in form else wandb
    assert_redacted(form.format(k=kaggle, w=wandb), secret)


def test_a_hex_cache_key_is_kept() -> None:
    key = run(random.Random(3), HEX, 32)
    assert_kept(f'{{"key": "{key}", "hits": 3}}')
    assert_kept(f"CACHE_KEY={key}")


@pytest.mark.parametrize("form", [
    "$ consul acl bootstrap\nAccessorID:       {a}\nSecretID:         {s}\nDescription:      Bootstrap Token",
    "secret_id             {s}\nsecret_id_accessor    {a}",
    'curl -H "X-Consul-Token: {s}" http://127.0.0.1:8500/v1/kv/app',
    "export NOMAD_TOKEN={s}",
    '{{"SecretID": "{s}"}}',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_consul_nomad_and_approle_secret_ids_are_redacted_and_accessors_kept(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    accessor, secret = uuid(rng), uuid(rng)
    out = assert_redacted(form.format(a=accessor, s=secret), secret)
    if "{a}" in form:
        assert accessor in out


# -- wallet secrets ------------------------------------------------------------------------
@pytest.mark.parametrize("form", [
    'const wallet = new ethers.Wallet("0x{k}", provider);',
    'acct = w3.eth.account.from_key("{k}")',
    "const account = privateKeyToAccount('0x{k}')",
    "const w = Wallet.fromPrivateKey(Buffer.from('{k}', 'hex'))",
    "PRIVATE_KEY=0x{k}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_an_ethereum_private_key_is_redacted(form: str, seed: int) -> None:
    key = run(random.Random(f"{form}{seed}"), HEX, 64)
    assert_redacted(form.format(k=key), key)


@pytest.mark.parametrize("seed", SEEDS)
def test_wallet_addresses_and_transaction_hashes_are_kept(seed: int) -> None:
    rng = random.Random(seed)
    assert_kept(f'const token = new ethers.Contract("0x{run(rng, HEX, 40)}", abi, provider);')
    assert_kept(f'const tx = await provider.getTransaction("0x{run(rng, HEX, 64)}");')


def words(rng: random.Random, count: int) -> str:
    return " ".join(run(rng, string.ascii_lowercase, rng.randint(3, 8)) for _ in range(count))


@pytest.mark.parametrize("form", [
    'MNEMONIC="{m}"',
    'ganache --wallet.mnemonic "{m}" --chain.chainId 1337',
    "Your new wallet has been created.\nRecovery phrase (write it down and keep it offline):\n{m}",
    "seed_phrase: '{m}'",
    "my secret recovery phrase is {m}",
])
@pytest.mark.parametrize("count", [12, 24])
def test_a_mnemonic_phrase_is_redacted(form: str, count: int) -> None:
    phrase = words(random.Random(f"{form}{count}"), count)
    assert_redacted(form.format(m=phrase), phrase)


@pytest.mark.parametrize("text", [
    "A mnemonic is a device that helps you remember a list of words in order.",
    'MNEMONIC="$WALLET_MNEMONIC"',
    "The recovery phrase is shown once; write it down and keep it offline.",
])
def test_prose_about_mnemonics_is_kept(text: str) -> None:
    assert_kept(text)


def byte_array(rng: random.Random, size: int, sep: str = ",") -> str:
    return "[" + sep.join(str(rng.randrange(256)) for _ in range(size)) + "]"


@pytest.mark.parametrize("form", [
    "$ cat ~/.config/solana/id.json\n{b}",
    "const payer = Keypair.fromSecretKey(Uint8Array.from({b}));",
    "SOLANA_PRIVATE_KEY={b}",
    '{{"secretKey": {b}}}',
])
@pytest.mark.parametrize("sep", [",", ", "])
def test_a_64_byte_secret_key_as_an_array_is_redacted(form: str, sep: str) -> None:
    array = byte_array(random.Random(f"{form}{sep}"), 64, sep)
    assert_redacted(form.format(b=array), array)


def test_byte_arrays_without_a_key_name_are_kept() -> None:
    rng = random.Random(4)
    assert_kept(f"const SBOX = {byte_array(rng, 64)};")
    assert_kept(f"expected = bytes({byte_array(rng, 64)})")


# -- credentials given positionally to tools -----------------------------------------------
@pytest.mark.parametrize("form", [
    "curl -b 'session={c}' http://localhost:5000/account",
    "Cookie: session={c}; theme=dark",
    "Set-Cookie: session={c}; HttpOnly; Path=/",
])
@pytest.mark.parametrize("compressed", [False, True])
def test_a_signed_flask_session_cookie_is_redacted(form: str, compressed: bool) -> None:
    rng = random.Random(f"{form}{compressed}")
    payload = (".eJ" + run(rng, URL, 60)) if compressed else "eyJ" + run(rng, URL, 40)
    cookie = f"{payload}.{run(rng, URL, 6)}.{run(rng, URL, 27)}"
    assert_redacted(form.format(c=cookie), cookie)


@pytest.mark.parametrize("form", [
    "curl -u admin:'{p}' https://jenkins.acme.io/job/deploy/build -X POST",
    'curl --user deploy:"{p}" https://x',
    "curl -su 'admin:{p}' https://x",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_curl_password_quoted_on_its_own_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


def test_a_curl_password_from_a_variable_is_kept() -> None:
    assert_kept("curl -u admin:'$JENKINS_TOKEN' https://jenkins.acme.io/api/json")


@pytest.mark.parametrize("form", [
    'curl "https://api.openweathermap.org/data/2.5/weather?q=Paris&appid={k}"',
    "https://api.edamam.com/search?q=pasta&app_id=web&app_key={k}",
    "https://gitlab.acme.io/api/v4/projects?private_token={k}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_api_keys_in_url_queries_are_redacted(form: str, seed: int) -> None:
    key = run(random.Random(f"{form}{seed}"), HEX, 40)
    assert_redacted(form.format(k=key), key)


def test_short_or_public_query_values_are_kept() -> None:
    assert_kept("https://api.example.com/v1/apps?appid=12&app_id=myapp")


@pytest.mark.parametrize("form", [
    'db, err := sql.Open("mysql", "ci:{p}@tcp(10.20.3.14:3306)/analytics?parseTime=true")',
    'dsn := "app:{p}@unix(/var/run/mysqld/mysqld.sock)/app"',
    "MYSQL_DSN=app:{p}@tcp(db:3306)/app",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_the_password_of_a_go_mysql_dsn_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}")) + "?@x"
    assert_redacted(form.format(p=secret), secret)


def test_a_go_mysql_dsn_without_a_password_is_kept() -> None:
    assert_kept('db, err := sql.Open("mysql", "root@tcp(localhost:3306)/app")')


@pytest.mark.parametrize("form", [
    "rabbitmqctl change_password guest '{p}'",
    'rabbitmqctl add_user app "{p}"',
    "rabbitmqctl -n rabbit@mq1 add_user app {p}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_rabbitmqctl_password_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


def test_rabbitmqctl_without_a_literal_password_is_kept() -> None:
    assert_kept('rabbitmqctl add_user app "$RABBITMQ_PASSWORD"')
    assert_kept("rabbitmqctl list_users")


@pytest.mark.parametrize("form", [
    "jdbc:oracle:thin:scott/{p}@//pg-primary.prod.svc:1521/ORCLPDB1",
    "sqlplus system/{p}@ORCL @setup.sql",
    "expdp hr/{p}@pdb1 directory=dump dumpfile=hr.dmp",
    "rman target=sys/{p}@prod",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_an_oracle_connect_string_password_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}")).replace("#", "^")
    assert_redacted(form.format(p=secret), secret)


def test_oracle_connect_strings_without_a_password_are_kept() -> None:
    assert_kept("sqlplus / as sysdba")
    assert_kept("jdbc:oracle:thin:@//db.acme.lan:1521/ORCL")


@pytest.mark.parametrize("form", [
    "ldap_default_authtok = {p}",
    "authtok={p}",
    "BINDPW={p}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_pam_and_ldap_bind_passwords_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


def test_the_type_of_an_authtok_is_kept() -> None:
    assert_kept("ldap_default_authtok_type = password")


@pytest.mark.parametrize("form", [
    "keytool -importkeystore -srckeystore b.p12 -deststorepass '{p}' -srcstorepass '{p}'",
    "keytool -genkeypair -alias app -keystore app.jks -storepass {p} -keypass {p}",
    "jarsigner -keystore rel.jks -storepass \"{p}\" app.apk release",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_keytool_and_jarsigner_passwords_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


def test_keytool_passwords_from_the_environment_or_a_file_are_kept() -> None:
    assert_kept("keytool -list -keystore app.jks -storepass:env STORE_PASSWORD")
    assert_kept("keytool -list -keystore app.jks -storepass:file /run/secrets/storepass")


@pytest.mark.parametrize("form", [
    "smbclient //fileserver/finance -U 'ACME\\jdoe%{p}' -c 'ls'",
    "rpcclient -U admin%{p} 10.0.0.5",
    "net ads join -U administrator%{p}",
    "smbclient -L //fs --user=jdoe%{p}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_samba_user_password_pair_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}")) + "%x"
    assert_redacted(form.format(p=secret), secret)


def test_a_samba_user_alone_is_kept() -> None:
    assert_kept("smbclient //fileserver/finance -U jdoe -c 'ls'")


@pytest.mark.parametrize("form", [
    "7z a -p'{p}' -mhe=on exports.7z exports/",
    "7z x -p{p} backup.7z -o/tmp/restore",
    "zip -P {p} -r out.zip dir/",
    "unzip -P '{p}' in.zip",
    "rar a -hp{p} backup.rar dir/",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_archive_passwords_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    "7z a -p -mhe=on exports.7z exports/",
    "zip -r out.zip dir/",
    "for a, b in zip(xs, ys): print(a - b)",
])
def test_archive_commands_without_a_password_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    '$secure = ConvertTo-SecureString "{p}" -AsPlainText -Force',
    "$s = ConvertTo-SecureString -String '{p}' -AsPlainText -Force",
    "net user svc_backup {p} /add /passwordchg:no",
    "net use Z: \\\\fs01\\finance {p} /user:ACME\\jdoe",
    'cmdkey /generic:TERMSRV/rdp01.acme.lan /user:ACME\\admin /pass:"{p}"',
    "cmdkey /add:fs01 /user:jdoe /pass:{p}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_windows_passwords_on_the_command_line_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}")).replace("*", "^")
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    "$secure = ConvertTo-SecureString $env:SVC_PASSWORD -AsPlainText -Force",
    "net user svc_backup /delete",
    "net user jdoe * /domain",
    "cmdkey /list",
])
def test_windows_commands_without_a_literal_password_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    "GRANT ALL PRIVILEGES ON shop.* TO 'shop'@'%' IDENTIFIED BY '{p}';",
    "CREATE USER app IDENTIFIED BY {p};",
    "create user 'app'@'%' identified with mysql_native_password by '{p}';",
    'ALTER USER scott IDENTIFIED BY "{p}";',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_sql_identified_by_passwords_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    "Exceptions are identified by class instances.",
    '"""Delete items identified by tag or id in ARGS."""',
    "menu items identified by 'name' are skipped",
])
def test_prose_saying_identified_by_is_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    'class Settings(BaseSettings):\n    api_secret: str = "{p}"\n    debug: bool = False',
    "const apiToken: string = '{p}';",
    'val dbPassword: String = "{p}"',
    'static API_KEY: &str = "{p}";',
    'db_password: Optional[str] = "{p}"',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_typed_secret_declarations_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    'token_type: str = "bearer"',
    'pad_token: str = "<pad>"',
    'null_token: str = "__null_token_value__"',
    'secret_name: str = "prod/db"',
    'api_key_header: str = "X-API-Key"',
])
def test_typed_metadata_beside_secret_names_is_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    'smtp.login("alerts@acme.io", "{p}")',
    "ftp.login('backup', '{p}')",
    'conn.simple_bind_s("cn=admin,dc=acme,dc=lan", "{p}")',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_password_passed_to_a_login_call_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


def test_login_calls_with_variables_or_placeholders_are_kept() -> None:
    assert_kept("smtp.login(user, password)")
    assert_kept('ftp.login("anonymous", "password")')


@pytest.mark.parametrize("form", [
    'variable "db_password" {{\n  type    = string\n  default = "{p}"\n}}',
    'variable "api_token" {{ default = "{p}" }}',
    'variable "admin_secret" {{\n  description = "admin"\n  sensitive   = true\n  default     = "{p}"\n}}',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_terraform_variable_default_under_a_secret_name_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    'variable "token_ttl" {\n  default = "3600"\n}',
    'variable "region" { default = "us-east-1" }',
    'variable "db_password" {\n  type      = string\n  sensitive = true\n}',
])
def test_other_terraform_variable_defaults_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    "DB_PASSWORT={p}",
    "contraseña = '{p}'",
    "пароль: {p}",
    'senha="{p}"',
    "mot_de_passe: {p}",
    '{{"kennwort": "{p}"}}',
    "wachtwoord = {p}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_passwords_named_in_other_languages_are_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    "contraseña = os.environ['DB_PASS']",
    "пароль: ${DB_PASSWORD}",
    "senha: changeme",
])
def test_foreign_password_names_with_references_or_placeholders_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    "[smtp.gmail.com]:587 alerts@acme.io:{p}",
    "[mail.acme.io] relay@acme.io:{p}",
    "smtp.office365.com:587 ops@acme.io:{p}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_postfix_sasl_passwd_line_is_redacted(form: str, seed: int) -> None:
    secret = run(random.Random(f"{form}{seed}"), string.ascii_lowercase, 16)
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    "relayhost = [smtp.gmail.com]:587",
    "smtp_sasl_password_maps = hash:/etc/postfix/sasl_passwd",
    "def f(x: Dict[str, int]) -> List[int]: return x",
])
def test_postfix_settings_and_type_hints_are_kept(text: str) -> None:
    assert_kept(text)


@pytest.mark.parametrize("form", [
    "oathtool --totp -b {b}",
    'oathtool --totp --base32 "{b}"',
    "oathtool -b --totp {l}",
    "oathtool --hotp {h}",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_totp_seed_given_to_oathtool_is_redacted(form: str, seed: int) -> None:
    rng = random.Random(f"{form}{seed}")
    upper, lower, hexed = run(rng, B32, 32), run(rng, B32_LOWER, 31) + "7", run(rng, HEX, 40)
    secret = upper if "{b}" in form else lower if "{l}" in form else hexed
    assert_redacted(form.format(b=upper, l=lower, h=hexed), secret)


def test_oathtool_with_a_variable_is_kept() -> None:
    assert_kept('oathtool --totp -b "$TOTP_SECRET"')


@pytest.mark.parametrize("seed", SEEDS)
def test_mattermost_and_rocket_chat_webhooks_are_redacted(seed: int) -> None:
    rng = random.Random(seed)
    hook = run(rng, string.ascii_lowercase, 13) + run(rng, string.digits, 13)
    hook = "".join(rng.sample(hook, len(hook)))
    assert_redacted(f"curl -i -X POST -d @msg.json https://chat.acme.io/hooks/{hook}", hook)
    rocket = f"{run(rng, ALNUM, 17)}/{run(rng, ALNUM, 48)}"
    assert_redacted(f"https://rocket.acme.io/hooks/{rocket}", rocket)


def test_numbered_repository_hooks_are_kept() -> None:
    assert_kept("https://api.github.com/repos/acme/web/hooks/12345678/pings")


@pytest.mark.parametrize("form", [
    "FYI I reset your VPN password to {p} - please change it on first login",
    "I changed the admin password to {p}.",
    "set the wifi passphrase to {p} for the guests",
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_password_set_to_a_value_in_prose_is_redacted(form: str, seed: int) -> None:
    secret = password(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(p=secret), secret)


@pytest.mark.parametrize("text", [
    "Reset the password to meet the new policy.",
    "Set the password to expire in 90 days.",
])
def test_prose_about_setting_passwords_is_kept(text: str) -> None:
    assert_kept(text)


def generated_with_format_letters(rng: random.Random) -> str:
    """A generated key that happens to hold `%d` (`...y46%d6NZ...`)."""
    return run(rng, ALNUM, 12) + "=%d" + run(rng, ALNUM, 6) + "+" + run(rng, ALNUM, 10)


@pytest.mark.parametrize("form", [
    "'secret' => env('PARTNER_SECRET', '{k}'),",
    "key = os.getenv(\"API_TOKEN\", \"{k}\")",
    'api_secret = "{k}"',
])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_generated_key_holding_a_format_specifier_by_chance_is_redacted(form: str, seed: int) -> None:
    key = generated_with_format_letters(random.Random(f"{form}{seed}"))
    assert_redacted(form.format(k=key), key)


@pytest.mark.parametrize("text", [
    "'name' => env('APP_NAME', 'Laravel'),",
    'getenv("SECRET_KEY", "%s-%d")',
    "password_format = '%(user)s:%(password)s'",
])
def test_format_strings_and_defaults_are_kept(text: str) -> None:
    assert_kept(text)


# -- public or encrypted data beside secrets of the same shape --------------------------------
def b64(rng: random.Random, size: int) -> str:
    return base64.b64encode(bytes(rng.randrange(256) for _ in range(size))).decode()


def sops(rng: random.Random) -> str:
    return (f"ENC[AES256_GCM,data:{b64(rng, 18)},iv:{b64(rng, 32)},tag:{b64(rng, 16)},type:str]")


@pytest.mark.parametrize("seed", SEEDS)
def test_sops_values_are_kept_and_a_plain_password_beside_them_is_not(seed: int) -> None:
    rng = random.Random(seed)
    assert_kept(f"db:\n    password: {sops(rng)}\nsops:\n    age:\n        - recipient: age1qyqszqgpqyqszqgp")
    assert_kept(json.dumps({"api_token": sops(rng)}, indent=2))
    secret = password(rng)
    out = assert_redacted(f"db:\n    user: app\n    password: {secret}\napi:\n    token: {sops(rng)}", secret)
    assert "ENC[AES256_GCM,data:" in out


def sealed(rng: random.Random) -> str:
    """A Sealed Secrets value: a 2-byte length (512), the wrapped session key, AES-GCM data."""
    return base64.b64encode(b"\x02\x00" + bytes(rng.randrange(256) for _ in range(512 + 60))).decode()


@pytest.mark.parametrize("seed", SEEDS)
def test_sealed_secret_data_is_kept_and_a_kubernetes_secret_is_not(seed: int) -> None:
    rng = random.Random(seed)
    assert_kept("apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nspec:\n  encryptedData:\n"
                f"    password: {sealed(rng)}\n    token: {sealed(rng)}")
    secret = password(rng, 20)
    value = base64.b64encode(secret.encode()).decode()
    assert_redacted(f"apiVersion: v1\nkind: Secret\ndata:\n  password: {value}", value)


def jwk_b64(rng: random.Random, size: int) -> str:
    return base64.urlsafe_b64encode(bytes(rng.randrange(256) for _ in range(size))).decode().rstrip("=")


@pytest.mark.parametrize("seed", SEEDS)
def test_jwks_public_members_are_kept_and_private_members_are_not(seed: int) -> None:
    rng = random.Random(seed)
    rsa = {"kty": "RSA", "use": "sig", "kid": jwk_b64(rng, 32), "alg": "RS256", "n": jwk_b64(rng, 256),
           "e": "AQAB"}
    assert_kept(json.dumps({"keys": [rsa]}))
    ec = {"kty": "EC", "crv": "P-256", "x": jwk_b64(rng, 32), "y": jwk_b64(rng, 32)}
    assert_kept(json.dumps(ec))
    private = jwk_b64(rng, 32)
    assert_redacted(json.dumps({**ec, "d": private}), private)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_jwks_modulus_printed_by_jq_is_kept_and_a_private_exponent_is_not(seed: int) -> None:
    rng = random.Random(seed)
    command = "$ curl -s https://id.acme.io/.well-known/jwks.json | jq -r '.keys[0].{}'\n{}"
    assert_kept(command.format("n", jwk_b64(rng, 256)))
    private = jwk_b64(rng, 256)
    assert_redacted("$ jq -r '.d' private-jwk.json\n" + private, private)


@pytest.mark.parametrize("seed", SEEDS)
def test_minisign_public_keys_are_kept_and_secret_keys_are_not(seed: int) -> None:
    rng = random.Random(seed)
    public = base64.b64encode(b"Ed" + bytes(rng.randrange(256) for _ in range(40))).decode()
    assert_kept(f"untrusted comment: minisign public key {run(rng, '0123456789ABCDEF', 16)}\n{public}")
    assert_kept(f"untrusted comment: signify public key\n{public}")
    secret = base64.b64encode(b"Ed" + bytes(rng.randrange(256) for _ in range(100))).decode()
    assert_redacted(f"untrusted comment: minisign encrypted secret key\n{secret}", secret)


@pytest.mark.parametrize("seed", SEEDS)
def test_base64_of_a_json_payload_is_kept_unless_it_holds_a_secret(seed: int) -> None:
    rng = random.Random(seed)
    event = {"event": rng.choice(["signup", "login", "refund"]), "plan": "free", "country": "DE",
             "n": rng.randrange(10**6)}
    payload = base64.b64encode(json.dumps(event, separators=(",", ":")).encode()).decode()
    assert_kept(json.dumps({"level": "debug", "msg": "queued", "payload_b64": payload}))
    secret = password(rng, 20)
    leaked = base64.b64encode(json.dumps({"user": "svc", "password": secret}).encode()).decode()
    assert_redacted(json.dumps({"payload_b64": leaked}), leaked)


@pytest.mark.parametrize("seed", SEEDS)
def test_next_js_build_paths_are_kept_and_a_key_in_a_branch_path_is_not(seed: int) -> None:
    rng = random.Random(seed)
    build_id = run(rng, URL, 21)
    for asset in ("_buildManifest.js", "_ssgManifest.js"):
        assert_kept(f"/_next/static/{build_id}/{asset}")
    key = run(rng, ALNUM, 40)
    assert_redacted(f"git push origin refs/heads/fix-{key}", key)


@pytest.mark.parametrize("text", [
    "Samba `-U user%password`, `7z`/`rar -p…`, `zip -P …`, `ConvertTo-SecureString \"…\"`",
    "`cmdkey /pass:…`, SQL `IDENTIFIED BY …`",
    "mc alias set local http://minio:9000 admin ...",
])
def test_an_ellipsis_in_place_of_the_value_is_kept(text: str) -> None:
    assert_kept(text)
