"""The one way to write the audit log. Every write action in the project calls `record`."""

from datetime import date
from typing import Any

from django.db.models import QuerySet

from accounts.models import AuditEvent, User

SYSTEM = "system"


def record(
    *,
    by: User | None,
    action: str,
    target: str = "",
    outcome: str = AuditEvent.Outcome.OK,
    purpose: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Appends one audit event. `by=None` means a system process, named by `actor_label`."""
    return AuditEvent.objects.create(
        actor=by if by is not None and by.pk else None,
        actor_label=(by.get_username() if by is not None else "") or actor_label or SYSTEM,
        organisation_code=(by.organisation.code if by is not None and by.organisation is not None else ""),
        action=action,
        target=target,
        outcome=outcome,
        purpose=purpose,
        detail=detail or {},
    )


def actions_logged() -> list[str]:
    """Every action the log holds, in order: what an administrator can narrow the log to."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def search(
    *,
    action: str = "",
    who: str = "",
    target: str = "",
    outcome: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """The events that match every filter given, newest first. Days are the service's (London) days, both
    ends included; a user name matches whatever its case, a target anywhere within it."""
    events = AuditEvent.objects.order_by("-at", "-id")
    if action:
        events = events.filter(action=action)
    if who:
        events = events.filter(actor_label__iexact=who)
    if target:
        events = events.filter(target__icontains=target)
    if outcome:
        events = events.filter(outcome=outcome)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events
