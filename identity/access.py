"""Who may use the identity tools. Person-level data from another body needs a sharing agreement.

A person's data is shown only to roles that need it, and rows from a body are shown only to staff
of that body or of an organisation with an agreement with it in force today, for the scope asked.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from identity.models import SharingAgreement

# National analysts review matches; an analyst reviews only with an agreement. Administrators manage accounts
# and agreements and see no one's personal data (least privilege).
REVIEW_ROLES = frozenset({Role.NATIONAL_ANALYST})
REVIEW_BY_AGREEMENT_ROLES = frozenset({Role.ANALYST})
PERSON_VIEW_ROLES = frozenset({Role.ANALYST, Role.LOCAL_REVIEWER, Role.NATIONAL_ANALYST})
# Front-line staff sign in with their body's submitter or analyst accounts.
MATCH_ROLES = frozenset({Role.SUBMITTER, Role.ANALYST, Role.NATIONAL_ANALYST})
OPERATOR_ROLES = frozenset({Role.ADMINISTRATOR})
# The shortest reason accepted for reading or searching the vault, on a page or through the API.
PURPOSE_MIN_LENGTH = 10


def _member(user: object) -> User | None:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    if user.organisation is None or not user.organisation.is_active:
        return None
    return user


def agreed_bodies(user: object, scope: str, on: date | None = None) -> frozenset[str]:
    """Body codes whose person-level data the user may see for `scope` on `on` (today by default)."""
    member = _member(user)
    if member is None or member.organisation is None:
        return frozenset()
    day = on or timezone.localdate()
    agreed = SharingAgreement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=day),
        organisation=member.organisation,
        scope=scope,
        starts_on__lte=day,
    ).values_list("source_body", flat=True)
    return frozenset({member.organisation.code, *agreed})


def can_match(user: object) -> bool:
    member = _member(user)
    return member is not None and member.role in MATCH_ROLES


def can_open_review(user: object) -> bool:
    member = _member(user)
    if member is None:
        return False
    if member.role in REVIEW_ROLES:
        return True
    return (
        member.role in REVIEW_BY_AGREEMENT_ROLES
        and len(agreed_bodies(member, SharingAgreement.Scope.CLERICAL_REVIEW)) > 1
    )


def can_review_bodies(user: object, bodies: set[str]) -> bool:
    member = _member(user)
    if member is None:
        return False
    if member.role in REVIEW_ROLES:
        return True
    # An item with no records to show (there should be none) is left to reviewers rather than shown to anyone.
    return (
        member.role in REVIEW_BY_AGREEMENT_ROLES
        and bool(bodies)
        and bodies <= agreed_bodies(member, SharingAgreement.Scope.CLERICAL_REVIEW)
    )


def can_see_linkage_overview(user: object) -> bool:
    """Which numbers are shared by which bodies is a national view: national analysts only."""
    member = _member(user)
    return member is not None and member.role == Role.NATIONAL_ANALYST


def can_view_people(user: object) -> bool:
    member = _member(user)
    return member is not None and member.role in PERSON_VIEW_ROLES


def person_view_bodies(user: object, bodies: set[str]) -> tuple[set[str], set[str]]:
    """(bodies whose rows may be shown, bodies whose rows are withheld) for the person view."""
    if not can_view_people(user):
        return set(), set(bodies)
    allowed = agreed_bodies(user, SharingAgreement.Scope.PERSON_VIEW)
    return {body for body in bodies if body in allowed}, {body for body in bodies if body not in allowed}


def can_request_split(user: object, bodies: set[str]) -> bool:
    """Reviewers may send any number to clerical review; others only a number holding a record they may
    see (their own body's, or one an agreement lets them see in the person view)."""
    member = _member(user)
    if member is None:
        return False
    if member.role in REVIEW_ROLES:
        return True
    return member.role in PERSON_VIEW_ROLES and bool(
        bodies & agreed_bodies(member, SharingAgreement.Scope.PERSON_VIEW)
    )


def can_operate(user: object) -> bool:
    member = _member(user)
    return member is not None and member.role in OPERATOR_ROLES
