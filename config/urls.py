from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.i18n import set_language

from dpia.engine.bank import default_bank
from dpia.views import accounts, assessments, interop, register, reports, workflow
from dpia.views import wizard as wizard_views
from dpia.wizard import AssessmentWizard

# The only pages reachable without logging in. A test checks that every other URL asks for a login.
PUBLIC_URL_NAMES = frozenset({"login", "set_language", "admin:login", "verify", "register", "register_detail",
                              "register_report", "register_pdf", "register_json", "register_feed",
                              "register_csv", "register_cnil_pia", "register_action_plan_csv"})

wizard = AssessmentWizard.for_bank(default_bank())

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("assessments/new/", assessments.assessment_new, name="assessment_new"),
    path("assessments/import/cnil-pia/", interop.cnil_pia_import, name="cnil_pia_import"),
    path("assessments/<int:pk>/", assessments.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/rename/", assessments.assessment_rename, name="assessment_rename"),
    path("assessments/<int:pk>/delete/", assessments.assessment_delete, name="assessment_delete"),
    path("assessments/<int:pk>/confirm/<slug:action>/", workflow.assessment_confirm, name="assessment_confirm"),
    path("assessments/<int:pk>/wizard/", wizard, name="wizard_start"),
    path("assessments/<int:pk>/wizard/<slug:step>/", wizard, name="wizard_step"),
    path("assessments/<int:pk>/wizard/<slug:step>/summary/", wizard_views.wizard_summary, name="wizard_summary"),
    path("assessments/<int:pk>/evidence/", assessments.evidence_list, name="evidence_list"),
    path("assessments/<int:pk>/evidence/<int:evidence_pk>/", assessments.evidence_download,
         name="evidence_download"),
    path("assessments/<int:pk>/evidence/<int:evidence_pk>/delete/", assessments.evidence_delete,
         name="evidence_delete"),
    path("assessments/<int:pk>/report/", reports.report_preview, name="report_preview"),
    path("assessments/<int:pk>/versions/", reports.version_freeze, name="version_freeze"),
    path("assessments/<int:pk>/versions/<int:number>/", reports.version_detail, name="version_detail"),
    path("assessments/<int:pk>/versions/<int:number>/pdf/", reports.version_pdf, name="version_pdf"),
    path("assessments/<int:pk>/versions/<int:number>/pdf/retry/", reports.version_pdf_retry,
         name="version_pdf_retry"),
    path("assessments/<int:pk>/versions/<int:number>/json/", reports.version_json, name="version_json"),
    path("assessments/<int:pk>/versions/<int:number>/evidence/<int:index>/", reports.version_evidence,
         name="version_evidence"),
    path("assessments/<int:pk>/versions/<int:old>/diff/<int:new>/", reports.version_diff, name="version_diff"),
    path("assessments/<int:pk>/versions/<int:number>/cnil-pia.json", interop.version_cnil_pia,
         name="version_cnil_pia"),
    path("assessments/<int:pk>/versions/<int:number>/action-plan.csv", interop.version_action_plan_csv,
         name="version_action_plan_csv"),
    path("verify/", reports.verify, name="verify"),
    path("assessments/<int:pk>/actions/<slug:action>/", workflow.assessment_action, name="assessment_action"),
    path("assessments/<int:pk>/annotations/<int:annotation_pk>/reply/", workflow.annotation_reply,
         name="annotation_reply"),
    path("review/", workflow.review_queue, name="review_queue"),
    path("review/<int:pk>/", workflow.review_detail, name="review_detail"),
    path("review/<int:pk>/<slug:action>/", workflow.review_action, name="review_action"),
    path("register/", register.register_list, name="register"),
    path("register/feed.json", register.register_feed, name="register_feed"),
    path("register/export.csv", interop.register_csv, name="register_csv"),
    path("register/<int:pk>/", register.register_detail, name="register_detail"),
    path("register/<int:pk>/report/", register.register_report, name="register_report"),
    path("register/<int:pk>/pdf/", register.register_pdf, name="register_pdf"),
    path("register/<int:pk>/pdf/retry/", register.register_pdf_retry, name="register_pdf_retry"),
    path("register/<int:pk>/json/", register.register_json, name="register_json"),
    path("register/<int:pk>/cnil-pia.json", interop.register_cnil_pia, name="register_cnil_pia"),
    path("register/<int:pk>/action-plan.csv", interop.register_action_plan_csv, name="register_action_plan_csv"),
    path("guidance/<slug:slug>/", assessments.knowledge_entry, name="knowledge_entry"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
