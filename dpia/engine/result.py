"""What the engine returns: dataclasses with a stable to_dict()."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dpia.engine.bank import Citation, Text

ENGINE_VERSION = "0.1.0"

SEVERITY_ORDER = {"blocker": 0, "major": 1, "minor": 2, "info": 3}
PART_STATUSES = ("pass", "concern", "fail", "not_assessable")
TEST_PARTS = ("legality", "legitimate_aim", "necessity", "proportionality")
VERDICTS = ("proceed", "proceed_with_conditions", "prior_consultation_required", "incomplete",
            "unlawful_as_proposed")


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "prong": self.prong, "severity": self.severity, "stream": self.stream,
            "title": _text(self.title), "explanation": _text(self.explanation),
            "resolution": _text(self.resolution),
            "citations": [c.to_dict() for c in self.citations], "answers": list(self.answers),
        }


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
    regime: str  # "gdpr" | "led" | "outside_eu_law"
    reasons: tuple[Text, ...]
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"stream": self.stream, "name": self.name, "regime": self.regime,
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
class Verdict:
    outcome: str
    reasons: tuple[Text, ...]
    missing: tuple[str, ...]  # minimum-content elements absent (GDPR 35(7)(a)-(d), LED 27(2))

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reasons": [_text(r) for r in self.reasons], "missing": list(self.missing)}


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
            "findings": [f.to_dict() for f in self.findings],
        }
