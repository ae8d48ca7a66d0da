"""Publications in the public register, civil-society annotations and the controller's replies."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from dpia.models.accounts import Organisation
from dpia.models.versions import AppendOnlyModel, AssessmentVersion, SealedQuerySet


class Publication(AppendOnlyModel):
    """The public, redacted derivative of a version, linked to the digest it was derived from. Its PDF is
    rendered by a task (ReportRender); until then `pdf_digest` is empty."""

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
    # The organisation's name as sealed in the content: the register shows what the PDF and the JSON say, even after
    # the organisation is renamed.
    organisation_name = models.CharField(max_length=200, blank=True)

    objects = SealedQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="publication_published_at"),
            models.Index(fields=["verdict", "-published_at"], name="publication_verdict"),
            models.Index(Upper("city"), name="publication_city"),
        ]

    def __str__(self) -> str:
        return f"Publication of {self.version}"

    @property
    def sealed_organisation(self) -> str:
        """The organisation's name as this publication sealed it (its current name for a row that has none)."""
        return self.organisation_name or self.version.assessment.organisation.name


class PublicationWithdrawal(AppendOnlyModel):
    """A publication taken out of the public register when its assessment was withdrawn. Kept apart from the
    (immutable) publication, and never undone: publishing the assessment again publishes a new version, and
    what was withdrawn stays out."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    withdrawn_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Withdrawal of {self.publication}"


class SearchDocument(AppendOnlyModel):
    """The words a register search looks in, written once when a publication is made: title, organisation,
    city, description, purposes, technologies and findings, in English and French. Kept apart from the
    publication so that a search reads a narrow table, never the content or the PDF."""

    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="search_document")
    # Casefolded plain text: searched with PostgreSQL full-text search (a GIN index made by migration 0008),
    # or as a substring on other databases.
    text = models.TextField()

    def __str__(self) -> str:
        return f"Search document of {self.publication_id}"


class RegisterFacet(AppendOnlyModel):
    """One technology or regime of a publication, a row each, so that the register filters on them in the
    database, with an index, on every backend."""

    class Kind(models.TextChoices):
        TECHNOLOGY = "technology"
        REGIME = "regime"

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="facets")
    kind = models.CharField(max_length=16, choices=Kind)
    value = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["kind", "value", "publication"], name="register_facet_lookup")]
        constraints = [models.UniqueConstraint(fields=["publication", "kind", "value"], name="register_facet_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.value} of {self.publication_id}"


class Annotation(models.Model):
    """A civil-society note on a published assessment's answer or finding, with counter-evidence. Public,
    attributed to its organisation; the controller may reply (AnnotationReply)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="annotations")
    target = models.CharField(_("answer or finding"), max_length=160)
    text = models.TextField(_("note"), max_length=5000)
    evidence_url = models.URLField(_("counter-evidence (link)"), max_length=500, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Annotation by {self.organisation} on {self.target}"


class AnnotationReply(AppendOnlyModel):
    """The controller's public reply to an annotation. Append-only: a later reply adds to the record."""

    annotation = models.ForeignKey(Annotation, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField(_("controller's reply"), max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Reply to {self.annotation}"
