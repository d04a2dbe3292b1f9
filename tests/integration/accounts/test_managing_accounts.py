"""Administrators make and change accounts; a temporary password works once, then its holder chooses their own."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from accounts import actions
from accounts.models import AuditEvent, Role, User
from accounts.queries import find_accounts
from tests.factories import accounts as factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a fresh long passphrase 7"


@pytest.fixture
def admin(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    factories.organisation("E23000036", name="Avon and Somerset")
    factories.organisation("MOJ", kind="national", name="Ministry of Justice")
    return factories.user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ")


@pytest.fixture
def as_admin(client, admin):
    client.force_login(admin)
    return client


def shown_password(page: str) -> str:
    match = re.search(r"<code data-temporary-password>([a-z0-9-]+)</code>", page)
    assert match, "no temporary password on the page"
    return match[1]


def sign_in(username: str, password: str) -> tuple[Client, int]:
    person = Client()
    response = person.post("/account/sign-in/", {"username": username, "password": password})
    return person, response.status_code


def test_an_administrator_creates_an_account_whose_holder_must_choose_a_password(as_admin):
    response = as_admin.post(
        "/account/users/new/",
        {
            "username": "j.smith",
            "email": "",
            "organisation": factories.organisation("E23000036").pk,
            "role": "analyst",
        },
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = shown_password(response.content.decode())
    created = User.objects.get(username="j.smith")
    assert (created.role, created.organisation.code, created.must_change_password) == (
        "analyst",
        "E23000036",
        True,
    )
    assert password not in created.password  # only its hash is kept
    event = AuditEvent.objects.get(action="account.create")
    assert (event.actor_label, event.target) == ("admin", "user:j.smith")

    person, status = sign_in("j.smith", password)
    assert status == 302
    # Every page leads to choosing a password first.
    assert person.get("/compliance/")["Location"] == "/account/password/"
    assert person.get("/account/")["Location"] == "/account/password/"
    page = person.get("/account/password/").content.decode()
    assert "You signed in with a temporary password" in page

    changed = person.post(
        "/account/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed["Location"] == "/account/"
    assert "Your password has been changed." in person.get("/account/").content.decode()
    assert person.get("/compliance/").status_code == 200
    created.refresh_from_db()
    assert not created.must_change_password
    assert AuditEvent.objects.filter(action="account.password_change", actor_label="j.smith").exists()
    assert sign_in("j.smith", password)[1] == 200  # the temporary one no longer works
    assert sign_in("j.smith", NEW_PASSWORD)[1] == 302


def test_a_role_that_does_not_fit_the_organisation_and_a_taken_name_are_refused_beside_their_fields(as_admin):
    page = as_admin.post(
        "/account/users/new/",
        {
            "username": "ADMIN",
            "organisation": factories.organisation("E23000036").pk,
            "role": "local_reviewer",
        },
    ).content.decode()
    assert "There is a problem" in page
    assert "There is already an account with this user name" in page
    assert "The role Local reviewer cannot be given in Avon and Somerset (Territorial police force)" in page
    assert User.objects.count() == 1


def test_a_new_password_must_be_strong_and_typed_twice_alike(client, admin):
    client.force_login(admin)
    page = client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": "123456789012", "new_password2": "different"},
    ).content.decode()
    assert "Your current password is not right. Enter it again" in page
    page = client.post(
        "/account/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "123456789012",
            "new_password2": "123456789012",
        },
    ).content.decode()
    assert "This password is entirely numeric." in page
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def test_a_new_password_must_not_contain_the_user_name_whatever_its_case(client, admin):
    client.force_login(admin)
    password = "correcthorseADMINbatterystaple"
    page = client.post(
        "/account/password/",
        {"old_password": factories.PASSWORD, "new_password1": password, "new_password2": password},
    ).content.decode()
    assert "Your password must not contain your user name." in page
    assert not AuditEvent.objects.filter(action="account.password_change").exists()
    admin.refresh_from_db()
    assert admin.check_password(factories.PASSWORD)


def test_the_role_is_changed_within_the_roles_the_organisation_allows(as_admin):
    factories.user("sam", role=Role.ANALYST)
    page = as_admin.get("/account/users/sam/").content.decode()
    offered = re.findall(r'<option value="([a-z_]+)"', page)
    assert offered == ["submitter", "analyst"]

    assert as_admin.post("/account/users/sam/role/", {"role": "submitter"}).status_code == 302
    assert User.objects.get(username="sam").role == "submitter"
    event = AuditEvent.objects.get(action="account.role_change")
    assert event.detail == {"from": "analyst", "to": "submitter"}

    refused = as_admin.post("/account/users/sam/role/", {"role": "administrator"})
    assert refused.status_code == 400
    assert User.objects.get(username="sam").role == "submitter"


def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(as_admin):
    factories.user("sam")
    person, _ = sign_in("sam", factories.PASSWORD)
    assert person.get("/account/").status_code == 200

    as_admin.post("/account/users/sam/active/", {"active": "false"})

    assert person.get("/account/").status_code == 302  # signed out
    assert sign_in("sam", factories.PASSWORD)[1] == 200
    as_admin.post("/account/users/sam/active/", {"active": "true"})
    assert sign_in("sam", factories.PASSWORD)[1] == 302
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="account.").order_by("id")] == [
        "account.deactivate",
        "account.reactivate",
    ]


def test_reactivating_an_account_does_not_bring_back_the_sessions_it_had(as_admin):
    factories.user("sam")
    person, _ = sign_in("sam", factories.PASSWORD)

    as_admin.post("/account/users/sam/active/", {"active": "false"})
    as_admin.post("/account/users/sam/active/", {"active": "true"})

    assert person.get("/account/")["Location"] == "/account/sign-in/?next=/account/"
    again, status = sign_in("sam", factories.PASSWORD)  # signing in again works
    assert status == 302 and again.get("/account/").status_code == 200


def test_a_temporary_password_replaces_a_forgotten_one_and_ends_every_session(as_admin):
    factories.user("sam")
    person, _ = sign_in("sam", factories.PASSWORD)

    password = shown_password(as_admin.post("/account/users/sam/password/").content.decode())

    assert person.get("/account/").status_code == 302
    assert sign_in("sam", factories.PASSWORD)[1] == 200
    fresh, status = sign_in("sam", password)
    assert status == 302 and fresh.get("/account/")["Location"] == "/account/password/"
    assert AuditEvent.objects.filter(action="account.password_issue", target="user:sam").exists()


def test_a_temporary_password_signs_in_once_and_that_session_chooses_the_new_password(as_admin):
    factories.user("sam")
    password = shown_password(as_admin.post("/account/users/sam/password/").content.decode())
    first, status = sign_in("sam", password)
    assert status == 302

    second = Client()
    refused = second.post("/account/sign-in/", {"username": "sam", "password": password})

    assert refused.status_code == 200 and "_auth_user_id" not in second.session
    assert (
        "This temporary password has already been used to sign in. Ask your administrator to issue a new one."
        in refused.content.decode()
    )
    event = AuditEvent.objects.get(action="sign_in.refused")
    assert (event.target, event.purpose) == ("user:sam", "temporary password used")
    assert not AuditEvent.objects.filter(action="sign_in.failed").exists()  # no step towards a lockout
    assert "It was used to sign in on" in as_admin.get("/account/users/sam/").content.decode()

    changed = first.post(
        "/account/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert changed["Location"] == "/account/"
    assert sign_in("sam", NEW_PASSWORD)[1] == 302
    assert sign_in("sam", NEW_PASSWORD)[1] == 302  # one's own password signs in as often as needed


def test_two_sign_ins_at_the_same_moment_spend_a_temporary_password_once(admin):
    factories.user("sam")
    actions.issue_password(by=admin, user=User.objects.get(username="sam"))
    # Both read the account before either signed in.
    first, second = User.objects.get(username="sam"), User.objects.get(username="sam")
    assert actions.spend_temporary_password(user=first)
    assert not actions.spend_temporary_password(user=second)


def test_a_temporary_password_not_replaced_in_time_no_longer_signs_in(as_admin, settings):
    settings.TEMPORARY_PASSWORD_DAYS = 7
    factories.user("sam")
    issued = as_admin.post("/account/users/sam/password/").content.decode()
    password = shown_password(issued)
    sam = User.objects.get(username="sam")
    expires = timezone.localtime(sam.temporary_password_expires)
    assert timedelta(days=7) - (sam.temporary_password_expires - timezone.now()) < timedelta(minutes=1)
    assert f"until {expires:%-d %B %Y %H:%M}" in issued
    assert "It works until" in as_admin.get("/account/users/sam/").content.decode()

    User.objects.filter(pk=sam.pk).update(temporary_password_expires=timezone.now() - timedelta(minutes=1))
    person = Client()
    refused = person.post("/account/sign-in/", {"username": "sam", "password": password})

    assert refused.status_code == 200 and "_auth_user_id" not in person.session
    assert (
        "This temporary password has expired. Ask your administrator to issue a new one."
        in refused.content.decode()
    )
    event = AuditEvent.objects.get(action="sign_in.refused")
    assert (event.target, event.purpose) == ("user:sam", "temporary password expired")
    assert not AuditEvent.objects.filter(action="sign_in.failed").exists()  # no step towards a lockout
    # A wrong password says only what it always says: nothing about the account's password.
    wrong = Client().post("/account/sign-in/", {"username": "sam", "password": "not the password 1"})
    assert "expired" not in wrong.content.decode()
    page = as_admin.get("/account/users/sam/").content.decode()
    assert "Temporary password expired" in page and "It stopped working on" in page
    assert "Temporary password expired" in as_admin.get("/account/users/").content.decode()

    password = shown_password(as_admin.post("/account/users/sam/password/").content.decode())
    person, status = sign_in("sam", password)  # a new one works again
    assert status == 302
    person.post(
        "/account/password/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    sam.refresh_from_db()
    assert (sam.must_change_password, sam.temporary_password_expires) == (False, None)


def test_administrators_never_change_their_own_account_here(as_admin, admin):
    page = as_admin.get("/account/users/admin/").content.decode()
    assert "This is your own account" in page and "Deactivate the account" not in page
    as_admin.post("/account/users/admin/active/", {"active": "false"})
    as_admin.post("/account/users/admin/role/", {"role": "national_analyst"})
    as_admin.post("/account/users/admin/password/")
    admin.refresh_from_db()
    assert (admin.is_active, admin.role, admin.must_change_password) == (True, "administrator", False)
    assert not AuditEvent.objects.filter(action__startswith="account.").exists()


def test_accounts_are_found_by_name_or_organisation(as_admin):
    factories.user("sam")
    everyone = as_admin.get("/account/users/").content.decode()
    assert "2 accounts" in everyone
    found = as_admin.get("/account/users/", {"q": "avon"}).content.decode()
    assert "1 account" in found and "/account/users/sam/" in found and "/account/users/admin/" not in found
    assert "/account/users/sam/" in as_admin.get("/account/users/", {"q": "E23000036"}).content.decode()


def test_only_administrators_manage_accounts(client, admin):
    client.force_login(factories.user("sam"))
    for path in ("/account/users/", "/account/users/new/", "/account/users/admin/"):
        assert client.get(path).status_code == 403
    assert client.post("/account/users/admin/active/", {"active": "false"}).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active
    assert AuditEvent.objects.filter(action="access.refused").count() == 4


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("account", *args, stdout=out)
    return out.getvalue()


def test_the_first_administrator_is_made_on_the_command_line(admin):
    printed = command("create", "ops", "--organisation", "MOJ", "--role", "administrator")
    password = re.search(r"Temporary password: (\S+)", printed)[1]
    assert "Created ops (Administrator, Ministry of Justice)." in printed
    assert User.objects.get(username="ops").must_change_password
    assert AuditEvent.objects.get(action="account.create").actor_label == "command line"
    assert sign_in("ops", password)[1] == 302

    issued = command("password", "ops")
    assert "Temporary password for ops:" in issued
    expires = timezone.localtime(User.objects.get(username="ops").temporary_password_expires)
    assert f"chooses their own at their first sign-in, by {expires:%Y-%m-%d %H:%M %Z}." in issued
    assert command("role", "ops", "--role", "national_analyst") == "ops is now National analyst.\n"
    assert command("deactivate", "ops") == "ops is deactivated.\n"
    assert not User.objects.get(username="ops").is_active


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("create", "Admin", "--organisation", "MOJ", "--role", "analyst"),
            "already an account with the user name",
        ),
        (
            ("create", "x", "--organisation", "NOPE", "--role", "analyst"),
            "No active organisation has the code NOPE",
        ),
        (
            ("create", "x", "--organisation", "MOJ", "--role", "analyst"),
            "The role Analyst cannot be given in",
        ),
        (("password", "nobody"), "There is no account with the user name nobody"),
        (
            ("create", "New", "--organisation", "MOJ", "--role", "administrator"),
            "kept for the service's own pages",
        ),
    ],
)
def test_the_command_line_refuses_with_a_clear_message(admin, args, message):
    with pytest.raises(CommandError, match=message):
        command(*args)
    assert User.objects.count() == 1


def test_the_password_page_speaks_welsh_throughout(client, admin):
    client.force_login(admin)
    page = client.get("/cy/account/password/").content.decode()
    assert "Dewiswch gyfrinair newydd" in page and "Y cyfrinair newydd eto" in page
    assert "Enter the same password" not in page


def test_a_user_name_the_pages_use_is_refused(as_admin):
    page = as_admin.post(
        "/account/users/new/",
        {"username": "new", "organisation": factories.organisation("MOJ").pk, "role": "analyst"},
    ).content.decode()
    assert "This user name is kept for the service" in page
    assert not User.objects.filter(username="new").exists()


@pytest.mark.parametrize(
    ("username", "email", "message"),
    [
        ("", "", "A user name is 1 to 150 letters"),
        ("bad user!", "", "A user name is 1 to 150 letters"),
        ("u" * 151, "", "A user name is 1 to 150 letters"),
        ("au.sub2", "notanemail", "Enter an email address in the correct format"),
    ],
)
def test_the_command_line_refuses_what_the_account_form_refuses(admin, username, email, message):
    before = User.objects.count()
    with pytest.raises(CommandError, match=message):
        command("create", username, "--organisation", "MOJ", "--role", "administrator", "--email", email)
    assert User.objects.count() == before


@pytest.mark.parametrize("username", [".", ".."])
def test_a_user_name_a_browser_reads_as_a_folder_is_refused(as_admin, username):
    # /account/users/../ is /account/ to a browser: an account so named could never be opened.
    page = as_admin.post(
        "/account/users/new/",
        {"username": username, "organisation": factories.organisation("MOJ").pk, "role": "analyst"},
    ).content.decode()
    assert "This user name is kept for the service" in page
    assert not User.objects.filter(username=username).exists()


@pytest.mark.parametrize(
    ("taken", "typed"),
    [
        ("fi.smith", "\ufb01.smith"),  # the ligature "ﬁ" is stored as "fi" (NFKC), as it signs in
        ("jöhn.smith", "JÖHN.SMITH"),  # whatever its case, beyond ASCII too
    ],
)
def test_a_user_name_taken_in_another_form_is_refused_beside_its_field(as_admin, taken, typed):
    factories.user(taken, role=Role.ANALYST)
    response = as_admin.post(
        "/account/users/new/",
        {"username": typed, "organisation": factories.organisation("E23000036").pk, "role": "analyst"},
    )
    assert response.status_code == 200
    assert "There is already an account with this user name" in response.content.decode()
    assert User.objects.filter(role=Role.ANALYST).count() == 1


def test_a_search_for_accounts_with_a_null_character_finds_none(as_admin):
    # PostgreSQL refuses a NUL in text (a server error there): the search must not send it to the database.
    assert find_accounts("ad\x00min").query.is_empty()
    page = as_admin.get("/account/users/", {"q": "ad\x00min"})
    assert page.status_code == 200
    assert "/account/users/admin/" not in page.content.decode()


def test_an_account_address_with_a_null_character_is_not_found(as_admin):
    # No user name holds one, and PostgreSQL refuses it in text (a server error there): not looked up.
    with pytest.raises(Resolver404):
        resolve("/account/users/ad\x00min/")
    assert as_admin.get("/account/users/ad%00min/").status_code == 404
    assert as_admin.post("/account/users/ad%00min/active/", {"active": "false"}).status_code == 404


def test_while_a_temporary_password_must_be_replaced_the_navigation_offers_only_signing_out(admin):
    _user, password = actions.open_account(
        by=admin, username="sam", organisation=factories.organisation("E23000036"), role=Role.ANALYST
    )
    person, status = sign_in("sam", password)
    assert status == 302
    page = person.get("/account/password/").content.decode()
    # Every other page leads back here: no link to one is offered.
    assert re.findall(r'class="govuk-service-navigation__link" href="([^"]+)"', page) == []
    assert 'action="/account/sign-out/"' in page


def test_a_new_password_the_rules_refuse_is_shown_beside_the_new_password(as_admin):
    page = as_admin.post(
        "/account/password/",
        {"old_password": factories.PASSWORD, "new_password1": "short", "new_password2": "short"},
    ).content.decode()
    assert '<a href="#id_new_password1">This password is too short.' in page
    assert 'href="#id_new_password2"' not in page
