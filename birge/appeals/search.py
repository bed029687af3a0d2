"""FAQ text as the FAQ page searches it, and published FAQ entries in the site search.

Reads only: the publishing services refresh the site search (`search_refresh(kind=FAQ_KIND, ...)`).
"""

from collections.abc import Collection, Iterator
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from birge.core.models import Topic
from birge.matching.normalize import normalize_text
from birge.search.sources import Document, search_source_register

from .models import FaqEntry

FAQ_KIND = "faq"
# The FAQ has no page per entry: a result links to the FAQ narrowed to the question's first
# words (every one of them is in the entry, so it is listed) and to the entry's anchor.
FAQ_LINK_WORDS = 6


def search_key(text: str) -> str:
    """Case-folded, look-alike-folded text with collapsed whitespace (kk/ru/en alike)."""
    return normalize_text(text)


def _faq_url(entry: FaqEntry) -> str:
    with translation.override(entry.language):
        path = reverse("appeals:faq")
    words = " ".join(entry.question.split()[:FAQ_LINK_WORDS])
    return f"{path}?{urlencode({'q': words})}#faq-{entry.pk}"


def _topic_labels(topic: Topic | None) -> dict[str, str]:
    if topic is None:
        return {}
    return {code: topic.name_in(code) for code, _name in settings.LANGUAGES}


def _faq_documents(keys: Collection[str] | None) -> Iterator[Document]:
    entries = FaqEntry.objects.filter(is_published=True).select_related("agency", "topic")
    if keys is not None:
        entries = entries.filter(pk__in=[int(key) for key in keys if key.isdigit()])
    for entry in entries.iterator(chunk_size=500):
        yield Document(
            kind=FAQ_KIND,
            key=str(entry.pk),
            language=entry.language,
            title=entry.question,
            text=entry.answer_text,
            url=_faq_url(entry),
            published_at=entry.published_at,
            agency=entry.agency.name_in(entry.language),
            labels=_topic_labels(entry.topic),
        )


search_source_register(FAQ_KIND, label=_("Answer to a question"), documents=_faq_documents)
