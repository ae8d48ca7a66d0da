"""Properties the engine must keep whatever the answers (hypothesis)."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank
from dpia.engine.result import VERDICTS

BANK = default_bank()
TODAY = dt.date(2026, 11, 22)
RANK = {verdict: index for index, verdict in enumerate(VERDICTS)}
LEVELS = ["negligible", "limited", "significant", "maximum"]
RISK_KINDS = BANK.question("risks.list").field("risk").choice_values()
text = st.text(min_size=0, max_size=40)


def value_for(question):
    kind = question.type
    if kind in ("yes_no_unknown", "single_choice"):
        return st.sampled_from(question.choice_values())
    if kind == "multiple_choice":
        # An exclusive choice ("none", "not known") is ticked alone: with others the bank rejects the answer.
        exclusive = question.exclusive_choices()
        others = [v for v in question.choice_values() if v not in exclusive]
        return st.one_of(st.lists(st.sampled_from(others), unique=True, max_size=4),
                         *(st.just([v]) for v in exclusive))
    if kind in ("short_text", "long_text"):
        return text
    if kind == "number":
        return st.integers(min_value=int(question.minimum or 0), max_value=int(min(question.maximum or 10**6, 10**6)))
    if kind == "date":
        return st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)).map(dt.date.isoformat)
    fields = {f.id: value_for(f) for f in question.fields}
    return st.lists(st.fixed_dictionaries({}, optional=fields), max_size=3).map(
        lambda items: [{"key": f"k{i}", **item} for i, item in enumerate(items)])


@st.composite
def bank_answers(draw):
    """Any answers the bank allows: a random selection of questions, valid values, streams keyed."""
    answers = {}
    streams = draw(value_for(BANK.question("streams.list")))
    if streams:
        answers["streams.list"] = streams
    for question in BANK.questions.values():
        if question.id == "streams.list" or not draw(st.booleans()):
            continue
        if question.per_item:
            if streams:
                answers[question.id] = {s["key"]: draw(value_for(question)) for s in streams}
        else:
            answers[question.id] = draw(value_for(question))
    return answers


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.data_too_large])


@FAST
@given(bank_answers())
def test_engine_never_raises_on_answers_the_bank_allows(answers):
    assert validate_answers(answers, BANK) == []
    result = assess(answers, BANK, today=TODAY)
    assert result.verdict.outcome in VERDICTS
    result.to_dict()


risk_item = st.fixed_dictionaries({
    "risk": st.sampled_from(RISK_KINDS), "severity": st.sampled_from(LEVELS), "likelihood": st.sampled_from(LEVELS),
})
residual_item = st.fixed_dictionaries({
    "risk": st.sampled_from(RISK_KINDS), "residual_severity": st.sampled_from(LEVELS),
    "residual_likelihood": st.sampled_from(LEVELS),
})


def keyed(items, prefix):
    return [{"key": f"{prefix}{i}", **item} for i, item in enumerate(items)]


@FAST
@given(bank_answers(), st.lists(risk_item, min_size=1, max_size=5), st.lists(residual_item, max_size=5),
       st.lists(st.sampled_from(RISK_KINDS), min_size=1, max_size=3, unique=True))
def test_adding_a_measure_never_raises_residual_risk(answers, risk_items, residuals, addressed):
    answers = {**answers, "risks.list": keyed(risk_items, "r"), "measures.residual": keyed(residuals, "x")}
    before = {r.key: r for r in assess(answers, BANK, today=TODAY).risks}
    measures = list(answers.get("measures.list", [])) + [{"key": "new", "title": "New measure",
                                                          "addresses": addressed}]
    after = {r.key: r for r in assess({**answers, "measures.list": measures}, BANK, today=TODAY).risks}
    for key, old in before.items():
        new = after[key]
        assert new.residual_severity <= old.residual_severity
        assert new.residual_likelihood <= old.residual_likelihood


FACTORS = [
    ("project.technologies", "live_facial_recognition"), ("project.technologies", "predictive_algorithms"),
    ("project.places", "demonstrations"), ("project.places", "places_of_worship"),
    ("project.area", "city_wide"), ("project.operation", "continuous"),
]


@FAST
@given(bank_answers(), st.lists(risk_item, min_size=1, max_size=5), st.sampled_from(FACTORS))
def test_adding_a_risk_factor_never_lowers_inherent_risk(answers, risk_items, factor):
    answers = {**answers, "risks.list": keyed(risk_items, "r")}
    question_id, value = factor
    if BANK.question(question_id).type == "multiple_choice":
        added = {**answers, question_id: sorted(set(answers.get(question_id, [])) | {value})}
    else:
        added = {**answers, question_id: value}
    before = {r.key: r for r in assess(answers, BANK, today=TODAY).risks}
    after = {r.key: r for r in assess(added, BANK, today=TODAY).risks}
    for key, old in before.items():
        assert after[key].severity >= old.severity
        assert after[key].likelihood >= old.likelihood


@FAST
@given(bank_answers())
def test_removing_the_legal_basis_never_improves_the_verdict(answers):
    streams = answers.get("streams.list") or [{"key": "k0", "name": "Cameras"}]
    answers = {**answers, "streams.list": streams}
    before = assess(answers, BANK, today=TODAY).verdict.outcome
    removed = {**answers,
               "legality.instrument_kind": {s["key"]: "none" for s in streams},
               "legality.legal_provision": {s["key"]: "None" for s in streams}}
    after = assess(removed, BANK, today=TODAY).verdict.outcome
    assert RANK[after] >= RANK[before]
