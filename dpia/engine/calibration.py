"""Agreement of the engine with real decisions of authorities and courts.

Each calibration file (tests/scenarios/calibration/*.toml) holds a published decision's reference,
the outcome the authority reached, the rule ids that name its main ground, and the project's facts
as answers written by a reader who saw only the facts. This module runs the engine on every file
and measures, per outcome class, how often the engine reached the same conclusion and how often it
named the authority's main ground.

    python -m dpia.engine.calibration [folder]
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import QuestionBank, default_bank

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "tests" / "scenarios" / "calibration"
# The authority's outcome, and the verdicts of the engine that agree with it. A design the authority
# found lawful agrees with any verdict short of "unlawful as proposed" (the engine may still ask for
# conditions, or for the regulator to be consulted first, as the law often requires for new systems);
# a design allowed only under conditions, or after consultation, needs the engine to name conditions
# or consultation; a project found unlawful needs "unlawful as proposed".
LAWFUL_VERDICTS = {"proceed", "proceed_with_conditions", "prior_consultation_required"}
CONDITIONAL_VERDICTS = {"proceed_with_conditions", "prior_consultation_required"}
CLASSES = {
    "unlawful_as_proposed": ("unlawful", {"unlawful_as_proposed"}),
    "prior_consultation_required": ("lawful under conditions", CONDITIONAL_VERDICTS),
    "proceed_with_conditions": ("lawful under conditions", CONDITIONAL_VERDICTS),
    "proceed": ("lawful", LAWFUL_VERDICTS),
}
CLASS_ORDER = ("unlawful", "lawful under conditions", "lawful")


@dataclass(frozen=True)
class CaseResult:
    name: str
    reference: str
    outcome: str  # the authority's
    verdict: str  # the engine's
    inside_eu: bool
    ground_named: bool | None  # None when the file names no rule for the main ground
    problems: tuple[str, ...] = ()

    @property
    def outcome_class(self) -> str:
        return CLASSES[self.outcome][0]

    @property
    def agrees(self) -> bool:
        return self.verdict in CLASSES[self.outcome][1]


def load_case(path: Path) -> dict:
    case = tomllib.loads(path.read_text(encoding="utf-8"))
    for table in ("decision", "answers"):
        if table not in case:
            raise ValueError(f"{path.name}: missing [{table}]")
    if case["decision"].get("outcome") not in CLASSES:
        raise ValueError(f"{path.name}: decision.outcome must be one of {', '.join(CLASSES)}")
    return case


def run_case(path: Path, bank: QuestionBank) -> CaseResult:
    case = load_case(path)
    decision, scenario = case["decision"], case.get("scenario", {})
    problems = tuple(validate_answers(case["answers"], bank))
    today = scenario.get("today", dt.date(2026, 11, 22))
    result = assess(case["answers"], bank, today=today, evidence=scenario.get("evidence", []))
    ground_rules = set(decision.get("main_ground_rules", []))
    return CaseResult(
        name=path.stem, reference=decision.get("reference", ""), outcome=decision["outcome"],
        verdict=result.verdict.outcome, inside_eu=bool(decision.get("inside_eu", True)),
        ground_named=bool(ground_rules & result.finding_ids()) if ground_rules else None,
        problems=problems,
    )


def run(paths: Iterable[Path], bank: QuestionBank | None = None) -> list[CaseResult]:
    bank = bank or default_bank()
    return [run_case(path, bank) for path in sorted(paths)]


def table(results: list[CaseResult]) -> str:
    """Agreement per outcome class and how often the main ground is named, as a Markdown table."""
    lines = ["| authority's outcome | cases | engine agrees | same verdict exactly | main ground named |",
             "|---|---|---|---|---|"]
    for name in CLASS_ORDER:
        rows = [r for r in results if r.outcome_class == name]
        if not rows:
            continue
        agree = sum(r.agrees for r in rows)
        grounded = [r for r in rows if r.ground_named is not None]
        named = sum(bool(r.ground_named) for r in grounded)
        exact = sum(r.verdict == r.outcome for r in rows)
        lines.append(f"| {name} | {len(rows)} | {agree} ({100 * agree // len(rows)} %) | {exact} | "
                     f"{named}/{len(grounded)} |")
    agree = sum(r.agrees for r in results)
    outside = [r for r in results if not r.inside_eu]
    lines.append(f"| all | {len(results)} | {agree} ({100 * agree // max(1, len(results))} %) | "
                 f"{sum(r.verdict == r.outcome for r in results)} | "
                 f"{sum(bool(r.ground_named) for r in results)}/"
                 f"{sum(r.ground_named is not None for r in results)} |")
    lines.append("")
    lines.append(f"Outside the EU/EEA: {len(outside)} cases, engine agrees on {sum(r.agrees for r in outside)}.")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT_FOLDER
    results = run(folder.glob("*.toml"))
    if not results:
        print(f"no calibration files in {folder}", file=sys.stderr)
        return 1
    print(table(results))
    disagreements = [r for r in results if not r.agrees or r.ground_named is False or r.problems]
    if disagreements:
        print("\nCases to look at:")
        for r in disagreements:
            notes = [] if r.agrees else [f"authority: {r.outcome}, engine: {r.verdict}"]
            notes += ["main ground not named"] if r.ground_named is False else []
            notes += [f"invalid answers: {'; '.join(r.problems)}"] if r.problems else []
            print(f"- {r.name} ({r.reference}): {', '.join(notes)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
