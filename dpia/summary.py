"""The live summary of a draft's findings, shaped for templates (no logic left for them)."""

from dataclasses import dataclass

from django.urls import reverse

from dpia import labels
from dpia.engine.bank import CitationLink, default_bank
from dpia.engine.result import AssessmentResult
from dpia.engine.verdict import provisional
from dpia.stepforms import field_anchor

SHOWN = 6
SOURCES_SHOWN = 3  # the answers named under each finding


@dataclass
class SummarySource:
    """An answer a finding rests on, linked to where it is given."""

    label: str
    link: str


@dataclass
class SummaryFinding:
    severity: str
    severity_label: str
    title: str
    citations: list[CitationLink]
    stream: str
    link: str
    sources: list[SummarySource]


@dataclass
class Summary:
    verdict: str
    verdict_label: str
    complete: bool
    provisional: bool
    completeness_label: str
    unanswered: int
    screening_label: str
    counts: list[tuple[str, str, int]]
    findings: list[SummaryFinding]
    more: int
    consultation_weeks: int | None


def summarise(result: AssessmentResult, assessment_pk: int, *, answers: dict) -> Summary:
    language = labels.current_language()
    # With no screening answer yet, the engine's "not required" would be a finding about nothing.
    screened = any(question_id.startswith("screening.") for question_id in answers)
    streams = {r.stream: r.name for r in result.regimes}
    serious = [f for f in result.findings if f.severity in ("blocker", "major")]
    counts = [(severity, str(labels.SEVERITIES[severity]), sum(1 for f in result.findings if f.severity == severity))
              for severity in ("blocker", "major", "minor", "info")]
    bank = default_bank()
    shown = []
    for finding in serious[:SHOWN]:
        question = finding.answers[0] if finding.answers else ""
        section = question.split(".")[0]
        sources = []
        for question_id in [a for a in finding.answers if a in bank.questions][:SOURCES_SHOWN]:
            rests_on = bank.question(question_id)
            key = finding.stream if rests_on.per_item else None
            step = reverse("wizard_step", kwargs={"pk": assessment_pk, "step": rests_on.section})
            anchor = field_anchor(rests_on, key)
            sources.append(SummarySource(label=rests_on.label.get(language),
                                         link=f"{step}#{anchor}" if anchor else step))
        shown.append(SummaryFinding(
            severity=finding.severity, severity_label=str(labels.SEVERITIES[finding.severity]),
            title=finding.title.get(language), citations=default_bank().cite_all(finding.citations, language),
            stream=streams.get(finding.stream, ""),
            link=sources[0].link if sources else
            reverse("wizard_step", kwargs={"pk": assessment_pk, "step": section}) + f"#q-{question}",
            sources=sources,
        ))
    # No processing stream described (one regime per stream): nothing to judge, so "proceed" is no verdict yet; a
    # bar found in the project's other answers is still shown.
    described = bool(result.regimes) or result.verdict.outcome != "proceed"
    return Summary(
        verdict=result.verdict.outcome if described else "not_yet",
        verdict_label=str(labels.VERDICTS[result.verdict.outcome] if described else labels.VERDICT_NOT_YET),
        complete=result.completeness.complete,
        provisional=described and provisional(result.verdict.outcome, result.completeness.complete),
        completeness_label=str(labels.COMPLETENESS[result.completeness.complete]),
        unanswered=len(result.completeness.unanswered),
        screening_label=str(labels.SCREENING[result.screening.outcome] if screened else labels.SCREENING_NOT_ANSWERED),
        counts=counts, findings=shown,
        more=max(0, len(serious) - SHOWN),
        consultation_weeks=result.consultation.regulator_weeks if result.consultation.required else None,
    )
