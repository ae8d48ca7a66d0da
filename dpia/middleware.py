import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404, HttpResponseNotAllowed
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from dpia.models import Membership
from dpia.views.errors import method_not_allowed

LOGGED_IN_AT = "dpia_logged_in_at"
# Whether the menu offers the review queue: read once at login (a role granted later shows after the next login;
# the queue itself is always filtered by the roles held at the time).
SHOWS_REVIEW_QUEUE = "dpia_shows_review_queue"
LAST_SEEN_AT = "dpia_last_seen_at"
# Activity is written to the session at most this often, not on every request.
LAST_SEEN_RESOLUTION = 60


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs):
    # login() keeps the data of a session the same user had, so the clock is restarted explicitly.
    if request is not None and hasattr(request, "session"):
        request.session[LOGGED_IN_AT] = request.session[LAST_SEEN_AT] = int(time.time())
        request.session[SHOWS_REVIEW_QUEUE] = user.memberships.filter(role=Membership.Role.REVIEWER).exists()


class SessionTimeoutMiddleware:
    """Logs out after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_TIMEOUT after login,
    saying why. Nothing typed is lost with the session: drafts are kept in the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        session, now = request.session, int(time.time())
        logged_in_at = session.setdefault(LOGGED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if now - last_seen_at > idle:
            reason = _("You were logged out after %(minutes)s minutes without activity.") % {
                "minutes": int(idle // 60)}
        elif now - logged_in_at > absolute:
            reason = _("You were logged out because a session lasts at most %(hours)s hours.") % {
                "hours": int(absolute // 3600)}
        else:
            if now - last_seen_at >= LAST_SEEN_RESOLUTION or LAST_SEEN_AT not in session:
                session[LAST_SEEN_AT] = now
            return
        logout(request)
        messages.info(request, reason + " " + _("Your saved answers are kept; log in again to go on."))


class PrivatePagesNoStoreMiddleware:
    """Pages shown to a logged-in user may hold sensitive material: never let caches keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
        return response


class PathIdsInRangeMiddleware:
    """An id in a URL is a database integer: one beyond 64 bits names nothing, and databases refuse to
    compare with it (SQLite raises OverflowError). Such a URL is a 404, for every <int:...> pattern."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in list(view_args) + list(view_kwargs.values()):
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise Http404
        return None


class MethodNotAllowedPageMiddleware:
    """Every 405 without a body (a wrong method on any view) gets the site's page, from one place. Last in
    MIDDLEWARE, so that the page has the user, messages and language, and gets every header on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    # No page of this site answers another method: PUT, DELETE, PATCH or OPTIONS on a view written for GET and POST
    # would otherwise be read as a GET.
    METHODS = ("GET", "HEAD", "POST")

    def __call__(self, request):
        if request.method not in self.METHODS:
            return method_not_allowed(request, HttpResponseNotAllowed(self.METHODS))
        response = self.get_response(request)
        if response.status_code == 405 and not response.streaming and not response.content:
            return method_not_allowed(request, response)
        return response
