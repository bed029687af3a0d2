from django.db import models
from django.utils import timezone


class ReferenceRow(models.Model):
    """One row per reference request: the cheapest write a Django view can make."""

    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    # Declared so type checkers know it: the app is installed by bench.appeals.settings only.
    objects: models.Manager["ReferenceRow"] = models.Manager()

    class Meta:
        app_label = "bench_appeals"

    def __str__(self) -> str:
        return f"reference row {self.pk}"
