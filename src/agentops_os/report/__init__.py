"""`ao report`: one self-contained HTML dashboard of what ao recorded."""
