"""gunicorn's settings for the case-management app, one place for `make serve`, bench/bench_web.py and
production (`gunicorn -c python:akasse.web.gunicorn_conf akasse.web.wsgi:application`).

Sync workers, one request each, one more than there are cores (the extra one covers the waits on
PostgreSQL): a worker only accepts a connection when it is free, so requests wait in the kernel's one queue
and are served first come, first served by whichever worker frees up. Threaded workers (gthread) keep each
keep-alive connection on the worker that accepted it and share a worker's core between its threads, so some
requests wait far longer than others at the same throughput (docs/operations.md, "Serving the web app").
Sync workers read whole requests from a slow client themselves: on the internet, put a buffering proxy
(nginx) in front, as gunicorn's documentation advises.
"""

from __future__ import annotations

import os

worker_class = "sync"
workers = int(os.environ.get("AKASSE_WEB_WORKERS") or (os.cpu_count() or 1) + 1)
