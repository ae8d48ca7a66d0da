"""The workbench's data, by domain. The app label and migrations are those of the `dpia` app."""

from dpia.models.accounts import (  # noqa: F401
    ROLES_BY_KIND,
    Membership,
    Organisation,
    role_allowed_in,
)
from dpia.models.assessments import (  # noqa: F401
    AnswerRevision,
    Assessment,
    Evidence,
    evidence_upload_path,
)
from dpia.models.register import (  # noqa: F401
    Annotation,
    AnnotationReply,
    Publication,
    PublicationWithdrawal,
    RegisterFacet,
    SearchDocument,
)
from dpia.models.versions import (  # noqa: F401
    AppendOnlyModel,
    AppendOnlyQuerySet,
    AssessmentVersion,
    ImmutableVersion,
    ReportRender,
)
from dpia.models.workflow import (  # noqa: F401
    AuditLogEntry,
    DpoAdvice,
    InformationRequest,
    Opinion,
    ReviewComment,
    SectionVerdict,
    Signature,
    Submission,
)
