"""From the session-23 walk-through by new users: each workflow step says what it did, and the review queue puts the
submissions with a legal time limit first."""

import pytest
from django.urls import reverse

from dpia.models import Submission
from tests.web.test_role_home import submitted
from tests.web.workflow_helpers import act, complete_assessment

pytestmark = pytest.mark.django_db


def test_each_step_of_the_workflow_says_what_it_sealed_and_where_it_went(client, people, fake_renderer):
    assessment = complete_assessment(client, people)
    page = client.get(act(client, people["author"], assessment, "request_dpo_advice").url).content.decode()
    assert "Version 1 is sealed and sent to the DPO for advice." in page
    page = client.get(act(client, people["dpo"], assessment, "give_dpo_advice", advice="Fine.").url).content.decode()
    assert "Your advice on version 1 is recorded." in page
    act(client, people["author"], assessment, "record_dpo_decision", decision="followed")
    page = client.get(act(client, people["signatory"], assessment, "sign").url).content.decode()
    assert "Signed: version 2 is sealed with the DPO&#x27;s advice" in page
    response = act(client, people["signatory"], assessment, "submit", regulator=people["regulator"].pk)
    assert "Version 2 is submitted to Test DPA." in client.get(response.url).content.decode()


def test_the_queue_lists_submissions_with_a_time_limit_before_those_without(client, people):
    submitted(people, "With a time limit", deadline_in_days=42)
    none = submitted(people, "No time limit")
    Submission.objects.filter(pk=none.pk).update(deadline=None)
    client.force_login(people["reviewer"])
    page = client.get(reverse("review_queue")).content.decode()
    assert page.index("With a time limit") < page.index("No time limit")


def test_english_pages_write_dates_day_month_year():
    """Not Django's American "Nov. 29, 2026, 3:50 p.m.": the register and the workspace are read across Europe."""
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 11, 29, 15, 50)
    with translation.override("en"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "29 November 2026, 15:50"
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "29 November 2026"
    with translation.override("fr"):
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "29 novembre 2026"
