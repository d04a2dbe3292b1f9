"""The service navigation: which sections a person sees, by role. Visibility only; views check access."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Role, User


def _prefix() -> str:
    # English URLs carry no language prefix; every other language's do (i18n_patterns).
    language = get_language() or "en"
    return "" if language == "en" else f"/{language}"


def navigation_items(user: User | AnonymousUser, path: str) -> list[dict[str, Any]]:
    prefix = _prefix()
    sections: list[tuple[str, str]] = [("/standard/", _("Standard"))]
    if isinstance(user, User) and user.must_change_password and user.is_authenticated:
        # Every page but choosing a new password leads back to it (TemporaryPasswordMiddleware): none is offered.
        return []
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        if user.role == Role.SUBMITTER:
            sections.append(("/submissions/", _("Submissions")))
        if user.role in access.RESULT_ROLES:
            sections.append(("/compliance/", _("Compliance")))
        # Every role has something there: finding a JJN, a person's journey, clerical review.
        sections.append(("/identity/", _("People")))
        if user.role in (Role.ADMINISTRATOR, Role.NATIONAL_ANALYST):
            sections.append(("/compliance/computations/", _("Computations")))
        if user.role == Role.ADMINISTRATOR:
            sections.append(("/account/users/", _("Accounts")))
            sections.append(("/submissions/tokens/", _("API tokens")))
            sections.append(("/account/audit-log/", _("Audit log")))
    # Oversight, open data and the victims' hub join the navigation when their pages exist.
    # Only the most specific section is current: Computations, not Compliance as well, on its own pages.
    current = max(
        (section for section, _text in sections if path.startswith(prefix + section)), key=len, default=""
    )
    return [
        {"href": prefix + section, "text": text, "current": section == current} for section, text in sections
    ]
