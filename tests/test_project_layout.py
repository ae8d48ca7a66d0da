"""The repository keeps the shape the project promised (fixed top level, declared dependencies)."""

import ast
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
    # With the argon2 extra: Argon2 is the first password hasher (config/settings.py).
    assert any(d.replace(" ", "").startswith("django[argon2]>=6.1,<6.2") for d in deps)
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


def _dpia_imports(path: Path) -> tuple[set[str], list[int]]:
    """The dpia modules a file imports at its top level, and the lines of imports made inside functions."""
    tree = ast.parse(path.read_text())
    top, nested = set(), []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
        if isinstance(node, ast.ImportFrom) and node.module == "dpia":
            names = [f"dpia.{a.name}" for a in node.names]
        names = [n for n in names if n and n.startswith("dpia")]
        if not names:
            continue
        if node.col_offset:
            nested.append(node.lineno)
        else:
            top.update(names)
    return top, nested


def test_the_web_app_has_no_import_cycles_and_no_imports_hidden_in_functions():
    modules = {}
    for path in (ROOT / "dpia").rglob("*.py"):
        if "migrations" in path.parts or path.name == "apps.py":  # AppConfig.ready() imports the checks
            continue
        relative = path.relative_to(ROOT).with_suffix("")
        name = ".".join(relative.parts[:-1] if relative.name == "__init__" else relative.parts)
        top, nested = _dpia_imports(path)
        assert not nested, f"{name} imports inside functions at lines {nested}"
        modules[name] = top
    graph = {name: {m for m in imported if m in modules and m != name} for name, imported in modules.items()}
    # A package's own modules importing it back is how a cycle hides: count only module to module edges.
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}

    def visit(name, path):
        for nxt in sorted(graph[name]):
            assert nxt not in path, "import cycle: " + " -> ".join([*path, nxt])
            visit(nxt, [*path, nxt])

    for name in sorted(graph):
        visit(name, [name])
