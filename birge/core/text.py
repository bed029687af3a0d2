"""Citizen-typed text made safe to store and to show: one rule for the web, the API and the bot.

Services call these on every field a citizen types, so a rule holds whichever entry point the
text came through (a form cannot protect the API).
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# NUL (PostgreSQL refuses it in text), the other C0 controls but tab and newline, DEL and the C1
# controls, and lone surrogates (a JSON "\ud800" escape; no encoding can store one).
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# The web form's rule since the start, now also the API's and the bot's.
_PHONE = re.compile(r"\+?[0-9 ()-]{6,20}")
PHONE_MIN_DIGITS = 6


def text_clean(value: str) -> str:
    """The text in NFC with line breaks as "\\n", without characters no database can store,
    trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", _UNSTORABLE.sub("", value)).strip()


def _visible(value: str) -> str:
    # Format characters (category Cf) are invisible: zero-width spaces and joiners, the BOM and
    # the bidi controls (U+200E/F, U+202A-202E, U+2066-2069) that can make a name read as
    # another in a staff list. Any run of spaces becomes one.
    return " ".join(
        "".join(char for char in text_clean(value) if unicodedata.category(char) != "Cf").split()
    )


def name_clean(value: str) -> str:
    """A person's name as typed, without invisible characters; raises ValidationError when
    what remains has no letter or digit ("" is allowed: a name is optional)."""
    value = _visible(value)
    if value and not any(char.isalnum() for char in value):
        raise ValidationError(_("Write the name in letters."), code="invalid")
    return value


def phone_clean(value: str) -> str:
    """A phone number as typed, without invisible characters; raises ValidationError unless it
    is 6 to 20 digits, spaces, brackets or dashes with at least 6 digits, after an optional
    "+" ("" is allowed)."""
    value = _visible(value)
    if value and (
        not _PHONE.fullmatch(value) or sum(char.isdigit() for char in value) < PHONE_MIN_DIGITS
    ):
        raise ValidationError(
            _("Enter the phone number in digits, e.g. +7 701 123 4567."), code="invalid"
        )
    return value


IIN_LENGTH = 12
_IIN_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_IIN_CENTURIES = {"1": 1800, "2": 1800, "3": 1900, "4": 1900, "5": 2000, "6": 2000}


def iin_clean(value: str) -> str:
    """An individual identification number (IIN) as 12 digits, spaces dropped; raises
    ValidationError unless its birth date exists and its check digit is right ("" is allowed).

    The check digit is the weighted sum of the first eleven digits modulo 11, weights 1..11,
    or, when that gives 10, weights 3..11, 1, 2; a second 10 means no valid IIN has these digits.
    """
    value = "".join(_visible(value).split())
    if not value:
        return ""
    invalid = ValidationError(
        _("An IIN is 12 digits; check it against the identity card."), code="invalid"
    )
    if len(value) != IIN_LENGTH or not value.isascii() or not value.isdigit():
        raise invalid
    digits = [int(char) for char in value]
    check = sum(weight * digit for weight, digit in zip(range(1, 12), digits, strict=False)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_IIN_SECOND_WEIGHTS, digits, strict=False)) % 11
    century = _IIN_CENTURIES.get(value[6])
    if (
        check == 10
        or check != digits[11]
        or century is None
        or not _iin_date_exists(value, century)
    ):
        raise invalid
    return value


def _iin_date_exists(value: str, century: int) -> bool:
    try:
        dt.date(century + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return False
    return True
