"""Secret shapes in the places people paste them (config files, SDK calls, shell history,
CI YAML, HTTP headers): a second tuned set. It was written as a held-out set, and its
first run missed 9 shapes (azure-cli, discord-bot-python, docker-login, kubectl-literal,
mysql-root-yaml, pgpassword, spring-props, telegram-url, xml-attribute: 92.5 %); the rules
were then fixed for those classes, so it no longer measures anything unseen. The held-out
set is `heldout.py`, written afterwards and not tuned on.

Template language: see `agentops_os.store.redact_samples` (`{alnum:40}` = 40 random
characters); `<<` and `>>` mark the part that must not survive redaction.
"""

# ruff: noqa: E501 - a table of templates reads best one shape a line
from __future__ import annotations

SHAPES: list[tuple[str, str]] = [
    # provider tokens in new places
    ("stripe-restricted", "STRIPE_RESTRICTED=<<rk_live_{alnum:99}>>"),
    ("stripe-test-ruby", "Stripe.api_key = '<<sk_test_{alnum:24}>>'"),
    ("github-oauth-header", "curl -H 'Authorization: token <<gho_{alnum:36}>>' https://api.github.com/user"),
    ("github-refresh", "refresh_token: <<ghr_{alnum:76}>>"),
    ("gitlab-runner", "gitlab-runner register --token <<glrt-{url:20}>>"),
    ("gitlab-feed", "https://gitlab.example.com/dashboard/projects.atom?feed_token=<<glft-{url:20}>>"),
    ("npmrc", "//npm.pkg.github.com/:_authToken=<<npm_{alnum:36}>>"),
    ("pypirc", "[pypi]\n  username = __token__\n  password = <<pypi-AgEIcHlwaS5vcmc{url:120}>>"),
    ("huggingface-actions", "env:\n  HF_TOKEN: <<hf_{alpha:34}>>"),
    ("huggingface-python", "login(token=\"<<hf_{alpha:34}>>\")"),
    ("sendgrid-node", "sgMail.setApiKey('<<SG.{url:22}.{url:43}>>');"),
    ("slack-user", "SLACK_USER_TOKEN=<<xoxp-{digit:11}-{digit:11}-{digit:13}-{hex:32}>>"),
    ("slack-webhook-json", "{{\"webhook\": \"<<https://hooks.slack.com/services/T{upper:8}/B{upper:10}/{alnum:24}>>\"}}"),
    ("discord-webhook-app", "POST <<https://discordapp.com/api/webhooks/{digit:19}/{url:68}>>"),
    ("discord-bot-python", "client.run('<<MT{alnum:24}.{url:6}.{url:38}>>')  # discord bot"),
    ("shopify-shared", "SHOPIFY_SHARED_SECRET=<<shpss_{hex:32}>>"),
    ("shopify-custom-app", "X-Shopify-Access-Token: <<shpca_{hex:32}>>"),
    ("mailgun-curl", "curl -s --user 'api:<<key-{hex:32}>>' https://api.mailgun.net/v3/x/messages"),
    ("twilio-node", "const client = twilio('<<SK{hex:32}>>', process.env.SECRET)"),
    ("azure-appsettings", "{{\"ConnectionStrings\": {{\"Blob\": \"DefaultEndpointsProtocol=https;AccountName=x;AccountKey=<<{b64:86}==>>\"}}}}"),
    ("azure-cli", "az storage blob upload --account-key <<{b64:86}==>> -f a.txt"),
    ("aws-credentials-file", "[default]\naws_access_key_id = <<AKIA{b32:16}>>\naws_secret_access_key = <<{b64:40}>>"),
    ("aws-boto3", "boto3.client('s3', aws_secret_access_key='<<{b64:40}>>')"),
    ("aws-actions", "env:\n  AWS_SECRET_ACCESS_KEY: <<{b64:40}>>"),
    ("aws-temp-id", "AWS_ACCESS_KEY_ID=<<ASIA{b32:16}>>"),
    ("gcp-service-account", "{{\"type\": \"service_account\", \"private_key_id\": \"<<{hex:40}>>\", \"private_key\": \"<<-----BEGIN PRIVATE KEY-----\\n{b64:64}\\n{b64:64}\\n-----END PRIVATE KEY-----\\n>>\", \"client_email\": \"ci@p.iam.gserviceaccount.com\"}}"),
    ("openssh-key", "<<-----BEGIN OPENSSH PRIVATE KEY-----\n{b64:70}\n{b64:70}\n-----END OPENSSH PRIVATE KEY----->>"),
    ("ec-key", "<<-----BEGIN EC PRIVATE KEY-----\n{b64:64}\n-----END EC PRIVATE KEY----->>"),
    ("pgp-key", "<<-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{b64:64}\n{b64:64}\n-----END PGP PRIVATE KEY BLOCK----->>"),
    ("encrypted-key", "<<-----BEGIN ENCRYPTED PRIVATE KEY-----\n{b64:64}\n-----END ENCRYPTED PRIVATE KEY----->>"),
    ("jwt-cookie", "Cookie: theme=dark; session=<<eyJ{url:36}.eyJ{url:120}.{url:43}>>"),
    ("bearer-requests", "requests.get(url, headers={{\"Authorization\": \"Bearer <<{url:40}>>\"}})"),
    ("basic-header", "Authorization: Basic <<{b64:28}=>>"),
    ("x-api-key", "curl -H \"X-API-Key: <<{alnum:32}>>\" https://api.example.com"),
    ("mongodb-srv", "mongodb+srv://admin:<<{alnum:16}>>@cluster0.ab1cd.mongodb.net/test"),
    ("redis-no-user", "REDIS_URL=redis://:<<{alnum:24}>>@cache:6379/0"),
    ("amqp", "amqp://guest:<<{alnum:12}>>@rabbit.internal:5672/"),
    ("git-remote", "git clone https://deploy:<<{alnum:20}>>@git.example.com/team/repo.git"),
    ("openai-env", "export OPENAI_API_KEY=\"<<sk-proj-{url:156}>>\""),
    ("anthropic-header", "-H \"x-api-key: <<sk-ant-api03-{url:93}AA>>\""),
    ("google-key-url", "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=<<AIza{url:35}>>"),
    ("digitalocean-doctl", "doctl auth init --access-token <<dop_v1_{hex:64}>>"),
    ("databricks-cfg", "[DEFAULT]\nhost = https://x.cloud.databricks.com\ntoken = <<dapi{hex:32}>>"),
    ("vault-env", "export VAULT_TOKEN=<<hvs.{url:90}>>"),
    ("telegram-url", "https://api.telegram.org/bot<<{digit:10}:AA{url:33}>>/sendMessage"),
    ("newrelic-yaml", "license_key: <<{hex:36}NRAL>>"),
    ("grafana-sa", "GRAFANA_TOKEN=<<glsa_{alnum:32}_{hex:8}>>"),
    ("postman", "postman_api_key = \"<<PMAK-{hex:24}-{hex:34}>>\""),
    ("age-identity", "# created: 2026-01-01\n<<AGE-SECRET-KEY-1{bech32:58}>>"),
    # passwords and keys under names, in many syntaxes
    ("django-secret", "SECRET_KEY = '<<django-insecure-{alnum:40}>>'"),
    ("rails-secret", "secret_key_base: <<{hex:128}>>"),
    ("spring-props", "spring.datasource.password=<<{alnum:14}>>"),
    ("mysql-root-yaml", "MYSQL_ROOT_PASSWORD: <<{alnum:16}>>"),
    ("client-secret-json", "{{\"clientSecret\": \"<<{alnum:32}>>\"}}"),
    ("terraform-var", "variable \"db\" {{ default = \"x\" }}\npassword = \"<<{alnum:18}>>\""),
    ("pgpassword", "PGPASSWORD=<<{alnum:14}>> psql -h db -U app"),
    ("kubectl-literal", "kubectl create secret generic db --from-literal=password=<<{alnum:14}>>"),
    ("xml-attribute", "<add key=\"ApiKey\" value=\"<<{alnum:32}>>\" />"),
    ("docker-login", "docker login -u ci -p <<{alnum:20}>> registry.example.com"),
    ("powershell", "$env:API_TOKEN = \"<<{alnum:32}>>\""),
    ("ini-spaces", "[smtp]\npassword = <<{alnum:12}9>>"),
    # keys with no name and no prefix
    ("bare-key-prompt", "here is the key, please keep it: <<{alnum:40}>>"),
    ("bare-key-branch", "git checkout -b fix/<<{alnum:40}>>"),
]
