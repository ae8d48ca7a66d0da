"""The base layout in a real browser: accessible, keyboard-usable, bilingual, no script errors."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_and_workspace_pass_axe_in_english_and_french(
    page, live_server, author, log_in, assert_accessible
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    log_in(page, author)
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/password/")
    assert_accessible(page)

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector("html[lang=fr]")
    assert page.get_by_role("heading", level=1).inner_text() == "Changer de mot de passe"
    assert_accessible(page)
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Votre espace de travail"
    assert_accessible(page)
    assert errors == []


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, live_server, author, log_in):
    log_in(page, author)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_throttled_login_shows_a_clear_message(page, live_server, author, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(author.username)
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Log in").click()
    page.get_by_label("Username").fill(author.username)
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    assert "Too many failed attempts" in page.locator("main").inner_text()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_french_wizard_and_register_fit_the_screen(page, live_server, author, log_in, width):
    """A long French choice in a select (a kind of controller, a catalogue entry, a technology filter) must not
    push the page wider than a laptop or a phone: the text beside it would be cut off."""
    from dpia.models import Assessment

    organisation = author.memberships.get().organisation
    assessment = Assessment.objects.create(organisation=organisation, title="Caméras de la gare", created_by=author,
                                           answers={"streams.list": [{"key": "s1", "name": "Vidéo"}]})
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, author)
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    for path in (f"/assessments/{assessment.pk}/wizard/streams/", f"/assessments/{assessment.pk}/wizard/necessity/",
                 "/register/", "/", f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}/report/"):
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == "fr"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, overflow)


def test_on_a_phone_the_step_comes_before_the_summary_and_buttons_do_not_overlap(page, live_server, author, log_in):
    """On a phone the sections menu is compact and the live summary follows the questions, so the step's title is on
    the first screen; the home page's two buttons wrap without covering each other."""
    from dpia.models import Assessment

    organisation = author.memberships.get().organisation
    assessment = Assessment.objects.create(organisation=organisation, title="Caméras de la gare", created_by=author,
                                           answers={"streams.list": [{"key": "s1", "name": "Vidéo"}]})
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, author)
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/wizard/legality/")
    title = page.get_by_role("heading", level=1).bounding_box()
    summary = page.locator("#live-summary").bounding_box()
    assert title["y"] < 844 and title["y"] < summary["y"], (title, summary)
    page.goto(f"{live_server.url}/")
    start = page.get_by_role("link", name="Commencer une analyse").bounding_box()
    import_ = page.get_by_role("link", name="Importer un fichier PIA").bounding_box()
    apart = (start["y"] + start["height"] <= import_["y"] or import_["y"] + import_["height"] <= start["y"]
             or start["x"] + start["width"] <= import_["x"])
    assert apart, (start, import_)
