"""The JSON Schema of an answers file, generated from the bank (so it can never drift from it)."""

from __future__ import annotations

from typing import Any

from dpia.engine.bank import Question, QuestionBank

SCHEMA_ID = "https://dpia-workbench.example/schemas/answers.json"


def _value_schema(question: Question) -> dict[str, Any]:
    kind = question.type
    description = question.label.en
    if kind in ("yes_no_unknown", "single_choice"):
        return {"description": description, "enum": list(question.choice_values())}
    if kind == "multiple_choice":
        schema = {"description": description, "type": "array", "uniqueItems": True,
                  "items": {"enum": list(question.choice_values())}}
        # An exclusive choice ("none", "not known") is ticked alone.
        alone = [{"not": {"allOf": [{"contains": {"const": value}}, {"minItems": 2}]}}
                 for value in question.exclusive_choices()]
        if alone:
            schema["allOf"] = alone
        return schema
    if kind in ("short_text", "long_text"):
        return {"description": description, "type": "string", "maxLength": question.max_length}
    if kind == "number":
        schema: dict[str, Any] = {"description": description, "type": "number"}
        if question.minimum is not None:
            schema["minimum"] = question.minimum
        if question.maximum is not None:
            schema["maximum"] = question.maximum
        return schema
    if kind == "date":
        return {"description": description, "type": "string", "format": "date",
                "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    properties = {"key": {"type": "string", "minLength": 1, "maxLength": 40,
                          "description": "The item's own identifier, used by per-item answers."}}
    properties.update({f.id: _value_schema(f) for f in question.fields})
    return {"description": description, "type": "array", "maxItems": question.max_items,
            "items": {"type": "object", "required": ["key"], "additionalProperties": False,
                      "properties": properties}}


def answers_schema(bank: QuestionBank) -> dict[str, Any]:
    properties = {}
    for question in bank.questions.values():
        value = _value_schema(question)
        if question.per_item:
            value = {"description": f"{question.label.en} (one answer per item of {question.per_item}, "
                                    "keyed by the item's key)",
                     "type": "object", "additionalProperties": {k: v for k, v in value.items() if k != "description"}}
        properties[question.id] = value
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"DPIA workbench answers (question bank {bank.version})",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
    }
