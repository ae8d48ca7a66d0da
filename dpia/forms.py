"""Forms that are not built from the question bank."""

import logging

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dpia.fields import TextField, UncappedCharField
from dpia.inputs import QueryForm
from dpia.models import Organisation
from dpia.services import EvidenceRejected, evidence_file_check
from dpia.throttle import client_ip, login_locked_until, login_username, one_attempt_at_a_time

security_log = logging.getLogger("dpia.security")


class ThrottledLoginMixin:
    """For Django's login forms (ours and the admin's): refuses further guesses for a (username, IP) pair
    after repeated failures, and checks one guess of a pair at a time."""

    throttled_message = _("Too many failed attempts for this account from your network. Try again after %(time)s.")

    def clean(self):
        username = login_username(self.request, {"username": self.cleaned_data.get("username") or ""})
        ip_address = client_ip(self.request)
        refused = None
        with one_attempt_at_a_time(username, ip_address):
            if AxesProxyHandler.is_locked(self.request, {"username": username}):
                self.request.axes_locked_out = True
            else:
                try:
                    super().clean()
                    # A success forgets earlier typing mistakes, inside the same step as the check.
                    AxesProxyHandler.reset_attempts(username=username, ip_address=ip_address)
                except forms.ValidationError as error:
                    # Raised outside the transaction, so the recorded failure is committed.
                    refused = error
                    # %r keeps newlines typed into the username from forging log lines.
                    security_log.warning("login failed username=%r ip=%s", username, ip_address)
        if getattr(self.request, "axes_locked_out", False):
            security_log.warning("login locked username=%r ip=%s", username, ip_address)
            until = timezone.localtime(login_locked_until(username, ip_address))
            throttled = forms.ValidationError(self.throttled_message, code="throttled",
                                              params={"time": formats.time_format(until, "H:i")})
            raise forms.ValidationError([refused, throttled] if refused else [throttled])
        if refused:
            raise refused
        return self.cleaned_data


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ReportLanguageForm(forms.Form):
    """The language a report is written in, chosen when previewing and when freezing, whatever the
    interface's language: a French authority may receive a French report from an English-speaking author."""

    language = forms.ChoiceField(label=_("Report written in"), choices=settings.LANGUAGES)

    @classmethod
    def chosen(cls, data, default: str) -> str | None:
        """The language asked for; `default` when none is asked; None when the value is not one we write in."""
        if not data or "language" not in data:
            return default
        form = cls(data)
        return form.cleaned_data["language"] if form.is_valid() else None


SHADOW_OF_LABEL = _("For a shadow assessment: the project and the body that runs it")
SHADOW_OF_HELP = _("Civil-society organisations assess other bodies' projects from public facts; name it here.")
SHADOW_OF_MISSING = _("Name the project you assess, and the body that runs it.")


def shadow_of_field(*, required: bool = False) -> TextField:
    """The project a civil society assesses (with the body that runs it): text that shows nothing names nothing."""
    return TextField(label=SHADOW_OF_LABEL, max_length=200, required=required,
                     error_messages={"required": SHADOW_OF_MISSING}, help_text=SHADOW_OF_HELP)


class AssessmentCreateForm(forms.Form):
    # TextField: a name made only of spaces or invisible characters is no name (required: refused).
    title = TextField(label=_("Name of the project"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, empty_label=None)
    shadow_of = shadow_of_field()

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        # Only a civil society assesses someone else's project: a city's author is not asked which one.
        if not any(o.kind == Organisation.Kind.CIVIL_SOCIETY for o in organisations):
            del self.fields["shadow_of"]

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if organisation and organisation.kind == Organisation.Kind.CIVIL_SOCIETY and not cleaned.get("shadow_of"):
            self.add_error("shadow_of", SHADOW_OF_MISSING)
        return cleaned


class RenameForm(forms.Form):
    """A draft's name; for a civil society's shadow assessment, also the project it assesses (required, as at
    creation: an assessment imported without one can be named here, and is then publishable)."""

    title = TextField(label=_("Name of the project"), max_length=200)

    def __init__(self, *args, shadow: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if shadow:
            self.fields["shadow_of"] = shadow_of_field(required=True)


class EvidenceForm(forms.Form):
    question_id = forms.ChoiceField(label=_("Answer it supports"), choices=())
    # TextField: a title made only of spaces or invisible characters names nothing (required: refused).
    title = TextField(label=_("Title"), max_length=200)
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


class RegisterFilterForm(QueryForm):
    """The public register's filters, from the query string."""

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=100, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    technology = forms.CharField(label=_("Technology"), max_length=100, required=False)
    regime = forms.CharField(label=_("Regime"), max_length=40, required=False)
    verdict = forms.CharField(label=_("Verdict"), max_length=40, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1, max_value=9999, required=False,
                              error_messages={"invalid": _("Enter a year, for example 2026.")})
