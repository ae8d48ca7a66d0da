"""Writes. Each service is keyword-only, atomic, checks permission, and logs what it did."""

from dpia.services.assessments import (  # noqa: F401
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    AnswersRejected,
    DeletionRefused,
    EditConflict,
    EvidenceRejected,
    KeptInputConflict,
    assessment_create,
    assessment_delete_draft,
    assessment_import_answers,
    assessment_keep_pending,
    assessment_rename,
    assessment_save_step,
    evidence_add,
    evidence_delete,
    evidence_file_check,
    kept_digest,
    merge_answers,
)
from dpia.services.common import (  # noqa: F401
    NotADraft,
)
from dpia.services.register import (  # noqa: F401
    REDACTED,
    annotation_add,
    annotation_reply,
    assessment_publish,
    assessment_withdraw,
    check_annotation_reply,
    check_confirmation,
    redact,
    register_index,
    search_text,
    shadow_publish,
    shadow_withdraw,
)
from dpia.services.versions import (  # noqa: F401
    VersionRefused,
    assessment_freeze_version,
    render_stuck_before,
    report_render_reclaim,
    report_render_retry,
)
from dpia.services.workflow import (  # noqa: F401
    REASONS_REQUIRED,
    assessment_request_dpo_advice,
    assessment_revise,
    assessment_sign,
    assessment_submit,
    check_dpo_decision,
    check_review_action,
    check_transition,
    dpo_advice_decide,
    dpo_advice_give,
    review_comment,
    review_extend_deadline,
    review_issue_opinion,
    review_request_information,
    review_section_verdict,
    review_start,
)
