"""The workbench's data: organisations and their members (accounts), assessments and their records."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A body that takes part in assessments: a controller, a regulator or a civil-society group."""

    class Kind(models.TextChoices):
        PUBLIC_BODY = "public_body", _("Public body (city, region, public service)")
        COMPETENT_AUTHORITY = (
            "competent_authority",
            _("Police or other competent authority (LED Art. 3(7))"),
        )
        REGULATOR = "regulator", _("Data-protection authority")
        CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(
        _("country"), max_length=2, help_text=_("ISO 3166-1 two-letter code, for example FR.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation. A user may hold several roles."""

    class Role(models.TextChoices):
        AUTHOR = "author", _("Author")
        DPO = "dpo", _("Data protection officer")
        SIGNATORY = "signatory", _("Controller's signatory")
        REVIEWER = "reviewer", _("Reviewer")
        AUDITOR = "auditor", _("Auditor")
        ORG_ADMIN = "org_admin", _("Organisation administrator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"

    def clean(self) -> None:
        from dpia.policies import role_allowed_in

        if self.organisation_id and not role_allowed_in(self.role, self.organisation.kind):
            raise ValidationError(
                {"role": _("This role does not exist in an organisation of this kind.")}
            )


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

    class Meta:
        ordering = ["-updated_at"]
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
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question_id", "added_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


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

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="versions")
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
    kind = models.CharField(_("kind of opinion"), max_length=16, choices=Kind)
    text = models.TextField(_("opinion"), max_length=20000)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Opinion on {self.submission}"


class Publication(AppendOnlyModel):
    """The public, redacted derivative of a version, linked to the digest it was derived from."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.PROTECT, related_name="publications")
    content = models.JSONField()
    digest = models.CharField(max_length=64, unique=True)
    pdf = models.BinaryField()
    pdf_digest = models.CharField(max_length=64, db_index=True)
    source_digest = models.CharField(max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    # Register facets, copied from the content when published so that filtering needs no JSON queries.
    city = models.CharField(max_length=120, blank=True)
    technologies = models.JSONField(default=list)
    regimes = models.JSONField(default=list)
    verdict = models.CharField(max_length=32)
    shadow = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"Publication of {self.version}"


class Annotation(models.Model):
    """A civil-society note on a published assessment's answer or finding, with counter-evidence. Public,
    attributed to its organisation; the controller may reply."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="annotations")
    target = models.CharField(_("answer or finding"), max_length=160)
    text = models.TextField(_("note"), max_length=5000)
    evidence_url = models.URLField(_("counter-evidence (link)"), max_length=500, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("controller's reply"), max_length=5000, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    replied_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Annotation by {self.organisation} on {self.target}"
