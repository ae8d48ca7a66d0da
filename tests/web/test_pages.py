"""Cross-cutting page behaviour: security headers, no inline script, no caching, translations."""

import html
import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
PO_FILE = ROOT / "dpia" / "locale" / "fr" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


def test_every_response_carries_the_security_headers(client, author):
    responses = [client.get(reverse("login")), client.get("/no-such-page/")]
    client.force_login(author)
    responses.append(client.get(reverse("home")))
    for response in responses:
        csp = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert "script-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_private_pages_are_never_stored_by_caches(client, author):
    client.force_login(author)
    assert "no-store" in client.get(reverse("home")).headers["Cache-Control"]


def test_unknown_page_is_a_plain_404_without_details(client, author):
    client.force_login(author)
    response = client.get("/assessments/does-not-exist/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(template):
    html = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "inline style attribute"
    assert not re.search(r"<style", html), "inline <style> element"
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "asset from another origin"


UNTRANSLATED_ALLOWED: set[str] = set()


@pytest.mark.parametrize(
    "template",
    [t for t in TEMPLATES if t.name not in UNTRANSLATED_ALLOWED],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_visible_string_in_templates_is_marked_for_translation(template):
    html = template.read_text()
    html = re.sub(r"{%\s*(blocktranslate|blocktrans)\b.*?{%\s*end\1\s*%}", "", html, flags=re.S)
    html = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", html, flags=re.S)
    html = re.sub(r"<!--.*?-->|<[^>]+>", " ", html, flags=re.S)
    leftovers = [word for word in html.split() if re.search(r"[A-Za-zÀ-ÿ]{2,}", word)]
    assert leftovers == [], f"untranslated text: {' '.join(leftovers)[:200]}"


def _po_entries(path: Path):
    """(msgid, msgstr, flags) for each entry of a .po file, continuation lines joined."""
    entries, current, field = [], {"flags": ""}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in current:
                entries.append(current)
            current, field = {"flags": ""}, None
        elif line.startswith("#,"):
            current["flags"] += line
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r'(msgid|msgstr|msgid_plural|msgstr\[\d\])\s+"(.*)"$', line)
            if match:
                field = match.group(1)
                current[field] = match.group(2)
            elif field and line.startswith('"'):
                current[field] += line[1:-1]
    return [e for e in entries if e.get("msgid")]


def test_french_catalogue_is_complete():
    entries = _po_entries(PO_FILE)
    assert len(entries) > 40
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []


def test_language_switcher_changes_the_interface_to_french(client):
    response = client.post(
        reverse("set_language"), {"language": "fr", "next": reverse("login")}, follow=True
    )
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert "Se connecter" in page and "Aller au contenu principal" in page
    back = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")},
                       follow=True)
    assert "Log in" in back.content.decode()


def test_static_files_are_served_from_our_origin(client):
    page = client.get(reverse("login")).content.decode()
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert stylesheets and all(href.startswith("/static/") for href in stylesheets)


@pytest.mark.parametrize("language,heading,back", [("en", "Not possible this way", "Back to the home page"),
                                                   ("fr", "Impossible de cette façon", "Retour à l'accueil")])
def test_a_wrong_method_gets_our_405_page_with_its_allow_header(client, author, language, heading, back):
    """A hostile test: a GET on a POST-only address (a function view, and a class-based one) was an empty page."""
    client.force_login(author)
    client.cookies["django_language"] = language
    for url in (reverse("version_freeze", kwargs={"pk": 1}), reverse("logout")):
        response = client.get(url)
        assert response.status_code == 405 and response["Allow"] in ("POST", "POST, OPTIONS")
        page = html.unescape(response.content.decode())
        assert f'<html lang="{language}">' in page and f"<h1>{heading}</h1>" in page
        assert f'<a href="{reverse("home")}">{back}</a>' in page
        assert "no-store" in response["Cache-Control"] and "frame-ancestors 'none'" in response[
            "Content-Security-Policy"]
