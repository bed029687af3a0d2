"""The default backend: full-text search in the site's own database, SQLite or PostgreSQL.

Both index the analysed terms of `SearchDocument` (birge.search.analysis), never raw text, so
ranking sees the same stems and concept tokens on either database:

- SQLite: the FTS5 table `search_fts`, external content over `search_searchdocument`. FTS5
  cannot read the old terms of a changed row by itself, so every write here tells it both the
  old and the new ones; nothing else may write `SearchDocument`. Ranked by bm25().
- PostgreSQL: the generated column `search_vector`, `to_tsvector('simple', ...)` of the terms
  (title weighted A, text B), under a GIN index; the database keeps it in step. Ranked by
  ts_rank_cd() over the cover density, normalised by document length.

Writes join the caller's transaction (`transactional`): an item and its index entry commit
together, so a withdrawn statement is never found after its withdrawal committed.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection, transaction

from ..analysis import Query, document_terms
from ..models import TEXT_STORED_MAX_LENGTH, TITLE_MAX_LENGTH, SearchDocument
from ..sources import Document, DocumentKey
from . import Hit, HitPage

BATCH_SIZE = 500
# Title terms count this much more than the text's (bm25 column weights on SQLite; the A/B
# weights of ts_rank_cd, 1.0 and 0.4, are PostgreSQL's defaults).
TITLE_WEIGHT = 2.5
# ts_rank_cd normalisation 1: divide by 1 + log(length), so a long text is not favoured for
# repeating a word.
PG_RANK_NORMALISATION = 1
_UPDATED_FIELDS = [
    "language",
    "title",
    "summary",
    "text",
    "url",
    "published_at",
    "agency",
    "labels",
    "title_terms",
    "text_terms",
]
# What a hit shows; the term columns stay behind (deferred).
_COLUMNS = ", ".join(
    f"d.{field.column}"
    for field in SearchDocument._meta.concrete_fields
    if field.name not in ("title_terms", "text_terms")
)
_TABLE = SearchDocument._meta.db_table
_FTS_DELETE = (
    "INSERT INTO search_fts(search_fts, rowid, title_terms, text_terms) "
    "VALUES ('delete', %s, %s, %s)"
)
_FTS_INSERT = "INSERT INTO search_fts(rowid, title_terms, text_terms) VALUES (%s, %s, %s)"


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield batch


def _row(document: Document) -> SearchDocument:
    return SearchDocument(
        kind=document.kind,
        key=document.key,
        language=document.language,
        title=document.title[:TITLE_MAX_LENGTH],
        summary=document.summary,
        text=document.text[:TEXT_STORED_MAX_LENGTH],
        url=document.url,
        published_at=document.published_at,
        agency=document.agency,
        labels=dict(document.labels),
        title_terms=document_terms(document.title, document.language),
        text_terms=document_terms(f"{document.summary}\n{document.text}", document.language),
    )


def _document(row: SearchDocument) -> Document:
    return Document(
        kind=row.kind,
        key=row.key,
        language=row.language,
        title=row.title,
        url=row.url,
        published_at=row.published_at,
        text=row.text,
        summary=row.summary,
        agency=row.agency,
        labels=row.labels,
    )


def _by_kind(keys: Iterable[DocumentKey]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for kind, key in keys:
        grouped[kind].append(key)
    return grouped


def _indexed_terms(keys: Iterable[DocumentKey]) -> list[tuple[int, str, str]]:
    """(id, title terms, text terms) of the indexed documents among `keys`."""
    found: list[tuple[int, str, str]] = []
    for kind, kind_keys in _by_kind(keys).items():
        found.extend(
            SearchDocument.objects.filter(kind=kind, key__in=kind_keys).values_list(
                "pk", "title_terms", "text_terms"
            )
        )
    return found


def _boolean_query(query: Query, *, quote: str, prefix: str, any_of: str, all_of: str) -> str:
    """Every unit, each one any of its terms, the last one also as a prefix when asked: in the
    syntax of FTS5 MATCH or of to_tsquery('simple', ...). The terms are [a-z0-9]+, so quoting
    them is enough to keep the reader's text out of the syntax."""
    units = []
    last = len(query.units) - 1
    for position, unit in enumerate(query.units):
        terms = [f"{quote}{term}{quote}" for term in unit]
        if position == last and query.prefix:
            terms[0] += prefix
        units.append(terms[0] if len(terms) == 1 else "(" + any_of.join(terms) + ")")
    return all_of.join(units)


def _match_expression(query: Query) -> str:
    return _boolean_query(query, quote='"', prefix="*", any_of=" OR ", all_of=" AND ")


def _tsquery(query: Query) -> str:
    return _boolean_query(query, quote="'", prefix=":*", any_of=" | ", all_of=" & ")


class DatabaseBackend:
    """Full-text search in the site's database: FTS5 on SQLite, tsvector on PostgreSQL."""

    transactional = True

    def __init__(self) -> None:
        if connection.vendor not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"no full-text search on {connection.vendor}")

    @property
    def _sqlite(self) -> bool:
        return connection.vendor == "sqlite"

    def upsert(self, documents: Iterable[Document]) -> None:
        for batch in _batches(documents):
            # Analysed before the write starts: on SQLite the write holds the database's lock.
            # One row per key: PostgreSQL refuses an upsert that meets the same row twice.
            rows = list({document.document_key: _row(document) for document in batch}.values())
            with transaction.atomic():
                self._upsert_batch(rows)

    def _upsert_batch(self, rows: list[SearchDocument]) -> None:
        keys = [DocumentKey(row.kind, row.key) for row in rows]
        with connection.cursor() as cursor:
            if self._sqlite:
                cursor.executemany(_FTS_DELETE, _indexed_terms(keys))
            SearchDocument.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["kind", "key"],
                update_fields=_UPDATED_FIELDS,
            )
            if self._sqlite:
                cursor.executemany(_FTS_INSERT, _indexed_terms(keys))

    def remove(self, keys: Iterable[DocumentKey]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for batch in _batches(keys):
                indexed = _indexed_terms(batch)
                if self._sqlite:
                    cursor.executemany(_FTS_DELETE, indexed)
                SearchDocument.objects.filter(pk__in=[pk for pk, _title, _text in indexed]).delete()

    def keys(self, kind: str) -> set[str]:
        return set(SearchDocument.objects.filter(kind=kind).values_list("key", flat=True))

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
        if not query.units:
            return HitPage(hits=[], total=0)
        if self._sqlite:
            # bm25() is not allowed beside the window function that counts: it is computed in a
            # subquery of its own.
            source = (
                f"(SELECT rowid AS id, -bm25(search_fts, {TITLE_WEIGHT}, 1.0) AS score "  # noqa: S608 - constants only
                f"FROM search_fts WHERE search_fts MATCH %s) m JOIN {_TABLE} d ON d.id = m.id"
            )
            score = "m.score"
            conditions = ["TRUE"]
            params: list[Any] = [_match_expression(query)]
        else:
            source = f"{_TABLE} d, to_tsquery('simple', %s) q"
            score = f"ts_rank_cd(d.search_vector, q, {PG_RANK_NORMALISATION})"
            conditions = ["d.search_vector @@ q"]
            params = [_tsquery(query)]
        if language:
            conditions.append("d.language = %s")
            params.append(language)
        if kinds:
            conditions.append("d.kind IN (" + ", ".join(["%s"] * len(kinds)) + ")")
            params.extend(kinds)
        condition = " AND ".join(conditions)
        order = ""
        order_params: list[Any] = []
        if prefer_language:
            order = "(d.language = %s) DESC, "
            order_params.append(prefer_language)
        # The count rides along on every row, so a page of results is one query.
        rows = list(
            SearchDocument.objects.raw(
                f"SELECT {_COLUMNS}, {score} AS score, COUNT(*) OVER () AS total "  # noqa: S608 - no input in the SQL text
                f"FROM {source} WHERE {condition} "
                f"ORDER BY {order}score DESC, d.published_at DESC, d.id DESC "
                "LIMIT %s OFFSET %s",
                [*params, *order_params, limit, offset],
            )
        )
        if rows:
            total = vars(rows[0])["total"]
        elif offset:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {source} WHERE {condition}", params)  # noqa: S608
                total = cursor.fetchone()[0]
        else:
            total = 0
        hits = [Hit(_document(row), float(vars(row)["score"])) for row in rows]
        return HitPage(hits=hits, total=total)
