"""The assessment wizard: step forms built from the question bank, a storage that keeps drafts in
the database, and the django-formtools named-URL wizard that ties them together.

The draft's answers in the database are the only truth. The storage gives formtools each step's
data by rendering those answers back into form data, so a GET never resets anything, and session
expiry, logout, a second tab or another device lose nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from dpia import selectors, services
from dpia.engine.bank import Question, QuestionBank, Section
from dpia.engine.conditions import evaluate, is_answered
from dpia.inputs import storable
from dpia.labels import current_language
from dpia.summary import summarise

# ----------------------------------------------------------------------------------------------
# Question type -> form field: the one explicit map
# ----------------------------------------------------------------------------------------------



def _choices(question: Question, language: str) -> list[tuple[str, str]]:
    return [(value, question.choice_label(value, language)) for value in question.choice_values()]


def _yes_no_unknown(question: Question, language: str) -> forms.Field:
    return forms.ChoiceField(choices=_choices(question, language), widget=forms.RadioSelect, required=False)


def _single_choice(question: Question, language: str) -> forms.Field:
    widget = forms.RadioSelect if len(question.choices) <= 8 else forms.Select
    choices = _choices(question, language)
    if widget is forms.Select:
        choices = [("", "—")] + choices
    return forms.ChoiceField(choices=choices, widget=widget, required=False)


def _multiple_choice(question: Question, language: str) -> forms.Field:
    return forms.MultipleChoiceField(
        choices=_choices(question, language), widget=forms.CheckboxSelectMultiple, required=False
    )


def _short_text(question: Question, language: str) -> forms.Field:
    return forms.CharField(max_length=question.max_length, required=False)


def _long_text(question: Question, language: str) -> forms.Field:
    return forms.CharField(
        max_length=question.max_length, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def _number(question: Question, language: str) -> forms.Field:
    field_class = forms.IntegerField if question.integer else forms.DecimalField
    return field_class(min_value=question.minimum, max_value=question.maximum, required=False)


def _date(question: Question, language: str) -> forms.Field:
    return forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )


FIELD_BUILDERS = {
    "yes_no_unknown": _yes_no_unknown,
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "short_text": _short_text,
    "long_text": _long_text,
    "number": _number,
    "date": _date,
}


def to_form_value(question: Question, value: Any) -> list[str]:
    """An answer as the strings a browser would post for it."""
    if value is None:
        return []
    if question.type == "multiple_choice":
        return [str(v) for v in value] if isinstance(value, list) else []
    return [str(value)]


def to_answer(question: Question, cleaned: Any) -> Any:
    """A cleaned form value as stored in the answers (JSON): None when empty."""
    if cleaned in (None, "", []):
        return None
    if question.type == "number":
        if isinstance(cleaned, Decimal):
            return int(cleaned) if cleaned == cleaned.to_integral_value() else float(cleaned)
        return cleaned
    if question.type == "date":
        return cleaned.isoformat() if isinstance(cleaned, dt.date) else cleaned
    if question.type in ("short_text", "long_text"):
        return cleaned.strip() or None
    return cleaned


# ----------------------------------------------------------------------------------------------
# The step form
# ----------------------------------------------------------------------------------------------


@dataclass
class Binding:
    """What one form field stands for. Field names are never parsed back into question ids."""

    question: Question
    item_key: str | None = None  # the processing stream a per-stream question is asked about
    row: int | None = None  # the row of an item list
    item_field: Question | None = None  # the field of that row
    role: str = "answer"  # or "key" / "remove" / "rows"


@dataclass
class ItemRow:
    index: int
    key: str
    fields: list = dataclass_field(default_factory=list)
    remove: Any = None
    key_field: Any = None


@dataclass
class QuestionBlock:
    """One question as the template renders it."""

    question: Question
    label: str
    help: str
    citations: list[str]
    item: dict | None = None
    item_name: str = ""
    field: Any = None
    rows: list[ItemRow] = dataclass_field(default_factory=list)
    rows_field: Any = None
    item_label: str = ""
    condition_note: str = ""
    evidence: list = dataclass_field(default_factory=list)
    comments: list = dataclass_field(default_factory=list)  # the regulator's, when revising


class StepForm(forms.Form):
    """The form of one section, built from the bank for this draft's current answers.

    `strict` is the final check: required questions must be answered. Saving a step never
    requires anything, so a half-finished section can always be kept."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**9)

    def __init__(self, *args, section: Section, bank: QuestionBank, answers: dict, language: str,
                 strict: bool = False, extra_rows: str | None = None, evidence=None, comments=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section, self.bank, self.language, self.strict = section, bank, language, strict
        self.answers = answers
        self.bindings: dict[str, Binding] = {}
        self.blocks: list[QuestionBlock] = []
        counted = bank.applicable_answers(answers)
        same_section = {q.id for q in section.questions}
        items = bank.repeat_items(section, counted) if section.repeat_for else [None]
        evidence, comments = evidence or {}, comments or {}
        for item in items:
            for question in section.questions:
                refs = set(question.show_if.references()) if question.show_if else set()
                condition_note = ""
                if refs & same_section:
                    # Depends on an answer in this same step: always shown, with the condition said.
                    condition_note = self._describe_condition(refs & same_section)
                elif not evaluate(question.show_if, counted, item):
                    continue
                block = QuestionBlock(
                    question=question, label=question.label.get(language), help=question.help.get(language),
                    citations=[c.label() for c in question.citations], item=item,
                    item_name=self._item_name(item), condition_note=condition_note,
                    evidence=evidence.get(question.id, []), comments=comments.get(question.id, []),
                )
                if question.type == "items":
                    self._add_item_rows(block, extra=extra_rows == question.id)
                else:
                    name = self._name(question, item)
                    self.fields[name] = FIELD_BUILDERS[question.type](question, language)
                    self.fields[name].label = block.label
                    self.bindings[name] = Binding(question=question, item_key=item["key"] if item else None)
                    block.field = name
                self.blocks.append(block)
        self.initial.setdefault("revision", 0)
        self._attach_bound_fields()

    def _attach_bound_fields(self) -> None:
        """Give the template bound fields and groups (one per processing stream in a repeated
        section), so it only loops and prints."""
        self.groups: list[dict] = []
        for block in self.blocks:
            name = block.field
            if name:
                self.fields[name].help_text = block.help
                block.field = self[name]
            for row in block.rows:
                row.fields = [self[n] for n in row.fields]
                row.key_field = self[row.key_field]
                row.remove = self[row.remove] if row.remove else None
            if block.rows_field:
                block.rows_field = self[block.rows_field]
            if not self.groups or self.groups[-1]["item"] is not block.item:
                self.groups.append({"item": block.item, "name": block.item_name, "blocks": []})
            self.groups[-1]["blocks"].append(block)

    # -- naming ---------------------------------------------------------------------------------
    @staticmethod
    def _slug(question: Question) -> str:
        return question.id.replace(".", "__")

    def _name(self, question: Question, item: dict | None) -> str:
        return f"{self._slug(question)}--{item['key']}" if item else self._slug(question)

    def _item_name(self, item: dict | None) -> str:
        if not item:
            return ""
        return str(item.get("name") or item.get("title") or item["key"])

    def _describe_condition(self, refs: set[str]) -> str:
        labels = "; ".join(f"“{self.bank.question(ref).label.get(self.language)}”" for ref in sorted(refs))
        return _("Answer only if it applies given your answer to %(questions)s.") % {"questions": labels}

    # -- item lists -----------------------------------------------------------------------------
    def _add_item_rows(self, block: QuestionBlock, *, extra: bool) -> None:
        question = block.question
        slug = self._slug(question)
        existing = self.answers.get(question.id)
        existing = [i for i in existing if isinstance(i, dict)] if isinstance(existing, list) else []
        rows_name = f"{slug}--rows"
        if self.is_bound:
            try:
                count = int(self.data.get(self.add_prefix(rows_name), len(existing)))
            except (TypeError, ValueError):
                count = len(existing)
        else:
            count = len(existing) + 1
        count = max(0, min(count + (1 if extra else 0), question.max_items))
        self.fields[rows_name] = forms.IntegerField(widget=forms.HiddenInput, min_value=0,
                                                    max_value=question.max_items, required=False)
        self.initial[rows_name] = count
        self.bindings[rows_name] = Binding(question=question, role="rows")
        block.rows_field = rows_name
        block.item_label = question.item_label.get(self.language) if question.item_label else _("Item")
        for index in range(count):
            row = ItemRow(index=index, key=existing[index].get("key", "") if index < len(existing) else "")
            key_name = f"{slug}--{index}--key"
            self.fields[key_name] = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
            self.initial[key_name] = row.key
            self.bindings[key_name] = Binding(question=question, row=index, role="key")
            row.key_field = key_name
            for item_field in question.fields:
                name = f"{slug}--{index}--{item_field.id}"
                self.fields[name] = FIELD_BUILDERS[item_field.type](item_field, self.language)
                self.fields[name].label = item_field.label.get(self.language)
                if item_field.help is not None and item_field.help.en:
                    self.fields[name].help_text = item_field.help.get(self.language)
                if index < len(existing):
                    self.initial[name] = existing[index].get(item_field.id)
                self.bindings[name] = Binding(question=question, row=index, item_field=item_field)
                row.fields.append(name)
            if index < len(existing):
                remove_name = f"{slug}--{index}--remove"
                self.fields[remove_name] = forms.BooleanField(required=False, label=_("Remove this row"))
                self.bindings[remove_name] = Binding(question=question, row=index, role="remove")
                row.remove = remove_name
            block.rows.append(row)

    # -- validation and answers -------------------------------------------------------------------
    def clean(self):
        cleaned = super().clean()
        for name, rows in self._rows_by_question().items():
            question = self.bank.question(name)
            first = question.fields[0]
            for row in rows:
                values = row["values"]
                if any(is_answered(v) for v in values.values()) and not is_answered(values.get(first.id)):
                    self.add_error(row["names"][first.id], _("Give this row a %(field)s.") % {
                        "field": first.label.get(self.language).lower()})
        if self.strict:
            for block in self.blocks:
                if not block.question.required or block.condition_note:
                    continue
                if block.question.type == "items":
                    if not self._rows_by_question().get(block.question.id):
                        self.add_error(None, _("“%(question)s” needs at least one entry.") % {
                            "question": block.label})
                elif not is_answered(cleaned.get(block.field.name)):
                    self.add_error(block.field.name,
                                   _("This question must be answered before the assessment is complete."))
        return cleaned

    def _rows_by_question(self) -> dict[str, list[dict]]:
        """The filled, not-removed rows of each item list, in order."""
        rows: dict[str, dict[int, dict]] = {}
        data = getattr(self, "cleaned_data", {})
        for name, binding in self.bindings.items():
            if binding.row is None:
                continue
            row = rows.setdefault(binding.question.id, {}).setdefault(
                binding.row, {"values": {}, "names": {}, "key": "", "remove": False})
            if binding.role == "key":
                row["key"] = data.get(name) or ""
            elif binding.role == "remove":
                row["remove"] = bool(data.get(name))
            else:
                row["values"][binding.item_field.id] = to_answer(binding.item_field, data.get(name))
                row["names"][binding.item_field.id] = name
        return {
            qid: [r for _, r in sorted(by_row.items())
                  if not r["remove"] and any(is_answered(v) for v in r["values"].values())]
            for qid, by_row in rows.items()
        }

    def step_answers(self) -> dict[str, Any]:
        """This step's answers, ready for services.assessment_save_step."""
        answers: dict[str, Any] = {}
        for name, binding in self.bindings.items():
            if binding.row is not None or binding.role != "answer":
                continue
            value = to_answer(binding.question, self.cleaned_data.get(name))
            if binding.item_key is not None:
                answers.setdefault(binding.question.id, {})[binding.item_key] = value
            else:
                answers[binding.question.id] = value
        for question_id, rows in self._rows_by_question().items():
            used = {r["key"] for r in rows if r["key"]}
            counter = 1
            items = []
            for row in rows:
                key = row["key"]
                if not key:
                    while f"k{counter}" in used:
                        counter += 1
                    key = f"k{counter}"
                    used.add(key)
                items.append({"key": key, **{k: v for k, v in row["values"].items() if v is not None}})
            answers[question_id] = items
        for block in self.blocks:  # an item list emptied by the user is cleared
            if block.question.type == "items" and block.question.id not in answers:
                answers[block.question.id] = None
        return answers

    def data_from_answers(self) -> dict[str, list[str]]:
        """The POST data that would reproduce the stored answers of this step."""
        data: dict[str, list[str]] = {self.add_prefix("revision"): [str(self.initial.get("revision", 0))]}
        for name, binding in self.bindings.items():
            key = self.add_prefix(name)
            if binding.role in ("rows", "key"):
                data[key] = [str(self.initial.get(name, ""))]
            elif binding.role == "remove":
                continue
            elif binding.row is not None:
                data[key] = to_form_value(binding.item_field, self.initial.get(name))
            else:
                value = self.answers.get(binding.question.id)
                if binding.item_key is not None:
                    value = value.get(binding.item_key) if isinstance(value, dict) else None
                data[key] = to_form_value(binding.question, value)
        return data


# ----------------------------------------------------------------------------------------------
# Storage: the draft in the database
# ----------------------------------------------------------------------------------------------


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
            return MultiValueDict(pending)
        form = self.wizard.get_form(step=step)
        data = form.data_from_answers()
        never_saved = not any(b.question.id in self.wizard.assessment.answers for b in form.bindings.values())
        if never_saved and not self.wizard.strict:
            return None  # a step never saved shows as a fresh form, without errors
        return MultiValueDict(data)

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
        return bank.section_applies(bank.section(section_id), bank.applicable_answers(wizard.assessment.answers))
    return applies


@dataclass
class ProgressEntry:
    section: Section
    title: str
    applies: bool
    state: str  # "not_started" | "in_progress" | "complete" | "not_applicable"
    state_label: str
    current: bool
    url: str


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
        self.assessment = selectors.assessment_for(request.user, kwargs["pk"], edit=True)
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
            "extra_rows": self.request.GET.get("more"),
            "evidence": selectors.evidence_by_question(self.assessment),
            "comments": selectors.comments_by_question(self.assessment),
        }

    def get_form_initial(self, step):
        return {"revision": self.assessment.revision}

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
        if not form.is_valid():
            if goto in self.get_form_list() or leaving:
                # Back and Save-and-leave keep what was typed, even before it validates.
                typed, dropped = storable(self.request.POST)
                services.assessment_keep_pending(assessment=self.assessment, user=self.request.user,
                                                 step=step, data=typed)
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
                answers=form.step_answers(), base_revision=form.cleaned_data["revision"],
            )
        except services.EditConflict as conflict:
            return self.render_conflict(form, conflict)
        if goto in self.get_form_list() or leaving:
            messages.success(self.request, _("Saved."))
            return self._leave(goto, leaving)
        if add_row:
            return redirect(self.get_step_url(step) + "?more=" + add_row)
        self._reset_form_list()
        if step == self.steps.last:
            return redirect(self.get_step_url(self.done_step_name))
        return redirect(self.get_step_url(self.get_next_step(step)))

    def _reset_form_list(self):
        # Conditions on sections read the answers just saved.
        for attr in ("_resolved_form_list", "_cache_signature"):
            self.__dict__.pop(attr, None)

    def _leave(self, goto, leaving):
        if leaving:
            return redirect("assessment_detail", pk=self.assessment.pk)
        return redirect(self.get_step_url(goto))

    def render_conflict(self, form, conflict: services.EditConflict):
        data = self.request.POST.copy()
        data[form.add_prefix("revision")] = str(conflict.assessment.revision)
        form = self.get_form(data=data)
        form.is_valid()
        language = current_language()
        theirs = []
        mine = form.step_answers() if hasattr(form, "cleaned_data") else {}
        for question_id, their_value in conflict.first.answers.items():
            my_value = mine.get(question_id)
            if my_value != their_value:
                question = self.bank.question(question_id)
                theirs.append({
                    "question": question.label.get(language),
                    "theirs": _display(question, their_value, language),
                    "mine": _display(question, my_value, language),
                })
        return self.render(form, conflict={
            "saved_by": conflict.first.saved_by.get_full_name() or conflict.first.saved_by.get_username(),
            "saved_at": conflict.first.saved_at,
            "differences": theirs,
        })

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
                       summary=summarise(selectors.draft_result(self.assessment), self.assessment.pk))
        return context

    def progress(self) -> list[ProgressEntry]:
        return section_progress(self.bank, self.assessment, current=self.steps.current,
                                url=self.get_step_url)


def _display(question: Question, value: Any, language: str) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k}: {question.display(v, language)}" for k, v in value.items())
    return question.display(value, language) or "—"


def first_incomplete_step(bank: QuestionBank, assessment) -> str | None:
    """The first section that applies and does not pass the final check (required answers given,
    every value valid, no input left pending), or None when the assessment is complete."""
    counted = bank.applicable_answers(assessment.answers)
    for section in bank.sections:
        if not bank.section_applies(section, counted):
            continue
        if section.id in assessment.pending_steps:
            return section.id
        kwargs = {"section": section, "bank": bank, "answers": assessment.answers, "language": "en",
                  "strict": True, "prefix": section.id, "initial": {"revision": assessment.revision}}
        data = StepForm(**kwargs).data_from_answers()
        if not StepForm(MultiValueDict(data), **kwargs).is_valid():
            return section.id
    return None


STATE_LABELS = {
    "not_started": gettext_lazy("Not started"),
    "in_progress": gettext_lazy("In progress"),
    "complete": gettext_lazy("Complete"),
    "not_applicable": gettext_lazy("Does not apply"),
}


def section_progress(bank: QuestionBank, assessment, *, current: str | None, url) -> list[ProgressEntry]:
    """Which sections apply to this project and how far each one is answered."""
    language = current_language()
    counted = bank.applicable_answers(assessment.answers)
    entries = []
    for section in bank.sections:
        applies = bank.section_applies(section, counted)
        answered = [q for q in section.questions if q.id in counted]
        required = [q for q in section.questions if q.required and bank.question_applies(q, counted)]
        if not applies:
            state = "not_applicable"
        elif not answered:
            state = "not_started"
        elif all(q.id in counted for q in required) and section.id not in assessment.pending_steps:
            state = "complete"
        else:
            state = "in_progress"
        entries.append(ProgressEntry(
            section=section, title=section.title.get(language), applies=applies, state=state,
            state_label=str(STATE_LABELS[state]), current=section.id == current,
            url=url(section.id) if applies else "",
        ))
    return entries

