"""Sentence vectors of indexed texts, kept so that a process starts without re-encoding."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TextEmbedding(models.Model):
    """One text's vector under one model version: a new version is a new row, never a mix.

    Rows are keyed by the SHA-256 of what the model read ("passage: " and the prepared text), so
    the same wording in two collections, or a claim and a report, is encoded once.
    """

    model_name = models.CharField(_("model"), max_length=100)
    model_version = models.CharField(_("model version"), max_length=50)
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    # float16, little-endian, L2-normalised.
    vector = models.BinaryField(_("vector"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("text embedding")
        verbose_name_plural = _("text embeddings")
        constraints = [
            models.UniqueConstraint(
                fields=["model_name", "model_version", "text_sha256"],
                name="matching_embedding_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_name}@{self.model_version}:{self.text_sha256[:12]}"
