"""Input parsing for the aid pages; the rules themselves are the services' (the API obeys them
too), so these forms only turn text into types."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from birge.core.models import Region

from .models import ADDRESS_MAX_LENGTH, Campaign, Category, HelpKind, LedgerEntry, Skill
from .services import Household

LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


class HelpRequestForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), to_field_name="slug"
    )
    help_kind = forms.ChoiceField(label=_("What help is needed?"), choices=HelpKind.choices)
    on_behalf = forms.BooleanField(
        label=_("I am asking on behalf of someone else (a neighbour, a relative)"), required=False
    )
    person_name = forms.CharField(label=_("Name of the person who needs help"), max_length=200)
    birth_date = forms.DateField(
        label=_("Their date of birth (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    iin = forms.CharField(label=_("IIN (optional)"), max_length=20, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.exclude(kind=Region.Kind.COUNTRY),
        to_field_name="code",
    )
    address = forms.CharField(
        label=_("Address where the help should be brought"),
        max_length=ADDRESS_MAX_LENGTH,
        error_messages={"required": _("Write the address where the help should be brought.")},
    )
    phone = forms.CharField(label=_("Phone of the person who needs help"), required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    household_size = forms.IntegerField(label=_("How many people live in the household?"))
    categories = forms.MultipleChoiceField(
        label=_("Who is in the household?"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    no_food = forms.BooleanField(label=_("There is no food left for the next days"), required=False)
    lives_alone = forms.BooleanField(label=_("The person lives alone"), required=False)
    requester_name = forms.CharField(label=_("Your name"), max_length=200, required=False)
    requester_phone = forms.CharField(label=_("Your phone"), required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the headquarters and its volunteers process these personal data to "
            "deliver the help; they are erased after the campaign's retention period."
        ),
        required=False,
    )

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]

    def household(self) -> Household:
        data = self.cleaned_data
        return Household(
            household_size=data["household_size"],
            person_name=data["person_name"],
            birth_date=data["birth_date"],
            iin=data["iin"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
            categories=tuple(data["categories"]),
            no_food=data["no_food"],
            lives_alone=data["lives_alone"],
            requester_name=data["requester_name"] if data["on_behalf"] else "",
            requester_phone=data["requester_phone"] if data["on_behalf"] else "",
        )


class VolunteerForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("E-mail: your sign-in link comes here"))
    phone = forms.CharField(label=_("Phone"))
    region = forms.ModelChoiceField(
        label=_("Region where you can help"),
        queryset=Region.objects.exclude(kind=Region.Kind.COUNTRY),
        to_field_name="code",
    )
    skills = forms.MultipleChoiceField(
        label=_("What can you do?"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.CharField(
        label=_("When can you help? (e.g. weekday evenings)"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_("I agree that the headquarters processes my personal data to verify me."),
        required=False,
    )


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail you registered with"))


class DeliverForm(forms.Form):
    code = forms.CharField(label=_("The code the family tells you"), max_length=12)
    hours = forms.CharField(label=_("Hours you spent (optional)"), max_length=8, required=False)


class LedgerEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LedgerEntry.Kind.choices)
    amount = forms.CharField(label=_("Amount, tenge"), max_length=24)
    on_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    document_ref = forms.CharField(label=_("Document reference"), max_length=200)
    donor = forms.CharField(label=_("Donor (empty: anonymous)"), max_length=300, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
