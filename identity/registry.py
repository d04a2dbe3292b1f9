"""Issuing numbers and following merges in the permanent registry (identity.models.registry)."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from identity import jjn
from identity.bulk import insert_rows
from identity.models import JusticeJourneyNumber, RegistryEvent
from identity.routers import VAULT_DB

_CHUNK = 900
_ATTEMPTS = 5


class UnknownJJN(LookupError):
    """A well-formed number this registry has never issued or received."""


def _existing(numbers: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(numbers), _CHUNK):
        found.update(
            JusticeJourneyNumber.objects.using(VAULT_DB)
            .filter(number__in=numbers[start : start + _CHUNK])
            .values_list("number", flat=True)
        )
    return found


def _fresh_numbers(count: int) -> list[str]:
    chosen: set[str] = set()
    while len(chosen) < count:
        candidates = {jjn.generate() for _ in range(count - len(chosen))} - chosen
        chosen.update(candidates - _existing(sorted(candidates)))
    return sorted(chosen)


def allocate(
    *, count: int, origin: str, actor_label: str, numbers: list[str] | None = None, detail: dict | None = None
) -> list[JusticeJourneyNumber]:
    """Writes `count` new numbers to the registry, each with its first event.

    New numbers are random; should two writers draw the same one at once, the unique constraint
    refuses the second and it draws again. `numbers` records numbers received from a body instead.
    """
    if count == 0:
        return []
    kind = (
        RegistryEvent.Kind.RECEIVED
        if origin == JusticeJourneyNumber.Origin.RECEIVED
        else RegistryEvent.Kind.ISSUED
    )
    for attempt in range(_ATTEMPTS):
        wanted = numbers if numbers is not None else _fresh_numbers(count)
        now = timezone.now()
        try:
            with transaction.atomic(using=VAULT_DB):
                insert_rows(
                    JusticeJourneyNumber,
                    ["number", "issued_at", "origin"],
                    [(number, now, origin) for number in wanted],
                )
        except IntegrityError:
            if numbers is not None or attempt == _ATTEMPTS - 1:
                raise
            continue
        created: list[JusticeJourneyNumber] = []
        for start in range(0, len(wanted), _CHUNK):
            created.extend(
                JusticeJourneyNumber.objects.using(VAULT_DB).filter(number__in=wanted[start : start + _CHUNK])
            )
        created.sort(key=lambda row: row.number)
        insert_rows(
            RegistryEvent,
            ["number", "kind", "at", "actor_label", "detail"],
            [(number.id, kind, now, actor_label, detail or {}) for number in created],
        )
        return created
    raise RuntimeError("unreachable")  # pragma: no cover


def resolve_ids(ids: Iterable[int]) -> dict[int, int]:
    """Each registry id mapped to the id of the number it now stands for (itself unless merged)."""
    wanted = set(ids)
    parent: dict[int, int] = {}
    pending = set(wanted)
    seen: set[int] = set()
    while pending:
        seen |= pending
        batch = sorted(pending)
        pending = set()
        for start in range(0, len(batch), _CHUNK):
            for number_id, survivor_id in (
                JusticeJourneyNumber.objects.using(VAULT_DB)
                .filter(id__in=batch[start : start + _CHUNK], superseded_by__isnull=False)
                .values_list("id", "superseded_by_id")
            ):
                parent[number_id] = survivor_id
                if survivor_id not in seen:
                    pending.add(survivor_id)
    resolved = {}
    for number_id in wanted:
        current = number_id
        while current in parent:
            current = parent[current]
        resolved[number_id] = current
    return resolved


def number(value: str) -> JusticeJourneyNumber:
    """The registry row for a typed or received JJN; raises InvalidJJN or UnknownJJN."""
    compact = jjn.parse(value)
    try:
        return JusticeJourneyNumber.objects.using(VAULT_DB).get(number=compact)
    except JusticeJourneyNumber.DoesNotExist:
        raise UnknownJJN(f"{jjn.display(compact)} has never been issued") from None


def resolve(value: str) -> str:
    """The JJN (display form) that a number stands for today, following merges."""
    row = number(value)
    current = resolve_ids([row.id])[row.id]
    if current == row.id:
        return row.display
    return JusticeJourneyNumber.objects.using(VAULT_DB).get(id=current).display


def aliases(value: str) -> list[str]:
    """Every number (display form) that now stands for the same person as `value`, current first."""
    current = number(resolve(value))
    found = [current.id]
    frontier = [current.id]
    while frontier:
        frontier = list(
            JusticeJourneyNumber.objects.using(VAULT_DB)
            .filter(superseded_by_id__in=frontier)
            .values_list("id", flat=True)
        )
        found.extend(frontier)
    numbers = dict(
        JusticeJourneyNumber.objects.using(VAULT_DB).filter(id__in=found).values_list("id", "number")
    )
    return [jjn.display(numbers[number_id]) for number_id in found]
