"""PDFs are rendered by a task after the version is sealed: the page says "rendering" until the worker
is done, a failing render is tried again and then reported, and the sealed version is never lost."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from dpia.models import Assessment, AssessmentVersion, Membership, ReportRender
from tests.web.wizard_helpers import complete_through_wizard

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


class FlakyRenderer:
    """Fails its first `failures` calls the way the fenced renderer does, then renders small bytes."""

    def __init__(self, failures: int):
        self.failures, self.calls = failures, 0

    def __call__(self, content, bank, *, digest="", **options):
        self.calls += 1
        if self.calls <= self.failures:
            raise RuntimeError("the report renderer stopped (out of memory)")
        return b"%PDF-1.7 rendered " + digest.encode()


@pytest.fixture
def complete(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Tram cameras", created_by=author)
    client.force_login(author)
    complete_through_wizard(client, assessment)
    return assessment


def freeze(client, assessment) -> AssessmentVersion:
    response = client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    assert response.status_code == 302
    return AssessmentVersion.objects.get(assessment=assessment)


def pdf_url(version):
    return reverse("version_pdf", kwargs={"pk": version.assessment_id, "number": version.number})


@pytest.fixture
def run_worker(monkeypatch):
    """The database worker, in this process and inside the test's transaction (so it must not close the
    connection between tasks, as it does in production); it runs what is due and stops."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0,
                                stdout=StringIO())


def test_the_page_says_rendering_until_the_worker_has_rendered_the_pdf(client, complete, monkeypatch, settings,
                                                                     run_worker):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr("dpia.services.versions.report_pdf", FlakyRenderer(failures=0))
    version = freeze(client, complete)
    assert version.pdf_digest == ""  # sealed at once; the PDF waits for the worker

    waiting = client.get(pdf_url(version))
    assert waiting.status_code == 202 and waiting["Refresh"] == "3"
    assert "The PDF is being rendered" in waiting.content.decode()

    run_worker()
    ready = client.get(pdf_url(version))
    assert ready["Content-Type"] == "application/pdf"
    assert hashlib.sha256(ready.content).hexdigest() == AssessmentVersion.objects.get().pdf_digest
    assert ReportRender.objects.get(version=version).state == ReportRender.State.RENDERED


def test_a_failing_render_is_retried_by_the_worker(client, complete, monkeypatch, settings, run_worker):
    settings.TASKS = DATABASE_TASKS
    settings.REPORT_RENDER_RETRY_SECONDS = 0  # the retry is due at once, so one batch run reaches it
    renderer = FlakyRenderer(failures=1)
    monkeypatch.setattr("dpia.services.versions.report_pdf", renderer)
    version = freeze(client, complete)
    run_worker()
    assert renderer.calls == 2
    assert client.get(pdf_url(version))["Content-Type"] == "application/pdf"
    assert ReportRender.objects.get(version=version).attempts == 2


def test_a_render_that_keeps_failing_is_reported_and_can_be_tried_again(client, complete, monkeypatch, settings):
    settings.REPORT_RENDER_ATTEMPTS = 3
    renderer = FlakyRenderer(failures=3)
    monkeypatch.setattr("dpia.services.versions.report_pdf", renderer)
    version = freeze(client, complete)
    assert renderer.calls == 3  # tried three times before giving up

    render = ReportRender.objects.get(version=version)
    assert (render.state, render.attempts) == (ReportRender.State.FAILED, 3)
    page = client.get(pdf_url(version))
    assert page.status_code == 200 and "Refresh" not in page
    text = page.content.decode()
    assert "could not be rendered" in text and "out of memory" in text
    # Nothing is lost: the sealed version is there, its page and export work.
    assert client.get(reverse("version_detail", kwargs={"pk": complete.pk, "number": 1})).status_code == 200
    assert client.get(reverse("version_json", kwargs={"pk": complete.pk, "number": 1})).json()["digest"] == \
        version.digest

    client.post(reverse("version_pdf_retry", kwargs={"pk": complete.pk, "number": 1}))
    assert renderer.calls == 4
    assert client.get(pdf_url(version))["Content-Type"] == "application/pdf"


def test_someone_who_may_not_read_the_version_cannot_retry_its_render(client, complete, monkeypatch, make_user):
    monkeypatch.setattr("dpia.services.versions.report_pdf", FlakyRenderer(failures=99))
    version = freeze(client, complete)
    client.force_login(make_user(Membership.Role.AUTHOR, username="stranger"))
    response = client.post(reverse("version_pdf_retry", kwargs={"pk": complete.pk, "number": version.number}))
    assert response.status_code == 404
    assert ReportRender.objects.get(version=version).state == ReportRender.State.FAILED


def _stuck(render: ReportRender, seconds_ago: int) -> None:
    """As if the render's try had started `seconds_ago` and its worker had died since (the row stays "rendering")."""
    from datetime import timedelta

    from django.utils import timezone

    ReportRender.objects.filter(pk=render.pk).update(state=ReportRender.State.RENDERING,
                                                     updated_at=timezone.now() - timedelta(seconds=seconds_ago))


def _worker_died(version) -> ReportRender:
    """As if a worker had taken the version's render task, started the try and died: the task stays "running" in
    the queue (never delivered again) and the render stays "rendering"."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(status="RUNNING")
    render = ReportRender.objects.get(version=version)
    ReportRender.objects.filter(pk=render.pk).update(attempts=1)
    return render


def test_a_render_whose_worker_died_is_queued_again(client, complete, monkeypatch, settings, run_worker):
    settings.TASKS = DATABASE_TASKS
    settings.REPORT_RENDER_ATTEMPTS, settings.REPORT_RENDER_STUCK_SECONDS = 3, 600
    renderer = FlakyRenderer(failures=0)
    monkeypatch.setattr("dpia.services.versions.report_pdf", renderer)
    version = freeze(client, complete)
    render = _worker_died(version)
    run_worker()
    assert renderer.calls == 0  # nothing else would ever render it

    _stuck(render, seconds_ago=60)  # a minute: maybe still at work, left alone
    out = StringIO()
    call_command("reclaim_report_renders", stdout=out)
    assert "0 render(s) queued again, 0 reported as failed" in out.getvalue()
    assert ReportRender.objects.get(pk=render.pk).attempts == 1

    _stuck(render, seconds_ago=601)  # past the limit: queued again, as a further try
    call_command("reclaim_report_renders", stdout=out)
    assert "1 render(s) queued again, 0 reported as failed" in out.getvalue()
    run_worker()
    render.refresh_from_db()
    assert renderer.calls == 1 and (render.state, render.attempts) == (ReportRender.State.RENDERED, 3)
    assert client.get(pdf_url(version))["Content-Type"] == "application/pdf"


def test_a_stuck_render_without_tries_left_is_reported_as_failed_and_can_be_tried_again(
        client, complete, monkeypatch, settings, run_worker):
    settings.TASKS = DATABASE_TASKS
    settings.REPORT_RENDER_ATTEMPTS, settings.REPORT_RENDER_STUCK_SECONDS = 3, 600
    monkeypatch.setattr("dpia.services.versions.report_pdf", FlakyRenderer(failures=0))
    version = freeze(client, complete)
    render = _worker_died(version)
    ReportRender.objects.filter(pk=render.pk).update(attempts=2)
    _stuck(render, seconds_ago=3600)

    page = client.get(pdf_url(version))  # asking for the PDF takes it back, without waiting for cron
    render.refresh_from_db()
    assert (render.state, render.attempts) == (ReportRender.State.FAILED, 3)
    assert page.status_code == 200 and "Refresh" not in page
    assert "its worker probably stopped" in page.content.decode()
    client.cookies["django_language"] = "fr"
    assert "s’est probablement arrêté" in client.get(pdf_url(version)).content.decode()
    del client.cookies["django_language"]
    client.post(reverse("version_pdf_retry", kwargs={"pk": complete.pk, "number": version.number}))
    run_worker()
    assert client.get(pdf_url(version))["Content-Type"] == "application/pdf"


def test_a_publications_failed_render_can_be_tried_again_by_its_organisation_only(client, people, monkeypatch,
                                                                                  make_user):
    from dpia.models import Publication
    from tests.web.workflow_helpers import act, complete_assessment, sign

    renderer = FlakyRenderer(failures=99)
    monkeypatch.setattr("dpia.services.versions.report_pdf", renderer)
    assessment = complete_assessment(client, people)
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "publish")
    publication = Publication.objects.get(version__assessment=assessment)
    render = ReportRender.objects.get(publication=publication)
    assert render.state == ReportRender.State.FAILED
    pdf = reverse("register_pdf", kwargs={"pk": publication.pk})
    retry = reverse("register_pdf_retry", kwargs={"pk": publication.pk})

    client.logout()  # the public reads the reason, without a button
    page = client.get(pdf).content.decode()
    assert "could not be rendered" in page and "The publication itself is kept" in page and retry not in page
    client.force_login(make_user(Membership.Role.AUTHOR, username="stranger"))  # another organisation: no button
    assert retry not in client.get(pdf).content.decode()
    assert client.post(retry).status_code == 404
    assert ReportRender.objects.get(pk=render.pk).state == ReportRender.State.FAILED

    client.force_login(people["author"])  # the organisation that published it
    assert retry in client.get(pdf).content.decode()
    renderer.failures = 0
    assert client.post(retry).status_code == 302
    assert ReportRender.objects.get(pk=render.pk).state == ReportRender.State.RENDERED
    client.logout()
    response = client.get(pdf)
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == Publication.objects.get(pk=publication.pk).pdf_digest


def test_the_fenced_renderers_reason_reads_in_the_readers_language(client, complete, monkeypatch, settings):
    """A hostile test: a render that ran out of time was reported in English on a French page."""
    from dpia.reports.render import report_pdf

    settings.REPORT_RENDER_ATTEMPTS = 1
    monkeypatch.setattr("dpia.services.versions.report_pdf",
                        lambda content, bank, **options: report_pdf(content, bank, **options, timeout=0.001))
    version = freeze(client, complete)
    assert ReportRender.objects.get(version=version).state == ReportRender.State.FAILED
    assert "took longer than" in client.get(pdf_url(version)).content.decode()
    client.cookies["django_language"] = "fr"
    page = client.get(pdf_url(version)).content.decode()
    assert "a pris plus de temps que permis" in page and "took longer" not in page
