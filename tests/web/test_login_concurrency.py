"""Login throttling under real parallel requests: threads against a live server, each request on its own
database connection, as behind a production WSGI server. Runs on SQLite and on PostgreSQL."""

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from dpia.models import Membership
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WRONG = "Please enter a correct username and password"
THROTTLED = "Too many failed attempts"


class Browser:
    """One visitor with its own cookies; opens the login page first to get its CSRF token."""

    def __init__(self, base_url, path="/accounts/login/"):
        self.url = base_url + path
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        page = self.opener.open(self.url, timeout=60).read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, username, password):
        data = urllib.parse.urlencode({"username": username, "password": password,
                                       "csrfmiddlewaretoken": self.token}).encode()
        request = urllib.request.Request(self.url, data=data, headers={"Referer": self.url})  # noqa: S310 (local)
        try:
            response = self.opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        return response.status, response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def all_at_once(base_url, attempts, path="/accounts/login/"):
    """Send every (username, password) at the same moment, one thread and one connection each."""
    browsers = [Browser(base_url, path) for _ in attempts]
    start = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index):
        start.wait()
        results[index] = browsers[index].log_in(*attempts[index])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(attempts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(result is not None for result in results), "a login request did not finish"
    assert all(status in (200, 302, 429) for status, _ in results), [status for status, _ in results]
    return results


def checked(results, wrong=WRONG):
    """How many passwords were actually tested: refused as wrong, or logged in."""
    return sum(1 for status, body in results if status == 302 or wrong in body)


class WideServer(ThreadedWSGIServer):
    request_queue_size = 128  # Django's 10 would reset connections arriving at the same moment


class WideServerThread(LiveServerThread):
    server_class = WideServer


@pytest.fixture
def wide_server(transactional_db):
    """Django's threaded live server (a thread and a database connection per request), with a listen
    queue wide enough for every request of a burst."""
    thread = WideServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error

    class Server:
        url = f"http://127.0.0.1:{thread.port}"

    yield Server
    thread.terminate()


@pytest.fixture
def victim(make_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    return make_user(Membership.Role.AUTHOR)


def test_parallel_guesses_get_no_more_tries_than_the_limit(wide_server, victim, settings):
    results = all_at_once(wide_server.url, [(victim.username, f"guess-{i}") for i in range(40)])
    assert checked(results) == settings.AXES_FAILURE_LIMIT
    assert sum(1 for status, body in results if status == 429 and THROTTLED in body) == 40 - 4

    # After the limit, even the right password is refused, in parallel with more guesses or alone.
    burst = all_at_once(wide_server.url, [(victim.username, PASSWORD)] + [(victim.username, "x")] * 9)
    assert checked(burst) == 0
    assert burst[0][0] == 429 and THROTTLED in burst[0][1]
    assert Browser(wide_server.url).log_in(victim.username, PASSWORD)[0] == 429

    # Until the cool-off has passed.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time
                                 - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert Browser(wide_server.url).log_in(victim.username, PASSWORD)[0] == 302


def test_the_right_password_among_parallel_guesses_is_tested_only_within_the_limit(wide_server, victim, settings):
    limit = settings.AXES_FAILURE_LIMIT
    attempts = [(victim.username, f"guess-{i}") for i in range(39)]
    attempts.insert(20, (victim.username, PASSWORD))
    results = all_at_once(wide_server.url, attempts)
    right_status = results[20][0]
    wrong_checked = checked(results) - (1 if right_status == 302 else 0)
    if right_status == 302:
        # It was one of the first `limit` tested; logging in forgave the guesses before it, and the
        # guesses after it got a fresh allowance of `limit`.
        assert wrong_checked <= 2 * limit - 1
    else:
        assert right_status == 429 and THROTTLED in results[20][1]
        assert wrong_checked == limit
    # Either way the guesses end in a lockout that the right password does not lift.
    assert Browser(wide_server.url).log_in(victim.username, PASSWORD)[0] == 429


def test_a_colleague_behind_the_same_address_logs_in_during_the_attack(wide_server, victim, make_user):
    colleague = make_user(Membership.Role.AUTHOR)
    attempts = [(victim.username, f"guess-{i}") for i in range(20)] + [(colleague.username, PASSWORD)]
    results = all_at_once(wide_server.url, attempts)
    assert results[-1][0] == 302


def test_the_admin_login_holds_the_same_limit(wide_server, make_user, settings):
    settings.AXES_FAILURE_LIMIT = 5
    staff = make_user(is_staff=True, is_superuser=True)
    results = all_at_once(wide_server.url, [(staff.username, f"guess-{i}") for i in range(30)], path="/admin/login/")
    assert checked(results, wrong="Please enter the correct username and password for a staff account") == 5
    assert Browser(wide_server.url, "/admin/login/").log_in(staff.username, PASSWORD)[0] == 429
