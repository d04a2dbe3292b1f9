"""Writes to the registry and the review queue: merges, splits and clerical decisions.

Each action runs in one transaction on the vault database (with the audit event on the default
database committed alongside it) and leaves an event in the number's permanent history.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record as audit
from accounts.models import AuditEvent, Organisation, User
from identity import jjn
from identity.models import JusticeJourneyNumber, RegistryEvent, ReviewItem, SharingAgreement, VictimRecord
from identity.registry import allocate, number, resolve_ids
from identity.routers import VAULT_DB


class ReviewError(ValueError):
    """A decision that cannot be taken as asked; the message says why."""


class AgreementError(ValueError):
    """An agreement that cannot be recorded or ended as asked; the message says why."""


def _label(by: User | None, actor_label: str) -> str:
    return by.get_username() if by is not None else (actor_label or "system")


def _current(number_id: int) -> JusticeJourneyNumber:
    return JusticeJourneyNumber.objects.using(VAULT_DB).get(id=resolve_ids([number_id])[number_id])


def _merge_rows(
    first: JusticeJourneyNumber, second: JusticeJourneyNumber, *, label: str, reason: str, detail: dict
) -> tuple[JusticeJourneyNumber, JusticeJourneyNumber | None]:
    """Merges two current numbers; the older survives. Returns (survivor, superseded or None)."""
    if first.id == second.id:
        return first, None
    survivor, absorbed = sorted((first, second), key=lambda row: (row.issued_at, row.id))
    JusticeJourneyNumber.objects.using(VAULT_DB).filter(id=absorbed.id, superseded_by__isnull=True).update(
        superseded_by=survivor.id
    )
    moved = VictimRecord.objects.using(VAULT_DB).filter(jjn_id=absorbed.id).update(jjn_id=survivor.id)
    # A question still open about the absorbed number ("may be two people") is now about the survivor's records.
    ReviewItem.objects.using(VAULT_DB).filter(
        kind=ReviewItem.Kind.SPLIT, number_id=absorbed.id, status=ReviewItem.Status.OPEN
    ).update(number_id=survivor.id)
    facts = {"reason": reason, "records_moved": moved, **detail}
    _record_both_sides(
        (absorbed, RegistryEvent.Kind.MERGED_INTO), (survivor, RegistryEvent.Kind.ABSORBED), label, facts
    )
    return survivor, absorbed


def _record_both_sides(
    first: tuple[JusticeJourneyNumber, str], second: tuple[JusticeJourneyNumber, str], label: str, facts: dict
) -> None:
    """One event in each number's history, each naming the other, with the same facts."""
    (one, one_kind), (other, other_kind) = first, second
    RegistryEvent.objects.using(VAULT_DB).bulk_create(
        [
            RegistryEvent(number=one, kind=one_kind, other=other, actor_label=label, detail=facts),
            RegistryEvent(number=other, kind=other_kind, other=one, actor_label=label, detail=facts),
        ]
    )


def merge(*, first: str, second: str, by: User | None, reason: str, actor_label: str = "") -> str:
    """Records that two numbers are one person. The older survives; the other resolves to it for ever."""
    label = _label(by, actor_label)
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        one, two = _current(number(first).id), _current(number(second).id)
        survivor, absorbed = _merge_rows(one, two, label=label, reason=reason, detail={})
        audit(
            by=by,
            action="identity.merge",
            target=f"jjn:{survivor.display}",
            detail={"superseded": absorbed.display if absorbed else None, "reason": reason},
            actor_label=label,
        )
    return survivor.display


def merge_records(
    pairs: Iterable[tuple[int, int]], *, by: User | None, reason: str, actor_label: str = ""
) -> int:
    """Merges the numbers of many record pairs (batch linkage); returns how many numbers were superseded."""
    label = _label(by, actor_label)
    merged = 0
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        for left_id, right_id in pairs:
            numbers = dict(
                VictimRecord.objects.using(VAULT_DB)
                .filter(id__in=[left_id, right_id])
                .values_list("id", "jjn_id")
            )
            if len(numbers) != 2 or numbers[left_id] == numbers[right_id]:
                continue
            one, two = _current(numbers[left_id]), _current(numbers[right_id])
            _survivor, absorbed = _merge_rows(
                one, two, label=label, reason=reason, detail={"records": [left_id, right_id]}
            )
            merged += absorbed is not None
        audit(
            by=by,
            action="identity.merge_batch",
            detail={"superseded": merged, "reason": reason},
            actor_label=label,
        )
    return merged


def _claim(item: ReviewItem, status: str, *, label: str, note: str, refusal: str) -> Callable[[], None]:
    """Decides an item only if it is still open when the transaction reaches it: of two reviewers deciding it
    at once, the second is refused rather than applied on top of the first (the page they read may be stale)."""
    decided_at = timezone.now()
    claimed = (
        ReviewItem.objects.using(VAULT_DB)
        .filter(id=item.id, status=ReviewItem.Status.OPEN)
        .update(status=status, decided_at=decided_at, decided_by=label, decision_note=note)
    )
    if not claimed:
        raise ReviewError(refusal)

    def mark() -> None:  # the caller's copy follows once nothing more can refuse the decision
        item.status, item.decided_at, item.decided_by, item.decision_note = status, decided_at, label, note

    return mark


def request_split(*, value: str, reason: str, by: User | None, actor_label: str = "") -> ReviewItem:
    """Sends a number that may hold two people to clerical review. Nothing moves until a person decides."""
    label = _label(by, actor_label)
    if not reason.strip():
        raise ReviewError("say why this number may be two people")
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        row = _current(number(value).id)
        existing = ReviewItem.objects.using(VAULT_DB).filter(kind="split", number=row, status="open").first()
        if existing is not None:
            return existing
        item = ReviewItem.objects.using(VAULT_DB).create(
            kind=ReviewItem.Kind.SPLIT, number=row, reason=reason, raised_by=label
        )
        RegistryEvent.objects.using(VAULT_DB).create(
            number=row,
            kind=RegistryEvent.Kind.SPLIT_REQUESTED,
            actor_label=label,
            detail={"review_item": item.id, "reason": reason},
        )
        audit(
            by=by,
            action="identity.split_requested",
            target=f"jjn:{row.display}",
            detail={"review_item": item.id},
            actor_label=label,
        )
    return item


def decide_split(
    *, item: ReviewItem, move_records: list[int], by: User, note: str, purpose: str
) -> str | None:
    """Confirms a split by moving the chosen records to a new number, or rejects it (empty list).

    Returns the new number (display form) or None. Both numbers' histories name each other.
    """
    if item.kind != ReviewItem.Kind.SPLIT or item.status != ReviewItem.Status.OPEN or item.number_id is None:
        raise ReviewError("this item is not an open split request")
    label = _label(by, "")
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        status = ReviewItem.Status.CONFIRMED if move_records else ReviewItem.Status.REJECTED
        mark = _claim(item, status, label=label, note=note, refusal="this item is not an open split request")
        old = _current(item.number_id)  # the item may have been read before its number was merged
        held = set(VictimRecord.objects.using(VAULT_DB).filter(jjn=old).values_list("id", flat=True))
        chosen = set(move_records)
        if not chosen <= held:
            raise ReviewError("only records that hold this number can be moved")
        if chosen and chosen == held:
            raise ReviewError("leave at least one record with the original number")
        new_display = None
        if chosen:
            (new,) = allocate(
                count=1,
                origin=JusticeJourneyNumber.Origin.SPLIT,
                actor_label=label,
                detail={"split_from": old.display},
            )
            VictimRecord.objects.using(VAULT_DB).filter(id__in=chosen).update(
                jjn=new, updated_at=timezone.now()
            )
            # The records on each side, as decided: later merges move records between numbers, and linkage
            # must keep these apart whichever numbers they then hold.
            facts = {
                "review_item": item.id,
                "records_moved": sorted(chosen),
                "records_left": sorted(held - chosen),
                "note": note,
            }
            _record_both_sides(
                (old, RegistryEvent.Kind.SPLIT_DECIDED), (new, RegistryEvent.Kind.SPLIT_FROM), label, facts
            )
            new_display = new.display
        else:
            RegistryEvent.objects.using(VAULT_DB).create(
                number=old,
                kind=RegistryEvent.Kind.SPLIT_REJECTED,
                actor_label=label,
                detail={"review_item": item.id, "records": sorted(held), "note": note},
            )
        audit(
            by=by,
            action="identity.split_decided",
            target=f"jjn:{old.display}",
            purpose=purpose,
            detail={"review_item": item.id, "new_jjn": new_display, "records_moved": len(chosen)},
        )
        mark()
    return new_display


def raise_pairs(
    pairs: Iterable[tuple[int, int, float]], *, by: User | None, actor_label: str = "", reason: str = ""
) -> int:
    """Queues record pairs for review, unless the pair was ever queued or decided before. Returns how many."""
    label = _label(by, actor_label)
    wanted = {
        (min(left, right), max(left, right)): probability
        for left, right, probability in pairs
        if left != right
    }
    if not wanted:
        return 0
    lefts = sorted({left for left, _right in wanted})
    known: set[tuple[int, int]] = set()
    for start in range(0, len(lefts), 900):
        known.update(
            ReviewItem.objects.using(VAULT_DB)
            .filter(kind="pair", left_id__in=lefts[start : start + 900])
            .values_list("left_id", "right_id")
        )
    items = [
        ReviewItem(
            kind=ReviewItem.Kind.PAIR,
            left_id=left,
            right_id=right,
            probability=probability,
            reason=reason,
            raised_by=label,
        )
        for (left, right), probability in sorted(wanted.items())
        if (left, right) not in known
    ]
    ReviewItem.objects.using(VAULT_DB).bulk_create(items, batch_size=500)
    return len(items)


def rejected_pairs(pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs (lower id first) a person has decided are two different people."""
    ordered = {(min(left, right), max(left, right)) for left, right in pairs}
    lefts = sorted({left for left, _right in ordered})
    rejected: set[tuple[int, int]] = set()
    for start in range(0, len(lefts), 900):
        rejected.update(
            ReviewItem.objects.using(VAULT_DB)
            .filter(kind="pair", status="rejected", left_id__in=lefts[start : start + 900])
            .values_list("left_id", "right_id")
        )
    return rejected & ordered


def decide_pair(*, item: ReviewItem, same_person: bool, by: User, note: str, purpose: str) -> str:
    """Records a reviewer's decision on a pair. Confirmed pairs are merged at once; rejected pairs are
    never merged automatically again, and if they already share a number a split request is raised."""
    if item.kind != ReviewItem.Kind.PAIR or item.status != ReviewItem.Status.OPEN:
        raise ReviewError("this pair has already been decided")
    if item.left_id is None or item.right_id is None:
        raise ReviewError("this item is not a pair")
    label = _label(by, "")
    outcome = ""
    with transaction.atomic(), transaction.atomic(using=VAULT_DB):
        status = ReviewItem.Status.CONFIRMED if same_person else ReviewItem.Status.REJECTED
        mark = _claim(item, status, label=label, note=note, refusal="this pair has already been decided")
        left = VictimRecord.objects.using(VAULT_DB).get(id=item.left_id)
        right = VictimRecord.objects.using(VAULT_DB).get(id=item.right_id)
        if same_person:
            survivor, _absorbed = _merge_rows(
                _current(left.jjn_id),
                _current(right.jjn_id),
                label=label,
                reason="clerical review confirmed one person",
                detail={"review_item": item.id},
            )
            outcome = survivor.display
        elif left.jjn_id == right.jjn_id:
            split = (
                ReviewItem.objects.using(VAULT_DB)
                .filter(kind="split", number_id=left.jjn_id, status="open")
                .first()
            )
            if split is None:
                split = ReviewItem.objects.using(VAULT_DB).create(
                    kind=ReviewItem.Kind.SPLIT,
                    number_id=left.jjn_id,
                    reason=f"review item {item.id}: two records under this number are different people",
                    raised_by=label,
                )
                RegistryEvent.objects.using(VAULT_DB).create(
                    number_id=left.jjn_id,
                    kind=RegistryEvent.Kind.SPLIT_REQUESTED,
                    actor_label=label,
                    detail={"review_item": split.id},
                )
            outcome = "split requested"
        audit(
            by=by,
            action="identity.pair_decided",
            target=f"review:{item.id}",
            purpose=purpose,
            outcome=AuditEvent.Outcome.OK,
            detail={"same_person": same_person, "result": outcome},
        )
        mark()
    return outcome


def display_numbers(ids: Iterable[int]) -> dict[int, str]:
    return {
        number_id: jjn.display(value)
        for number_id, value in JusticeJourneyNumber.objects.using(VAULT_DB)
        .filter(id__in=list(ids))
        .values_list("id", "number")
    }


def record_agreement(
    *,
    by: User | None,
    organisation: Organisation,
    source_body: str,
    scope: str,
    reference: str,
    starts_on: date,
    ends_on: date | None,
    actor_label: str = "",
) -> SharingAgreement:
    """Records a signed information-sharing agreement; it counts from its start date until the day before its end
    date. One that would overlap another agreement between the same organisation and body for the same scope is
    refused: which of the two counts, and which one ending stops the sharing, would be unclear."""
    if ends_on is not None and ends_on <= starts_on:
        raise AgreementError(_("The end date must be after the start date."))
    with transaction.atomic():
        overlapping = (
            SharingAgreement.objects.select_for_update()
            .filter(organisation=organisation, source_body=source_body, scope=scope)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=starts_on))
            .exclude(ends_on=F("starts_on"))
        )
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lt=ends_on)
        clash = overlapping.order_by("starts_on").first()
        if clash is not None:
            raise AgreementError(
                _("Agreement %(reference)s already covers these dates for this organisation, body and scope.")
                % {"reference": clash.reference}
            )
        agreement = SharingAgreement.objects.create(
            organisation=organisation,
            source_body=source_body,
            scope=scope,
            reference=reference,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit(
            by=by,
            action="identity.agreement_recorded",
            target=f"agreement:{agreement.pk}",
            detail={"organisation": organisation.code, "source_body": source_body, "scope": scope,
                    "reference": reference, "starts_on": str(starts_on), "ends_on": str(ends_on or "")},
            actor_label=actor_label,
        )  # fmt: skip
    return agreement


def end_agreement(*, by: User, agreement: SharingAgreement, ends_on: date) -> SharingAgreement:
    """Sets the first day an agreement no longer counts: today stops it at once, its start date withdraws it
    before it counted. An end can only be brought forward; a longer agreement is recorded as a new one. The
    end date it already has changes nothing and is not audited again."""
    with transaction.atomic():
        current = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
        previous = current.ends_on
        if current.has_ended(timezone.localdate()):
            raise AgreementError(_("This agreement has already ended."))
        if ends_on < current.starts_on:
            raise AgreementError(
                _("An agreement cannot end before it starts. End it on its start date to withdraw it.")
            )
        if previous is not None and ends_on > previous:
            raise AgreementError(
                _("An end date can only be brought forward. Record a new agreement to extend it.")
            )
        if ends_on == previous:  # already ending that day: nothing changes, and nothing is recorded again
            return current
        current.ends_on = ends_on
        current.save(update_fields=["ends_on"])
        audit(
            by=by,
            action="identity.agreement_ended",
            target=f"agreement:{current.pk}",
            detail={"ends_on": str(ends_on), "previous_ends_on": str(previous or "")},
        )
    return current
