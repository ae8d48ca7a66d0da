"""Form fields shared by the workbench's forms."""

import unicodedata

from django import forms


class UncappedCharField(forms.CharField):
    """A text field whose length limit is checked on the server only: a browser's maxlength silently cuts a
    long paste, whereas a form error says how long it is and keeps every character typed."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


# What shows nothing on its own: separators and spaces (Z*), control and format characters (Cc, Cf: zero-width
# spaces and joiners, direction marks, the soft hyphen, tags), combining marks with nothing to combine with (Mn,
# Me), and the letters made to look blank (the Braille blank, the Hangul fillers).
BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
BLANK_LETTERS = frozenset("\u2800\u3164\u115f\u1160\uffa0")


def shows_nothing(text: str) -> bool:
    """Whether the text is made only of characters a reader cannot see."""
    return all(c in BLANK_LETTERS or unicodedata.category(c) in BLANK_CATEGORIES for c in text)


class TextField(forms.CharField):
    """Free text a person writes to another (advice, reasons, comments, replies, opinions): text made only of
    spaces and invisible characters counts as empty, so a required field refuses it."""

    def to_python(self, value):
        value = super().to_python(value)
        return self.empty_value if shows_nothing(value) else value


class UncappedTextField(UncappedCharField, TextField):
    """TextField checked for length on the server only (see UncappedCharField)."""
