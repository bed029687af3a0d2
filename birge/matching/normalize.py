"""Text normalisation for matching kk/ru/en messages: noise, look-alike letters, language guess.

Rumours reach us as forwarded Telegram/WhatsApp messages, retyped by hand, sometimes with Latin
letters slipped into Cyrillic words so that naive filters miss them. Everything here is plain
string work so that the engines, the evaluation command and other apps can share it.
"""

import re
import unicodedata

# --- Forwarding noise ---------------------------------------------------------------------------

# A messenger header: "Forwarded from X", "Переслано от X", "Пересланное сообщение", WhatsApp's
# "Пересылалось много раз", the Kazakh "Қайта жіберілген". It takes its line, or only the part
# up to a colon when the message goes on after it ("Переслано от Мама: ...").
_HEADER = re.compile(
    r"^[ \t]*(?:"
    r"forwarded(?:\s+(?:many\s+times|message|from\b[^:\n]*))?"
    r"|-+\s*forwarded message\s*-+"
    r"|переслано(?:\s+(?:от|из)\b[^:\n]*)?"
    r"|пересланн(?:ое|ые)\s+сообщени[ея]\b[^:\n]*"
    r"|пересылалось\s+много\s+раз"
    r"|(?:бірнеше\s+рет\s+)?қайта\s+жіберіл\w*\b[^:\n]*"
    r")[ \t]*(?::|\.?[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)
# "[12.04.20, 21:15] Айгүл: ..." (WhatsApp export) and "Айгүл, [12.04.2020 21:15]" (Telegram).
_WHATSAPP_PREFIX = re.compile(
    r"^\s*\[\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?\]"
    r"\s*[^:\n]{0,60}:\s*",
    re.IGNORECASE | re.MULTILINE,
)
_TELEGRAM_EXPORT_HEADER = re.compile(
    r"^[^\n\[\]]{0,60},\s*\[\d{1,2}[./]\d{1,2}[./]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\]\s*$",
    re.MULTILINE,
)
# Chain-letter calls add nothing to what a message claims and would make unrelated rumours look
# alike, since nearly all of them end with one.
_CHAIN_CALL = re.compile(
    r"(?:"
    r"(?:срочно\s+)?(?:перешлите|отправьте|передайте|распространите|поделитесь)"
    r"(?:\s+(?:это|этим|всем|всем\s+своим|своим|близким|родным|знакомым|друзьям|"
    r"в\s+(?:группы|чаты)|пожалуйста))*"
    r"|(?:please\s+)?(?:forward|share|send)\s+(?:this\s+)?(?:to|with)\s+(?:everyone|all"
    r"|your\s+(?:friends|family|contacts))"
    r"|(?:барлығына|барлық\s+таныстарыңызға|туыстарыңызға|достарыңызға|жақындарыңызға)"
    r"\s+(?:жіберіңіз(?:дер)?|таратыңыз(?:дар)?|бөлісіңіз(?:дер)?)"
    r")[\s!.]*",
    re.IGNORECASE,
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:kz|ru|com|org|net|info|site|online|xyz|me|io|gov|biz)"
    r"(?:/\S*)?\b",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL_BOUNDARY = re.compile(r"(?<=[^\W\d_])(?=[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][a-zа-яёәғқңөұүһі])")
_WHITESPACE = re.compile(r"\s+")
# Kazakh Latin of 2017 marks letters with an apostrophe, typed as any of these.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u00b4`", "'"))

# --- Look-alike letters -------------------------------------------------------------------------

# Letters that a reader cannot tell apart, by case; Greek letters are folded to Latin first.
_LATIN_TO_CYRILLIC = {
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к",
    "i": "і", "h": "һ", "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "K": "К",
    "M": "М", "O": "О", "P": "Р", "T": "Т", "X": "Х", "Y": "У", "I": "І",
}  # fmt: skip
_CYRILLIC_TO_LATIN = {cyrillic: latin for latin, cyrillic in _LATIN_TO_CYRILLIC.items()}
_CYRILLIC_TO_LATIN.update({"ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y"})
_GREEK_TO_LATIN = str.maketrans("αβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΥΧΖ", "abeikvoptuxABEHIKMNOPTYXZ")
_WORD = re.compile(r"[^\W_]+")


def _script(char: str) -> str:
    """Return "cyr", "lat" or "" for a letter's script."""
    if "а" <= char.lower() <= "я" or char in "ёЁәғқңөұүһіӘҒҚҢӨҰҮҺІ":
        return "cyr"
    if char.isascii() and char.isalpha():
        return "lat"
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return "cyr"
    if name.startswith("LATIN"):
        return "lat"
    return ""


def _fold_word(word: str, text_script: str) -> str:
    """Rewrite a mixed-script word's look-alike letters in the script it is mostly written in."""
    if word.isascii():
        return word
    cyrillic_only = latin_only = 0
    for char in word:
        script = _script(char)
        if script == "cyr" and char not in _CYRILLIC_TO_LATIN:
            cyrillic_only += 1
        elif script == "lat" and char not in _LATIN_TO_CYRILLIC:
            latin_only += 1
    if cyrillic_only > latin_only:
        target = "cyr"
    elif latin_only > cyrillic_only:
        target = "lat"
    else:
        target = text_script
    table = _LATIN_TO_CYRILLIC if target == "cyr" else _CYRILLIC_TO_LATIN
    return "".join(table.get(char, char) for char in word)


_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_ZERO_AS_O = re.compile(r"(?<=[^\W\d_])0(?=[^\W\d_])")


def _mixed(text: str) -> bool:
    return bool(_CYRILLIC_LETTER.search(text) and _LATIN_LETTER.search(text))


def fold_lookalikes(text: str) -> str:
    """Return text with Latin letters inside Cyrillic words made Cyrillic, and vice versa.

    Digit zero between two letters ("к0ронавирус") counts as the letter o. A word wholly in
    one script is left alone: a Latin "cop" in a Russian sentence stays Latin.
    """
    text = _ZERO_AS_O.sub("o", text.translate(_GREEK_TO_LATIN))
    if not _mixed(text):
        return text
    cyrillic = len(_CYRILLIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    text_script = "cyr" if cyrillic >= latin else "lat"

    def fold(match: re.Match[str]) -> str:
        word = match.group(0)
        return _fold_word(word, text_script) if _mixed(word) else word

    return _WORD.sub(fold, text)


# --- Cleaning -----------------------------------------------------------------------------------

# Letters, digits, spaces and everyday punctuation: nothing to drop or replace.
_PLAIN_TEXT = re.compile(r"[\w \n.,!?;:'\"()«»\-–—/%№+]*")
_DROP_CATEGORIES = frozenset({"Cf", "Mn", "Me"})  # zero-width tricks, soft hyphens, stray accents
_SPACE_CATEGORIES = frozenset({"Cc", "Cs", "Co", "Cn", "So", "Sk", "Zl", "Zp"})


def _strip_symbols(text: str) -> str:
    """Drop invisible characters, turn emoji, control and unassigned characters into spaces."""
    if _PLAIN_TEXT.fullmatch(text):
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char if char.isprintable() or char in "\n\t" else " ")
            continue
        category = unicodedata.category(char)
        if category in _DROP_CATEGORIES:
            continue
        out.append(" " if category in _SPACE_CATEGORIES else char)
    return "".join(out)


def strip_noise(text: str) -> str:
    """Return the message without forwarding headers, chain-letter calls, URLs, @handles, emoji.

    Hashtags keep their words ("#СтопКоронавирус" becomes "Стоп Коронавирус"). Line breaks are
    kept so that callers can still see paragraphs; `normalize_text` collapses them.
    """
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    text = _strip_symbols(text)
    text = unicodedata.normalize("NFC", text)
    text = _HEADER.sub(" ", text)
    text = _TELEGRAM_EXPORT_HEADER.sub(" ", text)
    text = _WHATSAPP_PREFIX.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _HANDLE.sub(" ", text)
    text = _HASHTAG.sub(lambda match: _CAMEL_BOUNDARY.sub(" ", match.group(1)), text)
    return _CHAIN_CALL.sub(" ", text)


def casefold(text: str) -> str:
    """Return NFC case-folded text; a Kazakh-Latin "İ" folds to a plain "i"."""
    return unicodedata.normalize("NFC", text.casefold().replace("i\u0307", "i"))


def normalize_text(text: str) -> str:
    """Return text stripped of noise, look-alikes folded, case-folded, whitespace collapsed."""
    text = fold_lookalikes(strip_noise(text))
    return _WHITESPACE.sub(" ", casefold(text)).strip()


# --- Language guess -----------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_KAZAKH_CYRILLIC_LETTERS = frozenset("әғқңөұүһі")
_KAZAKH_LATIN_LETTERS = frozenset("äğıñöūüşçáǵńóúý")
_KAZAKH_STOPWORDS = _words(
    "және бұл мен сен ол біз сіз олар үшін емес деп туралы бар жоқ қалай неге не ма ме ба бе па "
    "пе да де та те ғой екен еді болып болады бойынша кейін дейін арқылы жоқ өте тек барлық "
    "барлығы мұнда онда осы сол ешқандай жаңа қазір бүгін ертең керек мүмкін"
)
_KAZAKH_LATIN_STOPWORDS = _words(
    "jäne jane bul men sen ol biz siz olar üşin ushin usin emes dep turaly bar joq qalai qalay "
    "nege ma me ba be pa pe da de ta te ğoi goi eken edi bolyp bolady boiynşa boiynsha keiin "
    "deiin arqyly öte ote tek barlyq barlyğy osy sol eşqandai jaña qazir bügin erteñ kerek "
    "mümkin mumkin"
)
_RUSSIAN_STOPWORDS = _words(
    "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только "
    "ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни "
    "быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где "
    "есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет "
    "это этот эта эти через после над больше всех против при"
)
_ENGLISH_STOPWORDS = _words(
    "the a an and or but is are was were be been being of to in on at by for with from that "
    "this these those it its as not no do does did has have had will would can could should "
    "you your we our they their he she his her them there here what which who how why when "
    "all any more most some such than then so if into about after before over under"
)
_LETTER_WORD = re.compile(r"[^\W\d_]+")


def guess_language(text: str) -> str | None:
    """Return "kk", "ru" or "en" for the text's most likely language, or None without letters.

    Kazakh Cyrillic is told from Russian by its own letters and stopwords; Kazakh Latin from
    English by its diacritics, the letter q and stopwords.
    """
    words = _LETTER_WORD.findall(casefold(text))
    if not words:
        return None
    letters = "".join(words)
    cyrillic = len(_CYRILLIC_LETTER.findall(letters))
    if cyrillic * 2 >= len(letters):
        kazakh_letters = sum(1 for char in letters if char in _KAZAKH_CYRILLIC_LETTERS)
        kazakh_words = sum(1 for word in words if word in _KAZAKH_STOPWORDS)
        russian_words = sum(1 for word in words if word in _RUSSIAN_STOPWORDS)
        if kazakh_letters >= max(1, cyrillic * 0.02) or kazakh_words > russian_words:
            return "kk"
        return "ru"
    kazakh_letters = sum(1 for char in letters if char in _KAZAKH_LATIN_LETTERS)
    q_letters = letters.count("q")
    kazakh_words = sum(1 for word in words if word in _KAZAKH_LATIN_STOPWORDS)
    english_words = sum(1 for word in words if word in _ENGLISH_STOPWORDS)
    if (
        kazakh_letters >= max(1, len(letters) * 0.02)
        or q_letters >= max(1, len(letters) * 0.02)
        or kazakh_words > english_words
    ):
        return "kk"
    return "en"


def stopwords() -> frozenset[str]:
    """Return the kk (both scripts), ru and en stopwords, case-folded."""
    return _KAZAKH_STOPWORDS | _KAZAKH_LATIN_STOPWORDS | _RUSSIAN_STOPWORDS | _ENGLISH_STOPWORDS
