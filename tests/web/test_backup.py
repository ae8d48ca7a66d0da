"""Backup and restore as the README describes it: dumpdata, an empty database, loaddata. Every signed,
submitted and published record must still verify afterwards, with the workbench's own verifier."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from dpia import selectors
from dpia.management.commands.verify import chain_problems
from dpia.models import Assessment, AssessmentVersion, AuditLogEntry, Membership, Organisation, Publication
from dpia.reports.export import content_digest, sha256
from dpia.reports.verify import verify_bytes
from tests.conftest import PASSWORD
from tests.web.wizard_helpers import complete_through_wizard

pytestmark = pytest.mark.django_db(transaction=True)
Role = Membership.Role
BACKUP_EXCLUDES = ["contenttypes", "auth.permission", "sessions"]  # rebuilt by migrate, or short-lived


def act(client, user, assessment, action, **data):
    """Post an action as its button would; signing and publishing as confirmed on their confirmation page."""
    client.force_login(user)
    if action in ("sign", "publish"):
        data.setdefault("confirmed", "yes")
    response = client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": action}), data)
    assert response.status_code == 302


def review(client, user, submission, action, **data):
    client.force_login(user)
    client.post(reverse("review_action", kwargs={"pk": submission.pk, "action": action}), data)


@pytest.fixture
def records(client, make_organisation, make_user):
    """One assessment published (after DPO advice, signature, submission and the regulator's opinion),
    and one signed only."""
    city = make_organisation(name="Ville de Test", city="Testville")
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    author, dpo = make_user(Role.AUTHOR, organisation=city), make_user(Role.DPO, organisation=city)
    signatory = make_user(Role.SIGNATORY, organisation=city)
    reviewer = make_user(Role.REVIEWER, organisation=regulator)
    assessments = []
    for title in ("Tram cameras", "Drone patrols"):
        assessment = Assessment.objects.create(organisation=city, title=title, created_by=author)
        client.force_login(author)
        complete_through_wizard(client, assessment)
        act(client, author, assessment, "request_dpo_advice")
        act(client, dpo, assessment, "give_dpo_advice", advice="Shorten retention to 7 days.")
        act(client, author, assessment, "record_dpo_decision", decision="followed")
        act(client, signatory, assessment, "sign")
        assessments.append(assessment)
    published = assessments[0]
    act(client, signatory, published, "submit", regulator=regulator.pk)
    submission = published.versions.order_by("-number").first().submissions.get()
    review(client, reviewer, submission, "start_review")
    review(client, reviewer, submission, "issue_opinion", kind="conditions", text="Proceed with 7-day retention.")
    act(client, signatory, published, "publish")
    statuses = {a.title: Assessment.objects.get(pk=a.pk).status for a in assessments}
    assert statuses == {"Tram cameras": "published", "Drone patrols": "signed"}
    return {"author": author, "assessments": assessments}


def exports(client, user):
    """Every version's PDF and JSON export, and every publication's, as downloaded."""
    client.force_login(user)
    files = {}
    for version in AssessmentVersion.objects.all():
        kwargs = {"pk": version.assessment_id, "number": version.number}
        files[f"v{version.pk}.pdf"] = client.get(reverse("version_pdf", kwargs=kwargs)).content
        files[f"v{version.pk}.json"] = client.get(reverse("version_json", kwargs=kwargs)).content
    for publication in Publication.objects.all():
        files[f"p{publication.pk}.pdf"] = client.get(reverse("register_pdf", kwargs={"pk": publication.pk})).content
        files[f"p{publication.pk}.json"] = client.get(reverse("register_json", kwargs={"pk": publication.pk})).content
    return files


def test_a_backup_restored_into_an_empty_database_verifies_every_record(client, records, tmp_path):
    before = exports(client, records["author"])
    audit_entries = AuditLogEntry.objects.count()
    assert AssessmentVersion.objects.count() >= 4 and Publication.objects.count() == 1

    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", exclude=BACKUP_EXCLUDES,
                 output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert not Assessment.objects.exists() and not AssessmentVersion.objects.exists()
    assert not Publication.objects.exists() and not AuditLogEntry.objects.exists()

    call_command("loaddata", str(backup), verbosity=0)

    # Each chain of versions holds, and each sealed file is registered, byte for byte.
    for assessment in Assessment.objects.all():
        assert chain_problems(assessment) == []
    assert exports(client, records["author"]) == before
    for name, data in before.items():
        if name.startswith("v"):
            assert verify_bytes(data, selectors.record_by_digest).outcome == "registered", name
            path = tmp_path / name
            path.write_bytes(data)
            out = io.StringIO()
            call_command("verify", str(path), stdout=out)
            assert "registered" in out.getvalue() and "chain: OK" in out.getvalue()
    # Each publication still matches its seal and names the registered version it was made from.
    for publication in Publication.objects.all():
        assert content_digest(publication.content) == publication.digest
        assert sha256(bytes(publication.pdf)) == publication.pdf_digest
        assert selectors.record_by_digest(publication.source_digest) == publication.version
        exported = json.loads(before[f"p{publication.pk}.json"])
        assert exported["digest"] == content_digest(exported["content"]) == publication.digest
    assert AuditLogEntry.objects.count() == audit_entries

    # Work goes on in the restored database: people log in and new rows get fresh ids.
    assert client.login(username=records["author"].username, password=PASSWORD)
    organisation = records["author"].memberships.get().organisation
    response = client.post(reverse("assessment_new"), {"title": "After the restore", "organisation": organisation.pk})
    assert response.status_code == 302
    assert Assessment.objects.filter(title="After the restore").exists()
