from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembershipStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("membership status", "pending")
    APPROVED = "approved", pgettext_lazy("membership status", "approved")
    REJECTED = "rejected", pgettext_lazy("membership status", "rejected")
    SUSPENDED = "suspended", pgettext_lazy("membership status", "suspended")
    # The person closed their account (members.personal_data): no decision reopens it.
    CLOSED = "closed", pgettext_lazy("membership status", "account closed")


class OrganisationType(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    PARLIAMENT = "parliament", _("Parliament")
    ACADEMIA = "academia", _("Academia")
    THINK_TANK = "think_tank", _("Think tank")
    NGO = "ngo", _("NGO")
    INTERNATIONAL = "international", _("International organisation")
    PRIVATE = "private", _("Private sector")
    MEDIA = "media", _("Media")


class ContactVisibility(models.TextChoices):
    MEMBERS = "members", _("Members of the network")
    SECRETARIAT = "secretariat", _("Only the secretariat")
