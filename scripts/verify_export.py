#!/usr/bin/env python3
"""Verify DPIA workbench exports offline, with the Python standard library only.

    python3 verify_export.py version-1.json [version-2.json ...] [--pdf report.pdf]

For each JSON export: recompute the SHA-256 of its content in canonical JSON (keys sorted, separators
',' and ':', UTF-8, non-ASCII unescaped) and compare it with the digest it declares. Given several
exports of one assessment, also check the chain: each version's `previous_digest` must be the digest
of the version before it. With --pdf, check that the PDF's SHA-256 is the one the export declares.
Exit status 0 when everything verifies, 1 otherwise.
"""

import argparse
import hashlib
import json
import sys


def canonical(content):
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def check_export(document):
    """(ok, digest, message) for one export document."""
    if not isinstance(document, dict) or document.get("format") != "dpia-workbench/version":
        return False, "", "not a DPIA workbench version export"
    digest = hashlib.sha256(canonical(document.get("content"))).hexdigest()
    if digest != document.get("digest"):
        return False, digest, "content does not match its digest: it was changed after it was sealed"
    return True, digest, "content matches its digest"


def check_chain(documents):
    """Problems in the chain of versions, ordered by number; empty when the chain holds."""
    problems = []
    ordered = sorted(documents, key=lambda d: d["content"]["number"])
    for previous, current in zip(ordered, ordered[1:], strict=False):
        if current["content"]["number"] != previous["content"]["number"] + 1:
            problems.append(f"version {previous['content']['number'] + 1} is missing from the chain")
        if current["content"]["previous_digest"] != previous["digest"]:
            problems.append(f"version {current['content']['number']} does not follow version "
                            f"{previous['content']['number']}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("exports", nargs="+", help="JSON exports of one assessment's versions")
    parser.add_argument("--pdf", help="a PDF to check against the (single or last) export")
    args = parser.parse_args(argv)
    documents, ok = [], True
    for path in args.exports:
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as exc:
            print(f"{path}: cannot read: {exc}")
            ok = False
            continue
        valid, digest, message = check_export(document)
        print(f"{path}: {'OK' if valid else 'FAILED'} — {message} ({digest})")
        ok &= valid
        if valid:
            documents.append(document)
    if len(documents) > 1:
        problems = check_chain(documents)
        for problem in problems:
            print(f"chain: FAILED — {problem}")
        if not problems:
            print(f"chain: OK — {len(documents)} versions follow each other")
        ok &= not problems
    if args.pdf and documents:
        with open(args.pdf, "rb") as handle:
            pdf_digest = hashlib.sha256(handle.read()).hexdigest()
        expected = max(documents, key=lambda d: d["content"]["number"])["pdf_sha256"]
        matches = pdf_digest == expected
        print(f"{args.pdf}: {'OK' if matches else 'FAILED'} — PDF {'matches' if matches else 'does not match'} "
              f"the export ({pdf_digest})")
        ok &= matches
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
