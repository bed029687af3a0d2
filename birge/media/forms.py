"""Input parsing for the desk's pages; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from birge.appeals.models import TEXT_MAX_LENGTH
from birge.core.models import Agency

from .models import Outlet, RequestKind


class OutletApplyForm(forms.Form):
    name = forms.CharField(label=_("Name of the media outlet or NGO"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Outlet.Kind.choices)
    registration = forms.CharField(
        label=_("Registration number (mass media certificate or BIN)"), max_length=100
    )
    editor = forms.CharField(label=_("Editor-in-chief or head"), max_length=200)
    email = forms.EmailField(label=_("E-mail of the organisation: sign-in links come here"))
    phone = forms.CharField(label=_("Phone"))
    website = forms.URLField(label=_("Website (optional)"), required=False, assume_scheme="https")


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail you were accredited with"))


class MediaRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you need?"), choices=RequestKind.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency asked"),
        queryset=Agency.objects.filter(is_active=True).exclude(
            kind=Agency.Kind.VOLUNTEER_HEADQUARTERS
        ),
        required=False,
        to_field_name="slug",
        empty_label=_("Not sure: the coordinators route it"),
    )
    question = forms.CharField(
        label=_("Your question"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX_LENGTH,
    )
