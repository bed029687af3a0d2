"""The public statistics pages show the figures the demo imports, in the three languages.

Expected numbers from the source files (see test_import.py): nationally the JHU series ends on
2021-10-10 with 982,888 confirmed (1,759 new since 981,129) and 16,346 deaths; in the portal's
extract Almaty city had 1,689 confirmed on 2020-05-15, and Almaty region 720 on 2020-06-30.
"""

import csv
import io
import re

import pytest
from django.http import HttpResponse
from django.test import Client

from birge.stats.demo import stats_demo_load

pytestmark = pytest.mark.django_db

# The shell's emergency contacts (one, until cached) and the region; then indicators, release and
# values for the unit; the dashboard adds the regional release, its regions and latest values.
DASHBOARD_QUERIES = 8
REGION_QUERIES = 6


@pytest.fixture
def demo() -> None:
    stats_demo_load()


def _text(response: HttpResponse) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")


@pytest.mark.parametrize(
    ("language", "confirmed", "new"),
    [("en", "982,888", "1,759"), ("ru", "982 888", "1 759"), ("kk", "982 888", "1 759")],
)
def test_the_dashboard_shows_the_latest_national_figures(
    client: Client, demo: None, language: str, confirmed: str, new: str
) -> None:
    response = client.get(f"/{language}/stats/")

    assert response.status_code == 200
    assert response["Content-Language"] == language
    text = _text(response)
    assert confirmed in text
    assert new in text
    assert "16 346" in text.replace(",", " ")
    assert "Johns Hopkins" in text or "jhu" in text
    html = response.content.decode()
    assert html.count('<svg role="img"') == 2
    assert 'aria-labelledby="chart-total-title chart-total-desc"' in html
    assert html.count("<details>") == 2


def test_the_dashboard_lists_regions_on_the_units_of_2020(client: Client, demo: None) -> None:
    response = client.get("/en/stats/")

    html = response.content.decode()
    text = _text(response)
    assert 'href="/en/stats/KZ-19/"' in html
    assert "Алматинская область (2020, including today's Zhetisu" in text
    row = re.search(r'<tr data-region="KZ-33">.*?</tr>', html, re.S)
    assert row is not None
    assert "Did not exist yet" in row.group(0)
    # the extract's last row for Almaty region: 2020-07-01T10:08, 2096,574,1
    almaty = re.search(r'<tr data-region="KZ-19">.*?</tr>', html, re.S)
    assert almaty is not None
    assert "2,096" in almaty.group(0)
    assert '<time datetime="2020-07-01">' in almaty.group(0)


def test_the_dashboard_is_public_and_its_queries_are_pinned(
    client: Client, demo: None, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(DASHBOARD_QUERIES):  # type: ignore[operator]
        response = client.get("/kk/stats/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Set-Cookie" not in response or not response.cookies


def test_the_csv_link_gives_exactly_the_charted_series(client: Client, demo: None) -> None:
    html = client.get("/en/stats/").content.decode()
    links = set(re.findall(r'href="(/api/v1/stats/data\?[^"]+)"', html))
    assert len(links) == 1
    url = links.pop().replace("&amp;", "&")

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["region"] for row in rows} == {"KZ"}
    assert {row["indicator"] for row in rows} == {"confirmed"}
    assert rows[-1]["date"] == "2021-10-10"
    assert rows[-1]["value"] == "982888"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_region_page_shows_its_figures(
    client: Client, demo: None, language: str, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(REGION_QUERIES):  # type: ignore[operator]
        response = client.get(f"/{language}/stats/KZ-75/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    html = response.content.decode()
    assert "region=KZ-75" in html
    assert "2020-05-15" in html
    assert re.search(r"1[ ,\xa0]689", html)


def test_a_pre_2022_region_says_its_figures_include_the_new_unit(
    client: Client, demo: None
) -> None:
    text = _text(client.get("/en/stats/KZ-19/"))

    assert "they include today's Zhetisu" in text
    assert "720" in text


@pytest.mark.parametrize(
    ("code", "parent"), [("KZ-33", "KZ-19"), ("KZ-10", "KZ-63"), ("KZ-62", "KZ-35")]
)
def test_a_unit_formed_in_2022_says_it_did_not_exist_yet(
    client: Client, demo: None, code: str, parent: str
) -> None:
    response = client.get(f"/en/stats/{code}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "did not exist yet in 2020" in _text(response)
    assert f'href="/en/stats/{parent}/"' in html
    assert "<svg" not in html


def test_an_unknown_code_is_not_found(client: Client, demo: None) -> None:
    assert client.get("/en/stats/KZ-99/").status_code == 404


def test_the_site_navigation_links_to_the_dashboard(client: Client) -> None:
    html = client.get("/ru/").content.decode()

    assert 'href="/ru/stats/"' in html
