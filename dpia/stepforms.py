"""Step forms built from the question bank: one form per section, the answers it reads and writes, item keys,
the final completeness check and each section's progress. No views and no writes here: the wizard (dpia.wizard)
and the services use them."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from functools import cached_property, lru_cache, partial
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from dpia import widgets
from dpia.engine.bank import CitationLink, Question, QuestionBank, Section
from dpia.engine.conditions import AllOf, AnyOf, Compare, Condition, Not, evaluate, evaluate_known, is_answered
from dpia.fields import UncappedTextField
from dpia.inputs import labelled_error
from dpia.labels import current_language

# ----------------------------------------------------------------------------------------------
# Question type -> form field: the one explicit map
# ----------------------------------------------------------------------------------------------



RADIO_LIMIT = 8  # more choices than this are a drop-down list


def _choices(question: Question, language: str) -> list[tuple[str, str]]:
    return [(value, question.choice_label(value, language)) for value in question.choice_values()]


def _yes_no_unknown(question: Question, language: str) -> forms.Field:
    return forms.ChoiceField(choices=_choices(question, language), widget=widgets.RadioSelect, required=False)


def _single_choice(question: Question, language: str) -> forms.Field:
    widget = widgets.RadioSelect if len(question.choices) <= RADIO_LIMIT else forms.Select
    choices = _choices(question, language)
    if widget is forms.Select:
        choices = [("", "—")] + choices
    return forms.ChoiceField(choices=choices, widget=widget, required=False)


# A choice that says none of the others applies ("none", "not known"): ticked with any of them, the answer
# contradicts itself. The bank marks such choices `exclusive`.
class ExclusiveChoiceField(forms.MultipleChoiceField):
    """A multiple-choice answer in which the exclusive choices can only be ticked alone."""

    def __init__(self, *, exclusive_labels: dict[str, str], **kwargs):
        super().__init__(**kwargs)
        self.exclusive_labels = exclusive_labels

    def validate(self, value):
        super().validate(value)
        alone = [v for v in value if v in self.exclusive_labels]
        if alone and len(value) > 1:
            raise forms.ValidationError(_("“%(choice)s” cannot be ticked with other choices."), code="none_alone",
                                        params={"choice": self.exclusive_labels[alone[0]]})


def _multiple_choice(question: Question, language: str) -> forms.Field:
    choices = _choices(question, language)
    exclusive = question.exclusive_choices()
    if exclusive:
        return ExclusiveChoiceField(choices=choices, widget=widgets.CheckboxSelectMultiple, required=False,
                                    exclusive_labels={v: question.choice_label(v, language) for v in exclusive})
    return forms.MultipleChoiceField(choices=choices, widget=widgets.CheckboxSelectMultiple, required=False)


# Text answers: text made only of spaces or invisible characters (dpia.fields.shows_nothing) is no answer, so a
# required question stays unanswered and the document incomplete.
def _short_text(question: Question, language: str) -> forms.Field:
    return UncappedTextField(max_length=question.max_length, required=False)


def _long_text(question: Question, language: str) -> forms.Field:
    return UncappedTextField(
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


def length_hint(question: Question) -> str:
    """The length limit of a text answer, said before typing (the server checks it; nothing is cut)."""
    if question.type not in ("short_text", "long_text") or not question.max_length:
        return ""
    return _length_hint(question.max_length, get_language())


# A step form has up to a few hundred fields, each with its help and limit: the texts, which depend only on the
# bank's words, the limit and the language, are made once per process rather than at every page.
@lru_cache(maxsize=256)
def _length_hint(max_length: int, language: str | None) -> str:
    return _("Up to %(count)s characters.") % {"count": number_format(max_length, force_grouping=True)}


@lru_cache(maxsize=4096)
def _help_and_hint(help_text: str, safe: bool, hint: str) -> str:
    return format_html('{} <span class="length-hint">{}</span>', mark_safe(help_text) if safe else help_text, hint)  # noqa: S308 (safe only if it was)


def help_with_limit(help_text: str, question: Question, field: forms.Field) -> str:
    """A field's help text followed by its length limit; the limit also goes to the page's script, which
    counts the characters typed."""
    hint = length_hint(question)
    if not hint:
        return help_text
    field.widget.attrs["data-max-length"] = str(question.max_length)
    return _help_and_hint(str(help_text), isinstance(help_text, SafeData), hint)


# A step form has a field per question and per row of an item list: each field is a pure function of the question,
# the form's language and the active language (the length hint's wording and number format). Built once per process
# and question object (_prototype, below: a changed bank is new objects, so new entries); each form gets its own
# copy, as Django gives each form a copy of its declared fields.
def _field_prototype(question: Question, language: str, active_language: str | None, row: bool) -> forms.Field:
    field = FIELD_BUILDERS[question.type](question, language)
    field.label = question.label.get(language)
    if row:  # the fields of an item list may have no help, or help in English only
        help_text = question.help.get(language) if question.help is not None and question.help.en else ""
    else:
        help_text = question.help.get(language)
    field.help_text = help_with_limit(help_text, question, field)
    return field


@lru_cache(maxsize=256)
def _row_field_prototype(role: str, active_language: str | None, max_items: int = 0) -> forms.Field:
    """The hidden fields of an item list (its row count, each row's key) and a row's "remove" box."""
    if role == "rows":
        return forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=max_items, required=False)
    if role == "key":
        return forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    return forms.BooleanField(required=False, label=_("Remove this row"))


def _own_copy(field: forms.Field) -> forms.Field:
    """What Field.__deepcopy__ (Form.__init__'s copy of declared fields) gives: the field, its widget, their
    attributes, messages, validators and lists of choices, without copying the choices' tuples of strings, which are
    immutable. (copy.copy's generic protocol cost more than the rest here; these classes hold plain __dict__s.)"""
    copied = object.__new__(type(field))
    copied.__dict__.update(field.__dict__)
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    copied.widget = widget = object.__new__(type(field.widget))
    widget.__dict__.update(field.widget.__dict__)
    widget.attrs = field.widget.attrs.copy()
    if isinstance(field, forms.ChoiceField):  # both hold the normalised list: copied as it is, not normalised again
        copied._choices = list(field._choices)
        widget._choices = list(field.widget._choices)
    return copied


# The prototypes, one per question (by identity), language and active language. A key by value would hash the
# question, a frozen dataclass hashed field by field (its texts, choices and item fields included), at every call:
# about a third of building a step form. The bank's questions are the same objects from one request to the next;
# each entry holds its question, whose id() then cannot pass to another object while the entry lives.
_PROTOTYPES_BY_ID: dict[tuple, tuple[Question, forms.Field]] = {}


def _prototype(question: Question, language: str, active_language: str | None, row: bool) -> forms.Field:
    key = (id(question), language, active_language, row)
    entry = _PROTOTYPES_BY_ID.get(key)
    if entry is not None and entry[0] is question:
        return entry[1]
    field = _field_prototype(question, language, active_language, row)
    if len(_PROTOTYPES_BY_ID) >= 4096:  # banks made and dropped (tests): start again rather than grow
        _PROTOTYPES_BY_ID.clear()
    _PROTOTYPES_BY_ID[key] = (question, field)
    return field


def step_field(question: Question, language: str, *, row: bool = False,
               active_language: str | None = None) -> forms.Field:
    """The form field a question (`row`: a field of an item list's rows) is answered in, labelled, with its help.
    `active_language`: get_language(), when the caller has it already."""
    return _own_copy(_prototype(question, language, active_language or get_language(), row))


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


def field_anchor(question: Question, item_key: str | None = None) -> str:
    """The id of the input a question is answered in on its step page (its first option for a group of
    options; the question itself for an item list), for links that take the user to the answer."""
    if question.type == "items":
        return f"q-{question.id}"
    if question.per_item and not item_key:
        return ""  # asked once per stream: which stream is not known
    name = StepForm.name_for(question, item_key)
    choice_group = question.type in ("yes_no_unknown", "multiple_choice") or (
        question.type == "single_choice" and len(question.choices) <= RADIO_LIMIT)
    return f"id_{question.section}-{name}" + ("_0" if choice_group else "")


# ----------------------------------------------------------------------------------------------
# Item keys: a new item gets a random key that no item and no per-item answer of the draft holds, so a
# key is never reused and answers given about a removed item never pass to a new one.
# ----------------------------------------------------------------------------------------------


# What a new row may bring as its own key: letters, digits, "_" and "-" (keys name form fields and anchors).
ROW_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def keys_in_use(answers: dict) -> set[str]:
    """Every item key the answers mention: keys of item lists, and keys of per-item answers (kept even
    after their item was removed)."""
    used: set[str] = set()
    for value in answers.values():
        if isinstance(value, list):
            used.update(str(item["key"]) for item in value if isinstance(item, dict) and item.get("key"))
        elif isinstance(value, dict):
            used.update(str(key) for key in value)
    return used


def new_item_key(used: set[str]) -> str:
    while (key := f"i{secrets.token_hex(6)}") in used:
        continue
    return key


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
    """One question as the template renders it. What only the page shows (the citation links, the condition in
    words, the evidence and the regulator's comments) is made when the page reads it, so a step that is saved and
    redirects, which shows nothing, makes none of it."""

    question: Question
    label: str
    help: str
    item: dict | None = None
    item_name: str = ""
    field: Any = None
    rows: list[ItemRow] = dataclass_field(default_factory=list)
    rows_field: Any = None
    item_label: str = ""
    show_if: str = ""  # the question's dependency on this page's answers as JSON, for the page's script
    # (static/dpia/js/wizard.js); the same in words is `condition_note`
    bank: QuestionBank | None = dataclass_field(default=None, repr=False, compare=False)
    language: str = "en"
    describe: Callable[[], str] | None = dataclass_field(default=None, repr=False, compare=False)
    evidence_by_question: Any = dataclass_field(default=None, repr=False, compare=False)
    comments_by_question: Any = dataclass_field(default=None, repr=False, compare=False)

    @cached_property
    def citations(self) -> list[CitationLink]:
        return self.bank.cite_all(self.question.citations, self.language) if self.bank is not None else []

    @cached_property
    def condition_note(self) -> str:
        """Which answers on this page the question depends on (read without JavaScript)."""
        return self.describe() if self.describe is not None else ""

    @cached_property
    def evidence(self) -> list:
        return (self.evidence_by_question or {}).get(self.question.id, [])

    @cached_property
    def comments(self) -> list:
        """The regulator's, when revising."""
        return (self.comments_by_question or {}).get(self.question.id, [])


# Dates of one section that must come in order: (earlier, later).
DATE_ORDER = (("project.start_date", "project.end_date"),)


class StepForm(forms.Form):
    """The form of one section, built from the bank for this draft's current answers.

    `strict` is the final check: required questions must be answered. Saving a step never
    requires anything, so a half-finished section can always be kept."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=10**9)
    # The input kept unsaved in this step (dpia.services.kept_digest) when the page was made, "" when there was
    # none: a save refuses to replace kept input the person never saw.
    kept = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    # One renderer for every step form (a class here would build a template engine per form).
    default_renderer = widgets.PythonRenderer()

    def __init__(self, *args, section: Section, bank: QuestionBank, answers: dict, language: str,
                 strict: bool = False, evidence=None, comments=None, counted: dict | None = None, **kwargs):
        """`counted`: bank.applicable_answers(answers), when the caller has it already."""
        super().__init__(*args, **kwargs)
        self.section, self.bank, self.language, self.strict = section, bank, language, strict
        self.answers = answers
        self.bindings: dict[str, Binding] = {}
        self.error_labels: dict[str, str] = {}  # what the error summary calls each field
        self.blocks: list[QuestionBlock] = []
        counted = self.counted = bank.applicable_answers(answers) if counted is None else counted
        same_section = {q.id for q in section.questions}
        items = bank.repeat_items(section, counted) if section.repeat_for else [None]
        evidence, comments = evidence or {}, comments or {}
        self._row_names: dict[str, dict[str, list[str]]] = {}
        self._active_language = get_language()
        for item in items:
            on_page: set[str] = set()
            for question in section.questions:
                refs = set(question.show_if.references()) if question.show_if else set()
                here = refs & same_section
                # An answer of this section that is not asked on this page counts as not given; one that is
                # asked here is not known until the user gives it.
                not_asked = here - on_page
                seen = {k: v for k, v in counted.items() if k not in not_asked} if not_asked else counted
                unknown = frozenset(here & on_page)
                applies = evaluate_known(question.show_if, seen, item, unknown=unknown)
                if applies is False:
                    continue
                on_page.add(question.id)
                describe, show_if = None, ""
                if applies is None:
                    describe = partial(self._condition_note, question.show_if, seen, item, unknown)
                    show_if = json.dumps(self._for_script(question.show_if, seen, item, unknown))
                block = QuestionBlock(
                    question=question, label=question.label.get(language), help=question.help.get(language),
                    item=item, item_name=self._item_name(item), show_if=show_if, bank=bank, language=language,
                    describe=describe, evidence_by_question=evidence, comments_by_question=comments,
                )
                if question.type == "items":
                    self._add_item_rows(block)
                else:
                    name = self._name(question, item)
                    self.fields[name] = step_field(question, language, active_language=self._active_language)
                    self.error_labels[name] = f"{block.label} ({block.item_name})" if item else block.label
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
                block.field = self[name]
            for row in block.rows:
                row.fields = [self[n] for n in row.fields]
                row.key_field = self[row.key_field]
                row.remove = self[row.remove] if row.remove else None
            if block.rows_field:
                block.rows_field = self[block.rows_field]
            if not self.groups or self.groups[-1]["item"] is not block.item:
                self.groups.append({"item": block.item, "name": block.item_name, "blocks": [], "optional": [],
                                    "optional_open": False})
            group = self.groups[-1]
            # Optional questions wait, folded, at the end of their group (with the questions that follow from
            # them); the fold opens once one of them holds an answer.
            follows_folded = bool(block.show_if) and not {b.question.id for b in group["optional"]}.isdisjoint(
                block.question.show_if.references())
            if block.question.required and not follows_folded:
                group["blocks"].append(block)
            else:
                group["optional"].append(block)
                group["optional_open"] = group["optional_open"] or self._holds_answer(block)

    def bind(self, data: MultiValueDict) -> None:
        """Bind this unbound form to `data` without building it again: the same form as StepForm(data, ...) with
        the same arguments when `data` is this form's own data_from_answers() (its item rows then count the rows
        this form has), which is what the wizard uses it for. Only the folds of optional questions are decided
        differently for a bound form (by what the data holds): decided again here."""
        if self.is_bound:
            raise ValueError("this form is bound already")
        self.is_bound, self.data, self.files, self._errors = True, data, MultiValueDict(), None
        for group in self.groups:
            group["optional_open"] = any(self._holds_answer(block) for block in group["optional"])

    def _holds_answer(self, block: QuestionBlock) -> bool:
        if self.is_bound:
            names = [n for n, b in self.bindings.items() if b.question is block.question and b.role == "answer"
                     and (b.item_key is None or block.item is None or b.item_key == block.item["key"])]
            values = [self.data.getlist(self.add_prefix(n)) if hasattr(self.data, "getlist")
                      else self.data.get(self.add_prefix(n)) for n in names]
            flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
            return any(isinstance(v, str) and v.strip() for v in flat)
        value = self.counted.get(block.question.id)  # an answer that no longer counts does not open the fold
        if block.item is not None and isinstance(value, dict):
            value = value.get(block.item["key"])
        return is_answered(value)

    # -- naming ---------------------------------------------------------------------------------
    @staticmethod
    def _slug(question: Question) -> str:
        return question.id.replace(".", "__")

    @classmethod
    def name_for(cls, question: Question, item_key: str | None) -> str:
        return f"{cls._slug(question)}--{item_key}" if item_key else cls._slug(question)

    def _name(self, question: Question, item: dict | None) -> str:
        return self.name_for(question, item["key"] if item else None)

    def _item_name(self, item: dict | None) -> str:
        if not item:
            return ""
        return str(item.get("name") or item.get("title") or item["key"])

    # -- conditions decided on this page ----------------------------------------------------------
    def _label(self, compare: Compare) -> str:
        question = self.bank.question(compare.question)
        target = question.field(compare.field) if compare.field else question
        return _("“%(text)s”") % {"text": target.label.get(self.language)}

    def _values(self, compare: Compare) -> str:
        question = self.bank.question(compare.question)
        target = question.field(compare.field) if compare.field else question
        values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
        return _(" or ").join(_("“%(text)s”") % {"text": target.choice_label(str(v), self.language)} for v in values)

    def _condition_note(self, condition: Condition, seen: dict, item, unknown: frozenset) -> str:
        return _("Asked only if %(condition)s.") % {"condition": self._describe(condition, seen, item, unknown)}

    def _describe(self, condition: Condition, seen: dict, item, unknown: frozenset) -> str:
        """The condition in words, naming the questions of this page it depends on (parts already settled by
        earlier answers are left out)."""
        if isinstance(condition, AllOf | AnyOf):
            settled = isinstance(condition, AllOf)  # parts that are True say nothing in "all", False in "any"
            parts = [self._describe(c, seen, item, unknown) for c in condition.conditions
                     if evaluate_known(c, seen, item, unknown=unknown) is not settled]
            joiner = _(" and ") if isinstance(condition, AllOf) else _(" or ")
            return joiner.join(parts)
        if isinstance(condition, Not):
            inner = condition.condition
            if isinstance(inner, Compare) and inner.operator in ("equals", "in"):
                return _("your answer to %(question)s is not %(values)s") % {
                    "question": self._label(inner), "values": self._values(inner)}
            return _("this does not hold: %(condition)s") % {"condition": self._describe(inner, seen, item, unknown)}
        words = {"question": self._label(condition)}
        if condition.operator in ("equals", "in"):
            return _("your answer to %(question)s is %(values)s") % {**words, "values": self._values(condition)}
        if condition.operator in ("includes", "includes_any"):
            return _("you ticked %(values)s in %(question)s") % {**words, "values": self._values(condition)}
        if condition.operator == "at_least":
            return _("your answer to %(question)s is at least %(value)s") % {**words, "value": condition.value}
        if condition.value:
            return _("you answered %(question)s") % words
        return _("you left %(question)s unanswered") % words

    def _for_script(self, condition: Condition, seen: dict, item, unknown: frozenset) -> dict:
        """The condition for the page's script: parts settled by earlier answers become constants, and
        questions of this page become the names of their inputs."""
        known = evaluate_known(condition, seen, item, unknown=unknown)
        if known is not None:
            return {"const": known}
        if isinstance(condition, AllOf | AnyOf):
            return {"all" if isinstance(condition, AllOf) else "any":
                    [self._for_script(c, seen, item, unknown) for c in condition.conditions]}
        if isinstance(condition, Not):
            return {"not": self._for_script(condition.condition, seen, item, unknown)}
        question = self.bank.question(condition.question)
        if condition.field:
            names = self._row_names.get(question.id, {}).get(condition.field, [])
        else:
            names = [self._name(question, item if question.per_item else None)]
        value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
        return {"names": [self.add_prefix(n) for n in names], "op": condition.operator, "value": value}

    # -- item lists -----------------------------------------------------------------------------
    def _add_item_rows(self, block: QuestionBlock) -> None:
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
            count = len(existing) + 1  # the items so far and one empty row for the next
        count = max(0, min(count, question.max_items))
        self.fields[rows_name] = _own_copy(_row_field_prototype("rows", self._active_language, question.max_items))
        self.initial[rows_name] = count
        self.bindings[rows_name] = Binding(question=question, role="rows")
        block.rows_field = rows_name
        block.item_label = question.item_label.get(self.language) if question.item_label else _("Item")
        for index in range(count):
            row = ItemRow(index=index, key=existing[index].get("key", "") if index < len(existing) else "")
            key_name = f"{slug}--{index}--key"
            self.fields[key_name] = _own_copy(_row_field_prototype("key", self._active_language))
            self.initial[key_name] = row.key
            self.bindings[key_name] = Binding(question=question, row=index, role="key")
            row.key_field = key_name
            for item_field in question.fields:
                name = f"{slug}--{index}--{item_field.id}"
                self.fields[name] = step_field(item_field, self.language, row=True,
                                               active_language=self._active_language)
                self.error_labels[name] = f"{block.item_label} {index + 1}: {self.fields[name].label}"
                if index < len(existing):
                    self.initial[name] = existing[index].get(item_field.id)
                self.bindings[name] = Binding(question=question, row=index, item_field=item_field)
                self._row_names.setdefault(question.id, {}).setdefault(item_field.id, []).append(name)
                row.fields.append(name)
            if index < len(existing):
                remove_name = f"{slug}--{index}--remove"
                self.fields[remove_name] = _own_copy(_row_field_prototype("remove", self._active_language))
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
        by_question = {b.question.id: name for name, b in self.bindings.items()
                       if b.role == "answer" and b.row is None and b.item_key is None}
        for earlier, later in DATE_ORDER:
            start, end = cleaned.get(by_question.get(earlier, "")), cleaned.get(by_question.get(later, ""))
            if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
                self.add_error(by_question[later], _("This date is before the start date (%(start)s): it cannot "
                                                     "end before it starts.") % {"start": start.isoformat()})
        if self.strict:
            merged = None
            for block in self.blocks:
                if not block.question.required:
                    continue
                if block.show_if:
                    # Asked depending on this page's answers: required only when they make it apply.
                    if merged is None:
                        merged = self.bank.applicable_answers({**self.answers, **self.step_answers()})
                    if not evaluate(block.question.show_if, merged, block.item):
                        continue
                if block.question.type == "items":
                    if not self._rows_by_question().get(block.question.id):
                        self.add_error(None, _("“%(question)s” needs at least one entry.") % {
                            "question": block.label})
                elif not is_answered(cleaned.get(block.field.name)):
                    self.add_error(block.field.name,
                                   _("This question must be answered before the assessment is complete."))
        return cleaned

    def error_summary(self) -> list[dict]:
        """Each problem of the form, in page order, with the id of the field it concerns (GOV.UK error
        summary): the page lists them at the top, each linking to its field."""
        out = [{"anchor": "", "text": str(message)} for message in self.non_field_errors()]
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            if field.widget.is_hidden:  # no label, nothing to link to: only an altered page gets here
                altered = {"anchor": "", "text": str(_("The page was altered or is out of date; nothing was saved. "
                                                       "Reload the page and answer again."))}
                if altered not in out:
                    out.append(altered)
                continue
            bound = self[name]
            anchor = bound.auto_id
            if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"{anchor}_0"  # a group of options: its first option
            label = self.error_labels.get(name, str(field.label or ""))
            out.extend({"anchor": anchor, "text": labelled_error(label, message)} for message in self.errors[name])
        return out

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
        used = keys_in_use(self.answers)
        for question_id, rows in self._rows_by_question().items():
            # A row keeps the key it posts once only, and only if it is the key of a saved row or one no answer
            # has ever used: a key posted twice, or the key of another (or a removed) row, would let two rows
            # share, or a row take over, per-item answers that are not its own.
            saved = {str(item.get("key")) for item in self.answers.get(question_id) or [] if isinstance(item, dict)}
            items, taken = [], set()
            for row in rows:
                posted = row["key"]
                own = posted in saved or (ROW_KEY.fullmatch(posted) is not None and posted not in used)
                key = posted if posted and own and posted not in taken else new_item_key(used)
                taken.add(key)
                used.add(key)
                items.append({"key": key, **{k: v for k, v in row["values"].items() if v is not None}})
            answers[question_id] = items
        for block in self.blocks:  # an item list emptied by the user is cleared
            if block.question.type == "items" and block.question.id not in answers:
                answers[block.question.id] = None
        return answers

    def answers_with_unsaved(self) -> dict[str, Any]:
        """The draft's saved answers with what this form holds over them, for reading before saving: a field
        that does not validate keeps its saved answer. Nothing is stored."""
        self.is_valid()
        typed = self.step_answers()
        for name in self.errors:
            binding = self.bindings.get(name)
            if binding is None:
                continue
            saved = self.answers.get(binding.question.id)
            if binding.item_key is not None and isinstance(typed.get(binding.question.id), dict):
                typed[binding.question.id][binding.item_key] = saved.get(binding.item_key) \
                    if isinstance(saved, dict) else None
            else:
                typed[binding.question.id] = saved
        return {**self.answers, **typed}

    def left_out(self) -> list[str]:
        """What answers_with_unsaved could not read: the fields (and rows) that do not validate yet."""
        names = [self.error_labels.get(name, str(self.fields[name].label or "")) for name in self.errors
                 if name in self.fields and self.bindings.get(name)]
        return [name for name in names if name] + ([_("The form itself (reload the page)")]
                                                   if any(n not in self.bindings for n in self.errors) else [])

    def with_hidden_fields_repaired(self, typed):
        """What was typed, to keep pending, with any altered hidden field (the revision, a row's key or count) put
        back as the stored answers have it, or left out: kept as sent, it would refuse every later save of the
        step with 'the page was altered'."""
        stored = self.data_from_answers()
        repaired = dict(typed)
        for name, field in self.fields.items():
            if field.widget.is_hidden and name in self.errors:
                key = self.add_prefix(name)
                if key in stored:
                    repaired[key] = list(stored[key])
                else:
                    repaired.pop(key, None)
        return repaired

    def data_from_answers(self) -> dict[str, list[str]]:
        """The POST data that would reproduce the stored answers of this step."""
        data: dict[str, list[str]] = {self.add_prefix("revision"): [str(self.initial.get("revision", 0))],
                                      self.add_prefix("kept"): [str(self.initial.get("kept", ""))]}
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


@dataclass
class ProgressEntry:
    section: Section
    title: str
    applies: bool
    state: str  # "not_started" | "in_progress" | "complete" | "not_applicable"
    state_label: str
    current: bool
    url: str


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


def section_progress(bank: QuestionBank, assessment, *, current: str | None, url,
                     counted: dict | None = None) -> list[ProgressEntry]:
    """Which sections apply to this project and how far each one is answered (`counted`: the draft's
    applicable answers, when the caller has them)."""
    language = current_language()
    counted = bank.applicable_answers(assessment.answers) if counted is None else counted
    entries = []
    for section in bank.sections:
        applies = bank.section_applies(section, counted)
        # An empty list or blank text saved is no answer: a risks step saved with no risk is not complete.
        answered = [q for q in section.questions if is_answered(counted.get(q.id))]
        required = [q for q in section.questions if q.required and bank.question_applies(q, counted)]
        if not applies:
            state = "not_applicable"
        elif not answered and section.id not in assessment.pending_steps:
            state = "not_started"
        elif all(q in answered for q in required) and section.id not in assessment.pending_steps:
            state = "complete"
        else:
            state = "in_progress"
        entries.append(ProgressEntry(
            section=section, title=section.title.get(language), applies=applies, state=state,
            state_label=str(STATE_LABELS[state]), current=section.id == current,
            url=url(section.id) if applies else "",
        ))
    return entries


# ----------------------------------------------------------------------------------------------
# How much the questionnaire asks of a project


@dataclass
class StepLoad:
    section: Section
    title: str
    # Shown once the answers on the page are given (the page's script hides the rest); optional questions
    # left unanswered wait folded and are not counted.
    questions: int
    help_words: int  # words of help of those questions, their choices and the fields of their item lists
    questions_without_script: int  # on the page as built, before the page's own answers are read


def _help_words(question: Question, language: str) -> int:
    texts = [question.help.get(language) if question.help is not None else ""]
    texts += [c.help.get(language) for c in question.choices if c.help is not None]
    words = sum(len(t.split()) for t in texts)
    return words + sum(_help_words(f, language) for f in question.fields)


def question_load(bank: QuestionBank, answers: dict, *, language: str = "en") -> list[StepLoad]:
    """Per step that applies to these answers: the questions a person is shown and the words of help on
    screen (a question asked per processing stream counts once per stream)."""
    counted = bank.applicable_answers(answers)
    out = []
    for section in bank.sections:
        if not bank.section_applies(section, counted):
            continue
        form = StepForm(section=section, bank=bank, answers=answers, language=language, prefix=section.id)
        folded = {id(b) for g in form.groups if not g["optional_open"] for b in g["optional"]}
        shown = [b for b in form.blocks if (not b.show_if or evaluate(b.question.show_if, counted, b.item))
                 and id(b) not in folded]
        out.append(StepLoad(section=section, title=section.title.get(language), questions=len(shown),
                            help_words=sum(_help_words(b.question, language) for b in shown),
                            questions_without_script=len(form.blocks)))
    return out
