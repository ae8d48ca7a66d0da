"""The wizard's permission written in SQL (selectors.holds_role_in_row, in its read of the draft and its fast save)
grants exactly what assessments_editable_by and holds_role grant: every role alone, in the draft's organisation or
another, with roles in both, and never on a deleted draft."""

import pytest
from django.http import Http404
from django.utils import timezone

from dpia import policies, selectors
from dpia.models import Assessment, Membership


@pytest.mark.parametrize("role", [*Membership.Role.values, None])
@pytest.mark.parametrize("where", ["own", "other", "both"])
def test_the_sql_permission_grants_what_the_querysets_grant(make_user, make_organisation, role, where):
    organisation, other = make_organisation(), make_organisation()
    draft = Assessment.objects.create(organisation=organisation, title="Cameras",
                                      created_by=make_user(Membership.Role.AUTHOR, organisation=organisation))
    user = make_user()
    if role is not None:
        for place in {"own": [organisation], "other": [other], "both": [organisation, other]}[where]:
            Membership.objects.create(user=user, organisation=place, role=role)
    if where == "other" and role != Membership.Role.AUTHOR:  # an editor elsewhere edits nothing here
        Membership.objects.create(user=user, organisation=other, role=Membership.Role.AUTHOR)
    expected = selectors.assessments_editable_by(user).filter(pk=draft.pk).exists()
    assert expected is Assessment.objects.filter(selectors.holds_role(user, policies.DRAFT_EDITORS),
                                                 pk=draft.pk).exists()
    assert Assessment.objects.filter(selectors.holds_role_in_row(user, policies.DRAFT_EDITORS, Assessment),
                                     pk=draft.pk).exists() is expected
    for submitted in (True, False):
        if expected:
            assert selectors.draft_for_wizard(user, draft.pk, submitted=submitted) == draft
        else:
            with pytest.raises(Http404):
                selectors.draft_for_wizard(user, draft.pk, submitted=submitted)


def test_a_deleted_draft_is_not_read_for_the_wizard(make_user):
    author = make_user(Membership.Role.AUTHOR)
    draft = Assessment.objects.create(organisation=author.memberships.get().organisation, title="Cameras",
                                      created_by=author)
    assert selectors.draft_for_wizard(author, draft.pk, submitted=False) == draft
    Assessment.objects.filter(pk=draft.pk).update(deleted_at=timezone.now())
    for submitted in (True, False):
        with pytest.raises(Http404):
            selectors.draft_for_wizard(author, draft.pk, submitted=submitted)
