"""Two people pressing "Submit" at the same moment send the signed version once."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.utils import timezone

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Assessment, AuditLogEntry, Submission
from dpia.services import workflow as workflow_services
from tests.web.workflow_helpers import complete_assessment


def signed_assessment(client, people):
    assessment = complete_assessment(client, people)
    bank = default_bank()
    services.assessment_request_dpo_advice(assessment=assessment, user=people["author"], bank=bank, language="en")
    services.dpo_advice_give(assessment=assessment, user=people["dpo"], advice="OK")
    services.dpo_advice_decide(assessment=assessment, user=people["author"], decision="followed", reasons="")
    services.assessment_sign(assessment=assessment, user=people["signatory"], bank=bank, language="en")
    return assessment


def submit(people, assessment):
    return services.assessment_submit(assessment=assessment, user=people["signatory"],
                                      regulator=people["regulator"], today=timezone.localdate())


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_create_exactly_one_submission(client, people, fake_renderer):
    assessment = signed_assessment(client, people)
    start = threading.Barrier(2)
    outcomes = []

    def press_submit():
        try:
            start.wait()
            submit(people, Assessment.objects.get(pk=assessment.pk))
            outcomes.append("submitted")
        except PermissionDenied:
            outcomes.append("refused")  # PostgreSQL: waited for the row lock, then saw it submitted
        except OperationalError:
            outcomes.append("refused")  # SQLite: the other writer holds the database
        finally:
            connection.close()

    threads = [threading.Thread(target=press_submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["refused", "submitted"]
    assert Submission.objects.count() == 1 and AuditLogEntry.objects.filter(action="submit").count() == 1
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


@pytest.mark.django_db
def test_a_submit_that_read_the_status_before_another_committed_is_refused(client, people, fake_renderer,
                                                                           monkeypatch):
    """The interleaving a database without row locks allows: both read "signed", the first commits."""
    assessment = signed_assessment(client, people)
    stale = Assessment.objects.select_related("organisation").get(pk=assessment.pk)
    submit(people, assessment)
    monkeypatch.setattr(workflow_services, "lock", lambda _: stale)  # what the second request read before
    with pytest.raises(PermissionDenied, match="changed in the meantime"):
        submit(people, assessment)
    assert Submission.objects.count() == 1 and AuditLogEntry.objects.filter(action="submit").count() == 1
