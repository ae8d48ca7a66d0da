"""Sealing versions: the canonical content, its digest in the chain, the PDF rendered once by a task."""

import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from dpia import policies, selectors
from dpia.engine import assess
from dpia.engine.bank import QuestionBank, default_bank
from dpia.models import Assessment, AssessmentVersion, Evidence, Publication, ReportRender
from dpia.reports.export import content_digest, sha256, version_content
from dpia.reports.pdf import ReportRenderError
from dpia.reports.render import report_pdf
from dpia.services.common import audit, audit_log, lock, require, require_draft
from dpia.stepforms import first_incomplete_step


def render_report(content: dict, bank: QuestionBank, *, digest: str) -> bytes:
    """The one place a sealed version or a publication is rendered (tests put a fake renderer here)."""
    return report_pdf(content, bank, digest=digest)


log = logging.getLogger("dpia.reports")


def report_render_start(record: AssessmentVersion | Publication) -> ReportRender:
    """Queue the rendering of a just-sealed record's PDF. Called inside the transaction that creates the
    record, so that the task exists if and only if the record does (with the database backend, the
    worker sees both once they are committed)."""
    field = "publication" if isinstance(record, Publication) else "version"
    render = ReportRender.objects.create(**{field: record})
    _enqueue_render(render)
    if render.state != ReportRender.State.RENDERING:  # rendered at once (the immediate backend)
        record.refresh_from_db(fields=["pdf", "pdf_digest"])
    return render


def _enqueue_render(render: ReportRender, *, delay_seconds: int = 0) -> None:
    queued = render_report_pdf
    if delay_seconds and queued.get_backend().supports_defer:
        queued = queued.using(run_after=timezone.now() + timedelta(seconds=delay_seconds))
    result = queued.enqueue(render.pk)
    if result.status == TaskResultStatus.SUCCESSFUL:
        render.refresh_from_db(fields=["state", "attempts", "error"])


@task()
def render_report_pdf(render_id: int) -> str:
    """The task (django.tasks, run by the worker) that renders a sealed record's PDF."""
    return report_render_run(render_id=render_id)


def report_render_run(*, render_id: int) -> str:
    """The task's work: render the record's PDF and write it into its empty slot. A failure is counted
    and tried again later; after the last try the render is marked failed with its reason, and the
    record, sealed before any of this, stays as it is."""
    with transaction.atomic():
        render = ReportRender.objects.select_for_update().filter(pk=render_id).first()
        if render is None or render.state != ReportRender.State.RENDERING:
            return "nothing to do"  # already rendered, or given up: a duplicate delivery changes nothing
        render.attempts += 1
        render.save(update_fields=["attempts", "updated_at"])
    record = render.record
    try:
        pdf = render_report(record.content, default_bank(), digest=record.digest)
    except Exception as exc:  # any failure is recorded and retried; nothing is lost
        detail = str(exc)[:480] or type(exc).__name__
        log.warning("report render %s failed (try %s): %s", render.pk, render.attempts, detail)
        # The fenced renderer's reason is stored as its msgid, translated when shown (dpia/views/reports.py).
        reason = exc.reason if isinstance(exc, ReportRenderError) else detail
        if render.attempts < settings.REPORT_RENDER_ATTEMPTS:
            ReportRender.objects.filter(pk=render.pk).update(error=reason)
            _enqueue_render(render, delay_seconds=settings.REPORT_RENDER_RETRY_SECONDS * render.attempts)
            return "retry"
        ReportRender.objects.filter(pk=render.pk).update(state=ReportRender.State.FAILED, error=reason)
        return "failed"
    type(record).objects.fill_pdf(record.pk, pdf, sha256(pdf))
    ReportRender.objects.filter(pk=render.pk).update(state=ReportRender.State.RENDERED, error="")
    return "rendered"


def report_render_retry(*, render: ReportRender, user) -> ReportRender:
    """Try a failed render again, on request of someone who may read the record."""
    with transaction.atomic():
        locked = ReportRender.objects.select_for_update().get(pk=render.pk)
        if locked.state == ReportRender.State.FAILED:
            locked.state, locked.attempts = ReportRender.State.RENDERING, 0
            locked.save(update_fields=["state", "attempts", "updated_at"])
            audit(actor=user, action="report_render_retry", assessment=_assessment_of(locked.record))
            _enqueue_render(locked)
    return locked


# Stored as the failed render's reason, and translated when shown (dpia/views/reports.py).
STUCK_REASON = gettext_noop("the rendering stopped without an answer: its worker probably stopped")


def render_stuck_before(now=None):
    """The moment before which a render still marked as running has lost its worker: a try that started (or a
    task that was queued, or last reclaimed) longer ago than REPORT_RENDER_STUCK_SECONDS. A render is fenced
    to a minute (dpia/reports/pdf.py), so a try this old is not slow but gone: its worker died or was killed,
    and the task backend will not deliver it again."""
    return (now or timezone.now()) - timedelta(seconds=settings.REPORT_RENDER_STUCK_SECONDS)


def report_render_reclaim(*, render_id: int | None = None, now=None) -> tuple[int, int]:
    """Take back renders stuck in "rendering" (all of them, or the one `render_id`): each reclaim counts as a
    try; a render with tries left is queued again, one without is marked failed with the reason, so that its
    page offers to try again instead of waiting for ever. Returns (queued again, failed)."""
    requeued = failed = 0
    stuck = ReportRender.objects.filter(state=ReportRender.State.RENDERING, updated_at__lt=render_stuck_before(now))
    if render_id is not None:
        stuck = stuck.filter(pk=render_id)
    for pk in list(stuck.values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked and checked again: another reclaim, or the worker finishing late, may have been first.
            render = stuck.select_for_update(skip_locked=True).filter(pk=pk).first()
            if render is None:
                continue
            render.attempts += 1
            if render.attempts >= settings.REPORT_RENDER_ATTEMPTS:
                render.state = ReportRender.State.FAILED
                render.error = STUCK_REASON
                render.save(update_fields=["state", "attempts", "error", "updated_at"])
                log.warning("report render %s stuck, given up after %s tries", render.pk, render.attempts)
                failed += 1
            else:
                render.save(update_fields=["attempts", "updated_at"])
                log.warning("report render %s stuck, queued again (try %s)", render.pk, render.attempts + 1)
                _enqueue_render(render)  # in the transaction, as report_render_retry does
                requeued += 1
    return requeued, failed


def _assessment_of(record: AssessmentVersion | Publication) -> Assessment:
    return record.version.assessment if isinstance(record, Publication) else record.assessment


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


def _same_evidence(sealed: list[dict], current: list[dict]) -> bool:
    def canonical(records):
        return sorted(json.dumps(r, sort_keys=True, default=str) for r in records)
    return canonical(sealed) == canonical(current)


def seal_version(*, locked: Assessment, user, bank: QuestionBank, language: str, workflow: dict | None = None,
                 require_complete: bool = True, new_language_is_a_change: bool = False) -> AssessmentVersion:
    """Seal a locked assessment as it stands into a new immutable version: re-check every section, run the
    engine, hash the canonical content (chained to the previous version), queue the PDF's rendering.
    Callers have checked permission and status. With nothing changed, the existing version is returned
    (whatever its language, unless `new_language_is_a_change`: freezing the same draft in another language
    seals a new version)."""
    step = first_incomplete_step(bank, locked) if require_complete else None
    if step is not None:
        raise VersionRefused("some sections are incomplete", step=step)
    previous = locked.versions.order_by("-number").first()
    evidence = list(selectors.evidence_current(locked))
    records = [_evidence_record(e) for e in evidence]
    # Evidence added or removed is a change of the record too (it is sealed with the answers), though it
    # changes neither the answers' revision nor the title.
    if previous is not None and previous.content.get("revision") == locked.revision and \
            previous.sealed_title == locked.title and \
            previous.content.get("workflow", {}) == (workflow or {}) and \
            _same_evidence(previous.content.get("evidence", []), records) and \
            (not new_language_is_a_change or previous.content.get("language") == language):
        return previous  # nothing changed since: a second click freezes nothing new
    now = timezone.now()
    result = assess(locked.answers, bank, today=timezone.localdate(now), evidence={e.question_id for e in evidence})
    if require_complete and not result.completeness.complete:
        # The document a DPO advises on, a controller signs and a regulator receives is complete.
        missing = result.completeness.unanswered[:1]
        raise VersionRefused("the DPIA document is not complete",
                             step=bank.questions[missing[0]].section if missing else None)
    content = version_content(
        assessment_title=locked.title, organisation=locked.organisation.name,
        number=(previous.number + 1) if previous else 1, revision=locked.revision,
        created_at=now.isoformat(timespec="seconds"),
        language=language, answers=locked.answers, result=result.to_dict(),
        evidence=records, bank_version=bank.version,
        engine_version=result.engine_version, previous_digest=previous.digest if previous else "",
        workflow=workflow,
    )
    digest = content_digest(content)
    version = AssessmentVersion.objects.create(
        assessment=locked, number=content["number"], content=content, digest=digest, title=locked.title,
        previous_digest=content["previous_digest"], pdf=b"", pdf_digest="",
        created_by=user, created_at=now,
    )
    report_render_start(version)
    for item, record in zip(evidence, records, strict=True):
        if item.sealed_at is None:  # from now on this evidence is part of the record
            Evidence.objects.filter(pk=item.pk).update(sealed_at=now, file_sha256=record.get("file_sha256", ""))
    audit(actor=user, action="freeze_version", assessment=locked, version=version.number, digest=digest)
    return version


def assessment_freeze_version(*, assessment: Assessment, user, bank: QuestionBank, language: str) -> AssessmentVersion:
    """Freeze the draft into a sealed version. Only a draft is frozen this way: what is signed, submitted
    or published is sealed by those steps themselves."""
    with transaction.atomic():
        locked = lock(assessment)
        require(policies.can_edit_drafts(selectors.roles_in(user, locked.organisation_id)),
                gettext("You may not freeze a version of this assessment."))
        require_draft(locked)
        version = seal_version(locked=locked, user=user, bank=bank, language=language,
                               new_language_is_a_change=True)
    audit_log.info("version frozen assessment=%s number=%s digest=%s by=%s",
                   assessment.pk, version.number, version.digest, user.pk)
    return version
