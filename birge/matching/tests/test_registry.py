"""The index registry: lazy loading, changes after commit, reloads when another process changed."""

import pytest
from django.core.cache import cache
from django.db import transaction
from pytest_django import DjangoCaptureOnCommitCallbacks

from birge.matching.engines import Item
from birge.matching.engines.lexical import HybridEngine
from birge.matching.registry import (
    index_invalidate,
    index_register,
    index_remove,
    index_search,
    index_upsert,
)


class FakeTable:
    """Stands for the owning app's table; counts how often the registry loads it."""

    def __init__(self, *items: Item) -> None:
        self.items = list(items)
        self.loads = 0

    def load(self) -> list[Item]:
        self.loads += 1
        return list(self.items)


GARLIC = Item("1", "Сарымсақ коронавирусты емдейді", "kk", group="claim-1")
VODKA = Item("2", "Водка убивает коронавирус", "ru", group="claim-2")
MASKS = Item("3", "Masks cause hypoxia", "en", group="claim-3")


def _keys(collection: str, text: str) -> list[str]:
    return [match.key for match in index_search(collection, text, top=3)]


def test_first_search_loads_the_collection_once() -> None:
    table = FakeTable(GARLIC, VODKA)
    index_register("claims-load", loader=table.load)
    assert table.loads == 0
    assert _keys("claims-load", "чеснок")[0] == "claim-1"
    assert _keys("claims-load", "водка")[0] == "claim-2"
    assert table.loads == 1


@pytest.mark.django_db
def test_upsert_and_remove_apply_in_place_without_a_reload(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    table = FakeTable(GARLIC)
    index_register("claims-upsert", loader=table.load)
    _keys("claims-upsert", "чеснок")
    with django_capture_on_commit_callbacks(execute=True):
        index_upsert("claims-upsert", [MASKS])
    assert _keys("claims-upsert", "маски гипоксия")[0] == "claim-3"
    with django_capture_on_commit_callbacks(execute=True):
        index_remove("claims-upsert", ["1"])
    assert "claim-1" not in _keys("claims-upsert", "чеснок")
    assert table.loads == 1


def test_a_change_from_another_process_makes_this_one_reload() -> None:
    # given this process has loaded the collection
    table = FakeTable(GARLIC)
    index_register("claims-stale", loader=table.load)
    assert _keys("claims-stale", "водка") == []
    # when another process commits a new claim and bumps the shared version
    table.items.append(VODKA)
    index_invalidate("claims-stale")
    # then this process reloads on its next search and finds the new claim
    assert _keys("claims-stale", "водка")[0] == "claim-2"
    assert table.loads == 2


def test_a_lost_cache_key_makes_every_process_reload() -> None:
    table = FakeTable(GARLIC)
    index_register("claims-evicted", loader=table.load)
    _keys("claims-evicted", "чеснок")
    cache.clear()
    _keys("claims-evicted", "чеснок")
    assert table.loads == 2


@pytest.mark.django_db
def test_upsert_inside_a_transaction_waits_for_the_commit(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    table = FakeTable(GARLIC)
    index_register("claims-atomic", loader=table.load)
    _keys("claims-atomic", "чеснок")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        index_upsert("claims-atomic", [VODKA])
        assert _keys("claims-atomic", "водка") == []
    assert _keys("claims-atomic", "водка")[0] == "claim-2"


def test_an_unregistered_collection_is_an_error() -> None:
    with pytest.raises(LookupError, match="not registered"):
        index_search("no-such-collection", "чеснок")


def test_a_long_forwarded_message_is_searched_sentence_by_sentence() -> None:
    # given: a claim, and the way it reaches people: one sentence among calls to share it
    index_register(
        "passages-test",
        loader=lambda: [
            Item(id="garlic-ru", text="Чеснок убивает коронавирус", lang="ru", group="garlic"),
            Item(id="5g-ru", text="Вышки 5G распространяют коронавирус", lang="ru", group="5g"),
        ],
    )
    message = (
        "Пересланное сообщение. Срочно! Всем разослать, информация от знакомого врача! "
        "Чеснок убивает коронавирус. Передайте родным и близким, берегите себя! 🙏 http://bit.ly/x"
    )
    # when
    matches = index_search("passages-test", message, lang="ru", top=5)
    # then: the passage scores as the claim itself would, not diluted by the whole message
    assert matches[0].key == "garlic"
    assert matches[0].score > 0.6
    engine = HybridEngine(name="whole")
    engine.add([Item(id="garlic-ru", text="Чеснок убивает коронавирус", lang="ru", group="garlic")])
    whole = engine.search(message, lang="ru")
    assert not whole or whole[0].score < 0.4


@pytest.mark.django_db
def test_the_same_search_again_is_answered_from_memory_until_the_collection_changes(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from unittest import mock

    from birge.matching import registry

    table = FakeTable(GARLIC)
    index_register("claims-memory", loader=table.load)
    with mock.patch.object(
        registry, "search_with_passages", wraps=registry.search_with_passages
    ) as searched:
        first = _keys("claims-memory", "чеснок емдейді")
        again = _keys("claims-memory", "чеснок емдейді")
        assert first == again == ["claim-1"]
        assert searched.call_count == 1
        # a change is never answered from before it
        with django_capture_on_commit_callbacks(execute=True):
            index_upsert("claims-memory", [Item("4", "Чеснок лечит", "ru", group="claim-4")])
        assert set(_keys("claims-memory", "чеснок емдейді")) == {"claim-1", "claim-4"}
        assert searched.call_count == 2


def test_threads_checking_the_same_new_text_at_once_search_it_once() -> None:
    import threading
    import time
    from unittest import mock

    from birge.matching import registry

    table = FakeTable(GARLIC, VODKA)
    index_register("claims-herd", loader=table.load)
    _keys("claims-herd", "водка")  # loaded before the burst
    real = registry.search_with_passages

    def slow(*args: object, **kwargs: object) -> object:
        time.sleep(0.2)  # long enough for every thread to arrive while it runs
        return real(*args, **kwargs)

    results: list[list[str]] = []
    with mock.patch.object(registry, "search_with_passages", side_effect=slow) as searched:
        threads = [
            threading.Thread(target=lambda: results.append(_keys("claims-herd", "чеснок емдейді")))
            for _ in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert searched.call_count == 1
    assert results == [["claim-1"]] * 6
