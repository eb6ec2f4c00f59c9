"""Commit messages that document context (Law 3): check and template."""
