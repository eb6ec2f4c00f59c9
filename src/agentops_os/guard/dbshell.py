"""Shell commands run from inside a database client.

`psql -c '\\! rm -rf ~'`, `mysql -e 'system curl … | sh'`, `sqlite3 db '.shell …'` and
`\\o |cmd` run a command line on this machine; the SQL rules see only text. Each such
command line is judged as if typed into the shell itself. `COPY … TO PROGRAM 'cmd'`
(PostgreSQL) and `xp_cmdshell` (SQL Server) run theirs on the database server, as the
server's user: judged the same way, and asked about in any case (`db-shell`), since the
guard cannot see that machine.
"""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# the rest of the line is a shell command: psql/mysql `\!`, mysql `system`, sqlite3
# `.shell`/`.system`, sqlcmd `!!`, SQL*Plus `host`; output piped to a command: psql
# `\o |cmd` / `\g |cmd`, sqlite3 `.output |cmd` / `.once |cmd`, mysql `pager cmd`
_CLIENT_ESCAPE = (
    r"(?im)\\!\s*(?P<bang>[^\n]+)"
    r"|^[ \t]*(?:system|\\P|pager|host|!!)[ \t]+(?P<line>[^\n;]+)"
    r"|^[ \t]*\.(?:shell|system)[ \t]+(?P<dot>[^\n]+)"
    r"|(?:\\[og]|^[ \t]*\.(?:output|once))[ \t]*\|[ \t]*(?P<pipe>[^\n]+)"
)
_PROGRAM = r"(?is)\\?\bcopy\b[^;]*?\b(?:to|from)\s+program\s+(?:E?'(?P<sq>(?:[^']|'')*)'|\$\$(?P<dq>.*?)\$\$)"
_CMDSHELL = r"(?is)\bxp_cmdshell\b\s*\(?\s*N?'(?P<cmd>(?:[^']|'')*)'"


def escapes(judge: Scope, call: Call) -> Verdict | None:
    import re

    from agentops_os.guard.rules_infra import client_input

    text = client_input(call)
    if not any(mark in text for mark in ("!", "system", "pager", "host", ".shell", "|", "program",
                                         "PROGRAM", "cmdshell", "\\P")):
        return None
    verdicts: list[Verdict | None] = []
    for match in re.finditer(_CLIENT_ESCAPE, text):
        line = next(g for g in match.groups() if g is not None).strip()
        # query output piped to a program is text the guard cannot see, like `cat | sh`
        verdicts.append(judge.inner(f"cat | {line}" if match.group("pipe") else line))
    server = [m.group("sq").replace("''", "'") if m.group("sq") is not None else m.group("dq")
              for m in re.finditer(_PROGRAM, text)]
    server += [m.group("cmd").replace("''", "'") for m in re.finditer(_CMDSHELL, text)]
    for line in server:
        verdicts.append(judge.inner(line))
        verdicts.append(judge.verdict(
            "db-shell", "ask", f"the database server runs the shell command `{line[:60]}` as its own user"))
    return worst(verdicts)
