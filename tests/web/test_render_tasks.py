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
