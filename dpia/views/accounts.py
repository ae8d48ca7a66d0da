"""Home page and account pages (login, logout and password change come from django.contrib.auth)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dpia import selectors
from dpia.forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def locked_out(request, response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page the login form rendered (it says when to try again), as a 429."""
    if response is not None and response.status_code == 200:
        response.status_code = 429
        return response
    return HttpResponse(_("Too many failed attempts. Try again later."), status=429)


def home(request):
    return render(request, "home.html", {
        "memberships": selectors.memberships_of(request.user),
        "assessments": selectors.assessments_visible_to(request.user)[:50],
    })
