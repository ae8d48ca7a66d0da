"""Completeness against the minimum content of a DPIA, the four-part test per stream, and the verdict."""

from __future__ import annotations

from dpia.engine.context import Context, Hit, rule
from dpia.engine.result import TEST_PARTS, Completeness, Finding, PartResult, StreamTest, Verdict, VerdictCondition

RULES: dict = {}

# GDPR Art. 35(7)(a)-(d) and LED Art. 27(2): each element, and the answers that make it present.
MINIMUM_CONTENT = {
    "GDPR 35(7)(a) / LED 27(2): description of the processing": (("project.summary", "project.purposes"),
                                                                  ("streams.list",)),
    # LED Art. 27(2) does not list it, but LED Art. 8 and 10 demand necessity all the same.
    "GDPR 35(7)(b): necessity and proportionality": (("necessity.objective",), ("necessity.alternatives",),
                                                     ("proportionality.balance",)),
    "GDPR 35(7)(c) / LED 27(2): risks to rights and freedoms": (("risks.list",),),
    "GDPR 35(7)(d) / LED 27(2): measures envisaged": (("measures.list",),),
}

# The same elements in French (the English words are their ids in sealed versions).
NB = "\u00a0"
MINIMUM_CONTENT_FR = {
    "GDPR 35(7)(a) / LED 27(2): description of the processing":
        f"RGPD art.{NB}35, §{NB}7, point{NB}a) / directive (UE) 2016/680 art.{NB}27, §{NB}2{NB}: "
        "description du traitement",
    "GDPR 35(7)(b): necessity and proportionality":
        f"RGPD art.{NB}35, §{NB}7, point{NB}b){NB}: nécessité et proportionnalité",
    "GDPR 35(7)(c) / LED 27(2): risks to rights and freedoms":
        f"RGPD art.{NB}35, §{NB}7, point{NB}c) / directive (UE) 2016/680 art.{NB}27, §{NB}2{NB}: "
        "risques pour les droits et libertés",
    "GDPR 35(7)(d) / LED 27(2): measures envisaged":
        f"RGPD art.{NB}35, §{NB}7, point{NB}d) / directive (UE) 2016/680 art.{NB}27, §{NB}2{NB}: "
        "mesures envisagées",
}


def provisional(outcome: str, complete: bool) -> bool:
    """Short of a bar, a verdict on an incomplete document may still change as the missing answers come in."""
    return not complete and outcome != "unlawful_as_proposed"


def minimum_content_label(element: str, language: str) -> str:
    return MINIMUM_CONTENT_FR.get(element, element) if language == "fr" else element


# Without these answers a part of the test cannot be assessed.
PART_INPUTS = {
    "legality": ("legality.legal_provision", "legality.instrument_kind"),
    "legitimate_aim": ("necessity.objective",),
    "necessity": ("necessity.alternatives", "necessity.effectiveness_evidence"),
    "proportionality": ("proportionality.balance", "proportionality.safeguards"),
}
STOP_RULES = {"proportionality.essence_not_respected"}


def missing_content(ctx: Context) -> list[str]:
    missing = []
    for element, groups in MINIMUM_CONTENT.items():
        # Every group must be present; within a group, one answer is enough.
        if not all(any(ctx.answered(qid) for qid in group) for group in groups):
            missing.append(element)
    return missing


@rule(RULES, "completeness.minimum_content_missing")
def content_missing(ctx: Context):
    missing = missing_content(ctx)
    if missing and not ctx.anonymous_at_source:
        yield Hit("completeness.minimum_content_missing",
                  tuple(qid for element in missing for group in MINIMUM_CONTENT[element] for qid in group),
                  params={"missing": missing, "missing_fr": [minimum_content_label(m, "fr") for m in missing]})


def _status(findings: list[Finding], inputs_present: bool) -> str:
    if any(f.severity == "blocker" for f in findings):
        return "fail"
    if not inputs_present:
        return "not_assessable"
    if any(f.severity == "major" for f in findings):
        return "concern"
    return "pass"


def stream_tests(ctx: Context, findings: list[Finding]) -> tuple[StreamTest, ...]:
    tests = []
    for stream in ctx.streams:
        parts, stopped_at = [], None
        for part in TEST_PARTS:
            relevant = [f for f in findings if f.prong == part and f.stream in (None, stream.key)]
            if stopped_at:
                parts.append(PartResult(part, "not_assessable", tuple(f.id for f in relevant),
                                        ctx.reason("verdict.stopped")))
                continue
            inputs = PART_INPUTS[part]
            if part == "legality":
                present = all(ctx.of_stream(qid, stream) is not None for qid in inputs)
            else:
                present = all(ctx.answered(qid) for qid in inputs)
            status = _status(relevant, present)
            parts.append(PartResult(part, status, tuple(f.id for f in relevant)))
            if status == "fail" and (part == "legality" or any(f.id in STOP_RULES for f in relevant)):
                stopped_at = part
        tests.append(StreamTest(stream=stream.key, name=stream.name, parts=tuple(parts), stopped_at=stopped_at))
    return tuple(tests)


# Points the verdict cannot do without; left unanswered, the verdict says what it assumed.
ASSUMED_WHEN_UNANSWERED = ("legality.instrument_kind", "legality.legal_provision", "legality.provision_specificity",
                           "legality.law_published", "legality.law_specifies", "necessity.objective",
                           "necessity.effectiveness_evidence", "necessity.alternatives",
                           "proportionality.safeguards", "rights.information_layers", "risks.list")


def assumptions(ctx: Context) -> tuple:
    """What the verdict assumed: the questions above that were asked of this project (of one of its streams, for
    a question asked per stream) and are still unanswered there."""
    out = []
    for qid in ctx.bank.unanswered_where_asked(ctx.raw, ASSUMED_WHEN_UNANSWERED):
        question = ctx.bank.questions[qid]
        out.append(ctx.reason("verdict.assumed", question=question.label.en, question_fr=question.label.fr))
    return tuple(out)


# With verified anonymisation at the source no DPIA is owed: the record needs only the facts that
# show it (what the project is, its streams and the anonymisation).
SECTIONS_WITHOUT_PERSONAL_DATA = ("screening", "project", "streams")


def completeness(ctx: Context, missing: list[str]) -> Completeness:
    unanswered = ctx.bank.unanswered_required(ctx.raw)
    if ctx.anonymous_at_source:
        missing = []
        unanswered = [q for q in unanswered if ctx.bank.questions[q].section in SECTIONS_WITHOUT_PERSONAL_DATA]
    return Completeness(complete=not missing and not unanswered, missing=tuple(missing),
                        unanswered=tuple(unanswered))


def decide(ctx: Context, findings: list[Finding], consultation_required: bool) -> Verdict:
    """The verdict on the project as described. Completeness of the document never enters it: an
    unanswered point is assumed, and said to be."""
    judged = [f for f in findings if f.prong != "completeness"]
    blockers = [f for f in judged if f.severity == "blocker"]
    conditions = tuple(VerdictCondition(f.id, f.stream, f.resolution) for f in judged if f.severity == "major")
    assumed = assumptions(ctx)
    if blockers:
        return Verdict("unlawful_as_proposed", tuple(f.title for f in blockers), assumed)
    if consultation_required:
        return Verdict("prior_consultation_required", (ctx.reason("verdict.consult"),), assumed, conditions)
    if conditions:
        return Verdict("proceed_with_conditions", (ctx.reason("verdict.conditions", count=len(conditions)),),
                       assumed, conditions)
    return Verdict("proceed", (ctx.reason("verdict.proceed"),), assumed)
