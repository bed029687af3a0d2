"""The search form: what to look for, of which kind, in which language."""

import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .sources import search_sources

QUERY_MAX_LENGTH = 200
# Tabs and line breaks (a pasted text) are only spaces to the search; other control characters
# are never typed by a person.
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c")


class QueryField(forms.CharField):
    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value))
        if any(
            unicodedata.category(char) == "Cc" and char not in _WHITESPACE_CONTROLS for char in text
        ):
            raise ValidationError(
                _(
                    "The search contains characters that cannot be searched. "
                    "Remove them and try again."
                ),
                code="control_characters",
            )
        return " ".join(text.split())


class SearchForm(forms.Form):
    q = QueryField(
        label=_("Search official information, answers and checked rumours"),
        max_length=QUERY_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "The search can be at most %(limit_value)d characters long. "
                "Shorten it and try again."
            )
        },
    )
    kind = forms.ChoiceField(
        label=_("What"),
        required=False,
        error_messages={"invalid_choice": _("Choose what to search for from the list.")},
    )
    lang = forms.ChoiceField(
        label=_("Language"),
        required=False,
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [("", _("Everything")), *((s.kind, s.label) for s in search_sources())]
        language_field: Any = self.fields["lang"]
        language_field.choices = [("", _("All languages")), *settings.LANGUAGES]
