"""The portal's pages in the site search (birge.search): every live, public portal page.

`services.publication_record` calls `page_search_refresh` after each publish and
withdrawal, whatever path published. What changes a page's address or audience without a
publish (a move, a parent's new slug, a view restriction, a deletion) reaches the index through
Wagtail's and Django's signals below: those are Wagtail's own paths, with no service of ours in
between.
"""

from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction, get_page_models
from wagtail.signals import page_slug_changed, post_page_move

from birge.search.services import search_refresh
from birge.search.sources import Document, search_source_register

from .models import PortalPage

PAGE_KIND = "page"
# history_text() fields that are not words a reader searches for.
_UNSEARCHED_FIELDS = frozenset({"title", "summary", "file"})


def _portal_page_models() -> list[type[PortalPage]]:
    return [model for model in get_page_models() if issubclass(model, PortalPage)]


def _type_labels(model: type[PortalPage]) -> dict[str, str]:
    labels = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels[code] = capfirst(str(model._meta.verbose_name))
    return labels


def _page_document(page: PortalPage) -> Document | None:
    url = page.url
    published_at = page.first_published_at or page.last_published_at
    if not url or published_at is None:
        return None
    language = page.locale.language_code
    fields = page.history_text()
    return Document(
        kind=PAGE_KIND,
        key=str(page.pk),
        language=language,
        title=page.title,
        summary=page.summary,
        text="\n".join(
            value for name, value in fields.items() if name not in _UNSEARCHED_FIELDS and value
        ),
        url=url,
        published_at=published_at,
        agency=page.agency.name_in(language),
        labels=_type_labels(type(page)),
    )


def _page_documents(keys: Collection[str] | None) -> Iterator[Document]:
    """Live pages outside any private section; drafts, withdrawn and restricted pages are not."""
    if keys is None:
        pages: Iterable[Any] = (
            page
            for model in _portal_page_models()
            for page in model.objects.live().public().select_related("agency", "locale")
        )
    else:
        ids = [int(key) for key in keys if key.isdigit()]
        pages = Page.objects.filter(pk__in=ids).live().public().specific()
    for page in pages:
        if isinstance(page, PortalPage) and (document := _page_document(page)) is not None:
            yield document


search_source_register(PAGE_KIND, label=_("Official publication"), documents=_page_documents)


def page_search_refresh(*, page_id: int) -> None:
    """Index the page as it now is, or drop it when it is withdrawn.

    Called inside the publish's transaction: with the database backend the index entry commits
    with it (a withdrawal is never still found afterwards); a search cluster is written after
    commit by a task.
    """
    search_refresh(kind=PAGE_KIND, keys=[page_id])


def _tree_refresh(page: Page) -> None:
    ids = Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)
    search_refresh(kind=PAGE_KIND, keys=list(ids))


def _page_moved(sender: Any, instance: Page, **kwargs: Any) -> None:
    _tree_refresh(instance)


def _restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _tree_refresh(page)


def _page_deleted(sender: Any, instance: Page, **kwargs: Any) -> None:
    search_refresh(kind=PAGE_KIND, keys=[instance.pk])


# A new address for the page and everything under it.
post_page_move.connect(_page_moved, dispatch_uid="birge-portal-search-move")
page_slug_changed.connect(_page_moved, dispatch_uid="birge-portal-search-slug")
# A section made private, or public again.
post_save.connect(
    _restriction_changed, sender=PageViewRestriction, dispatch_uid="birge-portal-search-private"
)
post_delete.connect(
    _restriction_changed, sender=PageViewRestriction, dispatch_uid="birge-portal-search-public"
)
post_delete.connect(_page_deleted, sender=Page, dispatch_uid="birge-portal-search-delete")
