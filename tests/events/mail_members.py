"""Many approved members at once (bulk inserts), for the fan-out tests and the bench."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from members.models import Profile, User


def members_bulk(count: int, *, prefix: str, language: str = "ru", zone: str = "Asia/Almaty"):
    """`count` approved members prefix-<n>@example.org; returns their ids in order."""
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{n}@example.org",
                first_name="Member",
                last_name=str(n),
                password=password,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                country="KZ",
                organisation="Ministry",
                organisation_type="government",
                position="Specialist",
                mail_language=language,
                time_zone=zone,
                status="approved",
            )
            for user in users
        ],
        batch_size=2000,
    )
    return [user.pk for user in users]
