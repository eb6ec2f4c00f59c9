"""Guardrails for agent tool calls (Factor XI): `shell` lexes commands, `unwrap` finds the
programs that really run, `rules` judges them, `tools` judges file and web tools, `policy`
and `settings` hold the `[guard]` configuration. Entry point: `hooks/pre_tool_use.py`."""
