"""Sessions end after a spell without activity and at a fixed time after login; drafts outlive them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from dpia.middleware import LAST_SEEN_AT, LOGGED_IN_AT
from dpia.models import Assessment
from tests.conftest import PASSWORD
from tests.web.wizard_helpers import save_step, step_url

pytestmark = pytest.mark.django_db


def log_in(client, user):
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302


def age_session(client, *, idle=timedelta(0), since_login=timedelta(0)):
    """Pretend the last request was `idle` ago and the login `since_login` ago."""
    session = client.session
    session[LAST_SEEN_AT] -= int(idle.total_seconds())
    session[LOGGED_IN_AT] -= int(since_login.total_seconds())
    session.save()


def test_a_session_idle_for_longer_than_the_limit_ends_with_a_clear_message(client, author, settings):
    assert timedelta(minutes=30) == settings.SESSION_IDLE_TIMEOUT
    log_in(client, author)
    age_session(client, idle=timedelta(minutes=31), since_login=timedelta(minutes=31))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "logged out after 30 minutes without activity" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_activity_keeps_the_session_alive(client, author):
    log_in(client, author)
    for _ in range(3):  # 3 × 25 minutes: longer than the idle limit in total, never idle that long
        age_session(client, idle=timedelta(minutes=25), since_login=timedelta(minutes=25))
        assert client.get(reverse("home")).status_code == 200
    assert SESSION_KEY in client.session


def test_a_session_ends_at_the_absolute_limit_even_when_active(client, author, settings):
    assert timedelta(hours=12) == settings.SESSION_ABSOLUTE_TIMEOUT
    log_in(client, author)
    age_session(client, idle=timedelta(minutes=1), since_login=timedelta(hours=11, minutes=58))
    assert client.get(reverse("home")).status_code == 200
    age_session(client, since_login=timedelta(minutes=3))
    response = client.get(reverse("home"), follow=True)
    assert "a session lasts at most 12 hours" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_limits_are_settings(client, author, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    log_in(client, author)
    age_session(client, idle=timedelta(minutes=6))
    assert client.get(reverse("home")).status_code == 302


def test_logging_in_again_restarts_both_clocks(client, author):
    log_in(client, author)
    age_session(client, idle=timedelta(hours=1), since_login=timedelta(hours=13))
    client.get(reverse("home"))
    log_in(client, author)
    assert client.get(reverse("home")).status_code == 200


def test_the_french_interface_says_why_too(client, author):
    log_in(client, author)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    age_session(client, idle=timedelta(minutes=31))
    page = client.get(reverse("home"), follow=True).content.decode()
    assert "déconnecté après 30 minutes d’inactivité" in page


def test_saved_answers_outlive_the_session(client, author):
    assessment = Assessment.objects.create(organisation=author.memberships.get().organisation,
                                           title="Tram cameras", created_by=author)
    log_in(client, author)
    save_step(client, assessment, "screening", {"screening.jurisdiction": "fr"})
    age_session(client, idle=timedelta(minutes=45))

    # The next request after the timeout is sent to the login page, and then back where it was.
    response = client.get(step_url(assessment, "screening"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    log_in(client, author)
    page = client.get(step_url(assessment, "screening")).content.decode()
    assert re.search(r'value="fr"[^>]*selected', page)
    assessment.refresh_from_db()
    assert assessment.answers["screening.jurisdiction"] == "fr"
