"""Gunicorn settings for serving Peygir: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Threaded workers (gthread): each worker process runs a few requests at once, so one waiting on
PostgreSQL (a commit, the audit chain's lock) does not hold a whole process idle, and HTTP keep-alive
works. Every value can be overridden from the environment; the defaults suit a small machine.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
# Two processes per core, two threads each: measured best on the 2-core bench machine (bench/README.md);
# more threads per process only contend for the interpreter lock.
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count())))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A gthread worker keeps every keep-alive connection it accepts; capping them spreads long-lived
# client connections over all workers instead of one (behind nginx without upstream keep-alive
# connections are short and the cap rarely matters).
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
# Recycle workers now and then so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Load the application once in the master and fork it: workers start fast and share memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
