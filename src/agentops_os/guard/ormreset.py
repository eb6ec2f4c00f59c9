"""Database resets through an ORM or framework CLI (`rails db:drop`, `artisan migrate:fresh`,
`manage.py flush`, `prisma migrate reset`...), for rules_code's program rules."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# ORM and framework tasks that drop every table or the database itself (Rails, Laravel,
# Doctrine, Ecto, TypeORM, MikroORM, Sequelize, django-extensions), also with a suffix
# (`db:drop:_unsafe`, `db:purge:all`); and tasks that empty every table.
_DROPS_DATABASE = (
    "db:drop", "db:reset", "db:schema:load", "db:purge", "db:migrate:reset", "migrate:fresh", "migrate:reset",
    "migrate:refresh", "db:wipe", "doctrine:database:drop", "doctrine:schema:drop", "schema:drop",
    "schema:fresh", "migration:fresh", "ecto.drop", "ecto.reset", "db:migrate:undo:all",
)  # fmt: skip
_EMPTIES_DATABASE = ("db:truncate_all", "db:seed:replant")


def db_reset(judge: Scope, call: Call) -> Verdict | None:
    """Database resets through an ORM or framework CLI: dropping the database or every
    table is denied (as `DROP DATABASE` is); emptying every table is asked."""
    argv = call.argv
    tool = call.name
    if argv[:1] and argv[0].rsplit("/", 1)[-1] in ("manage.py", "artisan", "console"):
        tool = argv[0].rsplit("/", 1)[-1]
    elif "-m" in argv[:-1]:
        tool = argv[argv.index("-m") + 1]
    named = [a for a in argv if not a.startswith("-") and a.rsplit("/", 1)[-1] != tool]
    shown = f"{tool} {' '.join(named)[:60]}"
    operands = [a for a in argv if not a.startswith("-")]
    drops = any(a == t or a.startswith(t + ":") for a in argv for t in _DROPS_DATABASE)
    if tool in ("manage.py", "django-admin", "django"):
        drops = drops or "reset_db" in operands or "reset_schema" in operands
    if tool in ("alembic", "flask") and "downgrade" in operands and "--sql" not in argv:
        drops = drops or operands[operands.index("downgrade") + 1 :][:1] == ["base"]
    if tool == "knex" and any(a.startswith("migrate:rollback") for a in argv):
        drops = drops or "--all" in argv
    if drops:
        return judge.verdict("sql-drop", "deny", f"{shown} drops the database or every table")
    if any(a == t or a.startswith(t + ":") for a in argv for t in _EMPTIES_DATABASE) or (
        tool in ("manage.py", "django-admin") and "flush" in operands
    ):
        return judge.verdict("sql-drop", "ask", f"{shown} deletes every row")
    if tool in ("manage.py", "django-admin") and operands[-1:] == ["zero"] and "migrate" in operands:
        return judge.verdict("sql-drop", "ask", f"{shown} unapplies every migration (drops tables)")
    if tool == "prisma" and ("reset" in operands or "--force-reset" in argv):
        return judge.verdict("sql-drop", "ask", "prisma migrate reset / db push --force-reset drops the db")
    words = [*call.command.words, *call.args]
    if any(w.text.startswith("DISABLE_DATABASE_ENVIRONMENT_CHECK=") for w in words):
        return judge.verdict("sql-drop", "ask", "turns off Rails' guard against changing a production db")
    return None
