"""Demo steps, run in file-name order. Each module has TITLE and run(ctx: DemoContext).

Features add a step file of their own (e.g. `s30_sessions.py`); no shared file changes.
"""
