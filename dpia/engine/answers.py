"""Answers files: checking a mapping of question id -> value against the bank.

The format (documented in the README): top-level keys are question ids. Item lists are lists of
tables, each with a "key" naming the item (processing streams: "cctv", "watchlist"); questions of a
section asked once per stream take a table of stream key -> value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dpia.engine.bank import Question, QuestionBank


def _check_value(question: Question, value: Any, where: str) -> list[str]:
    kind = question.type
    if kind in ("yes_no_unknown", "single_choice"):
        if value not in question.choice_values():
            return [f"{where}: {value!r} is not one of {', '.join(question.choice_values())}"]
    elif kind == "multiple_choice":
        if not isinstance(value, list):
            return [f"{where}: expected a list of choices"]
        wrong = [v for v in value if v not in question.choice_values()]
        if wrong:
            return [f"{where}: {', '.join(map(repr, wrong))} not among {', '.join(question.choice_values())}"]
        alone = [v for v in value if v in question.exclusive_choices()]
        if alone and len(value) > 1:
            return [f"{where}: {alone[0]!r} cannot be ticked with other choices"]
    elif kind in ("short_text", "long_text"):
        if not isinstance(value, str):
            return [f"{where}: expected text"]
        if question.max_length and len(value) > question.max_length:
            return [f"{where}: text longer than {question.max_length} characters"]
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return [f"{where}: expected a number"]
        if question.minimum is not None and value < question.minimum or \
                question.maximum is not None and value > question.maximum:
            return [f"{where}: {value} is outside {question.minimum}–{question.maximum}"]
    elif kind == "date":
        try:
            dt.date.fromisoformat(value if isinstance(value, str) else "")
        except ValueError:
            return [f"{where}: expected a date as YYYY-MM-DD"]
    elif kind == "items":
        if not isinstance(value, list):
            return [f"{where}: expected a list of items"]
        errors, keys = [], set()
        for index, item in enumerate(value, start=1):
            here = f"{where}[{index}]"
            if not isinstance(item, Mapping):
                errors.append(f"{here}: expected a table")
                continue
            key = item.get("key")
            if not isinstance(key, str) or not key:
                errors.append(f"{here}: every item needs a 'key'")
            elif key in keys:
                errors.append(f"{here}: duplicate key {key!r}")
            keys.add(key)
            for field_id, field_value in item.items():
                if field_id == "key":
                    continue
                field = question.field(field_id)
                if field is None:
                    errors.append(f"{here}: unknown field {field_id!r}")
                else:
                    errors += _check_value(field, field_value, f"{here}.{field_id}")
        if len(value) > question.max_items:
            errors.append(f"{where}: more than {question.max_items} items")
        return errors
    return []


def validate_answers(answers: Any, bank: QuestionBank) -> list[str]:
    """Every problem with these answers, each naming the question id; empty when valid."""
    if not isinstance(answers, Mapping):
        return ["answers must be a table of question id -> value"]
    errors = []
    for question_id, value in answers.items():
        question = bank.questions.get(question_id)
        if question is None:
            errors.append(f"unknown question id {question_id!r}")
            continue
        if question.per_item:
            if not isinstance(value, Mapping):
                errors.append(f"{question_id}: asked per item of {question.per_item}; expected a table of "
                              "item key -> answer")
                continue
            known = {i.get("key") for i in answers.get(question.per_item) or [] if isinstance(i, Mapping)}
            for key, item_value in value.items():
                if key not in known:
                    errors.append(f"{question_id}.{key}: no item with key {key!r} in {question.per_item}")
                else:
                    errors += _check_value(question, item_value, f"{question_id}.{key}")
        else:
            errors += _check_value(question, value, question_id)
    return errors
