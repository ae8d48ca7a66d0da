"""AI Act overlay: Art. 5 prohibitions, Annex III high-risk classification, FRIA (Art. 27)."""

from __future__ import annotations

from dpia.engine.bank import Citation, Text
from dpia.engine.context import FRT, PUBLIC_CONTROLLERS, Context, Hit, rule
from dpia.engine.result import AiActResult

RULES: dict = {}

FRIA_CONTENT = {  # Art. 27(1)(a)-(f)
    "a": "ai_act.fria_processes", "b": "ai_act.fria_period_frequency", "c": "ai_act.fria_affected_groups",
    "d": "ai_act.fria_specific_risks", "e": "ai_act.fria_human_oversight", "f": "ai_act.fria_mitigation_governance",
}


def in_union(ctx: Context) -> bool:
    """The AI Act binds deployers in the Union; a system used entirely outside it is judged under
    national and human-rights law instead."""
    jurisdiction = ctx.jurisdiction
    return jurisdiction is None or jurisdiction.in_union


def prohibitions_apply(ctx: Context) -> bool:
    """Art. 5 binds from its date of application (a decision taken before it is judged without it)."""
    return in_union(ctx) and ctx.today >= ctx.bank.dates["ai_act_prohibitions"].value


def _practices(ctx: Context) -> set[str]:
    return ctx.choices("ai_act.practices") if prohibitions_apply(ctx) else set()


def realtime_rbi_for_law_enforcement(ctx: Context) -> bool:
    return "realtime_remote_biometric_identification" in _practices(ctx) and \
        ctx.get("ai_act.law_enforcement") != "no" and ctx.get("ai_act.publicly_accessible_space") != "no"


GAP_WORDS = {
    "objective": Text("an objective of Art. 5(1)(h)", "un objectif de l'art.\u00a05, §\u00a01, point\u00a0h)"),
    "national_law": Text("a national law allowing it", "une loi nationale qui l'autorise"),
    "authorisation": Text("a prior judicial or independent authorisation",
                          "une autorisation préalable judiciaire ou indépendante"),
}


def realtime_rbi_gaps(ctx: Context) -> list[str]:
    """What Art. 5(1)(h), 5(3) and 5(5) require and is not claimed."""
    gaps = []
    if ctx.get("ai_act.rbi_objective") in (None, "none"):
        gaps.append("objective")
    if ctx.get("ai_act.rbi_national_law") != "yes":
        gaps.append("national_law")
    if ctx.get("ai_act.rbi_authorisation") not in ("judicial", "independent_administrative"):
        gaps.append("authorisation")
    return gaps


def high_risk(ctx: Context) -> set[str]:
    return ctx.choices("ai_act.annex_iii") - {"none"} if in_union(ctx) else set()


def fria_required(ctx: Context) -> bool:
    return bool(high_risk(ctx)) and any(s.controller_kind in PUBLIC_CONTROLLERS for s in ctx.streams)


# Technologies that are AI systems as a rule (AI Act Art. 3(1)): ticking one is enough to read the project under
# the Act while the AI-system question is unanswered, as "unknown" is; a "no" against them is a finding.
AI_TECHNOLOGIES = FRT | {"video_analytics", "predictive_algorithms", "social_media_monitoring"}


def basis(ctx: Context) -> str:
    """Why the AI Act is, or is not, applied: outside the Union; declared (yes or unknown, or facial recognition,
    which is always an AI system); presumed from the technologies while the question is unanswered; not declared."""
    if not in_union(ctx):
        return "outside_union"
    declared = ctx.get("ai_act.is_ai_system")
    if declared in ("yes", "unknown") or ctx.technologies & FRT:
        return "declared"
    if declared is None and ctx.technologies & AI_TECHNOLOGIES:
        return "presumed"
    return "not_declared"


def assess_ai_act(ctx: Context, prohibited_hits: list[Hit]) -> AiActResult:
    why = basis(ctx)
    return AiActResult(
        applies=why in ("declared", "presumed"),
        basis=why,
        prohibited=tuple(sorted({h.params.get("point", "") for h in prohibited_hits})),
        exception_claimed=ctx.get("ai_act.rbi_objective") if realtime_rbi_for_law_enforcement(ctx) else None,
        national_law=ctx.get("ai_act.rbi_national_law") == "yes",
        prior_authorisation=ctx.get("ai_act.rbi_authorisation") in ("judicial", "independent_administrative"),
        high_risk=tuple(sorted(high_risk(ctx))),
        fria_required=fria_required(ctx),
        fria_missing=tuple(point for point, qid in FRIA_CONTENT.items()
                           if fria_required(ctx) and not ctx.answered(qid)),
    )


@rule(RULES, "ai_act.realtime_rbi_prohibited")
def realtime_rbi(ctx: Context):
    if realtime_rbi_for_law_enforcement(ctx) and realtime_rbi_gaps(ctx):
        yield Hit("ai_act.realtime_rbi_prohibited",
                  ("ai_act.practices", "ai_act.rbi_objective", "ai_act.rbi_national_law", "ai_act.rbi_authorisation"),
                  params={"point": "5(1)(h)", "gaps": [GAP_WORDS[g].en for g in realtime_rbi_gaps(ctx)],
                                                "gaps_fr": [GAP_WORDS[g].fr for g in realtime_rbi_gaps(ctx)]})


@rule(RULES, "ai_act.realtime_rbi_preconditions_missing")
def realtime_rbi_preconditions(ctx: Context):
    if realtime_rbi_for_law_enforcement(ctx) and not realtime_rbi_gaps(ctx) and (
            ctx.get("ai_act.rbi_fria_completed") != "yes" or ctx.get("ai_act.rbi_registered") != "yes"):
        yield Hit("ai_act.realtime_rbi_preconditions_missing",
                  ("ai_act.rbi_fria_completed", "ai_act.rbi_registered"))


@rule(RULES, "ai_act.untargeted_facial_scraping")
def scraping(ctx: Context):
    if "facial_image_scraping" in _practices(ctx):
        yield Hit("ai_act.untargeted_facial_scraping", ("ai_act.practices",), params={"point": "5(1)(e)"})


@rule(RULES, "ai_act.individual_prediction_by_profiling")
def individual_prediction(ctx: Context):
    if "individual_offending_prediction" in _practices(ctx) and ctx.get("ai_act.prediction_basis") != \
            "supports_human_assessment":
        yield Hit("ai_act.individual_prediction_by_profiling", ("ai_act.practices", "ai_act.prediction_basis"),
                  params={"point": "5(1)(d)"})


@rule(RULES, "ai_act.emotion_recognition_work_or_school")
def emotion(ctx: Context):
    settings = ctx.choices("ai_act.emotion_setting")
    if "emotion_recognition" in _practices(ctx) and settings & {"workplace", "education_institution"} and \
            ctx.get("ai_act.emotion_medical_safety") != "yes":
        yield Hit("ai_act.emotion_recognition_work_or_school", ("ai_act.practices", "ai_act.emotion_setting"),
                  params={"point": "5(1)(f)"})


@rule(RULES, "ai_act.sensitive_biometric_categorisation")
def categorisation(ctx: Context):
    if "biometric_categorisation_sensitive" in _practices(ctx):
        yield Hit("ai_act.sensitive_biometric_categorisation", ("ai_act.practices",), params={"point": "5(1)(g)"})


PROHIBITION_RULES = ("ai_act.realtime_rbi_prohibited", "ai_act.untargeted_facial_scraping",
                     "ai_act.individual_prediction_by_profiling", "ai_act.emotion_recognition_work_or_school",
                     "ai_act.sensitive_biometric_categorisation")


@rule(RULES, "ai_act.ai_system_denied")
def ai_denied(ctx: Context):
    if not in_union(ctx):
        return
    if ctx.get("ai_act.is_ai_system") == "no" and ctx.technologies & AI_TECHNOLOGIES:
        yield Hit("ai_act.ai_system_denied", ("ai_act.is_ai_system", "project.technologies"))


@rule(RULES, "ai_act.post_rbi_without_authorisation")
def post_rbi(ctx: Context):
    if "post_remote_biometric_identification" in _practices(ctx) and ctx.get("ai_act.law_enforcement") != "no" \
            and ctx.get("ai_act.post_rbi_authorisation") in (None, "none"):
        yield Hit("ai_act.post_rbi_without_authorisation", ("ai_act.post_rbi_authorisation",))


@rule(RULES, "ai_act.fria_content_missing")
def fria(ctx: Context):
    if not fria_required(ctx):
        return
    missing = [point for point, qid in FRIA_CONTENT.items() if not ctx.answered(qid)]
    if missing:
        yield Hit("ai_act.fria_content_missing", tuple(FRIA_CONTENT[p] for p in missing) + ("ai_act.annex_iii",),
                  params={"points": ", ".join(f"27(1)({p})" for p in missing),
                          "points_fr": ", ".join(ctx.bank.cite(Citation("AI Act", "27", "1", p), "fr").label
                                                 for p in missing)})


@rule(RULES, "ai_act.registration_missing")
def registration(ctx: Context):
    if fria_required(ctx) and ctx.get("ai_act.registration") == "no":
        yield Hit("ai_act.registration_missing", ("ai_act.registration",))


@rule(RULES, "ai_act.no_two_person_verification")
def two_person(ctx: Context):
    if not in_union(ctx):
        return
    if ctx.get("ai_act.two_person_verification") == "no" and not ctx.answered("ai_act.two_person_exemption_law"):
        yield Hit("ai_act.no_two_person_verification", ("ai_act.two_person_verification",))


@rule(RULES, "ai_act.logs_kept_too_briefly")
def logs(ctx: Context):
    if not in_union(ctx):
        return
    months = ctx.get("ai_act.logs_retention_months")
    minimum = ctx.bank.thresholds["ai_act_log_retention_months"].value
    if ctx.get("ai_act.logs_kept") == "no" or (isinstance(months, int | float) and months < minimum):
        yield Hit("ai_act.logs_kept_too_briefly", ("ai_act.logs_kept", "ai_act.logs_retention_months"),
                  params={"months": int(minimum)})
