"""The secretariat's admin for good practices: one module per topic."""

from practices.admin import cases, collections  # noqa: F401
