"""Normalisation, transliteration and language guessing: plain functions, no database."""

import pytest

from birge.matching.analysis import hybrid_terms, stem
from birge.matching.normalize import fold_lookalikes, guess_language, normalize_text, strip_noise
from birge.matching.transliteration import kk_cyrillic_to_latin, kk_latin_to_cyrillic, match_key


@pytest.mark.parametrize(
    "message",
    [
        "Forwarded from Новости Казахстана\nЧеснок лечит коронавирус",
        "Переслано от Мама\nЧеснок лечит коронавирус",
        "Переслано от Мама: Чеснок лечит коронавирус",
        "Пересланное сообщение\nЧеснок лечит коронавирус",
        "Пересылалось много раз\nЧеснок лечит коронавирус",
        "Қайта жіберілген\nЧеснок лечит коронавирус",
        "[12.04.20, 21:15] Айгүл Серікқызы: Чеснок лечит коронавирус",
        "Айгүл, [12.04.2020 21:15]\nЧеснок лечит коронавирус",
        "Чеснок лечит коронавирус 🧄🧄🦠 https://t.me/fake_news @fake_news Перешлите всем!",
    ],
)
def test_forwarding_noise_is_stripped(message: str) -> None:
    assert normalize_text(message) == "чеснок лечит коронавирус"


def test_hashtags_keep_their_words_split_at_capitals() -> None:
    assert normalize_text("#СтопКоронавирус #5G") == "стоп коронавирус 5g"


def test_invisible_characters_inside_words_are_removed() -> None:
    assert normalize_text("ко\u200bрона\u00adвирус") == "коронавирус"


def test_latin_letters_inside_cyrillic_words_become_cyrillic() -> None:
    # given "вакцина" typed with Latin a and c, and "корона" with Latin o
    assert fold_lookalikes("вaкцинa кoрoнa") == "вакцина корона"


def test_cyrillic_letters_inside_latin_words_become_latin() -> None:
    assert fold_lookalikes("vаccinе cоrоnа") == "vaccine corona"


def test_zero_inside_a_word_reads_as_o() -> None:
    assert fold_lookalikes("к0ронавирус covid-19") == "коронавирус covid-19"


def test_single_script_words_are_left_alone() -> None:
    assert fold_lookalikes("Это COVID и это СОС") == "Это COVID и это СОС"


def test_kazakh_round_trip_through_latin_2021() -> None:
    text = "Денсаулық сақтау министрлігі: сарымсақ, арақ және ыстық су коронавирустан қорғамайды"
    latin = kk_cyrillic_to_latin(text)
    assert latin == (
        "Densaulyq saqtau ministrlıgı: sarymsaq, araq jäne ystyq su koronavirustan qorğamaidy"
    )
    assert kk_latin_to_cyrillic(latin) == text


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Qazaqstan Respýblıkasy, shyǵys, álem", "Қазақстан Республикасы, шығыс, әлем"),
        ("Qazaqstan Respy'bli'kasy, s'yg'ys, a'lem", "Қазақстан Республикасы, шығыс, әлем"),
    ],
    ids=["2018 acute", "2017 apostrophe"],
)
def test_older_kazakh_latin_alphabets_are_read(latin: str, cyrillic: str) -> None:
    assert kk_latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("коронавирус", "coronavirus"),
        ("карантин", "quarantin"),
        ("чип", "chip"),
        ("сарымсақ", "sarymsaq"),
        ("теңге", "tenge"),
        ("5г", "5g"),
    ],
)
def test_match_keys_meet_across_scripts(first: str, second: str) -> None:
    assert match_key(first) == match_key(second)


@pytest.mark.parametrize(
    ("russian", "english"),
    [("вакцина", "vaccine"), ("карантин", "quarantine"), ("коронавирусом", "coronaviruses")],
)
def test_loanword_stems_meet_across_scripts(russian: str, english: str) -> None:
    assert stem(match_key(russian)) == stem(match_key(english))


def test_kazakh_endings_are_stripped_to_one_stem() -> None:
    forms = ["маска", "маскалар", "масканы", "маскаға", "маски", "маской", "masks"]
    assert {stem(match_key(form)) for form in forms} == {"mask"}


def test_kazakh_latin_apostrophes_only_count_for_kazakh() -> None:
    assert hybrid_terms("Gates' chip", "en")[:1] == hybrid_terms("Gates chip", "en")[:1]
    # "уақыт" (time) in the 2017 alphabet, where y' is У
    assert match_key("y'aqyt", kazakh_latin=True) == match_key("уақыт") == match_key("uaqyt")
    assert match_key("y'aqyt") != match_key("уақыт")


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Сарымсақ коронавирусты емдейді", "kk"),
        ("Вакцина адамды чиптейді деген рас па", "kk"),
        ("Чеснок лечит коронавирус", "ru"),
        ("Garlic cures the coronavirus", "en"),
        ("Sarymsaq koronavirusty emdeidi", "kk"),
        ("Tünde tıkūşaqtar dezinfeksiia şaşady", "kk"),
        ("12345 !!! 🦠", None),
    ],
)
def test_language_is_guessed(text: str, lang: str | None) -> None:
    assert guess_language(text) == lang


def test_a_line_that_only_starts_like_a_header_is_kept() -> None:
    assert normalize_text("Forwarded messages say garlic cures") == (
        "forwarded messages say garlic cures"
    )


def test_strip_noise_keeps_line_breaks_for_callers() -> None:
    assert strip_noise("first line\nsecond line") == "first line\nsecond line"
