"""Approvals bound to content hashes (Factor VIII: PLAN -> COMMIT -> EXECUTE with a human between)."""
