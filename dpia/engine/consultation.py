"""Prior consultation of the supervisory authority: GDPR Art. 36(1); LED Art. 28(1)(a) and (b)."""

from __future__ import annotations

from dpia.engine.bank import Citation
from dpia.engine.context import FRT, Context
from dpia.engine.result import Consultation, RiskScore

NEW_TECH = FRT | {"video_analytics", "audio_sensors", "predictive_algorithms", "social_media_monitoring",
                  "data_fusion", "drones"}


def assess_consultation(ctx: Context, risks: tuple[RiskScore, ...]) -> Consultation:
    high_residual = any(r.residual_level == "high" for r in risks)
    grounds, citations, reasons = [], [], []
    gdpr = any(s.analysis == "gdpr" for s in ctx.streams)
    led_new_systems = [s for s in ctx.streams if s.analysis == "led" and s.item.get("new_filing_system") != "no"]
    weeks, extension, regime = None, None, None
    if gdpr and high_residual:
        grounds.append("GDPR Art. 36(1)")
        citations.append(Citation("GDPR", "36", "1"))
        reasons.append(ctx.reason("consultation.high_residual_risk"))
        regime = "gdpr"
    new_technology = ctx.get("screening.new_technology") == "yes" or bool(ctx.technologies & NEW_TECH)
    if led_new_systems and high_residual:
        grounds.append("LED Art. 28(1)(a)")
        citations.append(Citation("LED", "28", "1", "a"))
        regime = regime or "led"
    if led_new_systems and new_technology:
        grounds.append("LED Art. 28(1)(b)")
        citations.append(Citation("LED", "28", "1", "b"))
        reasons.append(ctx.reason("consultation.new_filing_system_new_technology"))
        regime = regime or "led"
    # The time limit that runs is the GDPR's when a GDPR stream needs consultation, else the LED's.
    if regime is not None:
        weeks = int(ctx.bank.thresholds[f"{regime}_prior_consultation_weeks"].value)
        extension = ctx.reason(f"consultation.{regime}_extension")
    jurisdiction = ctx.jurisdiction
    if grounds and jurisdiction is not None and not jurisdiction.eu_law_applies:
        # Outside the Union the duty comes from the state's own law, modelled on these articles.
        provision = jurisdiction.dpia_provision.en if jurisdiction.dpia_provision else jurisdiction.framework.en
        grounds = [f"{provision} (as {ground})" for ground in grounds]
    return Consultation(required=bool(grounds), grounds=tuple(grounds), regulator_weeks=weeks, extension=extension,
                        citations=tuple(citations), reasons=tuple(reasons), regime=regime)
