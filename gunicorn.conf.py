"""gunicorn's settings (read from the working directory): threaded workers, since requests mostly wait on
PostgreSQL and Redis; workers x threads must stay below max_connections (docs/operations.md)."""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")  # noqa: S104 - inside the container, behind the proxy
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Keep idle browser connections a little longer than gunicorn's default 2 s, so a person's next click (or the
# redirect after a form) reuses the connection.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
timeout = 30
graceful_timeout = 30
# No control socket: it lives at one path per user, so two gunicorns on a host would fight over it.
control_socket_disable = True
# Access log to stdout (the proxy and the container platform collect it); GUNICORN_ACCESSLOG="" turns it off.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
