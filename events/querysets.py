"""The events' queryset: what a viewer may see of the list of events."""

from __future__ import annotations

from django.db import models

from events.enums import EventStatus
from members.permissions import is_secretariat


class EventQuerySet(models.QuerySet):
    def visible_to(self, viewer) -> EventQuerySet:
        """Drafts are for the secretariat; everyone else sees published, cancelled and past ones."""
        if viewer is not None and is_secretariat(viewer):
            return self
        return self.exclude(status=EventStatus.DRAFT)
