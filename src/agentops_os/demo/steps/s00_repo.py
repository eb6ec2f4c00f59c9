"""Create a small but real project repository with some history."""

from __future__ import annotations

from agentops_os.demo.runner import DemoContext

TITLE = "A sample project in a fresh git repository"

FILES = {
    "README.md": "# shop\n\nA tiny order service used by the AgentOps demo.\n",
    "shop/__init__.py": "",
    "shop/orders.py": (
        "def total(items):\n"
        "    \"\"\"Sum of price * quantity.\"\"\"\n"
        "    return sum(i['price'] * i['qty'] for i in items)\n"
    ),
    "tests/test_orders.py": (
        "from shop.orders import total\n\n\n"
        "def test_total():\n"
        "    assert total([{'price': 2, 'qty': 3}]) == 6\n"
    ),
}


def run(ctx: DemoContext) -> None:
    ctx.git("init", "-q", "-b", "main")
    for name, text in FILES.items():
        path = ctx.repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    ctx.git("add", "-A")
    ctx.git("commit", "-q", "-m", "Initial order service")
    ctx.say(f"created {ctx.repo} with {len(FILES)} files and 1 commit")
