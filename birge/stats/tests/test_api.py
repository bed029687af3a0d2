"""The open data API: formats, a stable latest address, caching headers and named errors."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client, override_settings

from birge.stats.services import release_import

pytestmark = pytest.mark.django_db

DATA = "/api/v1/stats/data"
LIMITER_QUERIES = 9
HEADER = "Date,Confirmed,Recovered,Deaths,Region\n"
ROWS = (
    "2020-05-14T23:00:00Z,5417,2313,32,Казахстан\n"
    "2020-05-15T23:03:42.669Z,5689,2707,34,Казахстан\n"
    "2020-05-14T23:00:00Z,1629,575,9,Алматы\n"
    "2020-05-15T23:03:42.669Z,1689,614,9,Алматы\n"
    "2020-05-15T23:03:42.669Z,150,80,1,Нур-Султан\n"
)


def _import(tmp_path: Path, text: str, *, published: datetime, name: str = "kz.csv") -> int:
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    release = release_import(path=path, source="kz", published_at=published).release
    assert release is not None
    return release.pk


@pytest.fixture
def first(tmp_path: Path) -> int:
    return _import(tmp_path, ROWS, published=datetime(2020, 5, 16, 8, tzinfo=UTC))


def test_indicators_are_listed_in_three_languages(client: Client) -> None:
    response = client.get("/api/v1/stats/indicators")

    assert response.status_code == 200
    slugs = [row["slug"] for row in response.json()]
    assert slugs == ["confirmed", "recovered", "deaths"]
    assert response.json()[0]["name_kk"] == "Расталған жағдайлар"
    assert response["Cache-Control"] == "public, max-age=300"


def test_data_as_json_from_the_latest_release_without_a_key(client: Client, first: int) -> None:
    response = client.get(DATA, {"indicator": "confirmed", "region": "KZ-75"})

    assert response.status_code == 200
    body = response.json()
    assert body["release"]["id"] == first
    assert body["indicator"]["kind"] == "cumulative"
    assert body["data"] == [
        {"date": "2020-05-14", "region": "KZ-75", "value": 1629, "reported_as": "Алматы"},
        {"date": "2020-05-15", "region": "KZ-75", "value": 1689, "reported_as": "Алматы"},
    ]


def test_data_as_csv_filtered_by_dates(client: Client, first: int) -> None:
    response = client.get(
        DATA, {"indicator": "deaths", "from": "2020-05-15", "to": "2020-05-15", "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["date", "region", "indicator", "value", "reported_as", "release"],
        ["2020-05-15", "KZ", "deaths", "34", "Казахстан", str(first)],
        ["2020-05-15", "KZ-71", "deaths", "1", "Нур-Султан", str(first)],
        ["2020-05-15", "KZ-75", "deaths", "9", "Алматы", str(first)],
    ]


def test_the_latest_address_follows_a_correction_and_earlier_releases_stay(
    client: Client, tmp_path: Path, first: int
) -> None:
    corrected = ROWS.replace("5689,2707,34", "5690,2707,34")
    second = _import(
        tmp_path, corrected, published=datetime(2020, 5, 17, 8, tzinfo=UTC), name="fixed.csv"
    )
    question = {"indicator": "confirmed", "region": "KZ", "from": "2020-05-15"}

    latest = client.get(DATA, question).json()
    pinned = client.get(DATA, {**question, "release": str(first)}).json()
    by_day = client.get(DATA, {**question, "release": "2020-05-16"}).json()

    assert (latest["release"]["id"], latest["data"][0]["value"]) == (second, 5690)
    assert (pinned["release"]["id"], pinned["data"][0]["value"]) == (first, 5689)
    assert by_day["release"]["id"] == first
    releases = client.get("/api/v1/stats/releases").json()
    assert [release["id"] for release in releases] == [second, first]


def test_an_unchanged_answer_is_304_with_its_etag(client: Client, first: int) -> None:
    question = {"indicator": "confirmed", "region": "KZ"}
    response = client.get(DATA, question)
    etag = response["ETag"]

    again = client.get(DATA, question, HTTP_IF_NONE_MATCH=etag)
    other = client.get(DATA, {**question, "format": "csv"}, HTTP_IF_NONE_MATCH=etag)

    assert response["Cache-Control"] == "public, max-age=300"
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "indicator"),
        ({"indicator": "cases"}, "indicator"),
        ({"indicator": "confirmed", "region": "KZ-99"}, "region"),
        ({"indicator": "confirmed", "from": "15.05.2020"}, "from"),
        ({"indicator": "confirmed", "to": "2020-13-01"}, "to"),
        ({"indicator": "confirmed", "from": "2020-05-16", "to": "2020-05-15"}, "from"),
        ({"indicator": "confirmed", "release": "yesterday"}, "release"),
        ({"indicator": "confirmed", "release": "99999"}, "release"),
        ({"indicator": "confirmed", "release": "2019-01-01"}, "release"),
        ({"indicator": "confirmed", "format": "xml"}, "format"),
        ({"indicator": "confirmed", "source": "who"}, "source"),
    ],
)
def test_a_bad_parameter_answers_400_naming_it(
    client: Client, first: int, query: dict[str, str], parameter: str
) -> None:
    response = client.get(DATA, query, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_parameter"
    assert body["parameter"] == parameter
    assert parameter in body["message"] or parameter == "release"
    # In Kazakh too the caller is told, in the state language, what is wrong.
    kazakh = client.get(DATA, query, HTTP_ACCEPT_LANGUAGE="kk").json()
    assert kazakh["parameter"] == parameter
    assert kazakh["message"] != body["message"]


def test_the_query_count_does_not_grow_with_the_rows(
    client: Client, first: int, django_assert_max_num_queries: object
) -> None:
    # Three queries answer (indicator, release, values); the rest are the per-address limit's
    # counter, which lives in the cache table here and in Redis in production.
    with django_assert_max_num_queries(3 + LIMITER_QUERIES):  # type: ignore[operator]
        response = client.get(DATA, {"indicator": "confirmed"})
    # A caller holding the answer costs no read of the values.
    with django_assert_max_num_queries(2 + LIMITER_QUERIES):  # type: ignore[operator]
        cached = client.get(DATA, {"indicator": "confirmed"}, HTTP_IF_NONE_MATCH=response["ETag"])

    assert len(response.json()["data"]) == 5
    assert cached.status_code == 304


def test_the_endpoints_are_documented_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/stats/data"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {"indicator", "region", "from", "to", "release", "source", "format"}
    assert {"200", "304", "400"} <= set(operation["responses"])
    # a key, or nothing: open data needs no key
    assert operation["security"] == [{"ApiKeyBearer": []}, {}]
    assert "DataOut" in schema["components"]["schemas"]
    assert "/api/v1/stats/indicators" in schema["paths"]


def test_a_source_can_be_asked_for_by_name(client: Client, tmp_path: Path, first: int) -> None:
    path = tmp_path / "jhu.csv"
    path.write_text("Date,Country,Confirmed,Recovered,Deaths\n2020-05-15,Kazakhstan,5689,2707,34\n")
    jhu = release_import(path=path, published_at=datetime(2020, 5, 20, tzinfo=UTC)).release
    assert jhu is not None

    latest = client.get(DATA, {"indicator": "confirmed"}).json()
    portal = client.get(DATA, {"indicator": "confirmed", "source": "kz"}).json()

    assert (latest["release"]["id"], latest["release"]["source_key"]) == (jhu.pk, "jhu")
    assert portal["release"]["id"] == first
    assert {row["region"] for row in portal["data"]} == {"KZ", "KZ-71", "KZ-75"}


@override_settings(BIRGE_STATS_API_PER_MINUTE=2)
def test_anonymous_callers_are_limited_per_address(client: Client, first: int) -> None:
    for _attempt in range(2):
        assert client.get("/api/v1/stats/indicators").status_code == 200

    refused = client.get("/api/v1/stats/indicators")

    assert refused.status_code == 429
    assert refused.json()["error"] == "rate_limited"
    assert refused["Retry-After"] == "60"
