"""The CNIL PIA file, without the web app: what a version becomes for the CNIL's software, what a CNIL file
becomes in the questionnaire, and the files that must be refused."""

import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank
from dpia.interop.cnil_pia import (
    KNOWN_REFS,
    MAX_BYTES,
    MAX_DEPTH,
    CnilPiaError,
    from_cnil_pia,
    html_to_text,
    parse_cnil_pia,
    text_to_html,
    to_cnil_pia,
)

BANK = default_bank()
HERE = Path(__file__).parent
FULL = tomllib.loads((HERE / "full_case.toml").read_text(encoding="utf-8"))["answers"]
NATIVE = (HERE / "cnil_native.json").read_bytes()


def content(answers=FULL, **extra):
    return {"language": "en", "answers": answers, "assessment": {"title": "Tram", "organisation": "Testville"},
            "created_at": "2026-05-01T10:00:00+02:00", "workflow": {}, **extra}


def by_ref(pia):
    return {a["reference_to"]: a["data"] for a in pia["answers"]}


def test_a_version_becomes_a_file_the_cnil_software_reads():
    pia = to_cnil_pia(content(), BANK)
    # The CNIL tool's importData() reads these five keys and loops over the four lists.
    assert set(pia) == {"pia", "answers", "measures", "evaluations", "comments"}
    assert {a["reference_to"] for a in pia["answers"]} <= KNOWN_REFS
    answers = by_ref(pia)
    assert "Cameras on 40 tram platforms" in answers[111]["text"] and "&amp; kept for 14 days" in answers[111]["text"]
    assert "&lt;for operators&gt;" in answers[111]["text"]  # our text is escaped, never markup
    assert answers[211]["text"].startswith("<p>1. Protect passengers and staff against assaults.<br />")
    # Risks: the three of the CNIL method, each with its severity and likelihood gauges (1-4).
    assert answers[322]["list"] == ["An operator watches a neighbour's comings and goings"]
    assert answers[323]["list"] == ["Control-room operators", "Maintenance staff of the supplier"]
    assert (answers[325]["gauge"], answers[326]["gauge"]) == (3, 2)
    assert (answers[335]["gauge"], answers[336]["gauge"]) == (4, 1)
    assert (answers[345]["gauge"], answers[346]["gauge"]) == (2, 3)
    assert answers[334]["list"] == ["Individual accounts and logged searches", "Signed exports"]
    # Residual levels are the evaluator's gauges of each risk: x severity, y likelihood.
    evaluations = {e["reference_to"]: e for e in pia["evaluations"]}
    assert evaluations["3.2"]["gauges"] == {"x": 3, "y": 1}
    assert evaluations["3.4"]["gauges"] == {"x": 2, "y": 2}
    # Measures, and their action plan: owner, due date (noon UTC: the same day in every time zone), status.
    assert [m["title"] for m in pia["measures"]][:2] == ["Individual accounts and logged searches", "Signed exports"]
    planned = evaluations["3.1.2"]
    assert planned["status"] == 2 and planned["person_in_charge"] == "IT security officer"
    assert planned["estimated_implementation_date"] == "2027-01-31T12:00:00.000Z"
    assert evaluations["3.1.1"]["status"] == 3
    # Risks the CNIL's three do not cover travel as comments, so that nothing is silently dropped.
    assert [c["reference_to"] for c in pia["comments"]] == [321, 321]
    assert "Misidentification" in pia["comments"][0]["description"]
    assert "Residual likelihood: Significant" in pia["comments"][0]["description"]
    # DPO and the people concerned.
    assert pia["pia"]["dpo_opinion"] == "Keep 14 days rather than 30; log every export of images."
    assert pia["pia"]["concerned_people_searched_opinion"] is True
    assert pia["pia"]["people_names"].startswith("A passengers' association")
    assert pia["pia"]["name"] == "Tram network video-protection" and pia["pia"]["status"] == 0
    json.dumps(pia)  # plain JSON


def test_a_signed_version_exports_the_dpo_advice_given_in_the_workflow_and_the_signatory():
    workflow = {"dpo_advice": {"advice": "Shorten retention.", "dpo": "Dana DPO", "decision": "followed"},
                "signed_by": "Sam Signatory"}
    pia = to_cnil_pia(content(workflow=workflow), BANK)["pia"]
    assert (pia["dpo_opinion"], pia["dpos_names"], pia["validator_name"], pia["status"]) == (
        "Shorten retention.", "Dana DPO", "Sam Signatory", 3)


def test_a_published_versions_redacted_answers_export_as_redacted():
    redacted = {**FULL, "project.camera_count": "[redacted]", "project.locations": "[redacted]",
                "measures.list": [{**m, "owner": "[redacted]"} if "owner" in m else m for m in FULL["measures.list"]]}
    pia = to_cnil_pia(content(redacted), BANK)
    text = json.dumps(pia)
    assert "Head of the control room" not in text and "Platforms of lines A and B" not in text
    assert {e.get("person_in_charge") for e in pia["evaluations"]} >= {"[redacted]"}


def test_the_export_is_written_in_the_versions_language():
    pia = to_cnil_pia(content(language="fr"), BANK)
    assert "Quelle est la fonction" not in json.dumps(pia)  # sanity: the answers stay as written
    assert "Gravité avant mesures : Limitée" in pia["comments"][0]["description"]
    assert {e["action_plan_comment"] for e in pia["evaluations"]} >= {"Prévue"}


def round_trip(answers):
    raw = json.dumps(to_cnil_pia(content(answers), BANK)).encode()
    return from_cnil_pia(parse_cnil_pia(raw), BANK)[0]


@pytest.mark.parametrize("consulted", ["yes", "no", "unknown", None])
def test_whether_the_people_concerned_were_consulted_and_why_not_come_back(consulted):
    answers = {k: v for k, v in FULL.items() if not k.startswith("rights.consultation")}
    if consulted:
        answers["rights.consultation"] = consulted
    if consulted in ("no", "unknown"):
        answers["rights.consultation_not_done_reason"] = "The project is a pilot; a survey is planned in 2027."
    back = round_trip(answers)
    for question_id in ("rights.consultation", "rights.consultation_not_done_reason"):
        assert back.get(question_id) == answers.get(question_id)


def test_a_file_of_the_cnil_software_maps_what_maps_and_keeps_the_rest_as_notes():
    answers, notes = from_cnil_pia(parse_cnil_pia(NATIVE), BANK, language="fr")
    assert validate_answers(answers, BANK) == []
    assert answers["project.name"] == "Vidéoprotection du parking relais"
    assert answers["project.summary"] == ("Douze caméras filment les entrées et les allées du parking relais.\n\n"
                                          "- enregistrement continu ;\n- visionnage en cas d'incident.")
    assert answers["project.purposes"] == "Prévenir les vols de véhicules."  # the script is gone
    assert answers["rights.dpo_advice"].endswith("Ramener à 10 jours.")
    assert answers["rights.consultation"] == "yes"
    assert answers["rights.consultation_method"] == "Comité des usagers du parking"
    measures = {m["title"]: m for m in answers["measures.list"]}
    assert measures["Traçabilité"] == {
        "key": "m2", "title": "Traçabilité", "description": "Journalisation des consultations.", "status": "planned",
        "owner": "Responsable sécurité", "due_date": "2026-03-31",  # 22:00 UTC the day before is midnight in Paris
        "addresses": ["illegitimate_access"]}
    assert measures["Contrôle des accès logiques"]["status"] == "in_place"
    assert measures["Sauvegardes"]["addresses"] == ["disappearance"]
    [risk] = answers["risks.list"]
    assert risk == {"key": "illegitimate_access", "risk": "illegitimate_access",
                    "title": "Consultation abusive des images", "impacts": "Atteinte à la vie privée\nRévélation "
                    "d'habitudes", "sources": "Agent\nPrestataire", "severity": "limited", "likelihood": "significant",
                    "justification": "Les personnes pourraient être gênées.\n\nPeu d'agents ont accès."}
    assert answers["measures.residual"] == [{
        "key": "r-illegitimate_access", "risk": "illegitimate_access", "residual_severity": "limited",
        "residual_likelihood": "negligible", "justification": "Risque encore trop élevé."}]
    kept = {(n["where"], n["reason"]): n for n in notes}
    assert kept[("113", "no_counterpart")]["text"] == "Référentiel CNIL sur la vidéoprotection."
    assert kept[("999", "unknown_reference")]["text"] == "Une question inconnue."
    assert kept[("2.1.215", "evaluation")]["text"] == "À corriger\n\nDurée excessive."
    assert "Échéance : 2026-01-15" in [n["text"] for n in notes if n["where"] == "2.1.215"][-1]
    assert kept[("3.1.22", "action_plan")]["text"] == "Conserver les journaux six mois."
    assert kept[("22", "comment")]["place"]["fr"] == "Traçabilité"  # a comment on a measure names the measure
    assert kept[("pia.dpo_status", "pia_field")]["text"].startswith("Défavorable")
    assert kept[("pia.author_name", "pia_field")]["text"] == "Camille Martin"
    assert kept[("3.2", "action_plan")]["text"] == "Masquer les zones privatives."


def test_a_pia_written_on_a_custom_structure_keeps_its_answers_as_notes():
    data = json.loads(NATIVE)
    data["pia"]["structure_id"] = 3
    answers, notes = from_cnil_pia(data, BANK)
    assert "project.summary" not in answers and "risks.list" not in answers
    assert {n["reason"] for n in notes if n["where"] == "111"} == {"custom_structure"}
    assert [m["title"] for m in answers["measures.list"]][0] == "Contrôle des accès logiques"


def test_a_text_too_long_for_its_question_is_kept_whole_as_a_note_rather_than_cut():
    data = json.loads(NATIVE)
    data["answers"][1]["data"]["text"] = "Responsable : " + "la métropole " * 40
    answers, notes = from_cnil_pia(data, BANK)
    assert "project.controller" not in answers
    [note] = [n for n in notes if n["where"] == "112"]
    assert note["reason"] == "too_long" and note["params"] == {"question": "project.controller", "limit": 300}
    assert note["text"].count("la métropole") == 40


def test_plain_text_survives_the_rich_text_of_the_cnil_tool():
    for text in ["One line.", "Line one.\nLine two.\n\nA second paragraph.", "x < y & z > \"w\"", "- a\n- b"]:
        assert html_to_text(text_to_html(text)) == [text]
    assert html_to_text("<p>a</p><hr /><p>b</p>") == ["a", "b"]
    assert html_to_text("<ol><li>un</li><li>deux</li></ol><style>p{}</style>x&nbsp;&amp;&eacute;") == [
        "- un\n- deux\n\nx &é"]


lines = st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
                         min_size=1, max_size=12), min_size=1, max_size=4).map(" ".join)


@given(st.lists(st.lists(lines, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=3).map("\n\n".join))
def test_any_text_of_words_comes_back_from_its_rich_text_form(text):
    assert html_to_text(text_to_html(text)) == [text]


def _nest(depth):
    return ("[" * depth + "]" * depth).encode()


@pytest.mark.parametrize(("raw", "code"), [
    (b"this is not json", "not_json"),
    (b"\xff\xfe{}", "not_utf8"),
    (b"[" + b" " * MAX_BYTES + b"]", "too_large"),
    (b'{"pia": {"name": "' + b"x" * (10 * 1024 * 1024) + b'"}}', "too_large"),
    (_nest(100_000), "too_deep"),
    (_nest(MAX_DEPTH + 5), "too_deep"),
    (b'{"pia": {"name": "a\\u0000b"}, "answers": [], "measures": [], "evaluations": [], "comments": []}', "nul"),
    (b'{"pia": {"name": "\\ud800"}, "answers": [], "measures": [], "evaluations": [], "comments": []}', "surrogate"),
    (b'{"pia": {"progress": NaN}}', "bad_number"),
    (b'{"pia": {"progress": 1e999}}', "bad_number"),
    (b'{"pia": {"progress": ' + b"9" * 5000 + b"}}", "bad_number"),
    (b'{"pia": {}, "pia": {}}', "duplicate_key"),
    (b"[]", "wrong_type"),
    (b'{"answers": []}', "missing"),
    (b'{"pia": {}, "answers": [], "measures": [], "evaluations": []}', "missing"),
    (b'{"pia": {}, "answers": {}, "measures": [], "evaluations": [], "comments": []}', "wrong_type"),
    (b'{"pia": {}, "answers": [{"reference_to": {"a": 1}}], "measures": [], "evaluations": [], "comments": []}',
     "wrong_type"),
    (b'{"pia": {}, "answers": [{"reference_to": 325, "data": {"gauge": 7}}], "measures": [], "evaluations": [], '
     b'"comments": []}', "out_of_range"),
    (b'{"pia": {}, "answers": [{"reference_to": 321, "data": {"list": [1, 2]}}], "measures": [], '
     b'"evaluations": [], "comments": []}', "wrong_type"),
    (b'{"pia": {"name": 12}, "answers": [], "measures": [], "evaluations": [], "comments": []}', "wrong_type"),
    (b'{"pia": {"status": "signed"}, "answers": [], "measures": [], "evaluations": [], "comments": []}',
     "wrong_type"),
    (b'{"pia": {}, "answers": [], "measures": [], "evaluations": [{"reference_to": "3.2", "gauges": [3, 1]}], '
     b'"comments": []}', "wrong_type"),
    (b'{"pia": {}, "answers": [], "measures": [], "evaluations": [], "comments": [' + b"{}," * 2001 + b"{}]}",
     "too_many"),
])
def test_hostile_or_malformed_files_are_refused_with_the_reason(raw, code):
    with pytest.raises(CnilPiaError) as refused:
        from_cnil_pia(parse_cnil_pia(raw), BANK)
    assert refused.value.code == code
    assert str(refused.value)  # a sentence, in English for the command line


def test_a_10_mb_string_given_directly_is_refused_too():
    data = {"pia": {"name": "x" * (10 * 1024 * 1024)}, "answers": [], "measures": [], "evaluations": [],
            "comments": []}
    with pytest.raises(CnilPiaError, match="longer than"):
        from_cnil_pia(data, BANK)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 400) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=30)
references = st.sampled_from(sorted(KNOWN_REFS)) | st.integers(0, 1000) | st.sampled_from(
    ["3.2", "3.3", "3.4", "3.1.1", "3.1.2", "2.1.211", "1.1", "x"])
cnil_shaped = st.fixed_dictionaries({
    "pia": st.dictionaries(st.sampled_from(["name", "status", "dpo_opinion", "dpo_status", "people_names",
                                            "concerned_people_searched_opinion", "structure_id", "rejection_reason"]),
                           json_values | st.integers(0, 5), max_size=6),
    "answers": st.lists(st.fixed_dictionaries({"reference_to": references, "data": st.fixed_dictionaries(
        {}, optional={"text": st.none() | st.text(max_size=400), "gauge": st.none() | st.integers(0, 4),
                      "list": st.lists(st.text(max_size=300), max_size=3)})}), max_size=12),
    "measures": st.lists(st.fixed_dictionaries({"id": st.integers(1, 3)}, optional={
        "title": st.text(max_size=250), "content": st.text(max_size=60)}), max_size=70),
    "evaluations": st.lists(st.fixed_dictionaries({"reference_to": references.map(str)}, optional={
        "status": st.integers(0, 3), "gauges": st.fixed_dictionaries({"x": st.integers(0, 4), "y": st.integers(0, 4)}),
        "evaluation_comment": st.text(max_size=40), "estimated_implementation_date": st.text(max_size=30),
        "person_in_charge": st.text(max_size=250)}), max_size=6),
    "comments": st.lists(st.fixed_dictionaries({"reference_to": references, "description": st.text(max_size=40)}),
                         max_size=3),
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(json_values, cnil_shaped))
def test_any_input_is_either_refused_or_gives_answers_the_questionnaire_accepts(data):
    try:
        answers, notes = from_cnil_pia(data, BANK)
    except CnilPiaError:
        return
    assert validate_answers(answers, BANK) == []
    assert all(isinstance(note["text"], str) and note["text"] for note in notes)
