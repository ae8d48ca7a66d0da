"""French everywhere: the catalogue covers every string and follows French typography; the main pages, read
in French, show no English; no page, in either language, shows an internal id."""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from dpia import services
from dpia.engine.bank import default_bank
from dpia.models import Publication
from tests.web.test_pages import PO_FILE, ROOT, _po_entries
from tests.web.workflow_helpers import act, complete_assessment, sign, submit_with_consultation

pytestmark = pytest.mark.django_db

# Words of English that French text never contains (checked as whole words, case-insensitive).
ENGLISH = {"the", "and", "of", "to", "is", "are", "with", "for", "this", "your", "you", "not", "yes", "save",
           "next", "back", "submit", "none", "answer", "assessment", "from", "by", "be", "has", "have", "will",
           "which", "what", "when", "should", "must", "found", "missing", "required", "draft"}
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED_ID = re.compile(r"\b[a-z][a-z0-9_]*\.[a-z][a-z0-9_]+\b")


class VisibleText(HTMLParser):
    """The text a person reads or hears: element text and the attributes read out (not scripts, not hrefs)."""

    # Besides what is read out, the messages the page's script shows (the wizard's character counter).
    READ_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "aria-description", "data-text-count",
                       "data-text-over", "data-text-updated", "data-text-failed")

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts += [value for name, value in attrs if name in self.READ_ATTRIBUTES and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# -- the catalogue -----------------------------------------------------------------------------------

def test_the_french_catalogue_follows_french_typography():
    bad = []
    for entry in _po_entries(PO_FILE):
        text = entry.get("msgstr") or entry.get("msgstr[0]") or ""
        if re.search(r"[^\s\u00a0\u202f][:;?!](\s|$)", text) or re.search(r" [:;?!»]|« ", text) \
                or re.search(r'\\"|[“”]', text):
            bad.append(text)
    assert bad == [], "French typography (a non-breaking space before : ; ? ! and inside « »): " + " | ".join(bad[:5])


def _strings_in_code() -> set[str]:
    """Every literal string the code and the templates mark for translation (simple forms)."""
    found = set()
    # A template's {% translate %} looks its text up with every % doubled (as makemessages writes it).
    for path in (ROOT / "templates").rglob("*.html"):
        found |= {(a or b).replace("%", "%%") for a, b in re.findall(
            r"""{%\s*(?:translate|trans)\s+(?:"([^"]+)"|'([^']+)')""", path.read_text())}
    for path in list((ROOT / "dpia").rglob("*.py")) + [ROOT / "config" / "settings.py"]:
        found |= set(re.findall(r"""\b(?:_|gettext|gettext_lazy|pgettext)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""",
                                path.read_text()))
    return {s.replace('\\"', '"') for s in found}


def test_every_string_marked_for_translation_is_in_the_french_catalogue():
    translated = {e["msgid"].replace('\\"', '"') for e in _po_entries(PO_FILE)
                  if e.get("msgstr") or e.get("msgstr[0]")}
    missing = sorted(_strings_in_code() - translated)
    assert missing == [], f"{len(missing)} string(s) without French: {missing[:8]}"


def test_every_text_of_the_bank_has_its_own_french():
    """The loader refuses a missing 'fr'; here a French text that is the English one copied is refused too
    (short proper names and codes apart)."""
    from dpia.engine.bank import Text

    copied = []

    def walk(value, where):
        if isinstance(value, Text):
            if value.en == value.fr and re.search(r"\b(the|and|of|with|is)\b", value.en):
                copied.append(f"{where}: {value.en[:60]}")
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{where}.{key}")
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(item, f"{where}[{index}]")
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name), f"{where}.{name}")

    walk(default_bank(), "bank")
    assert copied == [], copied[:5]


# -- the pages -------------------------------------------------------------------------------------------

TYPED_IN_FRENCH = {"Act no. 2021-646, article 12": "Loi n° 2021-646, article 12",
                   "Described in the attached study.": "Décrit dans l'étude jointe.",
                   "First entry": "Première entrée"}


def _in_french(value):
    """What a French author types: the wizard helpers' English sample answers, in French."""
    if isinstance(value, dict):
        return {key: _in_french(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_in_french(item) for item in value]
    return TYPED_IN_FRENCH.get(value, value) if isinstance(value, str) else value


def french_assessment(client, people, title):
    assessment = complete_assessment(client, people, title=title)
    assessment.refresh_from_db()
    return services.assessment_import_answers(assessment=assessment, user=people["author"],
                                              answers=_in_french(assessment.answers), bank=default_bank())


# Reports sealed in a version speak the language they were sealed in, whatever the reader's.
SEALED = ("/report/", "/versions/")


@pytest.fixture
def pages(client, people, fake_renderer):
    """(who, url) of the main pages: an author's assessment under review, one published, one in the wizard."""
    bank = default_bank()
    reviewed = french_assessment(client, people, "Lecteurs de plaques aux entrées de ville")
    submission = submit_with_consultation(client, people, reviewed)
    published = french_assessment(client, people, "Caméras de la gare routière")
    signed = sign(client, people, published)
    act(client, people["signatory"], published, "publish")
    publication = Publication.objects.get()
    author, reviewer = people["author"], people["reviewer"]
    urls = [(None, reverse("login")), (None, reverse("register")), (None, reverse("verify")),
            (None, reverse("register_detail", kwargs={"pk": publication.pk})),
            (None, reverse("register_report", kwargs={"pk": publication.pk})),
            (author, reverse("home")), (author, reverse("assessment_new")),
            (author, reverse("assessment_detail", kwargs={"pk": published.pk})),
            (author, reverse("assessment_detail", kwargs={"pk": reviewed.pk})),
            (author, reverse("report_preview", kwargs={"pk": reviewed.pk}) + "?"),
            (author, reverse("version_detail", kwargs={"pk": published.pk, "number": signed.number})),
            (author, reverse("evidence_list", kwargs={"pk": reviewed.pk})),
            (reviewer, reverse("review_queue")), (reviewer, reverse("review_detail", kwargs={"pk": submission.pk})),
            (author, "/no-such-page/"), (author, reverse("version_freeze", kwargs={"pk": reviewed.pk}))]
    draft = french_assessment(client, people, "Capteurs sonores")
    urls += [(author, reverse("wizard_step", kwargs={"pk": draft.pk, "step": s.id})) for s in bank.sections]
    urls += [(author, reverse("knowledge_entry", kwargs={"slug": slug})) for slug in bank.knowledge]
    return urls


def rendered(client, pages, language):
    """(url, visible text) of each page, and of the error pages, read in `language`."""
    out = []
    for user, url in pages:
        if user:
            client.force_login(user)
        else:
            client.logout()
        client.cookies["django_language"] = language
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404, 405), url
        page = response.content.decode()
        if url.endswith("?") or not any(part in url for part in SEALED):  # "?": a preview, in the reader's
            assert f'<html lang="{language}">' in page, url
            out.append((url, visible_text(page)))
    request = RequestFactory().get("/")
    with translation.override(language):
        out += [("400", visible_text(defaults.bad_request(request, SuspiciousOperation()).content.decode())),
                ("403", visible_text(defaults.permission_denied(request, PermissionError()).content.decode())),
                ("500", visible_text(defaults.server_error(request).content.decode()))]
    csrf = Client(enforce_csrf_checks=True)
    csrf.cookies["django_language"] = language
    response = csrf.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    out.append(("csrf", visible_text(response.content.decode())))
    return out


def test_the_main_pages_read_in_french_show_no_english(client, pages):
    english = []
    for url, text in rendered(client, pages, "fr"):
        found = [m for m in re.finditer(r"\b[A-Za-z]+\b", text) if m.group().lower() in ENGLISH]
        found += list(re.finditer(r"\b(GDPR|LED|AI Act|Charter|ECHR|ECtHR|CJEU) (Art|Recital|Annex)\b", text))
        if found:
            english.append(f"{url}: " + " | ".join(text[max(0, m.start() - 50):m.end() + 30] for m in found[:4]))
    assert english == [], "\n".join(english)


def test_the_error_pages_are_ours_in_both_languages(client, pages):
    texts = dict(rendered(client, pages[:1], "fr"))
    assert "Requête incorrecte" in texts["400"] and "Erreur du serveur" in texts["500"]
    assert "Le formulaire a expiré" in texts["csrf"] and "Aller au contenu principal" in texts["csrf"]
    english = dict(rendered(client, pages[:1], "en"))
    assert "Bad request" in english["400"] and "Server error" in english["500"]
    assert "The form has expired" in english["csrf"] and "Skip to main content" in english["csrf"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_page_shows_an_internal_id(client, pages, language):
    bank = default_bank()
    ids = set(bank.questions) | set(bank.rules) | {s.id for s in bank.sections}
    shown = []
    for url, text in rendered(client, pages, language):
        text = re.sub(r"\S*/\S*", "", text)  # a file path or an address is typed as it is written
        tokens = set(SNAKE_CASE.findall(text)) | {t for t in DOTTED_ID.findall(text) if t in ids or "_" in t}
        if tokens:
            shown.append(f"{url}: " + " | ".join(text[max(0, text.index(t) - 60):text.index(t) + len(t) + 10]
                                                 for t in sorted(tokens)[:8]))
    assert shown == [], "\n".join(shown)
