import pytest
from django.urls import reverse

from tests.smtp import free_port


@pytest.mark.django_db
def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_does_not(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": True, "broker": False}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, settings):
    from django.db import connection

    real = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", free_port()
    try:
        response = client.get(reverse("healthz"))
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = real
    assert response.status_code == 503
    assert response.json()["database"] is False


@pytest.mark.django_db
def test_live_answers_without_asking_the_database_or_the_broker(
    client, settings, django_assert_num_queries
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_while_the_database_answers(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": True, "broker": True}


@pytest.mark.django_db
def test_ready_reports_a_broker_outage_but_stays_ready(client, settings):
    # The outbox keeps mail while the broker is down, so the node keeps serving.
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": True, "broker": False}


@pytest.mark.django_db
def test_not_ready_when_the_database_does_not_answer(client):
    from django.db import connection

    real = connection.settings_dict["PORT"], connection.settings_dict["HOST"]
    connection.close()
    connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", free_port()
    try:
        response = client.get("/healthz/ready")
        live = client.get("/healthz/live")
    finally:
        connection.close()
        connection.settings_dict["PORT"], connection.settings_dict["HOST"] = real
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] is False
    assert live.status_code == 200


@pytest.mark.django_db
def test_a_balancers_plain_http_probe_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz/ready").status_code == 200
    assert client.get("/healthz/live").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
