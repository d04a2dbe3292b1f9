from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language

from accounts.navigation import navigation_items

# Each language is named in itself, so a reader can find their own whichever language the page is in.
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}


def service(request: HttpRequest) -> dict[str, Any]:
    """The page shell: service name, phase, navigation for the signed-in role, language switch."""
    language = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "home_url": reverse("home"),
        "sign_in_url": reverse("accounts:login"),
        "sign_out_url": reverse("accounts:logout"),
        "account_url": reverse("accounts:account"),
        "account_current": request.path == reverse("accounts:account"),
        "set_language_url": reverse("set_language"),
        "navigation": navigation_items(request.user, request.path) if hasattr(request, "user") else [],
        # `next` is already in the target language: set_language resolves it with English active and cannot
        # translate a /cy/ path itself.
        "language_links": [
            {
                "code": code,
                "name": LANGUAGE_NAMES.get(code, code),
                "current": code == language,
                "next": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
    }
