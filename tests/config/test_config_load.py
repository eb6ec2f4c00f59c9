"""Config: documented defaults, sources, and one located line for every bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentops_os.config import all_defaults, load_config
from agentops_os.errors import FatalError
from conftest import run_ao


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.path is None
    assert config.get("context.budget_fraction") == 0.40
    assert config.get("commit.required_parts") == ["context", "solution", "learning", "impact"]
    assert config.window_for("claude-opus-4-1") == 200_000
    assert config.window_for("gpt-4.1-mini") == 1_047_576
    assert set(config.sources.values()) == {"default"}


def test_every_default_key_is_documented() -> None:
    defaults, docs = all_defaults()

    def keys(values: dict, prefix: str = "") -> list[str]:
        out = []
        for key, value in values.items():
            dotted = prefix + key
            if isinstance(value, dict) and value and dotted not in docs:
                out.extend(keys(value, dotted + "."))
            else:
                out.append(dotted)
        return out

    assert [k for k in keys(defaults) if k not in docs] == []


def test_file_values_override_and_name_their_line(repo: Path) -> None:
    (repo / "agentops.toml").write_text(
        "[context]\nbudget_fraction = 0.3\n\n[context.windows]\nmy-model = 32000\n"
    )
    config = load_config(repo)
    assert config.get("context.budget_fraction") == 0.3
    assert config.sources["context.budget_fraction"] == "agentops.toml:2"
    assert config.window_for("my-model-v2") == 32000
    assert config.window_for("claude-3-5") == 200_000  # open tables keep their defaults
    proc = run_ao("config", "show", "--json")
    data = json.loads(proc.stdout)
    assert data["sources"]["context.windows.my-model"] == "agentops.toml:5"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[context]\nbudget_fraction = \n", r"agentops.toml:2: invalid TOML"),
        ("[context]\nbudget_fraction = 'high'\n",
         r"agentops.toml:2: 'context.budget_fraction' must be float"),
        ("[context]\nbudget_fractoin = 0.3\n", r"agentops.toml:2: unknown key 'context.budget_fractoin'"),
        ("[nonsense]\nx = 1\n", r"agentops.toml:1: unknown key 'nonsense'"),
        ("[context.windows]\nfoo = 'big'\n", r"agentops.toml:2: 'context.windows.foo' must be number"),
        ("context = 3\n", r"agentops.toml:1: 'context' must be a table"),
    ],
)
def test_bad_config_is_one_located_line(repo: Path, text: str, message: str) -> None:
    (repo / "agentops.toml").write_text(text)
    with pytest.raises(FatalError, match=message):
        load_config(repo)
    proc = run_ao("config", "show")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "agentops.toml:" in proc.stderr


def test_scaffolded_config_loads_to_the_defaults(repo: Path) -> None:
    assert run_ao("init").returncode == 0
    config = load_config(repo)
    defaults, _ = all_defaults()
    assert config.values == defaults
