"""Fixtures of the web tests: the people of a workflow, and a fake PDF renderer for tests that do not read PDFs."""

import pytest

from dpia.models import Membership, Organisation

Role = Membership.Role


@pytest.fixture
def city(make_organisation):
    """A city's organisation, for tests that need one controller and no workflow people."""
    return make_organisation(name="Ville de Test")


@pytest.fixture
def people(make_organisation, make_user):
    """A city with an author, a DPO and a signatory, and a regulator with a reviewer."""
    city = make_organisation(name="Ville de Test", city="Testville")
    regulator = make_organisation(name="Test DPA", kind=Organisation.Kind.REGULATOR)
    return {
        "city": city, "regulator": regulator,
        "author": make_user(Role.AUTHOR, organisation=city, username="author"),
        "dpo": make_user(Role.DPO, organisation=city, username="dpo"),
        "signatory": make_user(Role.SIGNATORY, organisation=city, username="signatory"),
        "reviewer": make_user(Role.REVIEWER, organisation=regulator, username="reviewer"),
    }


class FakeRenderer:
    """Stands in for WeasyPrint where a test checks the workflow, not the PDF: counts the renders and
    returns small bytes that differ per content digest."""

    def __init__(self):
        self.calls = 0

    def __call__(self, content, bank, *, digest="", status="", **limits):
        self.calls += 1
        return b"%PDF-1.7 fake " + digest.encode()


@pytest.fixture
def fake_renderer(monkeypatch):
    renderer = FakeRenderer()
    monkeypatch.setattr("dpia.services.versions.report_pdf", renderer)
    return renderer
