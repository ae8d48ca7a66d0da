"""Error pages that need the request (the CSRF failure page keeps the site's header and language)."""

from django.shortcuts import render


def csrf_failure(request, reason=""):
    """Replaces Django's English-only CSRF page; the reason is logged by Django, not shown."""
    return render(request, "403_csrf.html", status=403)


def method_not_allowed(request, response):
    """Django has no handler405: the page for a 405 that came without one (require_POST,
    View.http_method_not_allowed), in the reader's language, with the same status and Allow header."""
    page = render(request, "405.html", status=405)
    if "Allow" in response:
        page["Allow"] = response["Allow"]
    return page
