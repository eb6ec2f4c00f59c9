"""`ao init`: scaffold AgentOps into a git repository, merging and never clobbering.

The core (`plan_init` / `apply_init`) knows nothing about the CLI: it computes every
change first (so bad input aborts before any byte is written), then applies them.
"""

from agentops_os.setup.scaffold import Change, InitPlan, apply_init, plan_init

__all__ = ["Change", "InitPlan", "apply_init", "plan_init"]
