from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and Django's other never-cache headers) on every answer to a
    signed-in user, by session or token, and on every API answer: no browser, proxy or back button
    keeps a copy of case content. Static files (served by WhiteNoise before this runs) keep theirs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
