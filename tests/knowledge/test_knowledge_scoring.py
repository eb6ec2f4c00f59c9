from __future__ import annotations

import pytest

from agentops_os.knowledge import scoring


@pytest.mark.parametrize("line", [
    "keep going until the tests pass",
    "it still fails",
    "Let me re-plan the steps",
    "I selected the second option",
    "UNTIL the lock is released",
    "STILL running",
    "the lesson model needs a migration",
    "I installed the gotcha library",
    "utilities live in util.py",
])
def test_near_misses_are_not_lessons(line: str) -> None:
    assert scoring.lesson_in(line) is None


@pytest.mark.parametrize("line, text", [
    ("TIL: git stash skips untracked files", "git stash skips untracked files"),
    ("Lesson: always pin the base image digest", "always pin the base image digest"),
    ("**Gotcha:** fetch does not reject on HTTP 500", "fetch does not reject on HTTP 500"),
    ("- Note to self: run make generate first", "run make generate first"),
    ("Key takeaway: retries need jitter", "retries need jitter"),
])
def test_leading_markers(line: str, text: str) -> None:
    assert scoring.lesson_in(line) == ("lesson_leading", text)


def test_til_is_case_sensitive_whole_word() -> None:
    assert scoring.lesson_in("til we meet again") is None
    assert scoring.lesson_in("TIL that git log --follow takes one path") is not None


def test_inline_needs_a_statement() -> None:
    assert scoring.lesson_in("The gotcha is that the cache ignores the locale") is not None
    assert scoring.lesson_in("We learned that webhooks can arrive early") is not None


def test_score_penalises_placeholders_questions_and_negations() -> None:
    assert scoring.score("commit_learning", "n/a") == 0.0
    assert scoring.score("lesson_leading", "always set a timeout on HTTP calls") >= 0.5
    assert scoring.score("lesson_inline", "what did we learn from it?") < 0.5
    assert scoring.score("lesson_inline", "there is no real lesson here, just a typo") < 0.5


def test_sentences_skip_code_fences() -> None:
    text = "intro\n```\nLesson: inside code\n```\nLesson: outside"
    assert scoring.sentences(text) == ["intro", "Lesson: outside"]


@pytest.mark.parametrize("line", [
    "Reply with a short summary: what you changed, and one thing you learned that the next "
    "person should know (it becomes the commit's Learning).",
    "Tell us anything you learned that the next shift should know.",
    "In your reply, list the things you have learned that surprised you.",
])
def test_a_request_for_a_lesson_is_not_a_lesson(line: str) -> None:
    """Workflow prompts ask the agent for its Learning; the asking is not a lesson."""
    found = scoring.lesson_in(line)
    assert found is None or scoring.score(*found) < 0.5
    stated = scoring.lesson_in("We learned that the cache must be cleared before migrations run.")
    assert stated is not None and scoring.score(*stated) >= 0.5
