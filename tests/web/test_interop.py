"""Open formats through the web app and the command line: a version to the CNIL's PIA software and back,
CSV of the action plan and of the register, with the access rules of the pages the data comes from."""

import csv
import io
import json
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.interop.cnil_pia import MAX_BYTES, ROUND_TRIP_QUESTIONS
from dpia.labels import VERDICTS
from dpia.models import Assessment, AssessmentVersion, AuditLogEntry, Membership, Organisation, Publication

pytestmark = pytest.mark.django_db
Role = Membership.Role
FULL_CASE = Path(__file__).resolve().parents[1] / "interop" / "full_case.toml"
NATIVE = Path(__file__).resolve().parents[1] / "interop" / "cnil_native.json"
CNIL_RISKS = {"illegitimate_access", "unwanted_modification", "disappearance"}
FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture(autouse=True)
def quick_pdf(monkeypatch):
    """No test here reads a PDF, and WeasyPrint takes seconds per render: freezing and publishing get a stub."""
    monkeypatch.setattr("dpia.reports.render.render_pdf", lambda html, **limits: b"%PDF-1.7 stub")


@pytest.fixture
def people(make_organisation, make_user):
    city = make_organisation(name="Ville de Testville", slug="testville", city="Testville")
    return {
        "city": city,
        "author": make_user(Role.AUTHOR, organisation=city, username="author"),
        "dpo": make_user(Role.DPO, organisation=city, username="dpo"),
        "signatory": make_user(Role.SIGNATORY, organisation=city, username="signatory"),
        "stranger": make_user(Role.AUTHOR, username="stranger"),
    }


def full_answers():
    return tomllib.loads(FULL_CASE.read_text(encoding="utf-8"))["answers"]


def draft(people, answers=None, title="Tram network video-protection"):
    bank = default_bank()
    assessment = services.assessment_create(user=people["author"], organisation=people["city"], title=title,
                                            bank=bank)
    return services.assessment_import_answers(assessment=assessment, user=people["author"],
                                              answers=answers or full_answers(), bank=bank)


@pytest.fixture
def version(client, people):
    """Version 1 of the complete demo case, frozen through the page as an author does."""
    assessment = draft(people)
    client.force_login(people["author"])
    response = client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    assert response.status_code == 302 and "/versions/1/" in response.url
    return AssessmentVersion.objects.get(assessment=assessment)


def url(name, version, **extra):
    return reverse(name, kwargs={"pk": version.assessment_id, "number": version.number, **extra})


def upload(client, data: bytes, organisation, name="pia.json"):
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("cnil_pia_import"), {"upload": handle, "organisation": organisation.pk})


def without_keys(items, keep=None):
    return [{k: v for k, v in item.items() if k != "key" and (keep is None or k in keep)} for item in items]


def test_round_trip_a_full_case_comes_back_with_every_mapped_answer_equal(client, people, version):
    """Full demo answers -> frozen version -> CNIL PIA export -> import as a new draft -> same answers."""
    exported = client.get(url("version_cnil_pia", version))
    assert exported.status_code == 200 and exported["Content-Type"] == "application/json"
    assert 'attachment; filename="dpia-' in exported["Content-Disposition"]
    response = upload(client, exported.content, people["city"], name="tram-cnil.json")
    imported = Assessment.objects.exclude(pk=version.assessment_id).get()
    assert response.url == reverse("assessment_detail", kwargs={"pk": imported.pk})
    original, back = version.content["answers"], imported.answers

    for question_id in ROUND_TRIP_QUESTIONS:
        assert back.get(question_id) == original.get(question_id), question_id
    # Measures: everything but the risks the CNIL's three do not name (left for the author to tick).
    expected = [{k: v for k, v in m.items() if k != "addresses"} for m in without_keys(original["measures.list"])]
    for measure, before in zip(expected, original["measures.list"], strict=True):
        if addressed := [r for r in before["addresses"] if r in CNIL_RISKS]:
            measure["addresses"] = addressed
    assert without_keys(back["measures.list"]) == expected
    # Risks of the CNIL's three kinds, with their levels before and after the measures.
    assert without_keys(back["risks.list"]) == without_keys([r for r in original["risks.list"]
                                                             if r["risk"] in CNIL_RISKS])
    assert without_keys(back["measures.residual"]) == without_keys([r for r in original["measures.residual"]
                                                                    if r["risk"] in CNIL_RISKS])
    assert imported.title == "Tram network video-protection" and imported.status == "draft"
    assert imported.organisation == people["city"]

    # What has no place in the questionnaire is on the draft's page, word for word.
    page = client.get(response.url).content.decode()
    assert "Imported notes" in page and "tram-cnil.json" in page
    assert "People avoid the tram to avoid cameras" in page  # a risk that is not one of the CNIL's three
    assert "Network security plan 2026" in page  # an answer the CNIL format has no question for


def test_a_cnil_file_imports_as_a_new_draft_with_its_notes_in_french(client, people):
    client.force_login(people["author"])
    client.cookies["django_language"] = "fr"
    response = upload(client, NATIVE.read_bytes(), people["city"])
    assessment = Assessment.objects.get()
    assert assessment.title == "Vidéoprotection du parking relais"
    assert assessment.answers["measures.list"][1]["due_date"] == "2026-03-31"
    page = client.get(response.url).content.decode()
    assert "Notes importées" in page and "Référentiel CNIL sur la vidéoprotection." in page
    assert "Aucune question de ce questionnaire ne reçoit cette réponse." in page
    entry = AuditLogEntry.objects.get(action="import_cnil_pia")
    assert entry.actor == people["author"] and entry.assessment == assessment and entry.ip_address == "127.0.0.1"


@pytest.mark.parametrize(("data", "message"), [
    (b"not json at all", "is not valid JSON (line 1, column 1)"),
    (b'{"pia": {}, "answers": [], "measures": [], "evaluations": []}', "“comments” is missing"),
    (b'{"pia": {"name": "a\\u0000b"}, "answers": [], "measures": [], "evaluations": [], "comments": []}',
     "pia.name: a text contains a NUL character"),
    (b'{"pia": {"name": "\\udc00"}, "answers": [], "measures": [], "evaluations": [], "comments": []}',
     "not valid Unicode"),
    (b"[" * 5000 + b"]" * 5000, "nested more than 20 levels deep"),
    (b'{"pia": {}, "answers": [{"reference_to": 325, "data": {"gauge": "high"}}], "measures": [], '
     b'"evaluations": [], "comments": []}', "answers[0].data.gauge: expected a number"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
])
def test_a_malformed_or_hostile_file_is_refused_with_a_clear_message_and_creates_nothing(client, people, data,
                                                                                         message):
    client.force_login(people["author"])
    log = AuditLogEntry.objects.count()
    response = upload(client, data, people["city"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "This file cannot be imported." in page and message in page and "Nothing was created." in page
    assert not Assessment.objects.exists() and AuditLogEntry.objects.count() == log


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, people):
    client.force_login(people["author"])
    response = upload(client, b'{"pia": {"name": "' + b"x" * MAX_BYTES + b'"}}', people["city"])
    assert "The file is larger than 2 MB." in response.content.decode()
    assert not Assessment.objects.exists()


def test_only_authors_import_and_only_into_their_own_organisation(client, people, make_user):
    client.force_login(people["stranger"])
    assert upload(client, NATIVE.read_bytes(), people["city"]).status_code == 200  # not a choice for them
    client.force_login(people["dpo"])
    assert "Only authors" in client.get(reverse("cnil_pia_import")).content.decode()
    upload(client, NATIVE.read_bytes(), people["city"])
    assert not Assessment.objects.exists()
    client.logout()
    assert client.get(reverse("cnil_pia_import")).status_code == 302  # to the login page


def test_the_buttons_are_where_people_look_for_them(client, people, version):
    new_page = client.get(reverse("assessment_new")).content.decode()
    assert reverse("cnil_pia_import") in new_page and "Or import a CNIL PIA file" in new_page
    assert reverse("cnil_pia_import") in client.get(reverse("home")).content.decode()
    version_page = client.get(url("version_detail", version)).content.decode()
    assert url("version_cnil_pia", version) in version_page and url("version_action_plan_csv", version) in version_page
    detail = client.get(reverse("assessment_detail", kwargs={"pk": version.assessment_id})).content.decode()
    assert url("version_cnil_pia", version) in detail
    client.cookies["django_language"] = "fr"
    assert "Fichier PIA de la CNIL" in client.get(url("version_detail", version)).content.decode()


def test_another_organisation_gets_404_and_the_public_a_login_page(client, people, version):
    client.force_login(people["stranger"])
    for name in ("version_cnil_pia", "version_action_plan_csv"):
        assert client.get(url(name, version)).status_code == 404
    client.logout()
    for name in ("version_cnil_pia", "version_action_plan_csv"):
        assert client.get(url(name, version)).status_code == 302
    assert client.get(reverse("register_cnil_pia", kwargs={"pk": 1})).status_code == 404


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_action_plan_of_a_version_downloads_as_csv_with_formulas_defused(client, people):
    answers = full_answers()
    answers["measures.list"][0]["title"] = FORMULA
    assessment = draft(people, answers)
    client.force_login(people["author"])
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}))
    rows = read_csv(client.get(url("version_action_plan_csv", assessment.versions.get())))
    assert rows[0] == ["Measure", "What exactly is done, and how can it be checked?", "Risks it addresses", "Status",
                       "Owner (function)", "Due date"]
    assert rows[1][0] == "'" + FORMULA
    assert rows[2] == ["Signed exports", "Exported clips carry a SHA-256 checksum and the operator's signature.",
                       "Unwanted modification", "Planned", "IT security officer", "2027-01-31"]


def publish(client, people, assessment):
    def act(user, action, **data):
        client.force_login(user)
        client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": action}), data)

    act(people["author"], "request_dpo_advice")
    act(people["dpo"], "give_dpo_advice", advice="Log every export.")
    act(people["author"], "record_dpo_decision", decision="followed")
    act(people["signatory"], "sign", confirmed="yes")
    act(people["signatory"], "publish", confirmed="yes")
    client.logout()
    return Publication.objects.get(version__assessment=assessment)


def test_the_public_exports_only_the_published_redacted_version(client, people):
    publication = publish(client, people, draft(people))
    pia = client.get(reverse("register_cnil_pia", kwargs={"pk": publication.pk})).json()
    text = json.dumps(pia, ensure_ascii=False)
    assert "Head of the control room" not in text and "[redacted]" in text  # owners are sensitive
    assert pia["pia"]["dpo_opinion"] == "Log every export." and pia["pia"]["validator_name"] == "signatory"
    rows = read_csv(client.get(reverse("register_action_plan_csv", kwargs={"pk": publication.pk})))
    assert rows[1][4] == "[redacted]" and "Head of the control room" not in str(rows)
    report = client.get(reverse("register_report", kwargs={"pk": publication.pk})).content.decode()
    assert reverse("register_action_plan_csv", kwargs={"pk": publication.pk}) in report
    client.force_login(people["signatory"])
    client.post(reverse("assessment_action", kwargs={"pk": publication.version.assessment_id, "action": "withdraw"}))
    client.logout()
    assert client.get(reverse("register_cnil_pia", kwargs={"pk": publication.pk})).status_code == 404
    assert client.get(reverse("register_action_plan_csv", kwargs={"pk": publication.pk})).status_code == 404


def test_the_register_downloads_as_csv_with_the_filters_of_the_page(client, people, make_organisation, make_user):
    first = publish(client, people, draft(people))
    other_city = make_organisation(name="Ville d'Ailleurs", slug="ailleurs", city="Ailleurs",
                                   kind=Organisation.Kind.PUBLIC_BODY)
    others = {"city": other_city, "author": make_user(Role.AUTHOR, organisation=other_city),
              "dpo": make_user(Role.DPO, organisation=other_city),
              "signatory": make_user(Role.SIGNATORY, organisation=other_city)}
    answers = full_answers()
    answers["project.technologies"] = ["cctv"]
    publish(client, others, draft(others, answers, title="=cmd|' /C calc'!A0"))

    page = client.get(reverse("register"), {"technology": "video_analytics"}).content.decode()
    assert reverse("register_csv") + "?technology=video_analytics" in page
    rows = read_csv(client.get(reverse("register_csv"), {"technology": "video_analytics"}))
    assert rows[0][:3] == ["Assessment", "Organisation", "City"] and len(rows) == 2
    assert rows[1][:4] == ["Tram network video-protection", "Ville de Testville", "Testville", "No"]
    technologies = default_bank().question("project.technologies")
    assert rows[1][4:8] == ["; ".join(technologies.choice_label(t, "en") for t in ("cctv", "video_analytics")),
                            "GDPR", str(VERDICTS[first.verdict]), timezone.localdate(first.published_at).isoformat()]
    assert rows[1][8] == first.digest and rows[1][10].endswith(reverse("register_detail", kwargs={"pk": first.pk}))
    everything = read_csv(client.get(reverse("register_csv")))
    assert len(everything) == 3
    assert [row[0] for row in everything if "calc" in row[0]] == ["'=cmd|' /C calc'!A0"]
    assert len(read_csv(client.get(reverse("register_csv"), {"organisation": "ailleurs"}))) == 2


def test_the_register_csv_is_streamed_in_chunks_and_holds_every_entry(client, people, monkeypatch):
    """No row cap: the export reads the register a chunk at a time and streams it, however long it is."""
    from dpia.views import interop

    monkeypatch.setattr(interop, "REGISTER_CSV_CHUNK", 2)
    published = [publish(client, people, draft(people, title=f"Tram network, line {n}")) for n in range(5)]
    client.logout()
    response = client.get(reverse("register_csv"))
    assert response.streaming and response.status_code == 200
    rows = read_csv(response)
    assert rows[0][0] == "Assessment" and len(rows) == 1 + len(published)
    assert sorted(row[8] for row in rows[1:]) == sorted(p.digest for p in published)


def test_manage_py_export_pia_by_id_or_digest(client, people, version, tmp_path):
    out = StringIO()
    call_command("export_pia", str(version.pk), stdout=out)
    assert json.loads(out.getvalue())["pia"]["name"] == "Tram network video-protection"
    target = tmp_path / "pia.json"
    call_command("export_pia", version.digest.upper(), "-o", str(target), stdout=StringIO(), stderr=StringIO())
    assert json.loads(target.read_text(encoding="utf-8")) == json.loads(out.getvalue())
    call_command("export_pia", version.pdf_digest, "-o", str(target), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="no version 999"):
        call_command("export_pia", "999", stdout=StringIO())
    with pytest.raises(CommandError, match="neither a version id nor a SHA-256 digest"):
        call_command("export_pia", "v1", stdout=StringIO())


def test_manage_py_import_pia_creates_a_draft_or_nothing(people, tmp_path):
    out = StringIO()
    call_command("import_pia", str(NATIVE), "--organisation", "testville", "--user", "author", stdout=out)
    assessment = Assessment.objects.get()
    assert f"imported as draft {assessment.pk} 'Vidéoprotection du parking relais'" in out.getvalue()
    assert "note [113]" in out.getvalue()

    broken = tmp_path / "broken.json"
    broken.write_bytes(b'{"pia": {"name": "x"}, "answers": "none"}')
    with pytest.raises(CommandError, match="answers: expected list; nothing was imported"):
        call_command("import_pia", str(broken), "--organisation", "testville", "--user", "author")
    huge = tmp_path / "huge.json"
    huge.write_bytes(b" " * (MAX_BYTES + 1))
    with pytest.raises(CommandError, match="larger than 2 MB"):
        call_command("import_pia", str(huge), "--organisation", "testville", "--user", "author")
    with pytest.raises(CommandError, match="dpo may not start an assessment in testville"):
        call_command("import_pia", str(NATIVE), "--organisation", "testville", "--user", "dpo")
    with pytest.raises(CommandError, match="no organisation 'nowhere'"):
        call_command("import_pia", str(NATIVE), "--organisation", "nowhere", "--user", "author")
    assert Assessment.objects.count() == 1
