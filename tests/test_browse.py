"""Browse by date: years, months with gaps, calendars, days, empty and impossible periods."""

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def july_2022():
    make_article("Attack at Kati", published_on="2022-07-22")
    make_article("Attacks in the centre", published_on="2022-07-21")
    make_article("Coup in Bamako", published_on="2020-08-18")


def test_years_page_lists_years_with_counts(client, july_2022):
    html = client.get("/browse/").content.decode()
    assert 'href="/browse/2020/">2020</a> <span class="count">1 article<' in html
    assert 'href="/browse/2022/">2022</a> <span class="count">2 articles<' in html


def test_year_page_shows_months_with_counts_and_gaps(client, july_2022):
    html = client.get("/browse/2022/").content.decode()
    assert 'href="/browse/2022/07/">July <span class="count">2</span>' in html
    assert '<li class="gap"><span>June <span class="count">none</span>' in html


def test_month_page_is_a_calendar_with_day_counts(client, july_2022):
    html = client.get("/browse/2022/07/").content.decode()
    assert 'href="/browse/2022/07/22/"' in html and 'href="/browse/2022/07/21/"' in html
    assert '<table class="calendar">' in html


def test_day_page_lists_the_articles(client, july_2022):
    html = client.get("/browse/2022/07/22/").content.decode()
    assert "Attack at Kati" in html and "Attacks in the centre" not in html


@pytest.mark.parametrize(
    "url,label",
    [("/browse/2021/", "2021"), ("/browse/2022/03/", "March 2022"), ("/browse/2022/07/23/", "23 July 2022")],
)
def test_empty_period_is_200_with_nearest_periods(client, july_2022, url, label):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"There are no articles in the archive for {label}" in html
    assert "Nearest dates with articles" in html


def test_empty_day_links_to_nearest_days(client, july_2022):
    html = client.get("/browse/2021/01/01/").content.decode()
    assert 'href="/browse/2020/08/18/"' in html and 'href="/browse/2022/07/21/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/browse/1987/02/30/",
        "/browse/9999/12/31/",
        "/browse/9999/",
        "/browse/2022/13/",
        "/browse/2022/00/",
        "/browse/0000/",
        "/browse/22/07/",
        "/browse/2022/7/",
        "/browse/abcd/",
    ],
)
def test_impossible_or_out_of_range_dates_are_404(client, url):
    assert client.get(url).status_code == 404


def test_an_early_year_is_listed_and_its_page_answers(client):
    make_article("A typo of an editor", published_on="0198-01-05")
    assert 'href="/browse/0198/">0198</a>' in client.get("/browse/").content.decode()
    assert client.get("/browse/0198/").status_code == 200
    assert client.get("/browse/0198/01/05/").status_code == 200


def test_a_year_past_the_archive_range_is_never_listed(client, july_2022):
    make_article("An import typo", published_on="9999-12-31")
    html = client.get("/browse/").content.decode()
    assert "/browse/9999/" not in html and 'href="/browse/2022/"' in html


def test_nearest_dates_never_point_past_the_archive_range(client, july_2022):
    make_article("An import typo", published_on="9999-12-31")
    assert "/browse/9999/" not in client.get("/browse/2023/").content.decode()
