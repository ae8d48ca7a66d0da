"""Engine scenarios: each file in this folder is a situation a lawyer can read (answers in, the
verdict and findings a careful regulator would reach out). The engine must reach them."""

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank

FILES = sorted(Path(__file__).parent.glob("*.toml"))


def test_there_are_at_least_twelve_distinct_situations():
    assert len(FILES) >= 12
    answers = [tomllib.loads(f.read_text())["answers"] for f in FILES]
    assert len({repr(sorted(a.items())) for a in answers}) == len(FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario(path):
    case = tomllib.loads(path.read_text())
    bank = default_bank()
    assert validate_answers(case["answers"], bank) == []
    scenario, expect = case["scenario"], case["expect"]
    result = assess(case["answers"], bank, today=scenario.get("today", dt.date(2026, 11, 22)),
                    evidence=scenario.get("evidence", []))
    found = result.finding_ids()
    assert result.verdict.outcome == expect["verdict"], sorted(found)
    assert set(expect.get("findings", [])) <= found, sorted(set(expect["findings"]) - found)
    assert not set(expect.get("absent", [])) & found, sorted(set(expect["absent"]) & found)
    if "regimes" in expect:
        assert {r.stream: r.regime for r in result.regimes} == expect["regimes"]
    if "screening" in expect:
        assert result.screening.outcome == expect["screening"]
    if "consultation" in expect:
        assert result.consultation.required is expect["consultation"]
    if "prohibited" in expect:
        assert set(result.ai_act.prohibited) == set(expect["prohibited"])
