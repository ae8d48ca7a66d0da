"""What the questionnaire asks of a project: `manage.py question_load [FILE ...] [--language en|fr]`.

For each answers file (by default the reference projects in dpia/reference_projects/: a simple CCTV renewal,
plate readers, live facial recognition) it prints, step by step and in total, the questions a person is shown
once the answers are given and the words of help on screen, next to the questions on the pages as first built
(what a browser without JavaScript shows), and whether the engine finds the document complete."""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from dpia.engine import assess
from dpia.engine.answers import validate_answers
from dpia.engine.bank import default_bank
from dpia.management.commands.assess import read_answers
from dpia.stepforms import question_load

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "reference_projects"


def reference_projects() -> list[Path]:
    return sorted(REFERENCE_DIR.glob("*.toml"))


def project_title(path: Path, language: str) -> str:
    try:
        reference = tomllib.loads(path.read_text(encoding="utf-8")).get("reference", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return path.stem
    title = reference.get("title") if isinstance(reference, dict) else None
    return str(title.get(language) or title.get("en")) if isinstance(title, dict) else path.stem


class Command(BaseCommand):
    help = "Print, per step and in total, the questions shown and the words of help on screen for answers files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="Answers files (default: the reference projects).")
        parser.add_argument("--language", choices=["en", "fr"], default="en")

    def handle(self, *args, files: list[Path], language: str, **options):
        bank = default_bank()
        files = files or reference_projects()
        if not files:
            raise CommandError(f"no answers file given and none in {REFERENCE_DIR}", returncode=2)
        with translation.override(language):
            for path in files:
                answers = read_answers(path)
                errors = validate_answers(answers, bank)
                if errors:
                    raise CommandError(f"{path} has {len(errors)} problem(s):\n  " + "\n  ".join(errors),
                                       returncode=2)
                self._print(project_title(path, language), question_load(bank, answers, language=language),
                            assess(answers, bank, today=timezone.localdate()).completeness.complete)

    def _print(self, title: str, steps, complete: bool) -> None:
        width = max([len(s.title) for s in steps] + [len("Total")])
        self.stdout.write(title)
        self.stdout.write(f"  {'step':<{width}}  {'questions':>9}  {'help words':>10}  {'without script':>14}")
        for step in steps:
            self.stdout.write(f"  {step.title:<{width}}  {step.questions:>9}  {step.help_words:>10}  "
                              f"{step.questions_without_script:>14}")
        total = (sum(s.questions for s in steps), sum(s.help_words for s in steps),
                 sum(s.questions_without_script for s in steps))
        self.stdout.write(f"  {'Total':<{width}}  {total[0]:>9}  {total[1]:>10}  {total[2]:>14}")
        self.stdout.write(f"  complete assessment: {'yes' if complete else 'no'}\n")
