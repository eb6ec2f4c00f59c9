"""Context bundles: compressed, source-hashed context under `.agents/bundles/`.

A bundle's frontmatter records its sources with sha256 hashes, tokens before and after
and the ratio, so `load` can say when a source changed since the bundle was made.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentops_os import procs
from agentops_os.context.compress import CODE_EXTENSIONS, compress, compress_code
from agentops_os.context.sources import Collected
from agentops_os.context.tokens import METHOD, estimate_tokens
from agentops_os.errors import FatalError

LLM_TIMEOUT_S = 600  # how long `context.llm_command` may take to compress one bundle

KIND = "bundles"
DEFAULT_RATIO = 5.0
MIN_RATIO, MAX_RATIO = 1.0, 50.0


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def create(root: Path, name: str, collected: Collected, *, ratio: float, llm_command: str | None = None,
           force: bool = False) -> tuple[Path, dict[str, Any]]:
    from agentops_os.store import Store

    if not MIN_RATIO <= ratio <= MAX_RATIO:
        raise FatalError(f"--ratio must be between {MIN_RATIO:g} and {MAX_RATIO:g}, got {ratio:g}")
    if not collected.sources:
        raise FatalError("nothing to bundle: every input was binary or empty")
    parts, sources = [], []
    before = 0
    for source in collected.sources:
        tokens = estimate_tokens(source.text)
        before += tokens
        sources.append({"path": _root_relative(root, source.name), "sha256": sha256(source.text),
                        "tokens": tokens})
        if llm_command:
            body = _llm(llm_command, source.text, ratio)
        elif source.name.endswith(CODE_EXTENSIONS):
            body = "```\n" + compress_code(source.text, ratio).rstrip("\n") + "\n```"
        else:
            body = compress(source.text, ratio)
        parts.append(f"## Source: {source.name}\n\n{body.strip()}\n")
    body = "\n".join(parts)
    after = estimate_tokens(body)
    meta = {
        "name": name,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "method": "llm" if llm_command else "extractive-v1",
        "token_method": METHOD,
        "target_ratio": ratio,
        "tokens_before": before,
        "tokens_after": after,
        "ratio": round(before / after, 2) if after else None,
        "sources": sources,
        "binary_skipped": collected.binary,
    }
    path = Store.open(root).write_document(KIND, name, meta, body, overwrite=force)
    return path, meta


def _root_relative(root: Path, name: str) -> str:
    """Source paths are stored relative to the repo root, so `load` works from anywhere."""
    if name == "<stdin>":
        return name
    try:
        return str((Path.cwd() / name).resolve().relative_to(root.resolve()))
    except ValueError:
        return name


def _llm(command: str, text: str, ratio: float) -> str:
    prompt = (f"Compress the following document to about 1/{ratio:g} of its length for another "
              "AI agent. Keep headings, decisions, file paths, commands, identifiers, numbers and "
              "errors; drop repetition and boilerplate.\n\n" + text)
    try:
        done = procs.run(command, input=prompt, timeout=LLM_TIMEOUT_S)
    except OSError as exc:
        raise FatalError(f"context.llm_command failed: {exc}") from None
    if done.timed_out:
        raise FatalError(f"context.llm_command failed: no answer within {LLM_TIMEOUT_S} s")
    if done.returncode != 0 or not done.stdout.strip():
        last = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise FatalError(f"context.llm_command failed: {last}")
    return done.stdout


@dataclass
class Loaded:
    meta: dict[str, Any]
    body: str
    changed: list[str]
    missing: list[str]
    tokens: int


def read(root: Path, name: str) -> Any:
    from agentops_os.store import Store

    store = Store(root)
    path = store.path(KIND, name if name.endswith(".md") else name + ".md")
    if not path.is_file():
        raise FatalError(f"{path.relative_to(root)}: no such bundle (see `ao bundle list`)")
    return store.read_document(path)


def load(root: Path, name: str) -> Loaded:
    doc = read(root, name)
    changed, missing = [], []
    for source in doc.get("sources") or []:
        if not isinstance(source, dict) or source.get("path") in (None, "<stdin>"):
            continue
        path = root / str(source["path"])
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            missing.append(str(source["path"]))
            continue
        if sha256(text) != source.get("sha256"):
            changed.append(str(source["path"]))
    return Loaded(doc.meta, doc.body, changed, missing, estimate_tokens(doc.body))


def list_bundles(root: Path, errors: list[str]) -> list[Any]:
    from agentops_os.store import Store

    return list(Store(root).iter_documents(KIND, errors=errors))
