"""Did you mean: words of published articles only, even when the vocabulary is stale; any word length."""

import threading

import pytest
from django.db import connection, transaction

from archive.derived.refresh import refresh_vocabulary
from archive.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def suggestions_for(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    html = response.content.decode()
    return html.split("Did you mean", 1)[1][:500] if "Did you mean" in html else ""


@pytest.fixture
def secret_word():
    """A published article with a word no other article has, in a fresh vocabulary."""
    make_article("Weather in Bamako", body="Rain fell on the market.")
    article = make_article("Zanzibarian talks", body="Talks on the zanzibarian merger.")
    refresh_vocabulary()
    return article


def test_a_published_word_is_suggested(client, secret_word):
    assert "zanzibarian" in suggestions_for(client, "zanzibarion")


def test_a_word_of_an_unpublished_article_is_not_suggested_before_the_refresh(client, secret_word):
    secret_word.status = Article.Status.DRAFT
    secret_word.save()
    assert "zanzibarian" not in suggestions_for(client, "zanzibarion")


def test_a_word_of_a_deleted_article_is_not_suggested_before_the_refresh(client, secret_word):
    secret_word.delete()
    assert "zanzibarian" not in suggestions_for(client, "zanzibarion")


def test_a_word_edited_away_is_not_suggested_before_the_refresh(client, secret_word):
    secret_word.headline, secret_word.body = "Talks", "Talks on the merger."
    secret_word.save()
    assert "zanzibarian" not in suggestions_for(client, "zanzibarion")


def test_the_vocabulary_holds_words_of_published_articles_only(secret_word):
    make_article("Quixotically drafted", body="Quixotically.", status=Article.Status.DRAFT)
    refresh_vocabulary()
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM archive_vocabulary WHERE word IN ('quixotically', 'zanzibarian')")
        assert [row[0] for row in cursor.fetchall()] == ["zanzibarian"]


@pytest.mark.parametrize("length", [255, 256, 300, 999])
def test_a_very_long_typed_word_gets_an_answer_not_a_server_error(client, secret_word, length):
    typed = ("zanzibarian" * 100)[:length]  # the trigrams of "zanzibarian": a close candidate
    suggestions_for(client, typed)


def test_a_very_long_vocabulary_word_close_to_the_typed_one_is_no_server_error(client):
    long_word = "zanzibar" * 40  # 320 letters, one lexeme
    make_article("Long word", body=f"{long_word} here.")
    refresh_vocabulary()
    assert client.get("/search/", {"q": long_word[:-1] + "x"}).status_code == 200
    assert client.get("/search/", {"q": long_word[:250]}).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_suggestions_are_read_while_the_vocabulary_refreshes():
    make_article("Troops at Kati", body="Gunfire near the garrison at Kati.")
    refresh_vocabulary()
    refreshing, release = threading.Event(), threading.Event()

    def refresh_and_hold():
        try:
            with transaction.atomic():
                refresh_vocabulary()
                refreshing.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=refresh_and_hold)
    holder.start()
    try:
        assert refreshing.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '500ms'")
            cursor.execute("SELECT count(*) FROM archive_vocabulary")
            assert cursor.fetchone()[0] > 0
            cursor.execute("SET lock_timeout = 0")
    finally:
        release.set()
        holder.join()


@pytest.fixture
def two_languages():
    """The same event in English and French, each word list in its own language."""
    make_article("Government statement", body="The government spoke of the attack.", language="en")
    french = make_article(
        "Déclaration du gouvernement", body="Le gouvernement a parlé de l'attaque.", language="fr"
    )
    refresh_vocabulary()
    return french


def vocabulary(word: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT language FROM archive_vocabulary WHERE word = %s ORDER BY language", [word])
        return [row[0] for row in cursor.fetchall()]


def test_each_language_has_its_own_word_list(two_languages):
    assert vocabulary("gouvernement") == ["fr"]
    assert vocabulary("government") == ["en"]
    assert vocabulary("the") == ["en"] and vocabulary("le") == ["fr"]  # the exact words, stop words too


def test_a_misspelt_french_word_is_answered_from_the_french_words(client, two_languages):
    assert "gouvernement" in suggestions_for(client, "gouvernemnt")
    assert "government" in suggestions_for(client, "govermnent")


def test_a_word_is_suggested_only_while_an_article_in_its_language_holds_it(client, two_languages):
    Article.objects.filter(pk=two_languages.pk).update(language="de")
    assert "gouvernement" not in suggestions_for(client, "gouvernemnt")  # (fr, gouvernement) is stale
    refresh_vocabulary()
    assert vocabulary("gouvernement") == ["de"]
    assert "gouvernement" in suggestions_for(client, "gouvernemnt")
