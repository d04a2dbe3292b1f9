"""Which roles fit which kinds of organisation. A role outside its kinds is refused when an account is made."""

from accounts.models import OrganisationKind, Role

SUBMITTING_KINDS = frozenset(
    {
        OrganisationKind.POLICE_FORCE,
        OrganisationKind.NON_TERRITORIAL_FORCE,
        OrganisationKind.CPS_AREA,
        OrganisationKind.WITNESS_CARE_UNIT,
        OrganisationKind.HMCTS,
        OrganisationKind.PROBATION_REGION,
        OrganisationKind.YOUTH_JUSTICE_SERVICE,
    }
)

ROLE_KINDS: dict[str, frozenset[str]] = {
    Role.SUBMITTER: SUBMITTING_KINDS,
    Role.ANALYST: SUBMITTING_KINDS,
    Role.LOCAL_REVIEWER: frozenset({OrganisationKind.LOCAL_POLICING_BODY}),
    Role.NATIONAL_ANALYST: frozenset({OrganisationKind.NATIONAL}),
    Role.ADMINISTRATOR: frozenset({OrganisationKind.NATIONAL}),
}


def role_fits(role: str, kind: str) -> bool:
    return kind in ROLE_KINDS.get(role, frozenset())


def roles_for_kind(kind: str) -> list[str]:
    return [role for role, kinds in ROLE_KINDS.items() if kind in kinds]
