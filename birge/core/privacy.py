"""Masking of personal data (e-mail, phone, IIN) before text reaches logs or the audit log."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Kazakhstan's individual identification number: 12 digits, often written without separators.
IIN = re.compile(r"(?<!\d)\d{12}(?!\d)")
PHONE = re.compile(r"(?<![\w])\+?[78][\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)")


def mask_personal_data(text: str) -> str:
    """Return `text` with e-mail addresses, phone numbers and IINs replaced by placeholders."""
    text = EMAIL.sub("[e-mail]", text)
    text = IIN.sub("[IIN]", text)
    return PHONE.sub("[phone]", text)


class PersonalDataLogFilter(logging.Filter):
    """Rewrites every log record so no handler ever writes personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal_data(record.getMessage())
        record.args = None
        return True
