"""Validation gates: named sets of checks, run in parallel, cached by content (Factor IV)."""
