"""The page shell: language switch, error pages, security headers."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory

from accounts.models import AuditEvent, Role
from config import views
from tests.factories import accounts as factories


@pytest.fixture
def http_cookies(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


@pytest.mark.django_db
def test_home_page_explains_the_service_in_english_and_welsh(client):
    english = client.get("/").content.decode()
    assert '<html lang="en"' in english
    assert (
        "Victims' Code" in english
        and 'href="/standard/"' in english
        and 'href="/account/sign-in/"' in english
    )
    welsh = client.get("/cy/").content.decode()
    assert '<html lang="cy"' in welsh
    assert "Neidio i’r prif gynnwys" in welsh  # noqa: RUF001 (Welsh apostrophe)
    assert '<a class="govuk-link" href="/cy/standard/">' in welsh


@pytest.mark.django_db
def test_home_page_promises_victims_nothing_the_service_does_not_yet_do(client):
    code = "https://www.gov.uk/government/publications/the-code-of-practice-for-victims-of-crime"
    english = client.get("/").content.decode()
    assert "You cannot see your own case in this service yet." in english
    assert "You can see what has happened in your case" not in english
    assert f'<a class="govuk-link" href="{code}">The Victims\' Code</a> sets out' in english
    welsh = client.get("/cy/").content.decode()
    assert "Ni allwch weld eich achos eich hun yn y gwasanaeth hwn eto." in welsh
    assert f'<a class="govuk-link" href="{code}">Cod y Dioddefwyr</a>' in welsh


@pytest.mark.django_db
def test_the_language_switch_keeps_the_reader_on_the_same_page(client, http_cookies):
    page = client.get("/account/sign-in/?next=/standard/").content.decode()
    assert 'name="next" value="/cy/account/sign-in/?next=/standard/"' in page
    to_welsh = client.post(
        "/i18n/setlang/", {"language": "cy", "next": "/cy/account/sign-in/?next=/standard/"}
    )
    assert to_welsh["Location"] == "/cy/account/sign-in/?next=/standard/"
    welsh_page = client.get(to_welsh["Location"]).content.decode()
    assert '<html lang="cy"' in welsh_page
    assert 'name="next" value="/account/sign-in/?next=/standard/"' in welsh_page
    to_english = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/account/sign-in/?next=/standard/"}
    )
    assert to_english["Location"] == "/account/sign-in/?next=/standard/"


@pytest.mark.django_db
def test_unknown_pages_get_the_govuk_404_page_in_the_reader_language(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in response.content.decode()
    assert "Heb ddod o hyd i’r dudalen" in client.get("/cy/no-such-page/").content.decode()  # noqa: RUF001


@pytest.mark.django_db
def test_permission_denied_anywhere_gets_the_403_page_and_is_audited(rf):
    factories.organisation("E23000036")
    request = rf.get("/compliance/E23000035/")
    request.user = factories.user("analyst", role=Role.ANALYST)
    response = views.permission_denied(request, PermissionDenied("another body's results"))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()
    event = AuditEvent.objects.get()
    assert (event.action, event.outcome, event.purpose) == (
        "access.refused",
        "refused",
        "another body's results",
    )


def test_the_500_page_renders_without_a_database_or_request_context():
    # No django_db mark: any database query here would fail the test.
    response = views.server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "govuk-header" in page and "nonce" not in page


def test_the_400_page(rf):
    response = views.bad_request(rf.get("/"))
    assert response.status_code == 400
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_its_security_check_gets_the_govuk_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/account/sign-in/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


@pytest.mark.django_db
def test_responses_carry_hsts_nosniff_and_a_csp_whose_nonce_matches_the_inline_script(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert "'unsafe-inline'" not in policy and "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_passwords_are_hashed_with_argon2(client):
    factories.organisation("E23000036")
    user = factories.user("analyst")
    assert user.password.startswith("argon2$")
    client.get("/account/sign-in/", secure=True)
    assert client.cookies["csrftoken"]["secure"] is True
    client.post("/account/sign-in/", {"username": "analyst", "password": factories.PASSWORD}, secure=True)
    session_cookie = client.cookies["sessionid"]
    assert session_cookie["secure"] is True and session_cookie["httponly"] is True


def test_settings_with_debug_off_are_secure_by_default():
    probe = (
        "import json, config.settings as s; print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.PASSWORD_HASHERS[0], sorted(s.SECURE_CSP)]))"
    )
    environment = {**os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 50, "VAULT_KEY": "y" * 44}
    output = subprocess.run(
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=True
    )
    debug, session_secure, csrf_secure, hsts, nosniff, hasher, csp = json.loads(output.stdout)
    assert (debug, session_secure, csrf_secure, nosniff) == (False, True, True, True)
    assert hsts >= 31536000
    assert hasher == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert {"default-src", "script-src", "object-src", "frame-ancestors"} <= set(csp)
