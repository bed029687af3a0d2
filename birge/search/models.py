"""The database backend's index: one row per public document, in one language.

Besides this table the migration creates, depending on the database, either the FTS5 table
`search_fts` over the two term columns (SQLite) or a generated, GIN-indexed `tsvector` column
`search_vector` on this table (PostgreSQL). Neither is part of the model, so the model and its
migrations are the same on both databases; `backends/database.py` is the only code that reads
or writes them.
"""

from django.db import models

from .sources import KEY_MAX_LENGTH, KIND_MAX_LENGTH

TITLE_MAX_LENGTH = 500
URL_MAX_LENGTH = 500
# Snippets are cut from the stored text; the terms cover the whole of it.
TEXT_STORED_MAX_LENGTH = 20_000


class SearchDocument(models.Model):
    kind = models.CharField(max_length=KIND_MAX_LENGTH)
    key = models.CharField(max_length=KEY_MAX_LENGTH)
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(blank=True)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=URL_MAX_LENGTH)
    published_at = models.DateTimeField()
    agency = models.CharField(max_length=255, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    # The analysed terms (birge.search.analysis), space-separated; the title ranks higher.
    title_terms = models.TextField(blank=True)
    text_terms = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_document_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} {self.title[:60]}"
