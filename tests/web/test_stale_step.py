"""A wizard step posted from a page loaded before someone else saved keeps both: their saved answers stay, the
posted input is kept and the conflict is shown, never "Saved." over their work."""

import html
import re

import pytest

from dpia.models import Membership
from tests.web.wizard_helpers import step_post_data, step_url
from tests.web.workflow_helpers import complete_assessment

pytestmark = pytest.mark.django_db
THEIRS = "Counting bicycles on the ring road, by the colleague"


@pytest.mark.parametrize("mine", [
    {"streams-streams__list--0--name": ["Renamed by the author"]},
    {"streams-streams__cross_stream_flows": ["No data flows between streams."]},
    {"streams-streams__anonymisation_claim": ["no"]},
])
def test_a_streams_step_posted_from_an_old_page_does_not_overwrite_a_colleagues_purpose(client, people,
                                                                                        make_user, mine):
    assessment = complete_assessment(client, people)
    colleague = make_user(Membership.Role.AUTHOR, organisation=people["city"], username="camille")
    other = client.__class__()
    other.force_login(colleague)
    client.force_login(people["author"])
    assert client.get(step_url(assessment, "streams")).status_code == 200
    stale = step_post_data(assessment, "streams", {})  # user A's page, loaded now
    theirs = step_post_data(assessment, "streams", {})
    theirs["streams-streams__list--0--purpose"] = [THEIRS]
    assert other.post(step_url(assessment, "streams"), theirs).status_code == 302
    stale.update(mine)
    response = client.post(step_url(assessment, "streams"), stale, follow=True)
    page = response.content.decode()
    if "streams-streams__list--0--name" in mine:  # both changed the list of streams: the conflict is shown
        assert "Someone else saved this section first" in page and THEIRS in page
    assessment.refresh_from_db()
    assert assessment.answers["streams.list"][0]["purpose"] == THEIRS


def _kept_by_colleague(client, people, make_user):
    """A complete draft, the author's page of its streams step made now, and then a colleague's input kept unsaved
    in that step (it does not validate yet: Save and leave keeps it)."""
    assessment = complete_assessment(client, people)
    colleague = make_user(Membership.Role.AUTHOR, organisation=people["city"], username="camille")
    other = client.__class__()
    other.force_login(colleague)
    client.force_login(people["author"])
    stale = step_post_data(assessment, "streams", {})
    theirs = step_post_data(assessment, "streams", {})
    theirs["streams-streams__list--0--purpose"] = [THEIRS]
    theirs["streams-streams__list--0--retention_days"] = ["a week"]
    theirs["save_and_leave"] = ["1"]
    other.post(step_url(assessment, "streams"), theirs)
    assessment.refresh_from_db()
    assert assessment.pending_steps["streams"]["streams-streams__list--0--purpose"] == [THEIRS]
    return assessment, stale


@pytest.mark.parametrize("mine", [
    {"streams-streams__list--0--name": ["Renamed by the author"]},  # valid: would be saved
    {"streams-streams__list--0--retention_days": ["ten"]},  # invalid: would be kept in place of theirs
])
def test_an_old_page_does_not_replace_input_a_colleague_kept_since(client, people, make_user, mine):
    assessment, stale = _kept_by_colleague(client, people, make_user)
    stale.update(mine, save_and_leave=["1"])
    response = client.post(step_url(assessment, "streams"), stale)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Someone kept unsaved input in this section after you opened this page" in page
    assert "Saved." not in page and next(iter(mine.values()))[0] in page  # what the author typed is back
    assessment.refresh_from_db()
    assert assessment.pending_steps["streams"]["streams-streams__list--0--purpose"] == [THEIRS]
    assert assessment.answers["streams.list"][0]["name"] == "First entry"
    # The page now carries the colleague's kept input: saving again replaces it, deliberately.
    again = {key: values for key, values in stale.items()}
    again["streams-kept"] = re.findall(r'name="streams-kept" value="([0-9a-f]+)"', page)
    assert again["streams-kept"]
    client.post(step_url(assessment, "streams"), again)
    assessment.refresh_from_db()
    if "streams-streams__list--0--name" in mine:
        assert assessment.answers["streams.list"][0]["name"] == "Renamed by the author"
        assert "streams" not in assessment.pending_steps
    else:
        assert assessment.pending_steps["streams"]["streams-streams__list--0--retention_days"] == ["ten"]


def test_the_page_of_a_step_with_kept_input_saves_over_it(client, people, make_user):
    assessment, _ = _kept_by_colleague(client, people, make_user)
    page = client.get(step_url(assessment, "streams")).content.decode()
    assert THEIRS in page  # the kept input is shown, with its digest
    data = step_post_data(assessment, "streams", {})
    data["streams-streams__list--0--purpose"] = [THEIRS]
    assert client.post(step_url(assessment, "streams"), data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.answers["streams.list"][0]["purpose"] == THEIRS and "streams" not in assessment.pending_steps
