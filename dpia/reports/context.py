"""What the report template shows, built from a version's content (or a draft's): every value
prepared here, so the template only loops and prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dpia import labels
from dpia.engine.bank import Citation, CitationLink, QuestionBank
from dpia.engine.risks import band
from dpia.engine.verdict import MINIMUM_CONTENT, minimum_content_label, provisional
from dpia.reports.heatmap import risk_map_svg


@dataclass
class AnswerRow:
    question_id: str
    anchor: str
    label: str
    value: str
    citations: list[CitationLink]
    sensitive: bool
    evidence: list[dict] = field(default_factory=list)
    redacted: bool = False


def _when(value: str | None) -> str:
    """An ISO date or date-time as the report's language writes it ("27 novembre 2026 21:05")."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)  # a typed answer, not a date: shown as written
    if len(str(value)) <= 10:
        return formats.date_format(moment.date(), "DATE_FORMAT")
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _t(text: dict | None, language: str) -> str:
    return (text or {}).get(language) or (text or {}).get("en", "")


def _display(bank: QuestionBank, question_id: str, value: Any, language: str, streams: dict[str, str]) -> str:
    question = bank.questions[question_id]
    if question.per_item and isinstance(value, dict):
        return "\n".join(f"{streams.get(key, key)}: {question.display(item, language)}" for key, item in value.items())
    return question.display(value, language)


def build(content: dict, bank: QuestionBank, *, digest: str = "", pdf_digest: str = "",
          status: str = "") -> dict[str, Any]:
    language = content.get("language", "en")
    with override(language):
        return _build(content, bank, language, digest, pdf_digest, status)


def _build(content: dict, bank: QuestionBank, language: str, digest: str, pdf_digest: str,
           status: str) -> dict[str, Any]:
    result, answers = content["result"], content["answers"]
    streams = {r["stream"]: r["name"] for r in result["regimes"]}
    risk_field = bank.question("risks.list").field("risk")
    evidence_by_question: dict[str, list[dict]] = {}
    for item in content.get("evidence", []):
        evidence_by_question.setdefault(item["question_id"], []).append(item | {"dated": _when(item.get("dated"))})

    level_labels = {lv.id: lv.label.get(language) for lv in bank.seriousness.levels}
    findings = [{
        "id": f["id"], "severity": f["severity"], "severity_label": str(labels.SEVERITIES[f["severity"]]),
        "title": _t(f["title"], language), "explanation": _t(f["explanation"], language),
        "resolution": _t(f["resolution"], language), "citations": bank.cite_all(f["citations"], language),
        "stream": streams.get(f.get("stream"), ""),
        "level": level_labels.get(f.get("level") or "", ""), "stated": _t(f.get("stated"), language),
        "answers": [{"anchor": f"answer-{qid}", "label": bank.questions[qid].label.get(language)}
                    for qid in f["answers"] if qid in bank.questions],
    } for f in result["findings"]]

    # Risks: markers R1, R2... on the maps and in the table.
    risk_rows, before, after = [], [], []
    for index, risk in enumerate(result["risks"], start=1):
        marker = f"R{index}"
        before.append((marker, risk["severity"], risk["likelihood"]))
        after.append((marker, risk["residual_severity"], risk["residual_likelihood"]))
        level_label = {s: bank.scales["severity"].levels[s - 1].label.get(language) for s in range(1, 5)}
        likelihood_label = {s: bank.scales["likelihood"].levels[s - 1].label.get(language) for s in range(1, 5)}
        risk_rows.append({
            # An untitled risk is named by its kind (the engine keeps the kind's id as its title).
            "marker": marker, "kind": risk_field.choice_label(risk["kind"], language),
            "title": risk["title"] if risk["title"] != risk["kind"] else "",
            "severity": level_label[risk["severity"]], "likelihood": likelihood_label[risk["likelihood"]],
            "level": _band_label(risk["level"]),
            "residual_severity": level_label[risk["residual_severity"]],
            "residual_likelihood": likelihood_label[risk["residual_likelihood"]],
            "residual_level": _band_label(risk["residual_level"]),
            "floor": level_label.get(risk["floor"]) if risk.get("floor") else "",
            "measures": ", ".join(risk["measures"]),
        })
    severity_labels = [lvl.label.get(language) for lvl in bank.scales["severity"].levels]
    likelihood_labels = [lvl.label.get(language) for lvl in bank.scales["likelihood"].levels]
    band_labels = {b: _band_label(b) for b in ("low", "medium", "high")}

    def risk_map(points, title, element_id):
        return risk_map_svg(points=points, band=band, title=title,
                            description=_("Severity on the vertical axis, likelihood on the horizontal axis; "
                                          "each risk is marked by its number from the risk table."),
                            severity_labels=severity_labels, likelihood_labels=likelihood_labels,
                            band_labels=band_labels, axis_severity=_("Severity"), axis_likelihood=_("Likelihood"),
                            element_id=element_id)

    measures_question = bank.question("measures.list")
    action_plan = [{
        "title": m.get("title", ""), "addresses": measures_question.field("addresses").display(
            m.get("addresses"), language),
        "status": measures_question.field("status").display(m.get("status"), language),
        "owner": m.get("owner", ""), "due": _when(m.get("due_date")),
    } for m in answers.get("measures.list", []) or []]

    # The conditions of "proceed with conditions" are work to do: they join the action plan.
    titles = {(f["id"], f.get("stream")): _t(f["title"], language) for f in result["findings"]}
    action_plan += [{
        "title": _t(c["text"], language), "owner": "", "due": "",
        "addresses": titles.get((c["finding"], c.get("stream")), c["finding"]),
        "status": _("Condition of the verdict: to do"),
    } for c in result["verdict"].get("conditions", [])]

    counted = bank.applicable_answers(answers)
    annex = []
    for section in bank.sections:
        rows = [AnswerRow(
            question_id=q.id, anchor=f"answer-{q.id}", label=q.label.get(language),
            value=_display(bank, q.id, counted[q.id], language, streams),
            citations=bank.cite_all(q.citations, language), sensitive=q.sensitive,
            evidence=evidence_by_question.get(q.id, []),
        ) for q in section.questions if q.id in counted]
        if rows:
            annex.append({"title": section.title.get(language), "rows": rows})

    def answer(question_id: str) -> str:
        return _display(bank, question_id, counted[question_id], language, streams) if question_id in counted else ""

    # Versions sealed before the verdict and the completeness were two results kept both in "verdict".
    completeness = result.get("completeness") or {"complete": not result["verdict"].get("missing"),
                                                  "missing": result["verdict"].get("missing", []), "unanswered": []}
    missing = set(completeness["missing"])
    ai = result["ai_act"]
    consultation_citations = result["consultation"].get("citations") or []
    annex_iii = bank.question("ai_act.annex_iii")
    return {
        "language": language,
        "cover": {
            "title": content["assessment"]["title"], "organisation": content["assessment"]["organisation"],
            "number": content.get("number"), "created_at": _when(content.get("created_at")), "status": status,
            "digest": digest, "pdf_digest": pdf_digest, "previous_digest": content.get("previous_digest", ""),
            "bank_version": content.get("bank_version", ""), "engine_version": content.get("engine_version", ""),
        },
        "verdict": {"outcome": result["verdict"]["outcome"],
                    "label": str(labels.VERDICTS[result["verdict"]["outcome"]]),
                    "provisional": provisional(result["verdict"]["outcome"], completeness["complete"]),
                    "reasons": [_t(r, language) for r in result["verdict"]["reasons"]],
                    "assumptions": [_t(a, language) for a in result["verdict"].get("assumptions", [])],
                    "conditions": [{"text": _t(c["text"], language), "stream": streams.get(c.get("stream"), ""),
                                    "finding": titles.get((c["finding"], c.get("stream")), c["finding"])}
                                   for c in result["verdict"].get("conditions", [])]},
        "completeness": {
            "complete": completeness["complete"],
            "label": str(labels.COMPLETENESS[completeness["complete"]]),
            "elements": [{"element": minimum_content_label(element, language), "present": element not in missing}
                         for element in MINIMUM_CONTENT],
            "unanswered": [bank.questions[q].label.get(language) for q in completeness["unanswered"]
                           if q in bank.questions]},
        "seriousness": [{
            "name": s["name"], "level": s["level"], "label": _t(s["label"], language),
            "demands": _t(s["demands"], language),
            "raised": [{"label": _t(f["label"], language), "points": f["points"],
                        "citations": bank.cite_all(f["citations"], language)} for f in s["raised"]],
            "lowered": [{"label": _t(f["label"], language), "points": f["points"],
                         "citations": bank.cite_all(f["citations"], language)} for f in s["lowered"]],
            "citations": bank.cite_all(s["citations"], language),
        } for s in result.get("seriousness", [])],
        "top_findings": [f for f in findings if f["severity"] in ("blocker", "major")][:8],
        "screening": {
            "label": str(labels.SCREENING[result["screening"]["outcome"]]),
            "criteria": [bank.question("screening.wp248_criteria").choice_label(c, language)
                         for c in result["screening"]["criteria_met"]],
            "from_facts": [bank.question("screening.wp248_criteria").choice_label(c, language)
                           for c in result["screening"]["criteria_from_facts"]],
            "grounds": [_t(g, language) for g in result["screening"]["mandatory_grounds"]],
            "reasons": [_t(r, language) for r in result["screening"]["reasons"]],
        },
        "regimes": [{"name": r["name"], "regime": str(labels.REGIMES[r["regime"]]),
                     "framework": _t(r.get("framework"), language),
                     "reasons": [_t(x, language) for x in r["reasons"]],
                     "citations": bank.cite_all(r["citations"], language)} for r in result["regimes"]],
        "part_names": [str(labels.PARTS[p]) for p in labels.PARTS],
        "tests": [{"name": t["name"], "parts": [{
            "status": p["status"], "label": str(labels.PART_STATUSES[p["status"]]),
            "findings": ", ".join(p["findings"]), "reason": _t(p.get("reason"), language)} for p in t["parts"]]}
            for t in result["tests"]],
        "ai_act": {
            "applies": ai["applies"],
            # Versions sealed before the basis was recorded read as they did: declared when it applied.
            "basis": str(labels.AI_ACT_BASIS[ai.get("basis", "declared" if ai["applies"] else "not_declared")]),
            "prohibited": bank.cite_all([Citation("AI Act", "5", "1", p) for p in ai["prohibited"]], language),
            "exception": bank.question("ai_act.rbi_objective").choice_label(ai["exception_claimed"], language)
            if ai.get("exception_claimed") else "",
            "national_law": ai["national_law"],
            "authorisation": ai["prior_authorisation"],
            "high_risk": [annex_iii.choice_label(v, language) for v in ai["high_risk"]],
            "fria_required": ai["fria_required"],
            "fria_missing": bank.cite_all([Citation("AI Act", "27", "1", p) for p in ai["fria_missing"]], language),
        },
        "risk_map_before": risk_map(before, _("Risks before the measures"), "map-before"),
        "risk_map_after": risk_map(after, _("Risks after the measures"), "map-after"),
        "risks": risk_rows,
        "risk_floor_note": _("Floor: the lowest severity the project's facts allow for this risk; a lower rating is "
                             "raised to it, and the findings say why.") if any(r["floor"] for r in risk_rows) else "",
        "action_plan": action_plan,
        "dpo": _dpo(content.get("workflow", {}).get("dpo_advice"), answer),
        "signed_by": content.get("workflow", {}).get("signed_by", ""),
        "consultation_of_people": {
            "done": answer("rights.consultation"), "method": answer("rights.consultation_method"),
            "results": answer("rights.consultation_results"),
            "why_not": answer("rights.consultation_not_done_reason")},
        "prior_consultation": {
            "required": result["consultation"]["required"], "grounds": ", ".join(result["consultation"]["grounds"]),
            # Under EU law the grounds are the articles cited: shown as citations, in the report's language.
            "ground_citations": bank.cite_all(consultation_citations, language)
            if [c["label"] for c in consultation_citations] == result["consultation"]["grounds"] else [],
            "weeks": result["consultation"]["regulator_weeks"],
            "extension": _t(result["consultation"].get("extension"), language),
            "reasons": [_t(r, language) for r in result["consultation"]["reasons"]]},
        "findings": findings,
        "annex": annex,
    }


def _band_label(name: str) -> str:
    return {"low": _("Low"), "medium": _("Medium"), "high": _("High")}[name]


def _dpo(advice: dict | None, answer) -> dict[str, str]:
    """The DPO's advice given in the workflow (sealed with the signed version) takes precedence over what
    the questionnaire says about it."""
    if advice:
        decisions = {"followed": _("Followed"), "partly_followed": _("Partly followed"), "overruled": _("Overruled")}
        return {"designated": _("Yes"), "advice": advice["advice"],
                "followed": str(decisions.get(advice["decision"], advice["decision"])),
                "departure": advice.get("reasons", ""), "by": f"{advice['dpo']}, {_when(advice['given_at'])}",
                "reported": False}
    # Before a version carries the DPO's own advice, the report shows what the assessment's authors wrote of it.
    return {"designated": answer("rights.dpo_designated"), "advice": answer("rights.dpo_advice"),
            "followed": answer("rights.dpo_advice_followed"), "departure": answer("rights.dpo_advice_departure"),
            "by": "", "reported": bool(answer("rights.dpo_advice"))}

