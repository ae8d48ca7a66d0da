"""Risks to people: inherent and residual severity x likelihood on the CNIL four-level scales, with
floors that facts impose and reductions that only a measure can earn."""

from __future__ import annotations

from dataclasses import dataclass

from dpia.engine.context import Context, Hit, rule
from dpia.engine.result import RiskScore

RULES: dict = {}

LEVELS = {"negligible": 1, "limited": 2, "significant": 3, "maximum": 4}


def band(severity: int, likelihood: int) -> str:
    """Three bands from the 4x4 map (a design choice, following the regulators' risk-map practice): a maximum
    severity with at least limited likelihood, or significant on both axes, is high. Monotonic in
    both arguments."""
    if (severity >= 4 and likelihood >= 2) or (severity >= 3 and likelihood >= 3):
        return "high"
    if severity + likelihood >= 5:
        return "medium"
    return "low"


@dataclass(frozen=True)
class _Floor:
    severity: int
    fact_id: str


def floors(ctx: Context) -> dict[str, _Floor]:
    """The highest floor that the facts impose on each kind of risk."""
    out: dict[str, _Floor] = {}
    for fact in ctx.facts("severity_floor"):
        kind, severity = fact.value["risk"], int(fact.value["severity"])
        if kind not in out or out[kind].severity < severity:
            out[kind] = _Floor(severity, fact.id)
    return out


def _measured_kinds(ctx: Context) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for measure in ctx.items("measures.list"):
        for kind in measure.get("addresses") or []:
            out.setdefault(kind, []).append(str(measure.get("title") or measure.get("key")))
    return out


def _residual_claims(ctx: Context) -> dict[str, tuple[int, int]]:
    out = {}
    for entry in ctx.items("measures.residual"):
        kind = entry.get("risk")
        severity, likelihood = LEVELS.get(entry.get("residual_severity")), LEVELS.get(entry.get("residual_likelihood"))
        if kind and severity and likelihood:
            out[kind] = (severity, likelihood)
    return out


def score_risks(ctx: Context) -> tuple[RiskScore, ...]:
    floor_of = floors(ctx)
    measured = _measured_kinds(ctx)
    residual = _residual_claims(ctx)
    scores = []
    for index, item in enumerate(ctx.items("risks.list"), start=1):
        kind = item.get("risk") or "other"
        stated = LEVELS.get(item.get("severity"))
        likelihood = LEVELS.get(item.get("likelihood")) or 2
        severity = stated or 2
        floor = floor_of.get(kind)
        # A floor set by the facts holds unless the author explains why this project is different.
        if floor and severity < floor.severity and not item.get("justification"):
            severity = floor.severity
        res_severity, res_likelihood = severity, likelihood
        if kind in residual and kind in measured:
            claimed_s, claimed_l = residual[kind]
            res_severity, res_likelihood = min(severity, claimed_s), min(likelihood, claimed_l)
        scores.append(RiskScore(
            key=str(item.get("key") or index), kind=kind, title=str(item.get("title") or kind),
            severity=severity, likelihood=likelihood, level=band(severity, likelihood),
            residual_severity=res_severity, residual_likelihood=res_likelihood,
            residual_level=band(res_severity, res_likelihood),
            floor=floor.severity if floor else None, measures=tuple(measured.get(kind, ())), stated_severity=stated,
        ))
    return tuple(scores)


def kind_label(ctx: Context, kind: str | None, language: str) -> str:
    """A kind of risk in words, for a finding's text."""
    return ctx.bank.question("risks.list").field("risk").choice_label(str(kind or ""), language)


@rule(RULES, "risks.severity_below_floor")
def below_floor(ctx: Context):
    floor_of = floors(ctx)
    for item in ctx.items("risks.list"):
        floor = floor_of.get(item.get("risk"))
        stated = LEVELS.get(item.get("severity"))
        if floor and stated and stated < floor.severity and not item.get("justification"):
            fact = next(f for f in ctx.bank.facts if f.id == floor.fact_id)
            yield Hit("risks.severity_below_floor", ("risks.list",),
                      params={"risk": kind_label(ctx, item.get("risk"), "en"),
                              "risk_fr": kind_label(ctx, item.get("risk"), "fr"),
                              "floor": floor.severity, "why": fact.description.en,
                              "why_fr": fact.description.fr})


@rule(RULES, "risks.residual_lowered_without_measure")
def residual_without_measure(ctx: Context):
    measured = _measured_kinds(ctx)
    inherent = {i.get("risk"): (LEVELS.get(i.get("severity")), LEVELS.get(i.get("likelihood")))
                for i in ctx.items("risks.list")}
    for kind, (severity, likelihood) in _residual_claims(ctx).items():
        before = inherent.get(kind)
        if before and None not in before and (severity < before[0] or likelihood < before[1]) and kind not in measured:
            yield Hit("risks.residual_lowered_without_measure", ("measures.residual", "measures.list"),
                      params={"risk": kind_label(ctx, kind, "en"), "risk_fr": kind_label(ctx, kind, "fr")})


@rule(RULES, "risks.expected_risk_missing")
def expected_missing(ctx: Context):
    treated = {i.get("risk") for i in ctx.items("risks.list")}
    if not treated:
        return
    expected = sorted({kind for fact in ctx.facts("expected_risk") for kind in fact.value} - treated)
    if expected:
        field = ctx.bank.question("risks.list").field("risk")
        yield Hit("risks.expected_risk_missing", ("risks.list",),
                  params={"risks": [field.choice_label(k, "en") for k in expected],
                          "risks_fr": [field.choice_label(k, "fr") for k in expected]})


@rule(RULES, "risks.measure_without_owner")
def measure_without_owner(ctx: Context):
    for measure in ctx.items("measures.list"):
        if measure.get("status") == "planned" and not (measure.get("owner") and measure.get("due_date")):
            yield Hit("risks.measure_without_owner", ("measures.list",),
                      params={"measure": measure.get("title", "")})


@rule(RULES, "risks.high_residual_risk")
def high_residual(ctx: Context):
    for score in score_risks(ctx):
        if score.residual_level == "high":
            # A risk with no title of its own is named by its kind, in words (never by the kind's id).
            untitled = score.title == score.kind
            yield Hit("risks.high_residual_risk", ("risks.list", "measures.residual"),
                      params={"risk": kind_label(ctx, score.kind, "en") if untitled else score.title,
                              "risk_fr": kind_label(ctx, score.kind, "fr") if untitled else score.title})
