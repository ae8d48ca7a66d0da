"""Saving a wizard step from the draft as the wizard read it: whatever was written between that read and the save
(another save, input kept pending, a lost role, a submission) is seen, as when the save read the row itself."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dpia import selectors, services
from dpia.models import Assessment, Membership
from dpia.services.common import NotADraft


@pytest.fixture
def draft(author):
    draft = Assessment.objects.create(organisation=author.memberships.get().organisation, title="Tram cameras",
                                      created_by=author)
    return services.assessment_save_step(assessment=draft, user=author, step="project",
                                         answers={"project.name": "Tram cameras"}, base_revision=0)


@pytest.fixture
def colleague(make_user, draft):
    return make_user(Membership.Role.AUTHOR, organisation=draft.organisation, username="camille")


def read(user, draft):
    return selectors.draft_for_wizard(user, draft.pk)


def test_a_save_from_an_unchanged_read_is_one_update_and_one_revision_row(author, draft):
    services.assessment_keep_pending(assessment=draft, user=author, step="screening",
                                     data={"screening-jurisdiction": ["xx"]})
    before = read(author, draft)
    with CaptureQueriesContext(connection) as saving:
        saved = services.assessment_save_step(assessment=before, user=author, step="project",
                                              answers={"project.summary": "Twelve cameras."}, base_revision=1)
    statements = [q["sql"] for q in saving.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert [sql.split()[0] for sql in statements] == ["UPDATE", "INSERT"], statements
    row = Assessment.objects.get(pk=draft.pk)
    assert row.answers == saved.answers == {"project.name": "Tram cameras", "project.summary": "Twelve cameras."}
    assert row.revision == saved.revision == 2 and row.last_step == saved.last_step == "project"
    assert row.updated_at == saved.updated_at > before.updated_at and row.updated_by == author
    assert row.pending_steps == saved.pending_steps == {"screening": {"screening-jurisdiction": ["xx"]}}
    revision = row.revisions.get(number=2)
    assert revision.step == "project" and revision.answers == {"project.summary": "Twelve cameras."}
    assert revision.saved_by == author
    assert before.revision == 1 and "project.summary" not in before.answers  # the caller's read is left as it was


def test_a_save_made_since_the_read_is_merged_or_stops_a_conflicting_one(author, colleague, draft):
    before = read(author, draft)
    services.assessment_save_step(assessment=read(colleague, draft), user=colleague, step="project",
                                  answers={"project.name": "Tram and bus cameras"}, base_revision=1)
    with pytest.raises(services.EditConflict) as conflict:
        services.assessment_save_step(assessment=before, user=author, step="project",
                                      answers={"project.name": "Bus cameras"}, base_revision=1)
    assert conflict.value.first.saved_by == colleague
    assert Assessment.objects.get(pk=draft.pk).answers == {"project.name": "Tram and bus cameras"}

    saved = services.assessment_save_step(assessment=before, user=author, step="project",
                                          answers={"project.summary": "Twelve cameras."}, base_revision=1)
    row = Assessment.objects.get(pk=draft.pk)
    assert row.answers == saved.answers == {"project.name": "Tram and bus cameras",
                                            "project.summary": "Twelve cameras."}
    assert row.revision == saved.revision == 3 and list(row.revisions.values_list("number", flat=True)) == [1, 2, 3]


def test_input_kept_pending_since_the_read_is_cleared_by_the_save_of_its_step(author, colleague, draft):
    before = read(author, draft)
    services.assessment_keep_pending(assessment=draft, user=colleague, step="project",
                                     data={"project-name": ["half typed"]})
    services.assessment_keep_pending(assessment=draft, user=colleague, step="screening",
                                     data={"screening-jurisdiction": ["xx"]})
    services.assessment_save_step(assessment=before, user=author, step="project",
                                  answers={"project.summary": "Twelve cameras."}, base_revision=1)
    row = Assessment.objects.get(pk=draft.pk)
    assert row.pending_steps == {"screening": {"screening-jurisdiction": ["xx"]}}
    assert row.answers == {"project.name": "Tram cameras", "project.summary": "Twelve cameras."}


def test_a_role_lost_since_the_read_stops_the_save(author, draft):
    before = read(author, draft)
    Membership.objects.filter(user=author).update(role=Membership.Role.DPO)
    with pytest.raises(PermissionDenied):
        services.assessment_save_step(assessment=before, user=author, step="project",
                                      answers={"project.summary": "Twelve cameras."}, base_revision=1)
    row = Assessment.objects.get(pk=draft.pk)
    assert row.revision == 1 and row.answers == {"project.name": "Tram cameras"} and row.revisions.count() == 1


def test_a_draft_sent_on_since_the_read_is_not_saved(author, draft):
    before = read(author, draft)
    Assessment.objects.filter(pk=draft.pk).update(status=Assessment.Status.DPO_REVIEW)
    with pytest.raises(NotADraft):
        services.assessment_save_step(assessment=before, user=author, step="project",
                                      answers={"project.summary": "Twelve cameras."}, base_revision=1)
    row = Assessment.objects.get(pk=draft.pk)
    assert row.revision == 1 and row.answers == {"project.name": "Tram cameras"} and row.revisions.count() == 1


def test_a_rename_since_the_read_is_kept(author, colleague, draft):
    before = read(author, draft)
    services.assessment_rename(assessment=draft, user=colleague, title="Bus cameras")
    services.assessment_save_step(assessment=before, user=author, step="project",
                                  answers={"project.summary": "Twelve cameras."}, base_revision=1)
    row = Assessment.objects.get(pk=draft.pk)
    assert row.title == "Bus cameras" and row.revision == 2
