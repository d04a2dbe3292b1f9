import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.actions import create_user, sync_organisations
from accounts.demo import create_demo_accounts, demo_password
from accounts.models import AuditEvent, Organisation, Role, User
from tests.factories import accounts as factories

pytestmark = pytest.mark.django_db


def test_sync_creates_every_body_once_with_its_force_areas_and_the_national_organisations(capsys):
    call_command("sync_organisations")
    assert "created" in capsys.readouterr().out
    kinds = dict(
        Organisation.objects.filter(
            code__in=["E23000036", "LPB-E23000036", "CPS-SW", "MOJ", "VC", "BTP"]
        ).values_list("code", "kind")
    )
    assert kinds == {
        "E23000036": "police_force",
        "LPB-E23000036": "local_policing_body",
        "CPS-SW": "cps_area",
        "MOJ": "national",
        "VC": "national",
        "BTP": "non_territorial_force",
    }
    cps = Organisation.objects.get(code="CPS-SW")
    assert set(cps.forces.values_list("code", flat=True)) == {"E23000035", "E23000036", "E23000037"}
    count = Organisation.objects.count()

    assert sync_organisations() == {"created": 0, "updated": 0, "unchanged": count}
    assert Organisation.objects.count() == count
    assert AuditEvent.objects.filter(action="organisations.sync").count() == 2


def test_sync_corrects_a_renamed_organisation_and_keeps_its_accounts():
    factories.organisation("E23000036", name="Old name")
    user = factories.user("analyst")
    counts = sync_organisations()
    assert counts["updated"] == 1
    user.refresh_from_db()
    assert user.organisation.name == "Avon and Somerset"


def test_create_user_refuses_a_role_that_does_not_fit_the_organisation():
    police = factories.organisation("E23000036", name="Avon and Somerset")
    with pytest.raises(ValidationError, match="Local reviewer cannot be given in Avon and Somerset"):
        create_user(
            by=None,
            username="x",
            password="a long passphrase 1",
            organisation=police,
            role=Role.LOCAL_REVIEWER,
        )
    assert not User.objects.filter(username="x").exists()
    created = create_user(
        by=None, username="y", password="a long passphrase 1", organisation=police, role=Role.SUBMITTER
    )
    assert AuditEvent.objects.get(action="account.create").target == f"user:{created.username}"


def test_demo_accounts_one_per_role_idempotent_and_able_to_sign_in(client, settings):
    settings.SESSION_COOKIE_SECURE = False
    factories.all_organisations()
    first = create_demo_accounts()
    second = create_demo_accounts()
    assert first == second
    assert [(a.username, a.role, a.organisation_code) for a in first] == [
        ("submitter", "submitter", "E23000036"),
        ("analyst", "analyst", "E23000036"),
        ("reviewer", "local_reviewer", "LPB-E23000036"),
        ("national", "national_analyst", "MOJ"),
        ("admin", "administrator", "MOJ"),
        ("cps-submitter", "submitter", "CPS-SW"),
    ]
    assert User.objects.count() == 6
    response = client.post(
        "/account/sign-in/", {"username": "reviewer", "password": demo_password("reviewer")}
    )
    assert response.status_code == 302


def test_demo_accounts_work_before_the_reference_data_is_loaded():
    create_demo_accounts()
    reviewer = User.objects.get(username="reviewer")
    assert reviewer.organisation.kind == "local_policing_body"
    assert set(reviewer.organisation.forces.values_list("code", flat=True)) == {"E23000036"}


def test_the_demo_accounts_command_refuses_without_debug_or_force(capsys, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to create demo accounts"):
        call_command("demo_accounts")
    assert not User.objects.exists()
    call_command("demo_accounts", "--force")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["username", "password", "role", "organisation"]
    assert lines[3].split()[:4] == ["reviewer", demo_password("reviewer"), "local_reviewer", "LPB-E23000036"]
    assert len(lines) == 7


def test_sync_refuses_an_unknown_standard_version_plainly():
    with pytest.raises(CommandError, match="99"):
        call_command("sync_organisations", "--standard-version", "99")
    assert not Organisation.objects.exists()
