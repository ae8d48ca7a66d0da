"""Frozen versions: sealed, chained, immutable, downloadable as submitted, verifiable by anyone."""

import hashlib
import io
import json
import subprocess
from io import StringIO

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from dpia.models import Assessment, AssessmentVersion, ImmutableVersion, Membership, Publication
from dpia.reports.export import content_digest, export_schema
from tests.web.wizard_helpers import complete_through_wizard, save_step
from tests.web.workflow_helpers import act, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Gare routière — Ђорђе Đorđe", created_by=author)
    client.force_login(author)
    complete_through_wizard(client, assessment)
    assessment.refresh_from_db()
    return assessment


def freeze(client, assessment):
    return client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))


def kwargs(version, **extra):
    return {"pk": version.assessment_id, "number": version.number, **extra}


def test_an_incomplete_assessment_cannot_be_frozen(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation, title="Draft",
                                           created_by=author)
    client.force_login(author)
    response = freeze(client, assessment)
    assert response.url == reverse("wizard_step", kwargs={"pk": assessment.pk, "step": "screening"}) + "?check=1"
    assert not AssessmentVersion.objects.exists()


def test_freezing_seals_content_and_pdf_and_downloads_are_the_exact_bytes(client, complete):
    response = freeze(client, complete)
    version = AssessmentVersion.objects.get()
    assert response.url == reverse("version_detail", kwargs=kwargs(version))
    assert version.digest == content_digest(version.content)
    assert version.content["answers"] == complete.answers and version.content["previous_digest"] == ""

    pdf = client.get(reverse("version_pdf", kwargs=kwargs(version)))
    assert pdf["Content-Type"] == "application/pdf" and "no-store" in pdf["Cache-Control"]
    assert hashlib.sha256(pdf.content).hexdigest() == version.pdf_digest

    export = json.loads(client.get(reverse("version_json", kwargs=kwargs(version))).content)
    jsonschema.validate(export, export_schema())
    assert export["digest"] == content_digest(export["content"]) == version.digest

    page = client.get(reverse("version_detail", kwargs=kwargs(version))).content.decode()
    assert version.digest in page and "Executive summary" in page


def test_the_pdf_is_tagged_titled_with_embedded_fonts_and_renders_cyrillic(client, complete, tmp_path):
    freeze(client, complete)
    path = tmp_path / "v1.pdf"
    path.write_bytes(bytes(AssessmentVersion.objects.get().pdf))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info and "Gare routière — Ђорђе Đorđe" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Gare routière — Ђорђе Đorđe" in text and "Contents" in text and "1 / " in text
    catalog = b"".join(_inflate(bytes(AssessmentVersion.objects.get().pdf)))
    assert b"/Lang (en)" in catalog


def test_a_second_freeze_without_changes_creates_nothing_and_a_change_chains_a_new_version(client, complete):
    freeze(client, complete)
    freeze(client, complete)
    assert AssessmentVersion.objects.count() == 1
    first = AssessmentVersion.objects.get()
    save_step(client, complete, "project", {"project.name": "Bus station cameras, phase 2"})
    freeze(client, complete)
    second = AssessmentVersion.objects.get(number=2)
    assert second.previous_digest == second.content["previous_digest"] == first.digest
    diff = client.get(reverse("version_diff", kwargs={"pk": complete.pk, "old": 1, "new": 2})).content.decode()
    assert "Bus station cameras, phase 2" in diff


def test_versions_cannot_be_changed_or_deleted(client, complete):
    freeze(client, complete)
    version = AssessmentVersion.objects.get()
    version.content = {"forged": True}
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        AssessmentVersion.objects.filter(pk=version.pk).update(digest="0" * 64)
    with pytest.raises(ImmutableVersion):
        version.delete()
    with pytest.raises(ImmutableVersion):
        AssessmentVersion.objects.all().delete()


def test_other_organisations_get_404_on_every_version_page(client, complete, make_user):
    freeze(client, complete)
    version = AssessmentVersion.objects.get()
    client.force_login(make_user(Membership.Role.AUTHOR))
    for name in ["version_detail", "version_pdf", "version_json"]:
        assert client.get(reverse(name, kwargs=kwargs(version))).status_code == 404
    assert client.get(reverse("version_diff", kwargs={"pk": complete.pk, "old": 1, "new": 1})).status_code == 404
    assert client.get(reverse("report_preview", kwargs={"pk": complete.pk})).status_code == 404
    assert client.post(reverse("version_freeze", kwargs={"pk": complete.pk})).status_code == 404


def test_the_organisation_verifies_its_versions_and_strangers_learn_nothing_of_unpublished_ones(client, complete):
    freeze(client, complete)
    version = AssessmentVersion.objects.get()
    export = client.get(reverse("version_json", kwargs=kwargs(version))).content
    url = reverse("verify")

    def upload(data, name):
        return client.post(url, {"upload": _named(data, name)}).content.decode()

    assert "This is version 1 of" in upload(bytes(version.pdf), "report.pdf")
    assert "This is version 1 of" in upload(export, "export.json")
    tampered = json.loads(export)
    tampered["content"]["answers"]["project.name"] = "Forged"
    assert "was changed after it was sealed" in upload(json.dumps(tampered).encode(), "export.json")
    assert "No registered version matches" in upload(b"%PDF-1.7 something else", "other.pdf")
    assert "This is version 1 of" in client.post(url, {"digest": version.digest.upper()}).content.decode()
    assert "64 hexadecimal characters" in client.post(url, {"digest": "not-a-digest"}).content.decode()
    assert "Upload a file or paste a digest." in client.post(url, {}).content.decode()

    client.logout()  # anyone holding a digest or a copy of a version that was never published
    for page in (upload(bytes(version.pdf), "report.pdf"), upload(export, "export.json"),
                 upload(json.dumps(tampered).encode(), "export.json"),
                 client.post(url, {"digest": version.digest}).content.decode()):
        assert "Not registered publicly" in page
        assert complete.title not in page and complete.organisation.name not in page


def test_anyone_verifies_a_published_report_and_sees_a_changed_register_export(client, complete, people):
    client.force_login(people["author"])
    complete.organisation = people["city"]
    Assessment.objects.filter(pk=complete.pk).update(organisation=people["city"])
    sign(client, people, complete)
    act(client, people["signatory"], complete, "publish")
    publication = Publication.objects.get()
    client.logout()
    export = client.get(reverse("register_json", kwargs={"pk": publication.pk})).content
    pdf = client.get(reverse("register_pdf", kwargs={"pk": publication.pk})).content
    url = reverse("verify")

    def upload(data, name):
        return client.post(url, {"upload": _named(data, name)}).content.decode()

    for page in (upload(pdf, "published.pdf"), upload(export, "published.json"),
                 client.post(url, {"digest": publication.digest}).content.decode()):
        assert "This is the published report of version" in page and publication.digest in page
    tampered = json.loads(export)
    tampered["content"]["assessment"]["title"] = "Something else"
    page = upload(json.dumps(tampered).encode(), "published.json")
    assert "Altered" in page and "changed after it was published" in page


def test_every_page_of_a_second_version_carries_its_own_digest(client, complete, tmp_path):
    freeze(client, complete)
    save_step(client, complete, "project", {"project.name": "Phase 2"})
    freeze(client, complete)
    first, second = AssessmentVersion.objects.order_by("number")
    path = tmp_path / "v2.pdf"
    path.write_bytes(bytes(second.pdf))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 3
    for page in pages[1:]:
        flat = "".join(page.split())
        assert second.digest in flat and first.digest not in flat


def _named(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_manage_py_verify_checks_the_file_and_detects_a_tampered_chain(client, complete, tmp_path):
    freeze(client, complete)
    save_step(client, complete, "project", {"project.name": "Phase 2"})
    freeze(client, complete)
    first = AssessmentVersion.objects.get(number=1)
    path = tmp_path / "v1.pdf"
    path.write_bytes(bytes(first.pdf))
    out = StringIO()
    call_command("verify", str(path), stdout=out)
    assert "registered — version 1" in out.getvalue() and "chain: OK" in out.getvalue()

    # Someone edits the database behind the model's back: the chain no longer verifies.
    tampered = dict(first.content, answers={**first.content["answers"], "project.name": "Forged"})
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AssessmentVersion._meta.db_table} SET content = %s WHERE id = %s",  # noqa: S608
                       [json.dumps(tampered), first.pk])
    with pytest.raises(CommandError, match="chain does not verify"):
        call_command("verify", str(path), stdout=StringIO())
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 not ours")
    with pytest.raises(CommandError, match="no registered version matches"):
        call_command("verify", str(other), stdout=StringIO())


def test_manage_py_report_renders_pdf_html_and_json_offline(tmp_path):
    from dpia.management.commands.load_demo import DEMO_CASES_DIR

    out = StringIO()
    call_command("report", str(DEMO_CASES_DIR / "safe_city_control_room.toml"), "--pdf", str(tmp_path / "r.pdf"),
                 "--html", str(tmp_path / "r.html"), "--json", str(tmp_path / "r.json"), stdout=out)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert "Executive summary" in (tmp_path / "r.html").read_text()
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["digest"] == content_digest(data["content"])
    assert "unlawful_as_proposed" in out.getvalue()


def _inflate(pdf: bytes):
    """The decompressed streams of a PDF, where WeasyPrint keeps the document catalog."""
    import re
    import zlib

    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            yield zlib.decompress(match.group(1))
        except zlib.error:
            continue
