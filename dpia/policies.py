"""Who may do what. Pure decisions on roles; the queries that gather roles live in selectors."""

from collections.abc import Collection

from dpia.models import Assessment, DpoAdvice, Membership, Organisation

Role = Membership.Role
Kind = Organisation.Kind

# Roles that see an organisation's drafts, and roles that may change them.
DRAFT_READERS = frozenset({Role.AUTHOR, Role.DPO, Role.SIGNATORY, Role.ORG_ADMIN})
DRAFT_EDITORS = frozenset({Role.AUTHOR, Role.ORG_ADMIN})


def can_read_drafts(roles: Collection[str]) -> bool:
    return bool(DRAFT_READERS.intersection(roles))


def can_edit_drafts(roles: Collection[str]) -> bool:
    return bool(DRAFT_EDITORS.intersection(roles))


def can_create_assessment(roles: Collection[str]) -> bool:
    return Role.AUTHOR in roles


# ----------------------------------------------------------------------------------------------
# The status transition table: (status, action) -> (new status, roles that may do it, side).
# "side" says whose organisation the role must be held in: the controller's, or the regulator's
# the assessment was submitted to. Every status change goes through transition().
# ----------------------------------------------------------------------------------------------
class InvalidTransition(Exception):
    """This action is not possible from this status, or not for this user. `status_allows` says which: False when
    the status does not allow the action at all, True when it does but not for this user (or side). The message is
    for logs; what a person reads is written by the service from `action` and `status`."""

    def __init__(self, message: str, *, action: str, status: str, status_allows: bool):
        super().__init__(message)
        self.action, self.status, self.status_allows = action, status, status_allows


S = Assessment.Status
CONTROLLER_EDITORS = frozenset({Role.AUTHOR, Role.ORG_ADMIN})
SIGNERS = frozenset({Role.SIGNATORY, Role.ORG_ADMIN})
REVIEWERS = frozenset({Role.REVIEWER})
# Who speaks in the controller's name: answers the DPO's advice and civil society's notes on a publication.
CONTROLLER_VOICES = CONTROLLER_EDITORS | SIGNERS


def speaks_for_controller(roles: Collection[str]) -> bool:
    return bool(CONTROLLER_VOICES.intersection(roles))


def decision_needs_reasons(decision: str) -> bool:
    """Departing from the DPO's advice, partly or wholly, is recorded with the controller's reasons."""
    return bool(decision) and decision != DpoAdvice.Decision.FOLLOWED


TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str], str | frozenset[str]]] = {
    (S.DRAFT, "request_dpo_advice"): (S.DPO_REVIEW, CONTROLLER_EDITORS, "controller"),
    (S.DPO_REVIEW, "give_dpo_advice"): (S.READY_TO_SIGN, frozenset({Role.DPO}), "controller"),
    (S.READY_TO_SIGN, "sign"): (S.SIGNED, SIGNERS, "controller"),
    (S.SIGNED, "submit"): (S.SUBMITTED, SIGNERS | {Role.AUTHOR}, "controller"),
    (S.SUBMITTED, "start_review"): (S.UNDER_REVIEW, REVIEWERS, "regulator"),
    (S.UNDER_REVIEW, "request_information"): (S.INFORMATION_REQUESTED, REVIEWERS, "regulator"),
    (S.UNDER_REVIEW, "issue_opinion"): (S.OPINION_ISSUED, REVIEWERS, "regulator"),
    (S.SIGNED, "publish"): (S.PUBLISHED, SIGNERS, "controller"),
    (S.OPINION_ISSUED, "publish"): (S.PUBLISHED, SIGNERS, "controller"),
    (S.PUBLISHED, "withdraw"): (S.WITHDRAWN, SIGNERS, "controller"),
    # A civil society publishes its own shadow assessment of someone else's project directly.
    (S.DRAFT, "publish_shadow"): (S.PUBLISHED, CONTROLLER_EDITORS, "civil_society"),
    (S.PUBLISHED, "withdraw_shadow"): (S.WITHDRAWN, CONTROLLER_EDITORS, "civil_society"),
    (S.SUBMITTED, "extend_deadline"): (S.SUBMITTED, REVIEWERS, "regulator"),
    (S.UNDER_REVIEW, "extend_deadline"): (S.UNDER_REVIEW, REVIEWERS, "regulator"),
    # Revising goes back to a draft; every version frozen so far is kept.
    **{(status, "revise"): (S.DRAFT, CONTROLLER_EDITORS, frozenset({"controller", "civil_society"})) for status in (
        S.DPO_REVIEW, S.READY_TO_SIGN, S.SIGNED, S.INFORMATION_REQUESTED, S.OPINION_ISSUED, S.PUBLISHED,
        S.WITHDRAWN)},
}


def side_of(organisation_kind: str) -> str:
    """Whose workflow an organisation's own assessments follow: a civil society's shadow assessments
    are published by the group itself; everyone else's go through DPO, signature and regulator."""
    return "civil_society" if organisation_kind == Kind.CIVIL_SOCIETY else "controller"


def _sides(entry_side) -> frozenset[str]:
    return entry_side if isinstance(entry_side, frozenset) else frozenset({entry_side})


def transition(status: str, action: str, roles, *, side: str) -> str:
    """The status after `action`, if a user holding `roles` on `side` may take it; else InvalidTransition."""
    entry = TRANSITIONS.get((status, action))
    if entry is None:
        raise InvalidTransition(f"'{action}' is not possible while the assessment is '{status}'", action=action,
                                status=status, status_allows=False)
    new_status, allowed, sides = entry
    if side not in _sides(sides) or not allowed.intersection(roles):
        raise InvalidTransition(f"you may not '{action}' this assessment", action=action, status=status,
                                status_allows=True)
    return new_status


def actions_available(status: str, roles, *, side: str) -> list[str]:
    return [action for (from_status, action), (_, allowed, sides) in TRANSITIONS.items()
            if from_status == status and side in _sides(sides) and allowed.intersection(roles)]


def controller_actions(status: str, roles, *, organisation_kind: str, dpo_decision_pending: bool) -> list[str]:
    """What the controller's side may do now: the table's actions, plus recording the decision on the DPO's
    advice, which signing waits for but which changes no status."""
    actions = actions_available(status, roles, side=side_of(organisation_kind))
    if status == S.READY_TO_SIGN and dpo_decision_pending and speaks_for_controller(roles):
        actions.insert(0, "record_dpo_decision")
    return actions
