"""RSS and Atom feeds of the portal's statements, per language (the URL's) and per topic."""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale

from birge.core.models import Topic

from .selectors import feed_items

FEED_SIZE = 30


class StatementFeed(Feed):
    """The latest news, guidance, measures, documents and briefings in one language."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        topic_slug = request.GET.get("topic", "")
        topic = Topic.objects.filter(slug=topic_slug).first() if topic_slug else None
        if topic_slug and topic is None:
            raise Http404
        locale = Locale.objects.filter(language_code=get_language()).first()
        if locale is None:
            raise Http404
        return {"locale": locale, "topic": topic}

    def title(self, obj: dict[str, Any]) -> str:
        from django.conf import settings

        if obj["topic"] is not None:
            return f"{settings.BIRGE_SITE_NAME}: {obj['topic'].name}"
        return f"{settings.BIRGE_SITE_NAME}: {_('official information')}"

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("home")

    def description(self, obj: dict[str, Any]) -> str:
        return _("Statements of the state bodies, newest first.")

    def items(self, obj: dict[str, Any]) -> list[Any]:
        return feed_items(locale=obj["locale"], topic=obj["topic"], limit=FEED_SIZE)

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(item.summary)

    def item_link(self, item: Any) -> str:
        return str(item.url)

    def item_pubdate(self, item: Any) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Any) -> datetime | None:
        return item.last_published_at

    def item_author_name(self, item: Any) -> str:
        return str(item.agency.name)

    def item_categories(self, item: Any) -> list[str]:
        return [str(topic.name) for topic in item.topics.all()]


class StatementAtomFeed(StatementFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: dict[str, Any]) -> str:
        return self.description(obj)
