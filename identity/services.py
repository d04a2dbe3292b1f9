"""What other parts of the product ask of identity: register victims, age bands, match a person.

Personal data comes in here and stays in the vault; only JJNs and age bands come out.
"""

import hmac
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from accounts.audit import record as audit
from accounts.models import User
from identity import crypto, jjn, matching
from identity.access import PURPOSE_MIN_LENGTH
from identity.bulk import insert_rows
from identity.matching import blocking_hashes, normalised
from identity.models import BlockingKey, JusticeJourneyNumber, VictimRecord, VictimRecordVersion
from identity.models.vault import ENCRYPTED_FIELDS
from identity.registry import allocate, resolve_ids
from identity.routers import VAULT_DB

CHUNK = 900  # stays under every database's limit on query parameters
BODY_CODE_LENGTH = 64  # as accounts.Organisation.code
AGE_BANDS = ((0, 17, "0-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 49, "35-49"), (50, 64, "50-64"))
OLDEST_BAND = "65+"


@dataclass(frozen=True, slots=True)
class VictimIdentity:
    """One `victims` row's identifying fields, as a body sent them."""

    person_ref: str
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    postcode: str | None = None
    email: str | None = None
    phone: str | None = None
    jjn: str | None = None
    previous_names: str | None = None


class InvalidVictimRecord(ValueError):
    """A record the vault cannot take; the message names the row and the column."""


def _chunks[T](items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _digest(identity: VictimIdentity) -> str:
    raw = "\x1f".join(
        str(value or "")
        for value in (
            identity.given_name,
            identity.family_name,
            identity.previous_names,
            identity.date_of_birth.isoformat() if identity.date_of_birth else "",
            identity.postcode,
            identity.email,
            identity.phone,
        )
    )
    return hmac.digest(crypto.keys().index, b"digest\x1f" + raw.encode(), "sha256").hex()[:40]


def _personal_fields(identity: VictimIdentity) -> dict[str, object]:
    dob = identity.date_of_birth
    return {
        "given_name": crypto.encrypt("given_name", identity.given_name),
        "family_name": crypto.encrypt("family_name", identity.family_name),
        "previous_names": crypto.encrypt("previous_names", identity.previous_names),
        "date_of_birth": crypto.encrypt("date_of_birth", dob.isoformat() if dob else None),
        "postcode": crypto.encrypt("postcode", identity.postcode),
        "email": crypto.encrypt("email", identity.email),
        "phone": crypto.encrypt("phone", identity.phone),
        "name_dob_index": crypto.name_dob_index(identity.given_name, identity.family_name, dob),
        "postcode_index": crypto.postcode_index(identity.postcode),
        "email_index": crypto.email_index(identity.email),
        "fields_digest": _digest(identity),
    }


_UPDATED_FIELDS = [
    "given_name",
    "family_name",
    "previous_names",
    "date_of_birth",
    "postcode",
    "email",
    "phone",
    "name_dob_index",
    "postcode_index",
    "email_index",
    "fields_digest",
    "updated_at",
]


def _raw(identity: VictimIdentity) -> dict[str, object]:
    return {
        "given_name": identity.given_name,
        "family_name": identity.family_name,
        "date_of_birth": identity.date_of_birth,
        "postcode": identity.postcode,
        "email": identity.email,
        "phone": identity.phone,
    }


def _write_blocking_keys(records: list[tuple[int, VictimIdentity]], *, replace: bool) -> None:
    if replace:
        ids = [record_id for record_id, _identity in records]
        for chunk in _chunks(ids):
            BlockingKey.objects.using(VAULT_DB).filter(record_id__in=chunk).delete()
    insert_rows(
        BlockingKey,
        ["record", "key"],
        [
            (record_id, key)
            for record_id, identity in records
            for key in dict.fromkeys(blocking_hashes(normalised(_raw(identity))))
        ],
    )


def _checked(body: str, records: Iterable[VictimIdentity]) -> list[VictimIdentity]:
    if not body or len(body) > BODY_CODE_LENGTH:
        raise InvalidVictimRecord(f"the body code {body!r} is not a body code")
    rows = list(records)
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        born: object = row.date_of_birth
        if isinstance(born, datetime):
            rows[number - 1] = row = replace(row, date_of_birth=born.date())
        elif isinstance(born, str):
            try:
                rows[number - 1] = row = replace(
                    row, date_of_birth=date.fromisoformat(born) if born else None
                )
            except ValueError:
                raise InvalidVictimRecord(
                    f"row {number}, column date_of_birth: {born!r} is not a date (YYYY-MM-DD)"
                ) from None
        if not row.person_ref or len(row.person_ref) > 100:
            raise InvalidVictimRecord(
                f"row {number}, column person_ref: a reference of 1 to 100 characters is needed"
            )
        if row.person_ref in seen:
            raise InvalidVictimRecord(
                f"row {number}, column person_ref: {row.person_ref!r} is also on row {seen[row.person_ref]}"
            )
        seen[row.person_ref] = number
        if not row.jjn and not (row.given_name and row.family_name):
            raise InvalidVictimRecord(
                f"row {number}, columns given_name and family_name: both are required when there is no jjn"
            )
    return rows


def _known_numbers(numbers: set[str]) -> dict[str, int]:
    """Registry id of the number each given JJN now stands for (following merges)."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(numbers)):
        found.update(
            JusticeJourneyNumber.objects.using(VAULT_DB).filter(number__in=chunk).values_list("number", "id")
        )
    current = resolve_ids(set(found.values()))
    return {number: current[number_id] for number, number_id in found.items()}


def _numbers_by_name_and_birth(indexes: set[str]) -> dict[str, int]:
    """For each name+DOB key already in the vault, the oldest number holding it."""
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(indexes)):
        for index, number_id in (
            VictimRecord.objects.using(VAULT_DB)
            .filter(name_dob_index__in=chunk)
            .values_list("name_dob_index", "jjn_id")
        ):
            if index is not None:
                found[index] = min(number_id, found.get(index, number_id))
    current = resolve_ids(set(found.values()))
    return {index: current[number_id] for index, number_id in found.items()}


def register_victims(
    *,
    body: str,
    records: Iterable[VictimIdentity],
    by: User | None,
    corrected: set[str] | None = None,
    submission: int | None = None,
    actor_label: str = "",
) -> dict[str, str]:
    """Stores a body's victims in the vault and returns each person_ref's JJN (display form).

    A record keeps the JJN it already has. A new record takes the JJN the body gave, when it is
    valid; else the JJN of a vault record with the same normalised name and date of birth; else
    a new one. People in the same batch with the same name and date of birth share a new JJN.

    A record whose personal details differ from those held is corrected: the details it held are kept as a
    `VictimRecordVersion` (naming the submission that replaced them, when given), and its person_ref is added
    to `corrected` when that set is given.

    `actor_label` names who sent them when `by` is None (an API token, the command line), as their
    submission's audit entry does.
    """
    rows = _checked(body, records)
    actor_label = by.get_username() if by is not None else actor_label or "ingest"
    counts: dict[str, int] = defaultdict(int)
    number_of: dict[int, str] = {}  # registry id -> compact number, for the answer

    with transaction.atomic(using=VAULT_DB):
        existing: dict[str, tuple[int, int, str]] = {}
        for chunk in _chunks([row.person_ref for row in rows]):
            for record_id, person_ref, number_id, digest in (
                VictimRecord.objects.using(VAULT_DB)
                .filter(body=body, person_ref__in=chunk)
                .values_list("id", "person_ref", "jjn_id", "fields_digest")
            ):
                existing[person_ref] = (record_id, number_id, digest)

        new_rows = [row for row in rows if row.person_ref not in existing]
        given: dict[str, str] = {}
        for row in new_rows:
            if row.jjn:
                try:
                    given[row.person_ref] = jjn.parse(row.jjn)
                except jjn.InvalidJJN:
                    counts["invalid_jjn_ignored"] += 1
        known = _known_numbers(set(given.values()))
        unknown_given = sorted(set(given.values()) - set(known))
        if unknown_given:
            # A well-formed number from a body that this registry has not issued is recorded as
            # received, so that it keeps one meaning from now on.
            for number in allocate(
                count=len(unknown_given),
                origin=JusticeJourneyNumber.Origin.RECEIVED,
                actor_label=actor_label,
                numbers=unknown_given,
            ):
                known[number.number] = number.id
                number_of[number.id] = number.number
            counts["jjn_received"] += len(unknown_given)

        fields = {row.person_ref: _personal_fields(row) for row in new_rows}
        assigned: dict[str, int] = {}
        unmatched: list[VictimIdentity] = []
        for row in new_rows:
            if row.person_ref in given:
                assigned[row.person_ref] = known[given[row.person_ref]]
                counts["jjn_given"] += 1
            else:
                unmatched.append(row)
        by_index = _numbers_by_name_and_birth(
            {
                str(fields[row.person_ref]["name_dob_index"])
                for row in unmatched
                if fields[row.person_ref]["name_dob_index"]
            }
        )
        needing_new: dict[str, list[str]] = defaultdict(list)
        for row in unmatched:
            index = fields[row.person_ref]["name_dob_index"]
            if index and index in by_index:
                assigned[row.person_ref] = by_index[str(index)]
                counts["matched_name_dob"] += 1
            else:
                needing_new[str(index) if index else f"ref:{row.person_ref}"].append(row.person_ref)
        if needing_new:
            fresh = allocate(
                count=len(needing_new), origin=JusticeJourneyNumber.Origin.ALLOCATED, actor_label=actor_label
            )
            for person_refs, number in zip(needing_new.values(), fresh, strict=True):
                number_of[number.id] = number.number
                for person_ref in person_refs:
                    assigned[person_ref] = number.id
            counts["jjn_new"] += len(fresh)

        now = timezone.now()
        _record_columns = ["body", "person_ref", "jjn", "created_at", "updated_at", *_UPDATED_FIELDS[:-1]]
        insert_rows(
            VictimRecord,
            _record_columns,
            [
                (
                    body,
                    row.person_ref,
                    assigned[row.person_ref],
                    now,
                    now,
                    *(fields[row.person_ref][name] for name in _UPDATED_FIELDS[:-1]),
                )
                for row in new_rows
            ],
        )
        new_ids: dict[str, int] = {}
        for chunk in _chunks([row.person_ref for row in new_rows]):
            new_ids.update(
                VictimRecord.objects.using(VAULT_DB)
                .filter(body=body, person_ref__in=chunk)
                .values_list("person_ref", "id")
            )
        counts["records_new"] = len(new_rows)
        _write_blocking_keys([(new_ids[row.person_ref], row) for row in new_rows], replace=False)

        # A body naming a different JJN for a person it sent before does not move them: the number keeps
        # its meaning. The disagreement is counted so that the body can be asked.
        claimed: dict[str, str] = {}
        for row in rows:
            if row.person_ref in existing and row.jjn and jjn.is_valid(row.jjn):
                claimed[row.person_ref] = jjn.parse(row.jjn)
        claimed_ids = _known_numbers(set(claimed.values()))
        counts["jjn_conflicts"] = sum(
            1 for person_ref, number in claimed.items() if claimed_ids.get(number) != existing[person_ref][1]
        )

        changed = []
        changed_rows = []
        for row in rows:
            if row.person_ref not in existing:
                continue
            record_id, number_id, digest = existing[row.person_ref]
            assigned[row.person_ref] = number_id
            if digest != _digest(row):
                changed.append(VictimRecord(id=record_id, updated_at=now, **_personal_fields(row)))
                changed_rows.append((record_id, row))
        _keep_versions(
            [record_id for record_id, _row in changed_rows],
            now=now,
            by=f"submission {submission}" if submission is not None else actor_label,
        )
        VictimRecord.objects.using(VAULT_DB).bulk_update(changed, _UPDATED_FIELDS, batch_size=500)
        if corrected is not None:
            corrected.update(row.person_ref for _record_id, row in changed_rows)
        _write_blocking_keys(changed_rows, replace=True)
        counts["records_updated"] = len(changed)
        counts["records_unchanged"] = len(existing) - len(changed)

        missing = set(assigned.values()) - set(number_of)
        for id_chunk in _chunks(sorted(missing)):
            number_of.update(
                JusticeJourneyNumber.objects.using(VAULT_DB)
                .filter(id__in=id_chunk)
                .values_list("id", "number")
            )

    audit(
        by=by,
        action="identity.register_victims",
        target=f"body:{body}",
        detail=dict(counts),
        actor_label=actor_label,
    )
    return {row.person_ref: jjn.display(number_of[assigned[row.person_ref]]) for row in rows}


def _keep_versions(record_ids: list[int], *, now: datetime, by: str) -> None:
    """Copies the records' current (encrypted) details into their history before a correction replaces them."""
    for chunk in _chunks(record_ids):
        held = (
            VictimRecord.objects.using(VAULT_DB)
            .filter(id__in=chunk)
            .values_list("id", "updated_at", *ENCRYPTED_FIELDS)
        )
        insert_rows(
            VictimRecordVersion,
            ["record_id", "held_from", "replaced_at", "replaced_by", *ENCRYPTED_FIELDS],
            [(record_id, held_from, now, by, *details) for record_id, held_from, *details in held],
        )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(born: date | None, on: date) -> str | None:
    if born is None or born > on:
        return None
    age = _age(born, on)
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return OLDEST_BAND


def age_bands(keys: Iterable[tuple[str, str, date]]) -> list[str | None]:
    """The age band of each (body, person_ref) on the given date; None when the date of birth is unknown."""
    wanted = list(keys)
    refs_by_body: dict[str, set[str]] = defaultdict(set)
    for body, person_ref, _on in wanted:
        refs_by_body[body].add(person_ref)
    born: dict[tuple[str, str], date | None] = {}
    for body, person_refs in refs_by_body.items():
        for chunk in _chunks(sorted(person_refs)):
            for person_ref, token in (
                VictimRecord.objects.using(VAULT_DB)
                .filter(body=body, person_ref__in=chunk)
                .values_list("person_ref", "date_of_birth")
            ):
                value = crypto.decrypt("date_of_birth", token)
                born[(body, person_ref)] = date.fromisoformat(value) if value else None
    return [age_band(born.get((body, person_ref)), on) for body, person_ref, on in wanted]


MAX_CANDIDATES = 200
# Oversight organisations see results; they do not record victims, so they cannot hold a vault record.
_NOT_RECORDING_KINDS = frozenset({"national", "local_policing_body"})
SHOWN_CANDIDATES = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    jjn: str
    probability: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """`matched` (one certain JJN), `candidates` (a person should choose), `none`, or `allocated`."""

    status: str
    jjn: str | None = None
    candidates: tuple[Candidate, ...] = ()
    # A new number was asked for but not issued: someone may already hold one (see `match_person`).
    new_number_held: bool = False


class MatchRefused(ValueError):
    """Online matching needs a stated purpose and enough details to search on."""


def _details(details: VictimIdentity | dict[str, object]) -> VictimIdentity:
    if isinstance(details, VictimIdentity):
        return details
    known = {
        name: details.get(name) for name in VictimIdentity.__slots__ if details.get(name) not in (None, "")
    }
    known.setdefault("person_ref", "")
    return VictimIdentity(**known)  # type: ignore[arg-type]


def _candidates(hashes: list[str]) -> list[tuple[int, dict[str, str | None]]]:
    # Records sharing the most blocking keys first, so that a common name cannot crowd out the person.
    nearest = (
        BlockingKey.objects.using(VAULT_DB)
        .filter(key__in=hashes)
        .values("record_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "record_id")
        .values("record_id")[:MAX_CANDIDATES]
    )
    rows = (
        VictimRecord.objects.using(VAULT_DB)
        .filter(id__in=nearest)
        .values_list("jjn_id", "given_name", "family_name", "date_of_birth", "postcode", "email", "phone")
    )
    found = []
    for number_id, *tokens in rows:
        values = dict(
            zip(
                ("given_name", "family_name", "date_of_birth", "postcode", "email", "phone"),
                tokens,
                strict=True,
            )
        )
        found.append((number_id, {name: crypto.decrypt(name, token) for name, token in values.items()}))
    return found


def match_person(
    details: VictimIdentity | dict[str, object],
    *,
    allocate: bool = False,
    none_of_these: bool = False,
    by: User | None,
    purpose: str,
    body: str = "",
) -> MatchResult:
    """Finds a person's JJN from their details: the JJN when one match is certain, else candidates.

    With `allocate=True` and no certain match, a new JJN is issued and the details are stored in
    the vault under `body` (the user's organisation by default) so that the number is found next time. When
    there are candidates, a new number is issued only with `none_of_these=True` (someone has checked that none
    of them is the person); otherwise the candidates come back with `new_number_held`, so that searching
    again (a page sent twice) never issues a second number for one person.
    """
    if len(purpose.strip()) < PURPOSE_MIN_LENGTH:
        raise MatchRefused(
            f"say why you are looking this person up, in at least {PURPOSE_MIN_LENGTH} characters"
        )
    person = _details(details)
    owner = _new_person_body(by, body) if allocate else ""  # refused before the vault is searched
    query = normalised(_raw(person))
    hashes = blocking_hashes(query)
    if not hashes:
        raise MatchRefused(
            "give an e-mail address, a phone number, a date of birth with a name, or a given name with a postcode"
        )
    scorer = matching.scorer()
    best: dict[int, float] = {}
    for number_id, candidate in _candidates(hashes):
        probability = scorer.score(query, normalised(candidate))
        best[number_id] = max(probability, best.get(number_id, 0.0))
    ranked = sorted(
        (
            (probability, number_id)
            for number_id, probability in best.items()
            if probability >= matching.THRESHOLDS.lower
        ),
        reverse=True,
    )
    certain = (
        len(ranked) >= 1
        and ranked[0][0] >= matching.THRESHOLDS.upper
        and (len(ranked) == 1 or ranked[1][0] < matching.THRESHOLDS.lower)
    )
    numbers = dict(
        JusticeJourneyNumber.objects.using(VAULT_DB)
        .filter(id__in=[number_id for _p, number_id in ranked[:SHOWN_CANDIDATES]])
        .values_list("id", "number")
    )
    candidates = tuple(
        Candidate(jjn.display(numbers[number_id]), round(probability, 4))
        for probability, number_id in ranked[:SHOWN_CANDIDATES]
    )
    if certain:
        result = MatchResult("matched", candidates[0].jjn, candidates)
    elif allocate and candidates and not none_of_these:
        result = MatchResult("candidates", None, candidates, new_number_held=True)
    elif allocate:
        result = MatchResult("allocated", _register_new_person(person, by=by, owner=owner), candidates)
    else:
        result = MatchResult("candidates" if candidates else "none", None, candidates)
    audit(
        by=by,
        action="identity.match",
        target=f"jjn:{result.jjn}" if result.jjn else "",
        purpose=purpose,
        detail={
            "status": result.status,
            "candidates": len(candidates),
            "new_number_held": result.new_number_held,
        },
        actor_label="online matching",
    )
    return result


def _new_person_body(by: User | None, body: str) -> str:
    """The body a new number's record is kept under: `body`, or the user's own if it records victims."""
    organisation = by.organisation if by is not None else None
    if not body and organisation is not None and organisation.kind in _NOT_RECORDING_KINDS:
        raise MatchRefused("only a body that records victims can issue a new number")
    owner = body or (organisation.code if organisation is not None else "")
    if not owner:
        raise MatchRefused("a new number needs the body that records this person")
    return owner


def _register_new_person(person: VictimIdentity, *, by: User | None, owner: str) -> str:
    label = by.get_username() if by is not None else "online matching"
    with transaction.atomic(using=VAULT_DB):
        (number,) = allocate(count=1, origin=JusticeJourneyNumber.Origin.ALLOCATED, actor_label=label)
        person_ref = person.person_ref or f"online-{number.number}"
        if VictimRecord.objects.using(VAULT_DB).filter(body=owner, person_ref=person_ref).exists():
            raise MatchRefused(f"{owner} already has a person with the reference {person_ref}")
        now = timezone.now()
        record = VictimRecord.objects.using(VAULT_DB).create(
            body=owner,
            person_ref=person_ref,
            jjn=number,
            created_at=now,
            updated_at=now,
            **_personal_fields(person),
        )
        _write_blocking_keys([(record.id, person)], replace=False)
    return number.display
