"""Answers as people read them: by section, streams and listed items by their names, with what the authority said
on each. Shared by the review page, the author's view of the review, the diff and the redaction preview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dpia.engine.bank import Question, QuestionBank


def item_name(question: Question | None, item: Mapping, index: int, language: str) -> str:
    """How people call a listed item: its name field if it has one, else "<kind of item> <n>"."""
    if isinstance(item.get("name"), str) and item["name"].strip():
        return item["name"].strip()
    kind = question.item_label.get(language) if question is not None and question.item_label else "#"
    return f"{kind} {index}"


def stream_names(answers: Mapping, bank: QuestionBank, language: str) -> dict[str, str]:
    """Item key -> name, for every listed item a section is repeated for (the processing streams)."""
    names: dict[str, str] = {}
    for section in bank.sections:
        if section.repeat_for:
            items = answers.get(section.repeat_for)
            for index, item in enumerate(items if isinstance(items, list) else [], start=1):
                if isinstance(item, Mapping) and item.get("key"):
                    names[item["key"]] = item_name(bank.questions.get(section.repeat_for), item, index, language)
    return names


def show(question: Question, value: Any, language: str, streams: Mapping[str, str]) -> str:
    """An answer as a reader sees it; an answer given per stream is one line per stream, by its name."""
    if question.per_item and isinstance(value, Mapping):
        return "\n".join(f"{streams.get(key, key)}: {question.display(item, language)}" for key, item in value.items())
    return question.display(value, language)


@dataclass
class CaseQuestion:
    id: str
    label: str
    value: str  # "" when not answered (a comment may concern a missing answer)
    comments: list = field(default_factory=list)


@dataclass
class CaseSection:
    id: str
    title: str
    questions: list[CaseQuestion]
    verdicts: list = field(default_factory=list)


def case_file(answers: Mapping, bank: QuestionBank, language: str, *, comments: Mapping[str, list],
              verdicts: Mapping[str, list], every_answer: bool) -> list[CaseSection]:
    """Sections in the questionnaire's order, each with its verdicts and its questions with their answers and the
    comments made on them. `every_answer`: every answer that counts (the reviewer's reading); otherwise only the
    questions commented on and the sections given a verdict (the author's reading of the review)."""
    counted = bank.applicable_answers(answers)
    streams = stream_names(counted, bank, language)
    sections = []
    for section in bank.sections:
        rows = [CaseQuestion(q.id, q.label.get(language),
                             show(q, counted[q.id], language, streams) if q.id in counted else "",
                             list(comments.get(q.id, ())))
                for q in section.questions
                if q.id in comments or (every_answer and q.id in counted)]
        if rows or section.id in verdicts:
            sections.append(CaseSection(section.id, section.title.get(language), rows,
                                        list(verdicts.get(section.id, ()))))
    return sections
