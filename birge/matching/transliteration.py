"""Kazakh Latin <-> Cyrillic transliteration and the script-free match key of a word.

Kazakh is written in Cyrillic and, increasingly, in the Latin alphabet of 2021 (ä ğ ı ñ ö ū ü
ş ç); older texts use the 2018 alphabet (á ǵ ń ó ú ý, sh, ch) or the 2017 one with apostrophes
(a' g' n' o' u' y' s' c'). Russian and Kazakh share pandemic loanwords with English
(коронавирус, вакцина, карантин), so every word is also reduced to a Latin match key in which
those spellings meet: "вакцина", "vaktsina" and "vaccine" all start with "vaksin".
"""

import re
import unicodedata

# Kazakh Latin of 2021 for each Cyrillic letter; Russian-only letters get their usual reading.
_CYRILLIC_TO_LATIN_2021 = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
# Capitals that str.upper() would get wrong: И is "İ" and І is "I" in the 2021 alphabet.
_UPPER_2021 = {"и": "İ", "й": "İ", "і": "I", "ю": "İu", "я": "İa", "ё": "İo"}

_LATIN_TO_CYRILLIC_2021 = {
    "ia": "я", "iu": "ю", "a": "а", "ä": "ә", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф",
    "g": "г", "ğ": "ғ", "h": "х", "i": "и", "ı": "і", "j": "ж", "k": "к", "l": "л", "m": "м",
    "n": "н", "ñ": "ң", "o": "о", "ö": "ө", "p": "п", "q": "қ", "r": "р", "s": "с", "ş": "ш",
    "ç": "ч", "t": "т", "u": "у", "ū": "ұ", "ü": "ү", "v": "в", "w": "у", "x": "кс", "y": "ы",
    "z": "з",
}  # fmt: skip
# The 2018 alphabet swaps i/ı, writes У as ý and Ұ as u, and uses digraphs sh and ch.
_LATIN_TO_CYRILLIC_2018 = {
    **_LATIN_TO_CYRILLIC_2021,
    "sh": "ш", "ch": "ч", "á": "ә", "ǵ": "ғ", "ń": "ң", "ó": "ө", "ú": "ү", "ý": "у", "u": "ұ",
    "i": "і", "ı": "и",
}  # fmt: skip
# The 2017 alphabet marks letters with a trailing apostrophe.
_LATIN_TO_CYRILLIC_2017 = {
    **_LATIN_TO_CYRILLIC_2021,
    "a'": "ә", "g'": "ғ", "i'": "и", "n'": "ң", "o'": "ө", "u'": "ү", "y'": "у", "s'": "ш",
    "c'": "ч", "u": "ұ", "i": "і",
}  # fmt: skip
# In 2021 both И and Й are "i"; after a vowel it is Й ("emdemeidı" is емдемейді).
_VOWELS_2021 = frozenset("aäeoöuūüyı")
_ACUTE_2018 = frozenset("áǵńóúýÁǴŃÓÚÝ")
_APOSTROPHE_2017 = re.compile(r"[agiouycsn]'", re.IGNORECASE)


def _units_pattern(table: dict[str, str]) -> re.Pattern[str]:
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(re.escape(key) for key in keys), re.IGNORECASE)


_UNITS_2021 = _units_pattern(_LATIN_TO_CYRILLIC_2021)
_UNITS_2018 = _units_pattern(_LATIN_TO_CYRILLIC_2018)
_UNITS_2017 = _units_pattern(_LATIN_TO_CYRILLIC_2017)


def kk_cyrillic_to_latin(text: str) -> str:
    """Return Kazakh or Russian Cyrillic text in the Kazakh Latin alphabet of 2021.

    Case is kept; characters that are not Cyrillic letters pass through unchanged. Russian
    letters outside the Kazakh alphabet get their usual reading (щ "şş", ю "iu").
    """
    text = unicodedata.normalize("NFC", text)
    out = []
    for position, char in enumerate(text):
        lower = char.lower()
        latin = _CYRILLIC_TO_LATIN_2021.get(lower)
        if latin is None:
            out.append(char)
        elif char == lower:
            out.append(latin)
        else:
            capital = _UPPER_2021.get(lower, latin[:1].upper() + latin[1:])
            neighbours = text[max(position - 1, 0) : position] + text[position + 1 : position + 2]
            in_capitals = any(other.isalpha() and other.isupper() for other in neighbours)
            out.append(capital[:1] + capital[1:].upper() if in_capitals else capital)
    return "".join(out)


def kk_latin_to_cyrillic(text: str) -> str:
    """Return Kazakh Latin text (2021, 2018 acute or 2017 apostrophe alphabet) in Cyrillic.

    The alphabet is told from the text: acute letters mean 2018, letter-apostrophe pairs 2017,
    anything else 2021, where a capital I is І and "i" after a vowel is Й. Case is kept for the
    first letter of each transliterated unit.
    """
    text = unicodedata.normalize("NFC", text)
    if any(char in _ACUTE_2018 for char in text):
        table, units = _LATIN_TO_CYRILLIC_2018, _UNITS_2018
    elif _APOSTROPHE_2017.search(text):
        table, units = _LATIN_TO_CYRILLIC_2017, _UNITS_2017
    else:
        table, units = _LATIN_TO_CYRILLIC_2021, _UNITS_2021

    def replace(match: re.Match[str]) -> str:
        unit = match.group(0)
        key = unit.lower().replace("i\u0307", "i")
        if table is _LATIN_TO_CYRILLIC_2021 and unit == "I":
            key = "ı"
        cyrillic = table[key]
        previous = text[match.start() - 1 : match.start()].lower()
        if cyrillic == "и" and previous and previous in _VOWELS_2021:
            cyrillic = "й"
        return cyrillic.upper() if unit[:1].isupper() else cyrillic

    return units.sub(replace, text)


# --- Match keys ---------------------------------------------------------------------------------

# Cyrillic letters in the spelling that English loanwords use (ц as "ts", й as "i").
_CYRILLIC_TO_KEY = str.maketrans(
    _CYRILLIC_TO_LATIN_2021
    | {"ё": "e", "қ": "k", "ч": "ch", "ш": "sh", "щ": "sh", "ю": "iu", "я": "ia"}
)
_LATIN_LETTERS_TO_KEY = str.maketrans(
    {"ş": "sh", "ç": "ch", "ı": "i", "ə": "a", "ý": "u", "ø": "o", "æ": "a", "ß": "ss"}
)
# The 2017 apostrophe letters that are not just "the plain letter" once diacritics are gone.
_KAZAKH_APOSTROPHE_LETTERS = {"y'": "u", "s'": "sh", "c'": "ch"}
_KAZAKH_APOSTROPHE = re.compile(r"[ysc]'")
# English spelling folded towards how Russian and Kazakh write the same loanword.
_SPELLING = re.compile(r"sch|tch|ch|sh|ph|th|ck|qu(?=[aeio])|kh|dzh|dj|zh|ts(?=[aeiouy])|c|q|x|w|y")
# Kazakh Latin "qu" is қу (oqu, quat), never the English "kw" sound.
_SPELLING_KAZAKH = re.compile(r"sch|tch|ch|sh|ph|th|ck|kh|dzh|dj|zh|ts(?=[aeiouy])|c|q|x|w|y")
_SPELLING_KEY = {
    "sch": "sh", "tch": "ch", "ch": "ch", "sh": "sh", "ph": "f", "th": "t", "ck": "k",
    "qu": "k", "kh": "h", "dzh": "j", "dj": "j", "zh": "j", "ts": "s", "c": "k", "q": "k",
    "x": "ks", "w": "v", "y": "i",
}  # fmt: skip
_SOFT_C = re.compile(r"c(?=[eiy])")
_DOUBLED = re.compile(r"([a-z])\1+")
_NOT_KEY = re.compile(r"[^a-z0-9]+")


def match_key(word: str, *, kazakh_latin: bool = False) -> str:
    """Return the lowercase ASCII key of one case-folded word, the same across scripts.

    `kazakh_latin` reads apostrophes as the 2017 Kazakh alphabet does (y' is У, s' is Ш);
    elsewhere an apostrophe is dropped ("don't", "Gates'").
    """
    if kazakh_latin:
        word = _KAZAKH_APOSTROPHE.sub(lambda match: _KAZAKH_APOSTROPHE_LETTERS[match[0]], word)
    word = word.replace("'", "").translate(_CYRILLIC_TO_KEY).translate(_LATIN_LETTERS_TO_KEY)
    word = "".join(
        char for char in unicodedata.normalize("NFD", word) if unicodedata.category(char) != "Mn"
    )
    spelling = _SPELLING_KAZAKH if kazakh_latin else _SPELLING
    word = spelling.sub(lambda match: _SPELLING_KEY[match[0]], _SOFT_C.sub("s", word))
    return _NOT_KEY.sub("", _DOUBLED.sub(r"\1", word))
