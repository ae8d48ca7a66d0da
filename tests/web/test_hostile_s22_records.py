"""From the session-22 hostile test: what is sealed and published follows the evidence, and a withdrawn or superseded
publication stays out of the public register."""

from django.urls import reverse

from dpia import services
from dpia.models import Publication
from tests.web.workflow_helpers import act, shadow_assessment, status


def test_evidence_added_or_removed_is_sealed_into_a_new_publication(client, make_organisation, make_user):
    author, shadow = shadow_assessment(client, make_organisation, make_user)
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
    author, shadow = shadow_assessment(client, make_organisation, make_user)
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


def test_revising_a_published_assessment_is_confirmed_first_and_says_it_leaves_the_register(
        client, make_organisation, make_user):
    author, shadow = shadow_assessment(client, make_organisation, make_user)
    act(client, author, shadow, "publish_shadow")
    publication = Publication.objects.get()
    action = reverse("assessment_action", kwargs={"pk": shadow.pk, "action": "revise"})
    response = client.post(action)  # the button, not yet confirmed
    confirm = reverse("assessment_confirm", kwargs={"pk": shadow.pk, "action": "revise"})
    assert response.status_code == 302 and response.url == confirm
    assert status(shadow) == "published"
    page = client.get(confirm).content.decode()
    assert "It leaves the public register now" in page and 'name="confirmed"' in page
    french = client.get(confirm, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Elle quitte dès maintenant le registre public" in french
    assert client.get(reverse("register_detail", kwargs={"pk": publication.pk})).status_code == 200
    client.post(action, {"confirmed": "yes"})
    assert status(shadow) == "draft"
    client.logout()
    assert client.get(reverse("register_detail", kwargs={"pk": publication.pk})).status_code == 404
    # A draft has nothing public to lose: the confirmation page has nothing to say and sends back.
    client.force_login(author)
    assert client.get(confirm).status_code == 302
