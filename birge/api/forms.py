from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiClient
from .scopes import scopes_registered


class ApiClientEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the client may do. Without a scope its key is refused everywhere."),
    )
    requests_per_minute = forms.IntegerField(
        label=_("Requests per minute"),
        min_value=1,
        initial=600,
        help_text=_("For all endpoints together; more answer 429."),
    )
    contact = forms.CharField(
        label=_("Technical contact"),
        max_length=255,
        required=False,
        help_text=_("Who to call when the client misbehaves or its key must be replaced."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices are read per form: the registry is filled as the domains' APIs are imported.
        scopes_field: Any = self.fields["scopes"]
        scopes_field.choices = [
            (scope.name, f"{scope.name} — {scope.label}") for scope in scopes_registered().values()
        ]


class ApiClientCreateForm(ApiClientEditForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=ApiClient.Channel.choices,
        help_text=_("Recorded on every appeal the client submits; it cannot be changed later."),
    )

    field_order = ["name", "channel", "scopes", "requests_per_minute", "contact"]
