import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from birge.core.models import Region, Topic

from .models import ANNOUNCE_CHANNELS


class EmailSubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        error_messages={
            "required": _("Write the e-mail address the news should go to."),
            "invalid": _("This does not look like an e-mail address: check it, please."),
        },
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        help_text=_("Choose none to receive news for the whole country."),
        queryset=Region.objects.exclude(kind=Region.Kind.COUNTRY).order_by("sort_order", "code"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        help_text=_("Choose none to receive every topic."),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AlertForm(forms.Form):
    """A coordinator's alert: its text in one or more languages, its channels and audience."""

    LANGUAGES = ("kk", "ru", "en")

    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=200, required=False)
    summary_kk = forms.CharField(
        label=_("Summary in Kazakh"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=200, required=False)
    summary_ru = forms.CharField(
        label=_("Summary in Russian"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    summary_en = forms.CharField(
        label=_("Summary in English"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    url = forms.URLField(
        label=_("Link to the details"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("This does not look like a web address: check it, please.")},
    )
    urgent = forms.BooleanField(
        label=_("Urgent"),
        required=False,
        help_text=_(
            "Sent before anything else, to every subscriber in the chosen regions whatever "
            "their topics. An urgent alert to the whole country waits for a second coordinator."
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        help_text=_("Choose none to send to the whole country."),
        queryset=Region.objects.exclude(kind=Region.Kind.COUNTRY).order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        help_text=_("Choose none for subscribers of every topic."),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Given with the empty form: the same alert sent twice (a double click, a resubmitted page)
    # has the same key, and the outbox keeps the first. A post without one is a new alert.
    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        help_text=_(
            "E-mail subscribers get an urgent alert at once and anything else in the daily digest."
        ),
        choices=[(channel.value, channel.label) for channel in ANNOUNCE_CHANNELS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one channel.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for language in self.LANGUAGES:
            if cleaned.get(f"summary_{language}") and not cleaned.get(f"title_{language}"):
                self.add_error(f"title_{language}", _("Write a title for this summary."))
        if not any(cleaned.get(f"title_{language}") for language in self.LANGUAGES):
            self.add_error(
                None, _("Write a title in at least one language; a summary is optional.")
            )
        return cleaned

    def texts(self) -> dict[str, dict[str, object]]:
        """The alert's text per language it is written in, as `publication_create` takes it."""
        return {
            language: {
                "title": self.cleaned_data[f"title_{language}"],
                "summary": self.cleaned_data[f"summary_{language}"],
                "url": self.cleaned_data["url"],
            }
            for language in self.LANGUAGES
            if self.cleaned_data[f"title_{language}"]
        }
