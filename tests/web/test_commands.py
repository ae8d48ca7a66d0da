"""Command-line tools for NGOs and regulators working offline: assess and bank_schema."""

import json
from io import StringIO

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from dpia.management.commands.load_demo import DEMO_CASES_DIR

DEMO = DEMO_CASES_DIR / "safe_city_control_room.toml"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_assess_prints_the_verdict_and_cited_findings_as_text():
    text = run("assess", str(DEMO), "--today", "2026-11-22")
    assert text.startswith("Verdict on the project as described: UNLAWFUL AS PROPOSED")
    assert "Completeness of the DPIA document: " in text and "Seriousness of " in text
    assert "[BLOCKER] A council resolution, internal procedure or contract is not a legal basis" in text
    assert "GDPR Art. 6(3)" in text and "Rests on: legality.instrument_kind" in text


def test_assess_prints_json_in_french_too(tmp_path):
    data = json.loads(run("assess", str(DEMO), "--format", "json", "--today", "2026-11-22"))
    assert data["verdict"]["outcome"] == "unlawful_as_proposed"
    assert {r["regime"] for r in data["regimes"]} == {"gdpr", "led"}
    assert all(f["citations"] and f["answers"] for f in data["findings"])
    assert "Le contenu minimal" in json.dumps(data, ensure_ascii=False) or data["findings"][0]["title"]["fr"]


def test_assess_reads_a_plain_json_answers_file(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"screening.jurisdiction": "fr", "screening.public_area_monitoring": "yes"}))
    assert "Screening: DPIA required" in run("assess", str(path))


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        ('{"screening.jurisdiction": "mars", "q111": "yes"}', ".json", "unknown question id 'q111'"),
        ("{not json", ".json", "is not valid JSON"),
        ('"project.name" = ', ".toml", "is not valid TOML"),
        ('["yes"]', ".json", "answers must be a table"),
    ],
)
def test_assess_refuses_bad_files_clearly_with_status_2(tmp_path, content, suffix, message):
    path = tmp_path / f"answers{suffix}"
    path.write_text(content)
    with pytest.raises(CommandError, match=message) as caught:
        run("assess", str(path))
    assert caught.value.returncode == 2


def test_assess_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run("assess", str(tmp_path / "nowhere.json"))


def test_bank_schema_is_valid_and_accepts_the_demo_and_refuses_bad_values():
    import tomllib

    schema = json.loads(run("bank_schema"))
    jsonschema.Draft202012Validator.check_schema(schema)
    demo = tomllib.loads(DEMO.read_text())["answers"]
    jsonschema.validate(demo, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**demo, "screening.jurisdiction": "mars"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"no.such.question": 1}, schema)
