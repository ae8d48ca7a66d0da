"""Tools for a blind reader of a calibration case: the questionnaire in one text, and a check of an answers
file that does not run the assessment (a reader must not see the engine's verdict).

    python -m dpia.engine.blind_reading questionnaire > questionnaire.md
    python -m dpia.engine.blind_reading check ANSWERS.toml [...]

The protocol is in tests/scenarios/calibration/pending/README.md.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from dpia.engine.answers import validate_answers
from dpia.engine.bank import Question, QuestionBank, default_bank


def questionnaire(bank: QuestionBank) -> str:
    """Every question with its id, type, choices (the value a reader writes), help and condition, in English."""
    lines: list[str] = []

    def show(question: Question, indent: str = "") -> None:
        kind = question.type + (", once per stream: a table keyed by stream key" if question.per_item else "")
        required = ", required" if question.required else ""
        shown = f" (asked if: {question.show_if})" if question.show_if is not None else ""
        lines.append(f"{indent}- `{question.id}` ({kind}{required}): {question.label.en}{shown}")
        if question.help and question.help.en:
            lines.append(f"{indent}    help: {question.help.en}")
        for choice in question.choices:
            extra = f" ({choice.help.en})" if choice.help and choice.help.en else ""
            lines.append(f"{indent}    * `{choice.value}`: {choice.label.en}{extra}")
        if question.type == "number":
            lines.append(f"{indent}    from {question.minimum} to {question.maximum}")
        for field in question.fields:
            show(field, indent + "    ")

    for section in bank.sections:
        lines += ["", f"## {section.title.en} (`{section.id}`)", ""]
        for question in section.questions:
            show(question)
    return "\n".join(lines) + "\n"


def check(path: Path, bank: QuestionBank) -> list[str]:
    """What is wrong with a reader's answers file: unknown ids, choices or types. Never the verdict."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        return [f"cannot read: {error}"]
    if not isinstance(data.get("answers"), dict) or not data["answers"]:
        return ["no [answers] table: the answers go under [answers]"]
    return list(validate_answers(data["answers"], bank))


def main(argv: list[str]) -> int:
    bank = default_bank()
    if argv[:1] == ["questionnaire"]:
        print(questionnaire(bank), end="")
        return 0
    if argv[:1] == ["check"] and argv[1:]:
        failed = False
        for name in argv[1:]:
            problems = check(Path(name), bank)
            failed |= bool(problems)
            print(name, "OK" if not problems else "")
            for problem in problems:
                print("  -", problem)
        return 1 if failed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
