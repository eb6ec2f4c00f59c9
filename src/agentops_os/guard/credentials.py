"""A provider's credential sent to a host that is not the provider's.

`curl -H "Authorization: Bearer $GITHUB_TOKEN" https://api.github.com/user` is how the
GitHub API is used; the same header sent to `collector.example.net` hands the token to a
stranger. The variable's name says whose token it is; the URL says where it goes. Tokens
whose name names no provider (`$API_TOKEN`) are left alone: the guard cannot know where
they belong, and asking about every authenticated request would be noise."""

from __future__ import annotations

# the first word of a variable's name -> the domains its credentials are meant for
_PROVIDERS: dict[str, tuple[str, ...]] = {
    "GITHUB": ("github.com", "githubusercontent.com", "ghcr.io", "github.io"),
    "GH": ("github.com", "githubusercontent.com", "ghcr.io"),
    "GITLAB": ("gitlab.com", "gitlab."),
    "OPENAI": ("openai.com", "openai.azure.com"),
    "ANTHROPIC": ("anthropic.com",),
    "STRIPE": ("stripe.com",),
    "SLACK": ("slack.com",),
    "NPM": ("npmjs.org", "npmjs.com"),
    "HF": ("huggingface.co", "hf.co"),
    "HUGGINGFACE": ("huggingface.co", "hf.co"),
    "CLOUDFLARE": ("cloudflare.com",),
    "CF": ("cloudflare.com",),
    "SENDGRID": ("sendgrid.com", "sendgrid.net"),
    "TWILIO": ("twilio.com",),
    "DISCORD": ("discord.com", "discordapp.com"),
    "DIGITALOCEAN": ("digitalocean.com",),
    "VERCEL": ("vercel.com",),
    "NETLIFY": ("netlify.com",),
    "HEROKU": ("heroku.com",),
    "PYPI": ("pypi.org",),
    "DOCKER": ("docker.com", "docker.io"),
    "DOCKERHUB": ("docker.com", "docker.io"),
    "GEMINI": ("googleapis.com",),
    "GOOGLE": ("googleapis.com", "google.com"),
    "MISTRAL": ("mistral.ai",),
    "GROQ": ("groq.com",),
    "LINEAR": ("linear.app",),
    "NOTION": ("notion.com", "notion.so"),
    "SENTRY": ("sentry.io",),
    "DATADOG": ("datadoghq.com", "datadoghq.eu"),
    "DD": ("datadoghq.com", "datadoghq.eu"),
    "SUPABASE": ("supabase.co", "supabase.com"),
    "AWS": (),  # AWS signs requests; its keys are never sent as they are
}
_SECRET_ENDINGS = ("TOKEN", "KEY", "SECRET", "PASSWORD", "PAT", "PASS", "CREDENTIALS", "AUTH")


def variables(text: str) -> list[str]:
    """The names of the `$NAME`, `${NAME}` and `${NAME:-default}` references in `text`, read
    the way the guard expands them (values.expand_references)."""
    from agentops_os.guard.values import expand_references

    names: list[str] = []

    def note(name: str) -> None:
        names.append(name)

    expand_references(text, note, keep_unknown=True)
    return names


def owner(name: str) -> tuple[str, tuple[str, ...]] | None:
    """The provider whose credential `name` holds (`GITHUB_TOKEN` -> GitHub), if it says."""
    upper = name.upper()
    if not upper.endswith(_SECRET_ENDINGS):
        return None
    first = upper.split("_", 1)[0]
    domains = _PROVIDERS.get(first)
    return None if domains is None else (first, domains)


def belongs(host: str, domains: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) or (d.endswith(".") and d in host) for d in domains)


def misdirected(texts: list[str], hosts: list[str]) -> tuple[str, str] | None:
    """(variable, host) when a provider's credential among `texts` goes to a host in
    `hosts` that is not that provider's."""
    if not hosts:
        return None
    for text in texts:
        for name in variables(text):
            found = owner(name)
            if found is None:
                continue
            for host in hosts:
                if not belongs(host, found[1]):
                    return name, host
    return None
