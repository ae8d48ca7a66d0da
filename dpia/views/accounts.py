"""Home page and account pages (login, logout and password change come from django.contrib.auth)."""

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dpia import selectors
from dpia.engine.bank import default_bank
from dpia.forms import ThrottledAuthenticationForm
from dpia.views.register import target_label


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
    memberships = selectors.memberships_of(request.user)
    home = selectors.home_for(request.user, memberships, bank=default_bank(), today=timezone.localdate())
    return render(request, "home.html", {
        "memberships": memberships, "home": home,
        "annotations": [{"annotation": a, "target": target_label(a.publication, a.target)} for a in home.annotations],
    })
