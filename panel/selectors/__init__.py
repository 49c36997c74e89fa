"""Reads for the secretariat's panel, one module per subject: the period (periods), events of a
period (events), the figures (figures), the home page (home), the donor report (report) and the
messages to members (messages)."""
