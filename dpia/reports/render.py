"""The report as HTML (screen and PDF share one template) and as PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import override

from dpia.engine.bank import QuestionBank
from dpia.reports import context as report_context
from dpia.reports.pdf import render_pdf


def report_html(content: dict, bank: QuestionBank, *, for_pdf: bool, digest: str = "", pdf_digest: str = "",
                status: str = "", screen_links: list[dict] | None = None) -> str:
    report = report_context.build(content, bank, digest=digest, pdf_digest=pdf_digest, status=status)
    with override(report["language"]):  # a report speaks the language it was written in
        return render_to_string("reports/report.html", {
            "report": report, "for_pdf": for_pdf, "screen_links": screen_links or [],
        })


def report_pdf(content: dict, bank: QuestionBank, *, digest: str = "", status: str = "", **limits) -> bytes:
    return render_pdf(report_html(content, bank, for_pdf=True, digest=digest, status=status), **limits)
