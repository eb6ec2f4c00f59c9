"""Workflows that drive agents through `agentops_os.runtimes`: rpi (and later swarm).

A workflow never parses a CLI's output and never knows which runtime it drives; a runtime
never knows about phases. Run state is plain files under `.agents/runs/<id>/`.
"""
