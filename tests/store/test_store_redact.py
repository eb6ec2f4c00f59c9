"""Redaction: no secret of a known shape survives, wherever it sits in the text."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.store import Store
from agentops_os.store.redact import _BUILTIN, Redactor, might_hold_secret, redact_text, redact_value

ALNUM = string.ascii_letters + string.digits


def _chars(alphabet: str, n: int) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), min_size=n, max_size=n)


SECRETS = {
    "anthropic": st.builds(lambda s: "sk-ant-api03-" + s, _chars(ALNUM + "_-", 40)),
    "openai": st.builds(lambda p, s: p + s, st.sampled_from(["sk-", "sk-proj-", "sk-svcacct-"]),
                        _chars(ALNUM, 40)),
    "github": st.builds(lambda p, s: p + s, st.sampled_from(["ghp_", "gho_", "ghs_", "ghu_"]),
                        _chars(ALNUM, 36)) | st.builds(lambda s: "github_pat_" + s, _chars(ALNUM + "_", 60)),
    "aws": st.builds(lambda p, s: p + s, st.sampled_from(["AKIA", "ASIA"]),
                     _chars(string.ascii_uppercase + string.digits, 16)),
    "slack": st.builds(lambda p, s: p + s, st.sampled_from(["xoxb-", "xoxp-", "xoxa-"]),
                       _chars(ALNUM + "-", 30)),
    "google": st.builds(lambda s: "AIza" + s, _chars(ALNUM + "_-", 35)),
    "jwt": st.builds(lambda a, b, c: f"eyJ{a}.eyJ{b}.{c}", _chars(ALNUM, 20), _chars(ALNUM, 30),
                     _chars(ALNUM + "_-", 43)),
    "private-key": st.builds(
        lambda s: f"-----BEGIN RSA PRIVATE KEY-----\n{s}\n-----END RSA PRIVATE KEY-----",
        _chars(ALNUM + "+/", 64)),
}
# The part of a secret that must not survive (URL passwords and assignments keep the name).
url_password = st.builds(lambda u, p: (f"https://{u}:{p}@db.example.com/x", p),
                         _chars(string.ascii_lowercase, 6), _chars(ALNUM, 16))
assignment = st.builds(lambda n, v: (f"{n}={v}", v),
                       st.sampled_from(["API_KEY", "DB_PASSWORD", "client_secret", "GITHUB_TOKEN",
                                        "aws_secret_access_key", "AUTH"]),
                       _chars(ALNUM, 24))
filler = st.text(st.sampled_from(string.ascii_letters + " \n\t.,;:()[]{}'\"="), max_size=80)


@settings(max_examples=300, deadline=None)
@given(before=filler, after=filler, secret=st.one_of(*SECRETS.values()))
def test_no_known_secret_shape_survives(before: str, after: str, secret: str) -> None:
    out = redact_text(f"{before} {secret} {after}")
    assert out.count(secret) <= (before + after).count(secret)
    assert "[REDACTED:" in out


@settings(max_examples=200, deadline=None)
@given(before=filler, after=filler, pair=st.one_of(url_password, assignment))
def test_passwords_in_urls_and_secret_assignments_are_redacted(before: str, after: str,
                                                                 pair: tuple[str, str]) -> None:
    text, secret = pair
    out = redact_text(f"{before}\n{text}\n{after}")
    assert out.count(secret) <= (before + after).count(secret)


def test_values_keep_their_structure_and_names() -> None:
    out = redact_value({"env": ["OPENAI_API_KEY=sk-" + "a" * 40], "n": 3})
    assert out == {"env": ["OPENAI_API_KEY=[REDACTED:openai-key]"], "n": 3}


def test_store_writes_are_redacted_with_extra_patterns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "agentops.toml").write_text('[redaction]\nextra_patterns = ["ACME-[0-9]{6}"]\n')
    store = Store.open(tmp_path)
    path = store.write_record("sessions", "s1", {"note": "ticket ACME-123456, key ghp_" + "x" * 36})
    text = path.read_text()
    assert "ACME-123456" not in text and "ghp_" not in text
    assert Redactor().text("nothing secret here") == "nothing secret here"


# Text built from the pieces the patterns are made of, so near-misses are common.
PIECES = st.lists(st.sampled_from(["sk", "-", "ant", "g", "h", "p", "_", "AKI", "A", "xo", "x", "AIz", "a",
                                   "eyJ", "BEGIN", "-----", "PRIVATE KEY", "token", "secret", "PASSWORD",
                                   "://", "@", "=", ":", " ", "\n", "x" * 40, "Z" * 16, "ſ", "ı", "\u212a"]),
                  max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.one_of(PIECES, st.text(max_size=60)))
def test_precheck_never_skips_a_text_a_pattern_would_change(text: str) -> None:
    """The deny path skips compiling the patterns when the pre-check says no: that is
    only sound if the full redaction would have left such a text unchanged."""
    if not might_hold_secret(text):
        full = Redactor(["(?!)"])  # a never-matching custom pattern forces the full path
        assert full.text(text) == text


def test_every_builtin_pattern_is_covered_by_a_trigger() -> None:
    samples = {"private-key": "-----BEGIN EC PRIVATE KEY-----\nabc", "anthropic-key": "sk-ant-" + "a" * 20,
               "openai-key": "sk-" + "a" * 24, "github-token": "github_pat_" + "a" * 24,
               "aws-access-key": "ABIA" + "A" * 16, "slack-token": "xoxb-" + "a" * 12,
               "slack-webhook": "https://hooks.slack.com/services/T0/B0", "google-api-key": "AIza" + "a" * 35,
               "jwt": "eyJabcde.eyJabcde.abcde", "url-password": "https://u:pw@host"}
    assert set(samples) == {label for label, _ in _BUILTIN}
    for label, sample in samples.items():
        assert might_hold_secret(sample), label
        assert redact_text(sample) != sample, label
