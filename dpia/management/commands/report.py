"""`manage.py report ANSWERS_FILE --pdf OUT.pdf [--html OUT.html] [--json OUT.json]`: a report without
the web app, for NGOs and regulators working offline (a shadow assessment from public facts)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank
from dpia.management.commands.assess import read_answers
from dpia.reports.export import content_digest, preview_content
from dpia.reports.pdf import ReportRenderError
from dpia.reports.render import report_html, report_pdf


class Command(BaseCommand):
    help = "Render the report of an answers file as PDF (and optionally HTML and JSON)."

    def add_arguments(self, parser):
        parser.add_argument("answers_file", type=Path)
        parser.add_argument("--pdf", type=Path, required=True)
        parser.add_argument("--html", type=Path)
        parser.add_argument("--json", type=Path, dest="json_out")
        parser.add_argument("--title", default="")
        parser.add_argument("--organisation", default="")
        parser.add_argument("--language", choices=["en", "fr"], default="en")

    def handle(self, *args, answers_file, pdf, html, json_out, title, organisation, language, **options):
        bank = default_bank()
        answers = read_answers(answers_file)
        errors = validate_answers(answers, bank)
        if errors:
            raise CommandError(f"{answers_file} has {len(errors)} problem(s):\n  " + "\n  ".join(errors), returncode=2)
        result = assess(answers, bank, today=timezone.localdate())
        content = preview_content(
            assessment_title=title or answers.get("project.name") or answers_file.stem,
            organisation=organisation or answers.get("project.controller", ""),
            created_at=timezone.now().isoformat(timespec="seconds"), language=language, answers=answers,
            result=result.to_dict(), evidence=[], bank_version=bank.version, engine_version=result.engine_version)
        with translation.override(language):
            try:
                pdf.write_bytes(report_pdf(content, bank))
            except ReportRenderError as exc:
                raise CommandError(str(exc)) from exc
            if html:
                html.write_text(report_html(content, bank, for_pdf=False), encoding="utf-8")
        if json_out:
            json_out.write_text(json.dumps({"digest": content_digest(content), "content": content},
                                           ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(f"Report written to {pdf} (verdict: {result.verdict.outcome}).")

