"""What /healthz and /healthz/ready check: does the database answer, does the broker."""

from django.conf import settings
from django.db import connection
from kombu import Connection


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any driver error means "does not answer"
        return False


def broker_answers(timeout: float = 2.0) -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as broker:
            broker.ensure_connection(max_retries=1, timeout=timeout)
            return True
    except Exception:  # kombu raises transport-specific errors
        return False
