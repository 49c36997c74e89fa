"""The roster's URLs in the role-by-URL matrix."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from members.models import ExpertRequestNote
from tests.factories.roster import ExpertFactory, ExpertRequestFactory, png_bytes
from tests.url_roles import (
    ANON,
    APPLICANT,
    MEMBER,
    SECRETARIAT,
    Case,
    everyone,
    members_only,
    secretariat_only,
)

MATRIX_PHOTO = "experts/photos/url-roles-matrix.png"


def cases(world):
    if not default_storage.exists(MATRIX_PHOTO):
        default_storage.save(MATRIX_PHOTO, ContentFile(png_bytes()))
    expert = ExpertFactory(photo=MATRIX_PHOTO)
    hidden = ExpertFactory(is_listed=False)
    own = ExpertRequestFactory(requester=world[MEMBER])
    ExpertRequestNote.objects.create(request=own, to_status="new", author=world[MEMBER])
    # Somebody else's request: its requester and the secretariat only.
    other = ExpertRequestFactory()
    new_request = {
        "topic": own.topic.slug,
        "countries": ["KZ"],
        "language": "ru",
        "help_kind": "training",
        "starts_on": own.starts_on.isoformat(),
        "ends_on": own.ends_on.isoformat(),
        "purpose": "Training for labour inspectors.",
    }
    return [
        Case("members:experts", everyone(200)),
        Case("members:experts", everyone(200), query="?topic=remittances&country=TJ&language=ru"),
        Case("members:experts", everyone(200), query="?help_kind=nonsense&page=9"),
        Case("members:expert_detail", everyone(200), kwargs={"pk": expert.pk}),
        Case(
            "members:expert_detail",
            {ANON: 404, APPLICANT: 404, MEMBER: 404, SECRETARIAT: 200},
            kwargs={"pk": hidden.pk},
        ),
        Case("members:expert_photo", everyone(200), kwargs={"pk": expert.pk}),
        Case("members:expert_photo", everyone(404), kwargs={"pk": hidden.pk}),
        Case("members:experts_export", secretariat_only()),
        Case("members:expert_requests", members_only()),
        Case("members:expert_request_new", members_only()),
        Case(
            "members:expert_request_new",
            {ANON: 302, APPLICANT: 302, MEMBER: 302, SECRETARIAT: 302},
            method="post",
            data=new_request,
        ),
        Case("members:expert_request_queue", secretariat_only()),
        Case("members:expert_request_queue", secretariat_only(), query="?status=new"),
        Case("members:expert_request_detail", members_only(), kwargs={"pk": own.pk}),
        Case(
            "members:expert_request_detail",
            {ANON: 302, APPLICANT: 302, MEMBER: 404, SECRETARIAT: 200},
            kwargs={"pk": other.pk},
        ),
        Case(
            "members:expert_request_transition",
            secretariat_only(302),
            kwargs={"pk": own.pk},
            method="post",
            data={"to_status": "in_review", "note": "Looking."},
        ),
        Case(
            "members:expert_request_transition",
            {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 405},
            kwargs={"pk": own.pk},
        ),
        Case(
            "members:expert_request_note",
            secretariat_only(302),
            kwargs={"pk": own.pk},
            method="post",
            data={"note": "Called two experts."},
        ),
        Case(
            "members:expert_request_note",
            {ANON: 302, APPLICANT: 403, MEMBER: 403, SECRETARIAT: 405},
            kwargs={"pk": own.pk},
        ),
        Case("admin:members_expert_changelist", {SECRETARIAT: 200, MEMBER: 302}),
        Case("admin:members_expertrequest_changelist", {SECRETARIAT: 200, MEMBER: 302}),
        Case("admin:members_expert_add", {SECRETARIAT: 200}),
        Case("admin:members_expert_change", {SECRETARIAT: 200}, args=(expert.pk,)),
        Case("admin:members_expertrequest_change", {SECRETARIAT: 200}, args=(own.pk,)),
    ]
