"""Who may see and do what. Every check in the project goes through these functions, never ad-hoc filters.

A user with no organisation, an inactive organisation or an inactive account may do nothing.
"""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from accounts.audit import record
from accounts.models import AuditEvent, Organisation, OrganisationKind, Role, User

# Roles that read compliance results for some set of bodies.
RESULT_ROLES = frozenset({Role.SUBMITTER, Role.ANALYST, Role.LOCAL_REVIEWER, Role.NATIONAL_ANALYST})
# Organisations that are not themselves submitting bodies.
_NON_BODY_KINDS = (OrganisationKind.LOCAL_POLICING_BODY, OrganisationKind.NATIONAL)

AnyUser = User | AnonymousUser


def _active_member(user: AnyUser | None) -> User | None:
    if not isinstance(user, User) or not user.is_authenticated or not user.is_active:
        return None
    organisation = user.organisation
    if organisation is None or not organisation.is_active:
        return None
    return user


def can_submit_for(user: AnyUser | None, body_code: str) -> bool:
    member = _active_member(user)
    return (
        member is not None
        and member.role == Role.SUBMITTER
        and member.organisation is not None
        and member.organisation.code == body_code
    )


def visible_body_codes(user: AnyUser | None) -> frozenset[str]:
    """The codes of the bodies whose data and results the user may see (empty for none)."""
    member = _active_member(user)
    if member is None or member.organisation is None:
        return frozenset()
    organisation = member.organisation
    if member.role in (Role.SUBMITTER, Role.ANALYST):
        return frozenset({organisation.code})
    if member.role == Role.LOCAL_REVIEWER:
        return area_body_codes(organisation)
    if member.role == Role.NATIONAL_ANALYST:
        return frozenset(
            Organisation.objects.exclude(kind__in=_NON_BODY_KINDS).values_list("code", flat=True)
        )
    return frozenset()


def submitting_organisations() -> QuerySet[Organisation]:
    """The active organisations that send data (not local policing bodies or national organisations)."""
    return Organisation.objects.filter(is_active=True).exclude(kind__in=_NON_BODY_KINDS).order_by("name")


def area_body_codes(local_policing_body: Organisation) -> frozenset[str]:
    """Every submitting body serving a force area that the local policing body oversees."""
    forces = local_policing_body.forces.all()
    # HM Courts and Tribunals Service serves every area and is reviewed nationally, not by one area.
    served = Organisation.objects.filter(forces__in=forces).exclude(
        kind__in=(*_NON_BODY_KINDS, OrganisationKind.HMCTS)
    )
    codes = set(served.values_list("code", flat=True)) | set(forces.values_list("code", flat=True))
    return frozenset(codes)


def area_force_codes(user: AnyUser | None) -> frozenset[str]:
    """The police force areas a local reviewer's local policing body oversees (empty for anyone else)."""
    member = _active_member(user)
    if member is None or member.organisation is None or member.role != Role.LOCAL_REVIEWER:
        return frozenset()
    return frozenset(member.organisation.forces.values_list("code", flat=True))


def can_view_national(user: AnyUser | None) -> bool:
    member = _active_member(user)
    return member is not None and member.role == Role.NATIONAL_ANALYST


def can_administer(user: AnyUser | None) -> bool:
    member = _active_member(user)
    return member is not None and member.role == Role.ADMINISTRATOR


def refuse(request: HttpRequest, *, reason: str = "", detail: dict[str, Any] | None = None) -> HttpResponse:
    """Records a refused access in the audit log and answers with the 403 page."""
    user = request.user if isinstance(request.user, User) and request.user.is_authenticated else None
    record(
        by=user,
        action="access.refused",
        target=request.path,
        outcome=AuditEvent.Outcome.REFUSED,
        purpose=reason,
        detail=detail or {},
        actor_label="anonymous",
    )
    return render(request, "403.html", status=403)


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str) -> Callable[[View], View]:
    """Lets only active users with one of `roles` through; sends others to sign in, or to the 403 page."""
    allowed = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = _active_member(request.user)
            if member is None or member.role not in allowed:
                return refuse(
                    request,
                    reason="role",
                    detail={"role": getattr(request.user, "role", ""), "required": sorted(allowed)},
                )
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator


class RoleRequiredMixin:
    """For class-based views: `roles = [Role.ANALYST, ...]`."""

    roles: Iterable[str] = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        guarded = role_required(*self.roles)(super().dispatch)  # type: ignore[misc]
        return guarded(request, *args, **kwargs)
