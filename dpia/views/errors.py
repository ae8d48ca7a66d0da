"""Error pages that need the request (the CSRF failure page keeps the site's header and language)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """Replaces Django's English-only CSRF page; the reason is logged by Django, not shown."""
    return render(request, "403_csrf.html", status=403)
