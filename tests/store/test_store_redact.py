"""Redaction: no secret of a known shape survives, wherever it sits in the text."""

from __future__ import annotations

import json
import random
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.store import Store
from agentops_os.store.redact import (
    MARK,
    RULES_FILE,
    PatternError,
    Redactor,
    check_patterns,
    might_hold_secret,
    redact_text,
    redact_value,
)
from agentops_os.store.redact_samples import CLASSES, expand, rule_examples

ALNUM = string.ascii_letters + string.digits
with open(RULES_FILE, encoding="utf-8") as _handle:
    DATA = json.load(_handle)
RULES = DATA["rules"]
EXAMPLES = rule_examples()


def secret_of(rule_id: str, sample: str) -> str:
    """The part of a sample that must not survive: the `secret` group when the rule has
    one (names stay readable), else the whole match."""
    rule = next(r for r in RULES if r["id"] == rule_id)
    match = re.search(rule["regex"], sample, re.IGNORECASE if rule.get("ignore_case") else 0)
    assert match, (rule_id, sample)
    return match.group("secret") if "secret" in match.re.groupindex else match.group(0)


samples = st.builds(lambda pair, seed: (pair[0], expand(pair[1], random.Random(seed))),
                    st.sampled_from(EXAMPLES), st.integers(0, 2**32))
filler = st.text(st.sampled_from(string.ascii_letters + " \n\t.,;:()[]{}'\"="), max_size=60)


def test_the_rule_set_is_at_the_scale_of_the_common_scanners() -> None:
    assert "Apache-2.0" in DATA["licence"]
    assert len(RULES) >= 100
    ids = [r["id"] for r in RULES]
    assert len(ids) == len(set(ids))
    providers = {r["provider"] for r in RULES}
    for needed in ("Stripe", "npm", "PyPI", "GitLab", "Hugging Face", "SendGrid", "Discord", "Shopify",
                   "Mailgun", "Twilio", "Slack", "Azure Storage", "AWS", "Google Cloud"):
        assert needed in providers, needed


@pytest.mark.parametrize(("rule_id", "template"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_every_rule_detects_its_shape_and_names_a_keyword_of_every_match(rule_id: str,
                                                                          template: str) -> None:
    """The pre-check skips a rule when none of its keywords occurs in the text: sound only
    if every match contains one of them."""
    rule = next(r for r in RULES if r["id"] == rule_id)
    pattern = re.compile(rule["regex"], re.IGNORECASE if rule.get("ignore_case") else 0)
    rng = random.Random(rule_id)
    for _ in range(40):
        sample = expand(template, rng)
        match = pattern.search(sample)
        assert match, sample
        if rule.get("case_keywords"):  # a shape without a literal: cased bigrams, a least length
            assert any(k in match.group(0) for k in rule["case_keywords"]), sample
            assert len(match.group(0)) >= rule["min_length"], sample
        else:
            assert any(k in match.group(0).lower() for k in rule["keywords"]), (rule["keywords"], sample)
        assert secret_of(rule_id, sample) not in redact_text(sample)


@settings(max_examples=400, deadline=None)
@given(before=filler, after=filler, sample=samples)
def test_no_rule_shape_survives_in_any_surrounding(before: str, after: str,
                                                    sample: tuple[str, str]) -> None:
    rule_id, text = sample
    secret = secret_of(rule_id, text)
    out = redact_text(f"{before} {text} {after}")
    assert out.count(secret) <= (before + after).count(secret)
    assert "[REDACTED:" in out


@pytest.mark.parametrize("form", [
    "AWS_SECRET_ACCESS_KEY={s}", "export AWS_SECRET_ACCESS_KEY=\"{s}\"", "aws_secret_access_key = {s}",
    "aws_secret_access_key={s}", "\"SecretAccessKey\": \"{s}\"", "secretAccessKey: {s}",
    "aws configure set aws_secret_access_key {s}", "$env:AWS_SECRET_ACCESS_KEY = \"{s}\"",
    "set AWS_SECRET_ACCESS_KEY={s}", "docker run -e AWS_SECRET_ACCESS_KEY={s} img",
    "<SecretAccessKey>{s}</SecretAccessKey>", "secret_key = \"{s}\"", "AWS_SECRET_KEY: '{s}'",
    "aws_secret_access_key => '{s}'", "awsSecretAccessKey := \"{s}\"",
])
def test_aws_secret_keys_in_every_assignment_form(form: str) -> None:
    rng = random.Random(form)
    for _ in range(10):
        key = "".join(rng.choice(CLASSES["b64"]) for _ in range(40))
        assert key not in redact_text(form.format(s=key))


def test_values_keep_their_structure_and_names() -> None:
    out = redact_value({"env": ["OPENAI_API_KEY=sk-" + "a1" * 20], "n": 3})
    assert out == {"env": ["OPENAI_API_KEY=[REDACTED:openai-key]"], "n": 3}


def test_a_field_under_a_secret_name_is_judged_with_its_name() -> None:
    out = redact_value({"password": "hunter2", "client_secret": "abcd1234efgh", "githubToken": "xyz12345",
                        "token_type": "bearer", "max_tokens": "4096", "key": "0123abcd" * 8,
                        "signing_key": "not-random-but-strong-name-1"})
    assert out["password"] == out["client_secret"] == out["githubToken"] == MARK.format("assignment")
    assert out["signing_key"] == MARK.format("assignment")
    assert out["token_type"] == "bearer" and out["max_tokens"] == "4096"
    assert out["key"] == "0123abcd" * 8  # a hex digest under a vague name: an id, kept


def test_keys_are_redacted_too() -> None:
    token = "ghp_" + "Ab1" * 12
    assert token not in json.dumps(redact_value({token: 1, "x": {token: [token]}}))


@pytest.mark.parametrize("text", [
    "token = get_token()", "def connect(password=password):", "api_key: Optional[str] = None",
    "author = 'Jane Doe'", "max_tokens = 4096", '"token_type": "bearer"', "The secret to good code is tests.",
    "password: str", "if not self.token:", "cache key: 3f2a9b0c1d2e3f4a5b6c7d8e9f0a1b2c",
    'label = "Enter your password"', "TOKEN=$(cat ~/.token)", "password = os.environ['DB_PASSWORD']",
    "git commit -m 'task-manager-implementation-plan-v2'", "See https://example.com/docs#auth",
    "bypass = True",
])
def test_ordinary_code_and_text_is_left_alone(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(("text", "secret"), [
    ("DB_PASSWORD=letmein", "letmein"), ("password: hunter2", "hunter2"), ("pwd='p4ss'", "p4ss"),
    ("curl -H 'Authorization: Bearer abcdefghijklmnop1234' https://x", "abcdefghijklmnop1234"),
    ("postgres://app:s3cr3tpw@db:5432/x", "s3cr3tpw"),
    ("STRIPE_KEY=Zq8xP2mN7vL4kR9tW3yB6cD1", "Zq8xP2mN7vL4kR9tW3yB6cD1"),
    (r'{\"password\": \"hunter22\"}', "hunter22"), ("mysql -u root -pS3cretPass app", "S3cretPass"),
    ("https://api.example.com/v1?api_key=Zq8xP2mN7vL4kR9t&x=1", "Zq8xP2mN7vL4kR9t"),
])
def test_secret_assignments_are_redacted(text: str, secret: str) -> None:
    assert secret not in redact_text(text)


def test_store_writes_are_redacted_with_extra_patterns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "agentops.toml").write_text('[redaction]\nextra_patterns = ["ACME-[0-9]{6}"]\n')
    store = Store.open(tmp_path)
    path = store.write_record("sessions", "s1", {"note": "ticket ACME-123456, key ghp_" + "x1" * 18})
    text = path.read_text()
    assert "ACME-123456" not in text and "ghp_" not in text
    assert Redactor().text("nothing secret here") == "nothing secret here"


def test_bad_custom_patterns_are_named() -> None:
    problems = check_patterns(["ok-[0-9]+", "(unclosed", "", 3])
    assert [p.index for p in problems] == [1, 2, 3]
    with pytest.raises(PatternError, match=r"extra_patterns\[0\]"):
        Redactor(["(unclosed"])


def test_a_bad_custom_pattern_off_the_strict_path_still_redacts_the_rest(capsys) -> None:  # type: ignore[no-untyped-def]
    redactor = Redactor(["(unclosed", "ACME-[0-9]{6}"], strict=False)
    out = redactor.text("ACME-123456 ghp_" + "x1" * 18)
    assert "ACME-123456" not in out and "ghp_" not in out
    assert "extra_patterns[0]" in capsys.readouterr().err


# Text built from the pieces the rules are made of, so near-misses are common.
PIECES = st.lists(st.sampled_from(["sk", "-", "ant", "g", "h", "p", "_", "AKI", "A", "xo", "x", "AIz", "a",
                                   "eyJ", "BEGIN", "-----", "PRIVATE KEY", "token", "secret", "PASSWORD",
                                   "://", "@", "=", ":", " ", "\n", "x" * 40, "Z" * 16, "ſ", "ı", "\u212a",
                                   "İ", "key", "Bearer ", "glpat", "hf_", "SG.", "AC", "0" * 32]),
                  max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(PIECES, st.text(max_size=60)))
def test_precheck_never_skips_a_text_a_rule_would_change(text: str) -> None:
    """The deny path skips compiling when the pre-check says no: that is only sound if the
    full redaction (every rule compiled and run, keywords ignored) leaves such a text alone."""
    if might_hold_secret(text):
        return
    for rule in RULES:
        pattern = re.compile(rule["regex"], re.IGNORECASE if rule.get("ignore_case") else 0)
        assert not pattern.search(text), rule["id"]
    assert redact_text(text) == text


def test_nothing_is_compiled_or_imported_for_a_text_without_keywords() -> None:
    import subprocess
    import sys

    code = ("import sys; from agentops_os.store.redact import redact_text, rules;"
            "assert redact_text('hello world') == 'hello world';"
            "print('re' in sys.modules, len(rules().compiled))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "0"]


# Random-looking runs that the text around them marks as published on purpose: digests,
# inline file data, public keys and certificates. The key itself is random here, so only
# the context can tell; a real secret in the same line is still redacted.
_B64 = "kJ0oK6o1VGDwEJVXbjJuONzMwvhG79OIzDDUaWXn1V9tx1k5Sjg2mwuk6vYgKDybUFu0sj6RC49NZkkxApwg"


@pytest.mark.parametrize(
    "line",
    [
        f'"integrity": "sha512-{_B64}==",',
        f"github.com/x/y v1.9.0 h1:{_B64[:43]}=",
        f".icon {{ background: url(data:image/png;base64,{_B64}); }}",
        f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{_B64[:43]} dana@laptop",
        f"-----BEGIN CERTIFICATE-----\nMIID{_B64[:60]}\n{_B64[:64]}\n-----END CERTIFICATE-----",
        f"-----BEGIN PUBLIC KEY-----\nMIIB{_B64[:60]}\n-----END PUBLIC KEY-----",
    ],
)
def test_published_random_data_is_left_alone(line: str) -> None:
    assert redact_text(line) == line


def test_a_secret_after_a_public_block_is_still_redacted() -> None:
    text = f"-----BEGIN CERTIFICATE-----\nMIID{_B64[:60]}\n-----END CERTIFICATE-----\ntoken {_B64}"
    out = redact_text(text)
    assert _B64[:60] in out and f"token {_B64}" not in out
