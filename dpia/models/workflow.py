"""The workflow's records: audit log, DPO advice, signature, submission, review and opinion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dpia.models.accounts import Organisation
from dpia.models.assessments import Assessment
from dpia.models.versions import AppendOnlyModel, AssessmentVersion


class AuditLogEntry(AppendOnlyModel):
    """Who did what, when and from where. Append-only."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, null=True, related_name="audit_log")
    action = models.CharField(max_length=64)
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(null=True)
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class DpoAdvice(models.Model):
    """The DPO's written advice on a version (GDPR Art. 35(2)), and the controller's decision on it."""

    class Decision(models.TextChoices):
        FOLLOWED = "followed", _("Followed")
        PARTLY_FOLLOWED = "partly_followed", _("Partly followed")
        OVERRULED = "overruled", _("Overruled")

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="dpo_advice")
    dpo = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    advice = models.TextField(_("advice"), max_length=10000)
    given_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=32, choices=Decision, blank=True)
    decision_reasons = models.TextField(_("reasons"), max_length=10000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"DPO advice on {self.version}"


class Signature(AppendOnlyModel):
    """The controller's signature: the version it seals, carrying the DPO's advice and the decision on it."""

    version = models.OneToOneField(AssessmentVersion, on_delete=models.PROTECT, related_name="signature")
    advice = models.ForeignKey(DpoAdvice, on_delete=models.PROTECT, null=True, related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"Signature of {self.version}"


class Submission(models.Model):
    """A signed version sent to a regulator; when prior consultation is required, the legal clock runs."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="submissions")
    regulator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions_received")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    prior_consultation = models.BooleanField(default=False)
    regime = models.CharField(max_length=16, blank=True)  # "gdpr" or "led": which time limit runs
    deadline = models.DateField(null=True)  # before any suspension or extension
    extended_days = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["-submitted_at"]
        # A signed version is sent once: a second, racing submit cannot create a second record.
        constraints = [models.UniqueConstraint(fields=["version"], name="one_submission_per_version")]
        # The review queue: a regulator's submissions, nearest deadline first.
        indexes = [models.Index(fields=["regulator", "deadline", "-submitted_at"], name="submission_queue")]

    def __str__(self) -> str:
        return f"{self.version} to {self.regulator}"


class InformationRequest(models.Model):
    """A regulator's request for information; while open, the consultation clock is suspended."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="information_requests")
    text = models.TextField(_("request"), max_length=10000)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Information request on {self.submission}"


class ReviewComment(models.Model):
    """A reviewer's comment anchored to a question of the submitted version."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    question_id = models.CharField(_("question"), max_length=120)
    text = models.TextField(_("comment"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment on {self.question_id}"


class SectionVerdict(models.Model):
    class Verdict(models.TextChoices):
        ACCEPTABLE = "acceptable", _("Acceptable")
        TO_IMPROVE = "to_improve", _("To improve")
        TO_CORRECT = "to_correct", _("To correct")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="section_verdicts")
    section = models.CharField(max_length=64)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "section"], name="one_verdict_per_section")]

    def __str__(self) -> str:
        return f"{self.section}: {self.verdict}"


class Opinion(models.Model):
    class Kind(models.TextChoices):
        ADVICE = "advice", _("Advice")
        CONDITIONS = "conditions", _("Conditions")
        OBJECTION = "objection", _("Objection")

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="opinion")
    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="opinions")
    kind = models.CharField(_("kind of opinion"), max_length=16, choices=Kind)
    text = models.TextField(_("opinion"), max_length=20000)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Opinion on {self.submission}"
