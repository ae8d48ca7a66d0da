"""`manage.py export_pia VERSION [-o FILE]`: a frozen version as a CNIL PIA file (JSON)."""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dpia import selectors
from dpia.engine.bank import default_bank
from dpia.interop.cnil_pia import to_cnil_pia
from dpia.models import AssessmentVersion


class Command(BaseCommand):
    help = "Export a frozen version, named by its id or its SHA-256 digest, as a file for the CNIL's PIA software."

    def add_arguments(self, parser):
        parser.add_argument("version", help="the version's id, or the digest of its content or of its PDF")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args, version: str, output: Path | None, **options):
        text = json.dumps(to_cnil_pia(_version(version.strip()).content, default_bank()), ensure_ascii=False,
                          indent=2)
        if output is None:
            self.stdout.write(text)
            return
        try:
            output.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}", returncode=2) from exc
        self.stderr.write(f"{output}: CNIL PIA file written")


def _version(reference: str) -> AssessmentVersion:
    if reference.isdigit():
        found = AssessmentVersion.objects.filter(pk=int(reference)).first()
    elif re.fullmatch(r"[0-9a-fA-F]{64}", reference):
        found = selectors.record_by_digest(reference.lower())
        found = getattr(found, "version", found)  # a publication's digest names the version it came from
    else:
        raise CommandError(f"'{reference}' is neither a version id nor a SHA-256 digest", returncode=2)
    if found is None:
        raise CommandError(f"no version {reference}", returncode=1)
    return found
