"""Home page and account pages (login, logout and password change come from django.contrib.auth)."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from dpia import selectors
from dpia.forms import ThrottledAuthenticationForm


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def home(request):
    return render(request, "home.html", {
        "memberships": selectors.memberships_of(request.user),
        "assessments": selectors.assessments_visible_to(request.user)[:50],
    })
