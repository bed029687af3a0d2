from django.urls import path

from . import feeds, views

app_name = "portal"

urlpatterns = [
    path("documents/<int:page_id>/file/", views.document_download, name="document_download"),
    path("feed/rss/", feeds.StatementFeed(), name="feed_rss"),
    path("feed/atom/", feeds.StatementAtomFeed(), name="feed_atom"),
]
