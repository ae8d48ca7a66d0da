"""Information and rights of the people concerned: transparency (GDPR Art. 12-14, LED Art. 13),
restrictions of rights (GDPR Art. 23, LED Art. 13(3), 15), the exercise of rights and the views of
the people concerned (GDPR Art. 35(9))."""

from __future__ import annotations

import re

from dpia.engine.context import CROWDS, Context, Hit, rule
from dpia.engine.proportionality import CAPTURE_AT_PLACES

RULES: dict = {}

# Layers that give the public general information about the processing (the sign on the spot, the
# complete notice); a map or an individual letter does not say who is responsible, why, or where to ask.
GENERAL_INFORMATION = {"warning_signs", "full_notice"}

# What a sign must announce when the system does more than record, with the words that announce it
# (English and French). A sign reading only "video protection" matches none of them.
SIGN_WORDS = {
    "video_analytics": r"analy|automat|algorithm|intelligen|d[ée]tect|\bIA\b|\bAI\b",
    "live_facial_recognition": r"facial|faciale|\bfaces?\b|visage|biom[ée]tr|recogni|reconnaissance",
    "post_facial_recognition": r"facial|faciale|\bfaces?\b|visage|biom[ée]tr|recogni|reconnaissance",
    "audio_sensors": r"sound|audio|micro|sonore|acousti|noise|bruit",
    "anpr": r"plate|plaque|immatricul|\bANPR\b|\bLAPI\b",
    "wifi_tracking": r"wi-?fi|bluetooth|phone|t[ée]l[ée]phone|device|appareil|\bMAC\b",
}
# Automated analysis the complete notice must describe ("ai_functions" among its contents).
NOTICE_ANALYSIS = set(SIGN_WORDS) | {"predictive_algorithms", "social_media_monitoring", "data_fusion"}

# What the complete notice must contain: the GDPR's list, and the general information the Law
# Enforcement Directive requires at all times (LED Art. 13(1)). The sources of the data and the
# automated analysis are read by their own rules below.
GDPR_NOTICE = ("controller_identity", "dpo_contact", "purposes", "legal_basis", "recipients", "retention",
               "rights_and_how", "complaint")
LED_NOTICE = ("controller_identity", "dpo_contact", "purposes", "rights_and_how", "complaint")

# Sources other than the people themselves: information is then owed under GDPR Art. 14.
THIRD_PARTY_SOURCES = {"private_cameras", "social_media", "open_sources", "commercial_providers",
                       "citizen_reports", "other_public_bodies"}

# A legislative measure is named when the text refers to a law, a code, a decree, an article or the
# national legislation (its transposition of the Directive, for instance). Read generously: the rules
# that use it are blockers, and a reason without any law ("security reasons") is what they catch.
NAMES_A_LAW = re.compile(
    r"§|\bart(icle)?s?\b\.?\s*([a-z]\.?\s*)?\d|\b(law|laws|act|statute|statutory|code|decree|regulation|ordinance"
    r"|loi|lois|d[ée]cret|ordonnance|r[èe]glement|arr[êe]t[ée]|transpos\w*|legislati\w*|l[ée]gislati\w*"
    r"|gesetz|wet|ley|legge|lei|zakon|ustawa)\b",
    re.IGNORECASE)
# A restriction said to rest on an internal instrument rather than on the law.
INTERNAL_BASIS = re.compile(r"\b(polic(y|ies)|internal|software|procedures?|politique|interne|logiciel|proc[ée]dure)\b",
                            re.IGNORECASE)
# A way to exercise rights described in fewer words than this cannot say where, how and how fast.
MIN_PROCEDURE_WORDS = 8


def names_a_law(text: str) -> bool:
    return bool(NAMES_A_LAW.search(text))


def listing(labels) -> str:
    """Labels joined for a sentence: with semicolons, since labels may hold commas themselves."""
    return "; ".join(labels)


def _labels(ctx: Context, question_id: str, values) -> tuple[str, str]:
    question = ctx.bank.question(question_id)
    return (listing(question.choice_label(v, "en") for v in values),
            listing(question.choice_label(v, "fr") for v in values))


def _ordered(ctx: Context, question_id: str, values: set[str]) -> list[str]:
    """Values in the order the question lists its choices, so findings read the same each time."""
    return [v for v in ctx.bank.question(question_id).choice_values() if v in values]


def _restricted_by_law(ctx: Context) -> bool:
    return ctx.get("rights.information_restricted") == "yes" and \
        names_a_law(ctx.text("rights.information_restriction_basis"))


def _covert_without_law(ctx: Context) -> bool:
    """Information withheld, or communications intercepted (the people listened to are not told while it lasts,
    whatever the signs or notices say of the rest), with no legislative measure that allows it."""
    intercepts = any("communications_interception" in ctx.technologies_of(s) for s in ctx.streams)
    return (ctx.information_withheld or intercepts) and not _restricted_by_law(ctx)


@rule(RULES, "rights.covert_without_law")
def covert_without_law(ctx: Context):
    """People are not told, or told less, and no legislative measure allows it (GDPR Art. 23;
    LED Art. 13(3))."""
    if _covert_without_law(ctx):
        yield Hit("rights.covert_without_law", ("rights.information_layers", "rights.information_restricted",
                                                "rights.information_restriction_basis", "project.technologies"))


@rule(RULES, "rights.no_general_information")
def no_general_information(ctx: Context):
    """Neither a sign nor a notice: the people filmed are not told when their data are collected
    (GDPR Art. 13), and under the LED the general information, which no law may withhold, is missing."""
    layers = ctx.choices("rights.information_layers")
    if not layers or layers & GENERAL_INFORMATION or _covert_without_law(ctx):
        return
    # Telling each person individually is enough only where every person concerned can be reached.
    if "individual_information" in layers and ctx.streams and not any(s.subjects & CROWDS
                                                                       for s in ctx.streams):
        return
    led = any(s.analysis == "led" for s in ctx.streams)
    gdpr = any(s.analysis == "gdpr" for s in ctx.streams) or not ctx.streams
    # A legislative measure can restrict GDPR information (Art. 23), never the LED's general information.
    if led or (gdpr and not _restricted_by_law(ctx)):
        yield Hit("rights.no_general_information", ("rights.information_layers",))


@rule(RULES, "rights.no_full_notice")
def no_full_notice(ctx: Context):
    """A sign without a complete notice behind it: the second layer is missing."""
    layers = ctx.choices("rights.information_layers")
    if "warning_signs" in layers and "full_notice" not in layers and "none" not in layers:
        yield Hit("rights.no_full_notice", ("rights.information_layers",))


@rule(RULES, "rights.analytics_not_disclosed")
def analytics_not_disclosed(ctx: Context):
    """The sign or the notice speaks of cameras while the system analyses, recognises or listens."""
    layers = ctx.choices("rights.information_layers")
    silent_on: set[str] = set()
    where_en, where_fr = [], []
    wording = ctx.text("rights.sign_wording")
    # Cameras that also record what people say (a body camera with sound): the sign must say so, as for microphones.
    sound_unsaid = False
    if "warning_signs" in layers and wording:
        unsaid = {t for t in ctx.technologies & set(SIGN_WORDS)
                  if not re.search(SIGN_WORDS[t], wording, re.IGNORECASE)}
        # Only sound a device takes at a place the sign stands at: calls people make to the body are not.
        sound_unsaid = "audio_sensors" not in ctx.technologies and \
            any("voice_audio" in s.data and ctx.technologies_of(s) & CAPTURE_AT_PLACES for s in ctx.streams) and \
            not re.search(SIGN_WORDS["audio_sensors"], wording, re.IGNORECASE)
        if unsaid or sound_unsaid:
            silent_on |= unsaid
            where_en.append("the warning sign")
            where_fr.append("le panneau d'information")
    if "full_notice" in layers and ctx.answered("rights.notice_contents") and \
            "ai_functions" not in ctx.choices("rights.notice_contents") and ctx.technologies & NOTICE_ANALYSIS:
        silent_on |= ctx.technologies & NOTICE_ANALYSIS
        where_en.append("the complete notice")
        where_fr.append("la notice complète")
    if silent_on or sound_unsaid:
        technologies = ctx.bank.question("project.technologies")
        data = next(f for f in ctx.bank.question("streams.list").fields if f.id == "data_categories")
        unsaid = [(technologies, v) for v in _ordered(ctx, "project.technologies", silent_on)]
        unsaid += [(data, "voice_audio")] if sound_unsaid else []
        en = listing(question.choice_label(v, "en") for question, v in unsaid)
        fr = listing(question.choice_label(v, "fr") for question, v in unsaid)
        yield Hit("rights.analytics_not_disclosed",
                  ("rights.sign_wording", "rights.notice_contents", "project.technologies"),
                  params={"technologies": en, "technologies_fr": fr,
                          "where": " and ".join(where_en), "where_fr": " et ".join(where_fr)})


@rule(RULES, "rights.notice_incomplete")
def notice_incomplete(ctx: Context):
    """The complete notice leaves out what the GDPR or the LED requires it to say."""
    if "full_notice" not in ctx.choices("rights.information_layers") or not ctx.answered("rights.notice_contents"):
        return
    required = set(LED_NOTICE)
    if any(s.analysis == "gdpr" for s in ctx.streams) or not ctx.streams:
        required |= set(GDPR_NOTICE)
        # GDPR Art. 13(1)(f): transfers are announced where data can leave the EEA.
        if any(v.get("third_country_access") == "yes" for v in ctx.items("project.vendors")):
            required.add("transfers")
    missing = required - ctx.choices("rights.notice_contents")
    if missing:
        en, fr = _labels(ctx, "rights.notice_contents", _ordered(ctx, "rights.notice_contents", missing))
        yield Hit("rights.notice_incomplete", ("rights.notice_contents",), params={"missing": en, "missing_fr": fr})


@rule(RULES, "rights.third_party_sources_not_disclosed")
def third_party_sources(ctx: Context):
    """Data taken from others (social media, private cameras, reports) and a notice silent on where
    they come from (GDPR Art. 14(2)(f)); even the disproportionate-effort exemption requires public
    information (Art. 14(5)(b))."""
    if "full_notice" not in ctx.choices("rights.information_layers") or not ctx.answered("rights.notice_contents") \
            or "data_sources" in ctx.choices("rights.notice_contents") or _restricted_by_law(ctx):
        return
    for s in ctx.streams:
        sources = s.sources & THIRD_PARTY_SOURCES
        if s.analysis == "gdpr" and sources:
            question = ctx.bank.question("streams.list").field("sources")
            ordered = [v for v in question.choice_values() if v in sources]
            yield Hit("rights.third_party_sources_not_disclosed", ("rights.notice_contents", "streams.list"), s.key,
                      params={"sources": listing(question.choice_label(v, "en") for v in ordered),
                              "sources_fr": listing(question.choice_label(v, "fr") for v in ordered)})


@rule(RULES, "rights.restriction_without_law")
def restriction_without_law(ctx: Context):
    """Rights restricted by an internal decision, a policy or the software, not by a legislative
    measure (GDPR Art. 23; LED Art. 13(3), 15, 16(4), 18)."""
    # Rights withheld because the measure is kept secret rest on the law that keeps it secret, when one is named;
    # not rights refused by a policy, a procedure or the software, which that law does not provide for.
    detail = ctx.text("rights.restrictions_detail")
    if ctx.get("rights.restrictions") == "yes" and not names_a_law(detail) and \
            (not _restricted_by_law(ctx) or INTERNAL_BASIS.search(detail)):
        yield Hit("rights.restriction_without_law", ("rights.restrictions", "rights.restrictions_detail"))


@rule(RULES, "rights.no_exercise_procedure")
def no_exercise_procedure(ctx: Context):
    """The section is answered but nothing says how a person asks for access, erasure or objection."""
    if ctx.answered("rights.information_layers") and \
            len(ctx.text("rights.exercise_procedure").split()) < MIN_PROCEDURE_WORDS:
        yield Hit("rights.no_exercise_procedure", ("rights.exercise_procedure",))


@rule(RULES, "rights.people_not_consulted")
def people_not_consulted(ctx: Context):
    """A serious interference under the GDPR, and the people concerned were not asked (GDPR Art. 35(9))."""
    if ctx.get("rights.consultation") not in ("no", "unknown"):
        return
    model = ctx.bank.seriousness
    serious = [s for s in ctx.streams if s.analysis == "gdpr" and ctx.at_least("serious", s.key)]
    if serious:
        worst = max(serious, key=lambda s: model.level(ctx.level_of(s.key)).rank)
        yield Hit("rights.people_not_consulted", ("rights.consultation", "rights.consultation_not_done_reason"),
                  worst.key)


@rule(RULES, "rights.serious_deployment_not_public")
def serious_deployment_not_public(ctx: Context):
    """A serious interference with a notice, but no public map of the devices and no published
    assessment: people cannot see where and why they are watched."""
    layers = ctx.choices("rights.information_layers")
    if "full_notice" in layers and not layers & {"device_map", "dpia_published"} and ctx.at_least("serious"):
        yield Hit("rights.serious_deployment_not_public", ("rights.information_layers",))


@rule(RULES, "rights.objection_not_answered")
def objection_not_answered(ctx: Context):
    """People objected to processing on a public task or legitimate interests (the two grounds GDPR Art. 21(1)
    opens to objection), and the objection was neither honoured nor refused on compelling grounds shown for
    the objector."""
    for s in ctx.streams:
        if ctx.of_stream("legality.gdpr_basis", s) in ("public_task", "legitimate_interests") and \
                ctx.of_stream("legality.objections", s) == "not_answered":
            yield Hit("rights.objection_not_answered", ("legality.objections", "legality.gdpr_basis"), s.key)
