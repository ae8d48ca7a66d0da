"""What the engine returns: dataclasses with a stable to_dict()."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dpia.engine.bank import Citation, Text

ENGINE_VERSION = "0.2.0"

SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}
PART_STATUSES = ("pass", "concern", "fail", "not_assessable")
TEST_PARTS = ("legality", "legitimate_aim", "necessity", "proportionality")
# The verdict on the project as described; the completeness of the document is a separate result.
VERDICTS = ("proceed", "proceed_with_conditions", "prior_consultation_required", "unlawful_as_proposed")


def _text(value: Text | None) -> dict[str, str] | None:
    return value.to_dict() if value is not None else None


@dataclass(frozen=True)
class Finding:
    id: str
    prong: str
    severity: str
    title: Text
    explanation: Text
    resolution: Text
    citations: tuple[Citation, ...]
    answers: tuple[str, ...]
    stream: str | None = None
    level: str | None = None  # the seriousness level the severity was read at, for rules that scale
    stated: Text | None = None  # the user's own conclusion that the facts contradict

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "prong": self.prong, "severity": self.severity, "stream": self.stream,
            "level": self.level,
            "title": _text(self.title), "explanation": _text(self.explanation),
            "resolution": _text(self.resolution), "stated": _text(self.stated),
            "citations": [c.to_dict() for c in self.citations], "answers": list(self.answers),
        }


@dataclass(frozen=True)
class FactorHit:
    id: str
    label: Text
    points: int
    citations: tuple[Citation, ...]
    at_least: str | None = None
    at_most: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": _text(self.label), "points": self.points, "at_least": self.at_least,
                "at_most": self.at_most, "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class StreamSeriousness:
    """How serious a stream's interference is, and the factors that raised or lowered it."""

    stream: str | None
    name: str
    level: str
    label: Text
    points: int
    demands: Text
    raised: tuple[FactorHit, ...]
    lowered: tuple[FactorHit, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "name": self.name, "level": self.level, "label": _text(self.label),
                "points": self.points, "demands": _text(self.demands),
                "raised": [f.to_dict() for f in self.raised], "lowered": [f.to_dict() for f in self.lowered],
                "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class Screening:
    outcome: str  # "required" | "likely_required" | "not_required"
    criteria_met: tuple[str, ...]
    criteria_from_facts: tuple[str, ...]
    mandatory_grounds: tuple[Text, ...]  # "GDPR Art. 35(3)(c)", national list entries...
    reasons: tuple[Text, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "criteria_met": list(self.criteria_met),
                "criteria_from_facts": list(self.criteria_from_facts),
                "mandatory_grounds": [_text(g) for g in self.mandatory_grounds],
                "reasons": [_text(r) for r in self.reasons], "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class StreamRegime:
    stream: str
    name: str
    regime: str  # "gdpr" | "led" | "national_law" (outside EU law: the state's law and ECHR Art. 8)
    reasons: tuple[Text, ...]
    citations: tuple[Citation, ...]
    analysis: str = "gdpr"  # whose test is run: the GDPR's or the LED's, or their national equivalents
    framework: Text | None = None  # the framework applied, named for the report

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "name": self.name, "regime": self.regime, "analysis": self.analysis,
                "framework": _text(self.framework),
                "reasons": [_text(r) for r in self.reasons], "citations": [c.to_dict() for c in self.citations]}


@dataclass(frozen=True)
class PartResult:
    part: str
    status: str
    findings: tuple[str, ...]
    reason: Text | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"part": self.part, "status": self.status, "findings": list(self.findings),
                "reason": _text(self.reason)}


@dataclass(frozen=True)
class StreamTest:
    stream: str
    name: str
    parts: tuple[PartResult, ...]
    stopped_at: str | None  # the part whose failure ends the analysis

    def part(self, name: str) -> PartResult:
        return next(p for p in self.parts if p.part == name)

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "name": self.name, "parts": [p.to_dict() for p in self.parts],
                "stopped_at": self.stopped_at}


@dataclass(frozen=True)
class AiActResult:
    applies: bool
    basis: str  # "declared" | "presumed" (from technologies, question unanswered) | "not_declared" | "outside_union"
    prohibited: tuple[str, ...]  # Art. 5(1) points hit and not covered by an exception
    exception_claimed: str | None
    national_law: bool
    prior_authorisation: bool
    high_risk: tuple[str, ...]  # Annex III points
    fria_required: bool
    fria_missing: tuple[str, ...]  # Art. 27(1) points without content

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class RiskScore:
    key: str
    kind: str
    title: str
    severity: int
    likelihood: int
    level: str  # "low" | "medium" | "high"
    residual_severity: int
    residual_likelihood: int
    residual_level: str
    floor: int | None
    measures: tuple[str, ...]
    stated_severity: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class Consultation:
    required: bool
    grounds: tuple[str, ...]
    regulator_weeks: int | None
    extension: Text | None
    citations: tuple[Citation, ...]
    reasons: tuple[Text, ...]
    regime: str | None = None  # whose time limit runs: "gdpr" or "led"

    def to_dict(self) -> dict[str, Any]:
        return {"required": self.required, "grounds": list(self.grounds), "regulator_weeks": self.regulator_weeks,
                "regime": self.regime,
                "extension": _text(self.extension), "citations": [c.to_dict() for c in self.citations],
                "reasons": [_text(r) for r in self.reasons]}


@dataclass(frozen=True)
class VerdictCondition:
    """A condition of "proceed with conditions": what must be done, and the finding it answers."""

    finding: str
    stream: str | None
    text: Text

    def to_dict(self) -> dict[str, Any]:
        return {"finding": self.finding, "stream": self.stream, "text": _text(self.text)}


@dataclass(frozen=True)
class Verdict:
    """The verdict on the project as described, reached from the facts given. Where it rests on a
    point nobody answered, `assumptions` says what was assumed."""

    outcome: str
    reasons: tuple[Text, ...]
    assumptions: tuple[Text, ...] = ()
    conditions: tuple[VerdictCondition, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reasons": [_text(r) for r in self.reasons],
                "assumptions": [_text(a) for a in self.assumptions],
                "conditions": [c.to_dict() for c in self.conditions]}


@dataclass(frozen=True)
class Completeness:
    """The completeness of the DPIA as a document: the minimum content (GDPR Art. 35(7), LED
    Art. 27(2)) and the required questions left unanswered. Signing and submission wait for it."""

    complete: bool
    missing: tuple[str, ...]  # minimum-content elements absent
    unanswered: tuple[str, ...]  # required questions that apply and have no answer

    def to_dict(self) -> dict[str, Any]:
        return {"complete": self.complete, "missing": list(self.missing), "unanswered": list(self.unanswered)}


@dataclass(frozen=True)
class AssessmentResult:
    engine_version: str
    bank_version: str
    assessed_on: str
    screening: Screening
    regimes: tuple[StreamRegime, ...]
    tests: tuple[StreamTest, ...]
    ai_act: AiActResult
    risks: tuple[RiskScore, ...]
    consultation: Consultation
    verdict: Verdict
    completeness: Completeness
    seriousness: tuple[StreamSeriousness, ...] = ()
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    def finding_ids(self) -> set[str]:
        return {f.id for f in self.findings}

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version, "bank_version": self.bank_version,
            "assessed_on": self.assessed_on, "screening": self.screening.to_dict(),
            "regimes": [r.to_dict() for r in self.regimes], "tests": [t.to_dict() for t in self.tests],
            "ai_act": self.ai_act.to_dict(), "risks": [r.to_dict() for r in self.risks],
            "consultation": self.consultation.to_dict(), "verdict": self.verdict.to_dict(),
            "completeness": self.completeness.to_dict(),
            "seriousness": [s.to_dict() for s in self.seriousness],
            "findings": [f.to_dict() for f in self.findings],
        }
