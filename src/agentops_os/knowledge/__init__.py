"""Knowledge flywheel: learnings with provenance, extraction (forge), review, search."""
