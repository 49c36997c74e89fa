"""Stub: the polls helper fills this in (Poll admin with its slots)."""
