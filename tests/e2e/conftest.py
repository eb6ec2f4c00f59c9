"""The end-to-end tier: the real Claude Code and Codex CLIs (installed from npm at the
versions in clients.json) driven against the scripted model server on 127.0.0.1.

Every test here is marked `e2e` (`pytest -m e2e` runs the tier alone, `-m "not e2e"` the
unit tier). HOME is the test's temp dir; the clients' telemetry, auto-update and other
non-essential traffic are off, and their only endpoint is the loopback server.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.e2e import clients
from tests.e2e.model_server import ModelServer

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def client_bin() -> Path:
    try:
        return clients.install()
    except clients.ClientsMissing as exc:
        pytest.fail(f"the end-to-end tier needs the real clients: {exc}", pytrace=False)


@dataclass
class Host:
    """One machine as a user has it: HOME, a repository after `ao init`, the clients."""

    home: Path
    repo: Path
    bin: Path
    env: dict[str, str]

    def run(
        self, *argv: str, timeout: float = 120, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(argv),
            cwd=cwd or self.repo,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    def ao(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return self.run("ao", *args, timeout=timeout)

    def claude_env(self, server: ModelServer) -> None:
        self.env.update(
            {
                "ANTHROPIC_BASE_URL": server.url,
                "ANTHROPIC_API_KEY": "sk-ant-e2e-not-a-real-key",
                "DISABLE_TELEMETRY": "1",
                "DISABLE_AUTOUPDATER": "1",
                "DISABLE_ERROR_REPORTING": "1",
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            }
        )

    def codex_config(self, server: ModelServer, *, trust_project: bool = True) -> Path:
        codex_home = self.home / ".codex"
        codex_home.mkdir(exist_ok=True)
        self.env.update({"CODEX_HOME": str(codex_home), "E2E_API_KEY": "sk-e2e-not-a-real-key"})
        text = (
            'model = "gpt-5-codex"\n'
            'model_provider = "e2e"\n'
            "[model_providers.e2e]\n"
            'name = "scripted loopback server"\n'
            f'base_url = "{server.url}/v1"\n'
            'env_key = "E2E_API_KEY"\n'
            'wire_api = "responses"\n'
        )
        if trust_project:  # the user's choice to trust this project (its .codex/ layer loads)
            text += f'[projects."{self.repo}"]\ntrust_level = "trusted"\n'
        (codex_home / "config.toml").write_text(text)
        return codex_home


@pytest.fixture
def host(tmp_path: Path, client_bin: Path, hermetic_env: Path) -> Iterator[Host]:
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "OPENAI_", "CLAUDE_"))}
    env["PATH"] = os.pathsep.join([os.environ["PATH"], str(client_bin)])
    env["HOME"] = str(hermetic_env)
    host = Host(hermetic_env, repo, client_bin, env)
    for args in (("init", "-q", "-b", "main"),):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    (repo / "keep.txt").write_text("precious\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, env=env, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "initial"], cwd=repo, env=env, check=True)
    init = host.ao("init")
    assert init.returncode == 0, init.stderr
    yield host
