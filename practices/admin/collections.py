"""Stub: the collections helper fills this in (Collection admin with its items)."""
