"""Builders for organisations and staff accounts."""

from functools import cache

from accounts.actions import OrganisationRow, apply_organisation_rows, organisation_rows
from accounts.models import Organisation, OrganisationKind, Role, User

PASSWORD = "a long passphrase 1"
_FORCES = (OrganisationKind.POLICE_FORCE, OrganisationKind.NON_TERRITORIAL_FORCE)


def organisation(
    code: str, *, kind: str = OrganisationKind.POLICE_FORCE, name: str = "", forces: list[str] | None = None
) -> Organisation:
    found, created = Organisation.objects.get_or_create(
        code=code, defaults={"name": name or code, "kind": kind}
    )
    if created and forces is None and kind in _FORCES:
        forces = [code]  # a force covers its own area, as the reference data says
    for force_code in forces or []:
        found.forces.add(found if force_code == code else organisation(force_code))
    return found


def user(
    username: str, *, role: str = Role.ANALYST, organisation_code: str = "E23000036", **extra: object
) -> User:
    return User.objects.create_user(
        username,
        password=PASSWORD,
        organisation=Organisation.objects.get(code=organisation_code),
        role=role,
        **extra,
    )


@cache
def _standard_rows() -> list[OrganisationRow]:
    from analytics.standard import load_standard

    standard = load_standard("1")
    return organisation_rows(standard.bodies, standard.forces)


def all_organisations() -> None:
    """Every organisation in version 1 of the standard, with the force areas each serves."""
    apply_organisation_rows(_standard_rows())


def one_of_each_role() -> dict[str, User]:
    """Needs `all_organisations()` first."""
    return {
        Role.SUBMITTER: user("submitter", role=Role.SUBMITTER),
        Role.ANALYST: user("analyst", role=Role.ANALYST),
        Role.LOCAL_REVIEWER: user("reviewer", role=Role.LOCAL_REVIEWER, organisation_code="LPB-E23000036"),
        Role.NATIONAL_ANALYST: user("national", role=Role.NATIONAL_ANALYST, organisation_code="MOJ"),
        Role.ADMINISTRATOR: user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ"),
    }
