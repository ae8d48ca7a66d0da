"""Radio buttons and check boxes whose HTML is written in Python rather than by one template per choice.

Django renders a RadioSelect or CheckboxSelectMultiple with a template for the group, and for each choice a
template for its label, its input and its attributes: on a wizard step with a hundred choices that was about a
third of the page's time. These widgets write the same HTML, byte for byte, as Django's templates
(django/forms/widgets/multiple_input.html, input_option.html, input.html, attrs.html; tests/web/
test_widgets.py compares them on every step form), from the same context (`get_context`), with the same escaping.
They do not go through the form renderer, so a project FORM_RENDERER with its own widget templates would not
apply to them (this project has none).
"""

from django import forms
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
