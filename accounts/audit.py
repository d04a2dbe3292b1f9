"""The one way to write the audit log. Every write action in the project calls `record`."""

from typing import Any

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
