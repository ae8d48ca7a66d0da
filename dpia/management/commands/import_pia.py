"""`manage.py import_pia FILE --organisation SLUG --user USERNAME`: a CNIL PIA file as a new draft."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from dpia.engine.bank import default_bank
from dpia.interop.cnil_pia import MAX_BYTES, CnilPiaError
from dpia.interop.imports import cnil_pia_import
from dpia.models import Organisation


class Command(BaseCommand):
    help = ("Import a file exported by the CNIL's PIA software as a new draft of an organisation, on behalf of one "
            "of its authors. What has no place in the questionnaire is kept as notes on the draft's page.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organisation", required=True, help="the organisation's short name (slug)")
        parser.add_argument("--user", required=True, help="username of an author of that organisation")
        parser.add_argument("--language", choices=["en", "fr"], default="en",
                            help="language of the words the import adds (default titles, notes)")

    def handle(self, *args, file: Path, organisation: str, user: str, language: str, **options):
        found = Organisation.objects.filter(slug=organisation).first()
        if found is None:
            raise CommandError(f"no organisation '{organisation}'", returncode=2)
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"no user '{user}'", returncode=2)
        try:
            if file.stat().st_size > MAX_BYTES:  # refused before it is read
                raise CommandError(f"{file}: the file is larger than {MAX_BYTES >> 20} MB", returncode=2)
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}", returncode=2) from exc
        try:
            assessment, notes = cnil_pia_import(user=account, organisation=found, raw=raw, filename=file.name,
                                                bank=default_bank(), language=language)
        except CnilPiaError as exc:
            raise CommandError(f"{file}: {exc}; nothing was imported", returncode=2) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{user} may not start an assessment in {found.slug}: {exc}", returncode=1) from exc
        self.stdout.write(f"{file}: imported as draft {assessment.pk} '{assessment.title}' of {found.name}, "
                          f"with {len(notes)} note(s) on its page")
        for note in notes:
            self.stdout.write(f"  note [{note['where']}] {note['place']['en']}")
