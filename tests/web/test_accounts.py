"""Accounts: login, logout, password change, login required by default, login throttling."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from config.urls import PUBLIC_URL_NAMES
from dpia.models import Membership, Organisation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, ip="203.0.113.7"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_then_logout(client, author):
    response = login(client, author.username)
    assert response.status_code == 302 and response.url == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert author.username.encode() in home.content

    client.post(reverse("logout"))
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_session_key_rotates_at_login(client, author):
    client.get(reverse("login"))
    before = client.cookies.get("sessionid")
    login(client, author.username)
    assert client.cookies["sessionid"].value != (before.value if before else None)


def test_home_lists_the_users_organisations_and_roles(client, make_user, make_organisation):
    city = make_organisation(name="Ville de Test")
    user = make_user(Membership.Role.AUTHOR, Membership.Role.DPO, organisation=city)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Ville de Test" in page
    assert "Author" in page and "Data protection officer" in page


def test_password_change_refuses_common_passwords_and_accepts_long_ones(client, author):
    client.force_login(author)
    url = reverse("password_change")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "password123",
                             "new_password2": "password123"})
    assert weak.status_code == 200
    assert "too common" in weak.content.decode()

    long_password = "a-very-long passphrase that a careful DPO picks " * 2  # 96 characters
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": long_password,
                           "new_password2": long_password})
    assert ok.status_code == 302
    author.refresh_from_db()
    assert author.check_password(long_password)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + (entry.name or ""), entry


def _example_path(name, pattern):
    """Fill a pattern's arguments with harmless values so anonymous access can be tried."""
    kwargs = {}
    for key, converter in pattern.pattern.converters.items():
        kwargs[key] = 1 if converter.regex == "[0-9]+" else "x"
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:
        return None


def test_every_url_requires_login_except_the_public_allow_list(client):
    login_paths = (reverse("login"), reverse("admin:login"))
    checked = 0
    for name, pattern in _walk(get_resolver().url_patterns):
        if not name or name in PUBLIC_URL_NAMES:
            continue
        path = _example_path(name, pattern)
        if path is None:
            continue
        response = client.get(path)
        assert response.status_code in (301, 302), f"{name} ({path}) answered {response.status_code}"
        assert response.url.split("?")[0].endswith(login_paths), f"{name} redirects to {response.url}"
        checked += 1
    assert checked > 10


def test_public_allow_list_pages_answer_without_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("admin:login")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302


def test_failed_logins_are_throttled_per_username_and_ip(client, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    victim = make_user(Membership.Role.AUTHOR)
    colleague = make_user(Membership.Role.AUTHOR)
    for _ in range(4):
        response = login(client, victim.username, password="wrong-guess")
        assert "Please enter a correct username and password" in response.content.decode()
        assert "Too many failed attempts" not in response.content.decode()
    fifth = login(client, victim.username, password="wrong-guess")
    assert fifth.status_code == 429  # says the password was wrong, and that it must now wait
    assert "Please enter a correct username and password" in fifth.content.decode()
    assert "Too many failed attempts" in fifth.content.decode()

    blocked = login(client, victim.username)  # even the right password waits
    assert blocked.status_code == 429
    assert "Too many failed attempts" in blocked.content.decode()
    assert "Please enter a correct username" not in blocked.content.decode()
    assert SESSION_KEY not in client.session

    # A colleague behind the same office IP is not locked out.
    assert login(client.__class__(), colleague.username).status_code == 302
    # The same account from another network is not locked out either.
    assert login(client.__class__(), victim.username, ip="198.51.100.9").status_code == 302


def test_throttle_lifts_after_the_cool_off(client, make_user, settings):
    victim = make_user(Membership.Role.AUTHOR)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, victim.username, password="wrong-guess")
    locked = login(client, victim.username).content.decode()
    attempt = AccessAttempt.objects.get(username=victim.username)
    until = timezone.localtime(attempt.attempt_time + settings.AXES_COOLOFF_TIME)
    assert f"Try again after {until:%H:%M}" in locked

    AccessAttempt.objects.update(attempt_time=attempt.attempt_time - settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert login(client, victim.username).status_code == 302
    assert not AccessAttempt.objects.filter(username=victim.username).exists()


def test_a_success_forgets_earlier_typing_mistakes(client, make_user, settings):
    victim = make_user(Membership.Role.AUTHOR)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, victim.username, password="wrong-guess")
    assert login(client, victim.username).status_code == 302
    client.post(reverse("logout"))
    assert login(client, victim.username, password="wrong-guess").status_code == 200
    assert login(client, victim.username).status_code == 302


def test_throttle_counts_usernames_case_insensitively(client, make_user, settings):
    victim = make_user(Membership.Role.AUTHOR, username="alice")
    for variant in ["alice", "ALICE", "Alice", "aLiCe", "alicE"][: settings.AXES_FAILURE_LIMIT]:
        login(client, variant, password="wrong-guess")
    assert "Too many failed attempts" in login(client, victim.username).content.decode()


@pytest.mark.parametrize(
    ("kind", "role", "allowed"),
    [
        (Organisation.Kind.PUBLIC_BODY, Membership.Role.AUTHOR, True),
        (Organisation.Kind.COMPETENT_AUTHORITY, Membership.Role.SIGNATORY, True),
        (Organisation.Kind.REGULATOR, Membership.Role.REVIEWER, True),
        (Organisation.Kind.REGULATOR, Membership.Role.AUTHOR, False),
        (Organisation.Kind.PUBLIC_BODY, Membership.Role.REVIEWER, False),
        (Organisation.Kind.CIVIL_SOCIETY, Membership.Role.AUDITOR, True),
        (Organisation.Kind.CIVIL_SOCIETY, Membership.Role.SIGNATORY, False),
    ],
)
def test_roles_fit_the_kind_of_organisation(make_organisation, make_user, kind, role, allowed):
    membership = Membership(user=make_user(), organisation=make_organisation(kind=kind), role=role)
    if allowed:
        membership.full_clean()
    else:
        with pytest.raises(ValidationError):
            membership.full_clean()


def test_admin_is_for_site_administrators_only(client, author, make_user):
    client.force_login(author)
    assert client.get("/admin/").status_code == 302
    staff = make_user(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse("admin:dpia_organisation_changelist")).status_code == 200
