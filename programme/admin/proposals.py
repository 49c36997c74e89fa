"""Stub: the answers helper fills this in (Call, Proposal, Activity admin)."""
