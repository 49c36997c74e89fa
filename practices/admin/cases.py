"""Stub: the review helper fills this in (Case admin)."""
