"""Drafts renamed and deleted (kept in the audit log); signing an unlawful project and publishing confirmed first."""

import copy
import html

import pytest
from django.urls import reverse

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, AuditLogEntry, Membership, Organisation, Publication
from dpia.reports.redaction import REDACTED, redaction_preview
from tests.web.workflow_helpers import act, complete_assessment, sign, status

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def draft(people):
    return Assessment.objects.create(organisation=people["city"], title="Tram cameras", created_by=people["author"])


@pytest.fixture
def outsider(make_user, make_organisation):
    """An author of another city: every page about our drafts is 404 to them."""
    return make_user(Role.AUTHOR, Role.SIGNATORY, Role.DPO, organisation=make_organisation(name="Other city"))


def url(name, assessment, **kwargs):
    return reverse(name, kwargs={"pk": assessment.pk, **kwargs})


# --- renaming -------------------------------------------------------------------------------------------------------

def test_an_author_renames_a_draft_and_the_audit_log_says_from_what(client, people, draft):
    client.force_login(people["author"])
    response = client.post(url("assessment_rename", draft), {"title": "  Plate readers at 12 entry roads "})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Plate readers at 12 entry roads"
    entry = AuditLogEntry.objects.get(action="rename_draft")
    assert entry.detail == {"old_title": "Tram cameras", "new_title": "Plate readers at 12 entry roads"}
    assert "Plate readers at 12 entry roads" in client.get(reverse("home")).content.decode()


def test_the_regulator_reads_the_name_the_submitted_version_was_sealed_under(client, people, signed):
    act(client, people["signatory"], signed, "submit", regulator=people["regulator"].pk)
    submission = signed.versions.order_by("-number").first().submissions.get()
    Assessment.objects.filter(pk=signed.pk).update(title="Later name")  # the live record moves on
    client.force_login(people["reviewer"])
    for url_ in (reverse("review_queue"), reverse("review_detail", kwargs={"pk": submission.pk}), reverse("home")):
        text = client.get(url_).content.decode()
        assert "Tram cameras" in text and "Later name" not in text


def test_freezing_again_after_a_rename_seals_a_version_under_the_new_name(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    client.force_login(people["author"])
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}), {"language": "en"})
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}), {"language": "en"})
    assert assessment.versions.count() == 1  # nothing changed: a second click seals nothing
    client.post(url("assessment_rename", assessment), {"title": "Renamed tram cameras"})
    client.post(reverse("version_freeze", kwargs={"pk": assessment.pk}), {"language": "en"})
    assert [v.sealed_title for v in assessment.versions.order_by("number")] == ["Tram cameras", "Renamed tram cameras"]


def test_a_renamed_draft_seals_its_new_name_and_the_register_keeps_the_published_one(client, people, signed):
    # Renaming changes no answer; it is still a change of the record: signing afterwards seals a new version
    # under the new name, and what was already published keeps the name it was published under.
    act(client, people["signatory"], signed, "publish")
    first = Publication.objects.get()
    act(client, people["author"], signed, "revise")
    client.force_login(people["author"])
    client.post(url("assessment_rename", signed), {"title": "Renamed tram cameras"})
    before = signed.versions.count()
    sign(client, people, signed)
    act(client, people["signatory"], signed, "publish")
    latest = signed.versions.order_by("-number").first()
    assert signed.versions.count() > before and latest.sealed_title == "Renamed tram cameras"
    second = Publication.objects.exclude(pk=first.pk).get()
    assert second.version == latest
    client.logout()
    old_page = client.get(reverse("register_detail", kwargs={"pk": first.pk})).content.decode()
    assert "<h1>Tram cameras</h1>" in old_page and "Renamed" not in old_page
    listing = client.get(reverse("register")).content.decode()
    assert "Renamed tram cameras" in listing and ">Tram cameras</a>" in listing
    csv_rows = b"".join(client.get(reverse("register_csv")).streaming_content).decode().splitlines()
    assert sorted(row.split(",")[0] for row in csv_rows[1:]) == ["Renamed tram cameras", "Tram cameras"]


@pytest.mark.parametrize("title", ["", "   ", "x" * 201])
def test_an_empty_or_over_long_name_is_refused_with_a_message_and_the_old_name_is_kept(client, people, draft, title):
    client.force_login(people["author"])
    response = client.post(url("assessment_rename", draft), {"title": title})
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page
    assert 'maxlength="200"' in page
    draft.refresh_from_db()
    assert draft.title == "Tram cameras"


def test_the_dpo_and_the_signatory_may_not_rename(client, people, draft):
    for user in (people["dpo"], people["signatory"]):
        client.force_login(user)
        assert client.post(url("assessment_rename", draft), {"title": "Mine"}).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Tram cameras"


def test_a_submitted_assessment_is_not_renamed(client, people, draft):
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.SUBMITTED)
    client.force_login(people["author"])
    client.post(url("assessment_rename", draft), {"title": "Renamed"})
    draft.refresh_from_db()
    assert draft.title == "Tram cameras"
    assert "Only a draft can be renamed" in client.get(url("assessment_rename", draft)).content.decode()


# --- deleting -------------------------------------------------------------------------------------------------------

def test_deleting_a_draft_asks_first_then_hides_it_everywhere_but_the_audit_log_keeps_it(client, people, draft):
    client.force_login(people["author"])
    question = client.get(url("assessment_delete", draft)).content.decode()
    assert "The audit log keeps a record" in question and "cannot be undone" in question
    assert Assessment.objects.get(pk=draft.pk).deleted_at is None  # asking deletes nothing
    response = client.post(url("assessment_delete", draft))
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "is deleted" in home and url("assessment_detail", draft) not in home
    assert client.get(url("assessment_detail", draft)).status_code == 404
    assert client.get(url("wizard_start", draft)).status_code == 404
    client.force_login(people["dpo"])
    assert client.get(url("assessment_detail", draft)).status_code == 404
    kept = Assessment.objects.get(pk=draft.pk)
    assert kept.deleted_at is not None and kept.deleted_by == people["author"]
    entry = AuditLogEntry.objects.get(action="delete_draft")
    assert entry.assessment_id == draft.pk and entry.actor == people["author"]


def test_a_deleted_draft_cannot_be_deleted_again(client, people, draft):
    client.force_login(people["author"])
    client.post(url("assessment_delete", draft))
    assert client.post(url("assessment_delete", draft)).status_code == 404
    assert AuditLogEntry.objects.filter(action="delete_draft").count() == 1


def test_the_dpo_and_the_signatory_may_not_delete(client, people, draft):
    for user in (people["dpo"], people["signatory"]):
        client.force_login(user)
        assert client.post(url("assessment_delete", draft)).status_code == 404
    assert Assessment.objects.get(pk=draft.pk).deleted_at is None


def test_a_submitted_assessment_cannot_be_deleted_even_once_revised_back_to_a_draft(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    sign(client, people, assessment)
    act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    client.force_login(people["author"])
    client.post(url("assessment_delete", assessment))
    assert Assessment.objects.get(pk=assessment.pk).deleted_at is None
    act(client, people["author"], assessment, "revise") if status(assessment) != "draft" else None
    page = client.get(url("assessment_delete", assessment)).content.decode()
    assert "Only a draft that was never submitted nor published can be deleted." in page
    client.post(url("assessment_delete", assessment))
    assert Assessment.objects.get(pk=assessment.pk).deleted_at is None
    assert not AuditLogEntry.objects.filter(action="delete_draft").exists()


@pytest.mark.parametrize("name,method", [("assessment_rename", "get"), ("assessment_rename", "post"),
                                         ("assessment_delete", "get"), ("assessment_delete", "post"),
                                         ("assessment_confirm", "get")])
def test_another_organisations_user_gets_404_on_every_new_page(client, people, draft, outsider, name, method):
    client.force_login(outsider)
    kwargs = {"action": "publish"} if name == "assessment_confirm" else {}
    response = getattr(client, method)(url(name, draft, **kwargs), {"title": "Stolen"} if method == "post" else None)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Tram cameras" and draft.deleted_at is None


@pytest.mark.parametrize("path", ["/assessments/999999/rename/", "/assessments/999999/delete/",
                                  "/assessments/999999/confirm/publish/", "/assessments/abc/rename/",
                                  "/assessments/-1/delete/", "/assessments/1/confirm/drop-table/"])
def test_bad_ids_and_actions_get_404(client, people, path):
    client.force_login(people["signatory"])
    assert client.get(path).status_code == 404


# --- confirming decisions with weight ----------------------------------------------------------------------------

VENDOR = {"key": "v1", "name": "Acme Vision", "role": "processor", "contract_details": "Ref 42, audit twice a year"}


@pytest.fixture
def signed(client, people, fake_renderer, monkeypatch):
    """A signed assessment whose answers name a vendor and its contract (a sensitive field)."""
    assessment = complete_assessment(client, people)
    answers = copy.deepcopy(assessment.answers)
    answers["project.vendors"] = [{**item, **VENDOR} if i == 0 else item
                                  for i, item in enumerate(answers.get("project.vendors") or [{}])]
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=answers,
                                       bank=default_bank())
    sign(client, people, assessment)
    assert status(assessment) == "signed"
    return assessment


def test_publishing_without_confirmation_goes_to_the_confirmation_page_and_publishes_nothing(client, people, signed):
    client.force_login(people["signatory"])
    response = client.post(reverse("assessment_action", kwargs={"pk": signed.pk, "action": "publish"}))
    assert response.url == url("assessment_confirm", signed, action="publish")
    assert status(signed) == "signed" and not Publication.objects.exists()


def test_the_publication_page_says_who_will_see_it_that_it_stays_and_the_verdict(client, people, signed):
    client.force_login(people["signatory"])
    page = client.get(url("assessment_confirm", signed, action="publish")).content.decode()
    assert "anyone, without logging in" in page
    assert "cannot be undone" in page
    verdict = signed.versions.order_by("-number").first().content["result"]["verdict"]["outcome"]
    from dpia.labels import VERDICTS
    assert str(VERDICTS[verdict]) in page


def test_the_redaction_preview_shows_exactly_what_the_published_version_hides(client, people, signed):
    client.force_login(people["signatory"])
    page = client.get(url("assessment_confirm", signed, action="publish")).content.decode()
    assert "Acme Vision" in page and "Ref 42, audit twice a year" in page
    assert "Contract reference, duration and key clauses" in page
    act(client, people["signatory"], signed, "publish")
    public = Publication.objects.get().content
    vendor = next(v for v in public["answers"]["project.vendors"] if v["key"] == "v1")
    assert vendor["contract_details"] == REDACTED and vendor["name"] == "Acme Vision"
    # Every answer the preview lists is hidden in the publication, and nothing else is.
    signed_answers = signed.versions.order_by("-number").first().content["answers"]
    hidden = {qid for qid, value in public["answers"].items() if value != signed_answers[qid]}
    bank = default_bank()
    previewed = {qid for qid, q in bank.questions.items() if q.label.get("en") in page and qid in hidden}
    assert previewed == hidden


def test_the_redaction_preview_names_items_and_lists_nothing_when_nothing_is_sensitive():
    bank = default_bank()
    plain = next(q for q in bank.questions.values() if q.sensitive and q.type == "short_text" and not q.per_item)
    content = {"answers": {"project.vendors": [{"key": "v1", "name": "Acme Vision", "contract_details": "Ref 42"},
                                               {"key": "v2", "name": "Other"}],
                           plain.id: "Room 4", "project.summary": "Twelve cameras."},
               "evidence": [{"question_id": "project.vendors", "title": "Acme contract"},
                            {"question_id": "project.summary", "title": "Brief"}]}
    preview = redaction_preview(content, bank, "en")
    vendors = bank.questions["project.vendors"]
    assert sorted((r.question, r.where, r.field, r.hidden) for r in preview) == sorted([
        (vendors.label.get("en"), "Acme Vision", vendors.field("contract_details").label.get("en"), "Ref 42"),
        (plain.label.get("en"), "", "", "Room 4"),
        (vendors.label.get("en"), "", "", "Acme contract")])
    assert redaction_preview({"answers": {"project.summary": "Twelve cameras."}, "evidence": []}, bank, "en") == []


def test_the_confirmation_page_is_refused_to_who_may_not_publish(client, people, signed):
    client.force_login(people["author"])
    assert client.get(url("assessment_confirm", signed, action="publish")).status_code == 403
    client.force_login(people["dpo"])
    assert client.get(url("assessment_confirm", signed, action="publish")).status_code == 403


def unlawful(client, people):
    """A complete assessment whose legal basis is not published: a blocker, so unlawful as proposed."""
    assessment = complete_assessment(client, people)
    answers = copy.deepcopy(assessment.answers)
    answers["legality.law_published"] = {key: "no" for key in answers["legality.law_published"]}
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=answers,
                                       bank=default_bank())
    return assessment


def test_signing_an_unlawful_project_is_confirmed_first_and_the_page_says_why(client, people, fake_renderer):
    assessment = unlawful(client, people)
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Do not sign.")
    act(client, people["author"], assessment, "record_dpo_decision", decision="overruled", reasons="Mayor's order.")
    client.force_login(people["signatory"])
    response = client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "sign"}))
    assert response.url == url("assessment_confirm", assessment, action="sign")
    assert status(assessment) == "ready_to_sign"
    page = client.get(response.url).content.decode()
    assert "Unlawful as proposed" in page and "The law is not accessible" in page
    assert "cannot be undone" in page and "supervisory authority" in page
    assert 'name="confirmed" value="yes"' in page
    client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "sign"}), {"confirmed": "yes"})
    assert status(assessment) == "signed"


def test_signing_a_project_that_is_not_unlawful_needs_no_confirmation(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    answers = {**assessment.answers, "rights.restrictions": "no"}  # the one blocker of the complete answers
    services.assessment_import_answers(assessment=assessment, user=people["author"], answers=answers,
                                       bank=default_bank())
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Fine.")
    act(client, people["author"], assessment, "record_dpo_decision", decision="followed")
    client.force_login(people["signatory"])
    asked = client.get(url("assessment_confirm", assessment, action="sign")).content.decode()
    assert "Sign this assessment?" in asked and "unlawful as proposed”?" not in asked
    client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "sign"}))
    assert status(assessment) == "signed"


def test_a_forged_confirmation_still_goes_through_the_permission_checks(client, people, signed, make_user):
    client.force_login(people["author"])
    client.post(reverse("assessment_action", kwargs={"pk": signed.pk, "action": "publish"}), {"confirmed": "yes"})
    assert status(signed) == "signed" and not Publication.objects.exists()


def test_civil_society_pages_are_not_reachable_by_a_regulator(client, people, draft):
    client.force_login(people["reviewer"])
    for name in ("assessment_rename", "assessment_delete"):
        assert client.get(url(name, draft)).status_code == 404
    assert Organisation.objects.filter(kind=Organisation.Kind.REGULATOR).exists()


def test_a_shadow_assessment_is_published_only_after_its_confirmation_page(client, make_organisation, make_user,
                                                                           fake_renderer, monkeypatch):
    ngo = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    author = make_user(Role.AUTHOR, organisation=ngo)
    shadow = Assessment.objects.create(organisation=ngo, title="City drones", created_by=author,
                                       shadow_of="Police drone pilot", answers={"project.summary": "Drones."})
    client.force_login(author)
    action = reverse("assessment_action", kwargs={"pk": shadow.pk, "action": "publish_shadow"})
    assert client.post(action).url == url("assessment_confirm", shadow, action="publish_shadow")
    assert status(shadow) == "draft"
    page = client.get(url("assessment_confirm", shadow, action="publish_shadow")).content.decode()
    assert "labelled as a shadow assessment" in page and "What will be redacted" in page
    client.post(action, {"confirmed": "yes"})
    assert status(shadow) == "published" and Publication.objects.get().shadow


# A refusal on the way to a confirmation page is said on the assessment page, not as a bare 403 (hostile test):
# only who may never sign or publish is refused outright.

def _shown(response) -> str:
    assert response.status_code == 200 and response.redirect_chain, "not sent back to a page"
    return html.unescape(response.content.decode())


def test_publishing_what_the_status_does_not_allow_says_why_on_the_assessment_page(client, people, draft):
    client.force_login(people["signatory"])
    before = (draft.answers, draft.revision)
    response = client.post(reverse("assessment_action", kwargs={"pk": draft.pk, "action": "publish"}), follow=True)
    page = _shown(response)
    assert response.redirect_chain[-1][0] == url("assessment_detail", draft)
    assert "You cannot publish this assessment in the public register while it is “Draft”." in page
    draft.refresh_from_db()
    assert (draft.status, draft.answers, draft.revision) == ("draft", *before)


def test_a_second_publication_from_the_confirmation_page_says_it_is_published_already(client, people, signed):
    act(client, people["signatory"], signed, "publish")
    client.cookies["django_language"] = "fr"
    page = _shown(client.get(url("assessment_confirm", signed, action="publish"), follow=True))
    assert "Vous ne pouvez pas publier cette analyse au registre public tant qu'elle est «\u00a0Publiée\u00a0»." in page
    assert Publication.objects.count() == 1


def test_signing_before_the_decision_on_the_dpo_advice_is_said_before_the_confirmation(client, people,
                                                                                       fake_renderer):
    assessment = unlawful(client, people)
    act(client, people["author"], assessment, "request_dpo_advice")
    act(client, people["dpo"], assessment, "give_dpo_advice", advice="Do not sign.")
    client.force_login(people["signatory"])
    response = client.post(reverse("assessment_action", kwargs={"pk": assessment.pk, "action": "sign"}), follow=True)
    page = _shown(response)
    assert "Record whether the DPO's advice is followed before signing." in page
    assert "Sign an assessment whose verdict" not in page
    assert status(assessment) == "ready_to_sign" and not assessment.versions.filter(number__gt=1).exists()


def test_who_may_never_sign_or_publish_is_still_refused_outright(client, people, draft, make_organisation,
                                                                 make_user):
    client.force_login(people["author"])
    for action in ("sign", "publish"):
        assert client.get(url("assessment_confirm", draft, action=action)).status_code == 403
    # An ordinary assessment has no shadow publication to confirm.
    client.force_login(people["signatory"])
    assert client.get(url("assessment_confirm", draft, action="publish_shadow")).status_code == 403
