"""Fictional demo data for `make run` and `make bench`; production code never imports it."""
