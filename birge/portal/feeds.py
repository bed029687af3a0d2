"""RSS and Atom feeds of the portal's statements, per language (the URL's) and per topic."""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from birge.core.models import Topic

from .selectors import FeedItem, feed_items

FEED_SIZE = 30


class StatementFeed(Feed):
    """What the portal announced in one language: news, guidance, measures, documents,
    briefings, corrections and urgent alerts, newest first."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        topic_slug = request.GET.get("topic", "")
        topic = Topic.objects.filter(slug=topic_slug).first() if topic_slug else None
        if topic_slug and topic is None:
            raise Http404
        return {"language": (get_language() or "kk")[:2], "topic": topic}

    def title(self, obj: dict[str, Any]) -> str:
        from django.conf import settings

        if obj["topic"] is not None:
            return f"{settings.BIRGE_SITE_NAME}: {obj['topic'].name}"
        return f"{settings.BIRGE_SITE_NAME}: {_('official information')}"

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("home")

    def description(self, obj: dict[str, Any]) -> str:
        return _("Statements of the state bodies, newest first.")

    def items(self, obj: dict[str, Any]) -> list[FeedItem]:
        return feed_items(language=obj["language"], topic=obj["topic"], limit=FEED_SIZE)

    def item_title(self, item: FeedItem) -> str:
        return item.title

    def item_description(self, item: FeedItem) -> str:
        return item.summary

    def item_link(self, item: FeedItem) -> str:
        return item.url

    def item_guid(self, item: FeedItem) -> str:
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item: FeedItem) -> datetime | None:
        return item.published_at

    def item_author_name(self, item: FeedItem) -> str:
        return item.agency

    def item_categories(self, item: FeedItem) -> list[str]:
        return item.categories


class StatementAtomFeed(StatementFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: dict[str, Any]) -> str:
        return self.description(obj)
