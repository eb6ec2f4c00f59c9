"""User rules written as plain text with anchors are matched without `re`, exactly as
`re.search` matches them (the hook must not import `re` for `^npm test$`)."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from agentops_os.guard.policy import UserRule

_text = st.text(alphabet="ab \n-$^.\\", max_size=8)
_pattern = st.builds(
    lambda start, body, end: start + body + end,
    st.sampled_from(["", "^"]),
    st.text(alphabet="ab -\n\\$.", max_size=5),
    st.sampled_from(["", "$"]),
)


@given(_pattern, _text)
def test_agrees_with_re_search(pattern: str, text: str) -> None:
    try:
        expected = re.search(pattern, text) is not None
    except re.error:
        return  # not a valid rule; config load rejects it
    assert UserRule(pattern, "allow", "").search(text) == expected


def test_plain_rules_do_not_import_re() -> None:
    probe = (
        "import sys\n"
        "from agentops_os.guard.policy import UserRule\n"
        "assert UserRule('^npm test$', 'allow', '').search('npm test')\n"
        "assert not UserRule('^npm test$', 'allow', '').search('npm test && rm -rf ~')\n"
        "print('re' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    assert UserRule(r"^npm (test|run)", "allow", "").search("npm run x")  # real regexes still work
