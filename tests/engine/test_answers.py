"""Checking answers files against the bank: every problem named, with its question id."""

from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank

BANK = default_bank()

VALID = {
    "screening.jurisdiction": "fr",
    "screening.wp248_criteria": ["systematic_monitoring", "large_scale"],
    "project.name": "Station cameras",
    "project.people_affected": 120000,
    "project.start_date": "2027-03-01",
    "streams.list": [{"key": "frt", "name": "Live facial recognition", "controller_kind": "state_police",
                      "data_categories": ["biometric_identification"]}],
    "legality.legal_provision": {"frt": "None yet"},
}


def test_valid_answers_have_no_errors():
    assert validate_answers(VALID, BANK) == []


def test_every_problem_is_named():
    broken = {
        **VALID,
        "screening.jurisdiction": "mars",
        "screening.wp248_criteria": ["systematic_monitoring", "vibes"],
        "project.people_affected": "many",
        "project.start_date": "next spring",
        "project.name": "x" * 400,
        "streams.list": [{"name": "No key", "colour": "red"}],
        "legality.legal_provision": {"ghost": "Act 12"},
        "screening.q111": "yes",
    }
    errors = "\n".join(validate_answers(broken, BANK))
    for expected in ["screening.jurisdiction: 'mars' is not one of", "'vibes' not among",
                     "project.people_affected: expected a number", "project.start_date: expected a date",
                     "project.name: text longer than 300", "streams.list[1]: every item needs a 'key'",
                     "streams.list[1]: unknown field 'colour'", "legality.legal_provision.ghost: no item",
                     "unknown question id 'screening.q111'"]:
        assert expected in errors, expected


def test_answers_must_be_a_table():
    assert validate_answers(["yes"], BANK) == ["answers must be a table of question id -> value"]
