"""The public register: no login. Published, redacted versions only."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from dpia import labels, selectors
from dpia.engine.bank import default_bank
from dpia.reports.export import export_document
from dpia.reports.render import report_html

FEED_SIZE = 50


def _filtered(params):
    publications = selectors.published()
    if q := params.get("q", "").strip()[:100]:
        publications = publications.filter(Q(version__assessment__title__icontains=q)
                                           | Q(version__assessment__organisation__name__icontains=q))
    if organisation := params.get("organisation", "").strip()[:100]:
        publications = publications.filter(version__assessment__organisation__slug=organisation)
    if city := params.get("city", "").strip()[:100]:
        publications = publications.filter(city__iexact=city)
    if verdict := params.get("verdict", "") if params.get("verdict", "") in labels.VERDICTS else "":
        publications = publications.filter(verdict=verdict)
    if (year := params.get("year", "")).isdigit():
        publications = publications.filter(published_at__year=int(year))
    rows = list(publications[:500])
    # JSON lists are filtered here rather than in SQL, the same way on SQLite and PostgreSQL.
    if technology := params.get("technology", ""):
        rows = [p for p in rows if technology in p.technologies]
    if regime := params.get("regime", ""):
        rows = [p for p in rows if regime in p.regimes]
    return rows


@login_not_required
def register_list(request):
    bank = default_bank()
    technologies = bank.question("project.technologies")
    rows = _filtered(request.GET)
    return render(request, "register/list.html", {
        "rows": [{"publication": p, "verdict": labels.VERDICTS.get(p.verdict, p.verdict),
                  "regimes": ", ".join(str(labels.REGIMES.get(r, r)) for r in p.regimes)} for p in rows],
        "filters": request.GET,
        "technology_choices": [(v, technologies.choice_label(v, request.LANGUAGE_CODE[:2]))
                               for v in technologies.choice_values()],
        "regime_choices": list(labels.REGIMES.items()), "verdict_choices": list(labels.VERDICTS.items()),
    })


@login_not_required
def register_detail(request, pk):
    publication = selectors.publication(pk)
    links = [{"url": reverse("register"), "label": "Register"},
             {"url": reverse("register_pdf", kwargs={"pk": pk}), "label": "PDF"},
             {"url": reverse("register_json", kwargs={"pk": pk}), "label": "JSON"}]
    return HttpResponse(report_html(publication.content, default_bank(), for_pdf=False, digest=publication.digest,
                                    status="published", screen_links=links))


@login_not_required
def register_pdf(request, pk):
    publication = selectors.publication(pk)
    response = HttpResponse(bytes(publication.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dpia-published-{pk}.pdf"'
    return response


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
    for publication in selectors.published()[:FEED_SIZE]:
        assessment = publication.version.assessment
        url = request.build_absolute_uri(reverse("register_detail", kwargs={"pk": publication.pk}))
        items.append({
            "id": publication.digest, "url": url, "title": f"{assessment.title} — {assessment.organisation.name}",
            "content_text": f"{labels.VERDICTS.get(publication.verdict, publication.verdict)}. "
                            f"Digest {publication.digest}, derived from {publication.source_digest}.",
            "date_published": publication.published_at.isoformat(),
        })
    return JsonResponse({"version": "https://jsonfeed.org/version/1.1", "title": "DPIA register",
                         "home_page_url": request.build_absolute_uri(reverse("register")),
                         "feed_url": request.build_absolute_uri(reverse("register_feed")), "items": items},
                        content_type="application/feed+json")
