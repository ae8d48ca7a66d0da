"""The public register: no login. Published, redacted versions only."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dpia import labels, selectors, services
from dpia.engine.bank import default_bank
from dpia.fields import UncappedTextField
from dpia.forms import RegisterFilterForm
from dpia.labels import current_language
from dpia.reports.export import export_document
from dpia.reports.render import report_html
from dpia.views.reports import pdf_response

FEED_SIZE = 50
REGISTER_PAGE_SIZE = 25


@login_not_required
def register_list(request):
    bank = default_bank()
    technologies = bank.question("project.technologies")
    filter_form = RegisterFilterForm(request.GET)
    page = Paginator(selectors.IdsFirst(selectors.register_entries(filter_form.valid_params())),
                     REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "register/list.html", {
        "rows": [{"publication": p, "verdict": labels.VERDICTS.get(p.verdict, p.verdict),
                  "regimes": ", ".join(str(labels.REGIMES.get(r, r)) for r in p.regimes)} for p in page],
        "page": page,
        "filters": request.GET, "filter_form": filter_form,
        "technology_choices": [(v, technologies.choice_label(v, current_language()))
                               for v in technologies.choice_values()],
        "regime_choices": list(labels.REGIMES.items()), "verdict_choices": list(labels.VERDICTS.items()),
        "organisation_choices": selectors.published_organisations(),
    })


class AnnotationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=gettext_lazy("On behalf of"), queryset=None, empty_label=None)
    target = forms.ChoiceField(label=gettext_lazy("Answer or finding"), choices=())
    text = UncappedTextField(label=gettext_lazy("Your note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence_url = forms.URLField(label=gettext_lazy("Counter-evidence (link)"), max_length=500, required=False,
                                  assume_scheme="https")

    def __init__(self, *args, publication, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        language = current_language()
        bank = default_bank()
        answers = [(f"answer:{qid}", bank.questions[qid].label.get(language)[:100])
                   for qid in publication.content["answers"] if qid in bank.questions]
        findings = [(f"finding:{f['id']}:{f.get('stream') or ''}", (f["title"].get(language) or f["title"]["en"])[:100])
                    for f in publication.content["result"]["findings"]]
        self.fields["target"].choices = [(gettext_lazy("Findings"), findings), (gettext_lazy("Answers"), answers)]


def target_label(publication, target: str) -> str:
    """What an annotation points at, in words: the question's label or the finding's title."""
    language = current_language()
    kind, _, rest = target.partition(":")
    if kind == "answer" and rest in default_bank().questions:
        return default_bank().questions[rest].label.get(language)
    finding_id = rest.split(":")[0]
    for finding in publication.content["result"]["findings"]:
        if finding["id"] == finding_id:
            return finding["title"].get(language) or finding["title"]["en"]
    return target


@login_not_required
def register_detail(request, pk):
    publication = selectors.publication(pk)
    organisations = selectors.auditor_organisations(request.user)
    form = None
    if organisations.exists():
        form = AnnotationForm(request.POST or None, publication=publication, organisations=organisations)
        if request.method == "POST" and form.is_valid():
            services.annotation_add(publication=publication, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your note is published."))
            return redirect("register_detail", pk=pk)
    assessment = publication.version.assessment
    return render(request, "register/detail.html", {
        "publication": publication, "assessment": assessment,
        # The project named when this publication was sealed, not the draft's name since.
        "shadow_of": (publication.content.get("workflow") or {}).get("shadow_of") or assessment.shadow_of,
        "verdict": labels.VERDICTS.get(publication.verdict, publication.verdict),
        "annotations": [{"annotation": a, "target": target_label(publication, a.target)}
                        for a in selectors.annotations_public(publication)],
        "form": form,
    })


@login_not_required
def register_report(request, pk):
    publication = selectors.publication(pk)
    links = [{"url": reverse("register_detail", kwargs={"pk": pk}), "label": _("Back to the register entry")},
             {"url": reverse("register_pdf", kwargs={"pk": pk}), "label": _("PDF")},
             {"url": reverse("register_json", kwargs={"pk": pk}), "label": _("JSON")},
             {"url": reverse("register_cnil_pia", kwargs={"pk": pk}), "label": _("CNIL PIA file")},
             {"url": reverse("register_action_plan_csv", kwargs={"pk": pk}), "label": _("Action plan (CSV)"),
              "section": "action-plan"}]
    return HttpResponse(report_html(publication.content, default_bank(), for_pdf=False, digest=publication.digest,
                                    status=str(labels.PUBLISHED), screen_links=links))


@login_not_required
def register_pdf(request, pk):
    publication = selectors.publication(pk)
    # The organisation that published it may try a failed render again; the public only reads.
    retry_url = ""
    if not publication.pdf_digest and request.user.is_authenticated and \
            selectors.assessments_visible_to(request.user).filter(pk=publication.version.assessment_id).exists():
        retry_url = reverse("register_pdf_retry", kwargs={"pk": pk})
    return pdf_response(request, publication, filename=f"dpia-published-{pk}.pdf",
                        back_url=reverse("register_detail", kwargs={"pk": pk}), retry_url=retry_url)


@require_POST
def register_pdf_retry(request, pk):
    """Try a publication's failed PDF render again: for the organisation that published it (404 for others)."""
    publication = selectors.publication(pk)
    selectors.assessment_for(request.user, publication.version.assessment_id)
    report_render = selectors.report_render(publication)
    if report_render is not None:
        services.report_render_retry(render=report_render, user=request.user)
    return redirect("register_pdf", pk=pk)


@login_not_required
def register_json(request, pk):
    publication = selectors.publication(pk)
    return JsonResponse(export_document(content=publication.content, digest=publication.digest,
                                        pdf_digest=publication.pdf_digest),
                        json_dumps_params={"ensure_ascii": False, "indent": 2})


@login_not_required
def register_feed(request):
    """JSON Feed 1.1 of the latest publications."""
    items = []
    for publication in selectors.published_list()[:FEED_SIZE]:
        url = request.build_absolute_uri(reverse("register_detail", kwargs={"pk": publication.pk}))
        items.append({
            "id": publication.digest, "url": url,
            "title": f"{publication.version.sealed_title} — {publication.sealed_organisation}",
            "content_text": f"{labels.VERDICTS.get(publication.verdict, publication.verdict)}. "
                            f"Digest {publication.digest}, derived from {publication.source_digest}.",
            "date_published": publication.published_at.isoformat(),
        })
    return JsonResponse({"version": "https://jsonfeed.org/version/1.1", "title": "DPIA register",
                         "home_page_url": request.build_absolute_uri(reverse("register")),
                         "feed_url": request.build_absolute_uri(reverse("register_feed")), "items": items},
                        content_type="application/feed+json")
