"""Diff checks for the agent failure patterns (Factor XI): mass deletion, bridge torching,
eldritch functions, the tests-passing lie, secrets, hook changes."""
