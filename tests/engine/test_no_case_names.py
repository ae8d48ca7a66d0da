"""The engine reasons from the facts a user enters, never from who or where the project is: no rule,
factor or condition names a place, a body or a decided case."""

import re
import tomllib
from pathlib import Path

import pytest

from dpia.engine.bank import DEFAULT_BANK_DIR

ENGINE = Path(__file__).resolve().parents[2] / "dpia" / "engine"
CALIBRATION = Path(__file__).resolve().parents[1] / "scenarios" / "calibration"
# Places and bodies of the projects this product was born from and of the calibration decisions.
NAMES = ["Nice", "Marseille", "Belgrade", "Beograd", "Essex", "Turin", "Torino", "Hague", "Rotterdam", "Xinjiang",
         "Saint-Étienne", "Saint-Etienne", "Como", "Trento", "Enschede", "Skellefteå", "Brøndby", "Brondby",
         "South Wales", "Zaventem", "Mercadona", "Clearview", "Huawei", "Palantir", "Briefcam", "Facewatch",
         "Reporty", "Hamburg", "Thurgau", "Copenhagen", "Attica", "Brumunddal", "Chelmer", "Strasbourg",
         "Southern Co-op", "SARI", "Bridges"]


def engine_sources():
    return [(path.name, path.read_text(encoding="utf-8")) for path in sorted(ENGINE.glob("*.py"))
            if path.name != "calibration.py"]  # the calibration runner reads decisions; it decides nothing


def _conditions(data):
    """Every value compared by a `when` or `show_if` condition in the bank."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("when", "show_if"):
                yield repr(value)
            else:
                yield from _conditions(value)
    elif isinstance(data, list):
        for item in data:
            yield from _conditions(item)


def bank_conditions():
    out = []
    for path in sorted(DEFAULT_BANK_DIR.rglob("*.toml")):
        out += [(path.name, text) for text in _conditions(tomllib.loads(path.read_text(encoding="utf-8")))]
    return out


@pytest.mark.parametrize("name", NAMES)
def test_no_engine_code_or_bank_condition_names_a_place_or_body(name):
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    for where, text in engine_sources() + bank_conditions():
        assert not pattern.search(text), f"{where} names {name!r}"


def test_the_rules_read_no_free_text_answer_for_names():
    # Free-text answers (project name, controller, legal act) are read for length or dates only:
    # a rule that matched their words could fire for one city and not another.
    for where, text in engine_sources():
        for match in re.finditer(r'ctx\.text\("([a-z_.]+)"\)', text):
            assert match.group(1) not in {"project.name", "project.controller", "project.locations"}, where


def test_calibration_cases_are_not_in_the_engine():
    slugs = [path.stem for path in CALIBRATION.glob("*.toml")]
    for where, text in engine_sources():
        for slug in slugs:
            assert slug not in text, f"{where} refers to calibration case {slug}"
