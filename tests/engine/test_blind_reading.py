"""A blind reader gets the whole questionnaire in one text and can check an answers file without seeing the
engine's verdict."""

from dpia.engine.bank import default_bank
from dpia.engine.blind_reading import check, main, questionnaire

BANK = default_bank()


def test_the_questionnaire_names_every_question_and_choice_a_reader_may_write():
    text = questionnaire(BANK)
    for section in BANK.sections:
        for question in section.questions:
            assert f"`{question.id}`" in text
            for choice in question.choices:
                assert f"`{choice.value}`" in text
    assert "once per stream" in text and "`no_physical_place`" in text


def test_a_check_names_what_is_wrong_and_says_nothing_of_the_verdict(tmp_path, capsys):
    good = tmp_path / "good.toml"
    good.write_text('[answers]\n"screening.jurisdiction" = "de"\n', encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[answers]\n"screening.jurisdiction" = "atlantis"\n', encoding="utf-8")
    assert check(good, BANK) == []
    assert any("atlantis" in problem for problem in check(bad, BANK))
    assert main(["check", str(good), str(bad)]) == 1
    printed = capsys.readouterr().out
    assert "OK" in printed and "atlantis" in printed
    assert not any(word in printed for word in ("unlawful", "proceed", "verdict"))
    misplaced = tmp_path / "misplaced.toml"
    misplaced.write_text('[answer]\n"screening.jurisdiction" = "de"\n', encoding="utf-8")
    assert "no [answers] table" in check(misplaced, BANK)[0]
    broken = tmp_path / "broken.toml"
    broken.write_text("[answers\n", encoding="utf-8")
    assert check(broken, BANK)[0].startswith("cannot read")
