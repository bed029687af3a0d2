from importlib import import_module
from typing import Any

from django.apps import AppConfig, apps
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "birge.search"
    label = "search"
    verbose_name = _("Site search")

    def ready(self) -> None:
        # Each of the project's apps with content to find registers it in its own `search`
        # module, as each has its admin.py: importing them here keeps this app free of any
        # domain's name, and no app has to remember to import its module itself.
        project = self.name.partition(".")[0] + "."
        for config in apps.get_app_configs():
            if config.name.startswith(project) and module_has_submodule(config.module, "search"):
                import_module(f"{config.name}.search")
        post_migrate.connect(_fts_rebuild, sender=self, dispatch_uid="birge-search-fts-rebuild")

    def demo_load(self) -> None:
        # Demo loaders write their rows directly, not through the services that index them;
        # this app comes after theirs in INSTALLED_APPS, so everything is there to index.
        from .services import search_rebuild

        search_rebuild()


def _fts_rebuild(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Rebuild SQLite's full-text index from the documents' table after migrate and flush.

    A flush (between transactional tests, `manage.py flush`) empties the documents' table but
    not the FTS5 table beside it, which would then still list rows that are gone.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if "search_fts" in connection.introspection.table_names(cursor):
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
