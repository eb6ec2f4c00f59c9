"""Each class of evasion from issue 17, tested as a class: many spellings of one trick,
and the everyday neighbours that must still pass. Verdicts come from the real Judge in
a real git repository (tests/conftest.py's `repo`, HOME pointed at a temp dir)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.config import load_config
from agentops_os.guard.judge import Judge
from agentops_os.guard.policy import Policy
from agentops_os.guard.urls import canonical_address
from agentops_os.guard.words import expand_braces


@pytest.fixture
def judge(repo: Path) -> Judge:
    return Judge(Policy.from_config(load_config(repo)), repo)


def blocked(judge: Judge, command: str) -> str:
    return judge.tool("Bash", {"command": command}).decision


HOME_SPELLINGS = [
    "~",
    "~/",
    "~/''",
    '~/""',
    '"$HOME"',
    '"$HOME"/',
    "${HOME}",
    "$HOME/.",
    "~/.",
    "~/{.,x}",
    "{~,/x}",
    "~+/..",
    '"${HOME}"/',
    "~/./",
    "$HOME//",
]


@pytest.mark.parametrize("home", HOME_SPELLINGS)
@pytest.mark.parametrize(
    "rm",
    [
        "rm -rf {}",
        "rm -r --force {}",
        "rm --recur --forc {}",
        "rm -f --recurs {}",
        "\\rm -fr {}",
        "command rm -rf {}",
        "r''m -rf {}",
        "{{rm,-rf,{}}}",
    ],
)
def test_every_spelling_of_home_is_home(judge: Judge, home: str, rm: str) -> None:
    if home.startswith("~+"):  # ~+ is the current directory: the repo's parent is outside it
        home = home.replace("~+/..", os.path.dirname(judge.root))
    assert blocked(judge, rm.format(home)) == "deny", rm.format(home)


@pytest.mark.parametrize(
    "command",
    [
        "rm -rf ~nosuchuser",
        "rm -rf ~-",
        'rm -rf "$X"',
        "rm -rf $DIR/",
        "rm -rf ${TARGET:-/}",
        "rm -rf $(cat list)",
        'eval "$CMD"',
        "$CMD -rf /",
        "x=rm; $x -rf ~",
        'bash -c "$1"',
        'git push -f origin "$BRANCH"',
        "TMPDIR=/ ; rm -rf $TMPDIR/etc",
    ],
)
def test_what_cannot_be_resolved_is_asked_not_allowed(judge: Judge, command: str) -> None:
    assert blocked(judge, command) in ("ask", "deny"), command


def test_known_variables_and_user_homes_expand(judge: Judge, repo: Path) -> None:
    assert blocked(judge, "rm -rf ~root") == "deny"  # root's home exists everywhere
    assert blocked(judge, 'rm -rf "$TMPDIR/build-1"') == "allow"  # the hook's own TMPDIR
    assert blocked(judge, 'rm -rf "$PWD/build"') == "allow"
    assert blocked(judge, 'rm -rf "$PWD"') == "deny"


@pytest.mark.parametrize(
    "command",
    [
        "git push --forc origin main",
        "git push --force-w origin main",
        "git push --fo origin main",
        "git push --delet origin main",
        "git push origin --del main",
        "git push --mirr",
        "git reset --har",
        "git commit --no-verif -m x",
        "git push --no-ver origin x",
        "chmod --recur 777 /",
        "rm --no-preserve-r -rf /",
    ],
)
def test_abbreviated_long_options_are_spelled_out(judge: Judge, command: str) -> None:
    (Path(judge.root) / "README.md").write_text("dirty\n")  # so that reset --hard would lose work
    assert blocked(judge, command) in ("ask", "deny"), command


@pytest.mark.parametrize(
    "command",
    [
        "git -C . push -f origin main",
        "git -c core.pager=cat push -f origin main",
        "git --no-pager push -f origin main",
        "git --git-dir=.git --work-tree=. push -f origin main",
        "git -P push origin +main",
        "git -c core.hooksPath=/dev/null commit -m x",
        "git config core.hooksPath /dev/null",
    ],
)
def test_global_options_before_the_subcommand(judge: Judge, command: str) -> None:
    assert blocked(judge, command) in ("ask", "deny"), command


@pytest.mark.parametrize(
    "command",
    [
        "find . -delete",
        "find ~ -exec rm -rf {} \\;",
        "find . -name '*' -delete",
        "find . -path x -prune -o -delete",
        "echo ~ | xargs rm -rf",
        "find ~ -print0 | xargs -0 rm -rf",
        "env -C / rm -rf home",
        "env --chdir=/ rm -rf etc",
        "sudo -D / rm -rf usr",
        "pushd / && rm -rf var",
        "cd ~ ; rm -rf *",
        "CDPATH=/ cd etc && rm -rf ssh",
        "cd -P / && rm -rf opt",
        "(cd / && rm -rf srv)",
        "cd /tmp && cd - && rm -rf *",
    ],
)
def test_deletes_through_find_xargs_and_directory_changes(judge: Judge, command: str) -> None:
    assert blocked(judge, command) in ("ask", "deny"), command


@pytest.mark.parametrize(
    "command",
    [
        "echo 'rm -rf /' | bash",
        "printf 'rm -rf ~' | sh",
        "echo cm0gLXJmIC8= | base64 -d | sh",
        "base64 -d <<< cm0gLXJmIH4= | bash",
        "xxd -r -p <<< 726d202d7266202f | sh",
        "rev <<< '/ fr- mr' | sh",
        "bash <(echo 'rm -rf /')",
        "sh < <(echo 'rm -rf ~')",
        "cat <<'E' | bash\nrm -rf ~\nE",
        "bash -s <<< 'rm -rf ~'",
        "source /dev/stdin <<< 'rm -rf ~'",
        "sudo -s <<< 'rm -rf /'",
        "tr a-z n-za-m <<< 'ez -es /' | bash",
        "cat payload | sh",
        "python3 -c \"import subprocess; subprocess.run('rm -rf ~', shell=True)\"",
        "ruby -e '`rm -rf ~`'",
        "python3 -c \"open('agentops.toml','w').write('')\"",
        "docker exec db psql -c 'DROP TABLE users'",
        "docker compose exec db mysql -e 'DROP DATABASE app'",
        "kubectl exec db -- psql -c 'DROP TABLE users'",
        "echo ZHJvcCB0YWJsZSB1c2Vycw== | base64 -d | psql",
    ],
)
def test_code_fed_to_shells_and_interpreters_is_judged_inside(judge: Judge, command: str) -> None:
    assert blocked(judge, command) in ("ask", "deny"), command


@pytest.mark.parametrize(
    "command",
    [
        "echo hello | bash",
        "printf 'ls\\n' | sh",
        "echo '{}' | python3 -m json.tool",
        "cat data.json | jq .",
        "bash <<'EOF'\necho hi\nEOF",
        "docker exec db psql -c 'select 1'",
        "python3 -c 'print(1)'",
        "git status | grep main",
        "find . -name '*.pyc' -delete",
        "rm -rf *.egg-info",
        "rm -rf build dist",
        "git -C src status",
        "env -C src make",
        "cd src && rm -rf build",
        "rm -rf /tmp/tmp.abc123",
        'rm -rf "$TMPDIR/foo"',
        "rm -rf /var/folders/xy/T/tmpabc",
        "npm test",
    ],
)
def test_everyday_neighbours_pass(judge: Judge, command: str) -> None:
    (Path(judge.root) / "src").mkdir(exist_ok=True)
    assert blocked(judge, command) == "allow", command


METADATA = [
    "169.254.169.254",
    "2852039166",
    "0xa9fea9fe",
    "0xA9.0xFE.0xA9.0xFE",
    "0251.0376.0251.0376",
    "169.254.43518",
    "[::ffff:169.254.169.254]",
    "[::ffff:a9fe:a9fe]",
    "169.0xfe.169.254",
    "169.254.169.254.nip.io",
]


@pytest.mark.parametrize("host", METADATA)
def test_metadata_address_in_any_spelling_is_denied(judge: Judge, host: str) -> None:
    assert judge.tool("WebFetch", {"url": f"http://{host}/latest/", "prompt": "x"}).decision == "deny"
    assert blocked(judge, f"curl -s http://{host}/latest/meta-data/") == "deny"


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "127.1",
        "[::ffff:127.0.0.1]",
        "0",
        "0.0.0.0",
        "10.0.0.5",
    ],
)
def test_loopback_and_private_in_any_spelling_are_asked(judge: Judge, host: str) -> None:
    assert judge.tool("WebFetch", {"url": f"http://{host}:8080/", "prompt": "x"}).decision == "ask"


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
@pytest.mark.parametrize("port", [":3000", ":5173", ":8080", ""])
def test_own_dev_server_on_plain_loopback_is_allowed(judge: Judge, host: str, port: str) -> None:
    assert blocked(judge, f"curl -sS -I http://{host}{port}/health | head -n 5") == "allow"


@pytest.mark.parametrize("port", [2375, 2379, 6379, 9200, 10250])
@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_local_service_ports_are_asked_however_plain(judge: Judge, host: str, port: int) -> None:
    assert judge.tool("WebFetch", {"url": f"http://{host}:{port}/", "prompt": "x"}).decision == "ask"


@given(st.integers(0, 2**32 - 1))
def test_every_32_bit_spelling_reads_as_inet_aton_does(value: int) -> None:
    dotted = ".".join(str((value >> s) & 255) for s in (24, 16, 8, 0))
    assert canonical_address(str(value)) == dotted
    assert canonical_address(hex(value)) == dotted
    assert (
        canonical_address(".".join(oct((value >> s) & 255).replace("0o", "0") for s in (24, 16, 8, 0)))
        == dotted
    )


@given(st.lists(st.text("abc/", min_size=1, max_size=3), min_size=2, max_size=4), st.text("xyz", max_size=3))
def test_brace_expansion_makes_one_word_per_option(options: list[str], tail: str) -> None:
    words = expand_braces("p{" + ",".join(options) + "}" + tail)
    assert words == ["p" + option + tail for option in options]


@pytest.mark.parametrize(
    "tool,tool_input",
    [
        ("Write", {"file_path": ".agents/.index/hook-settings.marshal", "content": "x"}),
        ("Edit", {"file_path": ".claude/settings.json", "old_string": "a", "new_string": "b"}),
        ("Write", {"file_path": "agentops.toml", "content": "[guard]\nenabled = false\n"}),
        ("Write", {"file_path": "sub/agentops.toml", "content": "[guard]\nenabled = false\n"}),
        ("Write", {"file_path": ".git/hooks/pre-commit", "content": "x"}),
        ("Bash", {"command": "rm .agents/.index/hook-settings.marshal"}),
        ("Bash", {"command": "rm -rf .agents/.index"}),
        ("Bash", {"command": "rm agentops.toml"}),
        ("Bash", {"command": "mv agentops.toml /tmp/"}),
        ("Bash", {"command": "chmod -x .git/hooks/pre-commit"}),
        ("Bash", {"command": "rm -f .claude/settings.json"}),
        ("Bash", {"command": "ln -sf /dev/null .git/hooks/pre-commit"}),
        ("Bash", {"command": "truncate -s0 agentops.toml"}),
    ],
)
def test_ao_protects_its_own_config_and_caches(
    judge: Judge, tool: str, tool_input: dict[str, object]
) -> None:
    assert judge.tool(tool, tool_input).decision in ("ask", "deny")


def test_allow_rules_cover_one_whole_simple_command(repo: Path) -> None:
    (repo / "agentops.toml").write_text('[[guard.rules]]\nmatch = "^npm test$"\ndecision = "allow"\n')
    judge = Judge(Policy.from_config(load_config(repo)), repo)
    assert judge.tool("Bash", {"command": "npm test"}).decision == "allow"
    for tail in [
        "&& rm -rf ~",
        "; rm -rf /",
        "|| git push -f origin main",
        "| sh",
        "& rm -rf ~",
        "\nrm -rf ~",
    ]:
        assert judge.tool("Bash", {"command": f"npm test {tail}"}).decision in ("ask", "deny"), tail
    assert judge.tool("Bash", {"command": "npm test $(rm -rf ~)"}).decision == "deny"
    assert (
        judge.tool("Bash", {"command": "npm test > ~/.bashrc"}).decision == "ask"
    )  # redirections still judged


@pytest.mark.parametrize(
    "tool,tool_input,decision",
    [
        ("mcp__filesystem__write_file", {"path": "/etc/passwd", "content": "x"}, "deny"),
        ("mcp__filesystem__edit_file", {"path": ".git/config", "edits": []}, "deny"),
        ("mcp__filesystem__read_file", {"path": ".env"}, "deny"),
        ("mcp__filesystem__move_file", {"source": ".git", "destination": "/tmp/x"}, "deny"),
        ("mcp__shell__run_command", {"command": "rm -rf ~"}, "deny"),
        ("mcp__desktop-commander__start_process", {"command": "git push -f origin main"}, "deny"),
        ("mcp__fetch__fetch", {"url": "http://0xa9fea9fe/"}, "deny"),
        ("mcp__postgres__query", {"sql": "DROP TABLE users"}, "deny"),
        ("mcp__filesystem__read_file", {"path": "src/app.py"}, "allow"),
        ("mcp__filesystem__write_file", {"path": "src/app.py", "content": "x"}, "allow"),
        ("mcp__github__list_issues", {"owner": "a", "repo": "b"}, "allow"),
    ],
)
def test_mcp_tools_are_judged_by_their_arguments(
    judge: Judge, tool: str, tool_input: dict[str, object], decision: str
) -> None:
    assert judge.tool(tool, tool_input).decision == decision


def test_user_rules_target_mcp_tools(repo: Path) -> None:
    (repo / "agentops.toml").write_text('[[guard.rules]]\nmatch = "^mcp__github__"\ndecision = "ask"\n')
    judge = Judge(Policy.from_config(load_config(repo)), repo)
    assert judge.tool("mcp__github__create_issue", {"title": "x"}).decision == "ask"


@pytest.mark.parametrize(
    "tool,tool_input",
    [
        ("", {"command": "ls"}),
        ("Write", {"file_path": 42}),
        ("Edit", {"file_path": ["a"]}),
        ("Read", {"file_path": 1}),
        ("Bash", {"command": ["rm"]}),
        ("Bash", {}),
        ("Write", {}),
        ("Bash", "rm -rf /"),
        ("SomeNewTool", {"command": "ls"}),
        ("SomeNewTool", {"file_path": "x"}),
    ],
)
def test_malformed_calls_fail_closed(judge: Judge, tool: str, tool_input: object) -> None:
    assert judge.tool(tool, tool_input).decision == "deny"  # type: ignore[arg-type]


def test_agent_owned_places_are_writable(judge: Judge) -> None:
    plan = os.path.join(judge.home, ".claude", "plans", "plan-a.md")
    assert judge.tool("Write", {"file_path": plan, "content": "x"}).decision == "allow"
    assert judge.tool("TodoWrite", {"todos": []}).decision == "allow"


@pytest.mark.parametrize(
    "path", ["/admin", "/actuator/env", "/debug/pprof/", "/_cluster/settings", "/manager/html"]
)
def test_admin_endpoints_on_plain_loopback_are_asked(judge: Judge, path: str) -> None:
    assert judge.tool("WebFetch", {"url": f"http://localhost:8080{path}", "prompt": "x"}).decision == "ask"
