"""gunicorn's settings for `make run` (mirpal.launch) and `make bench` (bench.server), loaded with
`--config python:mirpal.gunicorn_conf`. The address and the number of workers come from the
command line; importing this module does nothing but define them.

The application is imported once, in the master, before the workers fork; everything alive at
that moment (Django, the apps, the URLconf) is then moved out of the garbage collector's sight
with gc.freeze(), as Instagram does for its Django servers. A collection would otherwise walk
those hundreds of thousands of objects again and again in every worker, and by writing to them
copy each page of memory the workers share with the master.
"""

import gc

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
