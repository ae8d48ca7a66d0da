"""The CNIL's PIA file (LINCnil/pia, `exportData()` in pia.service.ts): a version out, a PIA file in.

Pure Python, no Django: the views, the commands and the tests share it. `CNIL_PIA_FORMAT.md` next to
this file is the mapping table for people; this module is the mapping for machines. Keep them together.

- `to_cnil_pia(content, bank)`: a version's sealed content -> the CNIL PIA dict.
- `parse_cnil_pia(raw)`: the bytes of an uploaded file -> a checked JSON value (size, UTF-8, JSON, depth).
- `from_cnil_pia(data, bank)`: a CNIL PIA dict -> (answers, notes). Answers are keyed by our question ids
  and pass `validate_answers`; notes keep, word for word, what has no place in our questionnaire.

Every problem with a file raises CnilPiaError, whose `code` and `params` let the web layer say it in the
user's language.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html import escape
from html.parser import HTMLParser
from typing import Any

from dpia.engine.bank import Question, QuestionBank

MAX_BYTES = 2 * 1024 * 1024  # a real PIA with rich text is a few hundred kB; attachments are not in it
MAX_STRING = 100_000  # characters in any one string
MAX_DEPTH = 20  # the CNIL format nests about 8 levels (structure_data); anything far deeper is hostile
MAX_ENTRIES = 2_000  # entries in any one list or object
PIA_ID = 1  # the CNIL tool gives an imported PIA a new id; ours only has to be consistent within the file

# The CNIL's four-level scales are ours (bank.toml [scales]): gauge 1..4.
LEVELS = ("negligible", "limited", "significant", "maximum")
# The three risks of the CNIL method: item 3.<n> of the PIA, questions 3<n>1..3<n>6.
RISK_ITEMS = {"illegitimate_access": 2, "unwanted_modification": 3, "disappearance": 4}
RISK_PARTS = {1: "impacts", 2: "threats", 3: "sources", 4: "measures", 5: "severity", 6: "likelihood"}
RISK_PARTS_N = {part: n for n, part in RISK_PARTS.items()}
# Where risks that are not one of the three go: a comment on the first question of the risks section.
OTHER_RISKS_REFERENCE = 321


class CnilPiaError(ValueError):
    """The file cannot be read as a CNIL PIA. `code` names the problem, `params` its details."""

    MESSAGES = {
        "too_large": "the file is larger than {limit} MB",
        "not_utf8": "the file is not UTF-8 text",
        "not_json": "the file is not valid JSON (line {line}, column {column})",
        "duplicate_key": "{where}: the key '{key}' appears twice",
        "too_deep": "the file is nested more than {limit} levels deep",
        "too_long": "{where}: a text is longer than {limit} characters",
        "nul": "{where}: a text contains a NUL character",
        "surrogate": "{where}: a text contains an unpaired surrogate (not valid Unicode)",
        "too_many": "{where}: more than {limit} entries",
        "bad_number": "{where}: a number is not finite or too large",
        "missing": "{where} is missing: this is not a CNIL PIA export",
        "wrong_type": "{where}: expected {expected}",
        "out_of_range": "{where}: {value} is not between {low} and {high}",
    }

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(self.MESSAGES[code].format(**params))


def _t(en: str, fr: str) -> dict[str, str]:
    return {"en": en, "fr": fr}


# Titles of the places of a CNIL PIA, as its tool names them (src/assets/i18n/en.json and fr.json).
PLACES: dict[str, dict[str, str]] = {
    "111": _t("Overview: what is the processing under consideration?",
              "Vue d'ensemble : quel est le traitement qui fait l'objet de l'étude ?"),
    "112": _t("Overview: what are the responsibilities linked to the processing?",
              "Vue d'ensemble : quelles sont les responsabilités liées au traitement ?"),
    "113": _t("Overview: are there standards applicable to the processing?",
              "Vue d'ensemble : quels sont les référentiels applicables ?"),
    "121": _t("Data, processes and supporting assets: what are the data processed?",
              "Données, processus et supports : quelles sont les données traitées ?"),
    "122": _t("Data, processes and supporting assets: how does the life cycle of data and processes work?",
              "Données, processus et supports : comment le cycle de vie des données se déroule-t-il ?"),
    "123": _t("Data, processes and supporting assets: what are the data supporting assets?",
              "Données, processus et supports : quels sont les supports des données ?"),
    "211": _t("Proportionality and necessity: purposes", "Proportionnalité et nécessité : finalités"),
    "212": _t("Proportionality and necessity: legal basis", "Proportionnalité et nécessité : fondement"),
    "213": _t("Proportionality and necessity: adequate data", "Proportionnalité et nécessité : données adéquates"),
    "214": _t("Proportionality and necessity: data accuracy", "Proportionnalité et nécessité : données exactes"),
    "215": _t("Proportionality and necessity: storage duration",
              "Proportionnalité et nécessité : durée de conservation"),
    "221": _t("Rights of data subjects: information", "Droits des personnes : information des personnes"),
    "222": _t("Rights of data subjects: obtaining consent", "Droits des personnes : recueil du consentement"),
    "223": _t("Rights of data subjects: access and data portability",
              "Droits des personnes : droit d'accès et à la portabilité"),
    "224": _t("Rights of data subjects: rectification and erasure",
              "Droits des personnes : droit de rectification et d'effacement"),
    "225": _t("Rights of data subjects: restriction and objection",
              "Droits des personnes : droit de limitation et d'opposition"),
    "226": _t("Rights of data subjects: processors (subcontracting)", "Droits des personnes : sous-traitance"),
    "227": _t("Rights of data subjects: transfers outside the EU", "Droits des personnes : transferts"),
    "1.1": _t("Context: overview", "Contexte : vue d'ensemble"),
    "1.2": _t("Context: data, processes and supporting assets", "Contexte : données, processus et supports"),
    "3.2": _t("Risk: illegitimate access to data", "Risque : accès illégitime à des données"),
    "3.3": _t("Risk: unwanted modification of data", "Risque : modification non désirée de données"),
    "3.4": _t("Risk: data disappearance", "Risque : disparition de données"),
    "pia": _t("The PIA", "Le PIA"),
    "pia.name": _t("Name of the PIA", "Nom du PIA"),
    "pia.status": _t("Status of the PIA", "Statut du PIA"),
    "pia.category": _t("Category", "Catégorie"),
    "pia.author_name": _t("Author", "Rédacteur"),
    "pia.evaluator_name": _t("Evaluator", "Évaluateur"),
    "pia.validator_name": _t("Validator", "Valideur"),
    "pia.dpos_names": _t("DPO's name", "Nom du DPD"),
    "pia.dpo_status": _t("DPO's opinion (status)", "Avis du DPD (statut)"),
    "pia.concerned_people_status": _t("Concerned people's opinion (status)",
                                      "Avis des personnes concernées (statut)"),
    "pia.rejection_reason": _t("Reason for rejection", "Motif du refus"),
    "pia.applied_adjustments": _t("Adjustments applied", "Modifications apportées"),
    "pia.dpo_opinion": _t("DPO's opinion", "Avis du DPD"),
    "pia.people_names": _t("Concerned people", "Personnes concernées"),
    "pia.concerned_people_opinion": _t("Concerned people's opinion", "Avis des personnes concernées"),
    "pia.concerned_people_searched_content": _t("Why the concerned people's opinion was not sought",
                                                "Motif de l'absence de recueil de l'avis des personnes concernées"),
}
_RISK_PART_TITLES = {
    "impacts": _t("impacts on the data subjects", "impacts sur les personnes concernées"),
    "threats": _t("threats", "menaces"), "sources": _t("risk sources", "sources de risques"),
    "measures": _t("controls that address the risk", "mesures qui traitent le risque"),
    "severity": _t("severity", "gravité"), "likelihood": _t("likelihood", "vraisemblance"),
}
for _kind, _n in RISK_ITEMS.items():
    for _part_n, _part in RISK_PARTS.items():
        _risk = PLACES[f"3.{_n}"]
        PLACES[f"3{_n}{_part_n}"] = {lang: f"{_risk[lang]} — {_RISK_PART_TITLES[_part][lang]}" for lang in ("en", "fr")}

# Words that the file itself carries (not the user interface): in the language of the version or import.
PHRASES = {
    "pia_status": {0: _t("In progress", "En cours"), 1: _t("Rejected", "Refusé"),
                   2: _t("Simple validation", "Validation simple"), 3: _t("Signed validation", "Validation signée"),
                   4: _t("Archived", "Archivé"), 5: _t("Waiting for validation", "En attente de validation")},
    "opinion": {0: _t("Unfavourable: the processing should not be carried out",
                      "Défavorable : le traitement ne devrait pas être mis en œuvre"),
                1: _t("Favourable: the processing can be carried out",
                      "Favorable : le traitement peut être mis en œuvre")},
    "evaluation": {0: _t("Pending", "En attente"), 1: _t("To be corrected", "À corriger"),
                   2: _t("Improvable", "Améliorable"), 3: _t("Acceptable", "Acceptable")},
    "other_risk": _t("A risk assessed in the DPIA workbench that is not one of the CNIL PIA's three risks",
                     "Un risque évalué dans l'atelier AIPD qui ne fait pas partie des trois risques du PIA de la CNIL"),
    "due": _t("Due date", "Échéance"), "in_charge": _t("Person in charge", "Responsable"),
}


def _say(phrase: dict[str, str], language: str) -> str:
    return phrase.get(language) or phrase["en"]


def _colon(language: str) -> str:
    return " : " if language == "fr" else ": "  # French typography spaces the colon


@dataclass(frozen=True)
class Slot:
    """One CNIL text answer. `question` is ours and maps both ways; `extras` are our other answers written
    under a line for the CNIL reader (export only: a question id, or an item list with the fields to show)."""

    ref: int
    question: str | None = None
    extras: tuple[str | tuple[str, tuple[str, ...]], ...] = ()


SLOTS: tuple[Slot, ...] = (
    Slot(111, "project.summary", (
        "project.stage", "project.technologies", "project.technologies_other", "project.area", "project.places",
        "project.duration", "project.start_date", "project.end_date", "project.operation",
        "project.operation_details", "project.people_affected", "project.camera_count",
        "project.other_sensor_count", "project.scale_estimate", "project.locations", "project.site_selection")),
    Slot(112, "project.controller", (
        "project.joint_controllers", "project.joint_controllers_details", "project.competent_authority",
        "project.competent_authority_legal_act", ("streams.list", ("name", "controller", "controller_kind")),
        ("project.vendors", ("name", "role")))),
    Slot(113, None, ("project.documents", "legality.legal_provision", "legality.instrument_kind")),
    Slot(121, None, (
        ("streams.list", ("name", "data_categories", "data_subjects")), "streams.special_categories_detail",
        "streams.anonymisation_claim", "streams.anonymisation_method")),
    Slot(122, None, (
        ("streams.list", ("name", "purpose", "technologies", "sources", "recipients", "retention_days",
                          "new_filing_system")),
        "streams.cross_stream_flows", "project.reuse_existing", "project.reuse_details")),
    Slot(123, "project.technology_details", (("project.vendors", ("name", "service", "role", "data_location")),)),
    Slot(211, "project.purposes", (
        ("streams.list", ("name", "purpose_kind")), "necessity.problem", "necessity.objective",
        "necessity.success_indicators")),
    Slot(212, None, (
        "legality.gdpr_basis", "legality.gdpr_basis_reasoning", "legality.led_task_necessity",
        "legality.legal_provision", "legality.instrument_kind", "legality.provision_specificity",
        "legality.law_published", "legality.competence", "legality.gdpr_special_exception",
        "legality.criminal_data_basis", "legality.led_special_condition")),
    Slot(213, "necessity.minimisation"),
    Slot(214, "necessity.accuracy_evidence", ("ai_act.input_data_quality",)),
    Slot(215, "streams.retention_by_category", (
        "necessity.retention_reasons", "necessity.deletion_mechanism",
        ("streams.list", ("name", "retention_days", "retention_fixed")))),
    Slot(221, None, (
        "rights.information_layers", "rights.notice_contents", "rights.sign_wording",
        "rights.information_restricted", "rights.information_restriction_basis")),
    Slot(222, None, ("legality.gdpr_basis", "legality.consent_free")),
    Slot(223, "rights.exercise_procedure"),
    Slot(224, None, ("necessity.deletion_mechanism",)),
    Slot(225, None, (
        "rights.restrictions", "rights.restrictions_detail", "legality.objections", "rights.automated_decisions",
        "rights.automated_decisions_safeguards")),
    Slot(226, None, (("project.vendors", ("name", "service", "role", "contract_art28", "contract_details")),)),
    Slot(227, None, (("project.vendors", (
        "name", "country", "data_location", "remote_access", "third_country_access", "transfer_safeguard")),)),
)
SLOT_BY_REF = {slot.ref: slot for slot in SLOTS}
KNOWN_REFS = set(SLOT_BY_REF) | {300 + 10 * n + part for n in RISK_ITEMS.values() for part in RISK_PARTS}

# Our answers that come back equal after an export and an import (the round trip), besides the items of
# risks.list, measures.residual and measures.list described in CNIL_PIA_FORMAT.md.
ROUND_TRIP_QUESTIONS = tuple(s.question for s in SLOTS if s.question) + (
    "project.name", "rights.consultation", "rights.consultation_method", "rights.consultation_results",
    "rights.consultation_not_done_reason", "rights.dpo_advice")


# ---------------------------------------------------------------------------------------------
# Text: our answers are plain text; the CNIL tool writes rich text (HTML) in its answers.
# ---------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z!/]")
_PARAGRAPH = "\x1e"  # a control character: the extractor removes every one from the text it reads


def text_to_html(text: str) -> str:
    """Plain text as the CNIL's rich-text answers hold it: a paragraph per blank-line block, <br /> per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    return "".join("<p>" + "<br />".join(escape(line, quote=False) for line in paragraph.split("\n")) + "</p>"
                   for paragraph in re.split(r"\n\s*\n", text))


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "ul", "ol", "table", "blockquote", "pre", "section", "article", "header", "footer",
              "h1", "h2", "h3", "h4", "h5", "h6", "dl", "figure"}
    LINES = {"br", "tr", "dt", "dd"}
    HIDDEN = {"script", "style", "template", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[list[str]] = [[]]
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "hr":
            self.segments.append([])
        elif tag in self.BLOCKS:
            self.segments[-1].append(_PARAGRAPH)
        elif tag == "li":
            self.segments[-1].append("\n- ")
        elif tag in self.LINES:
            self.segments[-1].append("\n")
        elif tag in ("td", "th"):
            self.segments[-1].append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag not in self.HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.segments[-1].append(_PARAGRAPH)

    def handle_data(self, data):
        if not self.hidden:  # in HTML, a run of white space is one space
            self.segments[-1].append(re.sub(r"\s+", " ", _CONTROL.sub("", data)))


def _tidy(text: str) -> str:
    """Lines stripped, at most one blank line in a row, paragraphs (marked by _PARAGRAPH) a blank line apart."""
    paragraphs = []
    for block in text.split(_PARAGRAPH):
        lines = [re.sub(r"[ \t]+", " ", line).strip() for line in _CONTROL.sub("", block).split("\n")]
        if block := re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip():
            paragraphs.append(block)
    return "\n\n".join(paragraphs)


def html_to_text(html: str) -> list[str]:
    """Rich text as plain text, in parts cut at each horizontal rule (<hr>)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return [_tidy("".join(parts)) for parts in parser.segments]


def _plain(value: str | None) -> str:
    """A text field that is plain in the CNIL tool, read defensively: converted if it holds markup."""
    if not value:
        return ""
    if _LOOKS_LIKE_HTML.search(value):
        return "\n\n".join(part for part in html_to_text(value) if part)
    return _tidy(value.replace("\r\n", "\n").replace("\r", "\n"))


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()] if isinstance(text, str) else []


# ---------------------------------------------------------------------------------------------
# Out: a version's content -> a CNIL PIA
# ---------------------------------------------------------------------------------------------


def _display(question: Question, value: Any, language: str) -> str:
    """An answer as a reader sees it; values a published version redacted ("[redacted]") are shown as they are."""
    if value is None or value == "" or value == []:
        return ""
    if question.type == "multiple_choice" and not isinstance(value, list):
        return str(value)
    if question.type == "items":
        return ""
    return question.display(value, language)


def _describe(bank: QuestionBank, answers: Mapping[str, Any], entry, language: str,
              streams: Mapping[str, str]) -> tuple[str, list[str]] | None:
    """(label, lines) for one of our answers written under the line of a CNIL answer, or None if unanswered."""
    question_id, fields = (entry, None) if isinstance(entry, str) else entry
    question = bank.questions.get(question_id)
    value = answers.get(question_id)
    if question is None or value in (None, "", [], {}):
        return None
    if fields is not None:
        lines = []
        for item in value if isinstance(value, list) else []:
            if not isinstance(item, Mapping):
                continue
            shown = [(f, _display(f, item.get(f.id), language)) for f in (question.field(i) for i in fields) if f]
            shown = [(f, text) for f, text in shown if text]
            if shown:
                head, *rest = shown
                lines.append(head[1].replace("\n", " ") + "".join(
                    f" — {f.label.get(language)}: {text}".replace("\n", " ") for f, text in rest))
    elif question.per_item and isinstance(value, Mapping):
        lines = [f"{streams.get(key, key)}: {_display(question, item, language)}".replace("\n", " ")
                 for key, item in value.items() if _display(question, item, language)]
    else:
        lines = _display(question, value, language).split("\n")
    return (question.label.get(language), lines) if any(lines) else None


def _level(value: Any) -> int:
    return LEVELS.index(value) + 1 if value in LEVELS else 0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _items(answers: Mapping[str, Any], question_id: str) -> list[Mapping]:
    value = answers.get(question_id)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _noon(value: Any) -> str | None:
    # Noon UTC is the same calendar day wherever the CNIL tool shows it; midnight would be the day before
    # for anyone west of Greenwich.
    try:
        return date.fromisoformat(value).isoformat() + "T12:00:00.000Z" if isinstance(value, str) else None
    except ValueError:
        return None


def to_cnil_pia(content: Mapping[str, Any], bank: QuestionBank) -> dict[str, Any]:
    """The CNIL PIA export of a version's content (or of a publication's redacted content)."""
    language = content.get("language") if content.get("language") in ("en", "fr") else "en"
    answers = bank.applicable_answers(content.get("answers") or {})
    stamp = str(content.get("created_at") or "")
    streams = {i.get("key"): _str(i.get("name")) or i.get("key") for i in _items(answers, "streams.list")}
    out: dict[str, list] = {"answers": [], "measures": [], "evaluations": [], "comments": []}

    def add(kind: str, **record) -> None:
        out[kind].append({"id": len(out[kind]) + 1, "pia_id": PIA_ID, **record,
                          "created_at": stamp, "updated_at": stamp})

    def answer(ref: int, *, text: str | None = None, gauge: int | None = None, items: list[str] | None = None):
        add("answers", reference_to=ref, data={"text": text, "gauge": gauge, "list": items or []})

    for slot in SLOTS:
        html = text_to_html(_str(answers.get(slot.question))) if slot.question else ""
        extras = [d for d in (_describe(bank, answers, e, language, streams) for e in slot.extras) if d]
        if extras:
            html += "<hr />" + "".join(f"<p><strong>{escape(label, quote=False)}</strong><br />"
                                       + "<br />".join(escape(line, quote=False) for line in lines) + "</p>"
                                       for label, lines in extras)
        if html:
            answer(slot.ref, text=html, gauge=0)

    risks, residuals = _items(answers, "risks.list"), _items(answers, "measures.residual")
    measures = _items(answers, "measures.list")
    for kind, n in RISK_ITEMS.items():
        ref = 300 + 10 * n
        scenarios = [r for r in risks if r.get("risk") == kind]
        if scenarios:
            answer(ref + 1, items=[line for r in scenarios for line in _lines(r.get("impacts"))])
            answer(ref + 2, items=[_str(r.get("title")) for r in scenarios if _str(r.get("title"))])
            answer(ref + 3, items=[line for r in scenarios for line in _lines(r.get("sources"))])
            reasons = "\n\n".join(_str(r.get("justification")) for r in scenarios if _str(r.get("justification")))
            # Several of our scenarios of one kind are one CNIL risk: it takes the highest levels.
            answer(ref + 5, text=text_to_html(reasons), gauge=max(_level(r.get("severity")) for r in scenarios))
            answer(ref + 6, text="", gauge=max(_level(r.get("likelihood")) for r in scenarios))
        titles = [_str(m.get("title")) for m in measures
                  if isinstance(m.get("addresses"), list) and kind in m["addresses"] and _str(m.get("title"))]
        if titles:
            answer(ref + 4, items=titles)
        remaining = [r for r in residuals if r.get("risk") == kind]
        if remaining:
            add("evaluations", reference_to=f"3.{n}", status=0, global_status=0,
                gauges={"x": max(_level(r.get("residual_severity")) for r in remaining),
                        "y": max(_level(r.get("residual_likelihood")) for r in remaining)},
                evaluation_comment=text_to_html("\n\n".join(_str(r.get("justification")) for r in remaining)),
                action_plan_comment="", estimated_implementation_date=None, person_in_charge=None)

    status_field = bank.question("measures.list").field("status")
    for index, measure in enumerate(measures, start=1):
        add("measures", title=_str(measure.get("title")), content=text_to_html(_str(measure.get("description"))),
            placeholder="measures.default_placeholder")
        # In the CNIL's action plan, a measure still to do is one its evaluation calls improvable (2).
        status = {"in_place": 3, "planned": 2}.get(measure.get("status"), 0)
        owner, due = _str(measure.get("owner")), _noon(measure.get("due_date"))
        if status or owner or due:
            add("evaluations", reference_to=f"3.1.{index}", status=status, global_status=2 if status else 0,
                gauges={"x": 0, "y": 0}, evaluation_comment="",
                action_plan_comment=status_field.choice_label("planned", language) if status == 2 else "",
                estimated_implementation_date=due, person_in_charge=owner or None)

    for risk in risks:
        if risk.get("risk") not in RISK_ITEMS:
            add("comments", reference_to=OTHER_RISKS_REFERENCE, for_measure=False,
                description=_other_risk(bank, risk, residuals, language))

    workflow = content.get("workflow") if isinstance(content.get("workflow"), Mapping) else {}
    advice = workflow.get("dpo_advice") if isinstance(workflow.get("dpo_advice"), Mapping) else {}
    title = _str((content.get("assessment") or {}).get("title"))
    return {
        "pia": {
            "id": PIA_ID, "name": _str(answers.get("project.name")) or title, "category": "",
            "status": 3 if workflow.get("signed_by") else 0,
            "author_name": _str((content.get("assessment") or {}).get("organisation")),
            "evaluator_name": "", "validator_name": _str(workflow.get("signed_by")),
            "dpo_status": None, "dpos_names": _str(advice.get("dpo")),
            # The advice the DPO gave in the workflow (sealed when signed) comes before the questionnaire's.
            "dpo_opinion": _str(advice.get("advice")) or _str(answers.get("rights.dpo_advice")),
            "people_names": _str(answers.get("rights.consultation_method")),
            "concerned_people_opinion": _str(answers.get("rights.consultation_results")),
            "concerned_people_status": None,
            "concerned_people_searched_content": _str(answers.get("rights.consultation_not_done_reason")),
            "rejection_reason": "", "applied_adjustments": "", "progress": 0, "is_example": 0, "is_archive": 0,
            "structure_id": None, "created_at": stamp, "updated_at": stamp,
            # true, false, or null for "don't know"; left out when the question is not answered
            **({"concerned_people_searched_opinion": {"yes": True, "no": False}.get(consulted)}
               if (consulted := answers.get("rights.consultation")) else {}),
        },
        **out,
    }


def _other_risk(bank: QuestionBank, risk: Mapping, residuals: list[Mapping], language: str) -> str:
    question = bank.question("risks.list")
    residual_question = bank.question("measures.residual")
    colon = _colon(language)
    lines = [f"{_say(PHRASES['other_risk'], language)}{colon}"
             f"{question.field('risk').choice_label(_str(risk.get('risk')), language)} — {_str(risk.get('title'))}"]
    for field_id in ("severity", "likelihood", "impacts", "sources", "justification"):
        if text := _display(question.field(field_id), risk.get(field_id), language):
            lines.append(f"{question.field(field_id).label.get(language)}{colon}{text}")
    for residual in residuals:
        if residual.get("risk") == risk.get("risk"):
            lines += [f"{residual_question.field(f).label.get(language)}{colon}{text}"
                      for f in ("residual_severity", "residual_likelihood", "justification")
                      if (text := _display(residual_question.field(f), residual.get(f), language))]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# In: bytes -> JSON value, with the limits that make a hostile file harmless
# ---------------------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:  # two values for one key: which one a reader takes is undefined
            raise CnilPiaError("duplicate_key", where="(file)", key=key[:80])
        result[key] = value
    return result


def _no_constant(name: str):
    raise CnilPiaError("bad_number", where="(file)")


def parse_cnil_pia(raw: bytes) -> Any:
    """The JSON value of an uploaded file, refused (CnilPiaError) when too large, not UTF-8, not JSON, or
    with values no CNIL PIA holds: NaN, duplicate keys, deep nesting, huge or invalid strings."""
    if len(raw) > MAX_BYTES:
        raise CnilPiaError("too_large", limit=MAX_BYTES // (1024 * 1024))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CnilPiaError("not_utf8") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except RecursionError:
        raise CnilPiaError("too_deep", limit=MAX_DEPTH) from None
    except CnilPiaError:
        raise
    except json.JSONDecodeError as exc:
        raise CnilPiaError("not_json", line=exc.lineno, column=exc.colno) from None
    except ValueError:  # an integer with more digits than Python converts
        raise CnilPiaError("bad_number", where="(file)") from None
    check_values(data)
    return data


def check_values(data: Any) -> None:
    """Walk the whole value (without recursion) and refuse what could harm storage or display."""
    stack: list[tuple[Any, int, str]] = [(data, 0, "")]
    while stack:
        value, depth, where = stack.pop()
        if depth > MAX_DEPTH:
            raise CnilPiaError("too_deep", limit=MAX_DEPTH)
        if isinstance(value, str):
            _check_string(value, where or "(file)")
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if value.bit_length() > 63:
                raise CnilPiaError("bad_number", where=where or "(file)")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise CnilPiaError("bad_number", where=where or "(file)")
        elif isinstance(value, Mapping):
            if len(value) > MAX_ENTRIES:
                raise CnilPiaError("too_many", where=where or "(file)", limit=MAX_ENTRIES)
            for key, item in value.items():
                if not isinstance(key, str):
                    raise CnilPiaError("wrong_type", where=where or "(file)", expected="text")
                _check_string(key, where or "(file)")
                stack.append((item, depth + 1, f"{where}.{key[:40]}" if where else key[:40]))
        elif isinstance(value, list | tuple):
            if len(value) > MAX_ENTRIES:
                raise CnilPiaError("too_many", where=where or "(file)", limit=MAX_ENTRIES)
            stack.extend((item, depth + 1, f"{where}[{index}]") for index, item in enumerate(value))
        else:
            raise CnilPiaError("wrong_type", where=where or "(file)", expected="JSON")


def _check_string(value: str, where: str) -> None:
    if len(value) > MAX_STRING:
        raise CnilPiaError("too_long", where=where, limit=MAX_STRING)
    if "\x00" in value:  # PostgreSQL cannot store it, and nothing legitimate contains it
        raise CnilPiaError("nul", where=where)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" escapes decode to lone surrogates, which no database takes
        raise CnilPiaError("surrogate", where=where) from None


# ---------------------------------------------------------------------------------------------
# In: the shape of a CNIL PIA
# ---------------------------------------------------------------------------------------------


def _object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CnilPiaError("wrong_type", where=where, expected="object")
    return value


def _list(container: Mapping[str, Any], key: str, where: str) -> list:
    if key not in container:
        raise CnilPiaError("missing", where=where)
    if not isinstance(container[key], list):
        raise CnilPiaError("wrong_type", where=where, expected="list")
    return container[key]


def _text(container: Mapping[str, Any], key: str, where: str) -> str:
    value = container.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise CnilPiaError("wrong_type", where=f"{where}.{key}", expected="text")
    return value


def _integer(container: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int | None:
    """A small integer, as the CNIL tool writes it (a number, or digits when it came through a form)."""
    value = container.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 10:
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise CnilPiaError("wrong_type", where=f"{where}.{key}", expected="number")
    if not low <= value <= high:
        raise CnilPiaError("out_of_range", where=f"{where}.{key}", value=value, low=low, high=high)
    return value


def _reference(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value).strip() == "":
        raise CnilPiaError("wrong_type", where=where, expected="reference")
    return str(value).strip()[:40]


@dataclass
class _Answer:
    ref: str
    text: str
    gauge: int | None
    items: list[str]


@dataclass
class _Evaluation:
    ref: str
    status: int
    gauges: tuple[int, int] | None
    comment: str
    action_plan: str
    due: str
    in_charge: str


def _shape(data: Any):
    root = _object(data, "(file)")
    if "pia" not in root:
        raise CnilPiaError("missing", where="pia")
    pia = _object(root["pia"], "pia")
    answers = []
    for index, raw in enumerate(_list(root, "answers", "answers")):
        where = f"answers[{index}]"
        raw = _object(raw, where)
        if "reference_to" not in raw:
            raise CnilPiaError("missing", where=f"{where}.reference_to")
        body = _object(raw.get("data") or {}, f"{where}.data")
        items = body.get("list") or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise CnilPiaError("wrong_type", where=f"{where}.data.list", expected="list of texts")
        ref = _reference(raw["reference_to"], f"{where}.reference_to")
        answers.append(_Answer(ref=str(int(ref)) if ref.isdigit() else ref,
                               text=_text(body, "text", f"{where}.data"),
                               gauge=_integer(body, "gauge", f"{where}.data", 0, 4), items=items))
    measures = []
    for index, raw in enumerate(_list(root, "measures", "measures")):
        where = f"measures[{index}]"
        raw = _object(raw, where)
        measure_id = raw.get("id") if raw.get("id") is not None else index
        measures.append((_reference(measure_id, f"{where}.id"), _text(raw, "title", where),
                         _text(raw, "content", where)))
    evaluations = []
    for index, raw in enumerate(_list(root, "evaluations", "evaluations")):
        where = f"evaluations[{index}]"
        raw = _object(raw, where)
        gauges = raw.get("gauges")
        if gauges is not None:
            gauges = _object(gauges, f"{where}.gauges")
            gauges = (_integer(gauges, "x", f"{where}.gauges", 0, 4) or 0,
                      _integer(gauges, "y", f"{where}.gauges", 0, 4) or 0)
        _integer(raw, "global_status", where, 0, 2)
        evaluations.append(_Evaluation(
            ref=_reference(raw.get("reference_to"), f"{where}.reference_to"),
            status=_integer(raw, "status", where, 0, 3) or 0, gauges=gauges,
            comment=_text(raw, "evaluation_comment", where), action_plan=_text(raw, "action_plan_comment", where),
            due=_text(raw, "estimated_implementation_date", where), in_charge=_text(raw, "person_in_charge", where)))
    comments = []
    for index, raw in enumerate(_list(root, "comments", "comments")):
        where = f"comments[{index}]"
        raw = _object(raw, where)
        if raw.get("for_measure") not in (None, True, False, 0, 1):
            raise CnilPiaError("wrong_type", where=f"{where}.for_measure", expected="boolean")
        comments.append((_reference(raw.get("reference_to"), f"{where}.reference_to"),
                         _text(raw, "description", where), bool(raw.get("for_measure"))))
    return pia, answers, measures, evaluations, comments


# ---------------------------------------------------------------------------------------------
# In: a CNIL PIA -> our answers, and notes for the rest
# ---------------------------------------------------------------------------------------------


class _Import:
    def __init__(self, bank: QuestionBank, language: str):
        self.bank = bank
        self.language = language
        self.answers: dict[str, Any] = {}
        self.notes: list[dict[str, Any]] = []

    def note(self, where: str, text: str, reason: str, *, place: dict[str, str] | None = None, **params) -> None:
        if text:
            self.notes.append({"where": where, "place": place or PLACES.get(where) or _t(f"Question {where}",
                                                                                           f"Question {where}"),
                               "reason": reason, "text": text, "params": params})

    def fits(self, question: Question, text: str, where: str) -> bool:
        """Whether a text fits the question; if not, it is kept whole as a note rather than cut."""
        limit = question.max_length
        if limit and len(text) > limit:
            self.note(where, text, "too_long", question=question.id, limit=limit)
            return False
        return True

    def put(self, question_id: str, text: str, where: str) -> None:
        if text and self.fits(self.bank.question(question_id), text, where):
            self.answers[question_id] = text

    def field(self, question_id: str, field_id: str, text: str, where: str) -> str | None:
        field = self.bank.question(question_id).field(field_id)
        return text if text and self.fits(field, text, where) else None


def from_cnil_pia(data: Any, bank: QuestionBank, *, language: str = "en") -> tuple[dict[str, Any], list[dict]]:
    """Our answers from a CNIL PIA, and notes that keep what has no place in the questionnaire. Refuses
    (CnilPiaError) anything that is not the CNIL tool's export format."""
    check_values(data)
    pia, answers, measures, evaluations, comments = _shape(data)
    language = language if language in ("en", "fr") else "en"
    job = _Import(bank, language)
    _import_pia(job, pia)
    # A PIA written on a custom structure numbers its own questions: our mapping of ids would be wrong.
    custom = bool(pia.get("structure_id")) or bool(pia.get("structure_data"))
    by_ref: dict[str, _Answer] = {}
    for answer in answers:
        text = " / ".join(part for part in [*html_to_text(answer.text), *map(_plain, answer.items)] if part)
        if custom:
            job.note(answer.ref, text, "custom_structure")
        elif answer.ref in by_ref:
            job.note(answer.ref, text, "duplicate")
        elif not answer.ref.isdigit() or int(answer.ref) not in KNOWN_REFS:
            job.note(answer.ref, text, "unknown_reference")
        else:
            by_ref[answer.ref] = answer
    for ref, answer in by_ref.items():
        if int(ref) in SLOT_BY_REF:
            _import_slot(job, SLOT_BY_REF[int(ref)], answer)
    titles = _import_measures(job, measures, evaluations)
    handled = {f"3.1.{measure_id}" for measure_id, _ in titles}
    if not custom:
        _import_risks(job, by_ref, evaluations)
        handled |= {f"3.{n}" for n in RISK_ITEMS.values()}
    for evaluation in evaluations:
        if evaluation.ref not in handled:
            _note_evaluation(job, evaluation, PLACES.get(evaluation.ref) or PLACES.get(evaluation.ref.split(".")[-1]))
    names = dict(titles)
    for ref, description, for_measure in comments:
        place = _t(names[ref], names[ref]) if for_measure and names.get(ref) else PLACES.get(ref)
        job.note(ref, _plain(description), "comment", place=place)
    for measure in job.answers.get("measures.list", []):
        del measure["cnil_title"]
        if not measure["addresses"]:
            del measure["addresses"]  # left for the author to tick
    return job.answers, job.notes


def _import_pia(job: _Import, pia: Mapping[str, Any]) -> None:
    name = _plain(_text(pia, "name", "pia"))
    limit = job.bank.question("project.name").max_length or 300
    if len(name) > limit:
        job.note("pia.name", name, "too_long", question="project.name", limit=limit)
        name = name[: limit - 1].rstrip() + "…"
    if name:
        job.answers["project.name"] = name
    if (opinion := _plain(_text(pia, "dpo_opinion", "pia"))) and job.fits(
            job.bank.question("rights.dpo_advice"), opinion, "pia.dpo_opinion"):
        job.answers.update({"rights.dpo_advice": opinion, "rights.dpo_advice_sought": "yes"})
    searched = pia.get("concerned_people_searched_opinion", "absent")
    if searched != "absent":
        if searched not in (True, False, None, 0, 1):
            raise CnilPiaError("wrong_type", where="pia.concerned_people_searched_opinion", expected="boolean")
        job.answers["rights.consultation"] = {True: "yes", False: "no", None: "unknown"}[
            None if searched is None else bool(searched)]
    job.put("rights.consultation_method", _plain(_text(pia, "people_names", "pia")), "pia.people_names")
    job.put("rights.consultation_results", _plain(_text(pia, "concerned_people_opinion", "pia")),
            "pia.concerned_people_opinion")
    job.put("rights.consultation_not_done_reason", _plain(_text(pia, "concerned_people_searched_content", "pia")),
            "pia.concerned_people_searched_content")
    if status := _integer(pia, "status", "pia", 0, 5):  # 0, "in progress", is every draft's
        job.note("pia.status", _say(PHRASES["pia_status"][status], job.language), "pia_field")
    for key in ("dpo_status", "concerned_people_status"):
        if (value := _integer(pia, key, "pia", 0, 1)) is not None:
            job.note(f"pia.{key}", _say(PHRASES["opinion"][value], job.language), "pia_field")
    for key in ("author_name", "evaluator_name", "validator_name", "dpos_names", "category", "rejection_reason",
                "applied_adjustments"):
        job.note(f"pia.{key}", _plain(_text(pia, key, "pia")), "pia_field")


def _import_slot(job: _Import, slot: Slot, answer: _Answer) -> None:
    where = str(slot.ref)
    parts = html_to_text(answer.text)
    # Our exports write our other answers under a line (<hr>); above it is the answer itself.
    main, below = (parts[0], [p for p in parts[1:] if p]) if slot.question else ("", [p for p in parts if p])
    below += [p for p in map(_plain, answer.items) if p]
    if slot.question:
        job.put(slot.question, main, where)
    for part in below:
        job.note(where, part, "below_line" if slot.question else "no_counterpart")


def _import_measures(job: _Import, measures, evaluations: list[_Evaluation]) -> list[tuple[str, str]]:
    """measures.list from the CNIL's measures and the action plan of their evaluations ("3.1.<id>"); returns
    (CNIL id, title) of each measure imported."""
    question = job.bank.question("measures.list")
    planned_labels = {c.label.get(lang) for c in question.field("status").choices if c.value == "planned"
                      for lang in ("en", "fr")}
    by_ref = {e.ref: e for e in evaluations}
    items, titles = [], []
    for measure_id, raw_title, raw_content in measures:
        where = f"3.1.{measure_id}"
        title, description = _plain(raw_title), "\n\n".join(p for p in html_to_text(raw_content) if p)
        place = _t(title or where, title or where)
        if not title and not description:
            continue
        if len(items) >= question.max_items:
            job.note(where, "\n\n".join(p for p in (title, description) if p), "too_many", place=place,
                     limit=question.max_items)
            continue
        limit = question.field("title").max_length or 200
        if len(title) > limit:
            job.note(where, title, "too_long", place=place, question="measures.list", limit=limit)
        short = title if len(title) <= limit else title[: limit - 1].rstrip() + "…"
        item: dict[str, Any] = {"key": f"m{len(items) + 1}", "addresses": [], "cnil_title": title,
                                "title": short or f"{question.item_label.get(job.language)} {len(items) + 1}"}
        if text := job.field("measures.list", "description", description, where):
            item["description"] = text
        evaluation = by_ref.get(where)
        if evaluation is not None:
            if evaluation.status:
                item["status"] = "in_place" if evaluation.status == 3 else "planned"
            if owner := job.field("measures.list", "owner", _plain(evaluation.in_charge), where):
                item["owner"] = owner
            if evaluation.due and (due := _date(evaluation.due)) is None:
                job.note(where, evaluation.due, "invalid_date", place=place)
            elif evaluation.due:
                item["due_date"] = due
            if _plain(evaluation.action_plan) in planned_labels:
                evaluation = _Evaluation(**{**evaluation.__dict__, "action_plan": ""})  # our own export's mark
            _note_evaluation(job, evaluation, place, with_status=False)
        items.append(item)
        titles.append((measure_id, title))
    if items:
        job.answers["measures.list"] = items
    return titles


def _date(value: str) -> str | None:
    """The calendar day of a date the CNIL tool saved: a local midnight written in UTC, so round to the
    nearest midnight (a tie, our own noon, stays on its day)."""
    value = value.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return (moment + timedelta(hours=12) - timedelta(microseconds=1)).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _import_risks(job: _Import, by_ref: dict[str, _Answer], evaluations: list[_Evaluation]) -> None:
    risk_question, residual_question = job.bank.question("risks.list"), job.bank.question("measures.residual")
    risks, residuals = [], []
    measures = job.answers.get("measures.list", [])
    by_eval = {e.ref: e for e in evaluations}
    for kind, n in RISK_ITEMS.items():
        ref = 300 + 10 * n
        parts = {part: by_ref.get(str(ref + part_n)) for part_n, part in RISK_PARTS.items()}

        def listed(part: str, parts=parts) -> list[str]:
            answer = parts[part]
            return [p for p in map(_plain, answer.items) if p] if answer else []

        for title in listed("measures"):
            named = [m for m in measures if m["cnil_title"] == title]
            for measure in named:
                if kind not in measure["addresses"]:
                    measure["addresses"].append(kind)
            if not named:
                job.note(str(ref + 4), title, "unmatched_measure")
        severity, likelihood = parts["severity"], parts["likelihood"]
        if any(parts[p] for p in ("impacts", "threats", "sources", "severity", "likelihood")):
            where = f"3.{n}"
            item: dict[str, Any] = {"key": kind, "risk": kind}
            threats = "; ".join(listed("threats"))
            default = risk_question.field("risk").choice_label(kind, job.language)
            item["title"] = job.field("risks.list", "title", threats, str(ref + 2)) or default
            for part in ("impacts", "sources"):
                if text := job.field("risks.list", part, "\n".join(listed(part)), str(ref + RISK_PARTS_N[part])):
                    item[part] = text
            for part, answer in (("severity", severity), ("likelihood", likelihood)):
                if answer and answer.gauge:
                    item[part] = LEVELS[answer.gauge - 1]
            reasons = "\n\n".join(p for a in (severity, likelihood) if a for p in html_to_text(a.text) if p)
            if text := job.field("risks.list", "justification", reasons, where):
                item["justification"] = text
            risks.append(item)
        evaluation = by_eval.get(f"3.{n}")
        if evaluation is None:
            continue
        x, y = evaluation.gauges or (0, 0)
        comment = "\n\n".join(p for p in html_to_text(evaluation.comment) if p)
        if x and y:
            residual: dict[str, Any] = {"key": f"r-{kind}", "risk": kind, "residual_severity": LEVELS[x - 1],
                                        "residual_likelihood": LEVELS[y - 1]}
            if text := job.field("measures.residual", "justification", comment, f"3.{n}"):
                residual["justification"] = text
            residuals.append(residual)
            evaluation = _Evaluation(**{**evaluation.__dict__, "comment": ""})
        elif x or y:
            job.note(f"3.{n}", f"x={x}, y={y}", "partial_gauges")
        _note_evaluation(job, evaluation, PLACES[f"3.{n}"])
    if risks:
        job.answers["risks.list"] = risks[: risk_question.max_items]
    if residuals:
        job.answers["measures.residual"] = residuals[: residual_question.max_items]


def _note_evaluation(job: _Import, evaluation: _Evaluation, place: dict[str, str] | None, *,
                     with_status: bool = True) -> None:
    """An evaluator's judgement has no place in a draft: keep it for the author to read."""
    status = _say(PHRASES["evaluation"][evaluation.status], job.language) if with_status and evaluation.status else ""
    comment = "\n\n".join(p for p in html_to_text(evaluation.comment) if p)
    job.note(evaluation.ref, "\n\n".join(p for p in (status, comment) if p), "evaluation", place=place)
    job.note(evaluation.ref, "\n\n".join(p for p in html_to_text(evaluation.action_plan) if p), "action_plan",
             place=place)
    if not evaluation.ref.startswith("3.1."):
        colon = _colon(job.language)
        lines = [f"{_say(PHRASES['in_charge'], job.language)}{colon}{_plain(evaluation.in_charge)}"
                 if evaluation.in_charge else "",
                 f"{_say(PHRASES['due'], job.language)}{colon}{_date(evaluation.due) or evaluation.due}"
                 if evaluation.due else ""]
        job.note(evaluation.ref, "\n".join(line for line in lines if line), "action_plan", place=place)

