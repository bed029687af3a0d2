"""Input validation for the portal's staff screens."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from birge.core.models import Agency
from birge.core.text import text_clean


class UrgentNoticeForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the notice"), choices=settings.LANGUAGES)
    agency = forms.ModelChoiceField(
        label=_("Issuing agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name_en"),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(
        label=_("Text"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 8})
    )
    source = forms.CharField(label=_("Source"), max_length=300)
    banner_kk = forms.CharField(label=_("Banner text (Kazakh)"), max_length=300, required=False)
    banner_ru = forms.CharField(label=_("Banner text (Russian)"), max_length=300, required=False)
    banner_en = forms.CharField(label=_("Banner text (English)"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("title", "summary", "source", "banner_kk", "banner_ru", "banner_en"):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = text_clean(cleaned[name])
        if not any(cleaned.get(f"banner_{code}") for code, _name in settings.LANGUAGES):
            self.add_error("banner_kk", _("Write the banner's text in at least one language."))
        return cleaned
