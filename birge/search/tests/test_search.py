"""One search across portal pages, FAQ answers and checked claims, through the page readers use."""

import re
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from birge.appeals.models import FaqEntry
from birge.appeals.search import FAQ_KIND
from birge.claims.models import Claim, ClaimTranslation
from birge.claims.search import CLAIM_KIND
from birge.claims.tests.factories import published_claim
from birge.portal.services import page_publish, page_unpublish
from birge.search.selectors import search_results
from birge.search.services import search_refresh
from birge.search.sources import search_sources

from .conftest import faq_entry_publish, news_publish

pytestmark = pytest.mark.django_db


def found(text: str, page_language: str = "kk", **filters: Any) -> list[tuple[str, str]]:
    """(kind, language) of each result, in order."""
    page = search_results(text=text, page_language=page_language, **filters)
    return [(result.kind, result.language) for result in page.results]


ALL_MASK_CONTENT = {
    ("page", "kk"),
    ("page", "ru"),
    ("faq", "en"),
    ("claim", "kk"),
    ("claim", "ru"),
    ("claim", "en"),
}


@pytest.mark.parametrize(
    "text",
    [
        "маскалар",  # kk Cyrillic, plural
        "maskalar",  # kk Latin
        "Маскалар",
        "маски",  # ru
        "маску",
        "masks",  # en
        "MASK",
    ],
)
def test_every_form_and_script_of_a_word_finds_the_same_content(
    content: dict[str, Any], text: str
) -> None:
    assert set(found(text)) == ALL_MASK_CONTENT


def test_the_page_languages_results_come_first(content: dict[str, Any]) -> None:
    for page_language in ("kk", "ru", "en"):
        languages = [language for _kind, language in found("маска", page_language)]
        first_other = next(i for i, code in enumerate(languages) if code != page_language)
        assert set(languages[:first_other]) == {page_language}
        assert page_language not in languages[first_other:]


def test_filters_narrow_to_one_kind_and_one_language(content: dict[str, Any]) -> None:
    assert {kind for kind, _language in found("masks", kinds=["claim"])} == {"claim"}
    assert set(found("маска", language="ru")) == {("page", "ru"), ("claim", "ru")}
    assert found("маска", language="en", kinds=["faq"]) == [("faq", "en")]


def test_every_word_must_match_and_the_last_may_be_unfinished(content: dict[str, Any]) -> None:
    assert set(found("маска автобус")) == {("page", "kk")}
    assert found("маска вакцина") == []
    # "трансп" is still being typed: it matches "транспорте".
    assert set(found("маски трансп")) == {("page", "ru")}
    # a whole word also reaches its translations: "магазин" is the English FAQ's "shops"
    assert set(found("маски магазин")) == {("page", "ru"), ("faq", "en")}


@pytest.mark.parametrize("text", ["маскалар", "maskalar", "маски", "masks"])
def test_the_results_page_labels_kind_and_language_and_marks_the_words(
    content: dict[str, Any], client: Client, text: str
) -> None:
    response = client.get("/kk/search/", {"q": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert re.search(r'<p role="status" class="search-count">[^<]*\b6\b', html)
    assert "Ресми жарияланым" in html
    assert "Сұраққа жауап" in html
    assert "Тексерілген қауесет" in html
    # the verdict goes with every rumour, in the reader's language
    assert html.count("Қорытынды: Жалған") == 3
    # a result in another language says so, and is marked up as that language
    assert "орыс тілінде" in html
    assert "ағылшын тілінде" in html
    assert '<a href="/ru/guidance/' in html
    assert 'lang="ru" hreflang="ru">Когда носить <mark>маски</mark></a>' in html
    assert "<mark>Маскалар</mark> қандағы оттегін азайтады" in html
    assert "Yes: <mark>masks</mark> are required in every shop" in html
    assert 'href="/en/appeals/faq/?q=Do+I+have+to+wear+masks#faq-' in html
    # no result says "in Kazakh" on the Kazakh page
    assert "қазақ тілінде" not in html


def test_what_is_withdrawn_or_unpublished_is_no_longer_found(
    content: dict[str, Any], coordinator: Any
) -> None:
    page_unpublish(page=content["kk_page"], actor=coordinator)
    FaqEntry.objects.filter(pk=content["faq"].pk).update(is_published=False)
    claim: Claim = content["claim"]
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_REVIEW)
    # No service unpublishes an answer or a claim yet; one that does refreshes their keys.
    search_refresh(kind=FAQ_KIND, keys=[content["faq"].pk])
    translations = ClaimTranslation.objects.filter(claim=claim).values_list("pk", flat=True)
    search_refresh(kind=CLAIM_KIND, keys=list(translations))
    assert found("маска") == [("page", "ru")]


def test_a_publish_that_rolls_back_leaves_nothing_in_the_search(agency: Any) -> None:
    def publish_then_fail() -> None:
        with transaction.atomic():
            faq_entry_publish(
                agency=agency, language="ru", question="Где купить маски?", answer="В аптеках."
            )
            assert found("маски") == [("faq", "ru")]
            raise RuntimeError("the publish fails after the index was written")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert found("маски") == []


def test_a_correction_replaces_the_words_found(content: dict[str, Any]) -> None:
    page = content["ru_page"]
    page.title = "Когда мыть руки"
    page.summary = "Мойте руки с мылом."
    page.body = "<p>Не меньше двадцати секунд.</p>"
    page_publish(page=page, actor=None, reason="Hands, not masks.", check_access=False)
    assert ("page", "ru") not in found("маски")
    assert found("мыло") == [("page", "ru")]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "AND (",
        "*",
        "маска*",
        '"маска',
        "NEAR(маска автобус)",
        "маска OR",
        "-маска",
        "^маска",
        "маска:*",
        "'маска' & !маска | (",
        "col:маска",
        "\\",
        "%_",
        "{маска}",
        "маска\u200b",
        "👍",
    ],
)
def test_search_syntax_characters_are_only_text(
    content: dict[str, Any], client: Client, text: str
) -> None:
    response = client.get("/kk/search/", {"q": text})
    assert response.status_code == 200


def test_empty_search_explains_what_can_be_found(client: Client, db: Any) -> None:
    response = client.get("/en/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "One search across the official publications" in html
    assert 'id="results-heading"' not in html
    stopwords_only = client.get("/en/search/", {"q": "the and of"})
    assert stopwords_only.status_code == 200
    assert "only common words" in stopwords_only.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "маска " * 40}, "at most 200 characters"),
        ({"q": "маска\x00"}, "characters that cannot be searched"),
        ({"q": "маска\x1b[31m"}, "characters that cannot be searched"),
        ({"q": "маска", "kind": "secret"}, "Choose what to search for from the list."),
        ({"q": "маска", "lang": "fr"}, "Choose a language from the list."),
    ],
)
def test_bad_input_is_answered_with_the_form_and_a_message(
    client: Client, db: Any, params: dict[str, str], message: str
) -> None:
    response = client.get("/en/search/", params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="search"' in html
    assert 'aria-invalid="true"' in html or "error-summary" in html


def test_the_page_sets_no_cookie_and_may_be_kept_by_shared_caches(
    content: dict[str, Any], client: Client
) -> None:
    response = client.get("/kk/search/", {"q": "маска"})
    assert not response.cookies
    assert "private" not in response.get("Cache-Control", "")
    assert "noindex" in response.content.decode()


def test_escapes_what_it_shows(agency: Any, client: Client) -> None:
    faq_entry_publish(
        agency=agency,
        language="kk",
        question='<script>alert("маска")</script> маска қайда сатылады?',
        answer="<b>Дәріханада</b> & дүкенде.",
    )
    html = client.get("/kk/search/", {"q": "маска"}).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;<mark>маска</mark>&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Дәріханада&lt;/b&gt; &amp; дүкенде." in html


def test_results_are_paginated_and_the_links_keep_the_filters(agency: Any, client: Client) -> None:
    for number in range(23):
        faq_entry_publish(
            agency=agency,
            language="ru",
            question=f"Вопрос {number} про маски",
            answer="Ответ.",
        )
    first = client.get("/en/search/", {"q": "маски", "lang": "ru"}).content.decode()
    assert first.count('class="card search-result ') == 20
    assert "23 results" in first
    next_link = re.search(r'href="([^"]*)" rel="next"', first)
    assert next_link is not None
    assert next_link.group(1) == "?q=%D0%BC%D0%B0%D1%81%D0%BA%D0%B8&amp;lang=ru&amp;page=2"
    second = client.get("/kk/search/", {"q": "маски", "lang": "ru", "page": "2"})
    assert second.content.decode().count('class="card search-result ') == 3
    # a page past the end shows the last one; nonsense is the first
    past = client.get("/kk/search/", {"q": "маски", "lang": "ru", "page": "99"})
    assert past.content.decode().count('class="card search-result ') == 3
    nonsense = client.get("/kk/search/", {"q": "маски", "page": "x"})
    assert nonsense.status_code == 200


def test_the_search_page_takes_the_same_queries_for_few_and_many_results(
    agency: Any, client: Client, django_assert_num_queries: Any
) -> None:
    faq_entry_publish(agency=agency, language="ru", question="Маски?", answer="Да.")
    # the emergency numbers in the header, then the search itself: one query for the results
    # and their count
    cache.clear()
    with django_assert_num_queries(2):
        client.get("/kk/search/", {"q": "маски"})
    for number in range(30):
        faq_entry_publish(agency=agency, language="ru", question=f"Маски {number}?", answer="Да.")
    cache.clear()
    with django_assert_num_queries(2):
        response = client.get("/en/search/", {"q": "маски"})
    assert "31 results" in response.content.decode()
    cache.clear()
    with django_assert_num_queries(1):
        client.get("/kk/search/")


def test_rebuild_indexes_what_was_written_without_the_services_and_drops_the_rest(
    content: dict[str, Any],
) -> None:
    # the claims' factory writes rows directly, as the demo loaders do
    published_claim(
        translations={"ru": ("Маски из ткани бесполезны", "Неправда.")}, wording="Маски"
    )
    FaqEntry.objects.filter(pk=content["faq"].pk).update(is_published=False)
    assert ("faq", "en") in found("маски")
    assert len(found("маски", language="ru", kinds=["claim"])) == 1
    out = StringIO()
    call_command("search_rebuild", stdout=out)
    assert "claim: 4 documents" in out.getvalue()
    assert "faq: 0 documents" in out.getvalue()
    assert ("faq", "en") not in found("маски")
    assert len(found("маски", language="ru", kinds=["claim"])) == 2


def test_each_domain_registers_its_content_at_start_up() -> None:
    assert {source.kind for source in search_sources()} == {"page", "faq", "claim"}


def test_a_new_page_is_found_in_its_own_language_with_its_address(agency: Any) -> None:
    page = news_publish(
        agency=agency,
        language="en",
        title="Quarantine lifted in Almaty",
        summary="Shops reopen on Monday.",
        body="<p>Masks stay mandatory on public transport.</p>",
    )
    results = search_results(text="karantin", page_language="en").results
    assert [(r.kind, r.language, r.url) for r in results] == [("page", "en", page.url)]
    assert results[0].agency == "Ministry of Health"
    assert results[0].label == "News article"
