"""The question bank loader: a valid bank loads; every kind of mistake is reported, all at once."""

import textwrap
from pathlib import Path

import pytest

from dpia.engine.bank import BankError, load_bank

BANK_TOML = """
version = "test-1"
effective_date = 2026-01-01
sections = ["first", "second"]

[acts.GDPR]
name = { en = "GDPR", fr = "RGPD" }
short = { en = "GDPR", fr = "RGPD" }
celex = "32016R0679"
articles = ["6", "9", "35"]

[acts.WP248]
name = { en = "WP248", fr = "WP248" }
kind = "guidance"
link = false

[scales.severity]
title = { en = "Severity", fr = "Gravité" }
citations = [{ act = "WP248", section = "III.B" }]
levels = [{ value = 1, label = { en = "Low", fr = "Faible" }, description = { en = "d", fr = "d" } }]

[thresholds.criteria]
value = 2
description = { en = "Two criteria", fr = "Deux critères" }
citations = [{ act = "WP248", section = "III.B" }]
"""

FIRST = """
id = "first"
title = { en = "First", fr = "Premier" }
intro = { en = "Intro", fr = "Intro" }

[[questions]]
id = "first.public_space"
type = "yes_no_unknown"
label = { en = "Public space?", fr = "Espace public ?" }
help = { en = "Help", fr = "Aide" }
citations = [{ act = "GDPR", article = "35", paragraph = "3", point = "c" }]
knowledge = ["public-space"]

[[questions]]
id = "first.streams"
type = "items"
label = { en = "Streams", fr = "Flux" }
help = { en = "Help", fr = "Aide" }
citations = [{ act = "GDPR", article = "35" }]
fields = [
  { id = "name", type = "short_text", label = { en = "Name", fr = "Nom" } },
  { id = "data", type = "multiple_choice", label = { en = "Data", fr = "Données" }, choices = [
      { value = "biometric", label = { en = "Biometric", fr = "Biométrique" } },
      { value = "images", label = { en = "Images", fr = "Images" } } ] },
]
"""

SECOND = """
id = "second"
title = { en = "Second", fr = "Deuxième" }
intro = { en = "Intro", fr = "Intro" }
repeat_for = "first.streams"
show_if = { question = "first.public_space", equals = "yes" }

[[questions]]
id = "second.basis"
type = "single_choice"
label = { en = "Basis", fr = "Base" }
help = { en = "Help", fr = "Aide" }
citations = [{ act = "GDPR", article = "6" }]
choices = [
  { value = "public_task", label = { en = "Public task", fr = "Mission d'intérêt public" } },
  { value = "consent", label = { en = "Consent", fr = "Consentement" } },
]

[[questions]]
id = "second.exception"
type = "single_choice"
label = { en = "Art. 9 exception", fr = "Exception de l'art. 9" }
help = { en = "Help", fr = "Aide" }
citations = [{ act = "GDPR", article = "9", paragraph = "2" }]
show_if = { question = "first.streams", field = "data", includes = "biometric" }
choices = [{ value = "law", label = { en = "Law", fr = "Loi" } }]
"""

KNOWLEDGE = """
[entries.public-space]
title = { en = "Public space", fr = "Espace public" }
body = { en = "Body", fr = "Corps" }
citations = [{ act = "GDPR", article = "35" }]
"""


def write_bank(root: Path, **overrides) -> Path:
    files = {"bank.toml": BANK_TOML, "knowledge.toml": KNOWLEDGE,
             "sections/first.toml": FIRST, "sections/second.toml": SECOND, **overrides}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def errors_of(root: Path) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank(root)
    return caught.value.errors


def test_valid_bank_loads_with_per_stream_section(tmp_path):
    bank = load_bank(write_bank(tmp_path))
    assert bank.version == "test-1"
    assert [s.id for s in bank.sections] == ["first", "second"]
    assert bank.question("second.basis").per_item == "first.streams"
    assert bank.question("first.public_space").citations[0].label() == "GDPR Art. 35(3)(c)"
    assert bank.thresholds["criteria"].value == 2
    assert bank.scales["severity"].citations[0].label() == "WP248 §III.B"


@pytest.mark.parametrize(
    ("citation", "label"),
    [
        (dict(act="GDPR", article="35", paragraph="7", point="a"), "GDPR Art. 35(7)(a)"),
        (dict(act="LED", article="10"), "LED Art. 10"),
        (dict(act="AI Act", annex="III", point="1(a)"), "AI Act Annex III 1(a)"),
        (dict(act="CNIL 2018-327"), "CNIL 2018-327"),
    ],
)
def test_citation_labels(citation, label):
    from dpia.engine.bank import Citation

    assert Citation(**citation).label() == label


def test_all_errors_are_reported_at_once(tmp_path):
    broken_first = FIRST.replace('fr = "Espace public ?"', 'de = "Öffentlich?"').replace(
        'article = "35", paragraph = "3"', 'article = "135", paragraph = "3"')
    broken_second = SECOND + """
[[questions]]
id = "second.basis"
type = "yes_no_unknown"
label = { en = "Duplicate", fr = "Doublon" }
help = { en = "Help", fr = "Aide" }
citations = [{ act = "GDPR", article = "6" }]

[[questions]]
id = "second.uncited"
type = "long_text"
label = { en = "No citation", fr = "Sans citation" }
help = { en = "Help", fr = "Aide" }
"""
    errors = errors_of(write_bank(tmp_path, **{"sections/first.toml": broken_first,
                                               "sections/second.toml": broken_second}))
    text = "\n".join(errors)
    assert "missing translation 'fr'" in text
    assert "unknown languages ['de']" in text
    assert "GDPR Art. 135 is not in the list of known articles" in text
    assert "duplicate question id 'second.basis'" in text
    assert "second.uncited: a legal question needs at least one citation" in text
    assert len(errors) >= 5


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('{ question = "first.nowhere", equals = "yes" }', "unknown question 'first.nowhere'"),
        ('{ question = "second.exception", equals = "law" }', "not asked before it"),
        ('{ question = "first.public_space", equals = "perhaps" }', "'perhaps' is not a choice"),
        ('{ question = "first.streams", field = "colour", includes = "x" }', "unknown field 'colour'"),
        ('{ question = "first.public_space", equals = "yes", in = ["no"] }', "needs exactly one of"),
        ('"first.public_space == yes"', "must be a table"),
        ('{ all = [] }', "non-empty list"),
    ],
)
def test_bad_conditions_are_refused(tmp_path, condition, message):
    second = SECOND.replace(
        'show_if = { question = "first.streams", field = "data", includes = "biometric" }',
        f"show_if = {condition}",
    )
    errors = errors_of(write_bank(tmp_path, **{"sections/second.toml": second}))
    assert any(message in e for e in errors), errors


def test_unknown_knowledge_link_act_and_type_are_refused(tmp_path):
    first = FIRST.replace('knowledge = ["public-space"]', 'knowledge = ["nowhere"]').replace(
        'type = "yes_no_unknown"', 'type = "slider"').replace(
        '{ act = "GDPR", article = "35" }]\nfields', '{ act = "GDRP", article = "35" }]\nfields')
    errors = "\n".join(errors_of(write_bank(tmp_path, **{"sections/first.toml": first})))
    assert "unknown knowledge entry 'nowhere'" in errors
    assert "unknown or unsupported type 'slider'" in errors
    assert "unknown act 'GDRP'" in errors


def test_ids_must_be_dotted_slugs_of_their_section(tmp_path):
    first = FIRST.replace('id = "first.public_space"', 'id = "Q111"')
    errors = "\n".join(errors_of(write_bank(tmp_path, **{"sections/first.toml": first})))
    assert "dotted slugs" in errors


def test_invalid_toml_is_reported_with_its_file(tmp_path):
    errors = errors_of(write_bank(tmp_path, **{"sections/second.toml": "id = "}))
    assert any(e.startswith("second.toml: not valid TOML") for e in errors)


def test_shipped_bank_is_valid_and_complete():
    bank = load_bank()
    ids = set(bank.questions)
    assert [s.id for s in bank.sections] == [
        "screening", "project", "streams", "legality", "necessity", "proportionality",
        "ai_act", "rights", "risks", "measures"]
    for required in ["screening.wp248_criteria", "screening.public_area_monitoring",
                     "screening.national_list_fr", "project.technologies", "streams.list",
                     "necessity.alternatives", "risks.list", "measures.list", "measures.residual"]:
        assert required in ids, required
    assert len(bank.question("screening.wp248_criteria").choices) == 9
    assert bank.section("legality").repeat_for == "streams.list"
    for question in bank.questions.values():
        assert question.label.en and question.label.fr and question.help.en and question.help.fr


def test_answers_to_questions_that_no_longer_apply_are_kept_but_ignored(tmp_path):
    bank = load_bank(write_bank(tmp_path))
    answers = {
        "first.public_space": "no",
        "first.streams": [{"key": "a", "name": "Cameras", "data": ["biometric"]}],
        "second.basis": {"a": "consent"},
        "second.exception": {"a": "law"},
    }
    # Section "second" only applies to public spaces: its answers stay in the draft, unused.
    assert "second.basis" not in bank.applicable_answers(answers)
    answers["first.public_space"] = "yes"
    counted = bank.applicable_answers(answers)
    assert counted["second.basis"] == {"a": "consent"}
    assert counted["second.exception"] == {"a": "law"}
    answers["first.streams"][0]["data"] = ["images"]
    assert "second.exception" not in bank.applicable_answers(answers)
    # Answers for a stream that was deleted are not counted either.
    answers["second.basis"]["gone"] = "consent"
    assert bank.applicable_answers(answers)["second.basis"] == {"a": "consent"}


def test_engine_imports_no_django():
    import ast

    engine = Path(__file__).resolve().parents[2] / "dpia" / "engine"
    offenders = []
    for path in engine.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_every_rule_text_is_translated_with_the_same_placeholders():
    import re

    bank = load_bank()
    assert len(bank.rules) >= 60
    for rule in bank.rules.values():
        for text in (rule.title, rule.explanation, rule.resolution):
            assert not text.fr.startswith("FR:"), rule.id
            assert sorted(re.findall(r"{\w+}", text.fr)) == sorted(re.findall(r"{\w+}", text.en)), rule.id
        assert rule.citations, rule.id


def test_facts_refer_to_real_questions_and_choices(tmp_path):
    bad = BANK_TOML + """
[facts.floor_bad]
kind = "severity_floor"
value = { risk = "misidentification", severity = 3 }
when = { question = "first.nowhere", equals = "yes" }
description = { en = "d", fr = "d" }
citations = [{ act = "GDPR", article = "35" }]
"""
    errors = errors_of(write_bank(tmp_path, **{"bank.toml": bad}))
    assert any("unknown question 'first.nowhere'" in e for e in errors)


def test_regime_values_must_be_stream_choices(tmp_path):
    bad = BANK_TOML + """
[regime]
competent_authorities = ["wizards"]
citations = [{ act = "GDPR", article = "35" }]
"""
    errors = errors_of(write_bank(tmp_path, **{"bank.toml": bad}))
    assert any("'wizards' is not a choice of streams.list controller_kind" in e for e in errors)


def test_every_reason_the_engine_uses_exists():
    import re

    engine = Path(__file__).resolve().parents[2] / "dpia" / "engine"
    used = {m for path in engine.glob("*.py") for m in re.findall(r'reason\("([a-z_.]+)"', path.read_text())}
    bank = load_bank()
    assert used and used <= set(bank.reasons)


@pytest.mark.parametrize(
    ("act", "error"),
    [
        ('name = { en = "X", fr = "X" }\narticles = ["1"]', "give exactly one of celex, hudoc or url"),
        ('name = { en = "X", fr = "X" }\ncelex = "GDPR"\narticles = ["1"]', "is not a CELEX number"),
        ('name = { en = "X", fr = "X" }\nhudoc = "90051"\nkind = "case"', "is not a HUDOC item id"),
        ('name = { en = "X", fr = "X" }\ncelex = "32016R0679"\nhudoc = "001-90051"', "give exactly one"),
        ('name = { en = "X", fr = "X" }\nurl = { en = "http://x.example", fr = "http://x.example" }',
         "must start with https://"),
        ('name = { en = "X", fr = "X" }\nurl = { en = "https://x.example" }\narticles = ["1"]',
         "missing translation 'fr'"),
    ],
)
def test_every_act_says_where_its_official_text_is(tmp_path, act, error):
    bank = BANK_TOML + f"\n[acts.X]\n{act}\n"
    errors = errors_of(write_bank(tmp_path, **{"bank.toml": bank}))
    assert any(error in e and "act X" in e for e in errors), errors


def test_the_real_bank_links_every_act_or_says_it_has_no_link():
    bank = load_bank()
    for act in bank.acts.values():
        url = act.link.url("en") if act.link else ""
        # The loader refuses an act with neither; here: EU laws and the European courts' judgments all link
        # to EUR-Lex or HUDOC, a national judgment to a public case-law database, an international convention
        # to the body that keeps it (Council of Europe, United Nations).
        if act.kind == "law" and act.code in ("ECHR", "UNCRC"):
            assert url.startswith(("https://www.echr.coe.int/", "https://www.ohchr.org/")), act.code
        elif act.kind == "law":
            assert url.startswith("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"), act.code
        if act.kind == "case" and act.code.startswith(("CJEU", "ECtHR")):
            assert url.startswith(("https://eur-lex.europa.eu/", "https://hudoc.echr.coe.int/")), act.code
        elif act.kind == "case":
            assert url.startswith("https://"), act.code
        assert act.short is not None or act.code.isupper(), f"{act.code} needs a French short name"


@pytest.mark.parametrize(
    ("citation", "english", "french", "url"),
    [
        (dict(act="GDPR", article="6", paragraph="3"), "GDPR Art. 6(3)", "RGPD art. 6, § 3",
         "https://eur-lex.europa.eu/legal-content/{L}/TXT/?uri=CELEX:32016R0679"),
        (dict(act="LED", article="27"), "LED Art. 27", "directive (UE) 2016/680 art. 27",
         "https://eur-lex.europa.eu/legal-content/{L}/TXT/?uri=CELEX:32016L0680"),
        (dict(act="GDPR", article="35", paragraph="3", point="c"), "GDPR Art. 35(3)(c)",
         "RGPD art. 35, § 3, point c)", "https://eur-lex.europa.eu/legal-content/{L}/TXT/?uri=CELEX:32016R0679"),
        (dict(act="GDPR", recital="26"), "GDPR Recital 26", "RGPD considérant 26",
         "https://eur-lex.europa.eu/legal-content/{L}/TXT/?uri=CELEX:32016R0679"),
        (dict(act="AI Act", article="5", paragraph="1", point="h"), "AI Act Art. 5(1)(h)",
         "règlement (UE) 2024/1689 art. 5, § 1, point h)",
         "https://eur-lex.europa.eu/legal-content/{L}/TXT/?uri=CELEX:32024R1689"),
        (dict(act="ECtHR S. and Marper"), "ECtHR S. and Marper", "CEDH S. et Marper",
         "https://hudoc.echr.coe.int/{H}?i=001-90051"),
        (dict(act="WP248", section="III.B"), "WP248 §III.B", "WP248, § III.B", ""),
    ],
)
def test_citations_read_in_each_language_and_link_to_the_official_text(citation, english, french, url):
    bank = load_bank()
    en, fr = bank.cite(citation, "en"), bank.cite(citation, "fr")
    assert (en.label, fr.label.replace("\u00a0", " ")) == (english, french)
    assert en.url == url.format(L="EN", H="eng") and fr.url == url.format(L="FR", H="fre")


def test_every_list_of_special_categories_in_the_bank_names_genetic_data_too():
    """Conditions repeat the special categories as data (the condition language has no named sets): a list that
    names the 'other special categories' but forgets DNA would ask no Art. 9 / LED Art. 10 question of a DNA file."""
    import tomllib

    from dpia.engine.bank import DEFAULT_BANK_DIR
    from dpia.engine.context import SPECIAL_DATA

    def category_lists(node):
        if isinstance(node, dict):
            if node.get("field") == "data_categories" and isinstance(node.get("includes_any"), list):
                yield node["includes_any"]
            for value in node.values():
                yield from category_lists(value)
        elif isinstance(node, list):
            for value in node:
                yield from category_lists(value)

    found = []
    for path in sorted(Path(DEFAULT_BANK_DIR).rglob("*.toml")):
        for values in category_lists(tomllib.loads(path.read_text())):
            if "special_categories_other" in values:
                found.append(path.name)
                assert "genetic" in values, (path.name, values)
    assert len(found) >= 8 and "genetic" in SPECIAL_DATA


def test_the_answers_schema_ticks_an_exclusive_choice_alone():
    from jsonschema import Draft202012Validator

    from dpia.engine.bank import default_bank
    from dpia.engine.schema import answers_schema

    validator = Draft202012Validator(answers_schema(default_bank()))
    assert not list(validator.iter_errors({"necessity.problem_evidence": ["none"]}))
    assert not list(validator.iter_errors({"necessity.problem_evidence": ["crime_statistics", "complaints"]}))
    assert list(validator.iter_errors({"necessity.problem_evidence": ["none", "crime_statistics"]}))


def test_a_date_answer_reads_as_people_write_dates_in_each_language():
    from dpia.engine.bank import default_bank
    review = default_bank().question("proportionality.review_date")
    assert review.display("2025-01-15", "fr") == "15 janvier 2025"
    assert review.display("2025-01-15", "en") == "15 January 2025"
    assert review.display("not a date", "en") == "not a date"
