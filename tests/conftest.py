"""Shared fixtures: every test runs against the real PostgreSQL test database."""

import pytest
from django.utils import translation

from archive.models import Place
from tests.factories import make_place


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
