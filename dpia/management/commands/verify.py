"""`manage.py verify FILE`: is this PDF or JSON export a registered version? Checks the chain too."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dpia import selectors
from dpia.models import AssessmentVersion, Publication
from dpia.reports.export import content_digest
from dpia.reports.verify import verify_bytes


def chain_problems(assessment) -> list[str]:
    """Every version must hash to its digest and point at the one before it."""
    problems, previous = [], None
    for version in AssessmentVersion.objects.filter(assessment=assessment).order_by("number"):
        if content_digest(version.content) != version.digest:
            problems.append(f"version {version.number}: content does not match its digest")
        expected_previous = previous.digest if previous else ""
        if version.content.get("previous_digest") != expected_previous or version.previous_digest != expected_previous:
            problems.append(f"version {version.number}: does not follow version {version.number - 1}")
        previous = version
    return problems


def database_ready() -> bool:
    """Whether the database holds the workbench's tables (a fresh clone has none, and no SQLite file,
    which merely asking would create)."""
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).is_file():
        return False
    return AssessmentVersion._meta.db_table in connection.introspection.table_names()


class Command(BaseCommand):
    help = "Verify a PDF or JSON export against the registered versions, and check its version chain."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from exc
        if not database_ready():
            raise CommandError(f"{file}: no registered version matches — this machine's database holds no "
                               "versions yet (set DATABASE_URL to the workbench's database). Without a database, "
                               "check an export with: python3 scripts/verify_export.py FILE.json", returncode=1)
        outcome = verify_bytes(data, selectors.record_by_digest)
        if outcome.outcome == "unknown":
            raise CommandError(f"{file}: no registered version matches (SHA-256 {outcome.digest})", returncode=1)
        record = outcome.version
        published = isinstance(record, Publication)
        version = record.version if published else record
        what = f"the publication of version {version.number}" if published else f"version {version.number}"
        if outcome.outcome == "altered":
            raise CommandError(f"{file}: claims {what} of '{version.assessment}', but its content "
                               "was changed after sealing", returncode=1)
        when = f"published {record.published_at:%Y-%m-%d %H:%M}" if published else \
            f"frozen {record.created_at:%Y-%m-%d %H:%M}"
        self.stdout.write(f"{file}: registered — {what} of '{version.assessment}' "
                          f"({version.assessment.organisation}), {when} UTC, digest {record.digest}")
        problems = chain_problems(version.assessment)
        for problem in problems:
            self.stdout.write(f"chain: {problem}")
        if problems:
            raise CommandError("the version chain does not verify", returncode=1)
        self.stdout.write("chain: OK")
