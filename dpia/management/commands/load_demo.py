"""Load the demo organisations and users (idempotent). Refuses to run outside DEBUG unless --force:
demo passwords are printed and public."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, Membership, Organisation

Kind = Organisation.Kind
Role = Membership.Role

DEMO_PASSWORD = "demo-workbench-2026"
DEMO_CASES_DIR = Path(__file__).resolve().parents[2] / "demo"

DEMO_ORGANISATIONS = [
    ("demo-city-nice", "Ville de Nice (demo)", Kind.PUBLIC_BODY, "Nice", "FR"),
    ("demo-police-nice", "Police municipale de Nice (demo)", Kind.COMPETENT_AUTHORITY, "Nice", "FR"),
    ("demo-city-marseille", "Ville de Marseille (demo)", Kind.PUBLIC_BODY, "Marseille", "FR"),
    ("demo-essex-police", "Essex Police (demo)", Kind.COMPETENT_AUTHORITY, "Chelmsford", "GB"),
    ("demo-belgrade-police", "Belgrade police (demo)", Kind.COMPETENT_AUTHORITY, "Belgrade", "RS"),
    ("demo-turin-police", "Polizia municipale di Torino (demo)", Kind.COMPETENT_AUTHORITY, "Torino", "IT"),
    ("demo-hague-city", "Gemeente Den Haag (demo)", Kind.PUBLIC_BODY, "Den Haag", "NL"),
    ("demo-rotterdam-port", "Port of Rotterdam Authority (demo)", Kind.PUBLIC_BODY, "Rotterdam", "NL"),
    ("demo-regulator", "Data-protection authority (demo)", Kind.REGULATOR, "Paris", "FR"),
    ("demo-ngo", "Civil-liberties NGO (demo)", Kind.CIVIL_SOCIETY, "Paris", "FR"),
]

DEMO_USERS = [
    ("author", "demo-city-nice", [Role.AUTHOR]),
    ("dpo", "demo-city-nice", [Role.DPO]),
    ("signatory", "demo-city-nice", [Role.SIGNATORY, Role.ORG_ADMIN]),
    ("police", "demo-police-nice", [Role.AUTHOR, Role.SIGNATORY]),
    ("marseille", "demo-city-marseille", [Role.AUTHOR, Role.SIGNATORY]),
    ("essex", "demo-essex-police", [Role.AUTHOR, Role.SIGNATORY]),
    ("belgrade", "demo-belgrade-police", [Role.AUTHOR, Role.SIGNATORY]),
    ("turin", "demo-turin-police", [Role.AUTHOR, Role.SIGNATORY]),
    ("hague", "demo-hague-city", [Role.AUTHOR, Role.SIGNATORY]),
    ("rotterdam", "demo-rotterdam-port", [Role.AUTHOR, Role.SIGNATORY]),
    ("reviewer", "demo-regulator", [Role.REVIEWER]),
    ("ngo", "demo-ngo", [Role.AUDITOR, Role.AUTHOR]),
]


class Command(BaseCommand):
    help = "Create the demo organisations, users and cases (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even when DEBUG is off (never in production)."
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data has public passwords: load it only with DJANGO_DEBUG=1.")
        User = get_user_model()
        organisations = {}
        for slug, name, kind, city, country in DEMO_ORGANISATIONS:
            organisations[slug], _ = Organisation.objects.update_or_create(
                slug=slug, defaults={"name": name, "kind": kind, "city": city, "country": country}
            )
        for username, slug, roles in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            for role in roles:
                Membership.objects.get_or_create(
                    user=user, organisation=organisations[slug], role=role
                )
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()

        self._load_cases(organisations)
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for username, slug, roles in DEMO_USERS:
            role_names = ", ".join(str(Role(role).label) for role in roles)
            self.stdout.write(f"  {username:<10} {organisations[slug].name} — {role_names}")
        self.stdout.write("  admin      site administrator (http://127.0.0.1:8000/admin/)")

    def _load_cases(self, organisations):
        """One draft per demo case file, created once: a second run leaves edited drafts alone."""
        bank = default_bank()
        for path in sorted(DEMO_CASES_DIR.glob("*.toml")):
            case = tomllib.loads(path.read_text(encoding="utf-8"))
            organisation = organisations[case["case"]["organisation"]]
            author = Membership.objects.filter(organisation=organisation, role=Role.AUTHOR).first().user
            if Assessment.objects.filter(organisation=organisation, title=case["case"]["title"]).exists():
                continue
            assessment = services.assessment_create(
                user=author, organisation=organisation, title=case["case"]["title"], bank=bank)
            services.assessment_import_answers(
                assessment=assessment, user=author, answers=case["answers"], bank=bank)
            self.stdout.write(f"Demo case loaded: {case['case']['title']}")
