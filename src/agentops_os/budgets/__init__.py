"""Budgets that fail closed: token and cost limits per session, day and run."""
