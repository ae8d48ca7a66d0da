"""Load the demo organisations, users and cases (idempotent). Refuses to run outside DEBUG unless --force:
demo passwords are printed and public.

Each case file of dpia/demo/ may carry a [workflow] table saying where the case stands (with the DPO,
submitted, under review, published and annotated, ...). The loader takes every step of the way through the
services, as the users would, so the versions, signatures, submissions, deadlines, publications and the audit
log are the real thing. A [shadow] table adds a civil society's shadow assessment of the same project."""

import tomllib
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, DpoAdvice, Membership, Opinion, Organisation, SectionVerdict

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
    ("demo-regulator-nl", "Dutch data-protection authority (demo)", Kind.REGULATOR, "Den Haag", "NL"),
    ("demo-regulator-rs", "Serbian data-protection commissioner (demo)", Kind.REGULATOR, "Belgrade", "RS"),
    ("demo-ngo", "Civil-liberties NGO (demo)", Kind.CIVIL_SOCIETY, "Paris", "FR"),
]

DEMO_USERS = [
    ("author", "demo-city-nice", [Role.AUTHOR]),
    ("dpo", "demo-city-nice", [Role.DPO]),
    # One DPO may serve several public authorities (GDPR Art. 37(3)): the city's also serves its police.
    ("dpo", "demo-police-nice", [Role.DPO]),
    ("signatory", "demo-city-nice", [Role.SIGNATORY, Role.ORG_ADMIN]),
    ("police", "demo-police-nice", [Role.AUTHOR, Role.SIGNATORY]),
    ("marseille", "demo-city-marseille", [Role.AUTHOR, Role.SIGNATORY]),
    ("essex", "demo-essex-police", [Role.AUTHOR, Role.SIGNATORY]),
    ("belgrade", "demo-belgrade-police", [Role.AUTHOR, Role.SIGNATORY]),
    ("turin", "demo-turin-police", [Role.AUTHOR, Role.SIGNATORY]),
    ("hague", "demo-hague-city", [Role.AUTHOR, Role.SIGNATORY]),
    ("rotterdam", "demo-rotterdam-port", [Role.AUTHOR, Role.SIGNATORY]),
    # Each controller's DPO is someone else than its authors and signatories (GDPR Art. 38(6)).
    ("dpo_marseille", "demo-city-marseille", [Role.DPO]),
    ("dpo_essex", "demo-essex-police", [Role.DPO]),
    ("dpo_belgrade", "demo-belgrade-police", [Role.DPO]),
    ("dpo_turin", "demo-turin-police", [Role.DPO]),
    ("dpo_hague", "demo-hague-city", [Role.DPO]),
    ("dpo_rotterdam", "demo-rotterdam-port", [Role.DPO]),
    ("reviewer", "demo-regulator", [Role.REVIEWER]),
    ("reviewer_nl", "demo-regulator-nl", [Role.REVIEWER]),
    ("reviewer_rs", "demo-regulator-rs", [Role.REVIEWER]),
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
            self.stdout.write(f"  {username:<13} {organisations[slug].name} — {role_names}")
        self.stdout.write("  admin         site administrator (http://127.0.0.1:8000/admin/)")

    def _load_cases(self, organisations):
        """Each case is created once, then taken to the state its [workflow] table names: a second run leaves
        cases alone, edited or not."""
        bank = default_bank()
        for path in sorted(DEMO_CASES_DIR.glob("*.toml")):
            case = tomllib.loads(path.read_text(encoding="utf-8"))
            organisation = organisations[case["case"]["organisation"]]
            if not Assessment.objects.filter(organisation=organisation, title=case["case"]["title"]).exists():
                assessment = _create(organisation, case["case"]["title"], case["answers"], bank)
                journey = DemoJourney(assessment, case.get("workflow", {}), organisations, bank)
                journey.run()
                assessment.refresh_from_db()
                self.stdout.write(f"Demo case loaded: {case['case']['title']} ({assessment.get_status_display()})")
            if "shadow" in case:
                self._load_shadow(case, organisations, bank)

    def _load_shadow(self, case, organisations, bank):
        shadow = case["shadow"]
        organisation = organisations[shadow["organisation"]]
        if Assessment.objects.filter(organisation=organisation, title=shadow["title"]).exists():
            return
        assessment = _create(organisation, shadow["title"], {**case["answers"], **shadow.get("answers", {})}, bank,
                             shadow_of=shadow["shadow_of"])
        if shadow.get("publish"):
            services.shadow_publish(assessment=assessment, user=_member(organisation, Role.AUTHOR), bank=bank,
                                    language="en")
        self.stdout.write(f"Demo shadow assessment loaded: {shadow['title']}")


def _member(organisation, role):
    membership = Membership.objects.filter(organisation=organisation, role=role).select_related("user").first()
    if membership is None:
        raise CommandError(f"the demo organisation {organisation.slug} has no {role} user")
    return membership.user


def _create(organisation, title, answers, bank, *, shadow_of=""):
    author = _member(organisation, Role.AUTHOR)
    assessment = services.assessment_create(user=author, organisation=organisation, title=title, bank=bank,
                                            shadow_of=shadow_of)
    services.assessment_import_answers(assessment=assessment, user=author, answers=answers, bank=bank)
    return assessment


# The states a demo case can be left in, in the order the workflow reaches them.
STATES = ["draft", "dpo_review", "ready_to_sign", "signed", "submitted", "under_review", "information_requested",
          "opinion_issued", "published"]


class DemoJourney:
    """Take one demo case from draft to the state its [workflow] table names, one service call per step."""

    def __init__(self, assessment, workflow, organisations, bank):
        self.assessment = assessment
        self.workflow = workflow
        self.target = workflow.get("state", "draft")
        if self.target not in STATES:
            raise CommandError(f"unknown demo state {self.target!r}; expected one of {', '.join(STATES)}")
        self.organisations = organisations
        self.bank = bank
        self.organisation = assessment.organisation

    def reached(self, state) -> bool:
        """Whether the case goes as far as `state` (or further)."""
        return STATES.index(self.target) >= STATES.index(state)

    def run(self):
        if not self.reached("dpo_review"):
            return
        author, signatory = _member(self.organisation, Role.AUTHOR), _member(self.organisation, Role.SIGNATORY)
        services.assessment_request_dpo_advice(assessment=self.assessment, user=author, bank=self.bank,
                                               language="en")
        if not self.reached("ready_to_sign"):
            return
        services.dpo_advice_give(assessment=self.assessment, user=_member(self.organisation, Role.DPO),
                                 advice=self.workflow["dpo_advice"])
        services.dpo_advice_decide(assessment=self.assessment, user=signatory,
                                   decision=self.workflow.get("dpo_decision", DpoAdvice.Decision.FOLLOWED),
                                   reasons=self.workflow.get("dpo_decision_reasons", ""))
        if not self.reached("signed"):
            return
        services.assessment_sign(assessment=self._fresh(), user=signatory, bank=self.bank, language="en")
        if "regulator" in self.workflow:
            self._consult(signatory)
        if self.target == "published":
            publication = services.assessment_publish(assessment=self._fresh(), user=signatory, bank=self.bank)
            self._annotate(publication, signatory)

    def _fresh(self) -> Assessment:
        return Assessment.objects.get(pk=self.assessment.pk)

    def _consult(self, signatory):
        regulator = self.organisations[self.workflow["regulator"]]
        reviewer = _member(regulator, Role.REVIEWER)
        submission = services.assessment_submit(assessment=self._fresh(), user=signatory, regulator=regulator,
                                                today=timezone.localdate())
        if not self.reached("under_review"):
            return
        services.review_start(submission=submission, user=reviewer)
        for comment in self.workflow.get("review_comments", []):
            services.review_comment(submission=submission, user=reviewer, question_id=comment["question"],
                                    text=comment["text"])
        for section, verdict in self.workflow.get("section_verdicts", {}).items():
            services.review_section_verdict(submission=submission, user=reviewer, section=section,
                                            verdict=SectionVerdict.Verdict(verdict))
        if self.target == "information_requested":
            services.review_request_information(submission=submission, user=reviewer,
                                                text=self.workflow["information_request"])
        elif self.reached("information_requested"):
            services.review_issue_opinion(submission=submission, user=reviewer,
                                          kind=Opinion.Kind(self.workflow["opinion_kind"]),
                                          text=self.workflow["opinion"])

    def _annotate(self, publication, signatory):
        for note in self.workflow.get("annotations", []):
            organisation = self.organisations[note["organisation"]]
            annotation = services.annotation_add(
                publication=publication, user=_member(organisation, Role.AUDITOR), organisation=organisation,
                target=note["target"], text=note["text"], evidence_url=note.get("evidence_url", ""))
            if note.get("reply"):
                services.annotation_reply(annotation=annotation, user=signatory, text=note["reply"])
