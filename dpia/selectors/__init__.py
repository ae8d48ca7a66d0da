"""Reads. Every query that decides what a user may see starts here."""

from dpia.selectors.accounts import (  # noqa: F401
    auditor_organisations,
    holds_role,
    holds_role_in_row,
    memberships_of,
    organisations_where,
    regulators,
    roles_in,
)
from dpia.selectors.assessments import (  # noqa: F401
    assessment_for,
    assessments_editable_by,
    assessments_visible_to,
    draft_deletable,
    draft_for_wizard,
    draft_report_content,
    draft_result,
    draft_was_submitted,
    evidence_by_question,
    evidence_current,
    evidence_for,
)
from dpia.selectors.home import (  # noqa: F401
    Home,
    NextStep,
    home_for,
    next_step,
)
from dpia.selectors.register import (  # noqa: F401
    IdsFirst,
    annotation_for_controller,
    annotations_of,
    annotations_public,
    publication,
    published,
    published_list,
    published_organisations,
    register_entries,
)
from dpia.selectors.versions import (  # noqa: F401
    latest_version,
    latest_version_number,
    record_by_digest,
    record_by_digest_for,
    report_render,
    version_evidence,
    version_for,
    versions_of,
    versions_readable_by,
)
from dpia.selectors.workflow import (  # noqa: F401
    case_file_for_author,
    case_file_for_reviewer,
    comments_by_question,
    consultation_clock,
    current_signature,
    current_submission,
    decision_preview,
    earlier_rounds,
    latest_dpo_advice,
    review_queue,
    section_verdicts_for_author,
    sign_needs_confirmation,
    submission_for_reviewer,
    submissions_for_reviewer,
    submissions_of,
    workflow_seen,
)
