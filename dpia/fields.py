"""Form fields shared by the workbench's forms."""

from django import forms


class UncappedCharField(forms.CharField):
    """A text field whose length limit is checked on the server only: a browser's maxlength silently cuts a
    long paste, whereas a form error says how long it is and keeps every character typed."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
