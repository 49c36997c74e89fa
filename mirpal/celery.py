import os

from celery import Celery, signals

from mirpal import observability

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mirpal.settings")

app = Celery("mirpal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id and the publish time travel with each task as message headers; the worker
# process running the task takes the id for its log lines and times the wait and the run.
signals.before_task_publish.connect(
    observability.task_publish_annotate, weak=False, dispatch_uid="mirpal.task_publish_annotate"
)
signals.task_prerun.connect(
    observability.task_started, weak=False, dispatch_uid="mirpal.task_started"
)
signals.task_postrun.connect(
    observability.task_finished, weak=False, dispatch_uid="mirpal.task_finished"
)
# With LOG_FORMAT=json the worker and beat keep our LOGGING (JSON lines with the request id);
# otherwise Celery puts its own plain-text handler on the root logger, as it always did. (Any
# receiver of setup_logging stops Celery from configuring logging, hence connected only then.)
if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    signals.setup_logging.connect(
        observability.celery_logging_configure,
        weak=False,
        dispatch_uid="mirpal.celery_logging_configure",
    )
