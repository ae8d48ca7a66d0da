"""Sealed versions, and the append-only base of every record that is never changed."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableVersion(Exception):
    """A frozen version was about to be changed or deleted."""


class AppendOnlyQuerySet(models.QuerySet):
    """Rows of these tables are written once: no bulk update, no delete."""

    def update(self, **kwargs):
        raise ImmutableVersion(f"{self.model._meta.verbose_name_plural} are immutable")

    def delete(self):
        raise ImmutableVersion(f"{self.model._meta.verbose_name_plural} are immutable")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableVersion(f"{self._meta.verbose_name_plural} are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableVersion(f"{self._meta.verbose_name_plural} are immutable")


class AssessmentVersion(AppendOnlyModel):
    """A frozen, sealed state of an assessment: what was signed, submitted or published.

    `content` is hashed in canonical form into `digest`; it carries the previous version's digest, so
    the versions of an assessment form a chain. The PDF is rendered once and kept as bytes."""

    assessment = models.ForeignKey("dpia.Assessment", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    digest = models.CharField(max_length=64, unique=True)
    previous_digest = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField()
    pdf_digest = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="version_unique_number"),
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.assessment} v{self.number}"
