"""Sample secrets of every shipped rule's shape, for the tests and `bench/redaction`.

Each rule in `data/redaction/rules.json` carries an `example` template such as
`sk_live_{alnum:24}` or `{hex:32}-us{digit:2}`: literal text plus `{class:N}` runs of N
random characters of a class (`{{` and `}}` are literal braces). The product never imports
this module; it exists so that the rule file and its tests describe shapes the same way
and no realistic-looking token has to be committed to git.
"""

from __future__ import annotations

import random
import string

from agentops_os.store.redact import RULES_FILE

CLASSES = {
    "alnum": string.ascii_letters + string.digits,
    "alpha": string.ascii_letters,
    "hex": "0123456789abcdef",
    "HEX": "0123456789ABCDEF",
    "upper": string.ascii_uppercase + string.digits,
    "lower": string.ascii_lowercase + string.digits,
    "digit": string.digits,
    "b64": string.ascii_letters + string.digits + "+/",
    "url": string.ascii_letters + string.digits + "_-",
    "b32": string.ascii_uppercase + "234567",
    "b32lower": string.ascii_lowercase + "234567",
    "lowerword": string.ascii_lowercase,
    "bech32": "qpzry9x8gf2tvdw0s3jn54khce6mua7l".upper(),
    "django": string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)",  # get_random_secret_key()
}


def expand(template: str, rng: random.Random) -> str:
    """One random string of the shape `template` describes."""
    out: list[str] = []
    i = 0
    while i < len(template):
        char = template[i]
        if template.startswith("{{", i) or template.startswith("}}", i):
            out.append(char)
            i += 2
            continue
        if char == "{":
            end = template.index("}", i)
            name, _, count = template[i + 1:end].partition(":")
            alphabet = CLASSES[name]
            out.append("".join(rng.choice(alphabet) for _ in range(int(count))))
            i = end + 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def rule_examples() -> list[tuple[str, str]]:
    """(rule id, example template) for every shipped rule."""
    import json

    with open(RULES_FILE, encoding="utf-8") as handle:
        data = json.load(handle)
    return [(rule["id"], rule["example"]) for rule in data["rules"]]
