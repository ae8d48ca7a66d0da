"""The report's language is chosen when previewing and when freezing; citations link to the official text."""

import re
import subprocess

import pytest
from django.urls import reverse

from dpia.engine.bank import default_bank
from dpia.models import Assessment, AssessmentVersion
from tests.web.wizard_helpers import complete_through_wizard

pytestmark = pytest.mark.django_db

CITATION_LINK = re.compile(r'<a class="citation" href="([^"]+)"[^>]*>([^<]+)</a>')


@pytest.fixture
def complete(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Lecteurs de plaques", created_by=author)
    client.force_login(author)
    complete_through_wizard(client, assessment)
    assessment.refresh_from_db()
    return assessment


def citation_links(page: str, language: str) -> list[tuple[str, str]]:
    """Every rendered citation link, checked against the act its label names."""
    bank = default_bank()
    names = sorted(((act.short.get(language) if act.short else code, act) for code, act in bank.acts.items()),
                   key=lambda pair: -len(pair[0]))
    links = CITATION_LINK.findall(page)
    for href, label in links:
        act = next(act for name, act in names if label.startswith(name))
        assert act.link is not None and href == act.link.url(language), (label, href)
    return links


def test_the_preview_is_written_in_the_language_asked_for_whatever_the_interface(client, complete):
    url = reverse("report_preview", kwargs={"pk": complete.pk})
    english = client.get(url).content.decode()
    assert '<html lang="en">' in english and "Executive summary" in english
    assert f'href="{url}?language=fr"' in english

    french = client.get(url, {"language": "fr"}).content.decode()
    assert '<html lang="fr">' in french and "Synthèse" in french and "Executive summary" not in french
    links = citation_links(french, "fr")
    assert any(label.startswith("RGPD art.") and "CELEX:32016R0679" in href and "/FR/" in href
               for href, label in links)
    assert not any(label.startswith("GDPR") for _href, label in links)
    # A value that is not a language we write in falls back to the interface's.
    assert '<html lang="en">' in client.get(url, {"language": "xx"}).content.decode()


def test_the_assessment_page_offers_the_language_for_the_preview_and_the_freeze(client, complete):
    page = client.get(reverse("assessment_detail", kwargs={"pk": complete.pk})).content.decode()
    assert page.count('<option value="fr"') >= 3  # the interface switcher, the preview and the freeze
    assert 'id="preview-language"' in page and 'id="freeze-language"' in page


def test_a_report_frozen_in_french_is_french_throughout_even_from_an_english_interface(client, complete, tmp_path):
    response = client.post(reverse("version_freeze", kwargs={"pk": complete.pk}), {"language": "fr"})
    version = AssessmentVersion.objects.get()
    assert response.url == reverse("version_detail", kwargs={"pk": complete.pk, "number": 1})
    assert version.content["language"] == "fr"

    page = client.get(response.url).content.decode()
    assert '<html lang="fr">' in page and "Synthèse" in page and "Constats" in page
    month = re.search(r"<dt>Date</dt><dd>(.*?)</dd>", page).group(1)
    assert re.fullmatch(r"\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
                        r"décembre) \d{4} \d{2}:\d{2}", month), month
    citation_links(page, "fr")
    for english in ("Executive summary", "Findings", "Most serious findings", "To resolve:", "GDPR Art."):
        assert english not in page, english

    path = tmp_path / "v1.pdf"
    path.write_bytes(bytes(version.pdf))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Synthèse" in text and "Executive summary" not in text and "RGPD art." in text
    links = subprocess.run(["pdfinfo", "-url", str(path)], capture_output=True, text=True, check=True).stdout
    assert "https://eur-lex.europa.eu/legal-content/FR/TXT/?uri=CELEX:32016R0679" in links


def test_freezing_again_in_the_other_language_seals_a_new_version(client, complete):
    url = reverse("version_freeze", kwargs={"pk": complete.pk})
    client.post(url, {"language": "en"})
    client.post(url, {"language": "en"})  # nothing changed: the same version
    client.post(url, {"language": "fr"})
    assert [v.content["language"] for v in AssessmentVersion.objects.order_by("number")] == ["en", "fr"]


def test_a_language_we_do_not_write_in_freezes_nothing_and_says_why(client, complete):
    response = client.post(reverse("version_freeze", kwargs={"pk": complete.pk}), {"language": "de"}, follow=True)
    assert not AssessmentVersion.objects.exists()
    assert "Choose the report&#x27;s language from the list" in response.content.decode()


def test_citations_are_links_in_the_wizard_the_summary_and_the_guidance(client, complete):
    bank = default_bank()
    step = client.get(reverse("wizard_step", kwargs={"pk": complete.pk, "step": "legality"})).content.decode()
    assert citation_links(step, "en")
    detail = client.get(reverse("assessment_detail", kwargs={"pk": complete.pk})).content.decode()
    citation_links(detail, "en")
    slug, entry = next((s, e) for s, e in bank.knowledge.items()
                       if any(bank.acts[c.act].link for c in e.citations))
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    guidance = client.get(reverse("knowledge_entry", kwargs={"slug": slug})).content.decode()
    assert citation_links(guidance, "fr")


def test_the_report_says_why_the_ai_act_is_or_is_not_checked(client, author):
    """Video analytics ticked and the AI-system question left open: the report reads it under the AI Act and says
    so, rather than 'no AI system is declared'."""
    assessment = Assessment.objects.create(
        organisation=author.memberships.get().organisation, title="Analyse vidéo", created_by=author,
        answers={"screening.jurisdiction": "fr", "project.technologies": ["cctv", "video_analytics"]})
    client.force_login(author)
    url = reverse("report_preview", kwargs={"pk": assessment.pk}) + "?language=en"
    page = client.get(url).content.decode()
    assert "Read as an AI system until the question is answered" in page
    assert "Prohibited practices:" in page
    assessment.answers = {"screening.jurisdiction": "fr", "project.technologies": ["cctv"]}
    assessment.save()
    page = client.get(url).content.decode()
    assert "No AI system is declared" in page and "Prohibited practices:" not in page


def test_the_risk_table_explains_its_floor_where_one_applies(client, author):
    """A predictive tool sets a floor on the discrimination risk: the report says what "floor" means."""
    risk = {"key": "r1", "risk": "discrimination", "severity": "negligible", "likelihood": "significant"}
    assessment = Assessment.objects.create(
        organisation=author.memberships.get().organisation, title="Prédiction", created_by=author,
        answers={"screening.jurisdiction": "fr", "project.technologies": ["predictive_algorithms"],
                 "risks.list": [risk]})
    client.force_login(author)
    url = reverse("report_preview", kwargs={"pk": assessment.pk}) + "?language=en"
    page = client.get(url).content.decode()
    assert "floor:" in page and "Floor: the lowest severity the project" in page
    assessment.answers = {**assessment.answers, "project.technologies": ["cctv"]}
    assessment.save()
    assert "Floor: the lowest severity" not in client.get(url).content.decode()
