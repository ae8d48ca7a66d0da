"""Workflow actions on an assessment (DPO advice, sign, submit, publish, revise) and the regulator's
review. Each view authorises through a selector, calls one service, and redirects."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dpia import policies, selectors, services
from dpia.engine.bank import default_bank
from dpia.fields import TextField
from dpia.forms import client_ip
from dpia.inputs import keep_refused, refusal_message, refused_form
from dpia.labels import current_language
from dpia.models import Assessment, DpoAdvice, Opinion, SectionVerdict
from dpia.reports.pdf import ReportRenderError


class DpoAdviceForm(forms.Form):
    advice = TextField(label=gettext_lazy("Your advice"), max_length=10000, widget=forms.Textarea,
                       help_text=gettext_lazy(
        "Say whether the assessment is complete and carried out correctly, whether you agree with its verdict and its "
        "measures, what must change before the processing starts, and whether the supervisory authority must be "
        "consulted first. The controller then records whether it follows your advice, with its reasons if it does not "
        "(GDPR Art. 35(2))."))


# A value no option offers can only come from an altered page: say so plainly, without repeating it.
OFFERED_CHOICE = gettext_lazy("Choose one of the options offered.")


class DpoDecisionForm(forms.Form):
    # Nothing chosen beforehand: the controller decides, the form does not decide for it.
    decision = forms.ChoiceField(label=gettext_lazy("The DPO's advice is"),
                                 choices=[("", "—"), *DpoAdvice.Decision.choices],
                                 error_messages={"invalid_choice": OFFERED_CHOICE})
    reasons = TextField(label=gettext_lazy("Reasons"), max_length=10000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if policies.decision_needs_reasons(cleaned.get("decision", "")) and "reasons" in cleaned \
                and not cleaned["reasons"]:
            self.add_error("reasons", forms.ValidationError(services.REASONS_REQUIRED, code="reasons_required"))
        return cleaned


class SubmitForm(forms.Form):
    regulator = forms.ModelChoiceField(label=gettext_lazy("Supervisory authority"), queryset=None, empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regulator"].queryset = selectors.regulators()



# Actions with weight: the person first reads, on a confirmation page, what will happen; its form says so.
CONFIRMED = "yes"
PUBLISHING = ("publish", "publish_shadow")


def _takes_out_of_register(assessment, action) -> bool:
    """Revising a published assessment takes it out of the public register until it is published again."""
    return action == "revise" and assessment.status == Assessment.Status.PUBLISHED


def _needs_confirmation(request, assessment, action) -> bool:
    if request.POST.get("confirmed") == CONFIRMED:
        return False
    return action in PUBLISHING or (action == "sign" and selectors.sign_needs_confirmation(assessment)) or \
        _takes_out_of_register(assessment, action)


def assessment_confirm(request, pk, action):
    """What signing (when the verdict is "unlawful as proposed"), publishing or revising a published assessment
    will do, before it is done: who will see it, that it cannot be undone, the verdict, and for publishing exactly
    what is redacted."""
    assessment = selectors.assessment_for(request.user, pk)
    if action not in ("sign", "revise", *PUBLISHING):
        raise Http404
    # Whoever may never take the action is refused outright (403); whoever may, but not now, is told why.
    try:
        services.check_confirmation(assessment=assessment, user=request.user, action=action)
    except ValueError as refused:
        messages.error(request, str(refused))
        return redirect("assessment_detail", pk=pk)
    if action == "revise":
        if not _takes_out_of_register(assessment, action):
            return redirect("assessment_detail", pk=pk)  # nothing public to lose: the button acts directly
        return render(request, "assessments/confirm.html", {
            "assessment": assessment, "action": action, "confirmed": CONFIRMED})
    context = selectors.decision_preview(assessment, action, bank=default_bank(), language=current_language())
    return render(request, "assessments/confirm.html", {
        **context, "assessment": assessment, "action": action, "confirmed": CONFIRMED,
        "seen": request.GET.get("seen", "")[:100] or selectors.workflow_seen(assessment)})


# The actions whose form holds typed text.
TYPED_FORMS = ("give_dpo_advice", "record_dpo_decision", "submit")


@require_POST
def assessment_action(request, pk, action):
    # Reading the assessment at all requires a controller-side role; the service checks the action.
    assessment = selectors.assessment_for(request.user, pk)
    bank, ip = default_bank(), client_ip(request)
    if _needs_confirmation(request, assessment, action):
        # The record the first page showed goes on to the confirmation page and back, checked when the action runs.
        confirm = reverse("assessment_confirm", kwargs={"pk": pk, "action": action})
        seen = request.POST.get("seen", "")[:100]
        return redirect(f"{confirm}?{urlencode({'seen': seen})}" if seen else confirm)
    # An action with a form is checked before its form is read: whoever may not act is told so, whatever they typed.
    try:
        if action == "request_dpo_advice":
            services.assessment_request_dpo_advice(assessment=assessment, user=request.user, bank=bank,
                                                   language=current_language(), ip_address=ip)
        elif action == "give_dpo_advice":
            services.check_transition(assessment=assessment, user=request.user, action=action)
            form = DpoAdviceForm(request.POST)
            if not form.is_valid():
                keep_refused(request, f"{pk}:{action}", request.POST)
                raise ValueError(refusal_message(form, _("Write the advice before sending it.")))
            services.dpo_advice_give(assessment=assessment, user=request.user, advice=form.cleaned_data["advice"],
                                     ip_address=ip, seen=request.POST.get("seen"))
        elif action == "record_dpo_decision":
            services.check_dpo_decision(assessment=assessment, user=request.user)
            form = DpoDecisionForm(request.POST)
            if not form.is_valid():
                keep_refused(request, f"{pk}:{action}", request.POST)
                raise ValueError(refusal_message(form, _("Choose whether the advice is followed.")))
            services.dpo_advice_decide(assessment=assessment, user=request.user, ip_address=ip,
                                       decision=form.cleaned_data["decision"], reasons=form.cleaned_data["reasons"],
                                       seen=request.POST.get("seen"))
        elif action == "sign":
            services.assessment_sign(assessment=assessment, user=request.user, bank=bank, language=current_language(),
                                     ip_address=ip, seen=request.POST.get("seen"))
        elif action == "submit":
            services.check_transition(assessment=assessment, user=request.user, action=action)
            form = SubmitForm(request.POST)
            if not form.is_valid():
                keep_refused(request, f"{pk}:{action}", request.POST)
                raise ValueError(_("Choose the supervisory authority."))
            services.assessment_submit(assessment=assessment, user=request.user, ip_address=ip,
                                       regulator=form.cleaned_data["regulator"], today=timezone.localdate())
        elif action == "publish":
            services.assessment_publish(assessment=assessment, user=request.user, bank=bank, ip_address=ip)
        elif action == "withdraw":
            services.assessment_withdraw(assessment=assessment, user=request.user, ip_address=ip)
        elif action == "publish_shadow":
            services.shadow_publish(assessment=assessment, user=request.user, bank=bank, language=current_language(),
                                    ip_address=ip)
        elif action == "withdraw_shadow":
            services.shadow_withdraw(assessment=assessment, user=request.user, ip_address=ip)
        elif action == "revise":
            services.assessment_revise(assessment=assessment, user=request.user, ip_address=ip)
        else:
            raise PermissionDenied(_("This action does not exist."))
    except services.VersionRefused as refused:
        messages.error(request, _("The assessment is not complete yet: finish this section first."))
        # In checking mode: the questions still to answer are marked, and saving goes on to the next gap.
        return redirect(reverse("wizard_step", kwargs={"pk": pk, "step": refused.step}) + "?check=1")
    except ReportRenderError as exc:
        messages.error(request, _(exc.reason))
    except (PermissionDenied, ValueError) as exc:
        if action in TYPED_FORMS:  # refused for a reason other than the form (the page was stale): keep what was typed
            keep_refused(request, f"{pk}:{action}", request.POST)
        messages.error(request, str(exc))
    else:
        messages.success(request, _action_done(assessment, action))
    return redirect("assessment_detail", pk=pk)


ACTION_DONE = {
    "request_dpo_advice": gettext_lazy("Version %(number)s is sealed and sent to the DPO for advice."),
    "give_dpo_advice": gettext_lazy("Your advice on version %(number)s is recorded."),
    "record_dpo_decision": gettext_lazy("The decision on the DPO's advice is recorded: the assessment can be signed."),
    "sign": gettext_lazy("Signed: version %(number)s is sealed with the DPO's advice and the decision on it."),
    "submit": gettext_lazy("Version %(number)s is submitted to %(regulator)s."),
    "publish": gettext_lazy("Published in the public register, with sensitive answers redacted."),
    "withdraw": gettext_lazy("Withdrawn from the public register."),
    "publish_shadow": gettext_lazy("Published in the public register, with sensitive answers redacted."),
    "withdraw_shadow": gettext_lazy("Withdrawn from the public register."),
    "revise": gettext_lazy("Back to draft: the sealed versions are kept."),
}


def _action_done(assessment, action: str) -> str:
    """What the action just did, in words: which version it sealed, and to whom it went."""
    number = selectors.latest_version_number(assessment)
    submission = selectors.current_submission(assessment) if action == "submit" else None
    return str(ACTION_DONE[action]) % {"number": number or "",
                                       "regulator": submission.regulator.name if submission else ""}


class CommentForm(forms.Form):
    """A comment posted from beside an answer on the review page: the question is named by the page, not chosen."""
    question_id = forms.ChoiceField(label=gettext_lazy("Question"), choices=(), widget=forms.HiddenInput,
                                    error_messages={"invalid_choice": gettext_lazy("This question does not exist.")})
    text = TextField(label=gettext_lazy("Comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_id"].choices = [(question_id, question_id) for question_id in default_bank().questions]


class VerdictForm(forms.Form):
    section = forms.ChoiceField(label=gettext_lazy("Section"), choices=(),
                                error_messages={"invalid_choice": OFFERED_CHOICE})
    verdict = forms.ChoiceField(label=gettext_lazy("Verdict"), choices=SectionVerdict.Verdict.choices,
                                error_messages={"invalid_choice": OFFERED_CHOICE})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.id, s.title.get(current_language())) for s in default_bank().sections]


class InformationRequestForm(forms.Form):
    text = TextField(label=gettext_lazy("What the controller must provide"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of opinion"), choices=Opinion.Kind.choices,
                             error_messages={"invalid_choice": OFFERED_CHOICE})
    text = TextField(label=gettext_lazy("Opinion"), max_length=20000, widget=forms.Textarea)


QUEUE_PAGE_SIZE = 50


def review_queue(request):
    today = timezone.localdate()
    page = Paginator(selectors.review_queue(request.user), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"submission": s, "clock": selectors.consultation_clock(s, today=today)} for s in page]
    return render(request, "review/queue.html", {"rows": rows, "page": page})


def _round(submission, bank, language) -> dict:
    """One submission's comments and section verdicts, in words."""
    titles = {s.id: s.title.get(language) for s in bank.sections}
    return {
        "submission": submission,
        "comments": [{"comment": c, "question": bank.questions[c.question_id].label.get(language)
                      if c.question_id in bank.questions else c.question_id} for c in submission.comments.all()],
        "verdicts": [{"section": titles.get(v.section, v.section), "verdict": v.get_verdict_display()}
                     for v in submission.section_verdicts.all()],
    }


def _refused_comment_question(comment_form, case_file, bank, language) -> tuple[str | None, dict | None]:
    """Where a refused comment comes back as typed: beside its question in the case file; otherwise (a question
    with no answer there, or no such question) above the case file, with the question's name if it has one."""
    if not comment_form.is_bound:
        return None, None
    question_id = comment_form.data.get("question_id") or ""
    if any(q.id == question_id for section in case_file for q in section.questions):
        return question_id, None
    question = bank.questions.get(question_id)
    return None, {"id": question_id, "label": question.label.get(language) if question is not None else ""}


def review_detail(request, pk):
    submission = selectors.submission_for_reviewer(request.user, pk)
    earlier = selectors.earlier_rounds(submission)
    bank, language = default_bank(), current_language()
    current = _round(submission, bank, language)
    case_file = selectors.case_file_for_reviewer(submission, earlier, bank=bank, language=language)
    comment_form = refused_form(request, f"review{pk}:comment", CommentForm)
    refused_question, refused_elsewhere = _refused_comment_question(comment_form, case_file, bank, language)
    return render(request, "review/detail.html", {
        "case_file": case_file,
        "refused_question": refused_question, "refused_elsewhere": refused_elsewhere,
        "submission": submission, "assessment": submission.version.assessment,
        # A closed round (opinion issued, or a newer submission) is part of the record: no form adds to it.
        "round_open": submission.closed_at is None,
        "previous": earlier[0] if earlier else None,
        "earlier_rounds": [_round(s, bank, language) for s in earlier],
        "clock": selectors.consultation_clock(submission, today=timezone.localdate()),
        "comments": current["comments"], "verdicts": current["verdicts"],
        "requests": submission.information_requests.all(),
        "opinion": getattr(submission, "opinion", None),
        # Each form comes back as typed if it was refused (see review_action).
        "comment_form": comment_form,
        "verdict_form": refused_form(request, f"review{pk}:verdict", VerdictForm),
        "request_form": refused_form(request, f"review{pk}:request_information", InformationRequestForm),
        "opinion_form": refused_form(request, f"review{pk}:issue_opinion", OpinionForm),
    })


@require_POST
def review_action(request, pk, action):
    submission = selectors.submission_for_reviewer(request.user, pk)
    ip = client_ip(request)
    forms_by_action = {"comment": CommentForm, "verdict": VerdictForm, "request_information": InformationRequestForm,
                       "issue_opinion": OpinionForm}
    form = forms_by_action[action](request.POST) if action in forms_by_action else None
    try:
        if form is not None:
            # Who may act, on a round still open, comes first: whoever may not is told so, whatever they typed.
            services.check_review_action(submission=submission, user=request.user, action=action)
        if form is not None and not form.is_valid():
            keep_refused(request, f"review{pk}:{action}", request.POST)
            raise ValueError(refusal_message(form, _("Fill in the form first.")))
        if action == "start_review":
            services.review_start(submission=submission, user=request.user, ip_address=ip)
        elif action == "extend_deadline":
            services.review_extend_deadline(submission=submission, user=request.user, ip_address=ip)
        elif action == "comment":
            services.review_comment(submission=submission, user=request.user, **form.cleaned_data)
        elif action == "verdict":
            services.review_section_verdict(submission=submission, user=request.user, **form.cleaned_data)
        elif action == "request_information":
            services.review_request_information(submission=submission, user=request.user, ip_address=ip,
                                                **form.cleaned_data)
        elif action == "issue_opinion":
            services.review_issue_opinion(submission=submission, user=request.user, ip_address=ip,
                                          **form.cleaned_data)
        else:
            raise PermissionDenied(_("This action does not exist."))
    except (PermissionDenied, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("review_detail", pk=pk)


class ReplyForm(forms.Form):
    reply = TextField(label=gettext_lazy("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


@require_POST
def annotation_reply(request, pk, annotation_pk):
    annotation = selectors.annotation_for_controller(request.user, pk, annotation_pk)
    try:
        # Who may reply comes first: whoever may not is told so, whatever they typed.
        services.check_annotation_reply(annotation=annotation, user=request.user)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            keep_refused(request, f"reply{annotation_pk}", request.POST)
            raise ValueError(refusal_message(form, _("Write a reply first.")))
        services.annotation_reply(annotation=annotation, user=request.user, text=form.cleaned_data["reply"])
    except (PermissionDenied, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Reply published."))
    return redirect("assessment_detail", pk=pk)
