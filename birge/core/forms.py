from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Agency, StaffRole

# One answer for every failed sign-in, so that nobody learns which part was wrong: whether the
# account exists, is active, has the right password or has a second factor yet.
SIGN_IN_FAILED = _("Sign-in failed. Check the username, the password and the code.")
# Likewise when a signed-in member confirms who they are before a sensitive change.
REAUTHENTICATION_FAILED = _("The password or the code is not right.")


def staff_code_verify(*, user: Any, code: str) -> Device | None:
    """The confirmed device `code` is valid for, else None; a backup code is used up.

    Six digits are the authenticator's code, anything else a backup code.
    """
    code = "".join(code.split())
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = model.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_is_allowed()[0] or not device.verify_token(code):
        return None
    return device


def staff_code_failed(request: Any, username: str) -> None:
    # A wrong second factor counts towards the lockout like a wrong password.
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def _second_factor_field() -> forms.CharField:
    return forms.CharField(
        label=_("Code from your authenticator app, or a backup code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}
        ),
    )


class StaffLoginForm(AuthenticationForm):
    """Password and a second factor in one step: an authenticator code or a backup code."""

    code = _second_factor_field()

    error_messages = {"invalid_login": SIGN_IN_FAILED, "inactive": SIGN_IN_FAILED}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device: Device | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            # The username or the password is missing: their fields say so.
            return cleaned
        device = staff_code_verify(user=user, code=cleaned.get("code", ""))
        if device is None:
            staff_code_failed(self.request, cleaned.get("username", ""))
            raise forms.ValidationError(SIGN_IN_FAILED, code="invalid_login")
        self.otp_device = device
        return cleaned


class StaffReauthenticationForm(forms.Form):
    """The signed-in member's password and a current code, asked again before a sensitive change.

    Failures count towards the same lockout as the sign-in.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = _second_factor_field()

    def __init__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, code = cleaned.get("password"), cleaned.get("code")
        if not password or not code:
            return cleaned
        user = self.request.user
        username = user.get_username()
        # authenticate() goes through django-axes: refused while locked, counted when wrong.
        if authenticate(self.request, username=username, password=password) is None:
            raise forms.ValidationError(REAUTHENTICATION_FAILED, code="invalid")
        if staff_code_verify(user=user, code=code) is None:
            staff_code_failed(self.request, username)
            raise forms.ValidationError(REAUTHENTICATION_FAILED, code="invalid")
        return cleaned


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
