"""Shared fixtures: every test runs against the real PostgreSQL test database."""

import json

import pytest
from django.utils import translation

from archive.models import Place
from tests import republications
from tests.factories import make_place
from tests.import_helpers import REUTERS, run_import
from tests.replica_helpers import standby  # noqa: F401 (the read replica tests' real standby)


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Tests send many requests from one address; the rate-limit tests switch the limits back on."""
    settings.RATE_LIMITS = {}


@pytest.fixture(autouse=True)
def interface_language_reset():
    """A request in French leaves French active in the thread (LocaleMiddleware activates, nothing
    deactivates): each test starts in the default language, whatever the test before it asked for."""
    yield
    translation.deactivate()


@pytest.fixture
def staff_user(django_user_model):
    """A staff editor with every permission."""
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "correct-horse-9")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def mali_chain(db):
    """Africa → Mali → Koulikoro Region → Kati: a four-level place chain."""
    africa = make_place("Africa", kind=Place.Kind.CONTINENT)
    mali = make_place("Mali", parent=africa, kind=Place.Kind.COUNTRY, aliases=["MLI"])
    region = make_place("Koulikoro Region", parent=mali, kind=Place.Kind.REGION)
    kati = make_place("Kati", parent=region)
    return {"africa": africa, "mali": mali, "region": region, "kati": kati}


@pytest.fixture
def originals():
    """Forty long Reuters stories of reut2-000.sgm (the story tests republish them)."""
    return republications.originals(REUTERS / "reut2-000.sgm", count=40)


@pytest.fixture
def reprinted(tmp_path, originals):
    """reut2-000.sgm, then three copies of each of the `originals` and five roundups of their sentences."""
    run_import(REUTERS / "reut2-000.sgm")
    path = tmp_path / "republications.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in republications.records(originals)))
    return run_import(path)
