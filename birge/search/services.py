"""Writes of the site search: keeping the index in step with each domain's public content."""

from collections.abc import Collection, Iterable, Iterator
from functools import partial

from django.db import transaction
from django_tasks import task

from .backends import search_backend
from .sources import Document, DocumentKey, search_source, search_sources


def _refresh(kind: str, keys: list[str]) -> int:
    backend = search_backend()
    documents = list(search_source(kind).documents(keys))
    backend.upsert(documents)
    public = {document.key for document in documents}
    backend.remove(DocumentKey(kind, key) for key in keys if key not in public)
    return len(documents)


def search_refresh(*, kind: str, keys: Collection[str | int]) -> None:
    """Index what is public among `keys` of `kind` as it is now, and drop the rest.

    With the database backend this happens in the caller's transaction, so the change and its
    index entry commit (or roll back) together; with a search cluster, after commit in a task
    that reloads the documents by key.
    """
    key_list = sorted({str(key) for key in keys})
    search_source(kind)  # an unknown kind fails here, in the caller, not later in a task
    if not key_list:
        return
    if search_backend().transactional:
        _refresh(kind, key_list)
    else:
        transaction.on_commit(partial(search_refresh_task.enqueue, kind=kind, keys=key_list))


def _noting_keys(documents: Iterable[Document], keys: set[str]) -> Iterator[Document]:
    for document in documents:
        keys.add(document.key)
        yield document


def search_rebuild(*, kinds: Collection[str] | None = None) -> dict[str, int]:
    """Index every public document of each kind (all registered kinds by default) and drop
    what no longer is; returns the number of documents per kind. Safe to run at any time."""
    backend = search_backend()
    counts: dict[str, int] = {}
    for source in search_sources():
        if kinds is not None and source.kind not in kinds:
            continue
        indexed = backend.keys(source.kind)
        public: set[str] = set()
        # Streamed: the backend writes in batches as the source yields.
        backend.upsert(_noting_keys(source.documents(None), public))
        backend.remove(DocumentKey(source.kind, key) for key in indexed - public)
        counts[source.kind] = len(public)
    return counts


# --- background runs of the services above -------------------------------------------------


@task()
def search_refresh_task(*, kind: str, keys: list[str]) -> int:
    """Bring these keys of `kind` in line with their source (search clusters); safe twice."""
    return _refresh(kind, keys)
