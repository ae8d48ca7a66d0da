"""Email notifications of workflow events (Django's email backend; the console in development)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from dpia.models import Assessment, Organisation

log = logging.getLogger("dpia.notifications")

# event -> (subject, body); both formatted with the assessment's title and the details given.
MESSAGES = {
    "dpo_advice_requested": (_("DPO advice requested: %(title)s"),
                             _("Version %(version)s of “%(title)s” is waiting for your advice.")),
    "dpo_advice_given": (_("DPO advice given: %(title)s"),
                         _("The DPO has given advice on “%(title)s”. Record whether it is followed before signing.")),
    "submission_received": (_("Submission received: %(title)s"),
                            _("“%(title)s” by %(organisation)s was submitted to your authority.")),
    "comment": (_("Comment from the authority: %(title)s"),
                _("The authority commented on “%(title)s”.")),
    "information_requested": (_("Information requested: %(title)s"),
                              _("The authority requests information on “%(title)s”. Its time limit is suspended "
                                "until you answer.")),
    "opinion_issued": (_("Opinion issued: %(title)s"), _("The authority has issued its opinion on “%(title)s”.")),
    "deadline_soon": (_("Deadline in %(days)s days: %(title)s"),
                      _("The authority's time limit for “%(title)s” ends on %(deadline)s.")),
}


def one_line(text: str) -> str:
    """A line break in a header is refused by the mailer (header injection): fold it into a space instead."""
    return " ".join(text.split())


def notify(event: str, *, organisation, roles, assessment, **details) -> int:
    """Email every member of `organisation` holding one of `roles`; returns how many were sent."""
    users = get_user_model().objects.filter(
        memberships__organisation=organisation, memberships__role__in=roles, is_active=True,
    ).exclude(email="").distinct()
    subject, body = MESSAGES[event]
    values = {"title": assessment.title, "organisation": assessment.organisation.name, **details}
    sent = 0
    for user in users:
        try:
            sent += send_mail(one_line(str(subject) % values), str(body) % values, settings.DEFAULT_FROM_EMAIL,
                              [user.email])
        except Exception:  # a mail server down must not undo or block the workflow step
            log.exception("notification %s to user %s failed", event, user.pk)
    log.info("notification %s assessment=%s sent=%s", event, assessment.pk, sent)
    return sent


@task()
def send_notification(event: str, *, organisation_id: int, roles: list[str], assessment_id: int, language: str,
                      details: dict) -> int:
    """The task (django.tasks, run by the worker) that emails a workflow event, in the language of the
    person whose action caused it."""
    organisation = Organisation.objects.get(pk=organisation_id)
    assessment = Assessment.objects.select_related("organisation").get(pk=assessment_id)
    with translation.override(language):
        return notify(event, organisation=organisation, roles=roles, assessment=assessment, **details)
