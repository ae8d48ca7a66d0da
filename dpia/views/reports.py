"""Report preview, versions (freeze, read, PDF, JSON, diff) and public verification. Thin views."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dpia import selectors, services
from dpia.engine.bank import default_bank
from dpia.forms import ReportLanguageForm
from dpia.inputs import JSONRefused, load_json
from dpia.labels import current_language
from dpia.models import Publication
from dpia.reports.diff import diff_versions
from dpia.reports.export import export_document
from dpia.reports.pdf import ReportRenderError
from dpia.reports.render import report_html
from dpia.reports.verify import verify_bytes, verify_digest

VERIFY_MAX_BYTES = 20 * 1024 * 1024
REPORT_IN = {"en": gettext_lazy("This report in English"), "fr": gettext_lazy("This report in French")}


def report_preview(request, pk):
    assessment = selectors.assessment_for(request.user, pk)
    language = ReportLanguageForm.chosen(request.GET, current_language()) or current_language()
    content = selectors.draft_report_content(assessment, language=language)
    url = reverse("report_preview", kwargs={"pk": pk})
    links = [{"url": reverse("assessment_detail", kwargs={"pk": pk}), "label": _("Back to the assessment")}]
    links += [{"url": f"{url}?language={code}", "label": label, "lang": code}
              for code, label in REPORT_IN.items() if code != language]
    return HttpResponse(report_html(content, default_bank(), for_pdf=False, screen_links=links))


@require_POST
def version_freeze(request, pk):
    assessment = selectors.assessment_for(request.user, pk, edit=True)
    language = ReportLanguageForm.chosen(request.POST, current_language())
    if language is None:
        messages.error(request, _("Choose the report's language from the list. Nothing was frozen."))
        return redirect("assessment_detail", pk=pk)
    try:
        version = services.assessment_freeze_version(assessment=assessment, user=request.user, bank=default_bank(),
                                                     language=language)
    except services.VersionRefused as refused:
        messages.error(request, _("The assessment is not complete yet: finish this section first."))
        return redirect(reverse("wizard_step", kwargs={"pk": pk, "step": refused.step}) + "?check=1")
    except ReportRenderError as exc:
        messages.error(request, _("The report could not be produced (%(reason)s). Nothing was frozen.") % {
            "reason": _(exc.reason)})
        return redirect("assessment_detail", pk=pk)
    except services.NotADraft:
        messages.error(request, _("Only a draft can be frozen: this assessment is “%(status)s”.") % {
            "status": assessment.get_status_display()})
        return redirect("assessment_detail", pk=pk)
    messages.success(request, _("Version %(number)s is frozen and sealed.") % {"number": version.number})
    return redirect("version_detail", pk=pk, number=version.number)


def version_detail(request, pk, number):
    version = selectors.version_for(request.user, pk, number)
    links = [
        {"url": reverse("assessment_detail", kwargs={"pk": pk}), "label": _("Back to the assessment")},
        {"url": reverse("version_pdf", kwargs={"pk": pk, "number": number}), "label": _("PDF (as sealed)")},
        {"url": reverse("version_json", kwargs={"pk": pk, "number": number}), "label": _("JSON export")},
        {"url": reverse("version_cnil_pia", kwargs={"pk": pk, "number": number}), "label": _("CNIL PIA file")},
        {"url": reverse("version_action_plan_csv", kwargs={"pk": pk, "number": number}),
         "label": _("Action plan (CSV)"), "section": "action-plan"},
    ]
    links += [{"url": reverse("version_evidence", kwargs={"pk": pk, "number": number, "index": index}),
               "label": _("Evidence: %(title)s") % {"title": record["title"]}}
              for index, record in enumerate(version.content.get("evidence") or []) if record.get("file_sha256")]
    if number > 1:
        links.append({"url": reverse("version_diff", kwargs={"pk": pk, "old": number - 1, "new": number}),
                      "label": _("Changes since version %(number)s") % {"number": number - 1}})
    return HttpResponse(report_html(version.content, default_bank(), for_pdf=False, digest=version.digest,
                                    screen_links=links))


PDF_POLL_SECONDS = 3


def pdf_response(request, record, *, filename: str, back_url: str, retry_url: str = ""):
    """The stored PDF, or, while a task renders it, a page that says so and reloads itself until the
    download starts (an HTTP Refresh header: no script); after the last failed try, the reason."""
    if record.pdf_digest:
        response = HttpResponse(bytes(record.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    report_render = selectors.report_render(record)
    if report_render is not None and report_render.state == report_render.State.RENDERING and \
            report_render.updated_at < services.render_stuck_before():
        # Its worker died: queued again, or reported as failed after the last try, rather than waited for.
        services.report_render_reclaim(render_id=report_render.pk)
        report_render.refresh_from_db()
    failed = report_render is not None and report_render.state == report_render.State.FAILED
    response = render(request, "reports/pdf_pending.html", {
        # A reason the workbench wrote itself (services.versions.STUCK_REASON, or the renderer's: dpia/reports/pdf.py)
        # is in the reader's language.
        "failed": failed, "error": _(report_render.error) if failed and report_render.error else "",
        "back_url": back_url,
        "retry_url": retry_url if failed else "", "poll_seconds": PDF_POLL_SECONDS,
        "publication": isinstance(record, Publication),
    }, status=200 if failed else 202)
    if not failed:
        response["Refresh"] = str(PDF_POLL_SECONDS)
        response["Retry-After"] = str(PDF_POLL_SECONDS)
    return response


def version_pdf(request, pk, number):
    version = selectors.version_for(request.user, pk, number)
    return pdf_response(request, version, filename=f"dpia-{pk}-v{number}.pdf",
                        back_url=reverse("version_detail", kwargs={"pk": pk, "number": number}),
                        retry_url=reverse("version_pdf_retry", kwargs={"pk": pk, "number": number}))


@require_POST
def version_pdf_retry(request, pk, number):
    version = selectors.version_for(request.user, pk, number)
    report_render = selectors.report_render(version)
    if report_render is not None:
        services.report_render_retry(render=report_render, user=request.user)
    return redirect("version_pdf", pk=pk, number=number)


def version_json(request, pk, number):
    version = selectors.version_for(request.user, pk, number)
    document = export_document(content=version.content, digest=version.digest, pdf_digest=version.pdf_digest)
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="dpia-{pk}-v{number}.json"'
    return response


def version_evidence(request, pk, number, index):
    """A file a version sealed, as sealed: for the controller and for the authority it was submitted to."""
    version = selectors.version_for(request.user, pk, number)
    evidence = selectors.version_evidence(version, index)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1],
                        content_type=evidence.content_type or "application/octet-stream")


def version_diff(request, pk, old, new):
    older, newer = selectors.version_for(request.user, pk, old), selectors.version_for(request.user, pk, new)
    answers, findings, verdicts = diff_versions(older.content, newer.content, default_bank(), current_language())
    return render(request, "reports/diff.html", {
        "assessment": newer.assessment, "older": older, "newer": newer, "answers": answers, "findings": findings,
        "verdict_changed": verdicts[0] != verdicts[1],
    })


class VerifyForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("A PDF or JSON export"), required=False, max_length=200)
    digest = forms.RegexField(label=gettext_lazy("Or a SHA-256 digest"), required=False, max_length=64,
                              regex=r"^\s*[0-9a-fA-F]{64}\s*$",
                              error_messages={"invalid": gettext_lazy("A digest is 64 hexadecimal characters.")})

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload and upload.size > VERIFY_MAX_BYTES:
            self.add_error("upload", _("The file is larger than 20 MB."))
        elif upload and (upload.name.lower().endswith(".json") or upload.read(64).lstrip()[:1] in (b"{", b"[")):
            # A JSON upload is read within limits here, so that a hostile one gets a reason, not a crash.
            upload.seek(0)
            try:
                load_json(upload.read())
            except JSONRefused as refused:
                self.add_error("upload", _("This JSON file cannot be checked: %(reason)s.") % {"reason": refused})
        if upload:
            upload.seek(0)
        if not upload and not cleaned.get("digest") and not self.errors:
            raise forms.ValidationError(_("Upload a file or paste a digest."))
        return cleaned


@login_not_required
def verify(request):
    form = VerifyForm(request.POST if request.method == "POST" else None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        def find(digest):
            return selectors.record_by_digest_for(request.user, digest)

        if form.cleaned_data["upload"]:
            outcome = verify_bytes(form.cleaned_data["upload"].read(), find)
        else:
            outcome = verify_digest(form.cleaned_data["digest"], find)
    return render(request, "reports/verify.html", {
        "form": form, "outcome": outcome, "publication": isinstance(getattr(outcome, "version", None), Publication),
    })
