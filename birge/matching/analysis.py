"""Turn a text into index terms: script-free word stems plus shared concept tokens.

Items and queries go through the same analysis, so whatever a query and an item have in common
after normalisation, transliteration, stemming and the lexicon becomes a shared term.
"""

import re
from functools import lru_cache

from .lexicon import CONCEPTS
from .normalize import casefold, guess_language, normalize_text, stopwords
from .transliteration import match_key

CONCEPT_PREFIX = "~"

# A word: letters and digits, with the apostrophes of the 2017 Kazakh alphabet inside or after.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]*)*")
# "COVID19" reads as "covid 19"; "5G" stays one word.
_LETTERS_THEN_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)")
# "42 500 тенге" and "42500 тенге" should meet.
_DIGIT_GROUP = re.compile(r"(?<=\d)[\s\u00a0.,](?=\d{3}\b)")
_PLAIN_WORD = re.compile(r"[^\W_]+")

# Endings of Kazakh, Russian and English words as they look in match keys (ы, і, и -> i;
# ұ, ү, у -> u; ң -> n; қ -> k; ғ -> g). One list for all three languages keeps stems equal
# across them: "маскалар", "маски", "masks" all lose their ending to "mask".
_SUFFIXES = tuple(
    sorted(
        {
            # Kazakh: plural, possessive, case, derivation, verb forms
            "lar", "ler", "dar", "der", "tar", "ter", "imiz", "iniz", "miz", "niz", "im", "in",
            "si", "nin", "din", "tin", "ga", "ge", "ka", "ke", "na", "ne", "ni", "di", "ti",
            "da", "de", "ta", "te", "nda", "nde", "dan", "den", "tan", "ten", "nan", "nen",
            "ndan", "nden", "men", "ben", "pen", "li", "siz", "dagi", "degi", "tagi", "tegi",
            "ndagi", "ndegi", "lik", "dik", "tik", "shi", "gan", "gen", "kan", "ken", "atin",
            "etin", "itin", "ip", "adi", "edi", "idi", "maidi", "meidi", "baidi", "beidi",
            "paidi", "peidi", "ma", "me", "ba", "be", "pa", "pe", "sa", "se",
            # Russian
            "ami", "iami", "ah", "iah", "ov", "ev", "ei", "oi", "om", "em", "am", "iam", "ogo",
            "ego", "omu", "emu", "imi", "ih", "aia", "oe", "ee", "ie", "uiu", "iu", "ia", "ost",
            "sia", "it", "et", "at", "ut", "iut", "aiut", "iat", "ovat", "irovat",
            # English
            "s", "es", "ed", "ing", "ly", "er", "ers", "ion", "ions", "ation", "ment", "ness",
            "ity", "ies",
            # final vowels of all three
            "a", "e", "i", "o", "u",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
_STEM_MIN_WORD = 5
_STEM_MIN_REST = 4
_STEM_MAX_ROUNDS = 3
_STEM_MAX_LENGTH = 8


# Anchored at the end and searched from the fourth character on, the leftmost match is the
# longest ending that still leaves a four-letter stem.
_ENDING = re.compile("(?:" + "|".join(_SUFFIXES) + ")$")


def stem(key: str) -> str:
    """Return the stem of a match key: endings of kk/ru/en stripped, at most 8 characters."""
    if not key.isalpha():
        return key
    for _ in range(_STEM_MAX_ROUNDS):
        if len(key) < _STEM_MIN_WORD:
            break
        ending = _ENDING.search(key, _STEM_MIN_REST)
        if ending is None:
            break
        key = key[: ending.start()]
    return key[:_STEM_MAX_LENGTH]


def _words(text: str) -> list[str]:
    text = _DIGIT_GROUP.sub("", text)
    return _TOKEN.findall(_LETTERS_THEN_DIGITS.sub(" ", text))


_STOP_KEYS = frozenset(
    key for word in stopwords() for key in (match_key(word), match_key(word, kazakh_latin=True))
)


# Words repeat (Zipf), so most lookups hit; the bound keeps a huge vocabulary from growing it.
@lru_cache(maxsize=100_000)
def _word_stem(word: str, kazakh_latin: bool) -> str:
    """Return the stem of one normalised word, or "" for a stopword or a word with no letters."""
    key = match_key(word, kazakh_latin=kazakh_latin)
    if not key or key in _STOP_KEYS:
        return ""
    return stem(key)


def _stems(normalized: str, kazakh_latin: bool) -> list[str]:
    stems = (_word_stem(word, kazakh_latin) for word in _words(normalized))
    return [word_stem for word_stem in stems if word_stem]


def _concept_phrases() -> dict[tuple[str, ...], tuple[str, ...]]:
    phrases: dict[tuple[str, ...], set[str]] = {}
    for concept, words in CONCEPTS.items():
        for word in words:
            phrase = tuple(_stems(normalize_text(word), kazakh_latin=False))
            if phrase:
                phrases.setdefault(phrase, set()).add(concept)
    return {phrase: tuple(sorted(concepts)) for phrase, concepts in phrases.items()}


_PHRASES = _concept_phrases()
_PHRASE_MAX_WORDS = max(len(phrase) for phrase in _PHRASES)


_WORD_CONCEPTS = {
    phrase[0]: tuple(CONCEPT_PREFIX + name for name in names)
    for phrase, names in _PHRASES.items()
    if len(phrase) == 1
}


def stem_concepts(word_stem: str) -> tuple[str, ...]:
    """Return the concept tokens of the one-word lexicon entries with this stem."""
    return _WORD_CONCEPTS.get(word_stem, ())


def _concept_spans(stems: list[str]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Return (start, length, concepts) for each lexicon phrase found in the stems."""
    spans = []
    for start in range(len(stems)):
        for length in range(1, min(_PHRASE_MAX_WORDS, len(stems) - start) + 1):
            names = _PHRASES.get(tuple(stems[start : start + length]))
            if names:
                spans.append((start, length, names))
    return spans


def _analyse(text: str, lang: str | None) -> list[str]:
    normalized = normalize_text(text)
    lang = lang or guess_language(normalized)
    return _stems(normalized, kazakh_latin=lang == "kk")


def hybrid_terms(text: str, lang: str | None = None, *, use_lexicon: bool = True) -> list[str]:
    """Return the stems of the text's words and, with the lexicon, its concept tokens.

    `lang` ("kk", "ru", "en") is guessed from the text when missing; it only decides whether a
    Latin apostrophe belongs to a Kazakh letter.
    """
    stems = _analyse(text, lang)
    if not use_lexicon:
        return stems
    concepts = [CONCEPT_PREFIX + name for _, _, names in _concept_spans(stems) for name in names]
    return stems + concepts


def hybrid_query(
    text: str, lang: str | None = None, *, use_lexicon: bool = True
) -> list[tuple[str, ...]]:
    """Return the query's words as alternatives: each word's stem with its concept tokens.

    A document matching a word in its own language (the stem) and one matching a translation
    (the concept) get credit for that word once, not twice; a phrase of several words that
    names a concept ("жылы су") is one more unit of its own.
    """
    stems = _analyse(text, lang)
    units: list[tuple[str, ...]] = [(word_stem,) for word_stem in stems]
    if not use_lexicon:
        return units
    for start, length, names in _concept_spans(stems):
        concepts = tuple(CONCEPT_PREFIX + name for name in names)
        if length == 1:
            units[start] += concepts
        else:
            units.append(concepts)
    return units


def plain_terms(text: str, lang: str | None = None) -> list[str]:
    """Return the text's words, case-folded, as plain BM25 would index them."""
    return _PLAIN_WORD.findall(casefold(text))


def plain_query(text: str, lang: str | None = None) -> list[tuple[str, ...]]:
    """Return the text's words as one-word query units."""
    return [(word,) for word in plain_terms(text, lang)]
