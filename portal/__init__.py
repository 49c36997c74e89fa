"""The public pages: home and about, which read every app."""
