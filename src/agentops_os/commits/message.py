"""Check that a commit message carries Context, Solution, Learning and Impact (Law 3).

A part is either a headed paragraph (`Context:` on its own line or followed by text,
`## Context` Markdown heading) or a trailer (`Learning: ...`), case-insensitive, and must
have some text. Lines git strips (comments, everything below the `>8` scissors line)
are ignored, except `#`-headings naming a part. The comment prefix is git's
`core.commentChar` / `core.commentString` ("#" by default; see `comment_prefix`).
Merge, revert, fixup!, squash! and amend! commits are exempt: their message is
generated or will be squashed away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PARTS = ("context", "solution", "learning", "impact")

_EXEMPT = re.compile(r"^(?:Merge |Revert |fixup! |squash! |amend! |fixup!|squash!|amend!)")
_SCISSORS = re.compile(r"^ -+ >8 -+$")  # after the comment prefix
# git's candidates for `core.commentChar = auto`, in its order of preference
_AUTO_CANDIDATES = "#;@!$%^&|:"
_HEADING = re.compile(r"^#{1,6}\s+\**(?P<part>" + "|".join(PARTS) + r")\**\s*:?\s*$", re.IGNORECASE)
_LABEL = re.compile(r"^\s*\**(?P<part>" + "|".join(PARTS) + r")\**\s*:\**\s*(?P<rest>.*)$", re.IGNORECASE)

EXAMPLE = """\
    Round order totals once, at the end

    Context: totals were off by a cent when discounts applied.
    Solution: sum in Decimal and round once in total().
    Learning: float sums drift; money needs Decimal end to end.
    Impact: invoices match the payment provider again; no API change."""


@dataclass
class CheckResult:
    ok: bool
    subject: str
    found: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    exempt: str | None = None

    def explanation(self) -> str:
        problems = []
        if self.missing:
            problems.append("missing " + ", ".join(p.capitalize() for p in self.missing))
        if self.empty:
            problems.append("empty " + ", ".join(p.capitalize() for p in self.empty))
        return (
            f"commit message rejected ({'; '.join(problems)}): Law 3 asks every commit to say\n"
            "why it was needed (Context), what changed (Solution), what is worth reusing\n"
            "(Learning) and what it changes for users (Impact). As paragraphs or trailers, e.g.:\n\n"
            f"{EXAMPLE}\n\n"
            "Merge, revert, fixup!, squash! and amend! commits are exempt; which parts are required\n"
            "is set by commit.required_parts in agentops.toml."
        )


def comment_prefix(configured: str, text: str) -> str:
    """The comment prefix of `text`. For "auto", git picks a character no line of the
    message starts with; by then its own comment block ends the message, so the first
    character of the last non-empty line is taken when it is one of git's candidates."""
    if configured != "auto":
        return configured or "#"
    lines = [line for line in text.splitlines() if line.strip()]
    last = lines[-1][:1] if lines else ""
    return last if last and last in _AUTO_CANDIDATES else "#"


def meaningful_lines(text: str, comment: str = "#") -> list[str]:
    """The lines git would keep: no comments (headings of parts aside), nothing past scissors."""
    kept = []
    for line in text.splitlines():
        if line.startswith(comment):
            if _SCISSORS.match(line[len(comment):]):
                break
            if not _HEADING.match(line):
                continue
        kept.append(line.rstrip())
    return kept


def parse_parts(lines: list[str]) -> dict[str, str]:
    """Part name -> its text (the rest of the label line plus lines up to the next part)."""
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        heading = _HEADING.match(line) or _LABEL.match(line)
        if heading:
            current = heading.group("part").lower()
            rest = heading.groupdict().get("rest") or ""
            parts.setdefault(current, []).append(rest.strip())
            continue
        if current is not None:
            parts[current].append(line.strip())
    return {name: " ".join(t for t in texts if t).strip() for name, texts in parts.items()}


def check_message(text: str, required: list[str] | tuple[str, ...] = PARTS,
                  comment: str = "#") -> CheckResult:
    lines = meaningful_lines(text, comment_prefix(comment, text))
    while lines and not lines[0].strip():
        lines.pop(0)
    subject = lines[0].strip() if lines else ""
    if _EXEMPT.match(subject):
        return CheckResult(True, subject, exempt=subject.split()[0].rstrip("!").lower())
    found = parse_parts(lines[1:])
    missing = [p for p in required if p not in found]
    empty = [p for p in required if p in found and not found[p]]
    return CheckResult(not missing and not empty and bool(subject), subject, found, missing, empty)


TEMPLATE = """\

# AgentOps (Law 3): after the subject line, say in four short parts
#   Context:  why this change was needed
#   Solution: what you changed and how
#   Learning: what you learned that is worth reusing
#   Impact:   what it changes for users, the risk, what follows
# as paragraphs or trailers, e.g. "Learning: float sums drift; use Decimal."
"""

TEMPLATE_MARK = "AgentOps (Law 3):"  # after the comment prefix


def with_template(message: str, source: str | None, comment: str = "#") -> str | None:
    """The message with the template inserted, or None when it must stay as it is.

    Only for a plain `git commit` (no source) or a commit.template: -m/-F messages,
    merges, squashes and amends (`commit` source) are left alone, as is a message that
    already has the template or already names its parts. The template's lines start
    with the repo's comment prefix, so git strips them like its own.
    """
    if source not in (None, "", "template"):
        return None
    prefix = comment_prefix(comment, message)
    if f"{prefix} {TEMPLATE_MARK}" in message:
        return None
    if parse_parts(meaningful_lines(message, prefix)):
        return None
    lines = message.split("\n")
    # Insert after the user's own (non-comment) text, before git's comment block.
    index = 0
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith(prefix):
            index = number + 1
    template = TEMPLATE.replace("\n#", "\n" + prefix)
    return "\n".join(lines[:index]) + ("\n" if index else "") + template + "\n".join(lines[index:])
