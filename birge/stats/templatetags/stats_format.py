"""Figures as the reader's language groups them (21,819 / 21 819), without site-wide grouping."""

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()

# Django's Kazakh format sets no grouping; Kazakh groups thousands with a space, as Russian does.
DEFAULT_GROUPING = 3


@register.filter
def grouped(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    grouping = get_format("NUMBER_GROUPING")
    # Without a grouping of its own the locale's separator is the site default (","), not its.
    thousand_sep = get_format("THOUSAND_SEPARATOR") if grouping else "\xa0"
    return numberformat.format(
        value,
        decimal_sep=get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=grouping or DEFAULT_GROUPING,
        thousand_sep=thousand_sep,
        force_grouping=True,
    )
