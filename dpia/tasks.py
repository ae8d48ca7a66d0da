"""Slow work, off the request path: django.tasks, run by `manage.py db_worker` (the database backend) or
by whatever backend settings.TASKS names. Tasks take ids, never objects, and do their work in services."""

from django.tasks import task
from django.utils import translation


@task()
def render_report_pdf(render_id: int) -> str:
    """Render a sealed version's or a publication's PDF (see services.versions.report_render_run)."""
    from dpia.services.versions import report_render_run

    return report_render_run(render_id=render_id)


@task()
def send_notification(event: str, *, organisation_id: int, roles: list[str], assessment_id: int, language: str,
                      details: dict) -> int:
    """Email a workflow event to the members of an organisation holding one of `roles`, in the language
    of the person whose action caused it."""
    from dpia.models import Assessment, Organisation
    from dpia.notifications import notify

    organisation = Organisation.objects.get(pk=organisation_id)
    assessment = Assessment.objects.select_related("organisation").get(pk=assessment_id)
    with translation.override(language):
        return notify(event, organisation=organisation, roles=roles, assessment=assessment, **details)
