"""`ao swarm`: parallel agents in isolated worktrees, one branch per task from one base.

`tasks` reads the tasks (YAML, an rpi plan, beads), `schedule` decides which may start
(dependencies done, file scopes apart), `task` runs one task start to finish (the same
function on every executor: the local pool here, Temporal activities elsewhere), and
`coordinator` drives a whole swarm and writes its report.
"""
