"""Publication in the public register (redacted), withdrawal, shadow assessments, annotations and replies."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dpia import policies, selectors
from dpia.engine.bank import QuestionBank
from dpia.models import (
    Annotation,
    AnnotationReply,
    Assessment,
    AssessmentVersion,
    Organisation,
    Publication,
    PublicationWithdrawal,
    RegisterFacet,
    SearchDocument,
)
from dpia.reports.export import content_digest
from dpia.reports.redaction import REDACTED, redact  # noqa: F401 (REDACTED: part of the services API)
from dpia.services.common import audit, lock, require
from dpia.services.versions import report_render_start, seal_version
from dpia.services.workflow import (
    check_transition,
    close_open_submissions,
    decided_advice,
    move,
    signed_version,
)

SEARCHED_ANSWERS = ("project.name", "project.summary", "project.purposes", "project.technologies_other")
LANGUAGES = ("en", "fr")


def search_text(content: dict, bank: QuestionBank, *, title: str, organisation: str, city: str) -> str:
    """The words a register search finds a publication by, casefolded: its title, organisation and city, the
    project's description and purposes, its technologies and its findings, in English and French (the words of
    the bank). Redacted answers add nothing."""
    answers = content.get("answers") or {}
    parts = [title, organisation, city]
    parts += [answers[qid] for qid in SEARCHED_ANSWERS
              if isinstance(answers.get(qid), str) and answers[qid] != REDACTED]
    technologies = answers.get("project.technologies")
    if isinstance(technologies, list) and "project.technologies" in bank.questions:
        question = bank.question("project.technologies")
        parts += [question.choice_label(value, language) for value in technologies for language in LANGUAGES]
    for finding in (content.get("result") or {}).get("findings") or []:
        parts += [text for text in (finding.get("title") or {}).values() if isinstance(text, str)]
    return "\n".join(part for part in parts if part).casefold()


def register_index(*, publication: Publication, bank: QuestionBank) -> None:
    """Write what the register searches and filters a new publication by: its search document, and one facet row
    per technology and regime."""
    assessment = publication.version.assessment
    SearchDocument.objects.create(publication=publication, text=search_text(
        publication.content, bank, title=publication.version.sealed_title, organisation=assessment.organisation.name,
        city=publication.city))
    facets = {(RegisterFacet.Kind.TECHNOLOGY, value) for value in publication.technologies}
    facets |= {(RegisterFacet.Kind.REGIME, value) for value in publication.regimes}
    RegisterFacet.objects.bulk_create([RegisterFacet(publication=publication, kind=kind, value=value[:100])
                                       for kind, value in sorted(facets)])


def _publication_create(*, locked: Assessment, version: AssessmentVersion, user, bank: QuestionBank,
                        action: str, ip_address=None) -> Publication:
    """Derive the redacted publication of `version`, queue its PDF, and move the assessment to published.
    Callers have checked permission and status."""
    now = timezone.now()
    public = redact(version.content, bank)
    public["published_from"] = version.digest
    # Each act of publication is its own record: publishing the same version again after a withdrawal (which is for
    # good) makes a new publication, sealed with its own time, rather than finding the withdrawn one.
    public["published_at"] = now.isoformat(timespec="microseconds")
    digest = content_digest(public)
    move(assessment=locked, user=user, action=action, ip_address=ip_address, version=version.number,
         digest=digest, source_digest=version.digest)
    close_open_submissions(locked, now=now)
    existing = Publication.objects.filter(digest=digest).first()
    if existing:
        return existing
    publication = Publication.objects.create(
        version=version, content=public, digest=digest, pdf=b"", pdf_digest="",
        source_digest=version.digest, published_by=user, published_at=now,
        city=locked.organisation.city, technologies=public["answers"].get("project.technologies") or [],
        regimes=sorted({r["regime"] for r in public["result"]["regimes"]}),
        verdict=public["result"]["verdict"]["outcome"],
        shadow=locked.organisation.kind == Organisation.Kind.CIVIL_SOCIETY,
        organisation_name=(public.get("assessment", {}).get("organisation") or locked.organisation.name)[:200],
    )
    report_render_start(publication)
    register_index(publication=publication, bank=bank)
    return publication


def publishable_version(locked: Assessment) -> AssessmentVersion:
    """The signed version, which is published; PermissionDenied, in the reader's language, when there is none or the
    authority's opinion is on another version."""
    version = signed_version(locked)
    submission = selectors.current_submission(locked)
    if locked.status == Assessment.Status.OPINION_ISSUED and (submission is None or submission.version != version):
        raise PermissionDenied(gettext("The authority gave its opinion on another version than the signed one: "
                                       "the signed version cannot be published."))
    return version


@transaction.atomic
def assessment_publish(*, assessment: Assessment, user, bank: QuestionBank, ip_address=None) -> Publication:
    """Publish the signed version (the one submitted, when the regulator was consulted) as a redacted
    derivative, linked to the digest it comes from."""
    locked = lock(assessment)
    check_transition(assessment=locked, user=user, action="publish")
    version = publishable_version(locked)
    return _publication_create(locked=locked, version=version, user=user, bank=bank, action="publish",
                               ip_address=ip_address)


def _withdraw_publications(assessment: Assessment, user) -> None:
    """Every publication of the assessment leaves the register for good (a later publication is a new one)."""
    now = timezone.now()
    PublicationWithdrawal.objects.bulk_create([
        PublicationWithdrawal(publication=publication, withdrawn_by=user, withdrawn_at=now)
        for publication in Publication.objects.filter(version__assessment=assessment, withdrawal__isnull=True)])


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    moved = move(assessment=lock(assessment), user=user, action="withdraw", ip_address=ip_address)
    _withdraw_publications(moved, user)
    return moved


def require_shadow(assessment: Assessment) -> None:
    """PermissionDenied unless the assessment is a civil society's shadow assessment. Checked first, so that an
    ordinary assessment is told it is not one rather than refused as "this shadow assessment"."""
    require(assessment.organisation.kind == Organisation.Kind.CIVIL_SOCIETY,
            gettext("This assessment is not a shadow assessment: only a civil-society organisation's own assessment "
                    "of someone else's project is published or withdrawn this way."))


def require_named_project(assessment: Assessment) -> None:
    """A shadow assessment is published as the assessment of a project it names."""
    require(bool(assessment.shadow_of), gettext("Only a civil-society organisation's shadow assessment of a named "
                                                "project is published this way."))


@transaction.atomic
def shadow_publish(*, assessment: Assessment, user, bank: QuestionBank, language: str, ip_address=None):
    """A civil society publishes its independent assessment of a named project, built from public facts.
    No DPO or signature: it is labelled as a shadow assessment in the register."""
    locked = lock(assessment)
    require_shadow(locked)
    check_transition(assessment=locked, user=user, action="publish_shadow")
    require_named_project(locked)
    version = seal_version(locked=locked, user=user, bank=bank, language=language,
                           workflow={"shadow_of": locked.shadow_of}, require_complete=False)
    return _publication_create(locked=locked, version=version, user=user, bank=bank, action="publish_shadow",
                               ip_address=ip_address)


@transaction.atomic
def shadow_withdraw(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    locked = lock(assessment)
    require_shadow(locked)
    moved = move(assessment=locked, user=user, action="withdraw_shadow", ip_address=ip_address)
    _withdraw_publications(moved, user)
    return moved


def check_confirmation(*, assessment: Assessment, user, action: str) -> None:
    """Before the page that confirms signing, publishing or revising a published assessment (`action`):
    PermissionDenied when this user may never take the action on this assessment, whatever its status; ValueError,
    in the reader's language, when they may but not now, saying why. Runs the checks of the service the page leads
    to; writes nothing."""
    side = policies.side_of(assessment.organisation.kind)
    roles = selectors.roles_in(user, assessment.organisation_id)
    if not any(action in policies.actions_available(status, roles, side=side) for status in Assessment.Status.values):
        raise PermissionDenied
    try:
        check_transition(assessment=assessment, user=user, action=action)
        if action == "sign":
            decided_advice(assessment)
        elif action == "publish":
            publishable_version(assessment)
        elif action == "publish_shadow":  # only a civil society's own assessments reach here
            require_named_project(assessment)
    except PermissionDenied as refused:
        raise ValueError(str(refused)) from refused


@transaction.atomic
def annotation_add(*, publication, user, organisation: Organisation, target: str, text: str, evidence_url: str = ""):
    require(organisation.kind == Organisation.Kind.CIVIL_SOCIETY and
            policies.Role.AUDITOR in selectors.roles_in(user, organisation.pk),
            gettext("Only civil-society auditors may annotate published assessments."))
    annotation = Annotation.objects.create(publication=publication, target=target, text=text.strip(),
                                           evidence_url=evidence_url, organisation=organisation, author=user)
    audit(actor=user, action="annotate", assessment=publication.version.assessment, target=target)
    return annotation


def check_annotation_reply(*, annotation, user) -> None:
    """PermissionDenied, in the reader's language, unless this user may answer the note in the controller's name.
    Writes nothing: a page checks it before reading what was typed."""
    roles = selectors.roles_in(user, annotation.publication.version.assessment.organisation_id)
    require(policies.speaks_for_controller(roles),
            gettext("Only the controller's authors, signatories and administrators may reply to civil-society "
                    "notes."))


@transaction.atomic
def annotation_reply(*, annotation, user, text: str) -> AnnotationReply:
    """Add the controller's public reply. Replies are append-only: a later one adds to, never replaces, the record."""
    assessment = annotation.publication.version.assessment
    check_annotation_reply(annotation=annotation, user=user)
    reply = AnnotationReply.objects.create(annotation=annotation, text=text.strip(), author=user,
                                           created_at=timezone.now())
    audit(actor=user, action="reply_annotation", assessment=assessment, annotation=annotation.pk, reply=reply.pk)
    return reply
