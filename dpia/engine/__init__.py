"""The assessment engine: pure Python, answers in, findings out.

    assess(answers, bank, *, today, evidence=()) -> AssessmentResult

`evidence` names the question ids that carry at least one piece of evidence, so that claims made
without any can be flagged. Nothing here imports Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from dpia.engine import (
    ai_act,
    alternatives,
    claims,
    consultation,
    legality,
    necessity,
    proportionality,
    regime,
    rights,
    risks,
    screening,
    seriousness,
    verdict,
)
from dpia.engine.bank import QuestionBank, RuleText, Text
from dpia.engine.context import Context, Hit, render
from dpia.engine.result import ENGINE_VERSION, SEVERITY_ORDER, AssessmentResult, Finding

RULE_MODULES = (screening, regime, legality, necessity, alternatives, claims, proportionality, rights, ai_act, risks,
                verdict)


def all_rules() -> dict:
    rules: dict = {}
    for module in RULE_MODULES:
        rules.update(module.RULES)
    return rules


def finding_from(hit: Hit, text: RuleText, ctx: Context) -> Finding:
    stream = ctx.stream(hit.stream)
    params = {"stream": stream.name if stream else "", **hit.params}
    level = ctx.level_of(hit.stream) if text.scales_with else None
    eu_law = ctx.jurisdiction is None or ctx.jurisdiction.eu_law_applies
    drafting, targeted, framed = ctx.drafting(stream), ctx.targeted(stream), ctx.framed_by_published_rules(stream)
    severity = ctx.bank.severity_of(hit.rule, level, eu_law=eu_law, drafting=drafting, targeted=targeted,
                                    framed=framed)
    resolution, citations = render(text.resolution, params), text.citations
    base = ctx.bank.severity_of(hit.rule, level, eu_law=eu_law)
    # Lightened because the text is a draft (the resolution is addressed to its drafting), because the
    # measure is targeted, or because published rules under the law fix whom it targets and where (the gap
    # becomes a condition): the resolution says which.
    lightened_by = (
        ("legality.drafting_condition",
         drafting and ctx.bank.severity_of(hit.rule, level, eu_law=eu_law, drafting=True) != base),
        ("legality.targeted_measure_condition",
         targeted and ctx.bank.severity_of(hit.rule, level, eu_law=eu_law, targeted=True) != base),
        ("legality.published_rules_condition",
         framed and ctx.bank.severity_of(hit.rule, level, eu_law=eu_law, framed=True) != base),
    )
    for reason, applies in lightened_by:
        if applies:
            note = ctx.bank.reasons[reason]
            resolution = Text(f"{resolution.en} {note.text.en}", f"{resolution.fr} {note.text.fr}")
            citations = citations + tuple(c for c in note.citations if c not in citations)
    return Finding(id=hit.rule, prong=text.prong, severity=severity,
                   title=render(text.title, params), explanation=render(text.explanation, params),
                   resolution=resolution, citations=citations, answers=hit.answers,
                   stream=hit.stream, level=level, stated=stated_answer(hit, stream, ctx))


def stated_answer(hit: Hit, stream, ctx: Context):
    """The user's own conclusion that a rule overrides, as they gave it (both languages)."""
    if not hit.stated:
        return None
    question = ctx.bank.question(hit.stated)
    value = ctx.of_stream(hit.stated, stream) if question.per_item and stream else ctx.get(hit.stated)
    return Text(f"{question.label.en} — {question.display(value, 'en')}",
                f"{question.label.fr} — {question.display(value, 'fr')}")


def context_for(answers: Mapping[str, Any], bank: QuestionBank, *, today: dt.date,
                evidence: Iterable[str] = ()) -> Context:
    """The facts every rule reads: the answers that count, the streams with their regime, and the
    seriousness of each stream's interference."""
    ctx = Context(answers, bank, today=today, evidence=evidence)
    ctx.streams = regime.streams_of(ctx)
    ctx.seriousness = seriousness.assess_seriousness(ctx)
    ctx.levels = {level.stream: level.level for level in ctx.seriousness}
    ctx.anonymous_at_source = all(any(f.id == seriousness.ANONYMISED_AT_SOURCE for f in level.lowered)
                                  for level in ctx.seriousness)
    ctx.screening = screening.assess_screening(ctx)
    return ctx


def assess(answers: Mapping[str, Any], bank: QuestionBank, *, today: dt.date,
           evidence: Iterable[str] = ()) -> AssessmentResult:
    ctx = context_for(answers, bank, today=today, evidence=evidence)
    levels = ctx.seriousness
    hits: list[Hit] = []
    for function in all_rules().values():
        hits.extend(function(ctx))
    findings = [finding_from(hit, bank.rules[hit.rule], ctx) for hit in hits]
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.prong, f.id, f.stream or ""))
    scored = risks.score_risks(ctx)
    consulted = consultation.assess_consultation(ctx, scored)
    return AssessmentResult(
        engine_version=ENGINE_VERSION, bank_version=bank.version, assessed_on=today.isoformat(),
        screening=ctx.screening,
        regimes=regime.assess_regimes(ctx),
        tests=verdict.stream_tests(ctx, findings),
        ai_act=ai_act.assess_ai_act(ctx, [h for h in hits if h.rule in ai_act.PROHIBITION_RULES]),
        risks=scored,
        consultation=consulted,
        verdict=verdict.decide(ctx, findings, consulted.required),
        completeness=verdict.completeness(ctx, verdict.missing_content(ctx)),
        seriousness=levels,
        findings=tuple(findings),
    )
