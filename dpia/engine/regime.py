"""Regime per processing stream: GDPR, LED, or outside EU law (which must be justified)."""

from __future__ import annotations

from dpia.engine.bank import Citation, Text
from dpia.engine.context import Context, Hit, Stream, rule
from dpia.engine.result import StreamRegime

RULES: dict = {}


def decide(ctx: Context, item) -> tuple[str, str, list[Text], list[Citation]]:
    """(regime, analysis, reasons, citations) for one stream. Outside EU law the same four-part test
    runs under the state's own law and ECHR Art. 8(2): `analysis` says whether the GDPR's or the
    LED's structure is applied, by the same test of controller and purpose."""
    controller, purpose = item.get("controller_kind"), item.get("purpose_kind")
    law_enforcement = ctx.is_competent_authority(controller) and ctx.is_law_enforcement_purpose(purpose)
    analysis = "led" if law_enforcement else "gdpr"
    jurisdiction = ctx.jurisdiction
    if jurisdiction is not None and not jurisdiction.eu_law_applies:
        key, regime = ("regime.outside_eu_coe" if jurisdiction.council_of_europe
                       else "regime.outside_eu"), "outside_eu_law"
    elif purpose == "national_security" and controller == "intelligence_service":
        key, regime = "regime.national_security", "outside_eu_law"
    elif law_enforcement:
        key, regime = "regime.led", "led"
    elif not controller or not purpose:
        key, regime = "regime.undetermined", "gdpr"  # said as an assumption, not as a finding about the body
    elif ctx.is_competent_authority(controller):
        key, regime = "regime.competent_authority_other_task", "gdpr"
    else:
        key, regime = "regime.gdpr", "gdpr"
    reason = ctx.bank.reasons[key]
    return regime, analysis, [reason.text], list(reason.citations)


def framework(ctx: Context) -> Text | None:
    """The framework the streams are judged under (the country's), named for the report."""
    jurisdiction = ctx.jurisdiction
    return jurisdiction.framework if jurisdiction is not None else None


def streams_of(ctx: Context) -> list[Stream]:
    out = []
    for index, item in enumerate(ctx.items("streams.list"), start=1):
        regime, analysis, _, _ = decide(ctx, item)
        out.append(Stream(key=str(item.get("key") or index), name=str(item.get("name") or f"#{index}"),
                          item=item, regime=regime, analysis=analysis))
    return out


def assess_regimes(ctx: Context) -> tuple[StreamRegime, ...]:
    out = []
    for stream in ctx.streams:
        regime, analysis, reasons, citations = decide(ctx, stream.item)
        out.append(StreamRegime(stream=stream.key, name=stream.name, regime=regime, reasons=tuple(reasons),
                                citations=tuple(citations), analysis=analysis,
                                framework=framework(ctx)))
    return tuple(out)


@rule(RULES, "regime.national_security_non_security_body")
def national_security_by_other_body(ctx: Context):
    for stream in ctx.streams:
        if stream.purpose_kind == "national_security" and stream.controller_kind != "intelligence_service":
            yield Hit("regime.national_security_non_security_body", ("streams.list",), stream.key)


@rule(RULES, "regime.led_purpose_without_competent_authority")
def led_purpose_without_authority(ctx: Context):
    """A city or company pursuing crime prevention itself: GDPR applies, and the power is doubtful."""
    for stream in ctx.streams:
        if stream.analysis == "gdpr" and ctx.is_law_enforcement_purpose(stream.purpose_kind):
            yield Hit("regime.led_purpose_without_competent_authority", ("streams.list",), stream.key)


@rule(RULES, "regime.outside_eu_law_unjustified")
def outside_unjustified(ctx: Context):
    """A stream put outside EU law for national security must say which body, under which law."""
    for stream in ctx.streams:
        if stream.purpose_kind == "national_security" and stream.controller_kind == "intelligence_service" and \
                not ctx.text("screening.national_security_justification"):
            yield Hit("regime.outside_eu_law_unjustified",
                      ("streams.list", "screening.national_security", "screening.national_security_justification"),
                      stream.key)


@rule(RULES, "regime.mixed_regimes")
def mixed_regimes(ctx: Context):
    if len({s.analysis for s in ctx.streams}) > 1:
        yield Hit("regime.mixed_regimes", ("streams.list",))


@rule(RULES, "regime.no_streams")
def no_streams(ctx: Context):
    if not ctx.streams:
        yield Hit("regime.no_streams", ("streams.list",))
