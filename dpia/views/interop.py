"""Open formats: CNIL PIA export and import, CSV of an action plan and of the register. Thin views.

Access follows the pages the data comes from: a version's exports need the rights to read that version
(selectors.version_for); the public gets only published, redacted content (selectors.publication)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dpia import labels, policies, selectors
from dpia.engine.bank import default_bank
from dpia.forms import RegisterFilterForm, client_ip
from dpia.interop import imports
from dpia.interop.cnil_pia import MAX_BYTES, CnilPiaError, to_cnil_pia
from dpia.interop.csv_export import action_plan_table, csv_stream, register_rows, to_csv
from dpia.labels import current_language


def _json_download(document: dict, filename: str) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _csv_download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _action_plan(content: dict, filename: str) -> HttpResponse:
    header, rows = action_plan_table(content, default_bank(), current_language())
    return _csv_download(to_csv(header, rows), filename)


def version_cnil_pia(request, pk, number):
    version = selectors.version_for(request.user, pk, number)
    return _json_download(to_cnil_pia(version.content, default_bank()), f"dpia-{pk}-v{number}-cnil-pia.json")


def version_action_plan_csv(request, pk, number):
    version = selectors.version_for(request.user, pk, number)
    return _action_plan(version.content, f"dpia-{pk}-v{number}-action-plan.csv")


@login_not_required
def register_cnil_pia(request, pk):
    publication = selectors.publication(pk)
    return _json_download(to_cnil_pia(publication.content, default_bank()), f"dpia-published-{pk}-cnil-pia.json")


@login_not_required
def register_action_plan_csv(request, pk):
    publication = selectors.publication(pk)
    return _action_plan(publication.content, f"dpia-published-{pk}-action-plan.csv")


REGISTER_HEADER = [
    gettext_lazy("Assessment"), gettext_lazy("Organisation"), gettext_lazy("City"),
    gettext_lazy("Shadow assessment"), gettext_lazy("Technology"), gettext_lazy("Regime"), gettext_lazy("Verdict"),
    gettext_lazy("Published"), gettext_lazy("Digest (SHA-256)"), gettext_lazy("Redacted from the version with digest"),
    gettext_lazy("Register entry"),
]


# The register's CSV is streamed: publications are read from the database this many at a time and the text is
# sent as it is written, so that memory does not grow with the register (10,000 entries and more).
REGISTER_CSV_CHUNK = 1000


@login_not_required
def register_csv(request):
    """The register as the list page shows it, with the same filters (its query string), every entry, streamed."""
    technologies = default_bank().question("project.technologies")
    language = current_language()
    header = [str(h) for h in REGISTER_HEADER]
    yes, no = _("Yes"), _("No")
    rows = register_rows(
        selectors.register_entries(RegisterFilterForm(request.GET).valid_params()).iterator(
            chunk_size=REGISTER_CSV_CHUNK),
        verdict_label=lambda v: str(labels.VERDICTS.get(v, v)), regime_label=lambda r: str(labels.REGIMES.get(r, r)),
        technology_label=lambda t: technologies.choice_label(t, language),
        shadow_label=lambda shadow: yes if shadow else no,
        entry_url=lambda p: request.build_absolute_uri(reverse("register_detail", kwargs={"pk": p.pk})),
        day=timezone.localdate)

    def text():
        # The rows are written after the view has returned: in the reader's language, whatever the thread's is then.
        with translation.override(language):
            for piece in csv_stream(header, rows):
                yield piece.encode("utf-8")

    response = StreamingHttpResponse(text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dpia-register.csv"'
    return response


class CnilPiaImportForm(forms.Form):
    upload = forms.FileField(label=gettext_lazy("CNIL PIA file (.json)"), max_length=200,
                             help_text=gettext_lazy("A file exported by the CNIL's PIA software, up to 2 MB."))
    organisation = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=None, empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_BYTES:  # refused before a byte of it is read
            raise forms.ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_BYTES >> 20})
        return upload


def cnil_pia_import(request):
    organisations = selectors.organisations_where(request.user, [policies.Role.AUTHOR])
    form = CnilPiaImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        try:
            assessment, notes = imports.cnil_pia_import(
                user=request.user, organisation=form.cleaned_data["organisation"], raw=upload.read(),
                filename=upload.name or "", bank=default_bank(), language=current_language(),
                ip_address=client_ip(request))
        except CnilPiaError as error:
            form.add_error("upload", _("This file cannot be imported. %(reason)s Nothing was created.") % {
                "reason": imports.error_message(error)})
        else:
            messages.success(request, ngettext(
                "The CNIL PIA is imported as a new draft. %(count)s part of the file has no place in the "
                "questionnaire: it is kept below as a note.",
                "The CNIL PIA is imported as a new draft. %(count)s parts of the file have no place in the "
                "questionnaire: they are kept below as notes.", len(notes)) % {"count": len(notes)})
            return redirect("assessment_detail", pk=assessment.pk)
    return render(request, "interop/import.html", {"form": form, "can_import": organisations.exists()})
