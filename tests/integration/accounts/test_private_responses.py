"""Pages served to someone signed in are stored by no browser or proxy; static files stay cacheable."""

import pytest
from django.conf import settings

from accounts.models import Role
from tests.factories import accounts as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_admin(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    factories.organisation("E23000036", name="Avon and Somerset")
    factories.organisation("MOJ", kind="national", name="Ministry of Justice")
    factories.user("sam")
    client.force_login(factories.user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ"))
    return client


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/account/",
        "/account/audit-log/",
        "/account/audit-log.csv",
        "/account/users/",
        "/account/users/sam/",
    ],
)
def test_a_page_for_someone_signed_in_is_never_stored(as_admin, path):
    response = as_admin.get(path)
    assert response.status_code == 200
    assert {"no-store", "private"} <= cache_control(response)


def test_a_refusal_for_someone_signed_in_is_never_stored_either(client, settings):
    settings.SESSION_COOKIE_SECURE = False
    factories.organisation("E23000036")
    client.force_login(factories.user("sam"))
    refused = client.get("/account/audit-log/")
    assert refused.status_code == 403 and {"no-store", "private"} <= cache_control(refused)


def test_what_a_view_says_about_caching_is_kept(as_admin):
    response = as_admin.get("/account/users/new/")  # never_cache
    assert {"no-store", "private", "must-revalidate", "max-age=0"} <= cache_control(response)


def test_static_files_stay_cacheable_when_signed_in(as_admin):
    if not (settings.BASE_DIR / "assets" / "build" / "application.css").exists():
        pytest.skip("the assets are not built (make test builds them)")
    response = as_admin.get("/static/application.css")
    assert response.status_code == 200
    assert "no-store" not in cache_control(response) and "max-age" in response["Cache-Control"]
