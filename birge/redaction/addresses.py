"""Street-address detection for ru, kk and en: the street with its house and flat, not the city.

A street is only taken with a house or flat number after it: "живу на улице Абая" or a
checkpoint "на пересечении улиц Абая и Байтурсынова" describes a place, not a person's home.
"""

import re

_UP = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
_LOW = "a-zа-яёәғқңөұүһі"
_KK_LOW = "а-яёәғқңөұүһі"
_SP = r"[ \t\u00a0]"
_SEP = rf"{_SP}*,?{_SP}*"
_CAP_WORD = rf"[{_UP}][{_LOW}]+(?:-(?:[{_UP}{_LOW}][{_LOW}]*|\d{{1,3}}[{_LOW}]?(?![{_LOW}])))?"
_EPITHET = r"батыр[а-я]*|би|хан[а-я]*|ата|ана|жолы|баба|batyr|bi|khan|ata|zholy"
_ORDINAL = r"\d{1,3}(?:-?(?:й|я|ая|ый|ой|ий|го|ші|шы|інші|ыншы|th|st|nd|rd))?"
_INITIALS = rf"(?:[{_UP}]\.{_SP}?){{1,2}}"
_STREET_NAME = (
    rf"(?:{_INITIALS})?(?:{_ORDINAL}{_SP}+)?{_CAP_WORD}(?:[ -](?:{_CAP_WORD}|{_EPITHET})){{0,2}}"
    rf"|{_ORDINAL}(?![\d])"
)
_NUMBER = rf"\d{{1,4}}(?:[{_LOW}](?![{_LOW}]))?(?:{_SP}?/{_SP}?\d{{1,4}}[{_LOW}]?)?"
_HOUSE = rf"(?i:д\.|дом|здание|зд\.|уч\.|участок|house|bldg\.?|building|№)?{_SP}*{_NUMBER}"
_UNIT = (
    rf"(?i:кв\.?|квартира|оф\.|офис|корп\.|корпус|к\.|стр\.|строение|блок|под\.|подъезд"
    rf"|эт\.|этаж|комн\.|комната|room|бөлме|apt\.?|apartment|flat|unit|suite|\#)(?![{_LOW}]){_SP}*№?{_SP}*\d{{1,4}}[{_LOW}]?"
    rf"(?!{_SP}?(?i:м\b|м2|м²|кв))"
)
_KK_ORDINAL = rf"(?:{_SP}?-?{_SP}?(?:ші|шы|інші|ыншы))?{_SP}?-?{_SP}?"
_KK_HOUSE = (
    rf"{_NUMBER}{_KK_ORDINAL}үй[{_KK_LOW}]*|үй{_SP}*№?{_SP}*{_NUMBER}"
    rf"|{_NUMBER}(?!{_SP}*-?{_SP}*(?:пәтер|жыл|тг|теңге|мың))"
)
_KK_UNIT = (
    rf"\d{{1,4}}[{_LOW}]?{_KK_ORDINAL}(?:пәтер|кеңсе|подъезд|қабат)[{_KK_LOW}]*"
    rf"|(?:пәтер|кеңсе){_SP}*№?{_SP}*\d{{1,4}}"
)

_RU_MARKER = (
    r"(?i:ул\.|ул(?=\s)|улиц[аеуы]|пр\.|пр-т\.?|пр-кт\.?|просп\.|проспект[а-я]*|пер\.|"
    r"переул(?:ок|ка|ке)|б-р|бульвар[а-я]*|бул\.|шоссе|наб\.|набережн[а-я]+|мкр\.?|мкрн\.?|"
    r"мкр-н|микрорайон[а-я]*|м-н|ж\.м\.|жилмассив[а-я]*|жилой\s+массив[а-я]*|тупик|туп\.|"
    r"microdistrict|mkr\.?)"
)
_KK_MARKER = (
    rf"(?:көшесі[{_KK_LOW}]*|көш\.|даңғылы[{_KK_LOW}]*|даң\.|ықшамаудан[{_KK_LOW}]*|"
    rf"ықшам{_SP}аудан[{_KK_LOW}]*|шағын{_SP}?аудан[{_KK_LOW}]*|ш\.а\.|тұйық{_SP}көшесі"
    rf"[{_KK_LOW}]*|бульвары[{_KK_LOW}]*|тас{_SP}жолы[{_KK_LOW}]*|тұрғын{_SP}алабы[{_KK_LOW}]*)"
)
_EN_MARKER = (
    r"(?i:street|st\b\.?|avenue|ave\b\.?|road|rd\b\.?|boulevard|blvd\b\.?|lane|ln\b\.?"
    r"|drive|dr\b\.?|prospect|microdistrict)"
)
_BOUNDARY = r"(?<![^\W\d_])"
_END = rf"(?![\d{_LOW}])"

ADDRESS_PATTERNS = [
    # ул. Абая, д. 10, кв. 5 / мкр. Самал-2, 58-12 / microdistrict Samal-2, 58
    re.compile(
        rf"{_BOUNDARY}{_RU_MARKER}{_SP}*(?:{_STREET_NAME}),?{_SP}*"
        rf"(?:{_HOUSE}(?:{_SP}?-{_SP}?\d{{1,4}})?{_END}(?:{_SEP}{_UNIT}{_END})*|(?:{_SEP}{_UNIT}{_END})+)"
    ),
    # Ауэзова, 84, кв. 12: a street without its marker, taken only with a flat after the house
    re.compile(
        rf"{_BOUNDARY}{_CAP_WORD}(?:[ -]{_CAP_WORD})?,?{_SP}+{_NUMBER}{_END}"
        rf"(?:{_SEP}{_UNIT}{_END})+"
    ),
    # д. 10, кв. 5 without a street
    re.compile(rf"{_BOUNDARY}(?i:д\.|дом){_SP}*№?{_SP}*{_NUMBER}{_END}(?:{_SEP}{_UNIT}{_END})+"),
    # Абай көшесі, 10-үй, 5-пәтер / Самал-2 ықшамауданы, 5 үй
    re.compile(
        rf"{_BOUNDARY}(?:{_STREET_NAME}){_SP}+{_KK_MARKER}"
        rf"(?:{_SEP}(?:{_KK_HOUSE}){_END}(?:{_SEP}(?:{_KK_UNIT}){_END})*"
        rf"|(?:{_SEP}(?:{_KK_UNIT}){_END})+)"
    ),
    # 10-үй, 5-пәтер without a street
    re.compile(rf"{_BOUNDARY}{_NUMBER}{_KK_ORDINAL}үй[{_KK_LOW}]*{_SEP}(?:{_KK_UNIT}){_END}"),
    # 12 Abai Avenue, apt 5
    re.compile(
        rf"{_BOUNDARY}\d{{1,5}}[A-Za-z]?,?{_SP}+(?:{_STREET_NAME}){_SP}+{_EN_MARKER}"
        rf"(?:{_SEP}{_UNIT}{_END})*"
    ),
    # Abai Avenue 10, apt 5
    re.compile(
        rf"{_BOUNDARY}(?:{_STREET_NAME}){_SP}+{_EN_MARKER},?{_SP}*{_HOUSE}{_END}"
        rf"(?:{_SEP}{_UNIT}{_END})*"
    ),
]


def address_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of street addresses (street, house, flat); may overlap."""
    spans: list[tuple[int, int]] = []
    for pattern in ADDRESS_PATTERNS:
        spans.extend(match.span() for match in pattern.finditer(text))
    return spans
