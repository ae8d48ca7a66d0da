"""CSV exports without the web app: cells a spreadsheet would run as formulas are made text."""

import csv
import io
import tomllib
from pathlib import Path

import pytest

from dpia.engine.bank import default_bank
from dpia.interop.csv_export import action_plan_table, csv_stream, safe_cell, to_csv

BANK = default_bank()
FULL = tomllib.loads((Path(__file__).with_name("full_case.toml")).read_text(encoding="utf-8"))["answers"]


def read(text):
    assert text.startswith("\ufeff")  # spreadsheet programs then read UTF-8, accents included
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("cell", ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tTab", "\rReturn",
                                  '=HYPERLINK("http://evil.example","click")'])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_becomes_text(cell):
    assert safe_cell(cell) == "'" + cell
    assert read(to_csv(["h"], [[cell]]))[1] == ["'" + cell]


def test_ordinary_cells_are_left_as_they_are():
    for cell in ["Signed exports", "2027-01-31", "a=b", "Ville d'Été, « quoted », \"x\"", "1;2", ""]:
        assert safe_cell(cell) == cell
    assert read(to_csv(["a", "b"], [["x,y", "line\nbreak"]])) == [["a", "b"], ["x,y", "line\nbreak"]]


@pytest.mark.parametrize("count", [0, 1, 3, 7])
def test_a_streamed_table_is_the_same_text_as_the_whole_one(count):
    rows = [[f"=row {n}", "x,y", "line\nbreak"] for n in range(count)]
    pieces = list(csv_stream(["a", "b", "c"], iter(rows), rows_per_chunk=3))
    assert "".join(pieces) == to_csv(["a", "b", "c"], rows)
    assert len(pieces) == 1 + (count + 2) // 3


def test_the_action_plan_has_one_row_per_measure_with_owner_due_date_status_and_risks():
    header, rows = action_plan_table({"answers": FULL}, BANK, "en")
    assert header == ["Measure", "What exactly is done, and how can it be checked?", "Risks it addresses", "Status",
                      "Owner (function)", "Due date"]
    assert rows[1] == ["Signed exports", "Exported clips carry a SHA-256 checksum and the operator's signature.",
                       "Unwanted modification", "Planned", "IT security officer", "2027-01-31"]
    assert rows[0][2] == "Illegitimate access; Unwanted modification; Chilling effect"
    assert rows[3][3:] == ["In place", "", ""]
    french_header, french_rows = action_plan_table({"answers": FULL}, BANK, "fr")
    assert french_header[0] == "Mesure" and french_rows[1][3] == "Prévue"


def test_a_redacted_owner_stays_redacted_and_an_empty_plan_has_only_the_header():
    measures = [{**FULL["measures.list"][0], "owner": "[redacted]"}]
    assert action_plan_table({"answers": {"measures.list": measures}}, BANK, "en")[1][0][4] == "[redacted]"
    assert action_plan_table({"answers": {}}, BANK, "en")[1] == []
