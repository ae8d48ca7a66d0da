"""Writes to drafts: creating, saving wizard steps (merged answer by answer with others' saves), imports, and
evidence."""

import copy
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from dpia import policies, selectors
from dpia.engine.answers import validate_answers
from dpia.engine.bank import QuestionBank
from dpia.fields import shows_nothing
from dpia.models import AnswerRevision, Assessment, Evidence, Organisation
from dpia.services.common import audit, audit_log, lock, require, require_draft, require_editor


class EditConflict(Exception):
    """Someone else changed, after the revision this save started from, answers that this save changes too.

    `conflicts` lists them as (question id, item key or None, their value, my value); `mine` is the draft with
    every change of this save applied over theirs, for the person to decide and save again."""
    def __init__(self, *, first: AnswerRevision, assessment: Assessment, conflicts=(), mine=None):
        self.first = first
        self.assessment = assessment
        self.conflicts = list(conflicts)
        self.mine = mine if mine is not None else assessment.answers
        super().__init__(f"step {first.step} was saved by {first.saved_by} at revision {first.number}")


class KeptInputConflict(Exception):
    """Someone kept unsaved input in this step after the page that posts was made (the page did not show it):
    nothing is written, so that their input is not replaced unseen. `kept` is the digest of their input: a page
    made again with it replaces it deliberately."""

    def __init__(self, *, step: str, kept: str):
        self.step, self.kept = step, kept
        super().__init__(f"step {step} has input kept since the page was made")


def kept_digest(data: Mapping[str, list[str]] | None) -> str:
    """A short fingerprint of the input kept unsaved in a step ("" for none), which its page carries (the step form's
    `kept` field) so that a save or a keep can tell whether the page showed it."""
    if not data:
        return ""
    fields = {key: list(values) for key, values in data.items()
              if not key.endswith("-kept") and key != "csrfmiddlewaretoken"}
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:32]


def _require_kept_seen(locked: Assessment, step: str, kept: str | None) -> None:
    """KeptInputConflict when the step holds kept input other than the one the posting page was made with.
    `kept` None: the caller is not a page (imports, tests of the service), nothing to compare."""
    if kept is None or step not in locked.pending_steps:
        return
    current = kept_digest(locked.pending_steps[step])
    if current != kept:
        raise KeptInputConflict(step=step, kept=current)


@transaction.atomic
def assessment_create(*, user, organisation: Organisation, title: str, bank: QuestionBank,
                      shadow_of: str = "") -> Assessment:
    require(
        policies.can_create_assessment(selectors.roles_in(user, organisation.pk)),
        gettext("Only the organisation's authors may start an assessment."),
    )
    assessment = Assessment.objects.create(
        organisation=organisation, title=title.strip()[:200], created_by=user, updated_by=user,
        bank_version=bank.version,
        shadow_of=shadow_of.strip()[:200] if organisation.kind == Organisation.Kind.CIVIL_SOCIETY else "",
    )
    audit_log.info("assessment created id=%s org=%s by=%s", assessment.pk, organisation.pk, user.pk)
    return assessment


@transaction.atomic
def assessment_rename(*, assessment: Assessment, user, title: str, shadow_of: str | None = None) -> Assessment:
    """Give a draft a new name; versions already sealed keep the name they were sealed with. For a civil
    society's shadow assessment, `shadow_of` (when given) names the project it assesses, as at creation."""
    locked = lock(assessment)
    require(policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
            gettext("You may not rename this assessment."))
    require_draft(locked)
    title = title.strip()
    if not title or shows_nothing(title) or len(title) > Assessment._meta.get_field("title").max_length:
        raise ValueError(gettext("Give the assessment a name of 1 to 200 characters."))
    changed = {"title": title}
    detail = {"old_title": locked.title, "new_title": title}
    if shadow_of is not None and locked.organisation.kind == Organisation.Kind.CIVIL_SOCIETY:
        shadow_of = shadow_of.strip()
        if not shadow_of or shows_nothing(shadow_of) or \
                len(shadow_of) > Assessment._meta.get_field("shadow_of").max_length:
            raise ValueError(gettext("Name the project you assess, and the body that runs it, in 1 to 200 "
                                     "characters."))
        if shadow_of != locked.shadow_of:
            changed["shadow_of"] = shadow_of
            detail.update(old_shadow_of=locked.shadow_of, new_shadow_of=shadow_of)
    Assessment.objects.filter(pk=locked.pk).update(**changed, updated_by=user, updated_at=timezone.now())
    audit(actor=user, action="rename_draft", assessment=locked, **detail)
    for name, value in changed.items():
        setattr(locked, name, value)
    return locked


class DeletionRefused(PermissionDenied):
    """An assessment that went beyond the controller (submitted or published) stays on record."""


@transaction.atomic
def assessment_delete_draft(*, assessment: Assessment, user, ip_address=None) -> Assessment:
    """Delete a draft: it leaves every list and page, but the row stays, so that the audit log keeps it.
    A draft that was ever submitted or published is part of someone else's record and cannot be deleted."""
    locked = lock(assessment)
    require(policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
            "you may not delete this assessment")
    if locked.deleted_at is not None:
        raise DeletionRefused("this draft was already deleted")
    if not selectors.draft_deletable(locked):
        raise DeletionRefused("only a draft never submitted nor published can be deleted; this one stays on record")
    now = timezone.now()
    Assessment.objects.filter(pk=locked.pk).update(deleted_at=now, deleted_by=user)
    audit(actor=user, action="delete_draft", assessment=locked, ip_address=ip_address, title=locked.title)
    locked.deleted_at, locked.deleted_by = now, user
    return locked


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
    if value is None or type(value) in (str, int, float, bool):  # most answers, returned as they are
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


Field = tuple[str, str | None]  # (question id, item key of a per-item answer or None)


def _fields(answers: Mapping[str, Any]) -> dict[Field, Any]:
    """Answers one per field: an answer asked per processing stream is one field per stream."""
    flat: dict[Field, Any] = {}
    for question_id, value in answers.items():
        if isinstance(value, Mapping):
            flat.update({(question_id, key): item_value for key, item_value in value.items()})
        else:
            flat[(question_id, None)] = value
    return flat


def _value(answers: Mapping[str, Any], field: Field) -> Any:
    question_id, key = field
    value = answers.get(question_id)
    if key is None:
        return value
    return value.get(key) if isinstance(value, Mapping) else None


def _unflatten(fields: Mapping[Field, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for (question_id, key), value in fields.items():
        if key is None:
            answers[question_id] = value
        else:
            answers.setdefault(question_id, {})[key] = value
    return answers


def _answers_at(assessment: Assessment, revision: int) -> dict[str, Any]:
    """The draft's answers as they stood at `revision`, replayed from the saved steps."""
    answers: dict[str, Any] = {}
    for saved in assessment.revisions.filter(number__lte=revision).order_by("number"):
        answers = dict(saved.answers) if saved.step == "import" else merge_answers(answers, saved.answers)
    return answers


def _merge_step(locked: Assessment, answers: dict[str, Any], base_revision: int) -> dict[str, Any]:
    """The changes this save makes, merged field by field with what others saved since `base_revision`:
    a field only they changed keeps their value; a field only this save changed takes it; a field both
    changed, differently, is a conflict (EditConflict, nothing written)."""
    if base_revision >= locked.revision:
        return answers  # nobody saved since: no saved step is numbered above the draft's revision
    newer = list(locked.revisions.filter(number__gt=base_revision).select_related("saved_by").order_by("number"))
    if not newer:
        return answers
    base = _answers_at(locked, base_revision)
    touched_by: dict[Field, AnswerRevision] = {}
    for saved in newer:
        for field in _fields(saved.answers) if saved.step != "import" else _fields(locked.answers) | _fields(base):
            touched_by[field] = saved
    changes: dict[Field, Any] = {}
    conflicts, first = [], None
    for field, mine in _fields(answers).items():
        theirs, before = _value(locked.answers, field), _value(base, field)
        they_changed = field in touched_by and theirs != before
        if not they_changed or mine == theirs:
            changes[field] = mine
        elif mine != before:
            conflicts.append((field[0], field[1], theirs, mine))
            first = first or touched_by[field]
    if conflicts:
        mine_over_theirs = merge_answers(locked.answers, _unflatten(
            {**changes, **{(qid, key): mine for qid, key, _, mine in conflicts}}))
        raise EditConflict(first=first, assessment=locked, conflicts=conflicts, mine=mine_over_theirs)
    return _unflatten(changes)


def assessment_save_step(
    *, assessment: Assessment, user, step: str, answers: Mapping[str, Any], base_revision: int,
    kept: str | None = None,
) -> Assessment:
    """Save one wizard step from the revision the user started from.

    Changes others saved since `base_revision` are kept; only answers both changed, differently, stop the
    save (EditConflict, which says which and who saved first). Input someone kept unsaved in this step since the
    page was made (`kept`: the digest the page carries) is not replaced unseen (KeptInputConflict). `assessment` is
    the draft as the caller read it from the database, unchanged since."""
    answers = _json_ready(answers)
    with transaction.atomic():
        saved = _save_step_as_read(assessment, user, step, answers, base_revision)
        if saved is None:
            saved = _save_step_locked(assessment, user, step, answers, base_revision, kept)
    audit_log.info("assessment step saved id=%s step=%s rev=%s by=%s",
                   assessment.pk, step, saved.revision, user.pk)
    return saved


def _save_step_as_read(assessment: Assessment, user, step: str, answers: dict[str, Any],
                       base_revision: int) -> Assessment | None:
    """The save when nobody wrote the draft since the caller read it at `base_revision` (nearly every save): one
    UPDATE whose conditions are everything _save_step_locked would check on the locked row (the revision, the
    permission, a draft not deleted, no input kept pending for this step) plus the time of the last write, so it
    writes exactly what _save_step_locked would, from the answers as read, and the revision row; None, with nothing
    written, when any condition fails, and the save is then made from the locked row."""
    if (base_revision != assessment.revision or step in assessment.pending_steps
            or assessment.status != Assessment.Status.DRAFT or assessment.deleted_at is not None):
        return None
    saved = {"answers": merge_answers(assessment.answers, answers), "last_step": step, "updated_by": user,
             "updated_at": timezone.now()}  # update() skips auto_now: "Last saved" must move with every save
    updated = (Assessment.objects
               .filter(selectors.holds_role_in_row(user, policies.DRAFT_EDITORS, Assessment), pk=assessment.pk,
                       revision=base_revision, updated_at=assessment.updated_at, status=Assessment.Status.DRAFT,
                       deleted_at__isnull=True)
               .exclude(pending_steps__has_key=step)
               .update(revision=F("revision") + 1, **saved))
    if not updated:
        return None
    AnswerRevision.objects.create(assessment_id=assessment.pk, number=base_revision + 1, step=step, answers=answers,
                                  saved_by=user)
    # The row as the update left it (it held what the caller read), without reading it again.
    row = copy.copy(assessment)
    for name, value in saved.items():
        setattr(row, name, value)
    row.revision = base_revision + 1
    return row


def _save_step_locked(assessment: Assessment, user, step: str, answers: dict[str, Any],
                      base_revision: int, kept: str | None = None) -> Assessment:
    """The save from the locked row: merged with what others saved since `base_revision`."""
    # The row lock and the permission in one query.
    locked = Assessment.objects.select_for_update().annotate(
        may_edit=selectors.holds_role(user, policies.DRAFT_EDITORS)).get(pk=assessment.pk)
    require(locked.may_edit, gettext("You may not edit this assessment."))
    require_draft(locked)
    _require_kept_seen(locked, step, kept)
    changes = _merge_step(locked, answers, base_revision)
    saved = {"answers": merge_answers(locked.answers, changes),
             "pending_steps": {k: v for k, v in locked.pending_steps.items() if k != step},
             "last_step": step, "updated_by": user,
             "updated_at": timezone.now()}  # update() skips auto_now: "Last saved" must move with every save
    # The conditional update is the guard on databases without row locks (SQLite): if another
    # save slipped in since we read, no row matches and the person saves again from the new revision.
    updated = Assessment.objects.filter(pk=locked.pk, revision=locked.revision).update(
        revision=F("revision") + 1, **saved)
    if not updated:
        latest = Assessment.objects.get(pk=locked.pk)
        raise EditConflict(first=latest.revisions.order_by("-number").first(), assessment=latest,
                           mine=merge_answers(latest.answers, changes))
    AnswerRevision.objects.create(
        assessment=locked, number=locked.revision + 1, step=step, answers=changes, saved_by=user
    )
    # The row as the update left it, without reading it again.
    for name, value in saved.items():
        setattr(locked, name, value)
    locked.revision += 1
    return locked


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
        require_editor(user, locked.organisation_id)
        require_draft(locked)
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
def assessment_keep_pending(*, assessment: Assessment, user, step: str, data: Mapping[str, list[str]],
                            kept: str | None = None) -> None:
    """Keep what was typed in a step that does not validate yet (on Back or Save and leave). Input someone else
    kept in this step since the page was made (`kept`, as for assessment_save_step) is not replaced unseen."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    require_editor(user, locked.organisation_id)
    require_draft(locked)
    _require_kept_seen(locked, step, kept)
    pending = dict(locked.pending_steps)
    pending[step] = {key: list(values) for key, values in data.items() if key != "csrfmiddlewaretoken"}
    Assessment.objects.filter(pk=locked.pk).update(pending_steps=pending, last_step=step, updated_by=user,
                                                   updated_at=timezone.now())


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
        if not extension:
            raise EvidenceRejected(gettext("files without an extension are not accepted"))
        raise EvidenceRejected(gettext("files of type %(extension)s are not accepted") % {"extension": extension})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise EvidenceRejected(gettext("the file is larger than %(limit)s MB") % {"limit": EVIDENCE_MAX_BYTES >> 20})
    content_type, signatures = EVIDENCE_TYPES[extension]
    head = upload.read(16)
    upload.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise EvidenceRejected(gettext("the file's content does not match its type"))
    if not signatures and b"\x00" in upload.read(4096):
        raise EvidenceRejected(gettext("the file's content does not match its type"))
    upload.seek(0)
    return content_type


@transaction.atomic
def evidence_add(
    *, assessment: Assessment, user, question_id: str, title: str, url: str = "",
    upload: UploadedFile | None = None, dated: date | None = None, note: str = "",
) -> Evidence:
    require_editor(user, assessment.organisation_id)
    require_draft(assessment)
    content_type = evidence_file_check(upload) if upload else ""
    evidence = Evidence(
        assessment=assessment, question_id=question_id, title=title, url=url, dated=dated, note=note,
        added_by=user, content_type=content_type, size=upload.size if upload else 0,
    )
    if upload:
        evidence.file_sha256 = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        evidence.file.save(upload.name.rsplit("/", 1)[-1][-100:], upload, save=False)
    evidence.save()
    audit_log.info("evidence added id=%s assessment=%s question=%s by=%s",
                   evidence.pk, assessment.pk, question_id, user.pk)
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    """Remove evidence from the draft. Evidence a version sealed stays stored, unchanged, for that version.
    Whether it is sealed is read again under the assessment's lock, which freezing a version takes too: evidence a
    version sealed a moment ago is kept, not deleted on what the page showed. The file of unsealed evidence goes only
    once the removal is committed."""
    require_editor(user, evidence.assessment.organisation_id)
    pk, title = evidence.pk, evidence.title
    with transaction.atomic():
        locked = lock(evidence.assessment)
        require_draft(locked)
        current = Evidence.objects.select_for_update().filter(pk=pk, assessment=locked, removed_at__isnull=True).first()
        if current is None:
            return  # removed meanwhile, from another page
        sealed = current.sealed_at is not None
        if sealed:
            Evidence.objects.filter(pk=pk).update(removed_at=timezone.now())
        else:
            stored, name = current.file.storage, current.file.name
            current.delete()
            if name:
                transaction.on_commit(lambda: stored.delete(name))
        audit(actor=user, action="remove_evidence", assessment=locked, evidence=pk, title=title, kept_sealed=sealed)
