"""What changed between two versions: answers and findings, for authors and reviewers."""

from __future__ import annotations

from dataclasses import dataclass

from dpia.engine.bank import QuestionBank


@dataclass
class AnswerChange:
    question_id: str
    label: str
    before: str
    after: str


@dataclass
class FindingChange:
    id: str
    title: str
    stream: str
    change: str  # "added" | "removed"


def diff_versions(old: dict, new: dict, bank: QuestionBank, language: str):
    answers_old, answers_new = old["answers"], new["answers"]
    answer_changes = []
    for question_id in sorted(set(answers_old) | set(answers_new), key=_bank_order(bank)):
        before, after = answers_old.get(question_id), answers_new.get(question_id)
        if before == after:
            continue
        question = bank.questions.get(question_id)
        if question is None:  # a question retired from the bank since
            answer_changes.append(AnswerChange(question_id, question_id, str(before), str(after)))
            continue
        answer_changes.append(AnswerChange(question_id, question.label.get(language),
                                           _show(question, before, language), _show(question, after, language)))

    def keyed(content):
        streams = {r["stream"]: r["name"] for r in content["result"]["regimes"]}
        return {(f["id"], f.get("stream")): (f["title"].get(language) or f["title"]["en"],
                                              streams.get(f.get("stream"), ""))
                for f in content["result"]["findings"]}

    findings_old, findings_new = keyed(old), keyed(new)
    finding_changes = [FindingChange(k[0], *findings_new[k], "added") for k in findings_new if k not in findings_old]
    finding_changes += [FindingChange(k[0], *findings_old[k], "removed") for k in findings_old if k not in findings_new]
    verdicts = (old["result"]["verdict"]["outcome"], new["result"]["verdict"]["outcome"])
    return answer_changes, finding_changes, verdicts


def _bank_order(bank: QuestionBank):
    order = {qid: index for index, qid in enumerate(bank.questions)}
    return lambda qid: (order.get(qid, len(order)), qid)


def _show(question, value, language: str) -> str:
    if value is None:
        return "—"
    if question.per_item and isinstance(value, dict):
        return "; ".join(f"{key}: {question.display(item, language)}" for key, item in value.items())
    return question.display(value, language) or "—"
