"""The light base layer: one settings snapshot for every hook, checked against its
sources; layout, git HEAD and repo-root facts without pathlib or a git process."""

from __future__ import annotations

import importlib
import marshal
import subprocess
import sys
from pathlib import Path

import pytest

from agentops_os.base import gitmeta, layout, snapshot
from agentops_os.base.snapshot import CACHE_FILE, DEFAULTS_FILES, SECTIONS, settings
from agentops_os.config import load_config
from agentops_os.errors import FatalError

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "agentops_os"


def test_every_defaults_module_that_fills_a_snapshot_section_is_in_its_key() -> None:
    """An upgrade that changes a default must rebuild the snapshot: each module whose
    DEFAULTS fill one of SECTIONS is listed in DEFAULTS_FILES (and no other)."""
    filling = set()
    for path in [PACKAGE / "config" / "defaults.py", *sorted(PACKAGE.glob("*/config_defaults.py"))]:
        rel = path.relative_to(PACKAGE).as_posix()
        name = "agentops_os." + rel[:-3].replace("/", ".")
        if set(getattr(importlib.import_module(name), "DEFAULTS", {})) & set(SECTIONS):
            filling.add(rel)
    assert filling == set(DEFAULTS_FILES)


def test_the_snapshot_is_what_the_full_loader_says_and_follows_every_edit(repo: Path) -> None:
    (repo / "agentops.toml").write_text("[guard]\nmax_deleted_files = 7\n[context]\nwarn_fraction = 0.3\n")
    first = settings(str(repo))
    config = load_config(repo)
    for section in SECTIONS:
        assert first.section(section) == config.section(section)
    assert first.get("guard.max_deleted_files") == 7 and first.sources["guard.max_deleted_files"] != "default"
    assert first.window_for("claude-sonnet-4-5") == config.window_for("claude-sonnet-4-5")
    (repo / "agentops.toml").write_text("[guard]\nmax_deleted_files = 9\n")
    assert settings(str(repo)).get("guard.max_deleted_files") == 9
    (repo / "agentops.toml").write_text("[guard]\nmax_deleted_files = 'many'\n")
    with pytest.raises(FatalError, match="agentops.toml"):
        settings(str(repo))  # a malformed file is never served from the cache


def test_a_forged_snapshot_is_rebuilt(repo: Path) -> None:
    (repo / "agentops.toml").write_text("[guard]\nenabled = true\n")
    settings(str(repo))
    cache = repo / ".agents" / ".index" / CACHE_FILE
    data = marshal.loads(cache.read_bytes())
    data["guard"]["enabled"] = False  # the key still matches: only the content was forged
    cache.write_bytes(marshal.dumps(data))
    from agentops_os.config.snapshot import cache_is_current

    ok, why = cache_is_current(str(repo))
    assert not ok and "tampered" in why
    data["key"] = "forged"
    cache.write_bytes(marshal.dumps(data))
    snapshot._MEMO.clear()  # as a new hook process would start
    assert settings(str(repo)).get("guard.enabled") is True
    assert marshal.loads(cache.read_bytes())["guard"]["enabled"] is True  # rebuilt on disk


def test_head_and_root_without_git(repo: Path, tmp_path: Path) -> None:
    assert gitmeta.current_branch(str(repo)) == "main"
    assert gitmeta.find_root(str(repo / "missing" / "deeper")) == str(repo.resolve())
    link = tmp_path / "wt"
    subprocess.run(["git", "worktree", "add", "-q", "-b", "feature", str(link)], cwd=repo, check=True,
                   capture_output=True)
    assert gitmeta.current_branch(str(link)) == "feature"  # a `.git` file pointing elsewhere
    (repo / ".git" / "HEAD").write_text("0123456789abcdef0123456789abcdef01234567\n")
    assert gitmeta.current_branch(str(repo)) is None  # detached
    assert layout.index_path(str(repo), "x") == str(repo / ".agents" / ".index" / "x")


def test_the_base_layer_imports_only_the_standard_library_basics() -> None:
    probe = ("import sys\nbefore = set(sys.modules)\n"
             "import agentops_os.base.snapshot, agentops_os.base.gitmeta, agentops_os.base.layout\n"
             "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
             "print(sorted(new - {'agentops_os', 'marshal', '__future__'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
