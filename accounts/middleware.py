"""Middleware of the accounts: a temporary password is replaced before anything else, and what is served to
someone signed in (or by the API) is stored by no browser or proxy."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control

# The API's URL namespace (config.api).
API_NAMESPACE = "api"
# What stays open meanwhile: the password page itself, signing out, and switching language.
_ALLOWED = frozenset({"accounts:password", "accounts:logout", "set_language"})


class TemporaryPasswordMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in _ALLOWED:
            return None
        return redirect("accounts:password")


class PrivateResponsesMiddleware:
    """Marks `Cache-Control: no-store, private` every answer to someone signed in and every answer of the API,
    unless the view said itself how it may be cached: personal data, the audit log and downloads are never kept
    by a browser's cache or a proxy. Static files are served before this runs (WhiteNoise), and stay cacheable."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control") and (_signed_in(request) or _api(request)):
            patch_cache_control(response, no_store=True, private=True)
        return response


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated


def _api(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and API_NAMESPACE in match.namespaces
