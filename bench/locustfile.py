"""The load mix of `make load` (read by locust): searches, filters, articles, API cursors, browsing, exports.

Words, article ids and slugs come from the JSON file named by LOAD_DATA (written by bench/load.py).
"""

import json
import os
import random
from urllib.parse import urlsplit

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["LOAD_DATA"], encoding="utf-8").read())
TIMEOUT = 30  # a slower answer counts as an error


class Researcher(HttpUser):
    wait_time = between(0.1, 0.5)

    def get(self, path: str, name: str, **params):
        with self.client.get(
            path, params=params, name=name, timeout=TIMEOUT, catch_response=True
        ) as response:
            if response.status_code >= 400:
                response.failure(f"HTTP {response.status_code}")
            return response

    @task(40)
    def search(self):
        self.get(
            "/search/", "search: words", q=" ".join(random.sample(DATA["words"], random.choice([1, 1, 2])))
        )

    @task(20)
    def filters_and_facets(self):
        choice = random.choice(["place", "topic", "dates"])
        if choice == "dates":
            month = random.choice(DATA["months"])
            self.get("/search/", "search: filters, no q", **{"from": month, "to": month})
        else:
            self.get("/search/", "search: filters, no q", **{choice: random.choice(DATA[choice + "s"])})

    @task(20)
    def article(self):
        self.get(f"/articles/{random.choice(DATA['articles'])}/", "article page")

    @task(10)
    def api_cursor(self):
        first = self.get("/api/search/", "api: first page", q=random.choice(DATA["common"]), page_size=20)
        if first.ok and first.json().get("next"):
            following = urlsplit(first.json()["next"])
            self.get(f"{following.path}?{following.query}", "api: next cursor")

    @task(5)
    def browse(self):
        self.get(f"/browse/{random.choice(DATA['months']).replace('-', '/')}/", "browse: month")

    @task(5)
    def small_export(self):
        self.get("/export/", "export: small csv", format="csv", q=random.choice(DATA["rare"]))
