"""gunicorn settings for HubTracker (read automatically from the project root).

    gunicorn hubtracker.wsgi

Every value comes from an environment variable with a default that suits a 2-core machine.
gthread workers: each process serves several requests at once on threads, so a request that waits
on PostgreSQL does not hold up the others; processes give CPU parallelism for template rendering.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 4)
# A request that takes longer than this is killed and logged (briefing exports are the slowest).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle processes now and then so a slow leak cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
# Load the app before forking: faster start and shared memory. Database connections are opened
# per request in each process, never before the fork.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
# Trust X-Forwarded-* only from the local proxy (set to the proxy's address when it runs elsewhere).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
