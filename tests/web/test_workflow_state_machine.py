"""Random sequences of every workflow action, by every role, through the pages a person would use. After each
step: no server error; the audit log only grows; what is published is what was signed and submitted; a
refused action changes nothing; every sealed digest still verifies.

The PDF renderer is replaced by a fake (the workflow is under test, not WeasyPrint); digests of the fake PDFs
are checked like real ones."""

import hashlib

import pytest
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from dpia import selectors
from dpia.models import (
    Annotation,
    AnnotationReply,
    AssessmentVersion,
    AuditLogEntry,
    DpoAdvice,
    Evidence,
    InformationRequest,
    Membership,
    Opinion,
    Organisation,
    Publication,
    ReviewComment,
    SectionVerdict,
    Signature,
    Submission,
)
from dpia.reports.export import content_digest
from tests.web.wizard_helpers import step_post_data, step_url
from tests.web.workflow_helpers import complete_assessment

pytestmark = pytest.mark.django_db
Role = Membership.Role

PEOPLE = ["author", "dpo", "signatory", "reviewer", "stranger_reviewer", "auditor", "anonymous"]
CONTROLLER_ACTIONS = ["request_dpo_advice", "give_dpo_advice", "record_dpo_decision", "sign", "submit", "publish",
                      "withdraw", "revise", "publish_shadow", "withdraw_shadow"]
REVIEW_ACTIONS = ["start_review", "request_information", "issue_opinion", "extend_deadline", "comment", "verdict"]
TABLES = [AssessmentVersion, AuditLogEntry, DpoAdvice, Signature, Submission, Opinion, Publication,
          InformationRequest, ReviewComment, SectionVerdict, Annotation, AnnotationReply, Evidence]


def succeeded(response) -> bool:
    """Whether the page said the action was done (a refusal is a message, a 404 or a login page)."""
    if response.status_code == 302 and "/wizard/" in response.url and "/wizard/project/" not in response.url:
        return True  # a saved wizard step moves on
    return any(m.level_tag == "success" for m in get_messages(response.wsgi_request))


class Workflow(RuleBasedStateMachine):
    people: dict = {}
    renderer = None

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        self.assessment = complete_assessment(Client(), self.people, title="Tram cameras")
        self.clients = {}
        for name in PEOPLE:
            self.clients[name] = Client()
            if name != "anonymous":
                self.clients[name].force_login(self.people[name])
        self.audit_ids: list[int] = []

    def teardown(self):
        transaction.set_rollback(True)
        self.savepoint.__exit__(None, None, None)

    # -- what an action may have changed -----------------------------------------------------------------
    def snapshot(self):
        self.assessment.refresh_from_db()
        return (self.assessment.status, self.assessment.revision, self.renderer.calls,
                tuple(model.objects.count() for model in TABLES),
                tuple(DpoAdvice.objects.order_by("pk").values_list("decision", flat=True)),
                tuple(Submission.objects.order_by("pk").values_list("extended_days", "closed_at")))

    def post(self, who, url, data=None):
        before = self.snapshot()
        response = self.clients[who].post(url, data or {})
        assert response.status_code < 500, f"{who} POST {url} -> {response.status_code}"
        if not succeeded(response):
            assert self.snapshot() == before, f"refused {url} by {who} changed something"
        return response

    def current_submission(self):
        return selectors.current_submission(self.assessment)

    # -- the controller's side -------------------------------------------------------------------------
    @rule(who=st.sampled_from(PEOPLE), action=st.sampled_from(CONTROLLER_ACTIONS),
          decision=st.sampled_from(["followed", "partly_followed", "overruled"]), reasons=st.sampled_from(["", "R"]),
          confirmed=st.sampled_from(["yes", ""]))
    def controller_action(self, who, action, decision, reasons, confirmed="yes"):
        # Without "confirmed", signing an unlawful project and publishing only lead to their confirmation page.
        data = {"advice": "Keep 7 days.", "decision": decision, "reasons": reasons,
                "regulator": self.people["regulator"].pk, "confirmed": confirmed}
        self.post(who, reverse("assessment_action", kwargs={"pk": self.assessment.pk, "action": action}), data)

    @rule(branch=st.booleans())
    def advance(self, branch):
        """The next step of the workflow, by the person whose job it is, so that sequences reach signature,
        submission, review and publication (the other rules try everything else)."""
        self.assessment.refresh_from_db()
        advice = selectors.latest_dpo_advice(self.assessment)
        status = self.assessment.status
        if status == "ready_to_sign" and advice is not None and not advice.decision:
            who, action = "author", "record_dpo_decision"
        else:
            who, action = {
                "draft": ("author", "request_dpo_advice"), "dpo_review": ("dpo", "give_dpo_advice"),
                "ready_to_sign": ("signatory", "sign"),
                "signed": ("signatory", "submit" if branch else "publish"),
                "information_requested": ("author", "revise"), "opinion_issued": ("signatory", "publish"),
                "published": ("signatory", "withdraw") if branch else ("author", "revise"),
                "withdrawn": ("author", "revise"),
            }.get(status, ("reviewer", None))
        if action is not None:
            self.controller_action(who=who, action=action, decision="followed", reasons="")
        else:
            review = {"submitted": "start_review"}.get(status, "issue_opinion" if branch else "request_information")
            self.review(who="reviewer", action=review, earliest=False, kind="conditions")

    @rule(who=st.sampled_from(PEOPLE))
    def freeze(self, who):
        self.post(who, reverse("version_freeze", kwargs={"pk": self.assessment.pk}))

    @rule(who=st.sampled_from(PEOPLE), summary=st.sampled_from(["Twelve cameras.", "Ten cameras.", "Nine."]))
    def edit(self, who, summary):
        data = step_post_data(self.assessment, "project", {"project.summary": summary})
        self.post(who, step_url(self.assessment, "project"), data)

    # -- the regulator's side --------------------------------------------------------------------------
    @rule(who=st.sampled_from(PEOPLE), action=st.sampled_from(REVIEW_ACTIONS), earliest=st.booleans(),
          kind=st.sampled_from(["advice", "conditions", "objection"]))
    def review(self, who, action, earliest, kind):
        submissions = Submission.objects.filter(version__assessment=self.assessment).order_by("pk")
        submission = submissions.first() if earliest else submissions.last()
        if submission is None:
            return
        data = {"text": "Please explain.", "kind": kind, "question_id": "project.summary", "section": "necessity",
                "verdict": "to_improve"}
        self.post(who, reverse("review_action", kwargs={"pk": submission.pk, "action": action}), data)

    # -- civil society and the public ------------------------------------------------------------------
    @rule(who=st.sampled_from(PEOPLE))
    def annotate(self, who):
        publication = Publication.objects.order_by("-pk").first()
        if publication is None:
            return
        response = self.clients[who].post(reverse("register_detail", kwargs={"pk": publication.pk}), {
            "organisation": self.people["ngo"].pk, "target": "answer:project.summary", "text": "Not so."})
        assert response.status_code < 500

    @rule(who=st.sampled_from(PEOPLE))
    def reply(self, who):
        annotation = Annotation.objects.order_by("-pk").first()
        if annotation is None:
            return
        self.post(who, reverse("annotation_reply", kwargs={"pk": self.assessment.pk, "annotation_pk": annotation.pk}),
                  {"reply": "We disagree."})

    @rule(data=st.data())
    def verify_anonymously(self, data):
        versions = list(AssessmentVersion.objects.all())
        if not versions:
            return
        version = data.draw(st.sampled_from(versions))
        page = self.clients["anonymous"].post(reverse("verify"), {"digest": version.digest}).content.decode()
        in_register = selectors.published().filter(version=version).exists()
        if not in_register:
            assert "Not registered publicly" in page and "Tram cameras" not in page

    # -- invariants ------------------------------------------------------------------------------------
    @invariant()
    def the_audit_log_only_grows(self):
        ids = list(AuditLogEntry.objects.order_by("pk").values_list("pk", flat=True))
        assert ids[:len(self.audit_ids)] == self.audit_ids
        self.audit_ids = ids

    @invariant()
    def published_is_signed_is_submitted(self):
        for submission in Submission.objects.select_related("version"):
            assert Signature.objects.filter(version=submission.version).exists(), "an unsigned version was submitted"
        for opinion in Opinion.objects.select_related("submission"):
            assert opinion.version_id == opinion.submission.version_id
        for publication in Publication.objects.filter(shadow=False).select_related("version"):
            signature = Signature.objects.filter(version=publication.version).first()
            assert signature is not None, "an unsigned version was published"
            # Every submission of this round (after this signature, before publication) sent this version.
            round_ = Submission.objects.filter(version__assessment=self.assessment,
                                               submitted_at__gte=signature.signed_at,
                                               submitted_at__lte=publication.published_at)
            assert set(round_.values_list("version", flat=True)) <= {publication.version_id}
            opinions = Opinion.objects.filter(submission__in=round_)
            assert set(opinions.values_list("version", flat=True)) <= {publication.version_id}

    @invariant()
    def every_sealed_digest_verifies(self):
        previous = ""
        for version in AssessmentVersion.objects.filter(assessment=self.assessment).order_by("number"):
            assert content_digest(version.content) == version.digest
            assert hashlib.sha256(bytes(version.pdf)).hexdigest() == version.pdf_digest
            assert version.previous_digest == version.content["previous_digest"] == previous
            assert selectors.record_by_digest(version.digest) == version
            previous = version.digest
        for publication in Publication.objects.select_related("version"):
            assert content_digest(publication.content) == publication.digest
            assert hashlib.sha256(bytes(publication.pdf)).hexdigest() == publication.pdf_digest
            assert publication.content["published_from"] == publication.source_digest == publication.version.digest
            assert selectors.record_by_digest(publication.pdf_digest) == publication


def test_random_workflows_keep_the_records_straight(make_organisation, make_user, fake_renderer, client):
    city = make_organisation(name="Ville de Test")
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    elsewhere = make_organisation(name="Other DPA", kind=Organisation.Kind.REGULATOR)
    ngo = make_organisation(name="Liberties NGO", kind=Organisation.Kind.CIVIL_SOCIETY)
    Workflow.people = {
        "city": city, "regulator": regulator, "ngo": ngo,
        "author": make_user(Role.AUTHOR, organisation=city, username="author"),
        "dpo": make_user(Role.DPO, organisation=city, username="dpo"),
        "signatory": make_user(Role.SIGNATORY, organisation=city, username="signatory"),
        "reviewer": make_user(Role.REVIEWER, organisation=regulator, username="reviewer"),
        "stranger_reviewer": make_user(Role.REVIEWER, organisation=elsewhere, username="stranger"),
        "auditor": make_user(Role.AUDITOR, organisation=ngo, username="auditor"),
    }
    Workflow.renderer = fake_renderer
    complete_assessment(client, Workflow.people, title="Warm-up")  # walks the wizard once; later ones import
    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=25, stateful_step_count=15, deadline=None, suppress_health_check=list(HealthCheck)))
