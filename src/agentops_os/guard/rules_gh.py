"""The GitHub CLI, `gh`: what it sends to GitHub and what it prints. A local file that gh
reads and uploads (`gh gist create FILE`, `gh gist edit ID -a FILE`, `gh release upload TAG
FILE`, `gh issue create --body-file FILE`, `gh api -F key=@FILE`, `--input FILE`) is read
like `curl -F f=@FILE` reads it: a secret file sent so is the secret read (denied), and a
repository packed earlier on the line (`git bundle create`) sent so is exfiltration. `gh auth
status --show-token` and `gh auth git-credential get` print the stored token, as `gh auth
token` does (rules_host). What opens the repository or the account to someone else (a login
or deploy key, `--visibility public`, `gh api` writes to collaborators, protection, secrets,
keys, hooks) is asked as `repo-access`, and `gh release create` as `publish`. Deletes and
the rest of gh's verbs are judged by rules_infra's cloud rule, which this module calls first."""

from __future__ import annotations

from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# Options gh takes anywhere, with a value.
_GLOBAL_VALUED = ("-R", "--repo", "--hostname")
_BODY = ("-F", "--body-file")
_ISSUE_VALUED = ("-t", "--title", "-b", "--body", "-a", "--assignee", "-l", "--label", "-m", "--milestone",
                 "-p", "--project", "-B", "--base", "-H", "--head", "-r", "--reviewer", "-T", "--template",
                 "--add-label", "--remove-label", "--add-assignee", "--remove-assignee", "--add-project",
                 "--remove-project", "--add-reviewer", "--remove-reviewer", "--edit-last", "--subject",
                 "--match-head-commit", "--author-email")
_RELEASE_VALUED = ("-n", "--notes", "-t", "--title", "--target", "--discussion-category", "--notes-start-tag",
                   "--tag")
# (noun, verb) -> (options with a value, options whose value is a file gh uploads,
#                  index of the first operand that is a file gh uploads, or None)
_SENDS: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], int | None]] = {
    ("gist", "create"): (("-d", "--desc", "-f", "--filename"), (), 0),
    ("gist", "new"): (("-d", "--desc", "-f", "--filename"), (), 0),
    ("gist", "edit"): (("-d", "--desc", "-f", "--filename", "-r", "--remove"), ("-a", "--add"), 1),
    ("release", "upload"): ((), (), 1),
    ("release", "create"): (_RELEASE_VALUED, ("-F", "--notes-file"), 1),
    ("release", "new"): (_RELEASE_VALUED, ("-F", "--notes-file"), 1),
    ("release", "edit"): (_RELEASE_VALUED, ("-F", "--notes-file"), None),
    ("api",): (("-X", "--method", "-H", "--header", "-f", "--raw-field", "-q", "--jq", "-t", "--template",
                "--cache", "-p", "--preview"), ("--input",), None),
}
for _noun in ("issue", "pr"):
    for _verb in ("create", "new", "comment", "edit", "review", "merge", "close"):
        _SENDS[(_noun, _verb)] = (_ISSUE_VALUED, _BODY, None)
_SENDS[("discussion", "create")] = (_ISSUE_VALUED, _BODY, None)
# Options whose `key=@FILE` value gh reads from FILE (`-f` sends the text as written).
_FIELDS = {("api",): ("-F", "--field"), ("workflow", "run"): ("-F", "--field")}


def _gh(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.rules_infra import _cloud

    return worst([_cloud(judge, call), _uploads(judge, call), _token_print(judge, call),
                  _access(judge, call)])


# Endpoints (path segments of `gh api`) that decide who can reach or change a repository
# or an account: writing to them is asked.
_ACCESS_PATHS = frozenset({"collaborators", "protection", "secrets", "keys", "hooks", "rulesets",
                           "invitations", "members", "memberships", "permissions", "gpg_keys",
                           "ssh_signing_keys", "variables", "visibility", "outside_collaborators", "blocks",
                           "deployment-branch-policies", "required_signatures", "enforce_admins",
                           "required_pull_request_reviews", "restrictions"})
_API_FIELDS = ("-f", "--raw-field", "-F", "--field", "--input")


def _access(judge: Scope, call: Call) -> Verdict | None:
    """What gives someone else the repository or the account: `gh ssh-key add` (a login
    key: whoever holds it pushes as you), `gh repo deploy-key add`, `gh repo edit
    --visibility public` (the code and its history to the world), a `gh api` write
    (`-X PUT|POST|PATCH|DELETE`, or fields, which make gh POST) to collaborators, branch
    protection, secrets, keys, webhooks or rulesets, a PATCH of `repos/O/R` that makes it
    public (`-F private=false`, `visibility=public`); and `gh release create`, which
    publishes (a `--draft` passes)."""
    operands, options = _words(call, _RELEASE_VALUED + _SENDS[("api",)][0] + _API_FIELDS + ("--visibility",))
    names = [w.text for w in operands]
    given = {name for name, _ in options}
    values = {f"{name}={value.text}" for name, value in options}
    if names[:2] == ["ssh-key", "add"] or names[:3] == ["repo", "deploy-key", "add"]:
        login = names[0] == "ssh-key"
        what = "a login key to your GitHub account" if login else "a deploy key to the repository"
        shown = " ".join(names[:2] if login else names[:3])
        reason = f"gh {shown} adds {what}: whoever holds the private key can push with it"
        return judge.verdict("repo-access", "ask", reason)
    if names[:2] == ["repo", "edit"] and any(v.endswith(("=public", "=PUBLIC")) for v in values
                                              if v.startswith("--visibility=")):
        reason = "gh repo edit --visibility public publishes the repository's code and history to the world"
        return judge.verdict("repo-access", "ask", reason)
    if names[:2] in (["release", "create"], ["release", "new"]) and not given & {"-d", "--draft"}:
        return judge.verdict("publish", "ask", "gh release create publishes a release (its tag and files) "
                             "to the world")
    if names[:1] != ["api"] or len(names) < 2:
        return None
    methods = [value.text.upper() for name, value in options if name in ("-X", "--method")]
    method = methods[-1] if methods else "POST" if given & set(_API_FIELDS) else "GET"
    if method in ("GET", "HEAD"):
        return None
    segments = set(names[1].split("?", 1)[0].strip("/").split("/"))
    public = any(v.lower().replace(" ", "") in ("private=false", "visibility=public") for v in
                 (value.text for name, value in options if name in _API_FIELDS))
    if segments & _ACCESS_PATHS or public:
        part = (sorted(segments & _ACCESS_PATHS) or ["visibility"])[0]
        reason = f"gh api {method} {names[1][:80]} changes who can reach or change the repository ({part})"
        return judge.verdict("repo-access", "ask", reason)
    return None


def _words(call: Call, valued: tuple[str, ...]) -> tuple[list[Word], list[tuple[str, Word]]]:
    """gh's operands and its options as (name, value word) pairs (`--x=v`, `-Xv`, `-X v`);
    options of `valued` and gh's global ones take a value."""
    operands: list[Word] = []
    options: list[tuple[str, Word]] = []
    args = call.args
    j = 0
    while j < len(args):
        word = args[j]
        text = word.text
        if text == "--":
            operands += args[j + 1 :]
            break
        if not text.startswith("-") or text == "-":
            operands.append(word)
        elif "=" in text and text.startswith("--"):
            name, _, value = text.partition("=")
            options.append((name, Word(value, quoted=word.quoted, dynamic=word.dynamic)))
        elif text[:2] in valued and len(text) > 2 and not text.startswith("--"):
            options.append((text[:2], Word(text[2:], quoted=word.quoted, dynamic=word.dynamic)))
        elif text in valued or text in _GLOBAL_VALUED:
            if j + 1 < len(args):
                options.append((text, args[j + 1]))
            j += 1
        else:
            options.append((text, Word("")))
        j += 1
    return operands, options


def _command(call: Call) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int | None]:
    """gh's (noun, verb) and what it uploads: (command, valued, file options, first file operand)."""
    operands, _ = _words(call, ())
    names = tuple(w.text for w in operands[:2])
    key = names[:1] if names[:1] == ("api",) else names
    valued, files, first = _SENDS.get(key, ((), (), None))
    fields = _FIELDS.get(key, ())
    return key, valued + files + fields, files, first


def _uploads(judge: Scope, call: Call) -> Verdict | None:
    key, valued, files, first = _command(call)
    fields = _FIELDS.get(key, ())
    if not files and first is None and not fields:
        return None
    operands, options = _words(call, valued)
    sent: list[Word] = []
    if first is not None:
        sent += [w for w in operands[len(key) + first :] if w.text != "-"]
    sent += [value for name, value in options if name in files and value.text not in ("", "-")]
    for name, value in options:
        field, at, source = value.text.partition("=@")
        if name in fields and at and field and source != "-":
            sent.append(Word(source, quoted=True, dynamic=value.dynamic))
    from agentops_os.guard.repoexport import sends_archive

    how = f"gh {' '.join(key)} uploads"
    verdicts: list[Verdict | None] = []
    for word in sent:
        text = word.text.split("#", 1)[0] if key[:2] == ("release", "upload") else word.text
        # tilde: a `~/` that bash leaves alone gh may not read, but judging it as home errs safe
        path = judge.resolve(text, dynamic=word.dynamic, quoted=word.quoted, tilde=True)
        if path is not None:
            verdicts.append(judge.judge_read(path, how) or sends_archive(judge, "gh", path))
    return worst(verdicts)


def _token_print(judge: Scope, call: Call) -> Verdict | None:
    """`gh auth status --show-token`/`-t` and `gh auth git-credential get` print the token
    gh keeps (`gh auth token` is judged with the other stored-secret prints)."""
    operands, options = _words(call, ())
    names = [w.text for w in operands]
    shows = names[:2] == ["auth", "status"] and any(n in ("-t", "--show-token") for n, _ in options)
    helper = names[:3] == ["auth", "git-credential", "get"]
    if shows or helper:
        return judge.verdict("secret-read", "ask", f"gh {' '.join(names[:3])} prints the stored GitHub token")
    return None


RULES = {"gh": _gh}
