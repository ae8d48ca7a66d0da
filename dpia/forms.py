"""Forms that are not built from the question bank."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from dpia import selectors, services


def client_ip(request) -> str:
    # REMOTE_ADDR only: a forwarded header is set by the client and cannot be trusted here.
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further guesses for a (username, IP) pair after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed attempts for this account from your network. "
            "Try again after %(time)s."
        ),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "")[:150]
        ip_address = client_ip(self.request)
        now = timezone.now()
        locked_until = selectors.login_locked_until(
            username=username, ip_address=ip_address, now=now
        )
        if locked_until is not None:
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"time": formats.time_format(timezone.localtime(locked_until), "H:i")},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.login_failure_record(username=username, ip_address=ip_address, now=now)
            raise
        services.login_failures_clear(username=username, ip_address=ip_address)
        return cleaned
