"""Importing a CNIL PIA file into a new draft: the service the import page and `manage.py import_pia` share,
the read of the notes it keeps, and the words for both in the user's language."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dpia import services
from dpia.engine.bank import QuestionBank, default_bank
from dpia.interop.cnil_pia import CnilPiaError, from_cnil_pia, parse_cnil_pia
from dpia.labels import current_language
from dpia.models import Assessment
from dpia.services.common import audit

IMPORT_ACTION = "import_cnil_pia"


def cnil_pia_import(*, user, organisation, raw: bytes, filename: str, bank: QuestionBank, language: str,
                    ip_address: str | None = None) -> tuple[Assessment, list[dict[str, Any]]]:
    """A new draft of `organisation` from the bytes of a CNIL PIA file, and the notes kept of what has no place
    in the questionnaire. The notes are recorded with the import in the audit log, where the draft's page
    reads them. A refused file (CnilPiaError) or user (PermissionDenied) creates nothing."""
    answers, notes = from_cnil_pia(parse_cnil_pia(raw), bank, language=language)
    with transaction.atomic():
        assessment = services.assessment_create(
            user=user, organisation=organisation, title=answers.get("project.name") or _("Imported CNIL PIA"),
            bank=bank)
        assessment = services.assessment_import_answers(assessment=assessment, user=user, answers=answers,
                                                        bank=bank)
        audit(actor=user, action=IMPORT_ACTION, assessment=assessment, ip_address=ip_address,
                       source=filename.rsplit("/", 1)[-1][-200:], sha256=hashlib.sha256(raw).hexdigest(),
                       notes=notes)
    return assessment, notes


def imported_notes(assessment: Assessment) -> list[dict[str, Any]]:
    """The imports of this draft, oldest first: the file's name, when, and the notes, worded for the reader."""
    language = current_language()
    imports = []
    for entry in assessment.audit_log.filter(action=IMPORT_ACTION).order_by("at"):
        notes = [{"place": (note.get("place") or {}).get(language) or (note.get("place") or {}).get("en", ""),
                  "reason": note_reason(note), "text": note.get("text", "")}
                 for note in entry.detail.get("notes", [])]
        imports.append({"source": entry.detail.get("source", ""), "at": entry.at, "notes": notes})
    return imports


ERRORS = {
    "too_large": gettext_lazy("The file is larger than %(limit)s MB."),
    "not_utf8": gettext_lazy("The file is not UTF-8 text: a CNIL PIA export is a JSON file."),
    "not_json": gettext_lazy("The file is not valid JSON (line %(line)s, column %(column)s)."),
    "duplicate_key": gettext_lazy("The key “%(key)s” appears twice in the same object."),
    "too_deep": gettext_lazy("The file is nested more than %(limit)s levels deep."),
    "too_long": gettext_lazy("%(where)s: a text is longer than %(limit)s characters."),
    "nul": gettext_lazy("%(where)s: a text contains a NUL character."),
    "surrogate": gettext_lazy("%(where)s: a text is not valid Unicode (an unpaired surrogate)."),
    "too_many": gettext_lazy("%(where)s: more than %(limit)s entries."),
    "bad_number": gettext_lazy("%(where)s: a number is not finite, or too large."),
    "missing": gettext_lazy("“%(where)s” is missing: this is not a CNIL PIA export."),
    "wrong_type": gettext_lazy("%(where)s: expected %(expected)s."),
    "out_of_range": gettext_lazy("%(where)s: %(value)s is not between %(low)s and %(high)s."),
}
EXPECTED = {
    "text": gettext_lazy("a text"), "number": gettext_lazy("a number"), "list": gettext_lazy("a list"),
    "object": gettext_lazy("an object"), "boolean": gettext_lazy("true or false"),
    "reference": gettext_lazy("a reference (a number or a text)"), "list of texts": gettext_lazy("a list of texts"),
    "JSON": gettext_lazy("a JSON value"),
}
REASONS = {
    "no_counterpart": gettext_lazy("No question of this questionnaire takes this answer."),
    "below_line": gettext_lazy("Written below the line of the answer. In files exported by this workbench, these "
                               "are other answers, shown there for readers of the CNIL tool."),
    "too_long": gettext_lazy("Longer than “%(question)s” allows (%(limit)s characters): shorten it and copy it "
                             "there."),
    "unknown_reference": gettext_lazy("The CNIL PIA has no question with this reference."),
    "custom_structure": gettext_lazy("The PIA was written on a custom structure, whose questions cannot be matched "
                                     "with ours."),
    "duplicate": gettext_lazy("A second answer to the same question."),
    "evaluation": gettext_lazy("The evaluator's assessment."),
    "action_plan": gettext_lazy("The evaluator's action plan."),
    "comment": gettext_lazy("A comment."),
    "pia_field": gettext_lazy("A detail of the PIA."),
    "too_many": gettext_lazy("More measures than the questionnaire takes (%(limit)s)."),
    "unmatched_measure": gettext_lazy("Named as a measure against this risk, but no measure of the file has this "
                                      "title."),
    "partial_gauges": gettext_lazy("Only one of the two residual gauges is set."),
    "invalid_date": gettext_lazy("Not a date this workbench can read."),
}


def error_message(error: CnilPiaError) -> str:
    params = dict(error.params)
    if "expected" in params:
        params["expected"] = EXPECTED.get(params["expected"], params["expected"])
    return str(ERRORS[error.code]) % params


def note_reason(note: dict[str, Any]) -> str:
    params = dict(note.get("params") or {})
    if (question := default_bank().questions.get(params.get("question", ""))) is not None:
        params["question"] = question.label.get(current_language())
    template = REASONS.get(note.get("reason", ""))
    return str(template) % params if template is not None and "%(" in str(template) else str(template or "")
