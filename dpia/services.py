"""Writes. Each service is keyword-only, atomic, checks permission, and logs what it did."""

import hashlib
import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F

from dpia import policies, selectors
from dpia.engine.bank import QuestionBank
from dpia.models import AnswerRevision, Assessment, Evidence, LoginFailure, Organisation

security_log = logging.getLogger("dpia.security")
audit_log = logging.getLogger("dpia.audit")


class EditConflict(Exception):
    """Someone saved the same step after the revision this save started from."""

    def __init__(self, *, first: AnswerRevision, assessment: Assessment):
        self.first = first
        self.assessment = assessment
        super().__init__(f"step {first.step} was saved by {first.saved_by} at revision {first.number}")


@transaction.atomic
def login_failure_record(*, username: str, ip_address: str, now: datetime) -> None:
    LoginFailure.objects.create(username=username.casefold(), ip_address=ip_address, at=now)
    # %r keeps newlines typed into the username from forging log lines.
    security_log.warning("login failed username=%r ip=%s", username, ip_address)


@transaction.atomic
def login_failures_clear(*, username: str, ip_address: str) -> None:
    LoginFailure.objects.filter(username=username.casefold(), ip_address=ip_address).delete()
    security_log.info("login succeeded username=%r ip=%s", username, ip_address)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


@transaction.atomic
def assessment_create(*, user, organisation: Organisation, title: str, bank: QuestionBank) -> Assessment:
    _require(
        policies.can_create_assessment(selectors.roles_in(user, organisation.pk)),
        "only authors of the organisation may start an assessment",
    )
    assessment = Assessment.objects.create(
        organisation=organisation, title=title.strip()[:200], created_by=user, updated_by=user,
        bank_version=bank.version,
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
    from dpia.engine.answers import validate_answers

    errors = validate_answers(answers, bank)
    if errors:
        raise AnswersRejected(errors)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        _require(
            policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
            "you may not edit this assessment",
        )
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


def assessment_freeze_version(*, assessment: Assessment, user, bank: QuestionBank, language: str):
    """Seal the assessment as it stands into a new immutable version: re-check every section, run the
    engine, hash the canonical content (chained to the previous version), render the PDF once."""
    from django.utils import timezone

    from dpia.engine import assess
    from dpia.models import AssessmentVersion
    from dpia.reports.export import content_digest, sha256, version_content
    from dpia.reports.render import report_pdf
    from dpia.wizard import first_incomplete_step

    with transaction.atomic():
        locked = Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
        _require(
            policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
            "you may not freeze a version of this assessment",
        )
        step = first_incomplete_step(bank, locked)
        if step is not None:
            raise VersionRefused("some sections are incomplete", step=step)
        previous = locked.versions.order_by("-number").first()
        if previous is not None and previous.content.get("revision") == locked.revision:
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
