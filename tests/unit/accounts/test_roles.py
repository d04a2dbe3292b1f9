import pytest

from accounts.actions import organisation_rows
from accounts.models import OrganisationKind, Role
from accounts.roles import role_fits, roles_for_kind


@pytest.mark.parametrize(
    ("role", "kind", "fits"),
    [
        (Role.SUBMITTER, OrganisationKind.POLICE_FORCE, True),
        (Role.SUBMITTER, OrganisationKind.CPS_AREA, True),
        (Role.SUBMITTER, OrganisationKind.LOCAL_POLICING_BODY, False),
        (Role.SUBMITTER, OrganisationKind.NATIONAL, False),
        (Role.ANALYST, OrganisationKind.YOUTH_JUSTICE_SERVICE, True),
        (Role.LOCAL_REVIEWER, OrganisationKind.LOCAL_POLICING_BODY, True),
        (Role.LOCAL_REVIEWER, OrganisationKind.POLICE_FORCE, False),
        (Role.NATIONAL_ANALYST, OrganisationKind.NATIONAL, True),
        (Role.NATIONAL_ANALYST, OrganisationKind.POLICE_FORCE, False),
        (Role.ADMINISTRATOR, OrganisationKind.NATIONAL, True),
        (Role.ADMINISTRATOR, OrganisationKind.CPS_AREA, False),
        ("superuser", OrganisationKind.NATIONAL, False),
    ],
)
def test_role_fits_organisation_kind(role, kind, fits):
    assert role_fits(role, kind) is fits


def test_a_local_policing_body_offers_only_the_reviewer_role():
    assert roles_for_kind(OrganisationKind.LOCAL_POLICING_BODY) == [Role.LOCAL_REVIEWER]


def test_organisation_rows_take_forces_from_the_bodies_and_add_the_national_organisations():
    bodies = {
        "E23000036": {
            "code": "E23000036",
            "name": "Avon and Somerset",
            "body_type": "police_force",
            "forces": ("E23000036",),
        },
        "CPS-SW": {"code": "CPS-SW", "name": "CPS South West", "body_type": "cps_area", "forces": ()},
    }
    forces = [
        {
            "code": "E23000036",
            "name": "Avon and Somerset",
            "local_policing_body": "LPB-E23000036",
            "cps_area": "CPS-SW",
            "probation_region": "PR-SW",
        }
    ]
    rows = {row.code: row for row in organisation_rows(bodies, forces)}
    assert set(rows) == {"E23000036", "CPS-SW", "LPB-E23000036", "MOJ", "VC"}
    # A body without its own list of forces is placed by the forces table.
    assert rows["CPS-SW"].forces == {"E23000036"}
    assert (rows["LPB-E23000036"].kind, rows["LPB-E23000036"].forces) == (
        "local_policing_body",
        {"E23000036"},
    )
    assert (rows["MOJ"].name, rows["MOJ"].kind) == ("Ministry of Justice", "national")
    assert rows["VC"].name == "Victims' Commissioner's office"
