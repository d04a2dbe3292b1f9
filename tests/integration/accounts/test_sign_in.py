from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Organisation, Role
from tests.factories import accounts as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    factories.organisation("E23000036", name="Avon and Somerset")
    return factories.user("analyst", role=Role.ANALYST)


def sign_in(client, username="analyst", password=factories.PASSWORD, **extra):
    return client.post("/account/sign-in/", {"username": username, "password": password, **extra})


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", "outcome", "actor_label", "target"))


def test_the_sign_in_page_is_a_govuk_form(client, analyst):
    page = client.get("/account/sign-in/").content.decode()
    assert '<label class="govuk-label" for="id_username">User name</label>' in page
    assert 'class="govuk-input"' in page and 'autocomplete="current-password"' in page


def test_signing_in_shows_the_account_with_organisation_and_role(client, analyst):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/account/").content.decode()
    assert "Avon and Somerset (E23000036)" in page and "Analyst" in page
    assert actions() == [("sign_in", "ok", "analyst", "")]


def test_sign_in_returns_to_the_page_asked_for_but_never_to_another_site(client, analyst):
    assert sign_in(client, next="/standard/")["Location"] == "/standard/"
    client.post("/account/sign-out/")
    assert sign_in(client, next="https://evil.example/")["Location"] == "/"


def test_a_wrong_password_shows_an_error_summary_and_is_audited_without_echoing_input(client, analyst):
    response = sign_in(client, password="wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in page
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_username">Enter a correct user name and password' in page
    sign_in(client, username="my secret password", password="x")
    assert actions() == [
        ("sign_in.failed", "failed", "anonymous", "user:analyst"),
        ("sign_in.failed", "failed", "anonymous", "user:unknown"),
    ]


def test_empty_fields_are_linked_from_the_error_summary(client, analyst):
    page = client.post("/account/sign-in/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your user name</a>' in page
    assert 'aria-describedby="id_password-error"' in page


def test_five_failures_lock_the_account_even_against_the_right_password(client, analyst):
    for _ in range(4):
        assert sign_in(client, password="wrong").status_code == 200
    locked = sign_in(client, password="wrong")
    assert locked.status_code == 429
    assert "Your account is locked" in locked.content.decode()
    assert sign_in(client).status_code == 429
    assert not client.get("/account/").wsgi_request.user.is_authenticated
    assert [action for action, *_ in actions()] == [
        *["sign_in.failed"] * 5,
        "sign_in.locked_out",
        "sign_in.refused",
    ]


def test_an_account_of_a_deactivated_organisation_cannot_sign_in(client, analyst):
    Organisation.objects.filter(code="E23000036").update(is_active=False)

    refused = sign_in(client)

    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    assert (
        "This account&#x27;s organisation is not active. Ask your administrator." in refused.content.decode()
    )
    assert actions() == [("sign_in.refused", "refused", "anonymous", "user:analyst")]
    assert AuditEvent.objects.get().purpose == "organisation deactivated"
    # A wrong password says only what it always says.
    assert "organisation is not active" not in sign_in(client, password="not the password").content.decode()
    Organisation.objects.filter(code="E23000036").update(is_active=True)
    assert sign_in(client).status_code == 302


def test_a_signed_in_account_loses_its_pages_when_its_organisation_is_deactivated(client, analyst):
    sign_in(client)
    assert client.get("/account/").status_code == 200

    Organisation.objects.filter(code="E23000036").update(is_active=False)

    assert client.get("/account/")["Location"] == "/account/sign-in/?next=/account/"
    assert client.get("/account/password/")["Location"] == "/account/sign-in/?next=/account/password/"
    changed = client.post(
        "/account/password/",
        {
            "old_password": factories.PASSWORD,
            "new_password1": "another passphrase 9",
            "new_password2": "another passphrase 9",
        },
    )
    assert changed.status_code == 302 and changed["Location"].startswith("/account/sign-in/")
    assert not AuditEvent.objects.filter(action="account.password_change").exists()


def test_a_user_name_typed_with_spaces_around_it_is_audited_and_locked_out_as_itself(client, analyst):
    sign_in(client, username=" analyst ", password="wrong")
    assert actions() == [("sign_in.failed", "failed", "anonymous", "user:analyst")]
    for _ in range(4):
        sign_in(client, password="wrong")
    locked = sign_in(client, username=" analyst")  # the right password, while locked
    assert locked.status_code == 429
    assert actions()[-1] == ("sign_in.refused", "refused", "anonymous", "user:analyst")
    assert AuditEvent.objects.filter(action="sign_in.refused").get().purpose == "locked out"


def test_sign_out_is_a_post_and_is_audited(client, analyst):
    sign_in(client)
    assert client.get("/account/sign-out/").status_code == 405
    assert client.post("/account/sign-out/")["Location"] == "/"
    assert client.get("/account/")["Location"] == "/account/sign-in/?next=/account/"
    assert [action for action, *_ in actions()] == ["sign_in", "sign_out"]


def test_the_session_expires_after_the_configured_age(client, analyst, settings):
    sign_in(client)
    session = client.session
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/account/").status_code == 302


def test_navigation_follows_the_role(client, settings):
    settings.SESSION_COOKIE_SECURE = False
    factories.all_organisations()
    people = factories.one_of_each_role()

    def sections(username):
        client.force_login(people_by_name[username])
        page = client.get("/").content.decode()
        return [
            name
            for name in (
                "Submissions",
                "Compliance",
                "Oversight",
                "People",
                "Computations",
                "Accounts",
                "Audit log",
                "My case",
            )
            if f">{name}<" in page.replace("\n", "").replace("  ", "")
        ]

    people_by_name = {user.username: user for user in people.values()}
    assert sections("submitter") == ["Submissions", "Compliance", "People"]
    assert sections("analyst") == ["Compliance", "People"]
    assert sections("reviewer") == ["Compliance", "People"]
    assert sections("national") == ["Compliance", "People", "Computations"]
    assert sections("admin") == ["People", "Computations", "Accounts", "Audit log"]


def test_only_administrators_read_the_audit_log(client, settings):
    settings.SESSION_COOKIE_SECURE = False
    factories.all_organisations()
    people = factories.one_of_each_role()
    for role, person in people.items():
        client.force_login(person)
        assert client.get("/account/audit-log/").status_code == (200 if role == Role.ADMINISTRATOR else 403)
    client.force_login(people[Role.ADMINISTRATOR])
    page = client.get("/account/audit-log/").content.decode()
    assert page.count("data-action>access.refused</td>") == 4


@pytest.mark.django_db(databases=["default", "vault"])
def test_every_navigation_link_opens_a_page_for_the_role_that_sees_it(client, settings):
    import io

    from django.core.management import call_command

    from accounts.navigation import navigation_items

    call_command("load_standard", stdout=io.StringIO())
    settings.SESSION_COOKIE_SECURE = False
    factories.all_organisations()
    people = factories.one_of_each_role()
    for person in [*people.values(), None]:
        if person is None:
            client.logout()
        else:
            client.force_login(person)
        user = person if person is not None else client.get("/").wsgi_request.user
        for item in navigation_items(user, "/"):
            assert client.get(item["href"]).status_code == 200, (person, item["href"])


def test_only_the_most_specific_section_is_marked_current():
    from accounts.navigation import navigation_items

    factories.all_organisations()
    national = factories.one_of_each_role()[Role.NATIONAL_ANALYST]
    from django.utils import translation

    for language, path in (("en", "/compliance/computations/"), ("cy", "/cy/compliance/computations/1/")):
        with translation.override(language):
            current = [item["href"] for item in navigation_items(national, path) if item["current"]]
        assert current == [path[: path.index("computations/") + len("computations/")]], path
    assert [item["text"] for item in navigation_items(national, "/compliance/R2/") if item["current"]] == [
        "Compliance"
    ]


def test_the_sign_in_page_does_not_take_the_focus_from_the_skip_link(client):
    page = client.get("/account/sign-in/").content.decode()
    assert 'id="id_username"' in page and "autofocus" not in page


def test_the_lockout_page_gives_the_configured_wait(client, analyst, settings):
    settings.AXES_COOLOFF_TIME = 1  # hours: AXES_COOLOFF_MINUTES=60
    for _ in range(5):
        locked = sign_in(client, password="wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Wait 60 minutes, then try again." in page and "30 minutes" not in page
