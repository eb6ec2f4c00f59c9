"""Profile sources: a bundled profile, a directory, or a verified `.tar.gz` archive.

An archive holds `manifest.json` (format, name, version, files with sha256 and size) and the
files. `read_archive` refuses (FatalError, exit 2) any archive whose files do not match the
manifest exactly: a changed, missing or extra file, a link, or a path leaving the archive.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import tarfile
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

from agentops_os.errors import FatalError, located

MANIFEST = "manifest.json"
FORMAT = 1
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_MAX_BYTES = 10 * 1024 * 1024


@dataclass
class Profile:
    name: str
    version: str
    description: str
    files: dict[str, bytes]  # posix relative path -> content (profile.toml included)
    source: str

    @property
    def agents(self) -> list[str]:
        return sorted(PurePosixPath(p).stem for p in self.files if _is_agent(p))


def _is_agent(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return len(parts) == 2 and parts[0] == "agents" and path.endswith(".md")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def builtin_dir() -> Path:
    return Path(str(resources.files("agentops_os").joinpath("data/profiles")))


def builtin_names() -> list[str]:
    return sorted(p.name for p in builtin_dir().iterdir() if (p / "profile.toml").is_file())


def _meta(files: dict[str, bytes], where: str) -> tuple[str, str, str]:
    if "profile.toml" not in files:
        raise FatalError(f"{where}: not a profile (no profile.toml)")
    try:
        meta = tomllib.loads(files["profile.toml"].decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FatalError(located(f"{where}/profile.toml", None, f"invalid TOML: {exc}")) from None
    name, version = str(meta.get("name", "")), str(meta.get("version", ""))
    if not _NAME.match(name):
        raise FatalError(located(f"{where}/profile.toml", None,
                                 "'name' must be lower-case letters, digits and hyphens"))
    if not re.match(r"^\d+\.\d+\.\d+", version):
        raise FatalError(located(f"{where}/profile.toml", None, "'version' must look like 1.2.3"))
    return name, version, str(meta.get("description", ""))


def read_dir(directory: Path) -> Profile:
    files: dict[str, bytes] = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory).as_posix()
        if path.is_symlink():
            raise FatalError(f"{path}: symbolic links are not allowed in a profile")
        if not path.is_file() or rel == MANIFEST or "__pycache__" in rel or path.name.startswith("."):
            continue
        files[rel] = path.read_bytes()
    name, version, description = _meta(files, str(directory))
    return Profile(name, version, description, files, str(directory))


def pack(directory: Path, output: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Write a deterministic `.tar.gz` of a profile directory with its manifest."""
    profile = read_dir(directory)
    manifest = {
        "format": FORMAT, "name": profile.name, "version": profile.version,
        "description": profile.description,
        "files": [{"path": p, "sha256": sha256(d), "size": len(d)} for p, d in sorted(profile.files.items())],
    }
    output = output or Path(f"{profile.name}-{profile.version}.tar.gz")
    buffer = io.BytesIO()
    # The gzip header carries a timestamp: pin it, or two packs of the same profile made
    # in different seconds differ byte-wise (the archive is meant to be reproducible).
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as zipped, \
            tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
        entries = [(MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))]
        entries += sorted(profile.files.items())
        for path, data in entries:
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())
    return output, manifest


def read_archive(path: Path) -> Profile:
    """Open and verify an archive; refuse it on any mismatch with its manifest."""
    def refuse(what: str) -> FatalError:
        return FatalError(f"{path}: refused: {what}")

    try:
        tar = tarfile.open(path, mode="r:*")  # noqa: SIM115 - closed by `with tar` below
    except (tarfile.TarError, OSError) as exc:
        raise refuse(f"not a readable tar archive ({exc})") from None
    files: dict[str, bytes] = {}
    total = 0
    with tar:
        for member in tar.getmembers():
            name = member.name
            pure = PurePosixPath(name)
            if pure.is_absolute() or ".." in pure.parts:
                raise refuse(f"path '{name}' leaves the archive")
            if member.isdir():
                continue
            if not member.isfile():
                raise refuse(f"'{name}' is a link or special file")
            total += member.size
            if total > _MAX_BYTES:
                raise refuse("larger than 10 MB")
            handle = tar.extractfile(member)
            files[pure.as_posix()] = handle.read() if handle else b""
    if MANIFEST not in files:
        raise refuse("no manifest.json")
    try:
        manifest = orjson.loads(files.pop(MANIFEST))
        listed = {str(f["path"]): str(f["sha256"]) for f in manifest["files"]}
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise refuse(f"manifest.json is malformed ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise refuse(f"unsupported manifest format {manifest.get('format')!r}")
    for rel, digest in listed.items():
        if rel not in files:
            raise refuse(f"'{rel}' is listed in the manifest but missing")
        if sha256(files[rel]) != digest:
            raise refuse(f"sha256 of '{rel}' does not match the manifest")
    extra = sorted(set(files) - set(listed))
    if extra:
        raise refuse(f"'{extra[0]}' is not listed in the manifest")
    name, version, description = _meta(files, str(path))
    if (name, version) != (manifest.get("name"), manifest.get("version")):
        raise refuse("manifest name/version differ from profile.toml")
    return Profile(name, version, description, files, str(path))


def load_profile(name_or_path: str) -> Profile:
    """A bundled profile by name, a profile directory, or a `.tar.gz` archive (verified)."""
    if name_or_path in builtin_names():
        return read_dir(builtin_dir() / name_or_path)
    path = Path(name_or_path)
    if path.is_dir():
        return read_dir(path)
    if path.is_file():
        return read_archive(path)
    raise FatalError(f"no profile '{name_or_path}': use one of {', '.join(builtin_names())}, "
                     "a profile directory or a .tar.gz archive")
