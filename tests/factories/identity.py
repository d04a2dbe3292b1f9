"""Builders for identity tests: people, staff with roles, sharing agreements."""

from datetime import date

from accounts.models import Organisation, Role, User
from identity.models import SharingAgreement
from identity.services import VictimIdentity

_KINDS = {"CPS": "cps_area", "WCU": "witness_care_unit", "NAT": "national", "PR-": "probation_region"}


def organisation(code: str = "E23000036", name: str = "") -> Organisation:
    kind = next((kind for prefix, kind in _KINDS.items() if code.startswith(prefix)), "police_force")
    found, created = Organisation.objects.get_or_create(
        code=code, defaults={"name": name or code, "kind": kind}
    )
    if created and kind == "police_force":
        found.forces.add(found)  # a force covers its own area, as the reference data says
    return found


def staff(
    username: str = "analyst", *, role: str = Role.ANALYST, organisation_code: str = "E23000036"
) -> User:
    return User.objects.create_user(
        username, password="a long passphrase 1", organisation=organisation(organisation_code), role=role
    )


def agreement(
    viewer: User,
    source_body: str,
    *,
    scope: str = SharingAgreement.Scope.PERSON_VIEW,
    starts_on: date = date(2025, 1, 1),
    ends_on: date | None = None,
) -> SharingAgreement:
    assert viewer.organisation is not None
    return SharingAgreement.objects.create(
        organisation=viewer.organisation,
        source_body=source_body,
        scope=scope,
        reference=f"ISA-{viewer.organisation.code}-{source_body}",
        starts_on=starts_on,
        ends_on=ends_on,
    )


def person(person_ref: str, **fields) -> VictimIdentity:
    defaults = {
        "given_name": "Amelia",
        "family_name": "Thornbury",
        "date_of_birth": date(1988, 4, 12),
        "postcode": "BS1 4DJ",
        "email": "amelia@example.org",
        "phone": "07700 900123",
    }
    return VictimIdentity(person_ref=person_ref, **{**defaults, **fields})
