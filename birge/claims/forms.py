"""Input validation: the public check and list filter, and the fact-checkers' desk."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from birge.core.models import Agency, Region, Topic
from birge.core.text import text_clean

from .models import (
    CLAIM_TEXT_MAX_LENGTH,
    LANGUAGE_CHOICES,
    Channel,
    Claim,
    Evidence,
    MatchingThresholds,
    Verdict,
)

CHECK_TEXT_MAX_LENGTH = 5_000


class CheckForm(forms.Form):
    text = forms.CharField(
        label=_("The message you received"),
        help_text=_("Paste a forwarded message or write what you heard, in any language."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=CHECK_TEXT_MAX_LENGTH,
        error_messages={
            "required": _("Write or paste the message to check."),
            "max_length": _(
                "Shorten the text to %(limit_value)s characters; it has %(show_value)s."
            ),
        },
    )
    region = forms.ModelChoiceField(
        label=_("Your region (optional)"),
        help_text=_("Helps us see where a rumour spreads."),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Not given"),
    )

    def clean_text(self) -> str:
        text = text_clean(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(_("Write or paste the message to check."))
        return text


class ClaimFilterForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Verdict"), choices=[("", _("All")), *Verdict.choices], required=False
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All"),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("All")), *LANGUAGE_CHOICES], required=False
    )


# --- the desk -----------------------------------------------------------------------------------


class ClaimForm(forms.Form):
    wording = forms.CharField(
        label=_("Wording as it circulated"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=CLAIM_TEXT_MAX_LENGTH,
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    first_seen = forms.DateField(label=_("First seen"), required=False)
    channels = forms.MultipleChoiceField(
        label=_("Where it spread"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    appearances = forms.CharField(
        label=_("Addresses where it appeared (one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False)
    agency = forms.ModelChoiceField(
        label=_("Refuting agency"), queryset=Agency.objects.filter(is_active=True), required=False
    )
    note = forms.CharField(
        label=_("What changed (required for a published claim; shown to readers)"),
        max_length=1000,
        required=False,
    )

    def clean_appearances(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["appearances"].splitlines()]
        urls = [line for line in lines if line]
        validator = forms.URLField(assume_scheme="https")
        for url in urls:
            validator.clean(url)
        return urls

    @classmethod
    def initial_for(cls, claim: Claim) -> dict[str, Any]:
        return {
            "wording": claim.wording,
            "language": claim.language,
            "first_seen": claim.first_seen,
            "channels": claim.channels,
            "appearances": "\n".join(claim.appearances),
            "topic": claim.topic,
            "agency": claim.agency,
        }


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    wording = forms.CharField(
        label=_("Wording"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=CLAIM_TEXT_MAX_LENGTH,
    )
    explanation = forms.CharField(
        label=_("Explanation of the verdict"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    note = forms.CharField(label=_("What changed"), max_length=1000, required=False)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Address"), max_length=500, required=False, assume_scheme="https")
    date = forms.DateField(label=_("Date"), required=False)
    note = forms.CharField(label=_("What changed"), max_length=1000, required=False)


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Verdict.choices)
    note = forms.CharField(
        label=_("Why the verdict changes (published claims; shown to readers)"),
        max_length=1000,
        required=False,
    )


class AttachForm(forms.Form):
    claim = forms.ModelChoiceField(label=_("Claim"), queryset=Claim.objects.order_by("-id"))


class ThresholdsForm(forms.ModelForm):
    class Meta:
        model = MatchingThresholds
        fields = ["same_claim", "maybe_related"]
