"""Who may do what. Pure decisions on roles; the queries that gather roles live in selectors."""

from collections.abc import Collection

from dpia.models import Membership, Organisation

Role = Membership.Role
Kind = Organisation.Kind

# Which roles make sense in which kind of organisation: a regulator has reviewers, not authors;
# a civil-society group audits and writes shadow assessments.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    Kind.PUBLIC_BODY: frozenset({Role.AUTHOR, Role.DPO, Role.SIGNATORY, Role.ORG_ADMIN}),
    Kind.COMPETENT_AUTHORITY: frozenset({Role.AUTHOR, Role.DPO, Role.SIGNATORY, Role.ORG_ADMIN}),
    Kind.REGULATOR: frozenset({Role.REVIEWER, Role.ORG_ADMIN}),
    Kind.CIVIL_SOCIETY: frozenset({Role.AUDITOR, Role.AUTHOR, Role.ORG_ADMIN}),
}

# Roles that see an organisation's drafts, and roles that may change them.
DRAFT_READERS = frozenset({Role.AUTHOR, Role.DPO, Role.SIGNATORY, Role.ORG_ADMIN})
DRAFT_EDITORS = frozenset({Role.AUTHOR, Role.ORG_ADMIN})


def role_allowed_in(role: str, kind: str) -> bool:
    return role in ROLES_BY_KIND.get(kind, frozenset())


def can_read_drafts(roles: Collection[str]) -> bool:
    return bool(DRAFT_READERS.intersection(roles))


def can_edit_drafts(roles: Collection[str]) -> bool:
    return bool(DRAFT_EDITORS.intersection(roles))


def can_create_assessment(roles: Collection[str]) -> bool:
    return Role.AUTHOR in roles
