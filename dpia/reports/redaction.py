"""The public derivative of a version (what publication shows) and, before anyone publishes, exactly what it
hides: the preview is read from the derivative itself, so the two cannot disagree.

The sealed version keeps every answer as it was typed (a draft keeps the answers of questions that no longer
apply, so that nothing typed is lost); the public derivative holds only the answers that apply, as the report
does, because an answer the report hides was never part of the assessment the public reads."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from dpia.engine.bank import QuestionBank
from dpia.reports.casefile import item_name, stream_names

REDACTED = "[redacted]"


def redact(content: dict, bank: QuestionBank) -> dict:
    """The public derivative of a version: only the answers that apply (bank.applicable_answers: answers to
    questions, or streams, that no longer apply are left out, and evidence attached to an answer left out is
    marked); answers marked sensitive, sensitive fields of item lists, and evidence attached to either,
    replaced by a visible mark."""
    public = copy.deepcopy(content)
    public["answers"] = copy.deepcopy(bank.applicable_answers(content["answers"]))
    for question_id, value in list(public["answers"].items()):
        question = bank.questions.get(question_id)
        if question is None:
            continue
        if question.sensitive:
            public["answers"][question_id] = ({k: REDACTED for k in value} if isinstance(value, dict)
                                              else REDACTED)
        elif question.type == "items" and isinstance(value, list):
            sensitive = {f.id for f in question.fields if f.sensitive}
            public["answers"][question_id] = [{k: (REDACTED if k in sensitive else v) for k, v in item.items()}
                                              for item in value]
    hidden = {qid for qid, q in bank.questions.items()
              if q.sensitive or (q.type == "items" and any(f.sensitive for f in q.fields))}
    hidden |= {qid for qid in content["answers"] if qid not in public["answers"]}  # left out: it does not apply
    public["evidence"] = [e if e["question_id"] not in hidden else {"question_id": e["question_id"], "title": REDACTED}
                          for e in content.get("evidence", [])]
    return public


@dataclass(frozen=True)
class Redaction:
    """One thing the public will not see: an answer (for a stream, or a field of a listed item) or evidence."""
    question: str  # the question as people read it
    where: str  # the stream or listed item, "" for an answer given once
    field: str  # the field of a listed item, "" otherwise
    hidden: str  # what is hidden, as the controller reads it
    left_out: bool = False  # an answer to a question (or for a stream) that no longer applies: not shown at all


def redaction_preview(content: dict, bank: QuestionBank, language: str) -> list[Redaction]:
    """Every answer, field and piece of evidence that `redact` hides in this content, in the bank's order."""
    public = redact(content, bank)
    answers, shown = content["answers"], public["answers"]
    streams = stream_names(answers, bank, language)
    out: list[Redaction] = []
    for question_id, question in bank.questions.items():
        if question_id not in answers or answers[question_id] == shown.get(question_id):
            continue
        label, value = question.label.get(language), answers[question_id]
        if question_id not in shown:
            if isinstance(value, dict) and question.per_item:
                out += [Redaction(label, streams.get(key, key), "", question.display(item, language), left_out=True)
                        for key, item in value.items()]
            else:
                out.append(Redaction(label, "", "", question.display(value, language), left_out=True))
            continue
        after = shown[question_id]
        if isinstance(value, dict) and question.per_item:
            out += [Redaction(label, streams.get(key, key), "", question.display(item, language),
                              left_out=key not in after)
                    for key, item in value.items() if key not in after or after.get(key) == REDACTED]
        elif isinstance(value, dict):
            out += [Redaction(label, streams.get(key, key), "", question.display(item, language))
                    for key, item in value.items() if after.get(key) == REDACTED]
        elif isinstance(value, list) and question.type == "items":
            for index, (item, public_item) in enumerate(zip(value, after, strict=True), start=1):
                for field in question.fields:
                    if public_item.get(field.id) == REDACTED and item.get(field.id) != REDACTED:
                        out.append(Redaction(label, item_name(question, item, index, language),
                                             field.label.get(language), field.display(item.get(field.id), language)))
        else:
            out.append(Redaction(label, "", "", question.display(value, language)))
    for before, after in zip(content.get("evidence", []), public["evidence"], strict=True):
        if before != after:
            question = bank.questions.get(before["question_id"])
            out.append(Redaction(question.label.get(language) if question else before["question_id"], "", "",
                                 before.get("title", "")))
    return out
