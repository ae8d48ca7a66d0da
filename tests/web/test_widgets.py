"""The wizard's radio buttons and check boxes (dpia.widgets) write exactly the HTML of Django's templates."""

import tomllib

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import override

from dpia import widgets
from dpia.engine.bank import default_bank
from dpia.management.commands.load_demo import DEMO_CASES_DIR
from dpia.stepforms import StepForm

CASES = sorted(DEMO_CASES_DIR.glob("*.toml"))


@pytest.mark.parametrize("case", CASES[:3], ids=lambda p: p.stem)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_choice_widgets_write_the_html_of_djangos_templates(case, language, monkeypatch):
    """Every choice field of every step form, unbound and bound to the case's answers (checked choices), with the
    attributes the page gives it (ids, aria-describedby): the Python rendering against the template one."""
    compared = []

    def both(self, name, value, attrs=None, renderer=None):
        ours = widgets.PythonRenderedChoices.render(self, name, value, attrs, renderer)
        django = forms.Widget.render(self, name, value, attrs, renderer)
        assert ours == django, name
        compared.append(name)
        return ours

    monkeypatch.setattr(widgets.RadioSelect, "render", both)
    monkeypatch.setattr(widgets.CheckboxSelectMultiple, "render", both)
    bank = default_bank()
    answers = tomllib.loads(case.read_text(encoding="utf-8"))["answers"]
    with override(language):
        for section in bank.sections:
            kwargs = {"section": section, "bank": bank, "answers": answers, "language": language,
                      "prefix": section.id}
            unbound = StepForm(**kwargs)
            for form in (unbound, StepForm(MultiValueDict(unbound.data_from_answers()), **kwargs)):
                for name, field in form.fields.items():
                    if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                        form[name].as_field_group()
    assert len(compared) > 50


def test_a_choice_label_is_escaped_like_the_template_does():
    widget = widgets.RadioSelect(choices=[("a", "<b>A & B</b>"), ("b", "\"quoted\"")], attrs={"class": "x<y"})
    html = widget.render("field", "b", attrs={"id": "id_field", "aria-describedby": "id_field_helptext"})
    assert html == forms.Widget.render(widget, "field", "b", attrs={"id": "id_field",
                                                                     "aria-describedby": "id_field_helptext"})
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in html and "checked" in html
