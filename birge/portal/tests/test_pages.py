"""The portal as citizens meet it: pages in their language, dated, sourced, with history."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ..models import NewsArticlePage, PageChange, TransparencyReportPage
from ..services import page_publish
from .factories import statement_draft, statement_published

pytestmark = pytest.mark.django_db
# Pinned: a change that adds a query per statement fails here (found by running it).
HOME_QUERIES = 17
LISTING_QUERIES = 11


def test_a_published_article_shows_agency_dates_source_and_share_links(client: Client) -> None:
    # given
    article = statement_published(title="Карантин ережелері", language="kk")
    # when
    response = client.get(article.url)
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Карантин ережелері" in html
    assert article.agency.name_kk in html
    assert "Ministry of Healthcare, press release" in html
    assert 'property="og:title"' in html
    assert "https://t.me/share/url?url=" in html
    assert "wa.me" in html
    assert "vk.com/share.php" in html
    assert "facebook.com/sharer" in html


def test_a_draft_is_not_public(client: Client) -> None:
    draft = statement_draft(title="Not yet")
    assert client.get(f"/kk/news/{draft.slug}/").status_code == 404


def test_a_correction_keeps_the_earlier_wording_and_shows_the_difference(client: Client) -> None:
    # given
    article = statement_published(
        title="Ыстық желі", body="<p>Телефон нөмірі 1406 жұмыс істейді.</p>", language="kk"
    )
    # when
    article.body = "<p>Телефон нөмірі 1406 және 103 жұмыс істейді.</p>"
    page_publish(page=article, actor=None, reason="103 нөмірі қосылды", check_access=False)
    # then
    changes = list(PageChange.objects.filter(page=article).order_by("at", "id"))
    assert [change.kind for change in changes] == ["published", "corrected"]
    assert changes[1].text_before["body"] == "Телефон нөмірі 1406 жұмыс істейді."
    html = client.get(article.url).content.decode()
    assert "103 нөмірі қосылды" in html
    assert "<ins>" in html
    assert "103" in html


def test_republishing_a_public_statement_requires_a_reason() -> None:
    article = statement_published(title="Rules")
    article.body = "<p>Changed.</p>"
    with pytest.raises(ValidationError) as refused:
        page_publish(page=article, actor=None, reason="", check_access=False)
    assert "change_note" in refused.value.message_dict


def test_each_language_links_to_the_others_and_a_missing_one_is_labelled(client: Client) -> None:
    # given a statement published in Russian and Kazakh, not in English
    russian = statement_published(title="Правила карантина", language="ru", slug="rules")
    kazakh = statement_published(
        title="Карантин ережелері", language="kk", translation_of=russian, agency=russian.agency
    )
    # when
    html = client.get(russian.url).content.decode()
    # then
    assert kazakh.url in html
    assert "only" in html or "тек" in html or "только" in html
    english_listing = client.get("/en/news/").content.decode()
    assert "Правила карантина" in english_listing
    assert "Available in" in english_listing


def test_the_home_page_shows_latest_news_and_an_honest_empty_figures_state(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    statement_published(title="Жаңа шаралар", language="kk")
    response = client.get("/kk/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Жаңа шаралар" in html


def test_listings_are_paginated_in_the_url_language(client: Client) -> None:
    statement_published(title="Kazakh one", language="kk", slug="one")
    statement_published(title="Russian one", language="ru", slug="two")
    kazakh = client.get("/kk/news/").content.decode()
    assert "Kazakh one" in kazakh
    assert NewsArticlePage.objects.live().count() == 2


def test_the_home_page_and_a_listing_take_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    # given a portal with a few statements of each kind
    for number in range(6):
        statement_published(title=f"News {number}", slug=f"news-{number}")
    client.get("/kk/")  # warms the site-root and reference caches, as in production
    client.get("/kk/news/")
    # then adding statements does not add queries
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/kk/")
    with django_assert_num_queries(LISTING_QUERIES):
        client.get("/kk/news/")
    for number in range(6, 12):
        statement_published(title=f"News {number}", slug=f"news-{number}")
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/kk/")
    with django_assert_num_queries(LISTING_QUERIES):
        client.get("/kk/news/")


def test_a_report_missing_in_a_language_is_offered_in_that_languages_documents(
    client: Client,
) -> None:
    # given a transparency report published in Russian only
    statement_published(
        TransparencyReportPage,
        title="Расходы на информирование",
        language="ru",
        period="2020",
        total=Decimal("10.00"),
    )
    # then the English documents section offers it
    listing = client.get("/en/documents/").content.decode()
    assert "Расходы на информирование" in listing


def test_the_language_switcher_leads_to_the_translation_or_its_section(client: Client) -> None:
    # given a statement whose slug differs between Russian and Kazakh, and none in English
    russian = statement_published(title="Правила карантина", language="ru", slug="pravila")
    kazakh = statement_published(
        title="Карантин ережелері",
        language="kk",
        slug="erezheler",
        translation_of=russian,
        agency=russian.agency,
    )
    # when the reader switches language on the Russian page
    to_kazakh = client.get("/language/kk/", {"next": russian.url})
    to_english = client.get("/language/en/", {"next": russian.url})
    # then Kazakh leads to its translation, English to the news section in English
    assert to_kazakh.status_code == 302
    assert to_kazakh["Location"] == kazakh.url
    assert to_english["Location"] == "/en/news/"
    assert client.get(to_english["Location"]).status_code == 200
    # and the page's alternates name only the translations that exist, at their own slugs
    head = client.get(russian.url).content.decode().split("</head>")[0]
    assert f'<link rel="alternate" hreflang="kk" href="{kazakh.url}">' in head
    assert 'hreflang="en"' not in head
    # a page that is not a portal page keeps its own path
    assert client.get("/language/en/", {"next": "/ru/claims/"})["Location"] == "/en/claims/"
