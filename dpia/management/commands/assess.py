"""Evaluate an answers file without the web app: `manage.py assess FILE [--format json|text]`."""

import datetime as dt
import json
import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank

VERDICT_LABELS = {
    "unlawful_as_proposed": "UNLAWFUL AS PROPOSED",
    "prior_consultation_required": "PRIOR CONSULTATION REQUIRED",
    "proceed_with_conditions": "PROCEED WITH CONDITIONS",
    "proceed": "PROCEED",
}


def read_answers(path: Path) -> dict:
    """Answers from a JSON or TOML file: a table of question ids, or such a table under 'answers'."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from exc
    is_toml = path.suffix.lower() == ".toml"
    try:
        data = tomllib.loads(raw.decode("utf-8")) if is_toml else json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CommandError(f"{path} is not valid {'TOML' if is_toml else 'JSON'}: {exc}",
                           returncode=2) from exc
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    return data


class Command(BaseCommand):
    help = "Assess an answers file (JSON or TOML keyed by question ids) and print the result."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--language", choices=["en", "fr"], default="en")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            help="Date of the assessment, YYYY-MM-DD (default: today).")

    def handle(self, *args, file: Path, format: str, language: str, today, **options):
        bank = default_bank()
        answers = read_answers(file)
        errors = validate_answers(answers, bank)
        if errors:
            raise CommandError(f"{file} has {len(errors)} problem(s):\n  " + "\n  ".join(errors), returncode=2)
        result = assess(answers, bank, today=today or timezone.localdate())
        if format == "json":
            self.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
            return
        self.stdout.write(render_text(result, language))


def render_text(result, language: str) -> str:
    lines = [f"Verdict on the project as described: {VERDICT_LABELS[result.verdict.outcome]}"]
    lines += [f"  - {reason.get(language)}" for reason in result.verdict.reasons]
    lines += [f"  Condition: {c.text.get(language)}" for c in result.verdict.conditions]
    lines += [f"  Assumed: {a.get(language)}" for a in result.verdict.assumptions]
    document = result.completeness
    lines.append("Completeness of the DPIA document: " + ("COMPLETE" if document.complete else "NOT COMPLETE"))
    lines += [f"  - missing: {element}" for element in document.missing]
    if document.unanswered:
        lines.append(f"  - required questions unanswered: {', '.join(document.unanswered)}")
    for level in result.seriousness:
        raised = ", ".join(f.label.get(language) for f in level.raised) or "-"
        lines.append(f"Seriousness{f' of {level.name!r}' if level.name else ''}: {level.level.replace('_', ' ')} "
                     f"(raised by: {raised})")
    lines.append(f"Screening: DPIA {result.screening.outcome.replace('_', ' ')} "
                 f"({len(result.screening.criteria_met)} WP248 criteria; "
                 f"{'; '.join(g.get(language) for g in result.screening.mandatory_grounds) or 'no mandatory ground'})")
    for regime in result.regimes:
        framework = f" — {regime.framework.get(language)}" if regime.framework else ""
        lines.append(f"Stream '{regime.name}': {regime.regime.upper()}{framework}")
    for test in result.tests:
        parts = ", ".join(f"{p.part.replace('_', ' ')} {p.status.replace('_', ' ')}" for p in test.parts)
        lines.append(f"  Test of '{test.name}': {parts}")
    if result.ai_act.prohibited:
        lines.append(f"AI Act: prohibited practice(s) Art. {', '.join(result.ai_act.prohibited)}")
    if result.consultation.required:
        lines.append(f"Prior consultation: required ({', '.join(result.consultation.grounds)}); the authority "
                     f"answers within {result.consultation.regulator_weeks} weeks, "
                     f"{result.consultation.extension.get(language)}")
    lines.append(f"Findings ({len(result.findings)}):")
    for finding in result.findings:
        cites = "; ".join(c.label() for c in finding.citations)
        lines.append(f"  [{finding.severity.upper()}] {finding.title.get(language)} — {cites}")
        lines.append(f"      {finding.explanation.get(language)}")
        if finding.stated:
            lines.append(f"      The assessment's own answer: {finding.stated.get(language)}")
        lines.append(f"      To resolve: {finding.resolution.get(language)}")
        lines.append(f"      Rests on: {', '.join(finding.answers)}")
    return "\n".join(lines)
