"""Form fields shared by the workbench's forms."""

from django import forms


class UncappedCharField(forms.CharField):
    """A text field whose length limit is checked on the server only: a browser's maxlength silently cuts a
    long paste, whereas a form error says how long it is and keeps every character typed."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


# Characters that show nothing: zero-width spaces and joiners, the word joiner, the byte-order mark.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


class TextField(forms.CharField):
    """Free text a person writes to another (advice, reasons, comments, replies, opinions): text made only of
    spaces and invisible characters counts as empty, so a required field refuses it."""

    def to_python(self, value):
        value = super().to_python(value)
        return value if value.translate(INVISIBLE).strip() else self.empty_value


class UncappedTextField(UncappedCharField, TextField):
    """TextField checked for length on the server only (see UncappedCharField)."""
