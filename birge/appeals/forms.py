"""Input validation for the public intake and the citizen's follow-ups, and the staff desk."""

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from birge.core.models import Agency, Region, Topic

from .models import LANGUAGE_CHOICES, TEXT_MAX_LENGTH, Answer, Appeal
from .uploads import attachment_clean

TEXT_TOO_LONG = _("Shorten the text to %(limit_value)s characters; it has %(show_value)s.")


class AppealForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you send?"),
        choices=Appeal.Kind.choices,
        initial=Appeal.Kind.QUESTION,
        widget=forms.RadioSelect,
        help_text=_(
            "A question may be anonymous. A formal appeal is registered under the law and needs "
            "your contact details."
        ),
    )
    text = forms.CharField(
        label=_("Your question or appeal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TEXT_TOO_LONG},
    )
    topic = forms.ModelChoiceField(
        label=_("Topic (if you know it)"),
        queryset=Topic.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("Not sure"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="code",
        initial="KZ",
    )
    contact_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    # The phone rule is appeal_submit's (birge.core.text.phone_clean), the same for the API.
    contact_phone = forms.CharField(label=_("Phone"), required=False)
    attachment = forms.FileField(
        label=_("Attachment (optional): a photo or a PDF, up to 5 MB"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the state bodies process the personal data I give here to answer me."
        ),
        required=False,
    )

    def clean_attachment(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("attachment")
        return attachment_clean(upload) if upload else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_contact = data.get("contact_email") or data.get("contact_phone")
        if data.get("kind") == Appeal.Kind.APPEAL and not has_contact:
            self.add_error(
                "contact_email", _("A formal appeal needs an e-mail address or a phone number.")
            )
        if (has_contact or data.get("kind") == Appeal.Kind.APPEAL or data.get("contact_name")) and (
            not data.get("consent")
        ):
            self.add_error(
                "consent", _("Agree to the processing of your personal data to send this.")
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("What is missing or wrong in the answer?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TEXT_TOO_LONG},
    )


class ClarificationForm(forms.Form):
    text = forms.CharField(
        label=_("Your clarification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX_LENGTH,
        error_messages={"max_length": TEXT_TOO_LONG},
    )


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), max_length=200, required=False)
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
    )


# --- staff desk ---


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All open")), *Appeal.Status.choices], required=False
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    due_before = forms.DateField(
        label=_("Due on or before"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AnswerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Answer.Kind.choices)
    legal_ground = forms.CharField(label=_("Legal ground (for a refusal)"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    text = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 10}), max_length=TEXT_MAX_LENGTH
    )


class AgencyChoiceForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True)
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ClarificationRequestForm(forms.Form):
    question = forms.CharField(
        label=_("What do you need the citizen to clarify?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(forms.Form):
    canonical_code = forms.CharField(label=_("Tracking code of the main question"), max_length=16)


class FaqPrepareForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of this FAQ entry (publish once per language)"),
        choices=LANGUAGE_CHOICES,
    )
    question = forms.CharField(
        label=_("Question as published"), widget=forms.Textarea(attrs={"rows": 5})
    )
    answer_text = forms.CharField(
        label=_("Answer as published"), widget=forms.Textarea(attrs={"rows": 8})
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False)


class AnswerUpdateForm(forms.Form):
    text = forms.CharField(
        label=_("Updated answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX_LENGTH,
    )
    faq_answer_text = forms.CharField(
        label=_("Updated FAQ answer (masked)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )


class RoutingRuleForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True)
    )


class CrisisTargetForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all())
    hours = forms.IntegerField(
        label=_("Answer within (hours); empty to clear"), min_value=1, max_value=720, required=False
    )


class AgencySettingsForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.filter(is_active=True)
    )
    answers_need_approval = forms.BooleanField(
        label=_("Answers need the head's approval"), required=False
    )


class AnswerTemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    text = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX_LENGTH
    )
