"""From the session-22 hostile test: what is sealed and published follows the evidence, and a withdrawn or superseded
publication stays out of the public register."""

from django.urls import reverse

from dpia import services
from dpia.models import Assessment, Organisation, Publication
from dpia.models.accounts import Membership
from tests.web.wizard_helpers import save_step
from tests.web.workflow_helpers import act, status

Role = Membership.Role


def _shadow(client, make_organisation, make_user):
    ngo = make_organisation(name="Watchdog", kind=Organisation.Kind.CIVIL_SOCIETY)
    author = make_user(Role.AUTHOR, organisation=ngo)
    client.force_login(author)
    client.post(reverse("assessment_new"), {"title": "City drones", "organisation": ngo.pk,
                                            "shadow_of": "Police drone pilot of a large city"})
    shadow = Assessment.objects.get(title="City drones")
    save_step(client, shadow, "screening", {"screening.jurisdiction": "fr"})
    return author, shadow


def test_evidence_added_or_removed_is_sealed_into_a_new_publication(client, make_organisation, make_user):
    author, shadow = _shadow(client, make_organisation, make_user)
    act(client, author, shadow, "publish_shadow")
    first = Publication.objects.get()
    assert first.content["evidence"] == []
    act(client, author, shadow, "withdraw_shadow")
    act(client, author, shadow, "revise")
    minutes = services.evidence_add(assessment=shadow, user=author, question_id="project.name",
                                    title="Council minutes 2025", url="https://example.org/minutes")
    act(client, author, shadow, "publish_shadow")
    assert status(shadow) == "published"
    with_minutes = Publication.objects.latest("pk")
    assert with_minutes.pk != first.pk
    assert [e["title"] for e in with_minutes.content["evidence"]] == ["Council minutes 2025"]
    act(client, author, shadow, "withdraw_shadow")
    act(client, author, shadow, "revise")
    minutes.refresh_from_db()
    minutes.assessment.refresh_from_db()
    services.evidence_delete(evidence=minutes, user=author)
    act(client, author, shadow, "publish_shadow")
    without = Publication.objects.latest("pk")
    assert without.pk != with_minutes.pk and without.content["evidence"] == []


def test_a_withdrawn_publication_stays_out_when_the_assessment_is_published_again(client, make_organisation,
                                                                                    make_user):
    author, shadow = _shadow(client, make_organisation, make_user)
    act(client, author, shadow, "publish_shadow")
    first = Publication.objects.get()
    act(client, author, shadow, "withdraw_shadow")
    act(client, author, shadow, "revise")
    client.post(reverse("assessment_rename", kwargs={"pk": shadow.pk}),
                {"title": "City drones, second look", "shadow_of": "Drone pilot renamed"})
    act(client, author, shadow, "publish_shadow")
    second = Publication.objects.latest("pk")
    assert second.pk != first.pk
    client.logout()
    register = client.get(reverse("register")).content.decode()
    assert "City drones, second look" in register
    assert reverse("register_detail", kwargs={"pk": first.pk}) not in register
    assert client.get(reverse("register_detail", kwargs={"pk": first.pk})).status_code == 404
    assert client.get(reverse("register_json", kwargs={"pk": first.pk})).status_code == 404
    # Each publication names the project it was sealed with.
    detail = client.get(reverse("register_detail", kwargs={"pk": second.pk})).content.decode()
    assert "Drone pilot renamed" in detail
