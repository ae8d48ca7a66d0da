"""Words for the engine's codes, as people read them (translated)."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def current_language() -> str:
    """The two-letter code of the active language, used to pick texts from the question bank."""
    return (get_language() or "en")[:2]

VERDICTS = {
    "unlawful_as_proposed": _("Unlawful as proposed"),
    "incomplete": _("Incomplete"),  # only in versions sealed by engine 0.1, which merged the two results
    "prior_consultation_required": _("Prior consultation required"),
    "proceed_with_conditions": _("Proceed with conditions"),
    "proceed": _("Proceed"),
}
# With no processing stream described there is no processing to judge yet: the engine's reading (no finding, so
# "proceed") is not shown as a verdict.
VERDICT_NOT_YET = _("No verdict yet: describe the processing streams first (Processing streams section).")
COMPLETENESS = {True: _("The DPIA document is complete"), False: _("The DPIA document is not complete yet")}
SEVERITIES = {"blocker": _("Blocker"), "major": _("Major"), "minor": _("Minor"), "info": _("Information")}
SCREENING = {"required": _("DPIA required"), "likely_required": _("DPIA likely required"),
             "not_required": _("DPIA not required")}
SCREENING_NOT_ANSWERED = _("Screening not answered yet: whether a DPIA is required is not known")
REGIMES = {"gdpr": _("GDPR"), "led": _("Law Enforcement Directive"), "outside_eu_law": _("Outside EU law")}
PARTS = {"legality": _("Provided for by law"), "legitimate_aim": _("Legitimate aim"), "necessity": _("Necessity"),
         "proportionality": _("Proportionality")}
PART_STATUSES = {"pass": _("Pass"), "concern": _("Concern"), "fail": _("Fail"),
                 "not_assessable": _("Not assessable")}
PUBLISHED = _("Published")
# Why the report's AI Act section reads as it does (engine: ai_act.basis); "declared" needs no sentence.
AI_ACT_BASIS = {
    "declared": "",
    "presumed": _("Read as an AI system until the question is answered: the project uses video analytics, facial "
                  "recognition, predictive tools or social-media monitoring, which are AI systems as a rule."),
    "not_declared": _("No AI system is declared, so the AI Act's prohibitions and duties are not checked."),
    "outside_union": _("The AI Act binds deployers in the Union. This system is used outside it and is judged under "
                       "the national law and Article 8 of the Convention instead."),
}
