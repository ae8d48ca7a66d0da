"""Structured visibility conditions and the answers that count."""

import pytest

from dpia.engine.conditions import ConditionError, evaluate, parse_condition

ANSWERS = {
    "screening.public": "yes",
    "project.technologies": ["cctv", "live_facial_recognition"],
    "project.people": 120000,
    "streams.list": [
        {"key": "s1", "name": "Traffic", "data": ["licence_plates"]},
        {"key": "s2", "name": "Watchlist", "data": ["biometric_identification"]},
    ],
    "legality.basis": {"s1": "public_task", "s2": "none_identified"},
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"question": "screening.public", "equals": "yes"}, True),
        ({"question": "screening.public", "equals": "no"}, False),
        ({"question": "screening.public", "in": ["no", "unknown"]}, False),
        ({"question": "project.technologies", "includes": "live_facial_recognition"}, True),
        ({"question": "project.technologies", "includes_any": ["drones", "anpr"]}, False),
        ({"question": "project.people", "at_least": 100000}, True),
        ({"question": "project.missing", "answered": False}, True),
        ({"question": "project.missing", "equals": "yes"}, False),
        ({"all": [{"question": "screening.public", "equals": "yes"},
                  {"question": "project.people", "at_least": 200000}]}, False),
        ({"any": [{"question": "screening.public", "equals": "no"},
                  {"question": "project.people", "at_least": 1}]}, True),
        ({"not": {"question": "screening.public", "equals": "yes"}}, False),
        ({"question": "streams.list", "field": "data", "includes": "biometric_identification"}, True),
    ],
)
def test_conditions(raw, expected):
    assert evaluate(parse_condition(raw), ANSWERS) is expected


def test_item_field_condition_reads_the_current_stream():
    condition = parse_condition(
        {"question": "streams.list", "field": "data", "includes": "biometric_identification"})
    traffic, watchlist = ANSWERS["streams.list"]
    assert evaluate(condition, ANSWERS, traffic) is False
    assert evaluate(condition, ANSWERS, watchlist) is True


def test_per_stream_answer_is_read_for_the_current_stream():
    condition = parse_condition({"question": "legality.basis", "equals": "none_identified"})
    traffic, watchlist = ANSWERS["streams.list"]
    assert evaluate(condition, ANSWERS, traffic) is False
    assert evaluate(condition, ANSWERS, watchlist) is True


@pytest.mark.parametrize(
    "raw",
    [
        "screening.public == 'yes'",
        {"question": "x"},
        {"question": "x", "equals": 1, "in": [1]},
        {"question": "x", "in": "yes"},
        {"question": "x", "at_least": "ten"},
        {"question": "x", "equals": 1, "colour": "red"},
        {"all": []},
        {"not": {"question": "x", "equals": 1}, "all": []},
    ],
)
def test_malformed_conditions_are_refused(raw):
    with pytest.raises(ConditionError):
        parse_condition(raw)
