from django.apps import AppConfig


class BenchAppealsConfig(AppConfig):
    """The benchmark's own reference table and views; installed only by bench.appeals.settings."""

    name = "bench.appeals"
    label = "bench_appeals"
    default_auto_field = "django.db.models.BigAutoField"
