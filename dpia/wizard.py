"""The assessment wizard: a storage that keeps drafts in the database, and the django-formtools named-URL
wizard that ties the step forms (dpia.stepforms) together.

The draft's answers in the database are the only truth. The storage gives formtools each step's
data by rendering those answers back into form data, so a GET never resets anything, and session
expiry, logout, a second tab or another device lose nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from dpia import selectors, services
from dpia.engine.alternatives import proposals
from dpia.engine.bank import Question, QuestionBank
from dpia.inputs import storable
from dpia.labels import current_language
from dpia.stepforms import ProgressEntry, StepForm, section_progress
from dpia.summary import summarise

# Storage: the draft in the database
# ----------------------------------------------------------------------------------------------


class ByQuestion:
    """Evidence or comments of the draft by question id, read from the database once per request, and only when
    a page shows them: a step that is saved and redirects reads none."""

    def __init__(self, load: Callable[[], dict[str, list]]):
        self._load = load
        self._grouped: dict[str, list] | None = None

    def _all(self) -> dict[str, list]:
        if self._grouped is None:
            self._grouped = self._load()
        return self._grouped

    def get(self, question_id: str, default=None):
        return SimpleLazyObject(lambda: self._all().get(question_id, [] if default is None else default))

    def questions(self) -> set[str]:
        return set(self._all())


class AssessmentStorage(BaseStorage):
    """formtools storage backed by the Assessment row. Step data is derived from the saved answers
    (or the pending input of a step that did not validate); reset() never deletes answers."""

    def __init__(self, prefix, request=None, file_storage=None, *, wizard: AssessmentWizard):
        super().__init__(prefix, request, file_storage)
        self.wizard = wizard
        self.init_data()
        self.data[self.step_key] = wizard.assessment.last_step or None

    def reset(self):
        self.data[self.step_key] = None
        self.data[self.extra_data_key] = {}

    def get_step_data(self, step):
        pending = self.wizard.assessment.pending_steps.get(step)
        if pending is not None:
            data = MultiValueDict(pending)
            # The page shows this kept input: saving from it may replace it (see StepForm.kept).
            data.setlist(f"{self.wizard.get_form_prefix(step)}-kept", [services.kept_digest(pending)])
            return data
        form = self.wizard.get_form(step=step)
        data = form.data_from_answers()
        never_saved = not any(b.question.id in self.wizard.assessment.answers for b in form.bindings.values())
        if never_saved and not self.wizard.strict:
            self.wizard.keep_built_form(step, form, None)
            return None  # a step never saved shows as a fresh form, without errors
        data = MultiValueDict(data)
        self.wizard.keep_built_form(step, form, data)
        return data

    def set_step_data(self, step, cleaned_data):
        """Answers are written by the wizard through services; there is nothing else to keep."""

    def get_step_files(self, step):
        return None

    def set_step_files(self, step, files):
        if files:
            raise SuspiciousOperation("files are attached as evidence, not through wizard steps")


def section_condition(section_id: str):
    def applies(wizard: AssessmentWizard) -> bool:
        bank = wizard.bank
        return bank.section_applies(bank.section(section_id), wizard.counted_answers())
    return applies


class AssessmentWizard(NamedUrlWizardView):
    """One URL per section: /assessments/<pk>/wizard/<section>/."""

    template_name = "wizard/step.html"
    url_name = "wizard_step"
    bank: QuestionBank | None = None

    @classmethod
    def for_bank(cls, bank: QuestionBank):
        return cls.as_view(
            form_list=[(section.id, StepForm) for section in bank.sections],
            condition_dict={section.id: section_condition(section.id) for section in bank.sections},
            url_name=cls.url_name, done_step_name="finish", bank=bank,
        )

    def dispatch(self, request, *args, **kwargs):
        # A POST that saves shows nothing: whether the draft was ever submitted (for the regulator's comments and
        # verdicts on the page) is read only if the step is shown again (was_submitted).
        self.assessment = selectors.draft_for_wizard(request.user, kwargs["pk"], submitted=request.method != "POST")
        if self.assessment.status != self.assessment.Status.DRAFT:
            messages.info(request, _("This assessment is “%(status)s”: choose Revise to change its answers.") % {
                "status": self.assessment.get_status_display()})
            return redirect("assessment_detail", pk=self.assessment.pk)
        self.strict = "check" in request.GET
        self.prefix = f"assessment_{self.assessment.pk}"
        self.storage = AssessmentStorage(self.prefix, request, wizard=self)
        self.steps = StepsHelper(self)
        # WizardView.dispatch would build a storage from the class name; ours is keyed by the draft.
        response = super(WizardView, self).dispatch(request, *args, **kwargs)
        self.storage.update_response(response)
        return response

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"pk": self.assessment.pk, "step": step})

    def get_form_kwargs(self, step=None):
        step = step or self.steps.current
        return {
            "section": self.bank.section(step), "bank": self.bank, "answers": self.assessment.answers,
            "language": current_language(), "strict": self.strict,
            "evidence": self.evidence, "comments": self.comments, "counted": self.counted_answers(),
        }

    def keep_built_form(self, step: str, form: StepForm, data) -> None:
        """The storage built this unbound form to derive `data` from the saved answers; formtools asks for the
        same step's form with that data next. It is bound to it then rather than built a second time."""
        self._built_form = (step, form, data, self.assessment.answers)

    def get_form(self, step=None, data=None, files=None):
        built = self.__dict__.pop("_built_form", None)
        if built is not None and files is None and built[0] == (step or self.steps.current) and built[2] is data \
                and built[3] is self.assessment.answers and built[1].strict == self.strict:
            form = built[1]
            if data is not None:
                form.bind(data)
            return form
        return super().get_form(step=step, data=data, files=files)

    def counted_answers(self) -> dict:
        """bank.applicable_answers of the draft as it stands, computed once per version of the answers: every
        section's condition, the step form and the progress read it, several times a request."""
        answers = self.assessment.answers
        cached = self.__dict__.get("_counted")
        if cached is None or cached[0] is not answers:
            cached = self._counted = (answers, self.bank.applicable_answers(answers))
        return cached[1]

    @cached_property
    def evidence(self) -> ByQuestion:
        return ByQuestion(lambda: selectors.evidence_by_question(self.assessment))

    @cached_property
    def was_submitted(self) -> bool:
        """Whether a version of the draft went to a regulator: read with the draft for a GET, when needed otherwise."""
        submitted = getattr(self.assessment, "was_submitted", None)
        return selectors.draft_was_submitted(self.assessment) if submitted is None else submitted

    @cached_property
    def comments(self) -> ByQuestion:
        return ByQuestion(lambda: selectors.comments_by_question(self.assessment) if self.was_submitted else {})

    def get_form_initial(self, step):
        return {"revision": self.assessment.revision,
                "kept": services.kept_digest(self.assessment.pending_steps.get(step))}

    def post(self, *args, **kwargs):
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management_form.is_valid():
            raise SuspiciousOperation(_("ManagementForm data is missing or has been tampered."))
        step = management_form.cleaned_data["current_step"]
        if step not in self.get_form_list():
            return redirect(self.get_step_url(self.steps.first))
        self.storage.current_step = step
        form = self.get_form(data=self.request.POST, files=self.request.FILES)
        goto = self.request.POST.get("wizard_goto_step")
        leaving = "save_and_leave" in self.request.POST
        add_row = self.request.POST.get("add_row")
        # "Keep my answers and attach evidence": what was typed is saved (or kept pending) before leaving.
        attach = self.request.POST.get("attach_evidence")
        leaving = leaving or (attach if attach in self.bank.questions else None)
        kept = self.request.POST.get(form.add_prefix("kept"), "")
        if not form.is_valid():
            if goto in self.get_form_list() or leaving:
                # Back and Save-and-leave keep what was typed, even before it validates.
                typed, dropped = storable(self.request.POST)
                typed = form.with_hidden_fields_repaired(typed)
                try:
                    services.assessment_keep_pending(assessment=self.assessment, user=self.request.user,
                                                     step=step, data=typed, kept=kept)
                except services.KeptInputConflict as conflict:
                    return self.render_kept_conflict(conflict)
                section = form.section.title.get(current_language())
                messages.warning(self.request, _("Your input in “%(section)s” was kept, but some answers "
                                                 "need correcting.") % {"section": section})
                if dropped:
                    messages.warning(self.request, _("Null characters cannot be kept; they were removed from "
                                                     "what you typed."))
                return self._leave(goto, leaving)
            return self.render(form)
        try:
            self.assessment = services.assessment_save_step(
                assessment=self.assessment, user=self.request.user, step=step,
                answers=form.step_answers(), base_revision=form.cleaned_data["revision"], kept=kept,
            )
        except services.EditConflict as conflict:
            return self.render_conflict(form, conflict)
        except services.KeptInputConflict as conflict:
            return self.render_kept_conflict(conflict)
        if goto in self.get_form_list() or leaving:
            messages.success(self.request, _("Saved."))
            return self._leave(goto, leaving)
        if add_row:
            # The saved list comes back with its one empty row for the next item: nothing more to add.
            lists = {block.question.id for block in form.blocks if block.question.type == "items"}
            return redirect(self.get_step_url(step) + ("?check=1" if self.strict else "")
                            + (f"#q-{add_row}" if add_row in lists else ""))
        self._reset_form_list()
        if step == self.steps.last or self.strict:
            # Checking the whole assessment (a refused freeze or finish sent the user here): once this section is
            # corrected, the check goes on to the next section that still lacks an answer, not to the next one.
            return redirect(self.get_step_url(self.done_step_name))
        return redirect(self.get_step_url(self.get_next_step(step)))

    def _reset_form_list(self):
        # Conditions on sections read the answers just saved.
        for attr in ("_resolved_form_list", "_cache_signature"):
            self.__dict__.pop(attr, None)

    def _leave(self, goto, leaving):
        if leaving in self.bank.questions:
            query = urlencode({"question": leaving, "step": self.steps.current})
            return redirect(f"{reverse('evidence_list', kwargs={'pk': self.assessment.pk})}?{query}")
        if leaving:
            return redirect("assessment_detail", pk=self.assessment.pk)
        return redirect(self.get_step_url(goto))

    def render_conflict(self, form, conflict: services.EditConflict):
        """Show the step again from the latest revision, with every change of this save applied over the
        others' and, for the answers both changed, both values side by side."""
        step = self.steps.current
        kwargs = {**self.get_form_kwargs(step), "answers": conflict.mine, "counted": None,
                  "prefix": self.get_form_prefix(step, StepForm),
                  "initial": {"revision": conflict.assessment.revision,
                              "kept": services.kept_digest(conflict.assessment.pending_steps.get(step))}}
        data = StepForm(**kwargs).data_from_answers()
        form = StepForm(MultiValueDict(data), **kwargs)
        form.is_valid()
        language = current_language()
        items = conflict.mine.get(form.section.repeat_for) if form.section.repeat_for else None
        streams = {item["key"]: str(item.get("name") or item["key"])
                   for item in items or [] if isinstance(item, dict) and "key" in item}
        differences = []
        for question_id, key, theirs, mine in conflict.conflicts:
            question = self.bank.question(question_id)
            label = question.label.get(language)
            differences.append({
                "question": f"{label} ({streams.get(key, key)})" if key else label,
                "theirs": _display(question, theirs, language), "mine": _display(question, mine, language),
            })
        return self.render(form, conflict={
            "saved_by": conflict.first.saved_by.get_full_name() or conflict.first.saved_by.get_username(),
            "saved_at": conflict.first.saved_at,
            "differences": differences,
        })

    def render_kept_conflict(self, conflict: services.KeptInputConflict):
        """Someone kept unsaved input in this step after this page was made: nothing was written. The page comes
        back with what this person posted, now carrying the kept input's digest, so that saving again replaces
        that input deliberately; opening the step again shows it."""
        data = self.request.POST.copy()
        data.setlist(self.get_form_prefix(self.steps.current, StepForm) + "-kept", [conflict.kept])
        form = self.get_form(data=data)
        form.is_valid()
        messages.error(self.request, _("Someone kept unsaved input in this section after you opened this page; "
                                       "nothing was saved, so that neither is lost. What you typed is below: save "
                                       "again to replace their input with yours, or open the section again to see "
                                       "theirs first."))
        return self.render(form)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(self.request, _("Some answers in this section are missing or need correcting."))
        return redirect(self.get_step_url(failed_step) + "?check=1")

    def render_done(self, form, **kwargs):
        self.strict = True
        return super().render_done(form, **kwargs)

    def done(self, form_list, **kwargs):
        messages.success(self.request, _("Every section is complete."))
        return redirect("assessment_detail", pk=self.assessment.pk)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        language = current_language()
        context.update(assessment=self.assessment, progress=self.progress(),
                       section_title=form.section.title.get(language), intro=form.section.intro.get(language),
                       section_verdict=selectors.section_verdicts_for_author(self.assessment).get(form.section.id)
                       if self.was_submitted else None,
                       summary=summarise(selectors.draft_result(self.assessment, evidence=self.evidence.questions()),
                                         self.assessment.pk, answers=self.assessment.answers),
                       proposed_alternatives=proposed_alternatives(self.bank, self.assessment.answers, language)
                       if form.section.id == ALTERNATIVES_SECTION else [],
                       # The page holds answers not saved: sent back from a POST (to correct, or after a conflict), or
                       # showing input kept pending. A plain visit of a saved step holds none.
                       unsaved=self.request.method == "POST" or form.section.id in self.assessment.pending_steps)
        return context

    def progress(self) -> list[ProgressEntry]:
        return section_progress(self.bank, self.assessment, current=self.steps.current,
                                url=self.get_step_url, counted=self.counted_answers())


# The step where less intrusive alternatives are weighed: it proposes the catalogue's relevant entries.
ALTERNATIVES_SECTION = "necessity"


@dataclass
class ProposedAlternative:
    label: str
    description: str
    weighed: bool


def proposed_alternatives(bank: QuestionBank, answers: dict, language: str) -> list[ProposedAlternative]:
    """The alternatives a regulator will ask about for this project, and whether each is weighed yet."""
    return [ProposedAlternative(label=entry.label.get(language), description=entry.description.get(language),
                                weighed=weighed)
            for entry, weighed in proposals(answers, bank)]


def _display(question: Question, value: Any, language: str) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {question.display(v, language)}" for k, v in value.items())
    return question.display(value, language) or "—"
