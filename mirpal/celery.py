import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mirpal.settings")

app = Celery("mirpal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The secretariat's panel lives inside mirpal/ but is not an app of its own.
app.autodiscover_tasks(["mirpal.panel"])
