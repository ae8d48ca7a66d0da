"""Less intrusive alternatives a regulator will ask about (the bank's catalogue), and whether the
project weighed the ones relevant to it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dpia.engine.bank import Alternative, QuestionBank
from dpia.engine.conditions import evaluate
from dpia.engine.context import Context, Hit, rule

RULES: dict = {}


def _relevant(bank: QuestionBank, counted: Mapping[str, Any]) -> list[Alternative]:
    return [entry for entry in bank.alternatives.values() if evaluate(entry.when, counted)]


def relevant_alternatives(answers: Mapping[str, Any], bank: QuestionBank) -> list[Alternative]:
    """The catalogue entries relevant to a project as described so far, in catalogue order (for the
    wizard to propose). Only the answers that count are read, as the engine reads them."""
    return _relevant(bank, bank.applicable_answers(answers))


def _weighed(items) -> set[str]:
    return {str(item["catalogue_entry"]) for item in items if isinstance(item, Mapping) and item.get("catalogue_entry")}


def weighed_entries(ctx: Context) -> set[str]:
    """The catalogue entries that an alternative of necessity.alternatives says it answers."""
    return _weighed(ctx.items("necessity.alternatives"))


def proposals(answers: Mapping[str, Any], bank: QuestionBank) -> list[tuple[Alternative, bool]]:
    """The relevant catalogue entries, each with whether the project weighed it yet (for the wizard)."""
    counted = bank.applicable_answers(answers)
    weighed = _weighed(counted.get("necessity.alternatives") or [])
    return [(entry, entry.id in weighed) for entry in _relevant(bank, counted)]


@rule(RULES, "necessity.catalogued_alternatives_not_weighed")
def catalogued_not_weighed(ctx: Context):
    """One finding listing the relevant catalogue entries that no alternative weighed answers. Only
    once the project says what technology it uses: before that nothing is known to be relevant."""
    if not ctx.answered("project.technologies"):
        return
    weighed = weighed_entries(ctx)
    missing = [entry for entry in _relevant(ctx.bank, ctx.answers) if entry.id not in weighed]
    if missing:
        yield Hit("necessity.catalogued_alternatives_not_weighed", ("necessity.alternatives", "project.technologies"),
                  params={"missing": "; ".join(entry.label.en for entry in missing),
                          "missing_fr": "; ".join(entry.label.fr for entry in missing),
                          "count": len(missing)})
