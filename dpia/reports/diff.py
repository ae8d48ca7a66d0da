"""What changed between two versions, as a reader wants it: streams and listed items by their names, changed
fields as "before → after", unchanged items counted but left aside; and the findings that appeared or went."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dpia.engine.bank import Question, QuestionBank
from dpia.reports.casefile import item_name, stream_names

ADDED, REMOVED, CHANGED, UNCHANGED = "added", "removed", "changed", "unchanged"


@dataclass
class FieldChange:
    label: str  # a field of a listed item, or the stream an answer is given for
    before: str
    after: str


@dataclass
class ItemChange:
    name: str
    change: str  # ADDED | REMOVED | CHANGED | UNCHANGED
    fields: list[FieldChange]  # changed: the fields that changed; otherwise every field that has a value


@dataclass
class AnswerChange:
    question_id: str
    label: str
    before: str = ""  # an answer given once
    after: str = ""
    streams: list[FieldChange] = field(default_factory=list)  # an answer given per stream: the streams that changed
    items: list[ItemChange] = field(default_factory=list)  # a list of items: added, removed and changed ones
    unchanged: list[ItemChange] = field(default_factory=list)  # folded on the page


@dataclass
class FindingChange:
    id: str
    title: str
    stream: str
    change: str  # ADDED | REMOVED


def diff_versions(old: dict, new: dict, bank: QuestionBank, language: str):
    answers_old, answers_new = old["answers"], new["answers"]
    # A stream renamed in the new version is called by its new name; a removed one by its old name.
    streams = {**stream_names(answers_old, bank, language), **stream_names(answers_new, bank, language)}
    answer_changes = []
    for question_id in sorted(set(answers_old) | set(answers_new), key=_bank_order(bank)):
        before, after = answers_old.get(question_id), answers_new.get(question_id)
        if before == after:
            continue
        question = bank.questions.get(question_id)
        if question is None:  # a question retired from the bank since
            answer_changes.append(AnswerChange(question_id, question_id, _raw(before), _raw(after)))
        else:
            answer_changes.append(_answer_change(question, before, after, language, streams))

    def keyed(content):
        names = {r["stream"]: r["name"] for r in content["result"]["regimes"]}
        return {(f["id"], f.get("stream")): (f["title"].get(language) or f["title"]["en"],
                                              names.get(f.get("stream"), ""))
                for f in content["result"]["findings"]}

    findings_old, findings_new = keyed(old), keyed(new)
    finding_changes = [FindingChange(k[0], *findings_new[k], ADDED) for k in findings_new if k not in findings_old]
    finding_changes += [FindingChange(k[0], *findings_old[k], REMOVED) for k in findings_old if k not in findings_new]
    verdicts = (old["result"]["verdict"]["outcome"], new["result"]["verdict"]["outcome"])
    return answer_changes, finding_changes, verdicts


def _answer_change(question: Question, before, after, language: str, streams: Mapping[str, str]) -> AnswerChange:
    change = AnswerChange(question.id, question.label.get(language))
    if question.per_item and isinstance(before or {}, Mapping) and isinstance(after or {}, Mapping):
        before, after = before or {}, after or {}
        for key in [*after, *(k for k in before if k not in after)]:
            if before.get(key) != after.get(key):
                change.streams.append(FieldChange(streams.get(key, key), _show(question, before.get(key), language),
                                                  _show(question, after.get(key), language)))
    elif question.type == "items" and isinstance(before or [], list) and isinstance(after or [], list):
        for item in _item_changes(question, before or [], after or [], language):
            (change.unchanged if item.change == UNCHANGED else change.items).append(item)
    else:
        change.before, change.after = _show(question, before, language), _show(question, after, language)
    return change


def _item_changes(question: Question, before: list, after: list, language: str) -> list[ItemChange]:
    """Items matched by their key (by position for items without one), in the new version's order."""
    def keyed(items):
        return {(item.get("key") if isinstance(item, Mapping) and item.get("key") else f"#{index}"): (index, item)
                for index, item in enumerate(items, start=1) if isinstance(item, Mapping)}

    old, new = keyed(before), keyed(after)
    changes = []
    for key, (index, item) in new.items():
        if key not in old:
            changes.append(ItemChange(item_name(question, item, index, language), ADDED, _filled(question, item,
                                                                                               language)))
            continue
        previous = old[key][1]
        changed = [FieldChange(f.label.get(language), _show(f, previous.get(f.id), language),
                               _show(f, item.get(f.id), language))
                   for f in question.fields if previous.get(f.id) != item.get(f.id)]
        changes.append(ItemChange(item_name(question, item, index, language), CHANGED if changed else UNCHANGED,
                                  changed or _filled(question, item, language)))
    changes += [ItemChange(item_name(question, item, index, language), REMOVED, _filled(question, item, language))
                for key, (index, item) in old.items() if key not in new]
    return changes


def _filled(question: Question, item: Mapping, language: str) -> list[FieldChange]:
    """The fields of an item that have a value (`after` holds it), for an item added, removed or unchanged."""
    return [FieldChange(f.label.get(language), "", f.display(item.get(f.id), language))
            for f in question.fields if f.display(item.get(f.id), language)]


def _bank_order(bank: QuestionBank):
    order = {qid: index for index, qid in enumerate(bank.questions)}
    return lambda qid: (order.get(qid, len(order)), qid)


def _show(question: Question, value, language: str) -> str:
    if value is None:
        return "—"
    return question.display(value, language) or "—"


def _raw(value) -> str:
    return "—" if value is None else str(value)
