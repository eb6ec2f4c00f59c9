"""Claude Code hook entry points: a separate, light import path (DESIGN §3.3)."""
