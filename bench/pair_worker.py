"""One side of bench_pair.py: the search page in-process, one query string a line on stdin.

Answers each with a JSON line [ms, status, matches]. Run from the checkout it measures (its own
code, settings and virtualenv), against the bench database named by its argument.
"""

import json
import os
import re
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ["DJANGO_DB_NAME"] = sys.argv[1]
os.environ["DJANGO_CONN_MAX_AGE"] = "3600"
os.environ["DJANGO_ALLOWED_HOSTS"] = "localhost"
os.environ["DJANGO_RATE_LIMITS"] = "0"
os.environ["DJANGO_STATEMENT_TIMEOUT_MS"] = "0"
os.environ.pop("DJANGO_DEBUG", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
from django.test import Client  # noqa: E402

from config.startup import load_and_freeze  # noqa: E402

load_and_freeze()
client = Client(SERVER_NAME="localhost")
TOTAL = re.compile(rb'class="result-count"[^>]*>\s*([\d,]+) article')
print("ready", flush=True)
for line in sys.stdin:
    started = time.perf_counter()
    response = client.get("/search/?" + line.strip())
    elapsed = (time.perf_counter() - started) * 1000
    total = TOTAL.search(response.content)
    matches = int(total.group(1).replace(b",", b"")) if total else None
    print(json.dumps([elapsed, response.status_code, matches]), flush=True)
