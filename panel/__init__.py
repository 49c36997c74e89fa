"""The secretariat's panel: its home page, figures, donor report and exports (issue 8)."""
