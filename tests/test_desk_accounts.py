"""Researchers' accounts: sign-up logs in, log-in by e-mail, log-out by POST, password reset by mail."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

pytestmark = pytest.mark.django_db

PASSWORD = "a-researchers-pass-8812"


def sign_up(client, email="ada@example.org", password=PASSWORD, **extra):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": password, "password2": password, **extra}
    )


def test_signing_up_makes_a_researcher_without_admin_access_and_logs_them_in(client):
    response = sign_up(client, email="Ada@Example.org")

    assert response.status_code == 302 and response["Location"] == "/me/searches/"
    user = User.objects.get()
    assert (user.username, user.email, user.is_staff, user.is_superuser) == (
        "ada@example.org",
        "ada@example.org",
        False,
        False,
    )
    assert client.get("/me/searches/").status_code == 200
    assert client.get("/admin/").status_code == 302  # the admin sends a researcher to its own log-in


def test_sign_up_refuses_a_taken_address_a_weak_password_and_two_different_ones(client):
    sign_up(client)
    client.post("/accounts/logout/")
    taken = sign_up(client, email="ADA@example.org")
    weak = sign_up(client, email="bob@example.org", password="12345678")
    differ = client.post(
        "/accounts/signup/", {"email": "cy@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"}
    )

    assert taken.status_code == weak.status_code == differ.status_code == 400
    assert "An account with this address exists" in taken.content.decode()
    assert "too common" in weak.content.decode() or "entirely numeric" in weak.content.decode()
    assert "The two passwords differ" in differ.content.decode()
    assert User.objects.count() == 1


def test_sign_up_goes_back_to_a_safe_next_only(client):
    assert sign_up(client, next="/search/?q=kati")["Location"] == "/search/?q=kati"
    client.post("/accounts/logout/")
    assert sign_up(client, email="b@example.org", next="https://evil.example/")["Location"] == "/me/searches/"


def test_log_in_by_e_mail_in_any_case_and_log_out_only_by_post(client):
    User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)

    response = client.post("/accounts/login/", {"username": "ADA@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/me/searches/"
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/me/searches/")["Location"].startswith("/accounts/login/?next=")


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)

    response = client.post("/accounts/password-reset/", {"email": "ada@example.org"})

    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body)[1]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "another-long-pass-5521"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/accounts/reset/done/"
    logged_in = client.post("/accounts/login/", {"username": "ada@example.org", "password": new})
    assert logged_in.status_code == 302 and "_auth_user_id" in client.session


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/" and mail.outbox == []


def test_log_in_is_throttled_by_axes_after_five_failures(client, settings):
    User.objects.create_user("ada@example.org", "ada@example.org", PASSWORD)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "ada@example.org", "password": "wrong-pass-1"})

    locked = client.post("/accounts/login/", {"username": "ada@example.org", "password": PASSWORD})

    assert locked.status_code in (403, 429) and "_auth_user_id" not in client.session


def test_sign_up_is_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {"signup": 2}
    statuses = []
    for n in range(3):
        statuses.append(sign_up(client, email=f"r{n}@example.org").status_code)
        client.logout()
    assert statuses[-1] == 429 and User.objects.count() == 2


def test_the_header_offers_log_in_and_sign_up_to_visitors_and_the_desk_to_researchers(client):
    page = client.get("/").content.decode()
    assert "/accounts/login/?next=/" in page and "/accounts/signup/" in page
    sign_up(client)
    page = client.get("/").content.decode()
    assert "/me/collections/" in page and 'action="/accounts/logout/"' in page
