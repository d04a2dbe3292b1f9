"""Demonstration accounts, one per role, with known passwords. Never for a live service."""

from dataclasses import dataclass

from django.db import transaction

from accounts.audit import record
from accounts.models import Organisation, OrganisationKind, Role, User
from accounts.roles import role_fits


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    organisation_code: str
    organisation_name: str


# (username, role, organisation code); the password is derived so that it is known and documented.
DEMO_SPECS = [
    ("submitter", Role.SUBMITTER, "E23000036"),
    ("analyst", Role.ANALYST, "E23000036"),
    ("reviewer", Role.LOCAL_REVIEWER, "LPB-E23000036"),
    ("national", Role.NATIONAL_ANALYST, "MOJ"),
    ("admin", Role.ADMINISTRATOR, "MOJ"),
    ("cps-submitter", Role.SUBMITTER, "CPS-SW"),
]

# Used only when the reference data has not been loaded, so the demo still has somewhere to put people.
_FALLBACK_ORGANISATIONS = {
    "E23000036": ("Avon and Somerset", OrganisationKind.POLICE_FORCE, ["E23000036"]),
    "LPB-E23000036": (
        "Avon and Somerset Police and Crime Commissioner",
        OrganisationKind.LOCAL_POLICING_BODY,
        ["E23000036"],
    ),
    "CPS-SW": ("CPS South West", OrganisationKind.CPS_AREA, ["E23000036"]),
    "MOJ": ("Ministry of Justice", OrganisationKind.NATIONAL, []),
}


def demo_password(username: str) -> str:
    return f"demo-{username}-justice-journey"


def _organisation(code: str) -> Organisation:
    organisation = Organisation.objects.filter(code=code).first()
    if organisation is not None:
        return organisation
    name, kind, forces = _FALLBACK_ORGANISATIONS[code]
    organisation = Organisation.objects.create(code=code, name=name, kind=kind)
    for force_code in forces:
        organisation.forces.add(_organisation(force_code) if force_code != code else organisation)
    return organisation


def create_demo_accounts() -> list[DemoAccount]:
    """Creates (or resets) one account per role; running it twice changes nothing but the passwords' salts."""
    accounts = []
    with transaction.atomic():
        for username, role, code in DEMO_SPECS:
            organisation = _organisation(code)
            if not role_fits(role, organisation.kind):
                raise ValueError(
                    f"Demo account {username}: {role} does not fit {code} ({organisation.kind})."
                )
            user, created = User.objects.get_or_create(
                username=username, defaults={"organisation": organisation}
            )
            user.organisation, user.role, user.is_active = organisation, role, True
            user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
            user.set_password(demo_password(username))
            user.save()
            if created:
                record(
                    by=None,
                    action="account.create",
                    target=f"user:{username}",
                    detail={"role": role, "organisation": code, "demo": True},
                    actor_label="demo_accounts",
                )
            accounts.append(DemoAccount(username, demo_password(username), role, code, organisation.name))
    return accounts
