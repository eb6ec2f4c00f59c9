"""Budget check on the PreToolUse path: nothing is imported unless a limit is set."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.base.snapshot import Settings
    from agentops_os.budgets.check import BudgetStop
    from agentops_os.hooks.protocol import HookContext


def check_budget(context: HookContext, settings: Settings) -> BudgetStop | None:
    limits = settings.section("budgets")
    if not isinstance(limits, dict) or not any(
            isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in limits.values()):
        return None
    from agentops_os.budgets.check import over_budget

    return over_budget(context.root_str, limits, context.payload)
