"""The wizard's radio buttons and check boxes, and the step forms' renderer (dpia.widgets), write exactly the HTML of
Django's templates."""

import tomllib

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
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


def _invalid(form: StepForm) -> MultiValueDict:
    """The form's own data with a value no field of its kind accepts, in every field: numbers, dates, choices and
    lengths fail, so that every error list is rendered."""
    data = MultiValueDict(form.data_from_answers())
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.DateField | forms.ChoiceField):
            data.setlist(key, ["<not one of these> & \"quoted\""])
        elif isinstance(field, forms.CharField) and not field.widget.is_hidden:
            data.setlist(key, ["x" * ((field.max_length or 10) + 1) + " <b>&</b>"])
    return data


@pytest.mark.parametrize("case", CASES[:3], ids=lambda p: p.stem)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_step_forms_renderer_writes_the_html_of_djangos_templates(case, language):
    """Every field group (label or legend, help, errors, widget), hidden field and label of every step form, unbound,
    bound to the case's answers, checked strictly (also empty: required answers missing) and bound to invalid values:
    the Python renderer against Django's templates."""
    bank = default_bank()
    answers = tomllib.loads(case.read_text(encoding="utf-8"))["answers"]
    compared = 0
    with override(language):
        for section in bank.sections:
            kwargs = {"section": section, "bank": bank, "answers": answers, "language": language,
                      "prefix": section.id}
            unbound = StepForm(**kwargs)
            saved = MultiValueDict(unbound.data_from_answers())
            empty = MultiValueDict({f"{section.id}-revision": ["0"]})
            for data, strict in ((None, False), (saved, False), (saved, True), (empty, True),
                                 (_invalid(unbound), False)):
                ours = StepForm(data, strict=strict, **kwargs)
                django = StepForm(data, strict=strict, renderer=DjangoTemplates(), **kwargs)
                assert ours.renderer is StepForm.default_renderer and ours.is_bound is (data is not None)
                for name in ours.fields:
                    if ours[name].is_hidden:
                        assert str(ours[name]) == str(django[name]), name
                    else:
                        assert ours[name].as_field_group() == django[name].as_field_group(), name
                        assert ours[name].label_tag() == django[name].label_tag(), name
                    compared += 1
                assert str(ours.non_field_errors()) == str(django.non_field_errors())
    assert compared > 500
