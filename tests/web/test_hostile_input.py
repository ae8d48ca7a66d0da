"""No input gives a server error. Every URL pattern (walked from the resolver, so a new one cannot slip
past), filled with objects each role can reach, gets hostile values in every query parameter it reads
and every field of every form it shows or accepts: as an anonymous visitor and as each role. Each
answer must be a 4xx, a redirect, or a page; a refused form must say why."""

import html.parser
import re
import urllib.parse
from dataclasses import dataclass, field
from inspect import getsource

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.utils import timezone
from django.utils.functional import cached_property

from dpia.engine.bank import default_bank
from dpia.models import (
    Annotation,
    Assessment,
    AssessmentVersion,
    Evidence,
    Membership,
    Organisation,
    Publication,
    Submission,
)
from dpia.policies import TRANSITIONS
from dpia.views import workflow

pytestmark = pytest.mark.django_db
Role = Membership.Role

NESTED = "[" * 100_000 + "]" * 100_000
HOSTILE = [
    "99999999999999999999", "-1", "0", "10000", "²", "٣", "9" * 5000, "1e999999", "a\x00b", "\ud800",
    NESTED[:2000], "x" * 100_000, "2027-02-30",
]
LIST = ["1", "\x00"]  # a list where one value is expected
HOSTILE_IDS = ["99999999999999999999", "0"]
HOSTILE_FILES = [
    ("nested.json", NESTED.encode()),
    ("surrogate.json", b'{"format": "dpia-workbench/version", "digest": "\\ud800", "content": {"a": "\\ud800"}}'),
    ("number.json", b'{"format": "dpia-workbench/version", "content": {"n": ' + b"9" * 5000 + b"}}"),
    ("float.json", b'{"format": "dpia-workbench/version", "content": {"n": 1e999999, "m": NaN}}'),
    ("nul.json", b'{"format": "dpia-workbench/version", "digest": "a\\u0000b", "content": {"a": "\\u0000"}}'),
    ("deep.json", b'{"format": "dpia-workbench/version", "content": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("latin1.json", b'{"a": "\xe9"}'),
    ("a\x00b.pdf", b"%PDF-1.7\n\x00\x00"),
    ("empty.txt", b""),
]
CLEAR = ('class="errorlist', 'class="errornote', 'class="messages"', 'class="verification', 'class="conflict"')
# Every action the workflow views name, and one they do not.
ACTIONS = sorted({action for _, action in TRANSITIONS} | set(re.findall(r'action == "(\w+)"', getsource(workflow)))
                 | {"comment", "verdict", "no-such-action"})


# ----------------------------------------------------------------------------------------------
# The world: one organisation of each kind, assessments in several states, every kind of object
# ----------------------------------------------------------------------------------------------
CONTENT = {
    "assessment": {"title": "Tram cameras", "organisation": "Ville de Test"}, "language": "en", "number": 1,
    "answers": {"project.summary": "Cameras"}, "evidence": [], "workflow": {}, "previous_digest": "",
    "result": {"verdict": {"outcome": "proceed", "reasons": [], "missing": []},
               "screening": {"outcome": "required", "criteria_met": [], "criteria_from_facts": [],
                             "mandatory_grounds": [], "reasons": []},
               "regimes": [], "tests": [], "risks": [], "findings": [],
               "ai_act": {"applies": False, "prohibited": [], "national_law": False, "prior_authorisation": False,
                          "high_risk": [], "fria_required": False, "fria_missing": []},
               "consultation": {"required": False, "grounds": [], "regulator_weeks": None, "reasons": []}},
}


@pytest.fixture
def world(make_organisation, make_user):
    city = make_organisation(name="Ville de Test", city="Testville")
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    ngo = make_organisation(name="Watchers", kind=Organisation.Kind.CIVIL_SOCIETY)
    users = {
        "author": make_user(Role.AUTHOR, organisation=city),
        "dpo": make_user(Role.DPO, organisation=city),
        "signatory": make_user(Role.SIGNATORY, organisation=city),
        "regulator": make_user(Role.REVIEWER, organisation=regulator),
        "civil_society": make_user(Role.AUDITOR, Role.AUTHOR, organisation=ngo),
    }
    now, author = timezone.now(), users["author"]
    assessments, submissions = {}, []
    for status in ("draft", "dpo_review", "under_review", "published"):
        assessment = Assessment.objects.create(organisation=city, title=f"Tram cameras ({status})", created_by=author,
                                               status=status, answers={"screening.jurisdiction": "fr"})
        assessments[status] = assessment
        if status == "draft":
            continue
        previous = ""
        for number in (1, 2):
            digest = f"{status[:1]}{number}".ljust(64, "0")
            version = AssessmentVersion.objects.create(
                assessment=assessment, number=number, content={**CONTENT, "number": number}, digest=digest,
                previous_digest=previous, pdf=b"%PDF", pdf_digest=digest[::-1], created_by=author, created_at=now)
            previous = digest
        if status in ("under_review", "published"):
            submissions.append(Submission.objects.create(version=version, regulator=regulator, submitted_by=author,
                                                         submitted_at=now))
    publication = Publication.objects.create(
        version=version, content=CONTENT, digest="f" * 64, pdf=b"%PDF", pdf_digest="e" * 64,
        source_digest=version.digest,
        published_by=users["signatory"], published_at=now, verdict="proceed", city="Testville")
    evidence = Evidence.objects.create(assessment=assessments["draft"], question_id="project.summary",
                                       title="Contract", url="https://example.org", added_by=author)
    annotation = Annotation.objects.create(publication=publication, target="answer:project.summary", text="Note",
                                           organisation=ngo, author=users["civil_society"])
    return {"users": users, "assessments": list(assessments.values()), "submissions": submissions,
            "publication": publication, "evidence": evidence, "annotation": annotation}


def _patterns(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + (f"{entry.namespace}:" if entry.namespace else ""))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def argument_values(name: str, route: str, world) -> dict[str, list]:
    """Every value each URL argument takes for this walk: the world's objects, and hostile ids."""
    review, register = route.startswith("review/"), route.startswith("register/")
    pks = ([s.pk for s in world["submissions"]] if review else [world["publication"].pk] if register
           else [a.pk for a in world["assessments"]])
    values = {
        "pk": pks, "number": [1, 2], "old": [1], "new": [2], "evidence_pk": [world["evidence"].pk], "index": [0, 1],
        "annotation_pk": [world["annotation"].pk], "action": ACTIONS,
        "step": [s.id for s in default_bank().sections] + ["finish"],
        "slug": [next(iter(default_bank().knowledge)), "no-such-entry"],
    }
    if name.startswith("admin:"):  # Django's admin, for staff only: reached with plain values
        values.update({"object_id": ["1"], "app_label": ["dpia"], "content_type_id": [1], "user_id": [1],
                       "id": [1], "url": ["x"]})
    return values


def urls_to_walk(world) -> list[tuple[str, dict, str]]:
    urls = []
    for name, pattern in _patterns(get_resolver()):
        converters = list(pattern.pattern.converters)
        values = argument_values(name, str(pattern.pattern), world)
        missing = set(converters) - set(values)
        assert not missing or name.startswith("admin:"), f"no values for {missing} of '{name}': add them here"
        if missing:
            continue
        combos = [{}]
        for argument in converters:
            combos = [{**c, argument: v} for c in combos for v in values[argument]]
        if name.startswith("admin:"):
            combos = combos[:1]
        for kwargs in combos:
            try:
                urls.append((name, kwargs, reverse(name, kwargs=kwargs)))
            except Exception:  # noqa: S112 - a regex admin route these plain values do not fit
                continue
        for argument in converters:  # ids no object has
            if isinstance(pattern.pattern.converters[argument], IntConverter):
                for hostile in HOSTILE_IDS:
                    hostile_kwargs = {**combos[0], argument: hostile}
                    urls.append((name, hostile_kwargs, reverse(name, kwargs=hostile_kwargs)))
    return urls


# ----------------------------------------------------------------------------------------------
# What a page offers: the query parameters the view reads, and its forms
# ----------------------------------------------------------------------------------------------
READ_KEYS: set[str] = set()
POST_READS: set[str] = set()


def recording(reads: set[str]):
    """A QueryDict class that notes in `reads` every key asked for."""

    class Recording(QueryDict):
        def __getitem__(self, key):
            reads.add(key)
            return super().__getitem__(key)

        def get(self, key, default=None):
            reads.add(key)
            return super().get(key, default)

        def getlist(self, key, default=None):
            reads.add(key)
            return super().getlist(key, default)

        def __contains__(self, key):
            reads.add(key)
            return super().__contains__(key)

    return Recording


@pytest.fixture
def record_reads(monkeypatch):
    """request.GET and request.POST note every key a view asks for."""
    Recording, RecordingPost = recording(READ_KEYS), recording(POST_READS)

    original_get = WSGIRequest.GET.func

    def recording_get(self):
        query = original_get(self)
        recorded = Recording(mutable=True)
        for key, values in query.lists():
            recorded.setlist(key, values)
        recorded._mutable = False
        return recorded

    prop = cached_property(recording_get)
    prop.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", prop)
    original_load = WSGIRequest._load_post_and_files

    def recording_load(self):
        original_load(self)
        recorded = RecordingPost(mutable=True)
        for key, values in self._post.lists():
            recorded.setlist(key, values)
        recorded._mutable = False
        self._post = recorded

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", recording_load)
    return READ_KEYS


@dataclass
class Form:
    action: str
    multipart: bool = False
    fields: list = field(default_factory=list)  # (name, value or None, hidden)
    buttons: list = field(default_factory=list)  # (name, value)
    files: list = field(default_factory=list)


class FormParser(html.parser.HTMLParser):
    """The POST forms of a page: each field with the value a browser would send, and the buttons."""

    def __init__(self, page_url):
        super().__init__()
        self.page_url, self.forms, self.form, self.select = page_url, [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.form = Form(action=urllib.parse.urljoin(self.page_url, a.get("action") or self.page_url),
                             multipart=a.get("enctype") == "multipart/form-data")
            self.forms.append(self.form)
        if tag == "option" and self.select is not None and (self.select[1] is None or "selected" in a):
            self.select[1] = a.get("value", "")
        if self.form is None or not a.get("name"):
            return
        name, kind = a["name"], (a.get("type") or "text").lower()
        if tag == "input" and kind == "file":
            self.form.files.append(name)
        elif tag == "input" and kind in ("radio", "checkbox"):
            self.form.fields.append((name, a.get("value", "on") if "checked" in a else None, False))
        elif tag == "button" or (tag == "input" and kind == "submit"):
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "input":
            self.form.fields.append((name, a.get("value", ""), kind == "hidden"))
        elif tag == "select":
            self.select = [name, None]
        elif tag == "textarea":
            self.form.fields.append((name, "", False))

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None and self.form is not None:
            self.form.fields.append((self.select[0], self.select[1], False))
            self.select = None


def forms_on(page_url: str, html_text: str) -> list[Form]:
    parser = FormParser("http://testserver" + page_url)
    parser.feed(html_text)
    for form in parser.forms:
        form.action = urllib.parse.urlsplit(form.action).path
    return parser.forms


# ----------------------------------------------------------------------------------------------
# Sending, the way a hostile client would: raw bytes, lone surrogates and all
# ----------------------------------------------------------------------------------------------
def encode(pairs) -> str:
    return urllib.parse.urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def multipart(pairs, files) -> tuple[bytes, str]:
    boundary = "----hostile-boundary-7MA4YWxkTrZu0gW"
    chunks = []
    for name, value in pairs:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                      .encode("utf-8", "surrogatepass") + value.encode("utf-8", "surrogatepass") + b"\r\n")
    for name, (filename, content) in files:
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      f"Content-Type: application/octet-stream\r\n\r\n".encode("utf-8", "surrogatepass")
                      + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class Walker:
    def __init__(self, client, user=None):
        self.client, self.user, self.failures, self.sent = client, user, [], 0

    def send(self, method, url, pairs=(), files=()):
        self.sent += 1
        POST_READS.clear()
        description = f"{method} {url} {[(k, v[:40]) for k, v in pairs]!r:.300} {[f[1][0] for f in files]}"
        try:
            with transaction.atomic():  # a failed query must not spoil the requests after it
                if method == "GET":
                    response = self.client.get(url + ("?" + encode(pairs) if pairs else ""))
                elif files:
                    body, content_type = multipart(pairs, files)
                    response = self.client.generic("POST", url, body, content_type=content_type)
                else:
                    response = self.client.generic("POST", url, encode(pairs),
                                                   content_type="application/x-www-form-urlencoded")
                if response.streaming:  # read it here, so that an error while it streams is caught as one
                    response = HttpResponse(b"".join(response.streaming_content), status=response.status_code,
                                            content_type=response.get("Content-Type"))
        except Exception as error:  # noqa: BLE001 - every server error is collected, then reported
            self.failures.append(f"{description}: {type(error).__name__}: {str(error)[:200]}")
            return None
        if self.user is not None and "_auth_user_id" not in self.client.session:
            self.client.force_login(self.user)  # the walk posts to the logout URL too
        if response.status_code >= 500:
            self.failures.append(f"{description}: {response.status_code}")
        elif method == "POST" and response.status_code == 200 and POST_READS & {k for k, _ in pairs}:
            # The view read the form and answered with a page: it must say what was wrong.
            page = response.content.decode(errors="replace")
            if not any(marker in page for marker in CLEAR):
                self.failures.append(f"{description}: 200 without a message saying what was wrong")
        return response


def hostile_pairs(names, value):
    return [(name, value) for name in names]


def walk(client, world, user=None):
    """Every URL gets junk in a GET and a POST. Where the view reads input or shows a page, the full
    hostile set goes into its query parameters (once per URL pattern) and into each of its forms
    (once per pattern and non-id argument, e.g. each wizard step: the same form for another id
    would repeat the same code)."""
    walker = Walker(client, user)
    known_forms: dict[str, list[Form]] = {}  # forms seen on any page so far, by the path they post to
    queried, posted = set(), set()
    for name, kwargs, url in urls_to_walk(world):
        READ_KEYS.clear()
        page = walker.send("GET", url)
        if page is not None and page.status_code == 404:
            continue  # no object for this id and role: the view stops before reading any input
        walker.send("POST", url)
        post_reads = set(POST_READS)
        reads = set(READ_KEYS) - post_reads
        if page is not None and page.status_code != 405:
            walker.send("GET", url, [(f"k{i}", v) for i, v in enumerate(HOSTILE)] + [("next", "\x00")])
        forms = forms_on(url, page.content.decode(errors="replace")) if page is not None and page.status_code == 200 \
            else []
        for form in forms:
            known_forms.setdefault(form.action, []).append(form)
        if page is not None and page.status_code == 200 and name not in queried:
            queried.add(name)
            query_keys = sorted(reads | {"next"})
            for value in HOSTILE:
                walker.send("GET", url, hostile_pairs(query_keys, value))
            walker.send("GET", url, [(k, v) for k in query_keys for v in LIST])
        signature = (name, tuple(sorted((k, v) for k, v in kwargs.items() if not isinstance(v, int))))
        own = {tuple(n for n, _, _ in f.fields): f for f in known_forms.get(url, [])}
        if not own and post_reads:
            own = {(): Form(action=url, fields=[(k, "", False) for k in sorted(post_reads)])}
        if own and signature not in posted:
            posted.add(signature)
            for form in own.values():
                post_form(walker, form)
    return walker


CORE = ["a\x00b", "x" * 100_000]  # also sent with each button (Back, Save and leave, add a row)


def post_form(walker, form):
    base = [(name, value) for name, value, _ in form.fields if value is not None]
    visible = sorted({name for name, _, hidden in form.fields if not hidden and name != "csrfmiddlewaretoken"})
    everything = sorted({name for name, _, _ in form.fields if name != "csrfmiddlewaretoken"})
    kept = [(k, v) for k, v in base if k not in visible]
    named = [b for b in form.buttons if b[0]]
    for value in HOSTILE:
        # Every field and every button name hostile, hidden ones too; then the visible fields only.
        walker.send("POST", form.action, hostile_pairs(everything, value) + [(b, value) for b, _ in named])
        walker.send("POST", form.action, kept + hostile_pairs(visible, value))
        if value in CORE:
            for button in named:
                walker.send("POST", form.action, kept + hostile_pairs(visible, value) + [button])
    walker.send("POST", form.action, kept + [(k, v) for k in visible for v in LIST])
    for upload in form.files:
        for hostile_file in HOSTILE_FILES:
            walker.send("POST", form.action, base, files=[(upload, hostile_file)])


@pytest.mark.parametrize("role", ["anonymous", "author", "dpo", "signatory", "regulator", "civil_society"])
def test_no_input_gives_a_server_error(world, role, record_reads, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client, user = Client(), world["users"].get(role)
    if user is not None:
        client.force_login(user)
    walker = walk(client, world, user)
    assert walker.sent > 300
    assert walker.failures == [], f"{len(walker.failures)} bad answers:\n" + "\n".join(walker.failures[:60])


def test_the_walk_reaches_the_forms_and_parameters_it_claims(world, record_reads):
    """The walker itself: it finds the register's filters, the wizard's fields and the verify upload."""
    client = Client()
    client.force_login(world["users"]["author"])
    READ_KEYS.clear()
    client.get(reverse("register"))
    assert {"q", "year", "organisation", "city", "technology", "regime", "verdict"} <= READ_KEYS
    draft = world["assessments"][0]
    step = reverse("wizard_step", kwargs={"pk": draft.pk, "step": "screening"})
    form = next(f for f in forms_on(step, client.get(step).content.decode()) if f.action == step)
    names = {name for name, _, _ in form.fields}
    assert f"assessment_{draft.pk}-current_step" in names and "screening-screening__jurisdiction" in names
    assert {"wizard_goto_step", "save_and_leave"} & {b for b, _ in form.buttons} == {"save_and_leave"}
    verify = next(f for f in forms_on(reverse("verify"), client.get(reverse("verify")).content.decode())
                  if f.action == reverse("verify"))
    assert verify.files == ["upload"] and verify.multipart and "digest" in {n for n, _, _ in verify.fields}


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_no_page_answers_another_method_than_get_and_post(world, method):
    """A view written for GET and POST would read PUT or DELETE as a GET: every URL refuses them, with the site's
    page and the methods it does answer, before touching the record."""
    client = Client()
    client.force_login(world["users"]["author"])
    draft = world["assessments"][0]
    for url in (reverse("home"), reverse("register"), reverse("assessment_detail", kwargs={"pk": draft.pk}),
                reverse("wizard_step", kwargs={"pk": draft.pk, "step": "screening"}),
                reverse("assessment_delete", kwargs={"pk": draft.pk})):
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == "GET, HEAD, POST"
        assert "<html" in response.content.decode()
    assert type(draft).objects.filter(pk=draft.pk).exists()  # DELETE on the delete page deleted nothing
