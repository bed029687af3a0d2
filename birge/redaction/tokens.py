"""Words of a text as tokens, and the shapes that make a word look like part of a person's name."""

import bisect
import re
from dataclasses import dataclass

from .lexicon import FIRST_NAMES, NOT_NAMES

TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PATRONYMIC = re.compile(
    r"^[^\W\d_]{3,}(?:ович|евич|овна|евна|ұлы|улы|қызы|кызы|ovich|evich|ovna|evna|uly|kyzy|qyzy)$"
)
PATRONYMIC_PARTICLES = frozenset({"ұлы", "улы", "қызы", "кызы", "uly", "kyzy", "qyzy"})
_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын|ский|цкий)(?:а|у|ым|ой|ом|е|ы)?$"
    r"|(?:ская|цкая|ской|цкой|енко|ук|юк|ян|янц|швили|дзе|ұлы|улы|қызы|кызы|бай|бек|бекова?|баева?)$"
    r"|(?:ov|ova|ev|eva|in|ina|yn|yna|sky|skiy|skaya|enko|uk|yan|uly|kyzy|qyzy|bay|bek|bekova?)$"
    r"|^(?:ким|пак|цой|тен|югай|огай|kim|pak|tsoi|tsoy)$"
)
# Surname endings that capitalised common words rarely have (-ский looks like an adjective,
# -ин like Пекин or Карантин).
STRONG_SURNAME = re.compile(
    r"[^\W\d_]{2,}(?:ов|ев|ёв|ова|ева|ёва|ову|еву|овой|евой|овым|евым"
    r"|енко|ұлы|қызы|ov|ova|ev|eva|enko|uly|kyzy)$"
)
ADJECTIVE = re.compile(r"(?:ых|их|ого|его|ому|ему|ой|ый|ий|ая|яя|ое|ее|ые|ие|ую|юю)$")
# Endings a first name takes in a Russian or Kazakh sentence: "Ивану", "Айгерімге", "Ержанның".
_NAME_ENDINGS = (
    "ның", "нің", "дың", "дің", "тың", "тің", "дан", "ден", "тан", "тен", "нан", "нен", "мен",
    "бен", "пен", "ға", "ге", "қа", "ке", "ды", "ді", "ты", "ті", "ны", "ні", "да", "де", "та",
    "те", "ой", "ей", "ом", "ем", "ою", "а", "у", "е", "ы", "и", "ю", "я",
)  # fmt: skip
_FIRST_NAME_STEMS = ("", "а", "я", "й")
_KAZAKH_CASE_ENDINGS = (
    "ның", "нің", "дың", "дің", "тың", "тің", "нан", "нен", "дан", "ден", "тан", "тен", "нда",
    "нде", "ға", "ге", "қа", "ке", "да", "де", "та", "те",
)  # fmt: skip

_SENTENCE_END = re.compile(r"[.!?…\n]")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    fold: str
    capitalised: bool
    initial: bool  # a single capital letter followed by a full stop
    sentence_start: bool
    gap_before: str


def tokenize(text: str) -> list[Token]:
    """The words of `text` in order, with what precedes each (a space, a full stop, a line)."""
    tokens: list[Token] = []
    previous_end = 0
    for match in TOKEN.finditer(text):
        word = match.group()
        gap = text[previous_end : match.start()]
        # "САПАРОВА АЙГЕРИМ" counts; three-letter capitals are abbreviations (ЦОН, ИИН, ПЦР).
        capitalised = word[0].isupper() and (len(word) == 1 or not word.isupper() or len(word) > 3)
        initial = len(word) == 1 and word.isupper() and text[match.end() : match.end() + 1] == "."
        sentence_start = not tokens or bool(_SENTENCE_END.search(gap))
        tokens.append(
            Token(
                match.start(),
                match.end(),
                word,
                word.casefold(),
                capitalised,
                initial,
                sentence_start,
                gap,
            )
        )
        previous_end = match.end()
    return tokens


def is_first_name(fold: str) -> bool:
    """Whether a case-folded word is a known first name, also in a ru or kk case form."""
    if fold in FIRST_NAMES:
        return True
    for ending in _NAME_ENDINGS:
        if fold.endswith(ending) and len(fold) - len(ending) >= 3:
            stem = fold[: -len(ending)]
            if any(stem + tail in FIRST_NAMES for tail in _FIRST_NAME_STEMS):
                return True
    return False


def is_surname(fold: str) -> bool:
    """Whether a case-folded word ends like a surname (-ов, -ева, -ский, -енко, -ұлы...)."""
    if len(fold) >= 3 and _SURNAME.search(fold):
        return True
    stem = kazakh_stem(fold)
    return stem != fold and len(stem) >= 3 and bool(_SURNAME.search(stem))


def kazakh_stem(fold: str) -> str:
    """`fold` without a Kazakh case ending: "нұрлановқа" -> "нұрланов"."""
    for ending in _KAZAKH_CASE_ENDINGS:
        if fold.endswith(ending) and len(fold) - len(ending) >= 3:
            return fold[: -len(ending)]
    return fold


def in_kazakh_case(fold: str) -> bool:
    """A capitalised word in a Kazakh case form that is no known name: "Қазанда", "Мәскеуге"."""
    return kazakh_stem(fold) != fold and not is_first_name(fold) and not is_surname(fold)


def nameable(token: Token) -> bool:
    """Whether a word may be part of a name: capitalised and not a known place, body or title."""
    return token.capitalised and len(token.text) >= 2 and token.fold not in NOT_NAMES


def joined(tokens: list[Token], index: int) -> bool:
    """Whether tokens[index] follows tokens[index - 1] after a single space."""
    if index <= 0 or index >= len(tokens):
        return False
    return tokens[index].gap_before in (" ", "\u00a0")


def looks_like_name(token: Token) -> bool:
    """Whether a word is a known first name, shaped like a surname or like a patronymic."""
    return is_first_name(token.fold) or is_surname(token.fold) or is_patronymic(token)


def is_patronymic(token: Token) -> bool:
    """Whether a word is a patronymic: Иванович, Петровна, Серікұлы, Нұрланқызы."""
    return token.capitalised and bool(_PATRONYMIC.match(token.fold))


def token_at(starts: list[int], position: int) -> int:
    """Index of the first token starting at or after `position`."""
    return bisect.bisect_left(starts, position)
