"""The backend seam: ranking of the database backend, and a cluster backend written after commit."""

from collections.abc import Collection, Iterable
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from birge.appeals.models import FaqEntry
from birge.appeals.services.publishing import answer_update
from birge.core.tests.factories import AgencyFactory
from birge.search.analysis import Query, query_analyse
from birge.search.backends import HitPage, search_backend
from birge.search.backends.database import DatabaseBackend
from birge.search.selectors import search_results
from birge.search.sources import Document, DocumentKey

from .conftest import faq_entry_publish, news_publish

pytestmark = pytest.mark.django_db


def _document(key: str, *, title: str, text: str = "", days_ago: int = 0) -> Document:
    return Document(
        kind="faq",
        key=key,
        language="ru",
        title=title,
        text=text,
        url=f"/ru/{key}/",
        published_at=timezone.now() - timedelta(days=days_ago),
    )


def _keys(query: Query, **filters: Any) -> list[str]:
    found = DatabaseBackend().search(
        query,
        language=filters.get("language"),
        kinds=filters.get("kinds", ()),
        prefer_language=filters.get("prefer_language"),
        limit=filters.get("limit", 10),
        offset=filters.get("offset", 0),
    )
    return [hit.document.key for hit in found.hits]


def test_a_title_match_ranks_above_a_text_match_and_newer_wins_a_tie(db: Any) -> None:
    backend = DatabaseBackend()
    backend.upsert(
        [
            _document("text-only", title="Правила въезда", text="Нужна маска и справка."),
            _document("old-title", title="Маска в транспорте", days_ago=3),
            _document("new-title", title="Маска в транспорте", days_ago=1),
        ]
    )
    assert _keys(query_analyse("маска")) == ["new-title", "old-title", "text-only"]


def test_an_upsert_replaces_and_a_removal_forgets(db: Any) -> None:
    backend = DatabaseBackend()
    backend.upsert([_document("a", title="Маска"), _document("b", title="Маска")])
    backend.upsert([_document("a", title="Перчатки")])
    assert _keys(query_analyse("маска")) == ["b"]
    assert _keys(query_analyse("перчатки")) == ["a"]
    backend.remove([DocumentKey("faq", "b"), DocumentKey("faq", "unknown")])
    assert _keys(query_analyse("маска")) == []
    assert backend.keys("faq") == {"a"}


def test_the_count_covers_every_page_and_a_page_past_the_end_is_empty(db: Any) -> None:
    backend = DatabaseBackend()
    backend.upsert(_document(str(n), title=f"Маска {n}") for n in range(7))
    page = backend.search(
        query_analyse("маска"),
        language=None,
        kinds=(),
        prefer_language=None,
        limit=5,
        offset=5,
    )
    assert (len(page.hits), page.total) == (2, 7)
    past = backend.search(
        query_analyse("маска"),
        language=None,
        kinds=(),
        prefer_language=None,
        limit=5,
        offset=50,
    )
    assert (past.hits, past.total) == ([], 7)


class RecordingBackend:
    """A stand-in for a search cluster: records what reaches it."""

    transactional = False
    calls: ClassVar[list[tuple[str, list[str]]]] = []

    def upsert(self, documents: Iterable[Document]) -> None:
        self.calls.append(("upsert", sorted(document.key for document in documents)))

    def remove(self, keys: Iterable[DocumentKey]) -> None:
        self.calls.append(("remove", sorted(key.key for key in keys)))

    def keys(self, kind: str) -> set[str]:
        return set()

    def search(
        self,
        query: Query,
        *,
        language: str | None,
        kinds: Collection[str],
        prefer_language: str | None,
        limit: int,
        offset: int,
    ) -> HitPage:
        return HitPage(hits=[], total=0)


@override_settings(BIRGE_SEARCH_BACKEND="birge.search.tests.test_backends.RecordingBackend")
def test_a_cluster_backend_is_written_after_commit_by_a_task(
    agency: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert isinstance(search_backend(), RecordingBackend)
    RecordingBackend.calls.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entry = faq_entry_publish(agency=agency, language="kk", question="Маска?", answer="Иә.")
    assert RecordingBackend.calls == []
    for callback in callbacks:
        callback()
    assert ("upsert", [str(entry.pk)]) in RecordingBackend.calls
    assert ("remove", []) in RecordingBackend.calls


def test_a_page_made_private_or_deleted_leaves_the_search(agency: Any) -> None:
    page = news_publish(
        agency=agency, language="kk", title="Маска туралы", summary="Маска.", body="<p>Маска.</p>"
    )
    section = page.get_parent()
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    assert search_results(text="маска", page_language="kk").total == 0
    restriction.delete()
    assert search_results(text="маска", page_language="kk").total == 1
    Page.objects.get(pk=page.pk).delete()
    assert search_results(text="маска", page_language="kk").total == 0


def test_a_section_with_a_new_slug_gives_its_pages_their_new_address(
    agency: Any, django_capture_on_commit_callbacks: Any
) -> None:
    page = news_publish(
        agency=agency, language="en", title="Masks on buses", summary="", body="<p>Masks.</p>"
    )
    section = page.get_parent().specific
    section.slug = "announcements"
    # Wagtail tells of a new slug once the publish has committed.
    with django_capture_on_commit_callbacks(execute=True):
        section.save_revision().publish()
    [result] = search_results(text="masks", page_language="en").results
    assert result.url.startswith("/en/announcements/")


def test_an_updated_answer_is_found_by_its_new_words(agency: Any) -> None:
    entry = faq_entry_publish(agency=agency, language="ru", question="Маски?", answer="Да.")
    officer = entry.published_by
    answer_update(
        officer=officer, answer=entry.answer, text="Уже нет.", faq_answer_text="Больше не нужны."
    )
    assert FaqEntry.objects.get(pk=entry.pk).answer_text == "Больше не нужны."
    [result] = search_results(text="нужны", page_language="ru").results
    assert result.kind == "faq"


@pytest.mark.django_db(transaction=True)
def test_committed_writes_are_found(reference_data: None) -> None:
    agency = AgencyFactory()
    entry = faq_entry_publish(agency=agency, language="kk", question="Маска қайда?", answer="Иә.")
    [result] = search_results(text="маска", page_language="kk").results
    assert result.url.endswith(f"#faq-{entry.pk}")


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_after_a_flush_no_earlier_document_is_found(reference_data: None) -> None:
    # The flush after the test above emptied the documents' table, and on SQLite the FTS5 index
    # was rebuilt after it: the reused id 1 carries only this test's words.
    agency = AgencyFactory()
    faq_entry_publish(agency=agency, language="kk", question="Вакцина қайда?", answer="Иә.")
    assert search_results(text="маска", page_language="kk").total == 0
    assert search_results(text="вакцина", page_language="kk").total == 1
