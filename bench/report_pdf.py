"""Benchmark: PDF report of the largest demo assessment, against WeasyPrint alone on the same HTML.

    make bench   (or: DJANGO_SETTINGS_MODULE=config.settings_test .venv/bin/python bench/report_pdf.py)

Prints medians and the ratio; it asserts nothing. Target: ratio <= 1.3 (our pipeline = report context
+ template + fenced renderer in a child process; the floor = WeasyPrint rendering the same HTML and
stylesheet in-process with nothing else).
"""

import datetime as dt
import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def median_seconds(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    # Imports live here: the renderer's child processes re-import this module, and must stay cheap.
    import django

    django.setup()
    from weasyprint import CSS, HTML

    from dpia.engine import assess
    from dpia.engine.bank import default_bank
    from dpia.management.commands.load_demo import DEMO_CASES_DIR
    from dpia.reports.export import content_digest, version_content
    from dpia.reports.pdf import REPORT_CSS, render_pdf
    from dpia.reports.render import report_html, report_pdf

    bank = default_bank()
    cases = [tomllib.loads(p.read_text()) for p in sorted(DEMO_CASES_DIR.glob("*.toml"))]
    case = max(cases, key=lambda c: len(repr(c["answers"])))
    result = assess(case["answers"], bank, today=dt.date(2026, 11, 22))
    content = version_content(
        assessment_title=case["case"]["title"], organisation=case["case"]["organisation"], number=1, revision=1,
        created_at="2026-11-22T10:00:00+00:00", language="en", answers=case["answers"], result=result.to_dict(),
        evidence=[], bank_version=bank.version, engine_version=result.engine_version, previous_digest="")
    digest = content_digest(content)
    html = report_html(content, bank, for_pdf=True, digest=digest)
    css = REPORT_CSS.read_text(encoding="utf-8")
    render_pdf("<p>warm the fork server</p>")

    floor = median_seconds(lambda: HTML(string=html).write_pdf(stylesheets=[CSS(string=css)]))
    ours = median_seconds(lambda: report_pdf(content, bank, digest=digest))
    pages = len(HTML(string=html).render(stylesheets=[CSS(string=css)]).pages)
    print(f"case: {case['case']['title']} ({len(html):,} characters of HTML, {pages} pages)")
    print(f"WeasyPrint alone (floor): {floor * 1000:8.0f} ms (median of {RUNS})")
    print(f"workbench report PDF:     {ours * 1000:8.0f} ms (median of {RUNS})")
    print(f"ratio: {ours / floor:.2f} (target <= 1.30)")


if __name__ == "__main__":
    main()
