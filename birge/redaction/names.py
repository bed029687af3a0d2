"""Person-name detection by rules: patronymics, initials, cue phrases, signatures, first names.

A capitalised word is never a name by itself: it needs evidence (a patronymic ending, an
initial, a cue such as "меня зовут", a first name from `lexicon.FIRST_NAMES` next to it, or a
signature position), and words from `lexicon.NOT_NAMES` never count as names.
"""

import re

from .lexicon import NOT_NAME_PHRASES, NOT_NAMES, words
from .tokens import (
    ADJECTIVE,
    PATRONYMIC_PARTICLES,
    STRONG_SURNAME,
    Token,
    in_kazakh_case,
    is_first_name,
    is_patronymic,
    is_surname,
    joined,
    kazakh_stem,
    looks_like_name,
    nameable,
    token_at,
    tokenize,
)

# A single capital letter before a capitalised word is often a list item ("пункт А. Далее").
_NOT_BEFORE_INITIAL = words(
    "пункт п группа группы категория категории класс литер корпус блок тип типа вариант "
    "plan group class type option block"
)
_SENTENCE_PUNCTUATION = re.compile(r"[.!?…]")
_NOT_A_PERSON_BEFORE = re.compile(
    r"(?i:имени|им\.|named\s+after|ул\.|улиц[аеуы]|пр\.|просп\.|проспект[а-я]*|пр-т\.?"
    r"|мкр\.?|микрорайон[а-я]*|бульвар[а-я]*|пер\.|переул[а-я]+|street|avenue)\s*$"
)
# Holders of high public office speak in public as such: "министр здравоохранения Алексей
# Цой", "аким города Алматы ...", "Minister of Health ...": their names stay.
_OFFICE = re.compile(
    r"(?:вице-)?(?:министр[^\W\d_]*|minister|аким[а-я]*|әкім[^\W\d_]*|президент[а-я]*"
    r"|елбасы|elbasy|басшысы|head|глав[аеуы]"
    r"|president|премьер-министр[^\W\d_]*|премьер[а-я]*|депутат[^\W\d_]*|deputy)"
)
_OFFICE_HINT = re.compile(
    r"(?i:министр|minister|аким|әкім|президент|president|премьер|депутат|deputy|елбасы|elbasy"
    r"|басшысы|head|глав)"
)
_OFFICE_OF = words(
    """
    здравоохранения образования науки труда социальной защиты населения финансов экономики
    национальной юстиции внутренних дел иностранных информации общественного развития
    сельского хозяйства энергетики индустрии инфраструктурного цифрового культуры спорта
    экологии торговли интеграции чрезвычайных ситуаций города области района республики рк и
    health education science labour labor social protection finance economy national justice
    internal affairs foreign information public development agriculture energy industry
    digital culture sport ecology trade emergency situations city region of and the for
    денсаулық сақтау білім ғылым еңбек халықты әлеуметтік қорғау қаржы экономика ұлттық
    әділет ішкі істер сыртқы ақпарат қоғамдық даму ауыл шаруашылығы энергетика цифрлық мәдениет
    спорт экология сауда төтенше жағдайлар қаласының облысының ауданының республикасының және
    государства мемлекет state
    """
)
_WORD_BEFORE = re.compile(r"([^\W\d_]+(?:-[^\W\d_]+)*)[ \t\u00a0]*$")


def _after_office(text: str, start: int) -> bool:
    """Whether the name at `start` follows a public office title ("министр труда ...")."""
    if not _OFFICE_HINT.search(text, max(0, start - 120), start):
        return False
    position = start
    for _ in range(8):
        match = _WORD_BEFORE.search(text, max(0, position - 40), position)
        if not match:
            return False
        fold = match.group(1).casefold()
        if _OFFICE.fullmatch(fold):
            return True
        if fold not in _OFFICE_OF and fold not in NOT_NAMES:
            return False
        position = match.start()
    return False


_NOT_A_PERSON_AFTER = re.compile(
    r"^\s*(?i:атындағы|атында|көшесі|даңғылы|ықшамаудан|street|avenue|st\.|ave\.)"
)

_RELATIVES = (
    "сын сына сыну сыном дочь дочери дочка дочке дочку мама маме маму мамой мать матери папа "
    "папе папу отец отца отцу муж мужа мужу жена жене жену брат брата брату сестра сестре "
    "сестру бабушка бабушке бабушку дедушка дедушке дедушку внук внука внуку внучка внучке "
    "ребенок ребёнок ребенка ребёнка соседка соседке сосед соседу"
).replace(" ", "|")
# Strong cues are followed by a name; a weak one ("I am", "гр.", "мой сын") only counts when a
# collected word looks like a name (a known first name, a surname or a patronymic ending).
_CUES = re.compile(
    r"(?i:(?<![^\W\d_])(?:(?P<strong>"
    r"меня\s+зовут|меня\s+звать|мо[её]\s+имя|мо[её]\s+фио"
    r"|(?:ф\.?\s?и\.?\s?о\.?|фио|заявитель|аты-жөні|full\s+name|name)\s*:"
    r"|с\s+уважением\s*,?|құрметпен\s*,?|(?:kind\s+|best\s+)?regards\s*,"
    r"|sincerely\s*,|yours\s+(?:faithfully|sincerely|truly)\s*,"
    r"|менің\s+(?:атым|есімім|аты-жөнім)|атым|есімім|my\s+name\s+is"
    r")|(?P<weak>"
    r"гражданин|гражданка|гр\.|mr\.?|mrs\.?|ms\.?|i\s+am|i'm"
    rf"|(?:мо(?:й|я|ё|е|ему|ей|его|ю)\s+)?(?:{_RELATIVES})"
    r"|(?:менің\s+)?(?:ұлым|қызым|анам|әкем|жолдасым|күйеуім|әйелім|інім|ағам|апам"
    r"|әпкем|сіңлім|қарындасым|немерем|атам|әжем|балам)[а-яәғқңөұүһі]*"
    r"|my\s+(?:son|daughter|mother|mom|mum|father|dad|husband|wife|brother|sister"
    r"|grandmother|grandfather|child|grandson|granddaughter)"
    r"))(?![^\W\d_]))"
)
# The first two letters of every cue above, so that the cues are tried at word starts only.
_CUE_PREFIXES = words(
    "ме мо ф фи за ат fu na с құ ki be re si yo ес my гр mr ms i i' сы до ма па от му же бр се "
    "ба де вн ре со ұл қы ан әк жо кү әй ін ағ ап әп сі қа не әж"
)
_CUE_I_COMMA = re.compile(r"(?<![^\W\d_])(?:Я|Мен),")
_CUE_BACKWARD = re.compile(r"(?<![^\W\d_])(?:атты|есімді|деген)(?![^\W\d_])")
_CUE_GAP = re.compile(r"[\s:,]*")


def _extend(tokens: list[Token], first: int, last: int) -> tuple[int, int]:
    """Grow a name core by up to two neighbouring name words in total."""
    added = 0
    while added < 2 and joined(tokens, first) and nameable(tokens[first - 1]):
        before = tokens[first - 1]
        if before.sentence_start and not looks_like_name(before):
            break
        first -= 1
        added += 1
    while added < 2 and joined(tokens, last + 1) and nameable(tokens[last + 1]):
        after = tokens[last + 1]
        if not looks_like_name(after):
            break
        last += 1
        added += 1
    return first, last


def _initials_after(tokens: list[Token], index: int) -> int:
    """Index of the last initial in a run of one or two starting at `index`, or -1."""
    if index >= len(tokens) or not tokens[index].initial:
        return -1
    following = index + 1
    if following < len(tokens) and tokens[following].initial:
        gap = tokens[following].gap_before
        if gap in (".", ". "):
            return following
    return index


def _spans_initials(tokens: list[Token]) -> list[tuple[int, int, bool]]:
    """(first, last, ends with a full stop) for "Иванов И.И." and "И.И. Иванов"."""
    spans = []
    for index, token in enumerate(tokens):
        if not token.initial:
            continue
        last_initial = _initials_after(tokens, index)
        count = last_initial - index + 1
        # "И.И. Иванов" / "А. Нұрланова"
        after = last_initial + 1
        previous = tokens[index - 1].fold if index else ""
        gap_after = tokens[after].gap_before if after < len(tokens) else ""
        if (
            after < len(tokens)
            and gap_after in (".", ". ", ".\u00a0")
            and nameable(tokens[after])
            and (count == 2 or is_surname(tokens[after].fold))
            and previous not in _NOT_BEFORE_INITIAL
            and not (index and tokens[index - 1].initial)
        ):
            spans.append((index, after, False))
        # "Иванов И.И." / "Айгерим С."
        before = index - 1
        if (
            before >= 0
            and not tokens[before].initial
            and joined(tokens, index)
            and nameable(tokens[before])
            and (count == 2 or looks_like_name(tokens[before]))
        ):
            spans.append((before, last_initial, True))
    return spans


def _spans_patronymic(tokens: list[Token]) -> list[tuple[int, int]]:
    spans = []
    for index, token in enumerate(tokens):
        if is_patronymic(token) and token.fold not in NOT_NAMES:
            spans.append(_extend(tokens, index, index))
        elif (
            token.fold in PATRONYMIC_PARTICLES
            and not token.capitalised
            and joined(tokens, index)
            and nameable(tokens[index - 1])
        ):
            spans.append(_extend(tokens, index - 1, index))
    return spans


def _spans_first_names(tokens: list[Token]) -> list[tuple[int, int]]:
    spans = []
    for index, token in enumerate(tokens):
        if not (nameable(token) and is_first_name(token.fold)):
            continue
        nxt = index + 1
        if (
            nxt < len(tokens)
            and joined(tokens, nxt)
            and nameable(tokens[nxt])
            and not in_kazakh_case(tokens[nxt].fold)
        ):
            phrase = f"{token.fold} {tokens[nxt].fold}"
            if phrase not in NOT_NAME_PHRASES:
                spans.append(_extend(tokens, index, nxt))
                continue
        if joined(tokens, index) and nameable(tokens[index - 1]):
            before = tokens[index - 1]
            if is_surname(before.fold):
                spans.append(_extend(tokens, index - 1, index))
    return spans


def _spans_surname_pairs(tokens: list[Token]) -> list[tuple[int, int]]:
    """An unknown capitalised word next to a clear surname: "Ғалымжан Тоқаев", "Тоқаев Ғалымжан"."""
    spans = []
    for index, token in enumerate(tokens):
        if not (nameable(token) and STRONG_SURNAME.search(kazakh_stem(token.fold))):
            continue
        before, after = index - 1, index + 1
        if joined(tokens, index) and _pairable(tokens[before]):
            opener = before == 0 or _SENTENCE_PUNCTUATION.search(tokens[before].gap_before)
            if opener and not is_first_name(tokens[before].fold):
                spans.append((index, index))  # "Передайте Иванову": only the surname
            else:
                spans.append((before, index))
        elif after < len(tokens) and joined(tokens, after) and _pairable(tokens[after]):
            spans.append((index, after))
    return spans


def _pairable(token: Token) -> bool:
    return (
        nameable(token)
        and not token.initial
        and not ADJECTIVE.search(token.fold)
        and not in_kazakh_case(token.fold)
    )


def _collect(tokens: list[Token], index: int, *, weak: bool) -> tuple[int, int] | None:
    """Up to three name words (initials allowed) starting at tokens[index]."""
    last = index - 1
    position = index
    while position < len(tokens) and position - index < 4:
        token = tokens[position]
        if position > index and not (
            joined(tokens, position)
            or (tokens[position - 1].initial and tokens[position].gap_before in (".", ". "))
        ):
            break
        if not (token.initial or nameable(token)):
            break
        if weak and position > index and not (token.initial or looks_like_name(token)):
            break
        last = position
        position += 1
    if last < index:
        return None
    named = [t for t in tokens[index : last + 1] if not t.initial]
    if not named:
        return None
    if weak and not any(looks_like_name(t) for t in named) and len(named) < 2:
        return None
    return index, last


def _spans_cues(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    starts = [token.start for token in tokens]
    spans = []
    matches = [
        match
        for token in tokens
        if token.fold[:2] in _CUE_PREFIXES
        for match in [_CUES.match(text, token.start)]
        if match
    ]
    for match in [*matches, *_CUE_I_COMMA.finditer(text)]:
        weak = match.re is _CUE_I_COMMA or match.group("weak") is not None
        gap = _CUE_GAP.match(text, match.end())
        position = gap.end() if gap else match.end()
        if "\n\n" in text[match.end() : position]:
            continue
        index = token_at(starts, position)
        if index < len(tokens) and tokens[index].start == position:
            found = _collect(tokens, index, weak=weak)
            if found:
                spans.append(found)
    for match in _CUE_BACKWARD.finditer(text):
        index = token_at(starts, match.start()) - 1
        first = index
        while (
            first >= 0
            and index - first < 3
            and nameable(tokens[first])
            and (first == index or joined(tokens, first + 1))
        ):
            first -= 1
        if first < index:
            spans.append((first + 1, index))
    return spans


def _spans_signature(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """The words closing the text when they sign it: a last line "Болатова Жанна", "..., Aliya"."""
    if not tokens or text[tokens[-1].end :].strip(" .!\t\r\n\u00a0"):
        return []
    last = len(tokens) - 1
    first = last
    while (
        first > 0
        and last - first < 3
        and (
            joined(tokens, first)
            or (tokens[first - 1].initial and tokens[first].gap_before in (".", ". "))
        )
    ):
        first -= 1
    while first <= last and not (tokens[first].initial or nameable(tokens[first])):
        first += 1
    closing = tokens[first : last + 1]
    if not closing or not all(t.initial or nameable(t) for t in closing):
        return []
    gap = closing[0].gap_before
    names = [t for t in closing if not t.initial]
    after_sentence = "." in gap and any(is_first_name(t.fold) for t in names)
    if first == 0 or not ("\n" in gap or "," in gap or after_sentence):
        return []
    if len(names) == 1 and not is_first_name(names[0].fold):
        return []
    if not any(looks_like_name(t) for t in names):
        return []
    return [(first, last)]


def name_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of person names in `text`; may overlap, the caller resolves."""
    tokens = tokenize(text)
    if not tokens:
        return []
    spans: list[tuple[int, int]] = []
    for first, last, with_stop in _spans_initials(tokens):
        spans.append((tokens[first].start, tokens[last].end + (1 if with_stop else 0)))
    token_spans = (
        _spans_patronymic(tokens)
        + _spans_first_names(tokens)
        + _spans_surname_pairs(tokens)
        + _spans_cues(text, tokens)
        + _spans_signature(text, tokens)
    )
    for first, last in token_spans:
        end = tokens[last].end + (1 if tokens[last].initial else 0)
        if text[end - 2 : end] in ("'s", "’s"):
            end -= 2  # "Askar Mamin's decision": the possessive is not part of the name
        spans.append((tokens[first].start, end))
    return [
        (start, end)
        for start, end in spans
        if not _NOT_A_PERSON_BEFORE.search(text[max(0, start - 20) : start])
        and not _after_office(text, start)
        and not _NOT_A_PERSON_AFTER.match(text[end : end + 20])
    ]
