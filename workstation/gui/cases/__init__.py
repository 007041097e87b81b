"""The Cases area: the case list and one case's file (timeline, evidence, approvals)."""
