"""Canonical JSON, digests and the chain, checked by our code and by the standalone script."""

import datetime as dt
import importlib.util
import json
import tomllib
from pathlib import Path

import jsonschema

from dpia.engine import assess
from dpia.engine.bank import default_bank
from dpia.reports.export import canonical, content_digest, export_document, export_schema

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("verify_export", ROOT / "scripts" / "verify_export.py")
verify_export = importlib.util.module_from_spec(spec)
spec.loader.exec_module(verify_export)


def content(number=1, previous="", answers=None):
    return {"assessment": {"title": "Tram cameras", "organisation": "Ville"}, "number": number, "revision": number,
            "created_at": "2026-11-22T10:00:00+00:00", "language": "fr", "evidence": [],
            "bank_version": "b1", "engine_version": "e1", "answers": answers or {"project.name": "Caméras — Ђ"},
            "result": {"verdict": {"outcome": "proceed"}, "screening": {}, "regimes": [], "tests": [],
                       "ai_act": {}, "risks": [], "consultation": {}, "findings": []},
            "previous_digest": previous}


def test_canonical_form_ignores_key_order_and_keeps_unicode():
    first = content()
    shuffled = json.loads(json.dumps(dict(reversed(list(first.items())))))
    assert canonical(first) == canonical(shuffled)
    assert content_digest(first) == content_digest(shuffled)
    assert "Ђ".encode() in canonical(first)
    assert content_digest(first) != content_digest(content(answers={"project.name": "Other"}))


def test_the_standalone_script_agrees_with_the_workbench():
    document = export_document(content=content(), digest=content_digest(content()), pdf_digest="0" * 64)
    assert verify_export.check_export(document) == (True, content_digest(content()), "content matches its digest")
    assert verify_export.canonical(content()) == canonical(content())


def test_exports_follow_the_published_schema():
    schema = export_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    case = tomllib.loads((ROOT / "tests" / "scenarios" / "municipal_police_body_cameras_no_access_logging.toml")
                         .read_text())
    document = {**content(answers=case["answers"]),
                "result": assess(case["answers"], default_bank(), today=dt.date(2026, 11, 22)).to_dict()}
    jsonschema.validate(export_document(content=document, digest=content_digest(document), pdf_digest="a" * 64),
                        schema)


def test_script_detects_tampering_and_a_broken_chain(tmp_path, capsys):
    first = export_document(content=content(1), digest=content_digest(content(1)), pdf_digest="a" * 64)
    second_content = content(2, previous=first["digest"])
    second = export_document(content=second_content, digest=content_digest(second_content), pdf_digest="b" * 64)
    paths = []
    for name, document in [("v1.json", first), ("v2.json", second)]:
        path = tmp_path / name
        path.write_text(json.dumps(document, ensure_ascii=False))
        paths.append(str(path))
    assert verify_export.main(paths) == 0
    assert "chain: OK" in capsys.readouterr().out

    tampered = json.loads(Path(paths[0]).read_text())
    tampered["content"]["answers"]["project.name"] = "Something else"
    Path(paths[0]).write_text(json.dumps(tampered))
    assert verify_export.main(paths) == 1
    assert "changed after it was sealed" in capsys.readouterr().out

    orphan_content = content(2, previous="f" * 64)
    orphan = export_document(content=orphan_content, digest=content_digest(orphan_content), pdf_digest="b" * 64)
    Path(paths[0]).write_text(json.dumps(first))
    Path(paths[1]).write_text(json.dumps(orphan))
    assert verify_export.main(paths) == 1
    assert "does not follow version 1" in capsys.readouterr().out
