from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page names; the icon is a collected static file
    (looked up per request: the manifest may not exist yet when the URLs are imported)."""
    return redirect(static("favicon.svg"), permanent=True)


def _error(request, status, template):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    return _error(request, 500, "500.html")
