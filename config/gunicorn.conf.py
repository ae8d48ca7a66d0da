"""gunicorn for the workbench (`make serve`, and production behind a TLS proxy). Every value can be set
from the environment; gunicorn's own GUNICORN_CMD_ARGS and command-line flags override it."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads let a worker wait on the database for one request while serving another; processes use the
# cores. Slow work (PDF, email) is not done here but by the task worker. One process per core: the pages are
# CPU-bound Python, so more processes than cores only take turns on them, and each holds its own memory (on 2
# cores, 2 × 4 served the load test at 17.8 requests/s, p95 3.0 s, 560 MiB, against 16.2 requests/s, p95 3.7 s,
# 955 MiB for 4 × 4; bench/RESULTS.md). Each thread may hash a password at a login (Argon2: 100 MiB at once).
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests, so that memory a request left behind is returned.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-* only from the proxy in front (comma-separated addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
