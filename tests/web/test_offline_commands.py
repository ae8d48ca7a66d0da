"""The command-line tools run exactly as the README shows them, from a fresh clone, with no environment
variable at all: an NGO running the engine offline has no server, and no secret key, to configure."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dpia.management.commands.load_demo import DEMO_CASES_DIR
from dpia.reports.export import content_digest, export_document

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def clean_env() -> dict[str, str]:
    """The environment of someone who just cloned the project: no DJANGO_* and no DATABASE_URL."""
    return {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}


def run(*args: str, cwd: Path = REPO, python: str = sys.executable) -> subprocess.CompletedProcess:
    return subprocess.run([python, *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ngo")
    shutil.copy(DEMO_CASES_DIR / "safe_city_control_room.toml", folder / "answers.toml")
    return folder / "answers.toml"


@pytest.fixture(scope="module")
def report(answers) -> Path:
    """`manage.py report answers.toml --pdf out.pdf --json out.json`, as the README shows it."""
    assert ".venv/bin/python manage.py report answers.toml --pdf out.pdf" in README
    result = run("manage.py", "report", str(answers), "--pdf", str(answers.parent / "out.pdf"),
                 "--json", str(answers.parent / "out.json"))
    assert result.returncode == 0, result.stderr
    assert "Report written to" in result.stdout
    return answers.parent


def test_assess_runs_without_any_configuration(answers):
    assert ".venv/bin/python manage.py assess answers.toml" in README
    result = run("manage.py", "assess", str(answers), "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Verdict on the project as described: UNLAWFUL AS PROPOSED")
    assert "DJANGO_SECRET_KEY" not in result.stderr and "INFO" not in result.stderr


def test_bank_schema_runs_without_any_configuration():
    assert ".venv/bin/python manage.py bank_schema > answers.schema.json" in README
    result = run("manage.py", "bank_schema")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["$schema"].startswith("https://json-schema.org/")


def test_report_writes_a_pdf_without_any_configuration(report):
    assert (report / "out.pdf").read_bytes().startswith(b"%PDF-")


def test_verify_answers_clearly_without_any_configuration(report):
    # A fresh clone has no database of versions: the command says so and how to check offline instead.
    assert ".venv/bin/python manage.py verify FILE" in README
    result = run("manage.py", "verify", str(report / "out.pdf"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no registered version matches" in result.stderr


def test_verify_export_checks_a_chain_and_a_pdf_with_the_standard_library_only(report):
    assert "python3 scripts/verify_export.py v1.json v2.json --pdf v2.pdf" in README
    content = json.loads((report / "out.json").read_text(encoding="utf-8"))["content"]
    first = {**content, "number": 1, "previous_digest": ""}
    second = {**content, "number": 2, "previous_digest": content_digest(first)}
    pdf_sha256 = hashlib.sha256((report / "out.pdf").read_bytes()).hexdigest()
    for name, version, pdf in (("v1.json", first, ""), ("v2.json", second, pdf_sha256)):
        document = export_document(content=version, digest=content_digest(version), pdf_digest=pdf)
        (report / name).write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    system_python = shutil.which("python3", path="/usr/bin:/bin") or "python3"
    result = run(str(REPO / "scripts" / "verify_export.py"), "v1.json", "v2.json", "--pdf", "out.pdf",
                 cwd=report, python=system_python)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "chain: OK — 2 versions follow each other" in result.stdout
    assert re.search(r"out\.pdf: OK", result.stdout)


def test_the_dpia_console_command_runs_the_offline_tools_only(answers):
    # `dpia` (pyproject's [project.scripts]) is config.cli:main; `python -m config.cli` is the same entry.
    result = run("-m", "config.cli", "assess", str(answers), "--format", "json", "--today", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"]["outcome"] == "unlawful_as_proposed"
    refused = run("-m", "config.cli", "runserver")
    assert refused.returncode == 2 and "usage: dpia" in refused.stderr


def test_the_offline_settings_never_serve():
    result = run("-c", "import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings_offline'; "
                       "import config.wsgi")
    assert result.returncode != 0 and "is for the command-line tools" in result.stderr
