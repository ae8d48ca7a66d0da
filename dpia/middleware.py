from django.utils.cache import add_never_cache_headers


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
