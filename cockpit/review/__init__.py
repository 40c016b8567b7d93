"""Reviewing an agent's work: its diff against its base, comments back to it, approval."""
