"""The one way to write the audit log. Every write action in the project calls `record`."""

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.models import AuditEvent, User
from analytics.ingest.validate import escape_formula
from config.csv_lines import csv_lines

SYSTEM = "system"
# A target is cut to its column: a refused page or API call names its address, which can be of any length.
TARGET_MAX = AuditEvent._meta.get_field("target").max_length or 300


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
    """Appends one audit event. `by=None` means a system process, named by `actor_label`. A target longer than
    its column (TARGET_MAX) keeps its beginning; a NUL in it (an address may hold %00; PostgreSQL refuses it in
    text) is recorded as U+FFFD."""
    return AuditEvent.objects.create(
        actor=by if by is not None and by.pk else None,
        actor_label=(by.get_username() if by is not None else "") or actor_label or SYSTEM,
        organisation_code=(by.organisation.code if by is not None and by.organisation is not None else ""),
        action=action,
        target=target.replace("\x00", "\ufffd")[:TARGET_MAX],
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
    # Bounds on the instant itself (not its date), so the index on `at` serves them.
    if since is not None:
        events = events.filter(at__gte=_start_of(since))
    if until is not None and until < date.max:  # the last day there is has no day after it to stop at
        events = events.filter(at__lt=_start_of(until + timedelta(days=1)))
    return events


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the service's time zone (London), as an aware instant."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


EXPORT_COLUMNS = ("at", "who", "organisation", "action", "target", "outcome", "purpose", "detail")


def _rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    yield list(EXPORT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        texts = (event.actor_label, event.organisation_code, event.action, event.target, event.outcome,
                 event.purpose, json.dumps(event.detail, sort_keys=True, ensure_ascii=False))  # fmt: skip
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            *(escape_formula(t) for t in texts),
        ]


def export_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The events as CSV, a line at a time: the time in London with its offset, the detail as JSON. Text a
    spreadsheet would run as a formula (a purpose typed as `=...`) starts with an apostrophe."""
    return csv_lines(_rows(events))


def export(by: User, filters: dict[str, Any]) -> Iterator[str]:
    """The events matching `filters` as CSV lines; the export itself is audited, with its filters and size
    (and, being written after them, is not among the events it exports)."""
    last = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    events = search(**filters).filter(id__lte=last)
    record(
        by=by,
        action="audit.export",
        detail={**{name: str(value) for name, value in filters.items() if value}, "events": events.count()},
    )
    return export_lines(events)
