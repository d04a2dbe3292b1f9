"""Reads for the identity pages. Every read that decrypts the vault writes an audit event with its purpose."""

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When

from accounts.audit import record as audit
from accounts.models import AuditEvent, User
from identity import access, jjn, registry
from identity.models import RegistryEvent, ReviewItem, VictimRecord
from identity.routers import VAULT_DB

QUEUE_SHOWN = 200
SHOWN_FIELDS = ("given_name", "family_name", "previous_names", "date_of_birth", "postcode", "email", "phone")


# ---- The review queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueEntry:
    item: ReviewItem
    bodies: tuple[str, ...]
    numbers: tuple[str, ...]


def review_queue(user: User, *, limit: int = QUEUE_SHOWN) -> list[QueueEntry]:
    """Open items the user may decide, in the order to decide them: possible splits first (a number that may
    hold two people mixes their journeys until it is decided), oldest first; then pairs, the most likely
    match first. Two queries."""
    splits_first = Case(When(kind=ReviewItem.Kind.SPLIT, then=Value(0)), default=Value(1))
    items = list(
        ReviewItem.objects.using(VAULT_DB)
        .filter(status=ReviewItem.Status.OPEN)
        .select_related("number")
        .order_by(splits_first, "-probability", "created_at", "id")[: limit * 5]
    )
    record_ids = {record_id for item in items for record_id in (item.left_id, item.right_id) if record_id}
    records = {
        record_id: (body, number)
        for record_id, body, number in VictimRecord.objects.using(VAULT_DB)
        .filter(id__in=record_ids)
        .values_list("id", "body", "jjn__number")
    }
    split_bodies: dict[int, set[str]] = {}
    split_ids = [item.number_id for item in items if item.kind == ReviewItem.Kind.SPLIT and item.number_id]
    for number_id, body in (
        VictimRecord.objects.using(VAULT_DB)
        .filter(jjn_id__in=split_ids)
        .values_list("jjn_id", "body")
        .distinct()
    ):
        split_bodies.setdefault(number_id, set()).add(body)
    entries = []
    for item in items:
        if item.kind == ReviewItem.Kind.PAIR:
            sides = [
                records[record_id] for record_id in (item.left_id, item.right_id) if record_id in records
            ]
            bodies = {body for body, _number in sides}
            numbers = tuple(dict.fromkeys(jjn.display(number) for _body, number in sides))
        else:
            bodies = split_bodies.get(item.number_id or 0, set())
            numbers = (item.number.display,) if item.number else ()
        if access.can_review_bodies(user, bodies):
            entries.append(QueueEntry(item, tuple(sorted(bodies)), numbers))
        if len(entries) >= limit:
            break
    return entries


def review_bodies(item: ReviewItem) -> set[str]:
    if item.kind == ReviewItem.Kind.PAIR:
        ids = [record_id for record_id in (item.left_id, item.right_id) if record_id is not None]
        return set(VictimRecord.objects.using(VAULT_DB).filter(id__in=ids).values_list("body", flat=True))
    return set(
        VictimRecord.objects.using(VAULT_DB).filter(jjn_id=item.number_id).values_list("body", flat=True)
    )


def number_bodies(value: str) -> set[str]:
    """The bodies with a victims record under the number `value` stands for today; raises InvalidJJN or
    UnknownJJN."""
    current = registry.number(registry.resolve(value))
    return set(VictimRecord.objects.using(VAULT_DB).filter(jjn=current).values_list("body", flat=True))


def _shown(record: VictimRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "body": record.body,
        "person_ref": record.person_ref,
        "jjn": record.jjn.display,
        **{name: record.decrypted(name) or "" for name in SHOWN_FIELDS},
    }


def review_records(item: ReviewItem, *, by: User, purpose: str) -> list[dict[str, Any]]:
    """The records under review, decrypted for this one view; the read is audited with its purpose."""
    if item.kind == ReviewItem.Kind.PAIR:
        records = VictimRecord.objects.using(VAULT_DB).filter(id__in=[item.left_id, item.right_id])
    else:
        records = VictimRecord.objects.using(VAULT_DB).filter(jjn_id=item.number_id)
    shown = [_shown(record) for record in records.select_related("jjn").order_by("id")]
    audit(
        by=by,
        action="identity.vault_read",
        target=f"review:{item.id}",
        purpose=purpose,
        detail={"records": [row["id"] for row in shown], "bodies": sorted({row["body"] for row in shown})},
    )
    return shown


def open_review_counts(user: User) -> dict[str, int]:
    """Items waiting that the user may decide, by kind: every one for a reviewer; for staff reviewing under
    an agreement, those of the queue they are shown."""
    if user.role not in access.REVIEW_ROLES:
        return dict(Counter(entry.item.kind for entry in review_queue(user)))
    return dict(
        ReviewItem.objects.using(VAULT_DB)
        .filter(status=ReviewItem.Status.OPEN)
        .values_list("kind")
        .annotate(count=Count("id"))
        .values_list("kind", "count")
    )


# ---- The person view -------------------------------------------------------------------------------


@dataclass
class PersonView:
    jjn: str
    aliases: list[str]
    crimes: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    withheld_bodies: list[str] = field(default_factory=list)
    history: list[RegistryEvent] = field(default_factory=list)

    @property
    def crime_count(self) -> int:
        return len({(row["force"], row["crime_ref"]) for row in self.crimes})

    @property
    def forces(self) -> list[str]:
        return sorted({row["force"] for row in self.crimes if row["force"]})

    @property
    def bodies(self) -> list[str]:
        return sorted({row["body"] for row in self.crimes} | {row["body"] for row in self.events})

    @property
    def first_report(self) -> date | None:
        dates = [row["reported_on"] for row in self.crimes if row["reported_on"]]
        return min(dates) if dates else None

    @property
    def last_report(self) -> date | None:
        dates = [row["reported_on"] for row in self.crimes if row["reported_on"]]
        return max(dates) if dates else None

    @property
    def repeat_victim(self) -> bool:
        return self.crime_count > 1


# A victim's record is named by the body that holds it and that body's reference: crimes by the recording body,
# events by the recording force (as the event store's views join them).
_SEPARATOR = "\x1f"


def crimes_sql() -> str:
    return """
    SELECT body, force, crime_ref, offence_group, reported_on, recorded_on, enhanced_rights, domestic_abuse,
           outcome_type, outcome_date, concat_ws(chr(31), body, person_ref) AS victim
    FROM crimes WHERE jjn IN (SELECT unnest(?::VARCHAR[]))
       OR concat_ws(chr(31), body, person_ref) IN (SELECT unnest(?::VARCHAR[]))
    ORDER BY reported_at, force, crime_ref
    """


def events_sql() -> str:
    return """
    SELECT body, force, crime_ref, event_type, occurred_at, occurred_on, detail,
           concat_ws(chr(31), force, person_ref) AS victim
    FROM events WHERE jjn IN (SELECT unnest(?::VARCHAR[]))
       OR concat_ws(chr(31), force, person_ref) IN (SELECT unnest(?::VARCHAR[]))
    ORDER BY occurred_at, seq
    """


def _rows(con: duckdb.DuckDBPyConnection, sql: str, numbers: list[str], victims: list[str]) -> list[dict]:
    cursor = con.execute(sql, [numbers, victims])
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _held_elsewhere(victims: set[str]) -> set[str]:
    """Which of these (body, reference) keys are records in the vault; the caller has left out its own."""
    pairs = [victim.split(_SEPARATOR, 1) for victim in victims]
    found: set[str] = set()
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        query = Q()
        for body, person_ref in chunk:
            query |= Q(body=body, person_ref=person_ref)
        found.update(
            f"{body}{_SEPARATOR}{person_ref}"
            for body, person_ref in VictimRecord.objects.using(VAULT_DB)
            .filter(query)
            .values_list("body", "person_ref")
        )
    return found


def journey_rows(
    con: duckdb.DuckDBPyConnection, numbers: list[str], records: Iterable[tuple[str, str]] = ()
) -> tuple[list[dict], list[dict]]:
    """Crimes and events of a person, from the `crimes` and `events` views on `con`: those of the person's
    vault `records` (body, reference), and those carrying one of their `numbers`, except rows whose victim is
    another person's record in the vault. A row's number was written when it was stored, so after a split it
    still names the number the moved record left: the record, not that number, says whose the row is."""
    own = {f"{body}{_SEPARATOR}{person_ref}" for body, person_ref in records}
    crimes = _rows(con, crimes_sql(), numbers, sorted(own))
    events = _rows(con, events_sql(), numbers, sorted(own))
    elsewhere = _held_elsewhere({row["victim"] for row in (*crimes, *events)} - own)
    return (
        [_without_victim(row) for row in crimes if row["victim"] not in elsewhere],
        [_without_victim(row) for row in events if row["victim"] not in elsewhere],
    )


def _without_victim(row: dict[str, Any]) -> dict[str, Any]:
    row.pop("victim")
    return row


@contextmanager
def person_store(numbers: list[str], records: list[tuple[str, str]]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The event store's `crimes` and `events` views, narrowed to the rows that may be this person's."""
    from analytics.ingest.views import register_person_views

    con = duckdb.connect()
    try:
        register_person_views(con, settings.LAKE_DIR, numbers, records)
        yield con
    finally:
        con.close()


def person_view(
    user: User, value: str, *, purpose: str, con: duckdb.DuckDBPyConnection | None = None
) -> PersonView:
    """A person's crimes and events across bodies, rows from bodies without an agreement withheld.

    Raises InvalidJJN or UnknownJJN. The read is audited; withheld bodies are audited as refused.
    """
    try:
        current = registry.resolve(value)
    except registry.UnknownJJN:
        # Asking after a number never issued is recorded too, so that probing for numbers shows in the log.
        _view_refused(user, jjn.display(value), purpose, {"reason": "number never issued"})
        raise
    numbers = registry.aliases(current)
    records = list(
        VictimRecord.objects.using(VAULT_DB)
        .filter(jjn__number=current.replace("-", ""))
        .values_list("body", "person_ref")
    )
    if con is None:
        with person_store(numbers, records) as store:
            crimes, events = journey_rows(store, numbers, records)
    else:
        crimes, events = journey_rows(con, numbers, records)
    bodies = {row["body"] for row in crimes} | {row["body"] for row in events}
    shown, withheld = access.person_view_bodies(user, bodies)
    view = PersonView(
        jjn=current,
        aliases=[number for number in numbers if number != current],
        crimes=[row for row in crimes if row["body"] in shown],
        events=[row for row in events if row["body"] in shown],
        withheld_bodies=sorted(withheld),
        history=list(
            RegistryEvent.objects.using(VAULT_DB)
            .filter(number__number__in=[number.replace("-", "") for number in numbers])
            .select_related("number", "other")
            .order_by("at", "id")
        ),
    )
    audit(
        by=user,
        action="identity.person_view",
        target=f"jjn:{current}",
        purpose=purpose,
        detail={"crimes": len(view.crimes), "events": len(view.events), "bodies": sorted(shown)},
    )
    if withheld:
        _view_refused(
            user,
            current,
            purpose,
            {"withheld_bodies": sorted(withheld), "reason": "no information-sharing agreement in force"},
        )
    return view


def _view_refused(user: User, number: str, purpose: str, detail: dict[str, Any]) -> None:
    audit(
        by=user,
        action="identity.person_view",
        target=f"jjn:{number}",
        outcome=AuditEvent.Outcome.REFUSED,
        purpose=purpose,
        detail=detail,
    )


# ---- Repeat victims across bodies -------------------------------------------------------------------


@dataclass(frozen=True)
class SharedNumber:
    number: str
    bodies: tuple[str, ...]


@dataclass(frozen=True)
class LinkageOverview:
    numbers: int
    records: int
    in_several_bodies: int
    in_several_forces: int
    examples: list[SharedNumber] = field(default_factory=list)


def linkage_overview(*, force_codes: set[str], examples: int = 0) -> LinkageOverview:
    """How many live numbers hold records from more than one body (or police force).

    Reads only the pseudonymous number and body codes: nothing is decrypted. `examples` numbers are listed,
    those known to the most bodies first.
    """
    live = VictimRecord.objects.using(VAULT_DB).filter(jjn__superseded_by__isnull=True)

    def shared(records: QuerySet[VictimRecord]) -> QuerySet:
        """Numbers whose records come from more than one body, counted in the database."""
        return records.values("jjn_id").annotate(bodies=Count("body", distinct=True)).filter(bodies__gt=1)

    ranked = list(
        shared(live).order_by("-bodies", "jjn__number").values_list("jjn_id", "jjn__number")[:examples]
    )
    bodies_of: dict[int, set[str]] = {}
    for number_id, body in live.filter(jjn_id__in=[number_id for number_id, _ in ranked]).values_list(
        "jjn_id", "body"
    ):
        bodies_of.setdefault(number_id, set()).add(body)
    return LinkageOverview(
        numbers=live.values("jjn_id").distinct().count(),
        records=live.count(),
        in_several_bodies=shared(live).count(),
        in_several_forces=shared(live.filter(body__in=force_codes)).count(),
        examples=[
            SharedNumber(jjn.display(number), tuple(sorted(bodies_of[number_id])))
            for number_id, number in ranked
        ],
    )
