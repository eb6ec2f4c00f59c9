"""Every failure-pattern check, with a case that must be found and one that must not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from agentops_os.config import load_config
from agentops_os.diffcheck.checks import Finding, Settings, check_diff


def commit(repo: Path, files: dict[str, str | None], message: str = "base") -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True)


def write(repo: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)


def findings(repo: Path, check: str, **kwargs: object) -> list[Finding]:
    settings = Settings.from_config(load_config(repo))
    return [f for f in check_diff(repo, settings, **kwargs) if f.check == check]  # type: ignore[arg-type]


API = ("def total(items, tax=0):\n    return sum(items)\n\n\n"
       "class Cart:\n    def add(self, item):\n        pass\n")


def test_mass_deletion(repo: Path) -> None:
    commit(repo, {f"m{i}.py": "x = 1\n" * 50 for i in range(12)})
    write(repo, {"m0.py": "x = 1\n" * 49})
    assert findings(repo, "mass-deletion") == []
    write(repo, {f"m{i}.py": None for i in range(12)})
    found = findings(repo, "mass-deletion")
    assert found and found[0].severity == "block" and "12 files deleted" in found[0].message


def test_api_removed(repo: Path) -> None:
    commit(repo, {"shop/cart.py": API})
    write(repo, {"shop/cart.py": API + "\n\ndef new_helper():\n    pass\n"})
    assert findings(repo, "api-removed") == []
    write(repo, {"shop/cart.py": "class Cart:\n    def add(self, item):\n        pass\n"})
    found = findings(repo, "api-removed")
    assert [(f.location, f.severity) for f in found] == [("shop/cart.py:1", "block")]
    assert "'total'" in found[0].message


def test_api_changed_signature(repo: Path) -> None:
    commit(repo, {"shop/cart.py": API})
    write(repo, {"shop/cart.py": API.replace("tax=0", "tax=0, *, currency='EUR'")})
    assert findings(repo, "api-changed") == []  # a new optional parameter is compatible
    write(repo, {"shop/cart.py": API.replace("def add(self, item)", "def add(self, item, qty)")})
    found = findings(repo, "api-changed")
    assert found and found[0].location == "shop/cart.py:6"
    assert "new required parameter 'qty'" in found[0].message


def test_private_module_changes_are_not_api(repo: Path) -> None:
    commit(repo, {"shop/_internal.py": API})
    write(repo, {"shop/_internal.py": "x = 1\n"})
    assert findings(repo, "api-removed") == []


def test_js_export_removed(repo: Path) -> None:
    commit(repo, {"web/api.ts": "export function getUser(id: string) {}\nexport const VERSION = 1\n"})
    write(repo, {"web/api.ts": "export const VERSION = 2\n"})
    found = findings(repo, "api-removed")
    assert [f.location for f in found] == ["web/api.ts:1"]


def test_giant_function(repo: Path) -> None:
    small = "def f():\n" + "    x = 1\n" * 10
    commit(repo, {"app.py": small})
    write(repo, {"app.py": small + "    y = 2\n"})
    assert findings(repo, "giant-function") == []
    write(repo, {"app.py": "def f():\n" + "    x = 1\n" * 100})
    found = findings(repo, "giant-function")
    assert found and found[0].location == "app.py:1" and "101 lines (was 11)" in found[0].message
    assert found[0].severity == "warn"


def test_tests_skipped_and_assertions_removed(repo: Path) -> None:
    test = "def test_total():\n    assert total([1]) == 1\n    assert total([]) == 0\n"
    commit(repo, {"tests/test_cart.py": test})
    write(repo, {"tests/test_cart.py": test + "    assert total([2]) == 2\n"})
    assert findings(repo, "tests-weakened") == []
    write(repo, {"tests/test_cart.py": "import pytest\n\n\n@pytest.mark.skip\n" + test})
    skipped = findings(repo, "tests-weakened")
    assert [f.location for f in skipped] == ["tests/test_cart.py:4"]
    write(repo, {"tests/test_cart.py": "def test_total():\n    assert total([1]) == 1\n"})
    weakened = findings(repo, "tests-weakened")
    assert weakened and weakened[0].location == "tests/test_cart.py:3" and "1 assertion(s) removed" in \
        weakened[0].message


def test_test_file_deleted(repo: Path) -> None:
    commit(repo, {"tests/test_a.py": "def test_a():\n    assert True\n"})
    write(repo, {"tests/test_a.py": None})
    assert [f.message for f in findings(repo, "tests-weakened")] == ["test file deleted"]


def test_secret_added(repo: Path) -> None:
    commit(repo, {"config.py": "DEBUG = True\n"})
    write(repo, {"config.py": "DEBUG = True\nTOKEN = os.environ['TOKEN']\n"})
    assert findings(repo, "secret-added") == []
    write(repo, {"config.py": "DEBUG = True\nKEY = 'AKIAABCDEFGHIJKLMNOP'\n"})
    found = findings(repo, "secret-added")
    assert found and found[0].location == "config.py:2" and "aws-access-key" in found[0].message
    assert "AKIAABCDEFGHIJKLMNOP" not in found[0].message


def test_secret_in_untracked_file(repo: Path) -> None:
    write(repo, {"notes.txt": "ghp_" + "a" * 36 + "\n"})
    assert findings(repo, "secret-added")
    assert findings(repo, "secret-added", staged=True) == []


def test_hook_changed(repo: Path) -> None:
    commit(repo, {"src.py": "x = 1\n", ".pre-commit-config.yaml": "repos: []\n"})
    write(repo, {"src.py": "x = 2\n"})
    assert findings(repo, "hook-changed") == []
    write(repo, {".pre-commit-config.yaml": "repos: []\n# disabled\n"})
    assert [f.location for f in findings(repo, "hook-changed")] == [".pre-commit-config.yaml:2"]


def test_rev_range_and_thresholds_from_config(repo: Path) -> None:
    commit(repo, {"app.py": "def f():\n    pass\n"})
    commit(repo, {"app.py": "def f():\n" + "    x = 1\n" * 30}, "grow")
    assert findings(repo, "giant-function", rev="HEAD~1..HEAD") == []
    (repo / "agentops.toml").write_text("[diffcheck]\nmax_function_lines = 20\n")
    assert findings(repo, "giant-function", rev="HEAD~1..HEAD")


def test_cli_exit_codes(repo: Path) -> None:
    commit(repo, {"shop.py": API})
    run = [sys.executable, "-m", "agentops_os", "check", "diff"]
    assert subprocess.run(run, cwd=repo, capture_output=True).returncode == 0
    write(repo, {"shop.py": "x = 1\n"})
    proc = subprocess.run(run, cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 1 and "shop.py:1" in proc.stdout
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    assert subprocess.run([*run, "--staged", "--json"], cwd=repo, capture_output=True).returncode == 1
