"""Assessments being written: the draft's answers, each saved step, and evidence."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpia.models.accounts import Organisation
from dpia.models.versions import ImmutableVersion


class Assessment(models.Model):
    """A DPIA draft, written over days by an organisation's authors. Answers are keyed by question id."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DPO_REVIEW = "dpo_review", _("With the DPO for advice")
        READY_TO_SIGN = "ready_to_sign", _("Ready to sign")
        SIGNED = "signed", _("Signed")
        SUBMITTED = "submitted", _("Submitted to the regulator")
        UNDER_REVIEW = "under_review", _("Under review")
        INFORMATION_REQUESTED = "information_requested", _("Information requested")
        OPINION_ISSUED = "opinion_issued", _("Opinion issued")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    # Set on a civil society's independent "shadow" assessment of someone else's project.
    shadow_of = models.CharField(_("project assessed (shadow assessment)"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=Status, default=Status.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # Raw input of a step that did not validate yet, kept so that nothing typed is ever lost.
    pending_steps = models.JSONField(default=dict, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    last_step = models.CharField(max_length=64, blank=True)
    bank_version = models.CharField(max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    # A draft its authors deleted: kept (the audit log points at it) but shown nowhere.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status"], name="assessment_status")]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return self.title


class AnswerRevision(models.Model):
    """One saved step: who saved which answers, from which revision. The audit trail of a draft,
    and what lets a stale save be detected and shown to the person who made it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    step = models.CharField(max_length=64)
    answers = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="answer_revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} r{self.number} ({self.step})"


def evidence_upload_path(instance: "Evidence", filename: str) -> str:
    return f"evidence/{instance.assessment_id}/{filename}"


class Evidence(models.Model):
    """A document, link or dataset that supports an answer."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    question_id = models.CharField(_("question"), max_length=120)
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, blank=True, max_length=300)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    dated = models.DateField(_("date of the evidence"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    # Set when a version first seals this evidence: from then on the row and its file never change.
    sealed_at = models.DateTimeField(null=True, blank=True)
    # Removed from the draft; a sealed piece stays stored for the versions that list it.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["question_id", "added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None and self.sealed_at is not None:
            raise ImmutableVersion("evidence sealed into a version cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.sealed_at is not None:
            raise ImmutableVersion("evidence sealed into a version cannot be deleted")
        return super().delete(*args, **kwargs)
