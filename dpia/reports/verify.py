"""Is this file (or digest) a registered version? Used by the public page and `manage.py verify`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dpia.inputs import JSONRefused, load_json
from dpia.reports.export import EXPORT_FORMAT, content_digest, sha256


@dataclass
class Verification:
    outcome: str  # "registered" | "altered" | "unknown"
    kind: str  # "pdf" | "json" | "digest"
    digest: str
    version: Any = None  # the registered record found: a version, or a publication


def verify_bytes(data: bytes, find: Callable[[str], Any]) -> Verification:
    """`find(digest)` returns the registered record (a version or a publication) whose content digest or PDF
    digest is `digest`, or None."""
    file_digest = sha256(data)
    version = find(file_digest)
    if version is not None:
        return Verification("registered", "pdf" if data.startswith(b"%PDF") else "file", file_digest, version)
    try:
        document = load_json(data)
    except JSONRefused:  # not JSON, or not JSON this workbench could have exported
        return Verification("unknown", "pdf" if data.startswith(b"%PDF") else "file", file_digest)
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT or "content" not in document:
        return Verification("unknown", "json", file_digest)
    recomputed = content_digest(document["content"])
    version = find(recomputed)
    if version is not None:
        return Verification("registered", "json", recomputed, version)
    # The claimed digest is registered but the content no longer hashes to it: altered after export.
    claimed = document.get("digest")
    if isinstance(claimed, str) and find(claimed) is not None:
        return Verification("altered", "json", recomputed, find(claimed))
    return Verification("unknown", "json", recomputed)


def verify_digest(digest: str, find: Callable[[str], Any]) -> Verification:
    digest = digest.strip().lower()
    version = find(digest)
    return Verification("registered" if version is not None else "unknown", "digest", digest, version)
