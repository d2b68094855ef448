"""gunicorn settings for `make run`: threaded workers, so a long response is not killed by the timeout."""

import os

from config import embedded_pg

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = 120
graceful_timeout = 30
accesslog = "-"
# One control socket per checkout (gunicorn's default, ~/.gunicorn/gunicorn.ctl, is shared by every
# instance on the machine): beside the embedded PostgreSQL's socket, in the checkout's runtime folder.
control_socket = str(embedded_pg.SOCKET_DIR / "gunicorn.ctl")
# make run and make cluster only (make cluster-stop reads it); benchmarks' servers write none.
pidfile = os.environ.get("WEB_PIDFILE") or None
