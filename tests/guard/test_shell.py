"""The shell lexer: quoting, operators, substitutions, here-documents, fail-closed errors."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.guard.shell import ShellSyntaxError, parse


def argvs(source: str) -> list[list[str]]:
    return [command.argv for command in parse(source)]


def test_operators_split_commands() -> None:
    assert argvs("a && b || c; d | e & f\ng") == [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]


def test_substitutions_are_commands_too() -> None:
    assert ["rm", "-rf", "/"] in argvs('echo "$(rm -rf /)"')
    assert ["whoami"] in argvs("echo `whoami`")
    assert ["ls", "a"] in argvs("diff <(ls a) b")
    assert argvs("echo '$(not run)'") == [["echo", "$(not run)"]]


def test_pipeline_upstream() -> None:
    commands = parse("curl x | tee f | sh")
    assert [c.argv for c in commands[2].upstream] == [["curl", "x"], ["tee", "f"]]


def test_heredoc_body_is_not_a_command() -> None:
    commands = parse("cat > f <<'EOF'\nrm -rf /\nEOF\necho done")
    assert [c.argv for c in commands] == [["cat"], ["echo", "done"]]
    assert commands[0].redirects[1].body == "rm -rf /"


def test_escapes_and_ansi_c_quotes() -> None:
    assert argvs("\\rm -r x") == [["rm", "-r", "x"]]
    assert argvs("$'\\x72\\x6d' x") == [["rm", "x"]]


@pytest.mark.parametrize("source", ["echo 'a", 'echo "a', "echo $(ls", "(ls", "ls )",
                                    "echo `a", "ls >"])
def test_unparseable_raises(source: str) -> None:
    with pytest.raises(ShellSyntaxError):
        parse(source)


_word = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@given(st.lists(_word, min_size=1, max_size=6))
def test_quoted_words_round_trip_like_shlex(words: list[str]) -> None:
    source = " ".join(shlex.quote(w) for w in words)
    assert argvs(source) == [shlex.split(source)]


def test_unterminated_heredoc_takes_the_rest_of_the_input_as_bash_does() -> None:
    """bash warns and runs `cat <<EOF` with the remaining lines as its body; the lines
    after it are part of the body, not commands."""
    (command,) = parse("cat > notes.txt <<'END'\nline one\nrm -rf ~\n")
    assert command.words[0].text == "cat"
    assert [r.body for r in command.redirects if r.body] == ["line one\nrm -rf ~"]
    (last,) = parse("cat <<EOF")
    assert last.words[0].text == "cat"
