"""What every write shares: permission and draft checks, the row lock, the audit log, emails queued on commit."""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from dpia import policies, selectors
from dpia.models import Assessment, AuditLogEntry
from dpia.notifications import send_notification

audit_log = logging.getLogger("dpia.audit")


def require(allowed: bool, message: str) -> None:
    """PermissionDenied with `message` unless allowed. The message may be shown to the person: pass a sentence in
    their language (gettext, called while their request is handled), never an internal id."""
    if not allowed:
        raise PermissionDenied(message)


class NotADraft(Exception):
    """Only drafts can be changed; a submitted or signed assessment must be revised first."""


def require_editor(user, organisation_id) -> None:
    """PermissionDenied unless the user may edit this organisation's drafts."""
    require(policies.can_edit_drafts(selectors.roles_in(user, organisation_id)),
            gettext("You may not edit this assessment."))


def require_draft(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.DRAFT:
        raise NotADraft(gettext("This assessment is “%(status)s”: choose Revise to change it.") % {
            "status": assessment.get_status_display()})


def audit(*, actor, action: str, assessment: Assessment | None = None, from_status: str = "", to_status: str = "",
          ip_address: str | None = None, **detail) -> None:
    AuditLogEntry.objects.create(
        actor=actor, organisation=assessment.organisation if assessment else None, assessment=assessment,
        action=action, from_status=from_status, to_status=to_status, ip_address=ip_address, detail=detail,
    )
    audit_log.info("%s assessment=%s %s->%s by=%s ip=%s", action, assessment.pk if assessment else "-",
                   from_status, to_status, actor.pk if actor else "-", ip_address)


def notify_on_commit(event: str, *, organisation, roles, assessment, **details) -> None:
    """Queue the email once the transaction holds: no email for a change that was rolled back, and the
    request does not wait for the mail server."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_notification.enqueue(
        event, organisation_id=organisation.pk, roles=[str(role) for role in roles], assessment_id=assessment.pk,
        language=language, details=details))


def lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("organisation").get(pk=assessment.pk)
