"""Forms that are not built from the question bank."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dpia import selectors, services
from dpia.fields import UncappedCharField
from dpia.models import Organisation
from dpia.services import EvidenceRejected, evidence_file_check


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client and cannot be trusted here.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further guesses for a (username, IP) pair after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts for this account from your network. "
            "Try again after %(time)s."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        ip_address = client_ip(self.request)
        now = timezone.now()
        locked_until = selectors.login_locked_until(
            username=username, ip_address=ip_address, now=now
        )
        if locked_until is not None:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"time": formats.time_format(timezone.localtime(locked_until), "H:i")},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.login_failure_record(username=username, ip_address=ip_address, now=now)
            raise
        services.login_failures_clear(username=username, ip_address=ip_address)
        return cleaned


class AssessmentCreateForm(forms.Form):
    title = forms.CharField(label=_("Name of the project"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    shadow_of = forms.CharField(
        label=_("For a shadow assessment: the project and the body that runs it"), max_length=200, required=False,
        help_text=_("Civil-society organisations assess other bodies' projects from public facts; name it here."))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation and organisation.kind == Organisation.Kind.CIVIL_SOCIETY and not cleaned.get("shadow_of"):
            self.add_error("shadow_of", _("Name the project you assess, and the body that runs it."))
        return cleaned


class EvidenceForm(forms.Form):
    question_id = forms.ChoiceField(label=_("Answer it supports"), choices=())
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), max_length=500, required=False, assume_scheme="https")
    upload = forms.FileField(
        label=_("File"), required=False, max_length=200,
        help_text=_("PDF, image, office document, CSV or text; 10 MB at most."),
    )
    dated = forms.DateField(
        label=_("Date of the evidence"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), input_formats=["%Y-%m-%d"],
    )
    note = UncappedCharField(label=_("Note"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, question_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_id"].choices = question_choices

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("upload") and not self.errors:
            raise forms.ValidationError(_("Give a link or attach a file."))
        upload = cleaned.get("upload")
        if upload:
            try:
                evidence_file_check(upload)
            except EvidenceRejected as exc:
                self.add_error("upload", _("This file was refused: %(reason)s.") % {"reason": exc})
        return cleaned
