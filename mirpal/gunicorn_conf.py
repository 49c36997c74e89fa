"""gunicorn's settings for `make run` (mirpal.launch) and `make bench` (bench.server), loaded with
`--config python:mirpal.gunicorn_conf`. The address and the number of workers come from the
command line; importing this module does nothing but define them.

The application is imported once, in the master, before the workers fork; everything alive at
that moment (Django, the apps, the URLconf) is then moved out of the garbage collector's sight
with gc.freeze(), as Instagram does for its Django servers. A collection would otherwise walk
those hundreds of thousands of objects again and again in every worker, and by writing to them
copy each page of memory the workers share with the master.

Metrics (mirpal.metrics) are written by each worker to its own file in PROMETHEUS_MULTIPROC_DIR;
child_exit tells prometheus_client a worker is gone. With LOG_FORMAT=json gunicorn's own lines
(start, worker boots and timeouts) are JSON too, like the application's.
"""

import gc
import os

# Import the application in the master: the workers start ready and share its memory.
preload_app = True
# A worker freezes again after this many requests, when its compiled templates, translation
# catalogues and reversed URLs are loaded: they too live as long as the worker.
WARM_REQUESTS = 200


def when_ready(server):
    """In the master, after the application was imported and before the first fork."""
    gc.freeze()


def pre_fork(server, worker):
    """Also before a worker is replaced: what the master created since is frozen too."""
    gc.freeze()


def post_request(worker, req, environ, resp):
    if worker.nr == WARM_REQUESTS:
        gc.freeze()


def child_exit(server, worker):
    """In the master, when a worker has exited: its live gauges are dropped (its counters stay,
    so that totals never go down)."""
    from prometheus_client import multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # Merged by gunicorn into its default configuration, whose handlers use "generic". The
    # application's request log (mirpal.request: with the request id, view and duration) stands
    # for gunicorn's plain-text access log, which stays quiet.
    logconfig_dict = {
        "formatters": {"generic": {"()": "mirpal.observability.JsonFormatter"}},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        },
    }
