"""Explicit-lesson detection and the candidate scorer. Every rule is visible here.

Markers are matched as whole words with regex word boundaries: "TIL" never matches
inside "until" or "still", "lesson" never inside "lessons-table" identifiers' parts
like "lessonsdb". Scores are in 0..1; `forge.min_score` in config decides what is kept.
Rejections in review do not change these rules (no hidden learning).
"""

from __future__ import annotations

import re

# A marker that opens the line, followed by a colon: "Lesson: ...", "TIL: ...".
_LEADING = re.compile(
    r"^\s*(?:[-*>]\s*)?(?:\*\*)?(?:key |main |the )?"
    r"(?P<marker>lessons? learned|lessons?|learned|learnings?|takeaway|gotcha|note to self|(?-i:TIL))"
    r"(?:\*\*)?\s*[:\u2014-]\s*(?:\*\*)?\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
# A marker inside a sentence: "the gotcha is that ...", "we learned that ...".
# Bare nouns ("the lesson model", "the gotcha library") are not statements of a lesson:
# inline markers need a copula or "that" after them.
_INLINE = re.compile(
    r"\b(?:lessons? learned|(?:the|one|a|key) (?:lesson|gotcha|takeaway)s? (?:here )?(?:is|was|:)|"
    r"lesson here|gotcha here|learned that|learnt that|note to self|(?-i:TIL)|takeaway is)\b",
    re.IGNORECASE,
)
_GENERAL = re.compile(
    r"\b(?:always|never|must|should|don't|do not|avoid|prefer|instead|because|otherwise|only|"
    r"before|requires?|needs? to)\b", re.IGNORECASE)
# Sentences that mention a lesson without stating one: none was learned, or one is asked
# for ("reply with ... one thing you learned that the next person should know", which is
# how a workflow prompt asks an agent for its Learning trailer).
_NEGATED = re.compile(
    r"\b(?:no (?:real )?(?:lesson|gotcha|takeaway)s?|nothing (?:new )?(?:learned|to learn)|"
    r"what (?:we|i|you) learned|if (?:we|i|you) learned|haven't learned|not learned|"
    r"(?:(?:one |a |any )?things?|anything|something) (?:that )?you(?:'ve| have)? learn(?:ed|t)|"
    r"(?:reply|tell|say|write|share|list|mention|note down|report)\b[^.]{0,80}"
    r"\byou(?:'ve| have)? learn(?:ed|t)|"
    r"lesson plans?|gotcha (?:game|video|film))\b", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"^\s*(?:n/?a|none|nothing|tbd|todo|-+|\.+|same as above)\s*\.?\s*$", re.IGNORECASE)
_CODEY = re.compile(r"(?:^\s{4,}|[{};]\s*$|^\s*(?:\$|>>>|#include|import |def |class )|\w+\(.*\)\s*$)")

BASE = {
    "commit_learning": 0.85,
    "handoff_learning": 0.75,
    "lesson_leading": 0.75,
    "lesson_inline": 0.55,
    "handoff_decision": 0.6,
    "correction": 0.6,
    "retry_fix": 0.55,
    "handoff_question": 0.5,
}


def lesson_in(line: str) -> tuple[str, str] | None:
    """(kind, lesson text) if the line states an explicit lesson, else None."""
    lead = _LEADING.match(line)
    if lead:
        return "lesson_leading", lead.group("rest").strip()
    if _INLINE.search(line):
        return "lesson_inline", line.strip()
    return None


def score(kind: str, text: str) -> float:
    """The candidate's score: a base per extraction rule, adjusted by what the text says."""
    value = BASE.get(kind, 0.5)
    clean = text.strip()
    words = clean.split()
    if not words or _PLACEHOLDER.match(clean):
        return 0.0
    if _NEGATED.search(clean):
        value -= 0.4
    if len(words) < 4:
        value -= 0.3
    elif len(words) > 80:
        value -= 0.15
    if clean.endswith("?") and kind != "handoff_question":
        value -= 0.3
    if _CODEY.search(clean):
        value -= 0.2
    if _GENERAL.search(clean):
        value += 0.1
    return round(min(max(value, 0.0), 1.0), 3)


def sentences(text: str) -> list[str]:
    """Lines, and sentences within long lines, outside fenced code blocks."""
    out: list[str] = []
    fenced = False
    for raw in text.splitlines():
        if raw.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or not raw.strip():
            continue
        parts = re.split(r"(?<=[.!?])\s+(?=[A-Z*])", raw.strip()) if len(raw) > 160 else [raw]
        out.extend(p for p in parts if p.strip())
    return out
