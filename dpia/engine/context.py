"""The facts a rule reads, and how rules are declared.

A rule is a small function with an id: it reads a Context and returns Hits (the rule fired, on
these answers, for this stream). The words and citations of each rule are data in
questionbank/rules.toml; the engine turns Hits into Findings with them.
"""

from __future__ import annotations

import datetime as dt
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dpia.engine.bank import QuestionBank, Text
from dpia.engine.conditions import evaluate, is_answered

PUBLIC_CONTROLLERS = frozenset({"state_police", "municipal_police_criminal_powers", "other_competent_authority",
                                "municipal_police_admin", "city_administration", "other_public_body",
                                "public_service_operator", "private_public_powers", "research_body"})
BIOMETRIC_DATA = frozenset({"biometric_identification", "biometric_categorisation"})
SPECIAL_DATA = BIOMETRIC_DATA | {"special_categories_other", "genetic"}
FRT = frozenset({"live_facial_recognition", "post_facial_recognition"})
# People already linked to an offence.
OFFENCE_LINKED = frozenset({"suspects", "convicted"})
# Whom a targeted measure may reach: people linked to an offence and, beside them, the victims of the offences in
# question, singled out by the same case (LED Art. 6; the workbench's reading: the case law speaks of suspects).
# Victims alone (a register of people at risk) are not a targeted measure. Contacts and associates are not: they
# widen the circle to people with no link of their own, which courts objected to in databases of "associates".
TARGETED_ROLES = OFFENCE_LINKED | {"victims"}
# The categories of people mix two things: why people are concerned (suspects, passers-by, staff) and what
# they are (children, vulnerable people). Ticked beside a role, a trait describes the people in that role
# (a 14-year-old suspect), not a further group; it weighs on the seriousness, not on who is targeted.
TRAITS = frozenset({"minors", "vulnerable_people"})
# Where a targeted measure draws its data: the authority's own files, or its own sensors pointed at the
# person concerned. Data bought, scraped or gathered from others widen the circle beyond that person.
OWN_FILES = frozenset({"police_databases", "own_sensors"})
# People watched as a group rather than one by one: everyone passing, drivers, demonstrators.
CROWDS = frozenset({"general_public", "drivers", "protesters"})
# What published rules under a general law must fix for it to be foreseeable: whom, and where.
FRAMING_RULES = frozenset({"who_may_be_targeted", "where"})


@dataclass(frozen=True)
class Hit:
    rule: str
    answers: tuple[str, ...]
    stream: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    stated: str | None = None  # the question holding the user's own conclusion the facts override


@dataclass(frozen=True)
class Stream:
    key: str
    name: str
    item: Mapping[str, Any]
    regime: str  # "gdpr" | "led" | "outside_eu_law"
    analysis: str = "gdpr"  # whose test runs: the GDPR's or the LED's (or their national equivalents)

    @property
    def data(self) -> set[str]:
        return set(self.item.get("data_categories") or [])

    @property
    def subjects(self) -> set[str]:
        return set(self.item.get("data_subjects") or [])

    @property
    def roles(self) -> set[str]:
        """Why the people are concerned (TRAITS set aside); empty when only traits are ticked."""
        return self.subjects - TRAITS

    @property
    def sources(self) -> set[str]:
        return set(self.item.get("sources") or [])

    @property
    def controller_kind(self) -> str | None:
        return self.item.get("controller_kind")

    @property
    def purpose_kind(self) -> str | None:
        return self.item.get("purpose_kind")


class Context:
    """The answers that count, with the readings rules share."""

    def __init__(self, answers: Mapping[str, Any], bank: QuestionBank, *, today: dt.date,
                 evidence: Iterable[str] = ()):
        self.bank = bank
        self.today = today
        self.raw = answers
        self.answers = bank.applicable_answers(answers)
        self.evidence = frozenset(evidence)
        self.streams: list[Stream] = []
        self.levels: dict[str | None, str] = {}  # seriousness level per stream key (None: the project)
        # Verified anonymisation at the source for every stream (the seriousness model's capped factor).
        self.anonymous_at_source = False
        self.seriousness: tuple = ()  # StreamSeriousness per stream, set by engine.context_for
        self.screening = None  # whether a DPIA is owed (result.Screening), set by engine.context_for

    def level_of(self, stream_key: str | None) -> str:
        """The seriousness level a finding is judged at: its stream's, or the most serious of all
        streams for a finding about the project as a whole."""
        if stream_key in self.levels:
            return self.levels[stream_key]
        model = self.bank.seriousness
        known = [model.level(level) for level in self.levels.values()]
        return max(known, key=lambda lv: lv.rank).id if known else model.levels[0].id

    def at_least(self, level_id: str, stream_key: str | None = None) -> bool:
        model = self.bank.seriousness
        return model.level(self.level_of(stream_key)).rank >= model.level(level_id).rank

    def stream(self, key: str | None) -> Stream | None:
        return next((s for s in self.streams if s.key == key), None)

    def targeted(self, stream: Stream | None) -> bool:
        """Whether the stream is a targeted measure: it reaches only people already linked to an offence (and
        the victims of that offence), whatever their age, draws on the authority's own files or sensors, and each
        use is decided case by case. Such a measure is the opposite of general surveillance (CJEU C-205/21 and La
        Quadrature du Net), and the law it rests on is judged one step less strictly, short of the most serious
        interference."""
        if stream is None or not stream.roles or not stream.sources:
            return False
        return stream.roles <= TARGETED_ROLES and bool(stream.roles & OFFENCE_LINKED) \
            and stream.sources <= OWN_FILES and self.decided_case_by_case(stream)

    def decided_case_by_case(self, stream: Stream) -> bool:
        """Whether each use of the stream is decided for a given case: someone checks its strict necessity
        person by person, or the system runs only on demand and nobody says the data are taken wholesale."""
        necessity = self.of_stream("legality.led_strict_necessity_assessment", stream)
        on_demand = self.get("project.operation") == "on_demand"
        return necessity == "case_by_case" or (necessity != "systematic" and on_demand)

    def framed_by_published_rules(self, stream: Stream | None) -> bool:
        """Whether published rules issued under the general law this stream rests on fix whom it may target
        and where it may be used, where only the ECHR test applies. It reads "law" in its substantive sense:
        a published policy can make a general power foreseeable, provided it leaves neither question to the
        officers' discretion (the case is cited in the bank)."""
        jurisdiction = self.jurisdiction
        if stream is None or jurisdiction is None or not jurisdiction.published_rules_can_frame_a_general_power:
            return False
        return set(self.of_stream("legality.published_rules_specify", stream, [])) >= FRAMING_RULES

    @property
    def information_withheld(self) -> bool:
        """Nobody is told, or information is restricted."""
        return "none" in self.choices("rights.information_layers") or \
            self.get("rights.information_restricted") == "yes"

    @property
    def covert(self) -> bool:
        """The project is covert: information is withheld, or the promoter itself names covert use. The
        questionnaire asks this for the project as a whole, not stream by stream."""
        return self.information_withheld or "covert" in self.choices("proportionality.intrusiveness_factors")

    def covert_of(self, stream: Stream) -> bool:
        """A stream is covert when the project is, or when it intercepts communications, secret by nature."""
        return self.covert or "communications_interception" in self.technologies_of(stream)

    def drafting(self, stream: Stream | None) -> bool:
        """Whether the text framing this stream is still a draft (its gaps are then demands on its drafting)."""
        return stream is not None and self.of_stream("legality.provision_status", stream) == "draft"

    @property
    def jurisdiction(self):
        """Where the system is used (the bank's jurisdictions), or None when not answered."""
        return self.bank.jurisdictions.get(self.get("screening.jurisdiction"))

    def get(self, question_id: str, default: Any = None) -> Any:
        value = self.answers.get(question_id, default)
        return default if value is None else value

    def answered(self, question_id: str) -> bool:
        return is_answered(self.answers.get(question_id))

    def text(self, question_id: str) -> str:
        value = self.answers.get(question_id)
        return value.strip() if isinstance(value, str) else ""

    def of_stream(self, question_id: str, stream: Stream, default: Any = None) -> Any:
        value = self.answers.get(question_id)
        if isinstance(value, Mapping):
            found = value.get(stream.key)
            return default if found is None else found
        return default

    def date(self, question_id: str, stream: Stream | None = None) -> dt.date | None:
        """A date answer (the project's, or the stream's when `stream` is given); None when unanswered or not a date."""
        value = self.of_stream(question_id, stream) if stream is not None else self.get(question_id)
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            return None

    def choices(self, question_id: str) -> set[str]:
        value = self.answers.get(question_id)
        return set(value) if isinstance(value, list) else set()

    @property
    def technologies(self) -> set[str]:
        return self.choices("project.technologies")

    def technologies_of(self, stream: Stream | None) -> set[str]:
        """The technologies a stream uses: those it names, or else all of the project's."""
        named = set(stream.item.get("technologies") or []) if stream is not None else set()
        return named or self.technologies

    def answers_for(self, stream: Stream | None) -> Mapping[str, Any]:
        """The answers as one stream sees them: the project's technologies narrowed to the stream's own."""
        if stream is None or not stream.item.get("technologies"):
            return self.answers
        return ChainMap({"project.technologies": sorted(self.technologies_of(stream))}, self.answers)

    @property
    def places(self) -> set[str]:
        return self.choices("project.places")

    def items(self, question_id: str) -> list[Mapping[str, Any]]:
        value = self.answers.get(question_id)
        return [i for i in value if isinstance(i, Mapping)] if isinstance(value, list) else []

    def has_evidence(self, question_id: str) -> bool:
        return question_id in self.evidence

    def reason(self, reason_id: str, **params: Any) -> Text:
        return render(self.bank.reasons[reason_id].text, params)

    def period(self, days: float) -> dict[str, str]:
        """A retention period in words for a rule's {period}, in both languages ("for one day", "for 1.5
        days", « 1,5 jour », « 3 jours »). The longest period the questionnaire takes is how users enter data kept with
        no end (its help says so): it reads as such."""
        if days >= self._longest_retention():
            text = self.reason("retention.no_end")
        else:
            count = int(days) if float(days).is_integer() else days
            reason = "retention.one_day" if count == 1 else \
                "retention.under_two_days" if count < 2 else "retention.days"
            text = self.reason(reason, days=count, days_fr=str(count).replace(".", ","))
        return {"period": text.en, "period_fr": text.fr}

    def _longest_retention(self) -> float:
        return self.bank.questions["streams.list"].field("retention_days").maximum

    def is_competent_authority(self, controller_kind: str | None) -> bool:
        return controller_kind in self.bank.regime.competent_authorities

    def is_law_enforcement_purpose(self, purpose_kind: str | None) -> bool:
        return purpose_kind in self.bank.regime.law_enforcement_purposes

    def facts(self, kind: str):
        """The bank's facts of this kind whose conditions hold for these answers."""
        return [fact for fact in self.bank.facts_of(kind) if evaluate(fact.when, self.answers)]


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(text: Text, params: Mapping[str, Any]) -> Text:
    """Fill {placeholders} in both languages. A list becomes 'a, b'; `name_fr` overrides `name` in French."""

    def fill(template: str, language: str) -> str:
        values = _Params()
        for key, value in params.items():
            if key.endswith("_fr"):
                continue
            chosen = params.get(f"{key}_fr", value) if language == "fr" else value
            values[key] = ", ".join(map(str, chosen)) if isinstance(chosen, list | tuple) else chosen
        return template.format_map(values)

    return Text(fill(text.en, "en"), fill(text.fr, "fr"))


Rule = Callable[[Context], Iterable[Hit]]


def rule(registry: dict[str, Rule], rule_id: str):
    """Register a rule function under its id (the id of its entry in rules.toml)."""

    def register(function: Rule) -> Rule:
        if rule_id in registry:
            raise ValueError(f"duplicate rule id {rule_id}")
        function.rule_id = rule_id
        registry[rule_id] = function
        return function

    return register
