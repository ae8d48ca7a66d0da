"""Email both sides when a regulator's legal time limit ends within 7 days (run it daily, e.g. from cron)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from dpia import policies, selectors
from dpia.models import Submission
from dpia.notifications import notify

REMIND_DAYS = 7


class Command(BaseCommand):
    help = "Send reminders for prior consultations whose time limit ends within 7 days."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = 0
        for submission in Submission.objects.filter(deadline__isnull=False, closed_at__isnull=True).select_related(
                "version__assessment__organisation", "regulator"):
            clock = selectors.consultation_clock(submission, today=today)
            if clock.suspended or clock.days_left != REMIND_DAYS:
                continue
            assessment = submission.version.assessment
            details = {"days": clock.days_left, "deadline": clock.deadline.isoformat()}
            sent += notify("deadline_soon", organisation=submission.regulator, roles=[policies.Role.REVIEWER],
                           assessment=assessment, **details)
            sent += notify("deadline_soon", organisation=assessment.organisation,
                           roles=[policies.Role.AUTHOR, policies.Role.SIGNATORY], assessment=assessment, **details)
        self.stdout.write(f"{sent} reminder(s) sent.")
