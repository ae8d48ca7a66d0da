"""The repository keeps the shape the project promised (fixed top level, declared dependencies)."""

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_TOP_LEVEL = {
    "dpia", "config", "templates", "tests", "manage.py", "pyproject.toml",
    "README.md", "Makefile", ".ci", "bench", "scripts", ".gitignore",
}


def test_top_level_holds_only_the_agreed_entries():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    top = {path.split("/")[0] for path in tracked}
    assert top <= ALLOWED_TOP_LEVEL, f"unexpected top-level entries: {sorted(top - ALLOWED_TOP_LEVEL)}"
    assert {"dpia", "config", "templates", "tests", "manage.py", "pyproject.toml"} <= top


def test_dependencies_are_declared_with_compatible_ranges():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = project["dependencies"]
    assert any(d.replace(" ", "").startswith("django>=6.1,<6.2") for d in deps)
    assert any(d.startswith("django-formtools>=2.7") for d in deps)
    assert any(d.startswith("weasyprint>=70") for d in deps)
    dev = " ".join(project["optional-dependencies"]["dev"])
    for name in ["pytest", "pytest-django", "hypothesis", "playwright", "pytest-playwright",
                 "axe-playwright-python", "psycopg[binary]"]:
        assert name in dev, name
    assert project["requires-python"] == ">=3.12"


def test_readme_quick_start_has_exactly_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [line.strip() for line in quick_start.splitlines() if line.startswith("    make ")
                or line.strip() in {"make run", "make test"}]
    assert commands == ["make run", "make test"]
