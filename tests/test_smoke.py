from conftest import run_ao


def test_version_and_help_list_groups() -> None:
    proc = run_ao("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("ao ")
    help_text = run_ao("--help").stdout
    for group in ("config", "demo", "hook", "reindex"):
        assert f"  {group}" in help_text
