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


class SealedQuerySet(AppendOnlyQuerySet):
    """Versions and publications: append-only, except that the PDF, rendered by a task after sealing, is
    written once into the empty slot the record was created with, and never replaced."""

    def fill_pdf(self, pk: int, pdf: bytes, pdf_digest: str) -> bool:
        return models.QuerySet.update(self.filter(pk=pk, pdf_digest=""), pdf=pdf, pdf_digest=pdf_digest) == 1


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
    the versions of an assessment form a chain. The PDF is rendered once, by a task (ReportRender), and
    kept as bytes; until then `pdf_digest` is empty."""

    assessment = models.ForeignKey("dpia.Assessment", on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    digest = models.CharField(max_length=64, unique=True)
    previous_digest = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField()
    pdf_digest = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The assessment's name as sealed in `content`, in a column so that lists show it without reading the content.
    title = models.CharField(max_length=200, blank=True)

    objects = SealedQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="version_unique_number"),
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.assessment} v{self.number}"

    def save(self, *args, **kwargs):
        if not self.title:
            self.title = self.sealed_title[:200]
        super().save(*args, **kwargs)

    @property
    def sealed_title(self) -> str:
        """The assessment's name as sealed in this version (the draft may have been renamed since)."""
        return self.title or ((self.content or {}).get("assessment") or {}).get("title") or self.assessment.title


class ReportRender(models.Model):
    """The rendering of one version's or publication's PDF by a task: where it stands, how many tries it
    took, and why the last one failed. The record itself is sealed before, and whatever happens here."""

    class State(models.TextChoices):
        RENDERING = "rendering", _("rendering")
        RENDERED = "rendered", _("rendered")
        FAILED = "failed", _("failed")

    version = models.OneToOneField(AssessmentVersion, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="report_render")
    publication = models.OneToOneField("dpia.Publication", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="report_render")
    state = models.CharField(max_length=16, choices=State.choices, default=State.RENDERING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(version__isnull=False, publication__isnull=True)
                                   | models.Q(version__isnull=True, publication__isnull=False),
                                   name="report_render_one_record"),
        ]

    def __str__(self) -> str:
        return f"PDF of {self.version or self.publication}: {self.state}"

    @property
    def record(self):
        return self.version or self.publication
