from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "birge.portal"
    label = "portal"
    verbose_name = _("Official information portal")

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.models import PageLogEntry

        from . import access  # noqa: F401 - declares this app's access actions

        # Wagtail logs every publish and withdrawal, whoever or whatever did it (the editor, an
        # approval, scheduled publishing): the log entry is the one place all of them pass.
        post_save.connect(
            _publication_from_log, sender=PageLogEntry, dispatch_uid="birge-portal-publication"
        )

    def demo_load(self) -> Any:
        from .demo import portal_demo_load

        return portal_demo_load()


PUBLISH_ACTIONS = {"wagtail.publish": False, "wagtail.unpublish": True}


def _publication_from_log(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw or instance.action not in PUBLISH_ACTIONS:
        return
    from .services import publication_record

    publication_record(
        page=instance.page,
        revision=instance.revision,
        actor=instance.user,
        withdrawn=PUBLISH_ACTIONS[instance.action],
    )
