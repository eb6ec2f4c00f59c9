from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import orjson
import pytest

from agentops_os.errors import FatalError
from agentops_os.profiles.archive import builtin_dir, pack, read_archive
from agentops_os.profiles.install import install_profile
from conftest import run_ao


def rewrite(archive: Path, change) -> None:  # type: ignore[no-untyped-def]
    """Rebuild `archive` after `change(files)` edits its {name: bytes} in place."""
    with tarfile.open(archive) as tar:
        files = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    change(files)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    archive.write_bytes(buffer.getvalue())


def test_pack_writes_a_versioned_archive_with_manifest(tmp_path: Path, monkeypatch) -> None:
    path, manifest = pack(builtin_dir() / "devops", tmp_path / "devops.tar.gz")
    assert manifest["name"] == "devops" and manifest["version"] == "1.0.0"
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    profile = read_archive(path)
    assert profile.name == "devops" and len(profile.agents) >= 4
    import time

    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)  # packed "an hour later"
    again, _ = pack(builtin_dir() / "devops", tmp_path / "again.tar.gz")
    assert again.read_bytes() == path.read_bytes()  # deterministic


def test_install_from_archive(repo: Path, tmp_path: Path) -> None:
    path, _ = pack(builtin_dir() / "data-eng", tmp_path / "data-eng.tar.gz")
    report = install_profile(repo, str(path))
    assert report.profile == "data-eng"
    assert (repo / ".claude/agents/sql-optimizer.md").is_file()


@pytest.mark.parametrize("tamper", ["content", "extra", "missing", "traversal", "manifest"])
def test_tampered_archives_are_refused(tmp_path: Path, tamper: str) -> None:
    path, _ = pack(builtin_dir() / "sre", tmp_path / "sre.tar.gz")

    def change(files: dict[str, bytes]) -> None:
        if tamper == "content":
            files["agents/slo-analyst.md"] += b"\ntools: Write\n"
        elif tamper == "extra":
            files["agents/evil.md"] = b"---\nname: evil\n---\n"
        elif tamper == "missing":
            del files["commands/incident.md"]
        elif tamper == "traversal":
            files["../outside.md"] = b"x"
        else:
            files["manifest.json"] = b"{not json"

    rewrite(path, change)
    with pytest.raises(FatalError, match="refused"):
        read_archive(path)


def test_cli_refuses_a_tampered_archive_with_exit_2(repo: Path, tmp_path: Path) -> None:
    archive = tmp_path / "sre.tar.gz"
    packed = run_ao("profile", "pack", str(builtin_dir() / "sre"), "-o", str(archive), "--json", cwd=repo)
    assert packed.returncode == 0, packed.stderr
    assert orjson.loads(packed.stdout)["manifest"]["name"] == "sre"
    rewrite(archive, lambda files: files.__setitem__("agents/capacity-planner.md", b"changed"))
    refused = run_ao("profile", "install", str(archive), cwd=repo)
    assert refused.returncode == 2
    assert "refused" in refused.stderr and "sha256" in refused.stderr
    assert not (repo / ".claude").exists()


def test_pack_refuses_profiles_with_lint_errors(repo: Path, tmp_path: Path) -> None:
    source = tmp_path / "mine"
    shutil.copytree(builtin_dir() / "sre", source)
    (source / "agents" / "sloppy.md").write_text("---\nname: sloppy\ndescription: Helps.\n---\nx\n")
    result = run_ao("profile", "pack", str(source), "-o", str(tmp_path / "x.tar.gz"), cwd=repo)
    assert result.returncode == 1 and "description-short" in result.stderr
    assert not (tmp_path / "x.tar.gz").exists()
