"""Named in-memory indexes ("claims", "faq") kept in step with the database across processes.

The app that owns a collection registers, once, a loader that returns all its current items:

    index_register("claims", loader=claim_match_items)

and after it changes them calls `index_upsert` or `index_remove`, which wait for the commit.
Each web process keeps its own engine per collection. A version number per collection in
Django's cache says when some process last changed it; a search first compares that number with
the one its own index was built or updated at, and reloads the collection through the loader
when they differ. The check is one cache read per search. With a per-process cache (LocMem)
the other processes never hear of a change: production needs a shared cache (Redis).
"""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .engines import DEFAULT_ENGINE, Item, Match, MatchingEngine, engine_class
from .passages import search_with_passages

logger = logging.getLogger(__name__)

Loader = Callable[[], Iterable[Item]]


@dataclass
class _Collection:
    loader: Loader
    lock: threading.Lock = field(default_factory=threading.Lock)
    engine: MatchingEngine | None = None
    # The shared version that `engine` reflects; None until loaded.
    version: int | None = None


_collections: dict[str, _Collection] = {}
_collections_lock = threading.Lock()

# The same search again gets the same answer from memory: in a burst most texts checked are the
# same few forwarded messages, and one search costs an embedding (~20 ms of a core). Keyed by the
# collection's version, so a change is never answered from before it; the age limit covers what
# changes without a new version (vectors that the background task adds later).
RESULTS_KEPT = 4096
RESULTS_SECONDS = 30.0
_results: OrderedDict[tuple[str, int | None, str | None, int, str], tuple[float, list[Match]]] = (
    OrderedDict()
)
_results_lock = threading.Lock()
_searching: dict[tuple[str, int | None, str | None, int, str], threading.Event] = {}
# A waiting thread searches itself after this long (the first one is stuck or very slow).
SEARCH_WAIT_SECONDS = 5.0


def index_register(collection: str, *, loader: Loader) -> None:
    """Make a collection searchable; its items are loaded on the first search in each process.

    Registering a name again replaces its loader and drops this process's index of it.
    """
    with _collections_lock:
        _collections[collection] = _Collection(loader=loader)


def index_upsert(collection: str, items: Iterable[Item]) -> None:
    """Index new or changed items once the current transaction commits; other processes reload."""
    batch = list(items)
    transaction.on_commit(lambda: _change(collection, lambda engine: engine.add(batch)))


def index_remove(collection: str, ids: Iterable[str]) -> None:
    """Drop items once the current transaction commits; other processes reload."""
    batch = list(ids)
    transaction.on_commit(lambda: _change(collection, lambda engine: engine.remove(batch)))


def index_invalidate(collection: str) -> None:
    """Make every process reload the collection on its next search (after a bulk import, say)."""
    _entry(collection)
    _version_bump(collection)


def index_search(
    collection: str, text: str, *, lang: str | None = None, top: int = 10
) -> list[Match]:
    """Return the best `top` groups of the collection for the text, reloading it if stale.

    A long text (a forwarded message, a question with greetings) is also searched passage by
    passage, and each group keeps its best score: the rumour is usually one sentence among
    appeals to "share with everyone", and scored whole it drowns in them.
    """
    entry = _entry(collection)
    with entry.lock:
        current = _version_current(collection)
        if entry.engine is None or entry.version != current:
            entry.engine = _load(collection, entry.loader)
            entry.version = current
        engine = entry.engine
        version = entry.version
    key = (collection, version, lang, top, text)
    mine: threading.Event | None = None
    while True:
        now = time.monotonic()
        with _results_lock:
            kept = _results.get(key)
            if kept is not None and now - kept[0] < RESULTS_SECONDS:
                _results.move_to_end(key)
                return list(kept[1])
            # One search per text at a time: the threads that get the same new text meanwhile
            # (a message that just started spreading) wait for its result.
            running = _searching.get(key)
            if running is None:
                mine = _searching[key] = threading.Event()
                break
        if not running.wait(SEARCH_WAIT_SECONDS):
            break
    try:
        found = search_with_passages(engine, text, lang=lang, top=top)
        with _results_lock:
            _results[key] = (now, list(found))
            _results.move_to_end(key)
            while len(_results) > RESULTS_KEPT:
                _results.popitem(last=False)
    finally:
        if mine is not None:
            with _results_lock:
                del _searching[key]
            mine.set()
    return found


def index_version(collection: str) -> int | None:
    """The collection's version this process's index reflects (None before its first search):
    what an owner may key its own memory of the collection's rows by."""
    return _entry(collection).version


def _entry(collection: str) -> _Collection:
    try:
        return _collections[collection]
    except KeyError:
        raise LookupError(f"matching collection {collection!r} is not registered") from None


def _change(collection: str, apply: Callable[[MatchingEngine], None]) -> None:
    entry = _entry(collection)
    with entry.lock:
        previous = entry.version
        version = _version_bump(collection)
        if entry.engine is not None and previous is not None and version == previous + 1:
            apply(entry.engine)
            entry.version = version
        else:
            # Someone else changed the collection since we loaded it: our copy misses that.
            entry.engine = None


def _load(collection: str, loader: Loader) -> MatchingEngine:
    started = time.perf_counter()
    dotted_path = getattr(settings, "BIRGE_MATCHING_ENGINE", DEFAULT_ENGINE)
    engine = engine_class(dotted_path)(name=collection)
    engine.add(loader())
    logger.info(
        "matching: loaded %s (%d items) in %.0f ms",
        collection,
        len(engine),
        (time.perf_counter() - started) * 1000,
    )
    return engine


def _version_key(collection: str) -> str:
    return f"birge:matching:{collection}:version"


def _version_current(collection: str) -> int:
    key = _version_key(collection)
    version = cache.get(key)
    if version is None:
        # First use, or the cache lost the key: start from a number no process has seen, so
        # that every process reloads once.
        cache.add(key, time.time_ns(), timeout=None)
        version = cache.get(key)
    # A cache that keeps nothing (DummyCache) leaves every process with its own index.
    return 0 if version is None else int(version)


def _version_bump(collection: str) -> int:
    _version_current(collection)
    try:
        return int(cache.incr(_version_key(collection)))
    except ValueError:
        # The key vanished between the two calls; a fresh number is just as good.
        return _version_current(collection)
