"""The wizard's live summary: the engine's reading of a step's unsaved answers. Thin: authorise, call, render.
(The wizard's steps themselves are served by dpia.wizard.)"""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dpia import selectors
from dpia.engine.bank import default_bank
from dpia.labels import current_language
from dpia.stepforms import StepForm
from dpia.summary import summarise
from dpia.throttle import within_rate

# A step posts its whole form each time; more than this is not a step of ours.
LIVE_SUMMARY_MAX_BYTES = 1_048_576
# The page's script waits for a pause in typing; this bounds a script gone wrong or a client hammering.
LIVE_SUMMARY_PER_MINUTE = 60


@require_POST
def wizard_summary(request, pk, step):
    """The summary panel of a draft read with the answers typed on a step but not saved (nothing is stored)."""
    assessment = selectors.assessment_for(request.user, pk, edit=True)
    bank = default_bank()
    section = next((s for s in bank.sections if s.id == step), None)
    if assessment.status != assessment.Status.DRAFT or section is None or \
            not bank.section_applies(section, bank.applicable_answers(assessment.answers)):
        raise Http404
    if int(request.META.get("CONTENT_LENGTH") or 0) > LIVE_SUMMARY_MAX_BYTES:
        return HttpResponse(_("Too much data for a live summary."), status=413, content_type="text/plain")
    if not within_rate("live-summary", request.user.pk, limit=LIVE_SUMMARY_PER_MINUTE, seconds=60):
        return HttpResponse(_("Too many live summaries in a minute: the panel will update when you save."),
                            status=429, content_type="text/plain")
    form = StepForm(request.POST, section=section, bank=bank, answers=assessment.answers,
                    language=current_language(), prefix=step, initial={"revision": assessment.revision})
    answers = form.answers_with_unsaved()
    summary = summarise(selectors.draft_result(assessment, answers=answers), assessment.pk, answers=answers)
    return render(request, "assessments/summary.html", {"summary": summary, "unsaved": True,
                                                        "left_out": form.left_out()})
