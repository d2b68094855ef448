"""Browser tests: one database, one gunicorn server and one Chromium for the whole session.

The session creates a fresh database (test_archive_e2e) on the same PostgreSQL server, migrates it,
loads the demo data plus extra "Sahel" articles and an editor account, and serves it with gunicorn
exactly as `make run` does (DEBUG off). Each test gets a new browser context.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter

import pytest

from tests.e2e import helpers

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

E2E_DB = "test_archive_e2e"
EDITOR = {"username": "editor", "password": "e2e-Editor-pass-9731"}
BROWSER_REPORTS = pytest.StashKey[dict]()


# --------------------------------------------------------------------------- the database and server


def _admin_connection(dbname: str = "postgres"):
    """A psycopg connection to the server Django uses, on another database (autocommit)."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    params = {"dbname": dbname, "user": db.get("USER") or None, "password": db.get("PASSWORD") or None}
    if db.get("HOST"):
        params["host"] = db["HOST"]
    if db.get("PORT"):
        params["port"] = str(db["PORT"])
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)


def _recreate_database() -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{E2E_DB}"')


def _drop_database() -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{E2E_DB}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=helpers.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}")


def _wait_for_health(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}; see {helpers.SERVER_LOG}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url}/healthz did not answer within {timeout} s; see {helpers.SERVER_LOG}")


@pytest.fixture(scope="session")
def e2e_data():
    """The session's database with demo data, extra articles and the editor; dropped at the end."""
    env = {
        **os.environ,
        "DJANGO_DB_NAME": E2E_DB,
        "DJANGO_DEBUG": "0",
        "DJANGO_RATE_LIMITS": "0",  # one browser sends many requests from one address
        "DJANGO_SUPERUSER_PASSWORD": EDITOR["password"],
    }
    _recreate_database()
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput", "--verbosity", "0")  # serve the current site.css
        _manage(env, "load_demo")
        _manage(env, "createsuperuser", "--noinput", "--username", EDITOR["username"], "--email", "e@e.org")
        _manage(env, "shell", "-c", helpers.EXTRA_ARTICLES_SCRIPT)
        with _admin_connection(E2E_DB) as conn:
            row = conn.execute(
                "SELECT a.id, a.slug, a.headline, m.story_id FROM archive_article a "
                "LEFT JOIN archive_story_member m ON m.article_id = a.id WHERE a.external_id = 'demo-0001'"
            ).fetchone()
        assert row[3] is not None, "the demo's Kati report and its wire original form no story"
        kati = {"id": row[0], "slug": row[1], "headline": row[2], "story": row[3]}
        yield {"env": env, "kati_article": kati}
    finally:
        _drop_database()


@pytest.fixture(scope="session")
def base_url(e2e_data):
    """The root URL of a gunicorn server on a free port, serving the e2e database."""
    port = _free_port()
    env = {**e2e_data["env"], "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "2", "WEB_THREADS": "4"}
    helpers.SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    with open(helpers.SERVER_LOG, "w") as log:
        process = subprocess.Popen(
            [gunicorn, "--config", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=helpers.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def urls(e2e_data):
    """Paths of every page type (the article's id is only known once the data is loaded)."""
    return helpers.page_paths(e2e_data["kati_article"])


# --------------------------------------------------------------------------- the browser


def _unavailable(reason: str):
    """Under CI a missing browser fails the run; elsewhere the browser tests are skipped."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -r requirements.txt)")
    if not os.access(helpers.CHROMIUM, os.X_OK):
        _unavailable(f"Chromium not found at {helpers.CHROMIUM} (make browser-deps installs it)")
    if not helpers.AXE_PATH.is_file():
        _unavailable(f"axe-core not found at {helpers.AXE_PATH} (make browser-deps runs npm ci)")
    args = list(helpers.CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(0, "--no-sandbox")
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=helpers.CHROMIUM, headless=True, args=args)
        except Error as error:
            _unavailable(f"Chromium at {helpers.CHROMIUM} did not start: {error.message.splitlines()[0]}")
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def interface_language():
    """The interface language the test's browser asks for: English, unless its module runs its
    flows in both (helpers.IN_BOTH_LANGUAGES parametrizes this fixture)."""
    return "en"


@pytest.fixture
def say(interface_language):
    """The interface's words in the test's interface language."""
    return helpers.Say(interface_language)


@pytest.fixture
def new_context(browser, base_url, interface_language):
    """A factory of browser contexts (closed after the test); defaults to a 1440 px desktop in the
    test's interface language."""
    contexts = []

    def make(width: int = 1440, height: int = 900, **options):
        options.setdefault("locale", helpers.LOCALES[interface_language])
        context = browser.new_context(
            base_url=base_url, viewport={"width": width, "height": height}, **options
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A desktop page in a fresh context."""
    return new_context().new_page()


@pytest.fixture
def editor_page(new_context, base_url):
    """A page in a context logged in to the admin as the editor."""
    page = new_context().new_page()
    page.goto("/admin/login/")
    page.fill("#id_username", EDITOR["username"])
    page.fill("#id_password", EDITOR["password"])
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    return page


# --------------------------------------------------------------------------- reporting


def pytest_configure(config):
    config.stash[helpers.AXE_INCOMPLETE] = []


def _browser_outcomes(terminalreporter) -> Counter:
    """One outcome per browser test: failed (or error) in any phase, else skipped, else passed."""
    outcomes = {}
    rank = {"passed": 0, "skipped": 1, "failed": 2}
    for reports in terminalreporter.stats.values():
        for report in reports:
            if not isinstance(report, pytest.TestReport) or "browser" not in report.keywords:
                continue
            if report.failed:
                outcome = "failed"
            elif report.skipped:
                outcome = "skipped"
            elif report.when == "call":
                outcome = "passed"
            else:
                continue
            if rank[outcome] >= rank.get(outcomes.get(report.nodeid), -1):
                outcomes[report.nodeid] = outcome
    return Counter(outcomes.values())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    incomplete = config.stash.get(helpers.AXE_INCOMPLETE, [])
    if incomplete:
        terminalreporter.section("axe-core: incomplete items (not violations; need a human check)")
        by_rule = {}
        for page_name, rule, help_text, count in incomplete:
            entry = by_rule.setdefault(rule, {"help": help_text, "pages": Counter()})
            entry["pages"][page_name] += count
        for rule, entry in sorted(by_rule.items()):
            pages = ", ".join(f"{name} ({n})" for name, n in sorted(entry["pages"].items()))
            terminalreporter.write_line(f"{rule}: {entry['help']} -- {pages}")
    outcomes = _browser_outcomes(terminalreporter)
    passed, failed, skipped = outcomes["passed"], outcomes["failed"], outcomes["skipped"]
    terminalreporter.write_sep("-", f"browser tests: {passed} passed, {failed} failed, {skipped} skipped")
