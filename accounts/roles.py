"""Which roles fit which kinds of organisation. A role outside its kinds is refused when an account is made."""

from django.utils.translation import gettext

from accounts.models import Organisation, OrganisationKind, Role

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


def role_refusal(role: str, organisation: Organisation | None) -> str:
    """Why `role` cannot be given in `organisation`, in the reader's language."""
    label = Role(role).label if role in Role.values else role
    if organisation is None:
        return gettext("The role %(role)s needs an organisation") % {"role": label}
    return gettext("The role %(role)s cannot be given in %(organisation)s (%(kind)s)") % {
        "role": label,
        "organisation": organisation.name,
        "kind": organisation.get_kind_display(),
    }
