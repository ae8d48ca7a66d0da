"""Radio buttons and check boxes whose HTML is written in Python rather than by one template per choice; below, the
step forms' renderer, which writes their other form templates in Python too.

Django renders a RadioSelect or CheckboxSelectMultiple with a template for the group, and for each choice a
template for its label, its input and its attributes: on a wizard step with a hundred choices that was about a
third of the page's time. These widgets write the same HTML, byte for byte, as Django's templates
(django/forms/widgets/multiple_input.html, input_option.html, input.html, attrs.html; tests/web/
test_widgets.py compares them on every step form), from the same context (`get_context`), with the same escaping.
They do not go through the form renderer, so a project FORM_RENDERER with its own widget templates would not
apply to them (this project has none).
"""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    return "".join(f" {conditional_escape(name)}" if value is True else
                   f' {conditional_escape(name)}="{conditional_escape(_s(value))}"'
                   for name, value in attrs.items() if value is not False)


def _s(value):
    """`|stringformat:'s'`: the value as text; a safe string stays safe (the filter is marked is_safe)."""
    return value if isinstance(value, SafeString) else "%s" % (value,)  # noqa: UP031 - what the filter does


def _input(widget: dict) -> str:
    value = "" if widget["value"] is None else f' value="{conditional_escape(_s(widget["value"]))}"'
    # The template files end with a line break, which the include keeps.
    return (f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{value}{_attrs(widget['attrs'])}>\n")


def _option(option: dict) -> str:
    """radio_option.html / checkbox_option.html, which include input_option.html: each adds its line break."""
    if not option.get("wrap_label"):
        return _input(option) + "\n\n"
    target = option["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{_input(option)} {conditional_escape(option['label'])}</label>\n\n"


class PythonRenderedChoices:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        ident, css = widget["attrs"].get("id"), widget["attrs"].get("class")
        html = ["<div", f' id="{conditional_escape(ident)}"' if ident else "",
                f' class="{conditional_escape(css)}"' if css else "", ">"]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            html.extend(f"<div>\n    {_option(option)}</div>" for option in options)
            if group:
                html.append("\n  </div>")
        html.append("\n</div>")
        return mark_safe("".join(html).strip())  # noqa: S308 - every value above is escaped


class RadioSelect(PythonRenderedChoices, forms.RadioSelect):
    pass


class CheckboxSelectMultiple(PythonRenderedChoices, forms.CheckboxSelectMultiple):
    pass


# The step form's other templates: its field groups (label, help, errors, widget), labels, error lists, text,
# number, date, hidden and check box inputs, text areas and drop-down lists. A wizard step renders one field group
# per question or row field, each through five to seven templates; written in Python here, from the same context,
# they cost a fraction. Each writer returns what Django's template gives after the renderer's strip() (the
# templates' line breaks and indents included): tests/web/test_widgets.py compares both on every step form.


def _field_group(context: dict) -> str:
    """django/forms/field.html"""
    field = context["field"]
    if field.use_fieldset:
        aria = field.aria_describedby
        described = f' aria-describedby="{conditional_escape(aria)}"' if aria else ""
        html = [f"\n  <fieldset{described}>\n  ", field.legend_tag() if field.label else "", "\n"]
    else:
        html = ["\n  ", field.label_tag() if field.label else "", "\n"]
    html.append("\n")
    if field.help_text:
        ident = f' id="{conditional_escape(field.auto_id)}_helptext"' if field.auto_id else ""
        html.append(f'<div class="helptext"{ident}>{field.help_text}</div>')
    html += ["\n", str(field.errors), "\n", str(field), "</fieldset>" if field.use_fieldset else "", "\n"]
    return "".join(html).strip()


def _label(context: dict) -> str:
    """django/forms/label.html (with django/forms/attrs.html)"""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        return label.strip()
    tag = conditional_escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>".strip()


def _error_list(context: dict) -> str:
    """django/forms/errors/list/default.html (which includes ul.html)"""
    errors = context["errors"]
    if not errors:
        return ""
    ident = f' id="{conditional_escape(errors.field_id)}_error"' if errors.field_id else ""
    items = "".join(f"<li>{conditional_escape(error)}</li>" for error in errors)
    return f'<ul class="{conditional_escape(context["error_class"])}"{ident}>{items}</ul>'.strip()


def _one_input(context: dict) -> str:
    """django/forms/widgets/text.html, number.html, date.html, hidden.html, checkbox.html: input.html"""
    return _input(context["widget"]).strip()


def _textarea(context: dict) -> str:
    """django/forms/widgets/textarea.html"""
    widget = context["widget"]
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f"{value}</textarea>\n").strip()


def _select(context: dict) -> str:
    """django/forms/widgets/select.html, whose options are select_option.html"""
    widget = context["widget"]
    html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f'\n  <optgroup label="{conditional_escape(group)}">')
        html.extend(f'\n  <option value="{conditional_escape(_s(option["value"]))}"{_attrs(option["attrs"])}>'
                    f'{conditional_escape(option["label"])}</option>\n' for option in options)
        if group:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html).strip()


WRITERS = {
    "django/forms/field.html": _field_group,
    "django/forms/label.html": _label,
    "django/forms/errors/list/default.html": _error_list,
    "django/forms/widgets/text.html": _one_input,
    "django/forms/widgets/number.html": _one_input,
    "django/forms/widgets/date.html": _one_input,
    "django/forms/widgets/hidden.html": _one_input,
    "django/forms/widgets/checkbox.html": _one_input,
    "django/forms/widgets/textarea.html": _textarea,
    "django/forms/widgets/select.html": _select,
}


class PythonRenderer(DjangoTemplates):
    """The form renderer of the step forms: the templates in WRITERS written in Python, any other through Django's
    own (the same templates this renderer's parent would load)."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        return super().render(template_name, context, request) if write is None else write(context)
