"""Assessments: list, start, overview, evidence, guidance. Thin: authorise, call, render."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dpia import policies, selectors, services
from dpia.engine.bank import default_bank
from dpia.forms import AssessmentCreateForm, EvidenceForm, RenameForm, ReportLanguageForm, client_ip
from dpia.inputs import refused_form
from dpia.labels import current_language
from dpia.stepforms import section_progress
from dpia.summary import summarise
from dpia.views.register import target_label
from dpia.views.workflow import DpoAdviceForm, DpoDecisionForm, ReplyForm, SubmitForm


def assessment_new(request):
    organisations = selectors.organisations_where(request.user, [policies.Role.AUTHOR])
    form = AssessmentCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_create(
            user=request.user, organisation=form.cleaned_data["organisation"],
            title=form.cleaned_data["title"], bank=default_bank(), shadow_of=form.cleaned_data.get("shadow_of", ""),
        )
        return redirect("wizard_start", pk=assessment.pk)
    return render(request, "assessments/new.html", {"form": form, "can_create": organisations.exists()})


def assessment_detail(request, pk):
    assessment = selectors.assessment_for(request.user, pk)
    bank = default_bank()
    roles = selectors.roles_in(request.user, assessment.organisation_id)  # read once for the whole page
    can_edit = policies.can_edit_drafts(roles)
    progress = section_progress(
        bank, assessment, current=None,
        url=lambda step: reverse("wizard_step", kwargs={"pk": assessment.pk, "step": step}),
    )
    titles = {s.id: s.title.get(current_language()) for s in bank.sections} | {"import": _("Answers imported")}
    revisions = [{"revision": r, "section": titles.get(r.step, "")}
                 for r in assessment.revisions.select_related("saved_by").order_by("-number")[:20]]
    advice = selectors.latest_dpo_advice(assessment)
    actions = policies.controller_actions(assessment.status, roles, organisation_kind=assessment.organisation.kind,
                                          dpo_decision_pending=bool(advice and not advice.decision))
    today = timezone.localdate()
    titles = {s.id: s.title.get(current_language()) for s in bank.sections}
    submitted = list(selectors.submissions_of(assessment))
    submissions = [{"submission": s, "clock": selectors.consultation_clock(s, today=today),
                    "opinion": getattr(s, "opinion", None),
                    "verdicts": [{"section": titles.get(v.section, v.section), "verdict": v.get_verdict_display()}
                                 for v in s.section_verdicts.all()]}
                   for s in submitted]
    return render(request, "assessments/detail.html", {
        "assessment": assessment, "progress": progress, "can_edit": can_edit, "revisions": revisions,
        "summary": summarise(selectors.draft_result(assessment), assessment.pk, answers=assessment.answers),
        "versions": selectors.versions_of(assessment),
        "actions": actions, "advice": advice, "submissions": submissions,
        "workflow_seen": selectors.workflow_seen(assessment, advice),
        "review_case_file": selectors.case_file_for_author(assessment, submitted, bank=bank,
                                                           language=current_language()),
        "preview_language_form": ReportLanguageForm(initial={"language": current_language()}, auto_id="preview-%s"),
        "freeze_language_form": ReportLanguageForm(initial={"language": current_language()}, auto_id="freeze-%s"),
        # Forms refused by assessment_action or annotation_reply come back as they were typed.
        "can_reply": policies.speaks_for_controller(roles),
        "annotations": [{"annotation": a, "target": target_label(a.publication, a.target),
                         "reply_form": refused_form(request, f"reply{a.pk}", ReplyForm)}
                        for a in selectors.annotations_of(assessment)],
        "advice_form": refused_form(request, f"{pk}:give_dpo_advice", DpoAdviceForm),
        "decision_form": refused_form(request, f"{pk}:record_dpo_decision", DpoDecisionForm),
        "submit_form": refused_form(request, f"{pk}:submit", SubmitForm),
        "can_freeze": can_edit and assessment.status == assessment.Status.DRAFT,
        "deletable": can_edit and selectors.draft_deletable(assessment),
        "section_titles": titles,
    })


def assessment_rename(request, pk):
    assessment = selectors.assessment_for(request.user, pk, edit=True)
    shadow = policies.side_of(assessment.organisation.kind) == "civil_society"
    form = RenameForm(request.POST or None, initial={"title": assessment.title, "shadow_of": assessment.shadow_of},
                      shadow=shadow)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_rename(assessment=assessment, user=request.user, title=form.cleaned_data["title"],
                                       shadow_of=form.cleaned_data.get("shadow_of"))
        except services.NotADraft:
            messages.error(request, _("Only a draft can be renamed: this assessment is “%(status)s”.") % {
                "status": assessment.get_status_display()})
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The draft is renamed."))
            return redirect("assessment_detail", pk=pk)
    return render(request, "assessments/rename.html", {"assessment": assessment, "form": form})


def assessment_delete(request, pk):
    """GET: what deleting the draft does; POST: delete it (kept in the audit log, shown nowhere)."""
    assessment = selectors.assessment_for(request.user, pk, edit=True)
    if request.method == "POST":
        try:
            services.assessment_delete_draft(assessment=assessment, user=request.user, ip_address=client_ip(request))
        except services.DeletionRefused:
            messages.error(request, _("Only a draft that was never submitted nor published can be deleted."))
            return redirect("assessment_detail", pk=pk)
        messages.success(request, _("The draft “%(title)s” is deleted. The audit log keeps a record of it.") % {
            "title": assessment.title})
        return redirect("home")
    return render(request, "assessments/delete.html", {
        "assessment": assessment, "deletable": selectors.draft_deletable(assessment)})


def _question_choices(bank):
    language = current_language()
    return [
        (section.title.get(language), [(q.id, q.label.get(language)[:120]) for q in section.questions])
        for section in bank.sections if section.questions
    ]


def evidence_list(request, pk):
    assessment = selectors.assessment_for(request.user, pk)
    bank = default_bank()
    # Evidence is attached to a draft only: what was frozen stays as it was sealed.
    may_edit = policies.can_edit_drafts(selectors.roles_in(request.user, assessment.organisation_id))
    can_edit = may_edit and assessment.status == assessment.Status.DRAFT
    form = None
    if can_edit:
        form = EvidenceForm(
            request.POST or None, request.FILES or None, question_choices=_question_choices(bank),
            initial={"question_id": request.GET.get("question", "")},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.evidence_add(
                    assessment=assessment, user=request.user, question_id=form.cleaned_data["question_id"],
                    title=form.cleaned_data["title"], url=form.cleaned_data["url"],
                    upload=form.cleaned_data["upload"], dated=form.cleaned_data["dated"],
                    note=form.cleaned_data["note"],
                )
            except services.NotADraft as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Evidence added."))
            return redirect(request.get_full_path())
    elif request.method == "POST" and not may_edit:
        messages.error(request, _("Your role does not allow adding evidence: the authors of this assessment add it."))
    elif request.method == "POST":
        messages.error(request, _("Evidence can be added to a draft only: choose Revise first."))
    language = current_language()
    items = [
        {"evidence": e, "question": bank.questions[e.question_id].label.get(language)
         if e.question_id in bank.questions else e.question_id}
        for e in selectors.evidence_current(assessment).select_related("added_by")
    ]
    # Sent here from a wizard step ("Keep my answers and attach evidence"): a way back to the question.
    step, question = request.GET.get("step", ""), request.GET.get("question", "")
    back = ""
    if can_edit and any(s.id == step for s in bank.sections):
        back = reverse("wizard_step", kwargs={"pk": assessment.pk, "step": step})
        back += f"#q-{question}" if question in bank.questions else ""
    return render(request, "assessments/evidence.html", {
        "assessment": assessment, "items": items, "form": form, "can_edit": can_edit, "back": back,
    })


def evidence_download(request, pk, evidence_pk):
    evidence = selectors.evidence_for(request.user, pk, evidence_pk)
    if not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True,
                        filename=evidence.file.name.rsplit("/", 1)[-1],
                        content_type=evidence.content_type or "application/octet-stream")


@require_POST
def evidence_delete(request, pk, evidence_pk):
    evidence = selectors.evidence_for(request.user, pk, evidence_pk, edit=True)
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except services.NotADraft as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Evidence removed."))
    return redirect("evidence_list", pk=pk)


def knowledge_entry(request, slug):
    bank = default_bank()
    entry = bank.knowledge.get(slug)
    if entry is None:
        raise Http404
    language = current_language()
    return render(request, "knowledge/entry.html", {
        "title": entry.title.get(language), "body": entry.body.get(language),
        "citations": bank.cite_all(entry.citations, language),
    })
