"""`make bench`: pages of the platform under load on loopback, next to a bare Django view."""
