import threading

import pytest
from django.db import connection, connections

from events import services
from events.models import Event, Registration
from tests.factories.events import EventFactory
from tests.factories.members import ProfileFactory


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_registrations_for_ten_places_never_overbook():
    """50 threads, each on its own PostgreSQL connection, register at the same instant."""
    event = EventFactory(capacity=10)
    users = [ProfileFactory(status="approved").user for _ in range(50)]
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []
    backends: set[int] = set()
    lock = threading.Lock()

    def register(user) -> None:
        try:
            fresh = Event.objects.get(pk=event.pk)
            with lock:
                backends.add(connection.connection.info.backend_pid)
            barrier.wait(timeout=30)
            services.registration_respond(event=fresh, user=user, going=True)
        except BaseException as error:  # reported below, in the main thread
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(backends) == 50
    counts = {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in ("confirmed", "waiting", "declined")
    }
    assert counts == {"confirmed": 10, "waiting": 40, "declined": 0}
    waiting = list(
        Registration.objects.filter(event=event, status="waiting")
        .order_by("waiting_since", "pk")
        .values_list("waiting_since", flat=True)
    )
    assert len(waiting) == 40
    assert all(moment is not None for moment in waiting)
