"""CSV exports: a version's action plan and the public register. Pure Python: content and rows in, text out.

Every cell goes through `safe_cell`: spreadsheet programs run a cell that starts with = + - @ (or a tab or a
carriage return) as a formula, so a measure titled "=HYPERLINK(...)" would run on the reader's machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from dpia.engine.bank import Question, QuestionBank

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ACTION_PLAN_FIELDS = ("title", "description", "addresses", "status", "owner", "due_date")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def to_csv(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a byte-order mark, so that spreadsheet programs read it as UTF-8 rather than guess."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def csv_stream(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, rows_per_chunk: int = 200
               ) -> Iterator[str]:
    """The same text as `to_csv`, in pieces (the byte-order mark and header, then `rows_per_chunk` rows at a
    time), for a response that streams a table of any length without holding it in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(cell) for cell in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _display(field: Question, value: Any, language: str) -> str:
    if value is None or value == "" or value == []:
        return ""
    if field.type == "multiple_choice" and not isinstance(value, list):
        return str(value)  # "[redacted]" in a published version
    if field.type == "date":
        return str(value)  # a spreadsheet reads an ISO date as a date
    return field.display(value, language)


def action_plan_table(content: Mapping[str, Any], bank: QuestionBank, language: str
                      ) -> tuple[list[str], list[list[str]]]:
    """(header, rows): one row per measure of the version, with the words of the question bank."""
    question = bank.question("measures.list")
    fields = [question.field(field_id) for field_id in ACTION_PLAN_FIELDS]
    items = (content.get("answers") or {}).get("measures.list")
    rows = [[_display(field, item.get(field.id), language) for field in fields]
            for item in (items if isinstance(items, list) else []) if isinstance(item, Mapping)]
    return [field.label.get(language) for field in fields], rows


def register_rows(publications: Iterable[Any], *, verdict_label: Callable[[str], str],
                  regime_label: Callable[[str], str], technology_label: Callable[[str], str],
                  shadow_label: Callable[[bool], str], entry_url: Callable[[Any], str],
                  day: Callable[[datetime], date] = datetime.date) -> Iterator[list[str]]:
    """One row per publication of the register, as the publications come (a generator: the register may be
    long); the labels and the day of a moment come from the caller, in the reader's language and time zone."""
    for publication in publications:
        version = publication.version
        yield [
            version.sealed_title, publication.sealed_organisation, publication.city, shadow_label(publication.shadow),
            "; ".join(technology_label(t) for t in publication.technologies),
            "; ".join(regime_label(r) for r in publication.regimes), verdict_label(publication.verdict),
            day(publication.published_at).isoformat(), publication.digest, publication.source_digest,
            entry_url(publication),
        ]
