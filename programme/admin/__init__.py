"""The secretariat's admin for the work programme: one module per topic."""

from programme.admin import polls, proposals  # noqa: F401
