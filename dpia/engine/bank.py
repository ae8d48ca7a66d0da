"""The question bank: frozen dataclasses and the loader that validates the TOML files.

The loader reports every error it finds at once (BankError.errors), so a broken bank is fixed in
one pass. Nothing here imports Django: the engine, the wizard and the command line share it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from dpia.engine.conditions import Compare, Condition, ConditionError, evaluate, is_answered, parse_condition

DEFAULT_BANK_DIR = Path(__file__).resolve().parent.parent / "questionbank"
LANGUAGES = ("en", "fr")

QUESTION_TYPES = (
    "yes_no_unknown", "single_choice", "multiple_choice", "short_text", "long_text",
    "number", "date", "items",
)
CHOICE_TYPES = ("single_choice", "multiple_choice")
YES_NO_UNKNOWN = ("yes", "no", "unknown")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_MAX_LENGTH = {"short_text": 300, "long_text": 10_000}
DEFAULT_MAX_ITEMS = 30


class BankError(Exception):
    """The bank is invalid; `errors` lists every problem found, each naming its file and id."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the question bank:\n- " + "\n- ".join(errors))


@dataclass(frozen=True)
class Text:
    """A text in every language of the bank."""

    en: str
    fr: str

    def get(self, language: str) -> str:
        return getattr(self, language, None) or self.en

    def to_dict(self) -> dict[str, str]:
        return {"en": self.en, "fr": self.fr}


YES_NO_UNKNOWN_LABELS = {
    "yes": Text("Yes", "Oui"),
    "no": Text("No", "Non"),
    "unknown": Text("Don't know yet", "Je ne sais pas encore"),
}


@dataclass(frozen=True)
class Act:
    code: str
    name: Text
    kind: str  # "law" (articles), "guidance" (sections) or "case" (a judgment or decision)
    articles: frozenset[str]
    recitals: frozenset[str] = frozenset()
    short: Text | None = None  # how a citation names the act ("GDPR" / "RGPD"); the code if absent
    link: ActLink | None = None  # where its official text is read; None only when the bank says there is none

    def cite(self, citation: Citation, language: str) -> CitationLink:
        """The citation as a reader sees it, in `language`, with the address of the official text."""
        short = self.short.get(language) if self.short else self.code
        label = citation.label() if language != "fr" else citation.label_fr()
        if short != self.code:
            label = short + label[len(citation.act):]
        return CitationLink(label, self.link.url(language) if self.link else "")


# EUR-Lex documents no stable anchor for an article (its own linking guide only covers whole
# documents), so a link opens the act and the label names the article.
EUR_LEX = "https://eur-lex.europa.eu/legal-content/{lang}/TXT/?uri=CELEX:{celex}"
HUDOC = "https://hudoc.echr.coe.int/{lang}?i={itemid}"
CELEX_PATTERN = re.compile(r"^[0-9][0-9]{4}[A-Z]{1,2}[0-9A-Z/()]+$")
HUDOC_PATTERN = re.compile(r"^[0-9]{3}-[0-9]+$")


@dataclass(frozen=True)
class ActLink:
    """The official text of an act: a CELEX number (EUR-Lex), a HUDOC item id (ECtHR) or addresses."""

    celex: str = ""
    hudoc: str = ""
    address: Text | None = None

    def url(self, language: str) -> str:
        if self.celex:
            return EUR_LEX.format(lang=language.upper(), celex=self.celex)
        if self.hudoc:
            return HUDOC.format(lang={"fr": "fre"}.get(language, "eng"), itemid=self.hudoc)
        return self.address.get(language) if self.address else ""


@dataclass(frozen=True)
class CitationLink:
    label: str
    url: str  # "" when the bank records that the act has no official text online


@dataclass(frozen=True)
class Citation:
    act: str
    article: str | None = None
    paragraph: str | None = None
    point: str | None = None
    annex: str | None = None
    section: str | None = None
    recital: str | None = None

    def label(self) -> str:
        """Short form used everywhere: 'GDPR Art. 35(3)(c)', 'AI Act Annex III 1(a)', 'GDPR Recital 26'."""
        if self.recital:
            return f"{self.act} Recital {self.recital}"
        if self.annex:
            return f"{self.act} Annex {self.annex}" + (f" {self.point}" if self.point else "")
        if self.section:
            return f"{self.act} §{self.section}"
        if not self.article:
            return self.act
        text = f"{self.act} Art. {self.article}"
        if self.paragraph:
            text += f"({self.paragraph})"
        if self.point:
            text += f"({self.point})"
        return text

    def label_fr(self) -> str:
        """French form: 'GDPR art. 35, § 3, point c)', 'AI Act annexe III, point 1(a)', 'GDPR considérant 26'
        (the act's French short name replaces the code in Act.cite)."""
        nbsp = "\u00a0"
        if self.recital:
            return f"{self.act} considérant{nbsp}{self.recital}"
        if self.annex:
            return f"{self.act} annexe{nbsp}{self.annex}" + (f", point{nbsp}{self.point}" if self.point else "")
        if self.section:
            return f"{self.act}, §{nbsp}{self.section}"
        if not self.article:
            return self.act
        text = f"{self.act} art.{nbsp}{self.article}"
        if self.paragraph:
            text += f", §{nbsp}{self.paragraph}"
        if self.point:
            text += f", point{nbsp}{self.point})"
        return text

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Citation:
        """A citation as sealed in a version (its `label` is recomputed, not trusted)."""
        return cls(**{name: raw.get(name) for name in cls.__dataclass_fields__})

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None} | {"label": self.label()}


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text
    help: Text | None = None
    citations: tuple[Citation, ...] = ()
    exclusive: bool = False  # in a multiple choice, says none of the others applies: ticked alone or not at all


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    label: Text
    help: Text
    citations: tuple[Citation, ...] = ()
    choices: tuple[Choice, ...] = ()
    knowledge: tuple[str, ...] = ()
    sensitive: bool = False
    required: bool = False
    legal: bool = True
    show_if: Condition | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = True
    fields: tuple[Question, ...] = ()  # for "items": the fields of one item
    item_label: Text | None = None
    max_items: int = DEFAULT_MAX_ITEMS
    per_item: str | None = None  # set when the section is asked once per item of a list

    def choice_values(self) -> tuple[str, ...]:
        if self.type == "yes_no_unknown":
            return YES_NO_UNKNOWN
        return tuple(c.value for c in self.choices)

    def exclusive_choices(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices if c.exclusive)

    def field(self, field_id: str) -> Question | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def choice_label(self, value: str, language: str) -> str:
        if self.type == "yes_no_unknown":
            return YES_NO_UNKNOWN_LABELS.get(value, Text(value, value)).get(language)
        choice = next((c for c in self.choices if c.value == value), None)
        return choice.label.get(language) if choice else str(value)

    def display(self, value: Any, language: str) -> str:
        """An answer as a reader sees it: choice labels instead of values, lists joined."""
        if value is None or value == "" or value == []:
            return ""
        if self.type in ("yes_no_unknown", "single_choice"):
            return self.choice_label(str(value), language)
        if self.type == "multiple_choice":
            return "; ".join(self.choice_label(str(v), language) for v in value)
        if self.type == "items":
            rows = []
            for item in value if isinstance(value, list) else []:
                parts = [f.display(item.get(f.id), language) for f in self.fields]
                rows.append(" — ".join(p for p in parts if p))
            return "\n".join(rows)
        if self.type == "date" and isinstance(value, str):
            return long_date(value, language)
        return str(value)


MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}


def long_date(value: str, language: str) -> str:
    """An ISO date as a reader writes it ("15 January 2025", "15 janvier 2025"); anything else as it is."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    months = MONTHS.get(language, MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text
    questions: tuple[Question, ...]
    citations: tuple[Citation, ...] = ()
    show_if: Condition | None = None
    repeat_for: str | None = None  # id of an "items" question: ask this section once per item


@dataclass(frozen=True)
class Level:
    value: int
    label: Text
    description: Text


@dataclass(frozen=True)
class Scale:
    id: str
    title: Text
    levels: tuple[Level, ...]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Threshold:
    id: str
    value: float
    description: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class KeyDate:
    """A date from which a rule of law applies (the engine compares it with `today`)."""

    id: str
    value: date
    description: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class KnowledgeEntry:
    slug: str
    title: Text
    body: Text
    citations: tuple[Citation, ...]


PRONGS = ("screening", "regime", "legality", "legitimate_aim", "necessity", "proportionality", "ai_act",
          "risks", "consultation", "completeness", "evidence")
SEVERITIES = ("blocker", "major", "minor", "info")


@dataclass(frozen=True)
class RuleText:
    """What a rule says when it fires: the words and articles live here, the logic in the engine."""

    id: str
    prong: str
    severity: str  # the fixed severity, or "" when it scales with the seriousness of the interference
    title: Text
    explanation: Text
    resolution: Text
    citations: tuple[Citation, ...]
    scales_with: str | None = None  # a severity profile of seriousness.toml


@dataclass(frozen=True)
class SeriousnessLevel:
    """One level of the seriousness of an interference, and what the law then demands."""

    id: str
    rank: int
    min_points: int
    label: Text
    demands: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class SeriousnessFactor:
    """A fact that raises (points > 0) or lowers (points < 0) the seriousness of a stream's
    interference. `at_least`/`at_most` bound the level whatever the points; a factor with
    `requires_evidence` counts only when a document backs one of those answers."""

    id: str
    points: int
    when: Condition
    label: Text
    citations: tuple[Citation, ...]
    at_least: str | None = None
    at_most: str | None = None
    requires_evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class SeverityProfile:
    """How severe a gap is at each level of seriousness: the demand scales with the interference."""

    id: str
    severities: Mapping[str, str]
    description: Text
    citations: tuple[Citation, ...]
    # Where EU law does not apply, a demand that comes from EU law alone (the Court of Justice's case
    # law, the AI Act) may weigh less: these levels' severities replace the others there.
    outside_eu_law: Mapping[str, str] = field(default_factory=dict)
    # While the law itself is a draft, a gap in it is a demand on its drafting, which the project can
    # still meet: these levels' severities replace the others then.
    while_drafting: Mapping[str, str] = field(default_factory=dict)
    # For a targeted measure (Context.targeted), the gap weighs as it would one level lower: these levels'
    # severities replace the others then.
    for_targeted: Mapping[str, str] = field(default_factory=dict)
    # Where only the ECHR test applies and published rules issued under a general law fix whom the measure
    # may target and where it may be used (Context.framed_by_published_rules), they are read as part of the
    # "law": these levels' severities replace the others then.
    framed_by_published_rules: Mapping[str, str] = field(default_factory=dict)

    def severity(self, level: str, *, eu_law: bool = True, drafting: bool = False, targeted: bool = False,
                 framed: bool = False) -> str:
        candidates = [self.severities[level]]
        if not eu_law:
            candidates.append(self.outside_eu_law.get(level, self.severities[level]))
        if drafting:
            candidates.append(self.while_drafting.get(level, self.severities[level]))
        if targeted:
            candidates.append(self.for_targeted.get(level, self.severities[level]))
        if framed and not eu_law:
            candidates.append(self.framed_by_published_rules.get(level, self.severities[level]))
        return max(candidates, key=SEVERITIES.index)  # the lightest that applies


@dataclass(frozen=True)
class SeriousnessModel:
    levels: tuple[SeriousnessLevel, ...] = ()
    factors: tuple[SeriousnessFactor, ...] = ()
    profiles: Mapping[str, SeverityProfile] = field(default_factory=dict)

    def level(self, level_id: str) -> SeriousnessLevel:
        return next(lv for lv in self.levels if lv.id == level_id)

    def level_for(self, points: int) -> SeriousnessLevel:
        reached = [lv for lv in self.levels if points >= lv.min_points]
        return max(reached, key=lambda lv: lv.rank) if reached else self.levels[0]


@dataclass(frozen=True)
class Jurisdiction:
    """Where a system is used and the data-protection framework applied there."""

    code: str
    name: Text
    group: str  # "eu" | "eea" | "other"
    framework: Text
    authority: Text
    modelled_on_gdpr_led: bool
    council_of_europe: bool
    convention_108_plus: str
    dpia_provision: Text | None = None
    # The constitution itself requires a serious restriction of a fundamental right to be laid down in a
    # statute, so published rules below it cannot stand in for one.
    statute_for_serious_restrictions: bool = False

    @property
    def published_rules_can_frame_a_general_power(self) -> bool:
        """Where only the ECHR test applies (outside EU law, in the Council of Europe) and the constitution
        does not demand a statute itself: "law" is then read in its substantive sense."""
        return not self.eu_law_applies and self.council_of_europe and not self.statute_for_serious_restrictions

    @property
    def eu_law_applies(self) -> bool:
        """GDPR and LED (EEA states: through the EEA Agreement and the Schengen association)."""
        return self.group in ("eu", "eea")

    @property
    def in_union(self) -> bool:
        return self.group == "eu"


@dataclass(frozen=True)
class Alternative:
    """A less intrusive option a regulator will ask about, relevant when `when` holds."""

    id: str
    label: Text
    description: Text
    when: Condition
    citations: tuple[Citation, ...]
    # It gives one person who refuses the processing the same service another way (a badge instead
    # of a face scan), so it can rebut the presumption that consent in a dependent relation is unfree.
    for_refusers: bool = False


@dataclass(frozen=True)
class FactRule:
    """A fact-driven piece of legal knowledge: when `when` holds for the answers, `value` applies
    (a WP248 criterion met, a severity floor, a risk the assessment is expected to treat)."""

    id: str
    kind: str
    value: Any
    when: Condition
    description: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Reason:
    id: str
    text: Text
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class RegimeTest:
    """Which controllers are competent authorities and which purposes are law enforcement."""

    competent_authorities: frozenset[str]
    law_enforcement_purposes: frozenset[str]
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class QuestionBank:
    version: str
    effective_date: date
    acts: Mapping[str, Act]
    sections: tuple[Section, ...]
    scales: Mapping[str, Scale]
    thresholds: Mapping[str, Threshold]
    knowledge: Mapping[str, KnowledgeEntry]
    questions: Mapping[str, Question] = field(default_factory=dict)
    rules: Mapping[str, RuleText] = field(default_factory=dict)
    facts: tuple[FactRule, ...] = ()
    reasons: Mapping[str, Reason] = field(default_factory=dict)
    regime: RegimeTest = RegimeTest(frozenset(), frozenset(), ())
    seriousness: SeriousnessModel = SeriousnessModel()
    jurisdictions: Mapping[str, Jurisdiction] = field(default_factory=dict)
    alternatives: Mapping[str, Alternative] = field(default_factory=dict)
    dates: Mapping[str, KeyDate] = field(default_factory=dict)

    def severity_of(self, rule_id: str, level: str | None, *, eu_law: bool = True, drafting: bool = False,
                    targeted: bool = False, framed: bool = False) -> str:
        """A rule's severity at a level of seriousness (its fixed severity if it does not scale), where EU law
        applies or not, while the law relied on is a draft or not, for a targeted measure or not, and where
        published rules under the law fix whom it targets and where, or not."""
        text = self.rules[rule_id]
        if not text.scales_with:
            return text.severity
        profile = self.seriousness.profiles[text.scales_with]
        return profile.severity(level or self.seriousness.levels[0].id, eu_law=eu_law, drafting=drafting,
                                targeted=targeted, framed=framed)

    def cite(self, citation: Citation | Mapping[str, Any], language: str) -> CitationLink:
        """A citation (or one sealed in a version, as a dict) for a reader in `language`, with its link."""
        if not isinstance(citation, Citation):
            citation = Citation.from_dict(citation)
        act = self.acts.get(citation.act)
        if act is None:  # an act a later bank dropped: its words, no link
            return CitationLink(citation.label() if language != "fr" else citation.label_fr(), "")
        return act.cite(citation, language)

    def cite_all(self, citations, language: str) -> list[CitationLink]:
        return [self.cite(c, language) for c in citations]

    def facts_of(self, kind: str) -> tuple[FactRule, ...]:
        return tuple(f for f in self.facts if f.kind == kind)

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def question(self, question_id: str) -> Question:
        return self.questions[question_id]

    def section_applies(self, section: Section, answers: Mapping[str, Any]) -> bool:
        return evaluate(section.show_if, answers)

    def question_applies(self, question: Question, answers: Mapping[str, Any],
                         item: Mapping | None = None) -> bool:
        section = self.section(question.section)
        return evaluate(section.show_if, answers) and evaluate(question.show_if, answers, item)

    def applicable_answers(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers that count. Answers to questions that no longer apply stay in the draft but
        are left out here; conditions are read against what counts, so a chain of hidden questions
        is hidden as a whole."""
        counted: dict[str, Any] = {}
        for section in self.sections:
            if not evaluate(section.show_if, counted):
                continue
            items = self.repeat_items(section, counted)
            for question in section.questions:
                if question.id not in answers:
                    continue
                value = answers[question.id]
                if question.per_item:
                    per_item = value if isinstance(value, Mapping) else {}
                    kept = {
                        item["key"]: per_item[item["key"]]
                        for item in items
                        if item["key"] in per_item and evaluate(question.show_if, counted, item)
                    }
                    if kept:
                        counted[question.id] = kept
                elif evaluate(question.show_if, counted):
                    counted[question.id] = value
        return counted

    def unanswered_required(self, answers: Mapping[str, Any]) -> list[str]:
        """Required questions that apply to these answers and have no answer (for a question asked
        per stream: no answer for at least one stream), in wizard order."""
        return list(self._unanswered(answers, lambda question: question.required))

    def unanswered_where_asked(self, answers: Mapping[str, Any], question_ids: Iterable[str]) -> list[str]:
        """Of these questions, those asked of these answers (for a question asked per stream: of at least one
        stream) and left unanswered there, in wizard order."""
        wanted = set(question_ids)
        return list(self._unanswered(answers, lambda question: question.id in wanted))

    def _unanswered(self, answers: Mapping[str, Any], selected):
        counted = self.applicable_answers(answers)
        for section in self.sections:
            if not evaluate(section.show_if, counted):
                continue
            items = self.repeat_items(section, counted)
            for question in section.questions:
                if not selected(question):
                    continue
                if question.per_item:
                    given = counted.get(question.id) or {}
                    if any(evaluate(question.show_if, counted, item) and not is_answered(given.get(item["key"]))
                           for item in items):
                        yield question.id
                elif evaluate(question.show_if, counted) and not is_answered(counted.get(question.id)):
                    yield question.id

    def repeat_items(self, section: Section, answers: Mapping[str, Any]) -> list[Mapping]:
        """The items (processing streams) a repeated section is asked for, in order."""
        if not section.repeat_for:
            return []
        value = answers.get(section.repeat_for)
        return [i for i in value if isinstance(i, Mapping) and i.get("key")] if isinstance(
            value, list) else []


# ---------------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------------


class _Collector:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")


def _text(raw: Any, where: str, errors: _Collector, *, required: bool = True) -> Text | None:
    if raw is None:
        if required:
            errors.add(where, "missing text")
        return None
    if not isinstance(raw, Mapping):
        errors.add(where, f"text must be a table of languages {LANGUAGES}, not {type(raw).__name__}")
        return None
    for language in LANGUAGES:
        if not isinstance(raw.get(language), str) or not raw[language].strip():
            errors.add(where, f"missing translation '{language}'")
    unknown = set(raw) - set(LANGUAGES)
    if unknown:
        errors.add(where, f"unknown languages {sorted(unknown)}")
    return Text(en=str(raw.get("en", "")), fr=str(raw.get("fr", "")))


def _citations(raw: Any, where: str, acts: Mapping[str, Act], errors: _Collector) -> tuple[Citation, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        errors.add(where, "citations must be a list of tables")
        return ()
    out = []
    allowed_keys = {"act", "article", "paragraph", "point", "annex", "section", "recital"}
    for index, item in enumerate(raw):
        here = f"{where} citation {index + 1}"
        if not isinstance(item, Mapping):
            errors.add(here, "must be a table")
            continue
        extra = set(item) - allowed_keys
        if extra:
            errors.add(here, f"unknown keys {sorted(extra)}")
        values = {k: (str(v) if v is not None else None) for k, v in item.items() if k in allowed_keys}
        citation = Citation(**values)
        act = acts.get(citation.act or "")
        if act is None:
            errors.add(here, f"unknown act {citation.act!r}")
        elif act.kind == "law":
            if citation.recital:
                if citation.recital not in act.recitals:
                    errors.add(here, f"{act.code} Recital {citation.recital} is not in the list of known recitals")
            elif citation.annex:
                if f"Annex {citation.annex}" not in act.articles:
                    errors.add(here, f"{act.code} Annex {citation.annex} is not in the list of known annexes")
            elif not citation.article:
                errors.add(here, f"a citation of {act.code} needs an article")
            elif citation.article not in act.articles:
                errors.add(here, f"{act.code} Art. {citation.article} is not in the list of known articles")
        out.append(citation)
    return tuple(out)


def _condition(raw: Any, where: str, errors: _Collector) -> Condition | None:
    if raw is None:
        return None
    try:
        return parse_condition(raw)
    except ConditionError as exc:
        errors.add(where, f"invalid show_if: {exc}")
        return None


def _compares(condition: Condition | None):
    if condition is None:
        return
    if isinstance(condition, Compare):
        yield condition
        return
    children = getattr(condition, "conditions", None) or (condition.condition,)
    for child in children:
        yield from _compares(child)


def _question(raw: Mapping, section_id: str, where: str, acts, errors: _Collector, *,
              in_items: bool = False) -> Question | None:
    qid = raw.get("id")
    if not isinstance(qid, str):
        errors.add(where, "question without an id")
        return None
    here = f"{where} {qid}"
    if in_items:
        if not SLUG_PATTERN.match(qid) or "." in qid:
            errors.add(here, "an item field id is a plain slug (letters, digits, underscores)")
    elif not ID_PATTERN.match(qid):
        errors.add(here, "ids are dotted slugs such as 'biometrics.realtime'")
    elif not qid.startswith(section_id + "."):
        errors.add(here, f"a question of section '{section_id}' must have an id starting with '{section_id}.'")
    known = {"id", "type", "label", "help", "citations", "choices", "knowledge", "sensitive", "required",
             "legal", "show_if", "max_length", "min", "max", "integer", "fields", "item_label",
             "max_items"}
    extra = set(raw) - known
    if extra:
        errors.add(here, f"unknown keys {sorted(extra)}")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES or (in_items and qtype == "items"):
        errors.add(here, f"unknown or unsupported type {qtype!r}")
    label = _text(raw.get("label"), f"{here} label", errors)
    help_text = _text(raw.get("help"), f"{here} help", errors, required=not in_items)
    citations = _citations(raw.get("citations"), here, acts, errors)
    legal = bool(raw.get("legal", True))
    if legal and not citations and not in_items:
        errors.add(here, "a legal question needs at least one citation (or legal = false)")
    choices = []
    seen_values: set[str] = set()
    for index, c in enumerate(raw.get("choices") or []):
        cwhere = f"{here} choice {index + 1}"
        value = c.get("value") if isinstance(c, Mapping) else None
        if not isinstance(value, str) or not SLUG_PATTERN.match(value):
            errors.add(cwhere, "a choice needs a slug value")
            continue
        if value in seen_values:
            errors.add(cwhere, f"duplicate choice value {value!r}")
        seen_values.add(value)
        choices.append(Choice(
            value=value,
            label=_text(c.get("label"), f"{cwhere} label", errors),
            help=_text(c.get("help"), f"{cwhere} help", errors, required=False),
            citations=_citations(c.get("citations"), cwhere, acts, errors),
            exclusive=c.get("exclusive") is True,
        ))
        if not isinstance(c.get("exclusive", False), bool):
            errors.add(cwhere, "exclusive is true or false")
        elif c.get("exclusive") is True and qtype != "multiple_choice":
            errors.add(cwhere, "only a multiple-choice answer has an exclusive choice")
    if qtype in CHOICE_TYPES and not choices:
        errors.add(here, "a choice question needs choices")
    if qtype not in CHOICE_TYPES and choices:
        errors.add(here, f"type {qtype!r} takes no choices")
    fields = ()
    if qtype == "items":
        fields = tuple(
            f for f in (
                _question(f, section_id, f"{here} field", acts, errors, in_items=True)
                for f in (raw.get("fields") or []) if isinstance(f, Mapping)
            ) if f is not None
        )
        if not fields:
            errors.add(here, "an item list needs fields")
        field_ids = [f.id for f in fields]
        for dup in {f for f in field_ids if field_ids.count(f) > 1}:
            errors.add(here, f"duplicate field id {dup!r}")
        if "key" in field_ids:
            errors.add(here, "'key' is reserved for the item's own identifier")
    max_length = raw.get("max_length", DEFAULT_MAX_LENGTH.get(qtype))
    if qtype in DEFAULT_MAX_LENGTH and (not isinstance(max_length, int) or max_length <= 0):
        errors.add(here, "max_length must be a positive whole number")
    return Question(
        id=qid,
        section=section_id,
        type=qtype if qtype in QUESTION_TYPES else "short_text",
        label=label or Text("", ""),
        help=help_text or Text("", ""),
        citations=citations,
        choices=tuple(choices),
        knowledge=tuple(raw.get("knowledge") or ()),
        sensitive=bool(raw.get("sensitive", False)),
        required=bool(raw.get("required", False)),
        legal=legal,
        show_if=_condition(raw.get("show_if"), here, errors),
        max_length=max_length if qtype in DEFAULT_MAX_LENGTH else None,
        minimum=raw.get("min", 0 if qtype == "number" else None),
        maximum=raw.get("max", 10**12 if qtype == "number" else None),
        integer=bool(raw.get("integer", True)),
        fields=fields,
        item_label=_text(raw.get("item_label"), f"{here} item_label", errors, required=False),
        max_items=int(raw.get("max_items", DEFAULT_MAX_ITEMS)),
    )


def _check_references(bank_sections: list[Section], questions: dict[str, Question],
                      errors: _Collector) -> None:
    """Conditions may only look back: at questions of earlier sections or earlier in the same one."""
    order = {qid: index for index, qid in enumerate(questions)}
    for section in bank_sections:
        first_of_section = min((order[q.id] for q in section.questions), default=len(order))
        targets = [(f"section {section.id}", section.show_if, first_of_section)]
        targets += [(f"question {q.id}", q.show_if, order[q.id]) for q in section.questions]
        for where, condition, position in targets:
            for compare in _compares(condition):
                ref = questions.get(compare.question)
                if ref is None:
                    errors.add(where, f"show_if refers to unknown question {compare.question!r}")
                    continue
                if order[ref.id] >= position:
                    errors.add(where, f"show_if refers to {ref.id!r}, which is not asked before it")
                target = ref
                if compare.field is not None:
                    target = ref.field(compare.field) if ref.type == "items" else None
                    if target is None:
                        errors.add(where, f"show_if refers to unknown field {compare.field!r} of {ref.id!r}")
                        continue
                elif ref.type == "items" and compare.operator != "answered":
                    errors.add(where, f"show_if on item list {ref.id!r} must name a field")
                    continue
                values = compare.value if isinstance(compare.value, tuple) else (compare.value,)
                allowed = target.choice_values()
                if allowed and compare.operator in ("equals", "in", "includes", "includes_any"):
                    for value in values:
                        if value not in allowed:
                            errors.add(where, f"show_if value {value!r} is not a choice of {ref.id!r}")
        if section.repeat_for:
            ref = questions.get(section.repeat_for)
            if ref is None or ref.type != "items":
                errors.add(f"section {section.id}", f"repeat_for must name an item list, not {section.repeat_for!r}")
            elif order[ref.id] >= first_of_section:
                errors.add(f"section {section.id}", "repeat_for must name an item list asked before it")


def _act_link(raw: Mapping, where: str, errors: _Collector) -> ActLink | None:
    """Every act says where its official text is, or says (link = false) that it has none online."""
    if raw.get("link") is False:
        return None
    celex, hudoc, address = raw.get("celex", ""), raw.get("hudoc", ""), raw.get("url")
    if sum(bool(x) for x in (celex, hudoc, address)) != 1:
        errors.add(where, "give exactly one of celex, hudoc or url for the official text (or link = false)")
        return None
    if celex and not CELEX_PATTERN.match(str(celex)):
        errors.add(where, f"{celex!r} is not a CELEX number")
    if hudoc and not HUDOC_PATTERN.match(str(hudoc)):
        errors.add(where, f"{hudoc!r} is not a HUDOC item id")
    text = _text(address, f"{where} url", errors) if address else None
    if text and not all(u.startswith("https://") for u in (text.en, text.fr)):
        errors.add(where, "an official text's url must start with https://")
    return ActLink(celex=str(celex), hudoc=str(hudoc), address=text)


def load_bank(directory: Path | str = DEFAULT_BANK_DIR) -> QuestionBank:
    """Read and validate the bank in `directory`; raise BankError listing every problem."""
    directory = Path(directory)
    errors = _Collector()

    def read(path: Path) -> dict:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            errors.add(path.name, "file not found")
        except tomllib.TOMLDecodeError as exc:
            errors.add(path.name, f"not valid TOML: {exc}")
        return {}

    meta = read(directory / "bank.toml")
    acts: dict[str, Act] = {}
    for code, raw in (meta.get("acts") or {}).items():
        acts[code] = Act(
            code=code,
            name=_text(raw.get("name"), f"bank.toml act {code}", errors) or Text(code, code),
            kind=raw.get("kind", "law"),
            articles=frozenset(str(a) for a in raw.get("articles", [])),
            recitals=frozenset(str(r) for r in raw.get("recitals", [])),
            short=_text(raw["short"], f"bank.toml act {code} short", errors) if "short" in raw else None,
            link=_act_link(raw, f"bank.toml act {code}", errors),
        )
    version = meta.get("version")
    if not isinstance(version, str):
        errors.add("bank.toml", "missing version")
    effective = meta.get("effective_date")
    if not isinstance(effective, date):
        errors.add("bank.toml", "missing effective_date (a TOML date)")

    scales = {}
    for sid, raw in (meta.get("scales") or {}).items():
        here = f"bank.toml scale {sid}"
        levels = tuple(
            Level(value=int(level.get("value", 0)),
                  label=_text(level.get("label"), f"{here} level", errors) or Text("", ""),
                  description=_text(level.get("description"), f"{here} level", errors) or Text("", ""))
            for level in raw.get("levels", [])
        )
        citations = _citations(raw.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a scale needs a citation of its source")
        scales[sid] = Scale(sid, _text(raw.get("title"), here, errors) or Text("", ""), levels, citations)

    thresholds = {}
    for tid, raw in (meta.get("thresholds") or {}).items():
        here = f"bank.toml threshold {tid}"
        citations = _citations(raw.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a threshold needs a citation of its source")
        thresholds[tid] = Threshold(tid, float(raw.get("value", 0)),
                                    _text(raw.get("description"), here, errors) or Text("", ""),
                                    citations)

    dates = {}
    for did, raw in (meta.get("dates") or {}).items():
        here = f"bank.toml date {did}"
        citations = _citations(raw.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a date needs a citation of its source")
        if not isinstance(raw.get("value"), date):
            errors.add(here, "value must be a TOML date")
        dates[did] = KeyDate(did, raw.get("value") if isinstance(raw.get("value"), date) else date.min,
                             _text(raw.get("description"), here, errors) or Text("", ""), citations)

    knowledge = {}
    for slug, raw in (read(directory / "knowledge.toml").get("entries") or {}).items():
        here = f"knowledge.toml {slug}"
        knowledge[slug] = KnowledgeEntry(
            slug, _text(raw.get("title"), here, errors) or Text("", ""),
            _text(raw.get("body"), here, errors) or Text("", ""),
            _citations(raw.get("citations"), here, acts, errors),
        )

    # Lists that questions draw their choices from (`choices_from`): where the system is used, the
    # catalogue of less intrusive alternatives, and the project's technologies (for each stream's own).
    jurisdictions = _load_jurisdictions(
        read(directory / "jurisdictions.toml") if (directory / "jurisdictions.toml").exists() else {}, errors)
    alternatives = _load_alternatives(
        read(directory / "alternatives.toml") if (directory / "alternatives.toml").exists() else {}, acts, errors)
    choice_lists = {
        "jurisdictions": [{"value": j.code, "label": j.name.to_dict()} for j in jurisdictions.values()],
        "alternatives": [{"value": a.id, "label": a.label.to_dict()} for a in alternatives.values()],
    }

    section_ids = meta.get("sections") or []
    if not section_ids:
        errors.add("bank.toml", "no sections listed")
    sections: list[Section] = []
    questions: dict[str, Question] = {}
    national_lists = read(directory / "national_lists.toml") if (directory / "national_lists.toml").exists() else {}
    for section_id in section_ids:
        path = directory / "sections" / f"{section_id}.toml"
        raw = read(path)
        if not raw:
            continue
        where = f"sections/{section_id}.toml"
        if raw.get("id") != section_id:
            errors.add(where, f"id must be {section_id!r}")
        raw_questions = list(raw.get("questions") or [])
        if section_id == "screening":
            raw_questions += _national_list_questions(national_lists, errors)
        built = []
        for raw_q in raw_questions:
            raw_q = _with_listed_choices(raw_q, choice_lists, f"{where} {raw_q.get('id')}", errors)
            question = _question(raw_q, section_id, where, acts, errors)
            if question is None:
                continue
            if question.id == "project.technologies":
                choice_lists["technologies"] = list(raw_q.get("choices") or [])
            if raw.get("repeat_for"):
                question = Question(**{**question.__dict__, "per_item": raw["repeat_for"]})
            if question.id in questions:
                errors.add(where, f"duplicate question id {question.id!r}")
                continue
            for slug in question.knowledge:
                if slug not in knowledge:
                    errors.add(f"{where} {question.id}", f"unknown knowledge entry {slug!r}")
            questions[question.id] = question
            built.append(question)
        sections.append(Section(
            id=section_id,
            title=_text(raw.get("title"), f"{where} title", errors) or Text("", ""),
            intro=_text(raw.get("intro"), f"{where} intro", errors) or Text("", ""),
            questions=tuple(built),
            citations=_citations(raw.get("citations"), where, acts, errors),
            show_if=_condition(raw.get("show_if"), where, errors),
            repeat_for=raw.get("repeat_for"),
        ))
    _check_references(sections, questions, errors)
    # Rules live in rules.toml and in rules/*.toml (one file per area), all in one namespace.
    rule_files = [directory / "rules.toml"] if (directory / "rules.toml").exists() else []
    rule_files += sorted((directory / "rules").glob("*.toml")) if (directory / "rules").is_dir() else []
    rules: dict[str, RuleText] = {}
    reasons: dict[str, Reason] = {}
    for path in rule_files:
        raw_rules = read(path)
        for loaded, into in ((_load_rules(raw_rules, acts, errors), rules),
                             (_load_reasons(raw_rules, acts, errors), reasons)):
            for key in set(loaded) & set(into):
                errors.add(path.name, f"{key!r} is defined twice")
            into.update(loaded)
    facts = _load_facts(meta.get("facts") or {}, acts, questions, errors)
    regime = _load_regime(meta.get("regime"), acts, questions, errors)
    seriousness = _load_seriousness(read(directory / "seriousness.toml") if (directory / "seriousness.toml").exists()
                                    else {}, acts, questions, errors)
    for rule_id, text in rules.items():
        if text.scales_with and text.scales_with not in seriousness.profiles:
            errors.add(f"rules {rule_id}", f"unknown severity profile {text.scales_with!r}")
    if errors.errors:
        raise BankError(errors.errors)
    return QuestionBank(
        version=version, effective_date=effective, acts=acts, sections=tuple(sections),
        scales=scales, thresholds=thresholds, knowledge=knowledge, questions=questions,
        rules=rules, facts=facts, reasons=reasons, regime=regime, seriousness=seriousness,
        jurisdictions=jurisdictions, alternatives=alternatives, dates=dates,
    )


def _load_reasons(raw: Mapping, acts: Mapping[str, Act], errors: _Collector) -> dict[str, Reason]:
    reasons = {}
    for reason_id, entry in (raw.get("reasons") or {}).items():
        here = f"rules.toml reason {reason_id}"
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a reason needs a citation")
        reasons[reason_id] = Reason(reason_id, _text(entry.get("text"), here, errors) or Text("", ""), citations)
    return reasons


def _load_regime(raw: Any, acts: Mapping[str, Act], questions: Mapping[str, Question],
                 errors: _Collector) -> RegimeTest:
    if raw is None:
        return RegimeTest(frozenset(), frozenset(), ())
    streams = questions.get("streams.list")
    for key, field_id in (("competent_authorities", "controller_kind"), ("law_enforcement_purposes", "purpose_kind")):
        field_question = streams.field(field_id) if streams else None
        allowed = field_question.choice_values() if field_question else ()
        for value in raw.get(key, []):
            if value not in allowed:
                errors.add("bank.toml regime", f"{value!r} is not a choice of streams.list {field_id}")
    citations = _citations(raw.get("citations"), "bank.toml regime", acts, errors)
    return RegimeTest(frozenset(raw.get("competent_authorities", [])),
                      frozenset(raw.get("law_enforcement_purposes", [])), citations)


def _load_rules(raw: Mapping, acts: Mapping[str, Act], errors: _Collector) -> dict[str, RuleText]:
    rules = {}
    for rule_id, entry in (raw.get("rules") or {}).items():
        here = f"rules.toml {rule_id}"
        if not ID_PATTERN.match(rule_id):
            errors.add(here, "rule ids are dotted slugs")
        if entry.get("prong") not in PRONGS:
            errors.add(here, f"prong must be one of {', '.join(PRONGS)}")
        if ("severity" in entry) == ("scales_with" in entry):
            errors.add(here, "give either a fixed severity or scales_with (a severity profile), not both")
        elif "severity" in entry and entry.get("severity") not in SEVERITIES:
            errors.add(here, f"severity must be one of {', '.join(SEVERITIES)}")
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a rule needs at least one citation")
        rules[rule_id] = RuleText(
            id=rule_id, prong=entry.get("prong", ""), severity=entry.get("severity", ""),
            title=_text(entry.get("title"), f"{here} title", errors) or Text("", ""),
            explanation=_text(entry.get("explanation"), f"{here} explanation", errors) or Text("", ""),
            resolution=_text(entry.get("resolution"), f"{here} resolution", errors) or Text("", ""),
            citations=citations, scales_with=entry.get("scales_with"),
        )
    return rules


def _with_listed_choices(raw: Mapping, lists: Mapping[str, list], where: str, errors: _Collector) -> Mapping:
    """A question (or an item field) whose choices come from a list kept elsewhere in the bank."""
    if not isinstance(raw, Mapping):
        return raw
    out = dict(raw)
    if "choices_from" in out:
        source = out.pop("choices_from")
        if source not in lists:
            errors.add(where, f"choices_from must be one of {', '.join(lists)}")
        elif not lists[source]:
            errors.add(where, f"choices_from {source!r}: the list is empty")
        out["choices"] = lists.get(source, [])
    if isinstance(out.get("fields"), list):
        out["fields"] = [_with_listed_choices(f, lists, f"{where} field", errors) for f in out["fields"]]
    return out


JURISDICTION_GROUPS = ("eu", "eea", "other")
TREATY_STATUSES = ("ratified", "signed", "not_signed", "unknown")


def _load_jurisdictions(raw: Mapping, errors: _Collector) -> dict[str, Jurisdiction]:
    out = {}
    for code, entry in (raw.get("jurisdictions") or {}).items():
        here = f"jurisdictions.toml {code}"
        if not SLUG_PATTERN.match(code):
            errors.add(here, "a jurisdiction code is a slug")
        if entry.get("group") not in JURISDICTION_GROUPS:
            errors.add(here, f"group must be one of {', '.join(JURISDICTION_GROUPS)}")
        if entry.get("convention_108_plus") not in TREATY_STATUSES:
            errors.add(here, f"convention_108_plus must be one of {', '.join(TREATY_STATUSES)}")
        for flag in ("modelled_on_gdpr_led", "council_of_europe"):
            if not isinstance(entry.get(flag), bool):
                errors.add(here, f"{flag} must be true or false")
        if not isinstance(entry.get("statute_for_serious_restrictions", False), bool):
            errors.add(here, "statute_for_serious_restrictions must be true or false")
        out[code] = Jurisdiction(
            code=code, name=_text(entry.get("name"), here, errors) or Text(code, code),
            group=entry.get("group", "other"),
            framework=_text(entry.get("framework"), f"{here} framework", errors) or Text("", ""),
            authority=_text(entry.get("authority"), f"{here} authority", errors) or Text("", ""),
            modelled_on_gdpr_led=bool(entry.get("modelled_on_gdpr_led")),
            council_of_europe=bool(entry.get("council_of_europe")),
            convention_108_plus=entry.get("convention_108_plus", "unknown"),
            dpia_provision=_text(entry.get("dpia_provision"), f"{here} dpia_provision", errors, required=False),
            statute_for_serious_restrictions=bool(entry.get("statute_for_serious_restrictions", False)),
        )
    return out


def _load_alternatives(raw: Mapping, acts: Mapping[str, Act], errors: _Collector) -> dict[str, Alternative]:
    out = {}
    for alt_id, entry in (raw.get("alternatives") or {}).items():
        here = f"alternatives.toml {alt_id}"
        if not SLUG_PATTERN.match(alt_id):
            errors.add(here, "an alternative id is a slug")
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "an alternative needs a citation")
        when = _condition(entry.get("when"), here, errors)
        if when is None:
            errors.add(here, "an alternative needs a 'when' condition (the projects it is relevant to)")
        out[alt_id] = Alternative(
            id=alt_id, label=_text(entry.get("label"), here, errors) or Text("", ""),
            description=_text(entry.get("description"), f"{here} description", errors) or Text("", ""),
            when=when, citations=citations, for_refusers=entry.get("for_refusers") is True)
    return out


def _check_lighter_severities(variant: Mapping[str, str], severities: Mapping[str, str], level_ids: list[str],
                              here: str, errors: _Collector) -> None:
    """A profile's variant (outside EU law, while drafting, ...) may only lighten its severities, and they must
    still not fall as the interference gets more serious."""
    if set(variant) - set(level_ids) or any(v not in SEVERITIES for v in variant.values()):
        errors.add(here, "gives severities of known levels only")
    elif any(SEVERITIES.index(v) < SEVERITIES.index(severities.get(lv, v)) for lv, v in variant.items()
             if severities.get(lv) in SEVERITIES):
        errors.add(here, "may only lighten a severity")
    else:
        merged = [SEVERITIES.index(variant.get(lv, severities.get(lv))) for lv in level_ids
                  if variant.get(lv, severities.get(lv)) in SEVERITIES]
        if merged != sorted(merged, reverse=True):
            errors.add(here, "a severity may not fall as the interference gets more serious")


def _load_seriousness(raw: Mapping, acts: Mapping[str, Act], questions: Mapping[str, Question],
                      errors: _Collector) -> SeriousnessModel:
    levels = []
    for rank, entry in enumerate(raw.get("levels") or []):
        here = f"seriousness.toml level {rank + 1}"
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a level needs a citation")
        if not isinstance(entry.get("min_points"), int):
            errors.add(here, "min_points must be a whole number")
        levels.append(SeriousnessLevel(
            id=str(entry.get("id", "")), rank=rank, min_points=int(entry.get("min_points", 0) or 0),
            label=_text(entry.get("label"), here, errors) or Text("", ""),
            demands=_text(entry.get("demands"), f"{here} demands", errors) or Text("", ""),
            citations=citations))
    level_ids = [lv.id for lv in levels]
    if raw and len(levels) < 2:
        errors.add("seriousness.toml", "at least two levels are needed")
    if [lv.min_points for lv in levels] != sorted(lv.min_points for lv in levels):
        errors.add("seriousness.toml", "levels must be listed from the lightest, with rising min_points")
    factors = []
    for fid, entry in (raw.get("factors") or {}).items():
        here = f"seriousness.toml factor {fid}"
        when = _condition(entry.get("when"), here, errors)
        if when is None:
            errors.add(here, "a factor needs a 'when' condition")
        for compare in _compares(when):
            if compare.question not in questions:
                errors.add(here, f"condition refers to unknown question {compare.question!r}")
        for bound in ("at_least", "at_most"):
            if entry.get(bound) is not None and entry[bound] not in level_ids:
                errors.add(here, f"{bound} must be a level: {', '.join(level_ids)}")
        for qid in entry.get("requires_evidence", []):
            if qid not in questions:
                errors.add(here, f"requires_evidence names unknown question {qid!r}")
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a factor needs a citation")
        if not isinstance(entry.get("points"), int):
            errors.add(here, "points must be a whole number")
        factors.append(SeriousnessFactor(
            id=fid, points=int(entry.get("points", 0) or 0), when=when,
            label=_text(entry.get("label"), here, errors) or Text("", ""), citations=citations,
            at_least=entry.get("at_least"), at_most=entry.get("at_most"),
            requires_evidence=tuple(entry.get("requires_evidence", ()))))
    profiles = {}
    for pid, entry in (raw.get("profiles") or {}).items():
        here = f"seriousness.toml profile {pid}"
        severities = entry.get("severities") or {}
        if set(severities) != set(level_ids):
            errors.add(here, f"give a severity for each level: {', '.join(level_ids)}")
        for value in severities.values():
            if value not in SEVERITIES:
                errors.add(here, f"severity must be one of {', '.join(SEVERITIES)}")
        ranks = [SEVERITIES.index(severities[lv]) for lv in level_ids if severities.get(lv) in SEVERITIES]
        if ranks != sorted(ranks, reverse=True):
            errors.add(here, "a severity may not fall as the interference gets more serious")
        variants = {name: dict(entry.get(name) or {})
                    for name in ("outside_eu_law", "while_drafting", "for_targeted", "framed_by_published_rules")}
        for name, variant in variants.items():
            _check_lighter_severities(variant, severities, level_ids, f"{here}: {name}", errors)
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a profile needs a citation")
        profiles[pid] = SeverityProfile(pid, dict(severities),
                                        _text(entry.get("description"), here, errors) or Text("", ""), citations,
                                        variants["outside_eu_law"], variants["while_drafting"],
                                        variants["for_targeted"], variants["framed_by_published_rules"])
    return SeriousnessModel(tuple(levels), tuple(factors), profiles)


FACT_KINDS = ("wp248_criterion", "severity_floor", "expected_risk")


def _load_facts(raw: Mapping, acts: Mapping[str, Act], questions: Mapping[str, Question],
                errors: _Collector) -> tuple[FactRule, ...]:
    out = []
    for fact_id, entry in raw.items():
        here = f"bank.toml fact {fact_id}"
        kind = entry.get("kind")
        if kind not in FACT_KINDS:
            errors.add(here, f"kind must be one of {', '.join(FACT_KINDS)}")
        when = _condition(entry.get("when"), here, errors)
        if when is None:
            errors.add(here, "a fact needs a 'when' condition")
        for compare in _compares(when):
            if compare.question not in questions:
                errors.add(here, f"condition refers to unknown question {compare.question!r}")
        citations = _citations(entry.get("citations"), here, acts, errors)
        if not citations:
            errors.add(here, "a fact needs a citation")
        out.append(FactRule(
            id=fact_id, kind=kind or "", value=entry.get("value"), when=when,
            description=_text(entry.get("description"), here, errors) or Text("", ""),
            citations=citations,
        ))
    return tuple(out)


def _national_list_questions(raw: Mapping, errors: _Collector) -> list[dict]:
    """One screening question per jurisdiction's Art. 35(4) list, shown for that jurisdiction."""
    out = []
    for code, entry in (raw.get("lists") or {}).items():
        out.append({
            "id": f"screening.national_list_{code.lower()}",
            "type": "multiple_choice",
            "label": entry.get("label"),
            "help": entry.get("help"),
            "citations": entry.get("citations"),
            "choices": entry.get("items"),
            "show_if": {"question": "screening.jurisdiction", "equals": code.lower()},
        })
    return out


@lru_cache(maxsize=4)
def default_bank() -> QuestionBank:
    """The bank shipped with the workbench, loaded once per process."""
    return load_bank(DEFAULT_BANK_DIR)
