"""The channels in the Wagtail admin: the publications, their deliveries, a coordinator's alert."""

from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from birge.core.permission_policies import AccessMenuItem

from . import admin_views
from .access import PUBLICATION_VIEW


@hooks.register("register_admin_urls")
def register_channels_admin_urls() -> list[Any]:
    return [
        path("channels/", admin_views.publications, name="channels_publications"),
        path("channels/new/", admin_views.alert_create, name="channels_alert_create"),
        path(
            "channels/<int:publication_id>/",
            admin_views.publication_detail,
            name="channels_publication_detail",
        ),
        path(
            "channels/<int:publication_id>/approve/",
            admin_views.publication_approve,
            name="channels_publication_approve",
        ),
        path(
            "channels/<int:publication_id>/cancel/",
            admin_views.publication_cancel,
            name="channels_publication_cancel",
        ),
        path(
            "channels/deliveries/<int:delivery_id>/retry/",
            admin_views.delivery_retry,
            name="channels_delivery_retry",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_publications_menu_item() -> MenuItem:
    return AccessMenuItem(
        _("Publications"),
        reverse("channels_publications"),
        icon_name="mail",
        order=170,
        action=PUBLICATION_VIEW,
    )
