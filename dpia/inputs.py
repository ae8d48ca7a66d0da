"""Reading what visitors send, within limits: JSON documents they upload, and the query parameters of
pages anyone can open. Whatever is outside the limits is refused with a reason a person can read,
never passed on to code (or a database) that would fail on it."""

import json
import math
import re
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

JSON_MAX_DEPTH = 64
JSON_MAX_NUMBER_LENGTH = 40
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONRefused(ValueError):
    """Not a JSON document this workbench reads; str() says why, for the person who sent it."""


def _integer(text: str) -> int:
    if len(text) > JSON_MAX_NUMBER_LENGTH:
        raise JSONRefused(_("it holds a number longer than %(length)s digits") % {"length": JSON_MAX_NUMBER_LENGTH})
    return int(text)


def _real(text: str) -> float:
    value = float(text) if len(text) <= JSON_MAX_NUMBER_LENGTH else math.inf
    if not math.isfinite(value):
        raise JSONRefused(_("it holds a number too large to read"))
    return value


def _constant(name: str):
    raise JSONRefused(_("it holds %(name)s, which is not a JSON number") % {"name": name})


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise JSONRefused(_("it holds a NUL character"))
    if _SURROGATE.search(text):
        raise JSONRefused(_("it holds an unpaired surrogate escape (\\ud800 to \\udfff)"))


def load_json(data: bytes) -> Any:
    """Parse a JSON document of at most JSON_MAX_DEPTH levels, with numbers of ordinary size and text
    that can be stored and encoded again (no NUL, no unpaired surrogate)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise JSONRefused(_("it is not UTF-8 text")) from None
    try:
        document = json.loads(text, parse_int=_integer, parse_float=_real, parse_constant=_constant)
    except RecursionError:
        raise JSONRefused(_("it is nested more than %(depth)s levels deep") % {"depth": JSON_MAX_DEPTH}) from None
    except json.JSONDecodeError as error:
        raise JSONRefused(_("it is not valid JSON (line %(line)s, column %(column)s)") % {
            "line": error.lineno, "column": error.colno}) from None
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > JSON_MAX_DEPTH:
            raise JSONRefused(_("it is nested more than %(depth)s levels deep") % {"depth": JSON_MAX_DEPTH})
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
    return document


class QueryForm(forms.Form):
    """A form for a page's query parameters: each one parsed and bounded by its field. A parameter
    that does not fit is reported and ignored; the others still apply."""

    def valid_params(self) -> dict[str, str]:
        self.is_valid()
        return {name: str(value) for name, value in self.cleaned_data.items() if value not in (None, "")}


def storable(data) -> tuple[dict[str, list[str]], bool]:
    """Form data as it can be kept in the database as typed: NUL characters, which PostgreSQL refuses
    in text, are dropped. Returns the data and whether anything was dropped."""
    kept, dropped = {}, False
    for key, values in data.lists():
        clean_values = [value.replace("\x00", "") for value in values]
        dropped = dropped or "\x00" in key or clean_values != values
        kept[key.replace("\x00", "")] = clean_values
    return kept, dropped


def keep_refused(request, name: str, data) -> None:
    """Keep what was typed in a refused form, for the page the user is redirected back to."""
    request.session[f"dpia_refused:{name}"] = {key: values for key, values in data.lists()
                                               if key != "csrfmiddlewaretoken"}


def labelled_error(label, error) -> str:
    """A field's error with the field's name before it (French puts a non-breaking space before the colon)."""
    return gettext("%(label)s: %(error)s") % {"label": label, "error": error}


def refusal_message(form, when_blank: str) -> str:
    """Why a form was refused, for the message at the top of the page it returns to: `when_blank` when a field
    was left empty, otherwise the first field's own error (text over the length limit, a choice not offered)."""
    for name, errors in form.errors.items():
        if any(e.code == "required" for e in errors.as_data()):
            return when_blank
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else ""
        return labelled_error(label, errors[0]) if label else str(errors[0])
    return when_blank


def refused_form(request, name: str, form_class, **kwargs):
    """A form bound to what was typed when it was last refused, showing why; otherwise a fresh one."""
    data = request.session.pop(f"dpia_refused:{name}", None)
    form = form_class(MultiValueDict(data) if data is not None else None, **kwargs)
    if data is not None:
        form.is_valid()
    return form
