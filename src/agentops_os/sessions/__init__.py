"""Session ledger and usage analytics: ingest transcripts, summarise sessions, report usage."""
