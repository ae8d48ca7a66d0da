"""Take back PDF renders whose worker died: queued again, or reported as failed after the last try (run it every
few minutes, e.g. from cron; the PDF page of such a render does the same when someone asks for it)."""

from django.core.management.base import BaseCommand

from dpia import services


class Command(BaseCommand):
    help = "Queue again (or report as failed) PDF renders stuck in 'rendering' after their worker stopped."

    def handle(self, *args, **options):
        requeued, failed = services.report_render_reclaim()
        self.stdout.write(f"{requeued} render(s) queued again, {failed} reported as failed.")
