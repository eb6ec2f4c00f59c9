"""Hash-chained, per-writer audit ledger under `.agents/audit/`."""
