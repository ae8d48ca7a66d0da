"""The sealed content of a version, its canonical form and digest, and the JSON export.

The canonical form is JSON with sorted keys, no insignificant white space, UTF-8: the same content
always gives the same bytes, whatever order its keys were written in. scripts/verify_export.py
repeats this with the standard library only, so anyone can check an export offline.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

EXPORT_FORMAT = "dpia-workbench/version"
EXPORT_FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("export.schema.json")


def canonical(content: Any) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def content_digest(content: Any) -> str:
    return sha256(canonical(content))


def version_content(*, assessment_title: str, organisation: str, number: int | None, revision: int | None,
                    created_at: str,
                    language: str,
                    answers: dict, result: dict, evidence: list[dict], bank_version: str, engine_version: str,
                    previous_digest: str, workflow: dict | None = None) -> dict[str, Any]:
    """Everything a version seals. The PDF is rendered from this, after it. `workflow` records the DPO's
    advice, the controller's decision on it and the signatory, when the version is signed."""
    return {
        "workflow": workflow or {},
        "assessment": {"title": assessment_title, "organisation": organisation},
        "number": number,
        "revision": revision,
        "created_at": created_at,
        "language": language,
        "evidence": evidence,
        "bank_version": bank_version,
        "engine_version": engine_version,
        "answers": answers,
        "result": result,
        "previous_digest": previous_digest,
    }


def preview_content(*, assessment_title: str, organisation: str, created_at: str, language: str, answers: dict,
                    result: dict, evidence: list[dict], bank_version: str, engine_version: str) -> dict[str, Any]:
    """The content of a report that is not a frozen version (a draft preview, an offline report)."""
    return version_content(assessment_title=assessment_title, organisation=organisation, number=None, revision=None,
                           created_at=created_at, language=language, answers=answers, result=result,
                           evidence=evidence, bank_version=bank_version, engine_version=engine_version,
                           previous_digest="")


def export_document(*, content: dict, digest: str, pdf_digest: str) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "digest": digest,
        "pdf_sha256": pdf_digest,
        "content": content,
    }


def export_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
