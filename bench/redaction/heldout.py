"""Held-out secret shapes: written after the rules and `contexts.py` were tuned, from the
providers' descriptions of their credentials, and run without changing the rules for them.
Its figure is the one to quote; it is still the rule author's own set, not an independent
one (DESIGN §3.6).

Template language: see `agentops_os.store.redact_samples`; `<<` and `>>` mark the part that
must not survive redaction.
"""

# ruff: noqa: E501 - a table of templates reads best one shape a line
from __future__ import annotations

SHAPES: list[tuple[str, str]] = [
    ("stripe-python", "stripe.api_key = \"<<sk_live_{alnum:99}>>\""),
    ("github-remote", "git remote set-url origin https://x-access-token:<<ghs_{alnum:36}>>@github.com/o/r.git"),
    ("gitlab-private-token", "curl --header \"PRIVATE-TOKEN: <<glpat-{url:20}>>\" https://gitlab.com/api/v4/projects"),
    ("npm-env", "NPM_TOKEN=<<npm_{alnum:36}>>"),
    ("twine", "twine upload -u __token__ -p <<pypi-AgEIcHlwaS5vcmc{url:140}>> dist/*"),
    ("hf-bearer", "curl https://huggingface.co/api/whoami-v2 -H \"Authorization: Bearer <<hf_{alpha:34}>>\""),
    ("sendgrid-env", "SENDGRID_API_KEY='<<SG.{url:22}.{url:43}>>'"),
    ("discord-dotenv", "DISCORD_TOKEN=<<MTA{alnum:23}.{url:6}.{url:38}>>"),
    ("shopify-json", "{{\"shop\": \"x.myshopify.com\", \"access_token\": \"<<shpat_{hex:32}>>\"}}"),
    ("mailgun-new", "MAILGUN_API_KEY=<<{hex:32}-{hex:8}-{hex:8}>>"),
    ("twilio-yaml", "twilio:\n  account_sid: AC{hex:32}\n  auth_token: <<{hex:32}>>"),
    ("slack-rotating", "SLACK_BOT_TOKEN=<<xoxe.xoxp-1-{alnum:150}>>"),
    ("azure-sp-login", "az login --service-principal -u 00000000-app -p <<{alnum:3}8Q~{url:34}>> --tenant t"),
    ("cosmos", "AccountEndpoint=https://x.documents.azure.com:443/;AccountKey=<<{b64:86}==>>;"),
    ("aws-session-env", "export AWS_SESSION_TOKEN=<<IQoJb3JpZ2luX2Vj{b64:300}>>"),
    ("aws-serverless", "provider:\n  environment:\n    aws_secret_access_key: \"<<{b64:40}>>\""),
    ("aws-sts-json", "{{\"Credentials\": {{\"AccessKeyId\": \"<<ASIA{b32:16}>>\", \"SecretAccessKey\": \"<<{b64:40}>>\"}}}}"),
    ("gcp-api-env", "GOOGLE_API_KEY=<<AIza{url:35}>>"),
    ("gcp-oauth-json", "{{\"installed\": {{\"client_id\": \"1-x.apps.googleusercontent.com\", \"client_secret\": \"<<GOCSPX-{url:28}>>\"}}}}"),
    ("dsa-key", "<<-----BEGIN DSA PRIVATE KEY-----\n{b64:64}\n-----END DSA PRIVATE KEY----->>"),
    ("yaml-block-key", "tls:\n  key: |\n    <<-----BEGIN RSA PRIVATE KEY-----\n    {b64:64}\n    -----END RSA PRIVATE KEY----->>"),
    ("jwt-query", "wss://rt.example.com/socket?access_token=<<eyJ{url:36}.eyJ{url:90}.{url:43}>>"),
    ("sqlalchemy-url", "engine = create_engine('postgresql+psycopg2://app:<<{alnum:12}>>@db/app')"),
    ("smtp-url", "EMAIL_URL=smtp://apikey:<<{alnum:20}>>@smtp.example.com:587"),
    ("jdbc-query", "jdbc:mysql://db:3306/app?user=root&password=<<{alnum:12}>>"),
    ("json-password", "{{\"username\": \"admin\", \"password\": \"<<{alnum:10}>>\"}}"),
    ("db-pass", "DB_PASS=<<{alnum:12}>>"),
    ("admin-pwd-yaml", "ADMIN_PWD: <<{alnum:10}>>"),
    ("passphrase", "private_key_passphrase = \"<<{alnum:16}>>\""),
    ("jwt-secret-env", "JWT_SECRET=<<{alnum:48}>>"),
    ("session-secret", "SESSION_SECRET=\"<<{url:32}>>\""),
    ("laravel-app-key", "APP_KEY=base64:<<{b64:43}=>>"),
    ("stripe-webhook-yaml", "webhook_secret: <<whsec_{alnum:32}>>"),
    ("token-flag", "./deploy.sh --token=<<{alnum:40}>>"),
    ("bare-b64", "the new key is <<{b64:43}=>> (rotate monthly)"),
    ("file-name", "saved notes to notes-<<{alnum:36}>>.md"),
    ("linear-env", "LINEAR_API_KEY=<<lin_api_{alnum:40}>>"),
    ("sentry-env", "SENTRY_AUTH_TOKEN=<<sntrys_{b64:80}>>"),
    ("doppler-env", "DOPPLER_TOKEN=<<dp.st.prd.{alnum:43}>>"),
    ("cloudflare-env", "CLOUDFLARE_API_TOKEN=<<{url:40}>>"),
    ("datadog-env", "DATADOG_API_KEY=<<{hex:32}>>"),
    ("newrelic-license", "NEW_RELIC_LICENSE_KEY=<<{hex:40}>>"),
    ("groq-env", "GROQ_API_KEY=<<gsk_{alnum:52}>>"),
    ("replicate-env", "REPLICATE_API_TOKEN=<<r8_{alnum:37}>>"),
    ("anthropic-python", "client = anthropic.Anthropic(api_key=\"<<sk-ant-api03-{url:93}AA>>\")"),
    ("openai-legacy", "openai.api_key = \"<<sk-{alnum:20}T3BlbkFJ{alnum:20}>>\""),
    ("basic-auth-url-python", "requests.get('https://admin:<<{alnum:14}>>@internal.example.com/status')"),
    ("ssh-pass", "sshpass -p '<<{alnum:12}>>' scp file host:"),
    ("htpasswd-bcrypt", "admin:<<$2y$10${alnum:53}>>"),
    ("k8s-secret-yaml", "stringData:\n  password: <<{alnum:16}>>"),
]
