"""Long import work started from the admin runs in a process of its own, never in a web worker.

The job is a management command (`import_articles --run N`, `undo_import N`); its run's page shows
the progress it writes, and a job whose process dies is marked interrupted by its silent heartbeat.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection

MANAGE = Path(settings.BASE_DIR) / "manage.py"
UPLOAD_ROOT = Path(settings.BASE_DIR) / "var" / "uploads"  # files uploaded in the admin, until imported
JOB_LOGS = Path(settings.BASE_DIR) / "var" / "jobs"


def start_job(*arguments: str, log_name: str) -> int:
    """Start `manage.py <arguments>` in its own session and return at once; its process id.

    What it prints (a traceback included) goes to var/jobs/<log_name>.log.
    """
    env = {**os.environ, "DJANGO_DB_NAME": connection.settings_dict["NAME"]}
    JOB_LOGS.mkdir(parents=True, exist_ok=True)
    with open(JOB_LOGS / f"{log_name}.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, str(MANAGE), *arguments],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a worker restart or a Ctrl+C on the server does not stop the job
        )
    threading.Thread(target=process.wait, name=f"job-{process.pid}", daemon=True).start()  # no zombie
    return process.pid
