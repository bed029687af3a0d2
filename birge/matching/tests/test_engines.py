"""The engines through their public interface: add, remove, search. No database."""

import random

import pytest

from birge.matching.engines import Item, MatchingEngine
from birge.matching.engines.lexical import Bm25Engine, HybridEngine

CLAIMS = [
    Item("garlic-kk", "Күніне үш түйір сарымсақ жесеңіз, коронавирус жұқпайды.", "kk", "garlic"),
    Item("garlic-ru", "Употребление чеснока излечивает от коронавируса.", "ru", "garlic"),
    Item("5g-en", "5G towers spread the coronavirus; the radiation weakens immunity.", "en"),
    Item("vodka-en", "Drinking vodka disinfects your throat and kills the coronavirus.", "en"),
    Item(
        "helicopters-kk",
        "Бүгін түнде тікұшақтар дезинфекциялық ерітінді шашады, терезелерді жабыңыз.",
        "kk",
    ),
    Item("masks-ru", "Ношение маски вызывает гипоксию и кислородное голодание.", "ru"),
    Item(
        "payment-kk", "Барлық азаматтарға 42 500 теңге төленеді, сілтеме арқылы тіркеліңіз.", "kk"
    ),
]


def _engine(items: list[Item] = CLAIMS, **options: bool) -> HybridEngine:
    engine = HybridEngine(name="test", **options)
    engine.add(items)
    return engine


def _keys(engine: MatchingEngine, text: str, lang: str | None = None) -> list[str]:
    return [match.key for match in engine.search(text, lang=lang, top=3)]


def test_kazakh_cyrillic_query_finds_kazakh_latin_item() -> None:
    # given a claim stored in the Kazakh Latin alphabet of 2021
    engine = _engine([*CLAIMS, Item("shubat", "Qymyz ben şūbat koronavirustan qorğaidy", "kk")])
    # when a reader asks in Cyrillic
    keys = _keys(engine, "Шұбат коронавирустан қорғай ма?", "kk")
    # then the Latin item comes first
    assert keys[0] == "shubat"


def test_kazakh_latin_query_finds_kazakh_cyrillic_item() -> None:
    assert _keys(_engine(), "Tünde tıkūşaqtar dezinfeksiia şaşady")[0] == "helicopters-kk"


def test_russian_query_finds_english_only_item_through_the_lexicon() -> None:
    items = [*CLAIMS, Item("onion-en", "A cut onion in the room absorbs the virus from the air.")]
    query = "Разрезанный лук очищает воздух в комнате"
    assert _keys(_engine(items), query, "ru")[0] == "onion-en"
    # the words share no spelling: without the lexicon the English item is out of reach
    assert "onion-en" not in _keys(_engine(items, use_lexicon=False), query, "ru")


def test_kazakh_query_finds_russian_and_english_items_of_a_claim() -> None:
    assert _keys(_engine(), "Арақ вирусты өлтіреді", "kk")[0] == "vodka-en"


def test_results_are_per_group_and_name_the_best_translation() -> None:
    # given one claim in kk and ru under one group key
    engine = _engine()
    # when asked in Russian
    matches = engine.search("Правда ли, что чеснок лечит коронавирус?", lang="ru", top=5)
    # then the group appears once, through its Russian text
    assert matches[0].key == "garlic"
    assert matches[0].item_id == "garlic-ru"
    assert [match.key for match in matches].count("garlic") == 1


def test_forwarding_noise_does_not_change_the_answer() -> None:
    engine = _engine()
    clean = engine.search("Вышки 5G распространяют коронавирус", top=3)
    noisy = engine.search(
        "Forwarded from Правда ТВ\nПереслано от Мама\n[12.04.20, 21:15] Айгүл: Вышки 5G "
        "распространяют коронавирус!!! 📡📡 https://t.me/pravda @pravda_tv Перешлите всем!",
        top=3,
    )
    assert noisy[0].key == "5g-en"
    # the same scores, not merely the same order: nothing of the noise reached the query
    assert noisy == clean


def test_forwarding_words_alone_match_nothing() -> None:
    assert _keys(_engine(), "Forwarded from Переслано от https://t.me/x @x") == []


def test_lookalike_letters_are_folded() -> None:
    engine = _engine()
    # Latin a, c, o, p, x, y inside Cyrillic words, and Cyrillic а, е, о, с in Latin ones
    faked = engine.search("мacки вызывaют гипoксию и киcлopoднoe гoлoдaниe", top=3)
    clean = engine.search("маски вызывают гипоксию и кислородное голодание", top=3)
    assert faked[0].key == "masks-ru"
    assert faked == clean
    assert engine.search("vоdkа disinfеcts thrоаt", top=3) == engine.search(
        "vodka disinfects throat", top=3
    )


def test_a_typo_still_finds_the_claim_and_its_translations() -> None:
    matches = _engine().search("чесног лечит каронавирус", top=3)
    assert matches[0].key == "garlic"


def test_amounts_written_with_or_without_spaces_meet() -> None:
    assert _keys(_engine(), "42500 тенге")[0] == "payment-kk"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "🦠🦠🦠 !!! ??? ...",
        "\x00\x01\x02\ud800\udfff\ufffe\U0010ffff",
        bytes(range(256)).decode("latin-1"),
        "".join(chr(random.Random(seed).randrange(0x110000)) for seed in range(2_000)),
        "Коронавирус coronavirus Қазақстан ҚАЗАҚСТАН qazaqstan 新冠病毒 كورونا",
        "вакцина " * 150_000,
        "а" * 1_000_000,
    ],
    ids=["empty", "blank", "symbols", "controls", "bytes", "random", "mixed", "long", "1MB"],
)
@pytest.mark.parametrize("engine_class", [HybridEngine, Bm25Engine])
def test_odd_text_never_raises(engine_class: type[HybridEngine | Bm25Engine], text: str) -> None:
    engine = engine_class(name="test")
    engine.add([*CLAIMS, Item("odd", text)])
    matches = engine.search(text, top=5)
    assert isinstance(matches, list)
    assert all(match.score >= 0 for match in matches)


def test_adding_an_existing_id_replaces_the_item() -> None:
    engine = _engine()
    engine.add([Item("vodka-en", "Camel milk protects against covid.", "en")])
    assert len(engine) == len(CLAIMS)
    assert "vodka-en" not in _keys(engine, "vodka kills the virus")
    assert _keys(engine, "camel milk")[0] == "vodka-en"


def test_removed_items_are_not_found() -> None:
    engine = _engine()
    engine.remove(["garlic-ru", "no-such-id"])
    matches = engine.search("чеснок лечит коронавирус", top=5)
    assert all(match.item_id != "garlic-ru" for match in matches)
    assert len(engine) == len(CLAIMS) - 1


def test_top_limits_the_results() -> None:
    engine = _engine()
    assert len(engine.search("коронавирус", top=2)) == 2
    assert engine.search("коронавирус", top=0) == []


def test_changes_in_small_batches_rank_like_one_build() -> None:
    # given the same items, once added at once and once in batches with removals between,
    # so that the small second segment and the full rebuilds both come into play
    rng = random.Random(7)
    words = ["сарымсақ", "чеснок", "garlic", "вакцина", "екпе", "vaccine", "маска", "mask", "5g"]
    items = [Item(f"i{number}", " ".join(rng.choices(words, k=6)), None) for number in range(3_000)]
    whole = HybridEngine(name="whole")
    whole.add(items[:2_500])
    batched = HybridEngine(name="batched")
    batched.add(items[:100])
    batched.search("warm up", top=1)
    for start in range(100, 3_000, 200):
        batched.add(items[start : start + 200])
        batched.search("vaccine", top=1)
    batched.remove(item.id for item in items[2_500:])
    # then both rank the same items first
    for query in ["чеснок garlic", "vaccine екпе", "водка 5g вышка"]:
        assert {match.item_id for match in batched.search(query, top=20)} == {
            match.item_id for match in whole.search(query, top=20)
        }


def test_bm25_baseline_has_the_same_interface_but_no_scripts_bridge() -> None:
    engine = Bm25Engine(name="test")
    engine.add(CLAIMS)
    assert _keys(engine, "vodka throat")[0] == "vodka-en"
    assert _keys(engine, "Tünde tıkūşaqtar dezinfeksiia şaşady") == []
