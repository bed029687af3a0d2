from typing import Any

from django import forms
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, StaffRole


class StaffLoginForm(AuthenticationForm):
    """Password and a second factor in one step: an authenticator code or a backup code."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_code": _(
            "The code is not valid. Check the time on your phone or use a backup code."
        ),
        "no_device": _(
            "This account has no second factor yet. Ask an administrator for backup codes."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device: Device | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        code = "".join(cleaned.get("code", "").split())
        device = self._device_for(user, code)
        if device is None:
            self._fail()
            raise forms.ValidationError(self.error_messages["no_device"], code="no_device")
        allowed, _reason = device.verify_is_allowed()
        if not allowed or not device.verify_token(code):
            self._fail()
            raise forms.ValidationError(self.error_messages["invalid_code"], code="invalid_code")
        self.otp_device = device
        return cleaned

    @staticmethod
    def _device_for(user: Any, code: str) -> Device | None:
        if code.isdigit() and len(code) == 6:
            return TOTPDevice.objects.filter(user=user, confirmed=True).first()
        return StaticDevice.objects.filter(user=user, confirmed=True).first()

    def _fail(self) -> None:
        # A wrong second factor counts towards the lockout like a wrong password.
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username", "")},
            request=self.request,
        )


class TotpConfirmForm(forms.Form):
    code = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned


class StaffRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.filter(is_active=True).order_by("name_en"),
        required=False,
        help_text=_("Required for every role except coordinator and administrator."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        if role in StaffRole.GLOBAL_ROLES:
            cleaned["agency"] = None
        elif role and not cleaned.get("agency"):
            self.add_error("agency", _("Choose the agency this person works for."))
        return cleaned


class StaffMemberForm(StaffRoleForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    email = forms.EmailField(label=_("Work e-mail"))

    field_order = ["username", "email", "role", "agency"]

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username
