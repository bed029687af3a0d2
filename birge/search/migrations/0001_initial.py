"""The search index: the documents' table, and the full-text index the database offers.

SQLite gets an FTS5 table over the two term columns (external content: the terms are stored
once, in the documents' table); PostgreSQL a generated tsvector column with a GIN index. Both
are created here rather than declared on the model, so the model's state is the same on both.
"""

from django.db import migrations, models

FTS5_CREATE = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title_terms, text_terms, content='search_searchdocument', content_rowid='id', "
    "tokenize='ascii')"
)
PG_VECTOR_CREATE = (
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, title_terms), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, text_terms), 'B')) STORED"
)
# Without the pending list (fastupdate): a publish writes its few entries into the index at
# once, and no search has to scan a list of recent entries that only a vacuum would merge
# (3.6 ms a query at 5,000 fresh documents, 0.1 ms merged: docs/benchmarks.md).
PG_INDEX_CREATE = (
    "CREATE INDEX search_document_vector ON search_searchdocument "
    "USING gin (search_vector) WITH (fastupdate = off)"
)


def full_text_index_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(FTS5_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(PG_VECTOR_CREATE)
        schema_editor.execute(PG_INDEX_CREATE)


def full_text_index_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_vector")
        schema_editor.execute(
            "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=16)),
                ("key", models.CharField(max_length=64)),
                ("language", models.CharField(max_length=8)),
                ("title", models.CharField(max_length=500)),
                ("summary", models.TextField(blank=True)),
                ("text", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("published_at", models.DateTimeField()),
                ("agency", models.CharField(blank=True, max_length=255)),
                ("labels", models.JSONField(blank=True, default=dict)),
                ("title_terms", models.TextField(blank=True)),
                ("text_terms", models.TextField(blank=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "key"), name="search_document_one_per_key"
                    )
                ],
            },
        ),
        migrations.RunPython(full_text_index_create, full_text_index_drop, elidable=False),
    ]
