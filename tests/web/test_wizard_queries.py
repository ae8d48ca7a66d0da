"""The wizard's queries per step: at most 4 to show a step and 6 to save one, however many steps were saved."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dpia.models import Assessment
from tests.web.wizard_helpers import step_post_data, step_url


def statements(context) -> list[str]:
    """The queries a request ran, without the SAVEPOINT/RELEASE pairs that only the test's own transaction adds
    (outside a test, an atomic block is a BEGIN and a COMMIT that the driver sends, not queries)."""
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]


@pytest.fixture
def draft(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation, title="Tram cameras",
                                           created_by=author)
    client.force_login(author)
    return assessment


@pytest.mark.parametrize(("step", "answers"), [
    ("project", {"project.name": "Tram cameras", "project.summary": "Cameras in every tram."}),
    ("risks", {"risks.list": [{"key": "r1", "risk": "chilling_effect", "severity": "maximum",
                               "likelihood": "maximum"}]}),
])
def test_a_wizard_step_reads_in_4_queries_and_saves_in_6(client, draft, step, answers):
    for saved in range(3):  # earlier saves make no difference
        with CaptureQueriesContext(connection) as shown:
            assert client.get(step_url(draft, step)).status_code == 200
        assert len(statements(shown)) <= 4, statements(shown)
        data = step_post_data(draft, step, {**answers, "project.name": f"Tram cameras {saved}"}
                              if step == "project" else answers)
        with CaptureQueriesContext(connection) as saving:
            response = client.post(step_url(draft, step), data)
        assert response.status_code == 302
        assert len(statements(saving)) <= 6, statements(saving)
    draft.refresh_from_db()
    assert draft.revision == 3 and draft.revisions.count() == 3  # every save was written
