"""Phase prompts: templates in `.agents/workflows/rpi/<phase>.md` (scaffolded by `ao init`,
the user's to edit), falling back to the bundled ones.

Placeholders are `{{name}}`, not `str.format` fields: templates are Markdown and often
hold code with braces, which must not break a run.
"""

from __future__ import annotations

import re
from pathlib import Path

from agentops_os.repo import AGENTS_DIR

BUNDLED = Path(__file__).resolve().parent.parent.parent / "scaffold" / "workflows" / "rpi"
_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def template_path(root: Path, phase: str) -> Path:
    mine = root / AGENTS_DIR / "workflows" / "rpi" / f"{phase}.md"
    return mine if mine.is_file() else BUNDLED / f"{phase}.md"


def render(template: str, values: dict[str, str]) -> str:
    """Fill `{{name}}` fields; unknown names become empty; blank runs collapse."""
    text = _FIELD.sub(lambda m: values.get(m.group(1), ""), template)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def build(root: Path, phase: str, values: dict[str, str]) -> tuple[str, str]:
    """(prompt, template path as shown to the user)."""
    path = template_path(root, phase)
    shown = str(path.relative_to(root)) if path.is_relative_to(root) else f"(bundled) {phase}.md"
    return render(path.read_text(encoding="utf-8"), values), shown
