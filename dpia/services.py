"""Writes. Each service is keyword-only, atomic, checks permission, and logs what it did."""

import hashlib
import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dpia import policies, selectors
from dpia.deadlines import EXTENSION_DAYS, base_deadline
from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import QuestionBank
from dpia.models import (
    Annotation,
    AnswerRevision,
    Assessment,
    AssessmentVersion,
    AuditLogEntry,
    DpoAdvice,
    Evidence,
    InformationRequest,
    Opinion,
    Organisation,
    Publication,
    ReviewComment,
    SectionVerdict,
    Submission,
)
from dpia.notifications import notify
from dpia.reports.export import content_digest, sha256, version_content
from dpia.reports.render import report_pdf

audit_log = logging.getLogger("dpia.audit")


class EditConflict(Exception):
    """Someone saved the same step after the revision this save started from."""
    def __init__(self, *, first: AnswerRevision, assessment: Assessment):
        self.first = first
        self.assessment = assessment
        super().__init__(f"step {first.step} was saved by {first.saved_by} at revision {first.number}")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


class NotADraft(Exception):
    """Only drafts can be changed; a submitted or signed assessment must be revised first."""


def _require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise NotADraft(f"the assessment is {assessment.get_status_display().lower()}; revise it to change it")


@transaction.atomic
def assessment_create(*, user, organisation: Organisation, title: str, bank: QuestionBank,
                      shadow_of: str = "") -> Assessment:
    _require(
        policies.can_create_assessment(selectors.roles_in(user, organisation.pk)),
        "only authors of the organisation may start an assessment",
    )
    assessment = Assessment.objects.create(
        organisation=organisation, title=title.strip()[:200], created_by=user, updated_by=user,
        bank_version=bank.version,
        shadow_of=shadow_of.strip()[:200] if organisation.kind == Organisation.Kind.CIVIL_SOCIETY else "",
    )
    audit_log.info("assessment created id=%s org=%s by=%s", assessment.pk, organisation.pk, user.pk)
    return assessment


def merge_answers(current: Mapping[str, Any], step_answers: Mapping[str, Any]) -> dict[str, Any]:
    """Apply one step's answers to the draft. None clears an answer; a mapping (answers per
    processing stream) is merged stream by stream, so streams not shown keep their answers."""
    merged = dict(current)
    for question_id, value in step_answers.items():
        if isinstance(value, Mapping):
            per_item = dict(merged.get(question_id) or {}) if isinstance(merged.get(question_id), Mapping) else {}
            for key, item_value in value.items():
                if item_value is None:
                    per_item.pop(key, None)
                else:
                    per_item[key] = item_value
            if per_item:
                merged[question_id] = per_item
            else:
                merged.pop(question_id, None)
        elif value is None:
            merged.pop(question_id, None)
        else:
            merged[question_id] = value
    return merged


def _json_ready(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def assessment_save_step(
    *, assessment: Assessment, user, step: str, answers: Mapping[str, Any], base_revision: int
) -> Assessment:
    """Save one wizard step from the revision the user started from.

    If someone saved this same step after `base_revision`, nothing is written and EditConflict
    names who saved first. Saves of other steps in between do not conflict."""
    answers = _json_ready(answers)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require(
            policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
            "you may not edit this assessment",
        )
        _require_draft(locked)
        newer = (
            locked.revisions.filter(number__gt=base_revision, step=step)
            .select_related("saved_by").order_by("number").first()
        )
        if newer is not None:
            raise EditConflict(first=newer, assessment=locked)
        pending = {k: v for k, v in locked.pending_steps.items() if k != step}
        # The conditional update is the guard on databases without row locks (SQLite): if another
        # save slipped in since we read, no row matches and we look again for a conflict.
        updated = Assessment.objects.filter(pk=locked.pk, revision=locked.revision).update(
            answers=merge_answers(locked.answers, answers),
            pending_steps=pending,
            revision=F("revision") + 1,
            last_step=step,
            updated_by=user,
        )
        if not updated:
            raise EditConflict(
                first=locked.revisions.filter(step=step).order_by("-number").first()
                or locked.revisions.order_by("-number").first(),
                assessment=locked,
            )
        AnswerRevision.objects.create(
            assessment=locked, number=locked.revision + 1, step=step, answers=answers, saved_by=user
        )
    audit_log.info("assessment step saved id=%s step=%s rev=%s by=%s",
                   assessment.pk, step, locked.revision + 1, user.pk)
    return Assessment.objects.get(pk=assessment.pk)


class AnswersRejected(ValueError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def assessment_import_answers(*, assessment: Assessment, user, answers: Mapping[str, Any],
                              bank: QuestionBank) -> Assessment:
    """Replace a draft's answers with a checked answers file (demo cases, imports), as one revision."""
    errors = validate_answers(answers, bank)
    if errors:
        raise AnswersRejected(errors)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require(
            policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
            "you may not edit this assessment",
        )
        _require_draft(locked)
        locked.answers = _json_ready(dict(answers))
        locked.pending_steps = {}
        locked.revision += 1
        locked.updated_by = user
        locked.bank_version = bank.version
        locked.save()
        AnswerRevision.objects.create(assessment=locked, number=locked.revision, step="import",
                                      answers=locked.answers, saved_by=user)
    audit_log.info("assessment answers imported id=%s rev=%s by=%s", assessment.pk, locked.revision, user.pk)
    return locked


@transaction.atomic
def assessment_keep_pending(*, assessment: Assessment, user, step: str, data: Mapping[str, list[str]]) -> None:
    """Keep what was typed in a step that does not validate yet (on Back or Save and leave)."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require(
        policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
        "you may not edit this assessment",
    )
    _require_draft(locked)
    pending = dict(locked.pending_steps)
    pending[step] = {key: list(values) for key, values in data.items() if key != "csrfmiddlewaretoken"}
    Assessment.objects.filter(pk=locked.pk).update(pending_steps=pending, last_step=step)


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Accepted uploads: extension -> (content type, leading bytes that the file must start with).
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".csv": ("text/csv", ()),
    ".txt": ("text/plain", ()),
}


class EvidenceRejected(ValueError):
    pass


def evidence_file_check(upload: UploadedFile) -> str:
    """The content type of an acceptable upload; EvidenceRejected says why one is refused."""
    name = upload.name or ""
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EVIDENCE_TYPES:
        raise EvidenceRejected(f"files of type {extension or '(none)'} are not accepted")
    if upload.size > EVIDENCE_MAX_BYTES:
        raise EvidenceRejected("the file is larger than 10 MB")
    content_type, signatures = EVIDENCE_TYPES[extension]
    head = upload.read(16)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise EvidenceRejected("the file's content does not match its type")
    if not signatures and b"\x00" in upload.read(4096):
        raise EvidenceRejected("the file's content does not match its type")
    upload.seek(0)
    return content_type


@transaction.atomic
def evidence_add(
    *, assessment: Assessment, user, question_id: str, title: str, url: str = "",
    upload: UploadedFile | None = None, dated: date | None = None, note: str = "",
) -> Evidence:
    _require(
        policies.can_edit_drafts(selectors.roles_in(user, assessment.organisation_id)),
        "you may not edit this assessment",
    )
    _require_draft(assessment)
    content_type = evidence_file_check(upload) if upload else ""
    evidence = Evidence(
        assessment=assessment, question_id=question_id, title=title, url=url, dated=dated, note=note,
        added_by=user, content_type=content_type, size=upload.size if upload else 0,
    )
    if upload:
        evidence.file.save(upload.name.rsplit("/", 1)[-1][-100:], upload, save=False)
    evidence.save()
    audit_log.info("evidence added id=%s assessment=%s question=%s by=%s",
                   evidence.pk, assessment.pk, question_id, user.pk)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    _require(
        policies.can_edit_drafts(selectors.roles_in(user, evidence.assessment.organisation_id)),
        "you may not edit this assessment",
    )
    _require_draft(evidence.assessment)
    if evidence.file:
        evidence.file.delete(save=False)
    audit_log.info("evidence deleted id=%s by=%s", evidence.pk, user.pk)
    evidence.delete()


class VersionRefused(Exception):
    """A version cannot be frozen yet; `step` is the first section that needs work."""
    def __init__(self, message: str, *, step: str | None = None):
        self.step = step
        super().__init__(message)


def _evidence_record(item: Evidence) -> dict[str, Any]:
    record = {"question_id": item.question_id, "title": item.title, "url": item.url,
              "dated": item.dated.isoformat() if item.dated else None, "note": item.note}
    if item.file:
        with item.file.open("rb") as handle:
            record.update(file_name=item.file.name.rsplit("/", 1)[-1],
                          file_sha256=hashlib.sha256(handle.read()).hexdigest())
    return record


def assessment_freeze_version(*, assessment: Assessment, user, bank: QuestionBank, language: str,
                              workflow: dict | None = None, allowed_roles=policies.DRAFT_EDITORS,
                              require_complete: bool = True):
    """Seal the assessment as it stands into a new immutable version: re-check every section, run the
    engine, hash the canonical content (chained to the previous version), render the PDF once.
    A second call with nothing changed returns the existing version."""
    from dpia.wizard import first_incomplete_step  # the wizard imports services: import here, not at the top

    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
        _require(
            bool(allowed_roles & selectors.roles_in(user, locked.organisation_id)),
            "you may not freeze a version of this assessment",
        )
        step = first_incomplete_step(bank, locked) if require_complete else None
        if step is not None:
            raise VersionRefused("some sections are incomplete", step=step)
        previous = locked.versions.order_by("-number").first()
        if previous is not None and previous.content.get("revision") == locked.revision and \
                previous.content.get("workflow", {}) == (workflow or {}):
            return previous  # nothing changed since: a second click freezes nothing new
        now = timezone.now()
        evidence = list(locked.evidence.all())
        result = assess(locked.answers, bank, today=timezone.localdate(now),
                        evidence={e.question_id for e in evidence})
        content = version_content(
            assessment_title=locked.title, organisation=locked.organisation.name,
            number=(previous.number + 1) if previous else 1, revision=locked.revision,
            created_at=now.isoformat(timespec="seconds"),
            language=language, answers=locked.answers, result=result.to_dict(),
            evidence=[_evidence_record(e) for e in evidence], bank_version=bank.version,
            engine_version=result.engine_version, previous_digest=previous.digest if previous else "",
            workflow=workflow,
        )
        digest = content_digest(content)
        pdf = report_pdf(content, bank, digest=digest)
        version = AssessmentVersion.objects.create(
            assessment=locked, number=content["number"], content=content, digest=digest,
            previous_digest=content["previous_digest"], pdf=pdf, pdf_digest=sha256(pdf),
            created_by=user, created_at=now,
        )
    audit_log.info("version frozen assessment=%s number=%s digest=%s by=%s",
                   assessment.pk, version.number, digest, user.pk)
    return version


# ----------------------------------------------------------------------------------------------
# Workflow: every status change goes through policies.transition() and is written to the audit log.
# ----------------------------------------------------------------------------------------------


def audit(*, actor, action: str, assessment: Assessment | None = None, from_status: str = "", to_status: str = "",
          ip_address: str | None = None, **detail) -> None:
    AuditLogEntry.objects.create(
        actor=actor, organisation=assessment.organisation if assessment else None, assessment=assessment,
        action=action, from_status=from_status, to_status=to_status, ip_address=ip_address, detail=detail,
    )
    audit_log.info("%s assessment=%s %s->%s by=%s ip=%s", action, assessment.pk if assessment else "-",
                   from_status, to_status, actor.pk if actor else "-", ip_address)


def _move(*, assessment: Assessment, user, action: str, side: str | None = None, ip_address=None,
          roles_in=None, **detail) -> Assessment:
    """Apply one transition of the table to a locked assessment and log it."""
    side = side or policies.side_of(assessment.organisation.kind)
    roles = selectors.roles_in(user, roles_in if roles_in is not None else assessment.organisation_id)
    try:
        new_status = policies.transition(assessment.status, action, roles, side=side)
    except policies.InvalidTransition as exc:
        raise PermissionDenied(str(exc)) from exc
    old_status = assessment.status
    Assessment.objects.filter(pk=assessment.pk).update(status=new_status)
    assessment.status = new_status
    audit(actor=user, action=action, assessment=assessment, from_status=old_status, to_status=new_status,
          ip_address=ip_address, **detail)
    return assessment


def _notify_on_commit(event: str, **kwargs) -> None:
    """Send once the transaction holds: no email for a change that was rolled back."""
    transaction.on_commit(lambda: notify(event, **kwargs))


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)


def assessment_request_dpo_advice(*, assessment: Assessment, user, bank: QuestionBank, language: str,
                                  ip_address=None) -> Assessment:
    """Freeze the version the DPO will advise on, and hand it over."""
    version = assessment_freeze_version(assessment=assessment, user=user, bank=bank, language=language)
    with transaction.atomic():
        moved = _move(assessment=_lock(assessment), user=user, action="request_dpo_advice", ip_address=ip_address,
                      version=version.number)
        _notify_on_commit("dpo_advice_requested", organisation=moved.organisation, roles=[policies.Role.DPO],
                          assessment=moved, version=version.number)
        return moved


@transaction.atomic
def dpo_advice_give(*, assessment: Assessment, user, advice: str, ip_address=None):
    locked = _lock(assessment)
    version = locked.versions.order_by("-number").first()
    _move(assessment=locked, user=user, action="give_dpo_advice", ip_address=ip_address,
          version=version.number if version else None)  # no version: _move refuses, not a crash
    _notify_on_commit("dpo_advice_given", organisation=locked.organisation,
                      roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=locked)
    return DpoAdvice.objects.create(version=version, dpo=user, advice=advice.strip())


@transaction.atomic
def dpo_advice_decide(*, assessment: Assessment, user, decision: str, reasons: str, ip_address=None):
    """The controller records whether the DPO's advice is followed; departing from it needs reasons."""
    locked = _lock(assessment)
    _require(policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)) or
             bool(policies.SIGNERS & selectors.roles_in(user, locked.organisation_id)),
             "you may not record the controller's decision")
    if locked.status != Assessment.Status.READY_TO_SIGN:
        raise PermissionDenied("the DPO's advice can only be answered before signing")
    if decision != DpoAdvice.Decision.FOLLOWED and not reasons.strip():
        raise ValueError("departing from the DPO's advice requires reasons")
    advice = DpoAdvice.objects.filter(version__assessment=locked).order_by("-given_at").first()
    DpoAdvice.objects.filter(pk=advice.pk).update(decision=decision, decision_reasons=reasons.strip(),
                                                  decided_by=user, decided_at=timezone.now())
    audit(actor=user, action="record_dpo_decision", assessment=locked, ip_address=ip_address, decision=decision)
    advice.refresh_from_db()
    return advice


def assessment_sign(*, assessment: Assessment, user, bank: QuestionBank, language: str, ip_address=None):
    """Seal the version that is signed: its content carries the DPO's advice and the decision on it."""
    advice = DpoAdvice.objects.filter(version__assessment=assessment).order_by("-given_at").first()
    if advice is None or not advice.decision:
        raise PermissionDenied("record whether the DPO's advice is followed before signing")
    if not (policies.SIGNERS & selectors.roles_in(user, assessment.organisation_id)):
        raise PermissionDenied("only the controller's signatory may sign")
    workflow = {
        "dpo_advice": {"advice": advice.advice, "dpo": advice.dpo.get_full_name() or advice.dpo.get_username(),
                       "given_at": advice.given_at.isoformat(timespec="seconds"),
                       "on_version": advice.version.number, "decision": advice.decision,
                       "reasons": advice.decision_reasons},
        "signed_by": user.get_full_name() or user.get_username(),
    }
    version = assessment_freeze_version(assessment=assessment, user=user, bank=bank, language=language,
                                        workflow=workflow, allowed_roles=policies.SIGNERS)
    with transaction.atomic():
        _move(assessment=_lock(assessment), user=user, action="sign", ip_address=ip_address, version=version.number,
              digest=version.digest)
    return version


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user, regulator: Organisation, today, ip_address=None):
    """Send the signed version to a regulator; when prior consultation is required, start the clock."""
    if regulator.kind != Organisation.Kind.REGULATOR:
        raise PermissionDenied("submissions go to a data-protection authority")
    locked = _lock(assessment)
    version = locked.versions.order_by("-number").first()
    consultation = version.content["result"]["consultation"]
    _move(assessment=locked, user=user, action="submit", ip_address=ip_address, version=version.number,
          regulator=regulator.pk)
    # Resubmitting answers the regulator's open information requests: their clocks resume.

    InformationRequest.objects.filter(submission__version__assessment=locked, answered_at__isnull=True).update(
        answered_at=timezone.now())
    _notify_on_commit("submission_received", organisation=regulator, roles=[policies.Role.REVIEWER],
                      assessment=locked)
    return Submission.objects.create(
        version=version, regulator=regulator, submitted_by=user, submitted_at=timezone.now(),
        prior_consultation=consultation["required"], regime=consultation.get("regime") or "",
        deadline=base_deadline(today, consultation["regulator_weeks"]) if consultation["required"] else None,
    )


def _review_move(*, submission, user, action: str, ip_address=None, **detail) -> Assessment:
    locked = _lock(submission.version.assessment)
    return _move(assessment=locked, user=user, action=action, side="regulator", ip_address=ip_address,
                 roles_in=submission.regulator_id, submission=submission.pk, **detail)


@transaction.atomic
def review_start(*, submission, user, ip_address=None) -> Assessment:
    return _review_move(submission=submission, user=user, action="start_review", ip_address=ip_address)


def _require_reviewer(submission, user) -> None:
    _require(policies.Role.REVIEWER in selectors.roles_in(user, submission.regulator_id),
             "only the regulator's reviewers may do this")


@transaction.atomic
def review_comment(*, submission, user, question_id: str, text: str):
    _require_reviewer(submission, user)
    comment = ReviewComment.objects.create(submission=submission, question_id=question_id, text=text.strip(),
                                           author=user)
    assessment = submission.version.assessment
    _notify_on_commit("comment", organisation=assessment.organisation, roles=[policies.Role.AUTHOR],
                      assessment=assessment)
    audit(actor=user, action="review_comment", assessment=submission.version.assessment, question=question_id)
    return comment


@transaction.atomic
def review_section_verdict(*, submission, user, section: str, verdict: str):
    _require_reviewer(submission, user)
    record, _ = SectionVerdict.objects.update_or_create(
        submission=submission, section=section, defaults={"verdict": verdict, "reviewer": user})
    audit(actor=user, action="section_verdict", assessment=submission.version.assessment, section=section,
          verdict=verdict)
    return record


@transaction.atomic
def review_request_information(*, submission, user, text: str, ip_address=None):
    moved = _review_move(submission=submission, user=user, action="request_information", ip_address=ip_address)
    _notify_on_commit("information_requested", organisation=moved.organisation,
                      roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=moved)
    return InformationRequest.objects.create(submission=submission, text=text.strip(), requested_by=user,
                                             requested_at=timezone.now())


@transaction.atomic
def review_issue_opinion(*, submission, user, kind: str, text: str, ip_address=None):
    moved = _review_move(submission=submission, user=user, action="issue_opinion", ip_address=ip_address, kind=kind)
    _notify_on_commit("opinion_issued", organisation=moved.organisation,
                      roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=moved)
    now = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(closed_at=now)
    return Opinion.objects.create(submission=submission, kind=kind, text=text.strip(), issued_by=user,
                                  issued_at=now)


@transaction.atomic
def assessment_revise(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    return _move(assessment=_lock(assessment), user=user, action="revise", ip_address=ip_address)


REDACTED = "[redacted]"


def redact(content: dict, bank: QuestionBank) -> dict:
    """The public derivative of a version: answers marked sensitive (and evidence attached to them)
    replaced by a visible mark."""
    import copy

    public = copy.deepcopy(content)
    for question_id, value in content["answers"].items():
        question = bank.questions.get(question_id)
        if question is None:
            continue
        if question.sensitive:
            public["answers"][question_id] = ({k: REDACTED for k in value} if isinstance(value, dict)
                                              else REDACTED)
        elif question.type == "items" and isinstance(value, list):
            sensitive = {f.id for f in question.fields if f.sensitive}
            public["answers"][question_id] = [{k: (REDACTED if k in sensitive else v) for k, v in item.items()}
                                              for item in value]
    hidden = {qid for qid, q in bank.questions.items() if q.sensitive}
    public["evidence"] = [e if e["question_id"] not in hidden else {"question_id": e["question_id"], "title": REDACTED}
                          for e in content.get("evidence", [])]
    return public


def assessment_publish(*, assessment: Assessment, user, bank: QuestionBank, ip_address=None,
                       action: str = "publish", version=None):
    """Publish the latest signed version as a redacted derivative, linked to the digest it comes from."""
    version = version or assessment.versions.order_by("-number").first()
    if version is None:
        raise PermissionDenied("there is no version to publish")
    public = redact(version.content, bank)
    public["published_from"] = version.digest
    digest = content_digest(public)
    pdf = report_pdf(public, bank, digest=digest)
    with transaction.atomic():
        locked = _lock(assessment)
        _move(assessment=locked, user=user, action=action, ip_address=ip_address, version=version.number,
              digest=digest, source_digest=version.digest)
        existing = Publication.objects.filter(digest=digest).first()
        if existing:
            return existing
        return Publication.objects.create(
            version=version, content=public, digest=digest, pdf=pdf, pdf_digest=sha256(pdf),
            source_digest=version.digest, published_by=user, published_at=timezone.now(),
            city=locked.organisation.city, technologies=public["answers"].get("project.technologies") or [],
            regimes=sorted({r["regime"] for r in public["result"]["regimes"]}),
            verdict=public["result"]["verdict"]["outcome"],
            shadow=locked.organisation.kind == Organisation.Kind.CIVIL_SOCIETY,
        )


@transaction.atomic
def assessment_withdraw(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    return _move(assessment=_lock(assessment), user=user, action="withdraw", ip_address=ip_address)


def shadow_publish(*, assessment: Assessment, user, bank: QuestionBank, language: str, ip_address=None):
    """A civil society publishes its independent assessment of a named project, built from public facts.
    No DPO or signature: it is labelled as a shadow assessment in the register."""
    if assessment.organisation.kind != Organisation.Kind.CIVIL_SOCIETY or not assessment.shadow_of:
        raise PermissionDenied("only a civil society's shadow assessment of a named project is published this way")
    version = assessment_freeze_version(assessment=assessment, user=user, bank=bank, language=language,
                                        workflow={"shadow_of": assessment.shadow_of}, require_complete=False)
    return assessment_publish(assessment=assessment, user=user, bank=bank, ip_address=ip_address,
                              action="publish_shadow", version=version)


@transaction.atomic
def shadow_withdraw(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    return _move(assessment=_lock(assessment), user=user, action="withdraw_shadow", ip_address=ip_address)


@transaction.atomic
def review_extend_deadline(*, submission, user, ip_address=None):
    """The authority extends its time limit once: by six weeks (GDPR Art. 36(2)) or a month (LED Art. 28(5))."""
    if submission.extended_days:
        raise ValueError("the time limit was already extended")
    _review_move(submission=submission, user=user, action="extend_deadline", ip_address=ip_address)
    Submission.objects.filter(pk=submission.pk).update(extended_days=EXTENSION_DAYS.get(submission.regime, 0))


@transaction.atomic
def annotation_add(*, publication, user, organisation: Organisation, target: str, text: str, evidence_url: str = ""):
    _require(organisation.kind == Organisation.Kind.CIVIL_SOCIETY and
             policies.Role.AUDITOR in selectors.roles_in(user, organisation.pk),
             "only civil-society auditors annotate published assessments")
    annotation = Annotation.objects.create(publication=publication, target=target, text=text.strip(),
                                           evidence_url=evidence_url, organisation=organisation, author=user)
    audit(actor=user, action="annotate", assessment=publication.version.assessment, target=target)
    return annotation


@transaction.atomic
def annotation_reply(*, annotation, user, text: str):
    assessment = annotation.publication.version.assessment
    controller_roles = policies.CONTROLLER_EDITORS | policies.SIGNERS
    _require(bool(controller_roles & selectors.roles_in(user, assessment.organisation_id)),
             "only the controller replies to annotations")
    Annotation.objects.filter(pk=annotation.pk).update(reply=text.strip(), replied_by=user, replied_at=timezone.now())
    audit(actor=user, action="reply_annotation", assessment=assessment, annotation=annotation.pk)
