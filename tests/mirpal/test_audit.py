import pytest
from django.urls import reverse

from events.enums import EventStatus
from events.services import event_cancel, event_publish
from library.models import Document
from library.services import document_delete
from members.models import User
from members.services import membership_approve, membership_reject, membership_suspend
from mirpal.models import AuditEntry, Topic
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory
from tests.factories.members import ProfileFactory


def _only_entry(**filters) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**filters))
    assert len(entries) == 1
    return entries[0]


@pytest.mark.parametrize(
    ("decide", "start", "action", "end"),
    [
        (membership_approve, "pending", "approve", "approved"),
        (membership_reject, "pending", "reject", "rejected"),
        (membership_suspend, "approved", "suspend", "suspended"),
    ],
)
def test_a_membership_decision_is_logged_with_its_actor_and_states(
    secretariat, decide, start, action, end
):
    profile = ProfileFactory(status=start)
    decide(profile=profile, by=secretariat)
    entry = _only_entry(object_type="members.Profile")
    assert (entry.actor, entry.actor_email, entry.action) == (
        secretariat,
        secretariat.email,
        action,
    )
    assert (entry.object_id, entry.object_repr) == (str(profile.pk), str(profile))
    assert (entry.before["status"], entry.after["status"]) == (start, end)
    assert entry.before["country"] == entry.after["country"] == "KZ"


def test_publishing_and_cancelling_an_event_are_logged(secretariat):
    event = EventFactory(status=EventStatus.DRAFT, published_at=None, sequence=0)
    event_publish(event=event, by=secretariat)
    event_cancel(event=event, by=secretariat, reason="Speaker ill")
    published, cancelled = AuditEntry.objects.filter(object_type="events.Event").order_by("pk")
    assert (published.action, published.actor, published.object_id) == (
        "publish",
        secretariat,
        str(event.pk),
    )
    assert (published.before["status"], published.after["status"]) == ("draft", "published")
    assert (published.before["sequence"], published.after["sequence"]) == (0, 1)
    assert (cancelled.action, cancelled.before["status"], cancelled.after["status"]) == (
        "cancel",
        "published",
        "cancelled",
    )
    assert cancelled.after["cancellation_reason"] == "Speaker ill"


def test_a_deletion_is_logged_and_the_entry_outlives_object_and_actor(secretariat):
    document = DocumentFactory(title_en="Remittances 2024")
    pk = document.pk
    document_delete(document=document, by=secretariat)
    assert not Document.objects.filter(pk=pk).exists()
    entry = _only_entry(object_type="library.Document")
    assert (entry.action, entry.object_id, entry.object_repr) == (
        "delete",
        str(pk),
        "Remittances 2024",
    )
    assert (entry.before["title_en"], entry.after) == ("Remittances 2024", None)
    User.objects.filter(pk=secretariat.pk).delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_email) == (None, secretariat.email)


def test_admin_saves_and_deletes_are_logged_once_with_before_and_after(client_for, secretariat):
    client = client_for("secretariat")
    topic = Topic.objects.create(
        slug="diaspora-bonds", name_en="Diaspora bonds", name_ru="Облигации"
    )
    url = reverse("admin:mirpal_topic_change", args=[topic.pk])
    data = {"slug": "diaspora-bonds", "name_en": "Diaspora bonds", "name_ru": "Облигации диаспоры"}
    response = client.post(url, data | {"position": 5})
    assert response.status_code == 302
    entry = _only_entry(object_type="mirpal.Topic", action="change")
    assert (entry.before["name_ru"], entry.after["name_ru"]) == ("Облигации", "Облигации диаспоры")
    assert (entry.before["position"], entry.after["position"]) == (0, 5)
    assert entry.actor_email == secretariat.email

    document = DocumentFactory()
    delete_url = reverse("admin:library_document_delete", args=[document.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    entry = _only_entry(object_type="library.Document")
    assert (entry.action, entry.actor, entry.object_id) == ("delete", secretariat, str(document.pk))


def test_the_audit_log_is_read_only_and_searchable(client_for, secretariat):
    membership_approve(profile=ProfileFactory(status="pending"), by=secretariat)
    client = client_for("secretariat")
    assert client.get(reverse("admin:mirpal_auditentry_add")).status_code == 403
    changelist = reverse("admin:mirpal_auditentry_changelist")
    found = client.get(changelist, {"q": secretariat.email, "action__exact": "approve"})
    assert found.context["cl"].result_count == 1
    missing = client.get(changelist, {"q": "nobody@example.org"})
    assert missing.context["cl"].result_count == 0
    entry = AuditEntry.objects.get()
    change = client.post(reverse("admin:mirpal_auditentry_change", args=[entry.pk]), {})
    assert change.status_code == 403
    assert AuditEntry.objects.count() == 1


def test_a_row_saved_from_the_changelist_is_logged_with_its_previous_values(client_for):
    topic = Topic.objects.create(slug="return", name_en="Return", name_ru="Возвращение")
    response = client_for("secretariat").post(
        reverse("admin:mirpal_topic_changelist") + f"?q={topic.slug}",
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(topic.pk),
            "form-0-position": "7",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    entry = _only_entry(object_type="mirpal.Topic")
    assert (entry.action, entry.before["position"], entry.after["position"]) == ("change", 0, 7)
