"""Visibility conditions as structured data (never strings, never eval).

A condition is one of:
  {question = "id", equals = V} | {question = "id", in = [V, ...]} | {question = "id", includes = V}
  | {question = "id", includes_any = [V, ...]} | {question = "id", answered = true}
  | {question = "id", at_least = N}
  | {all = [C, ...]} | {any = [C, ...]} | {not = C}
`field = "name"` next to `question` reads one field of a repeatable item list: inside a section
repeated per item (per processing stream), the current item's field; elsewhere, true when any item
matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPERATORS = ("equals", "in", "includes", "includes_any", "answered", "at_least")


@dataclass(frozen=True)
class Compare:
    question: str
    operator: str
    value: Any
    field: str | None = None

    def references(self) -> tuple[str, ...]:
        return (self.question,)


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]

    def references(self) -> tuple[str, ...]:
        return tuple(ref for c in self.conditions for ref in c.references())


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]

    def references(self) -> tuple[str, ...]:
        return tuple(ref for c in self.conditions for ref in c.references())


@dataclass(frozen=True)
class Not:
    condition: Condition

    def references(self) -> tuple[str, ...]:
        return self.condition.references()


Condition = Compare | AllOf | AnyOf | Not


class ConditionError(ValueError):
    pass


def parse_condition(raw: Any) -> Condition:
    """Turn the TOML table into a Condition; raise ConditionError naming what is wrong."""
    if not isinstance(raw, Mapping):
        raise ConditionError(f"a condition must be a table, not {raw!r}")
    if "all" in raw or "any" in raw:
        key = "all" if "all" in raw else "any"
        items = raw[key]
        if set(raw) != {key} or not isinstance(items, list) or not items:
            raise ConditionError(f"'{key}' takes a non-empty list and nothing else")
        parsed = tuple(parse_condition(item) for item in items)
        return AllOf(parsed) if key == "all" else AnyOf(parsed)
    if "not" in raw:
        if set(raw) != {"not"}:
            raise ConditionError("'not' takes one condition and nothing else")
        return Not(parse_condition(raw["not"]))
    question = raw.get("question")
    if not isinstance(question, str):
        raise ConditionError(f"condition {dict(raw)!r} names no question")
    operators = [key for key in raw if key in OPERATORS]
    extra = set(raw) - set(OPERATORS) - {"question", "field"}
    if len(operators) != 1 or extra:
        raise ConditionError(
            f"condition on {question!r} needs exactly one of {', '.join(OPERATORS)}"
            + (f"; unknown keys {sorted(extra)}" if extra else "")
        )
    operator = operators[0]
    value = raw[operator]
    if operator in ("in", "includes_any") and not isinstance(value, list):
        raise ConditionError(f"'{operator}' on {question!r} takes a list")
    if operator == "at_least" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConditionError(f"'at_least' on {question!r} takes a number")
    if operator == "answered" and not isinstance(value, bool):
        raise ConditionError(f"'answered' on {question!r} takes true or false")
    if isinstance(value, list):
        value = tuple(value)
    return Compare(question=question, operator=operator, value=value, field=raw.get("field"))


def is_answered(value: Any) -> bool:
    return value not in (None, "", [], {}, ())


def _test(operator: str, expected: Any, actual: Any) -> bool:
    if operator == "answered":
        return is_answered(actual) is expected
    if not is_answered(actual):
        return False
    if operator == "equals":
        return actual == expected
    if operator == "in":
        return actual in expected
    if operator == "includes":
        return isinstance(actual, list | tuple) and expected in actual
    if operator == "includes_any":
        return isinstance(actual, list | tuple) and any(v in actual for v in expected)
    if operator == "at_least":
        try:
            return float(actual) >= float(expected)
        except (TypeError, ValueError):
            return False
    raise ConditionError(f"unknown operator {operator!r}")


def evaluate(condition: Condition | None, answers: Mapping[str, Any], item: Mapping | None = None) -> bool:
    """True when the condition holds for these answers. `item` is the current repeated item
    (for example the processing stream a per-stream question is asked about)."""
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all(evaluate(c, answers, item) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(evaluate(c, answers, item) for c in condition.conditions)
    if isinstance(condition, Not):
        return not evaluate(condition.condition, answers, item)
    value = answers.get(condition.question)
    if condition.field is None:
        if isinstance(value, Mapping) and item is not None and "key" in item:
            value = value.get(item["key"])  # a per-stream answer, read for the current stream
        return _test(condition.operator, condition.value, value)
    items = value if isinstance(value, list) else []
    if item is not None and any(i is item or i.get("key") == item.get("key") for i in items):
        return _test(condition.operator, condition.value, item.get(condition.field))
    return any(_test(condition.operator, condition.value, i.get(condition.field)) for i in items
               if isinstance(i, Mapping))


def evaluate_known(condition: Condition | None, answers: Mapping[str, Any], item: Mapping | None = None,
                   *, unknown: frozenset[str] | set[str] = frozenset()) -> bool | None:
    """Like evaluate, but the questions in `unknown` have no value yet (they are answered on the same page):
    True or False when the answer is settled whatever they say, None when it depends on them."""
    if condition is None:
        return True
    if isinstance(condition, AllOf | AnyOf):
        results = [evaluate_known(c, answers, item, unknown=unknown) for c in condition.conditions]
        settles = isinstance(condition, AnyOf)  # one True settles "any", one False settles "all"
        if settles in results:
            return settles
        return None if None in results else not settles
    if isinstance(condition, Not):
        inner = evaluate_known(condition.condition, answers, item, unknown=unknown)
        return None if inner is None else not inner
    if condition.question in unknown:
        return None
    return evaluate(condition, answers, item)
