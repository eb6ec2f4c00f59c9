"""Extractive, offline compression for context bundles.

Keeps what a reader needs to act: headings, decisions, file and command lists,
identifiers, numbers and errors. Drops repetition (a log line repeated with different
numbers is kept once, with a count) and boilerplate (filler sentences, code bodies,
chatter). Units (lines, or sentences of prose) are scored by those signals per token,
then picked best-first until the target size; the output keeps the original order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agentops_os.context.tokens import estimate_tokens

_DECISION = re.compile(
    r"\b(decid\w*|decision|chose|chosen|choose|agreed|settled|rejected|will use|we use|"
    r"must|never|always|instead of|because|trade-?off|risk|blocker|todo|next step|"
    r"open question|conclusion|recommend\w*|root cause|fix(?:ed)? by|workaround)\b",
    re.IGNORECASE)
_ERROR = re.compile(
    r"\b(error|errors|failed|failure|fails|exception|traceback|timeout|timed out|panic|"
    r"fatal|denied|refused|crash\w*|E\d{3,}|[A-Z][A-Za-z]+Error|ERR_[A-Z_]+|exit (?:code|status) \d+)\b")
_PATH = re.compile(r"(?:[\w.\-]+/)+[\w.\-]+|"
                   r"\b[\w\-]+\.(?:py|ts|js|go|rs|md|toml|yaml|yml|json|sql|sh|cfg|ini|txt)\b")
_COMMAND = re.compile(r"`[^`]+`|^\s*\$ ")
_IDENT = re.compile(r"\b(?:[a-z]+_[a-z0-9_]+|[a-z]+[A-Z][A-Za-z0-9]+|[A-Z][a-z]+[A-Z][A-Za-z0-9]*|"
                    r"[A-Z]{2,}[A-Z0-9_]*|\w+\.\w+\(\)?)\b")
_NUMBER = re.compile(r"\b\d+(?:[.,:]\d+)*(?:\s?(?:%|ms|s|MB|GB|KB|k|x|rpm|rps|req/s|tokens|USD))?")
_FILLER = re.compile(
    r"^(?:so,? |well,? |basically,? |anyway,? |ok(?:ay)?,? |hmm|let me |i think |i guess |"
    r"as (?:mentioned|noted|discussed)|it is worth |it's worth |in general,? |to be honest|"
    r"interestingly|of course|note that |just to |i wonder|thanks|thank you)",
    re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"(])")
_NORMALIZE = re.compile(r"\d+|0x[0-9a-f]+|[0-9a-f]{8,}", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<=[,;:)])\s+(?=[A-Za-z`(\"])|\s+(?=(?:and|but|which|so|because|while|where|"
                     r"with|after|until|instead)\s)|\s+[\u2014\u2013]\s+")
FRAGMENT_OVER_TOKENS = 20
MIN_TARGET_TOKENS = 48
_LOG_PREFIX = re.compile(r"^\s*(?:\[?\d{4}-\d\d-\d\d[T ][\d:.,]+Z?\]?\s*|\d\d:\d\d:\d\d[.,\d]*\s*)")


@dataclass
class Unit:
    order: int
    text: str
    heading: bool
    tokens: int
    score: float
    repeats: int = 1


def _score(text: str) -> float:
    score = 0.0
    score += 3.0 * min(2, len(_DECISION.findall(text)))
    score += 3.0 * min(2, len(_ERROR.findall(text)))
    score += 2.0 * min(3, len(_PATH.findall(text)))
    score += 2.0 * min(2, len(_COMMAND.findall(text)))
    score += 1.0 * min(3, len(_IDENT.findall(text)))
    score += 1.0 * min(3, len(_NUMBER.findall(text)))
    # Filler openers ("so", "basically") cost only when nothing else speaks for the unit:
    # "So the root cause is ..." is a finding.
    if score < 3.0 and _FILLER.match(text.strip(" -*>")):
        score -= 2.0
    return score


def _units(text: str) -> list[tuple[str, bool]]:
    """(unit text, is_heading): headings, list items/log lines, prose sentences.
    Code blocks keep only command lines and signatures."""
    out: list[tuple[str, bool]] = []
    in_code = False
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if not stripped or not any(c.isalnum() for c in stripped):
            continue  # blank lines and rules (---, ***, |---|)
        if in_code:
            if stripped.startswith(("$ ", "def ", "class ", "async def ", "func ", "fn ")) or \
                    _ERROR.search(stripped):
                out.append((stripped, False))
            continue
        if stripped.startswith("#"):
            out.append((stripped, True))
            continue
        if (re.match(r"^([-*+]|\d+[.)]|\|)\s*", stripped) or _LOG_PREFIX.match(stripped)
                or len(stripped) < 100):
            out.append((stripped, False))
            continue
        for sentence in _SENTENCE.split(stripped):
            out.extend((f, False) for f in _fragments(sentence.strip()) if f)
    return out


def _fragments(sentence: str) -> list[str]:
    """Long prose sentences split into clauses, so a fact can be kept without the
    filler around it. Tiny clauses are glued back onto the previous one."""
    if estimate_tokens(sentence) <= FRAGMENT_OVER_TOKENS:
        return [sentence]
    out: list[str] = []
    for piece in _CLAUSE.split(sentence):
        piece = piece.strip()
        if not piece:
            continue
        if out and len(piece.split()) < 4:
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _template(text: str) -> str:
    return " ".join(_NORMALIZE.sub("0", _LOG_PREFIX.sub("", text)).lower().split())


def compress(text: str, ratio: float) -> str:
    """Compress `text` to about 1/`ratio` of its tokens (never more than it had)."""
    if ratio < 1:
        raise ValueError("ratio must be >= 1")
    if estimate_tokens(text) <= MIN_TARGET_TOKENS:
        return text if text.endswith("\n") else text + "\n"
    units: list[Unit] = []
    by_template: dict[str, Unit] = {}
    for order, (piece, heading) in enumerate(_units(text)):
        key = _template(piece)
        if not heading and key in by_template:
            by_template[key].repeats += 1  # repetition: keep the first, count the rest
            continue
        unit = Unit(order, piece, heading, estimate_tokens(piece) + 1, _score(piece))
        units.append(unit)
        if not heading:
            by_template[key] = unit
    for unit in units:
        if unit.repeats > 1:
            unit.text += f" (x{unit.repeats})"
            unit.score += 1.0
        if not (unit.heading or unit.text.startswith(("-", "*", "|"))):
            unit.text = f"- {unit.text}"  # the bullet and the count cost tokens too: count them
        unit.tokens = estimate_tokens(unit.text) + 1
    # A floor: squeezing a short note below a few lines only loses it.
    target = max(MIN_TARGET_TOKENS, int(estimate_tokens(text) / ratio))
    kept = {u.order for u in units if u.heading}
    used = sum(u.tokens for u in units if u.heading)
    ranked = sorted((u for u in units if not u.heading and u.score >= 0),
                    key=lambda u: (-u.score / (u.tokens ** 0.5), u.order))
    for unit in ranked:
        if used + unit.tokens > target:
            continue
        kept.add(unit.order)
        used += unit.tokens
    lines = [u.text for u in units if u.order in kept]
    # Headings with nothing under them before the next heading of the same or higher level.
    out = "\n".join(_prune_empty_headings(lines)) + "\n"
    if estimate_tokens(out) > estimate_tokens(text):  # a text with nothing to drop: keep it as it was
        return text if text.endswith("\n") else text + "\n"
    return out


_SIGNATURE = re.compile(
    r"^\s*(?:@\w|(?:async\s+)?def\s|class\s|func\s|fn\s|pub\s|function\s|export\s|interface\s|"
    r"type\s+\w+\s*=|struct\s|impl\b|enum\s|public\s|private\s|protected\s|const\s+[A-Z_]+\s*=|"
    r"[A-Z][A-Z0-9_]+\s*=)")
_COMMENT = re.compile(r"^\s*(?:#|//|/\*|\*|--)")
CODE_EXTENSIONS = (".py", ".pyi", ".js", ".jsx", ".ts", ".tsx", ".go", ".rs", ".java", ".kt", ".c",
                   ".h", ".cc", ".cpp", ".hpp", ".cs", ".rb", ".php", ".swift", ".scala", ".sh", ".sql")


def compress_code(text: str, ratio: float) -> str:
    """Source code: an outline. Signatures (and decorators, constants) first, then the
    first docstring line after each, comments that carry decisions or TODOs, and lines
    that raise or log errors; indentation is kept so that nesting stays readable."""
    if estimate_tokens(text) <= MIN_TARGET_TOKENS:
        return text if text.endswith("\n") else text + "\n"
    lines = text.splitlines()
    units: list[Unit] = []
    after_signature = False
    for order, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        if _SIGNATURE.match(line):
            score = 6.0
            after_signature = True
        elif after_signature and stripped.startswith(('"""', "'''", "///", "/**")):
            score = 3.0
            after_signature = False
        else:
            after_signature = after_signature and stripped.endswith((",", "(", "\\"))
            score = _score(stripped) - (0.0 if _COMMENT.match(line) else 2.0)
        units.append(Unit(order, line.rstrip(), False, estimate_tokens(line) + 1, score))
    target = max(MIN_TARGET_TOKENS, int(estimate_tokens(text) / ratio))
    kept: set[int] = set()
    used = 0
    for unit in sorted((u for u in units if u.score > 0), key=lambda u: (-u.score, u.order)):
        if used + unit.tokens <= target:
            kept.add(unit.order)
            used += unit.tokens
    return "\n".join(u.text for u in units if u.order in kept) + "\n"


def _level(line: str) -> int:
    return len(line) - len(line.lstrip("#")) if line.startswith("#") else 0


def _prune_empty_headings(lines: list[str]) -> list[str]:
    out: list[str] = []
    for i, line in enumerate(lines):
        level = _level(line)
        if level:
            following = next((ln for ln in lines[i + 1:]), None)
            if following is None or (_level(following) and _level(following) <= level):
                continue
        out.append(line)
    return out
