import pytest
from playwright.sync_api import expect

from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

METRIC = "/standard/metrics/R3.confirmation_5wd/"


def test_a_person_signs_in_reads_a_metric_and_switches_to_welsh_and_back(page, reference_data):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate(
        "document.body.classList.contains('js-enabled')"
    )  # the nonce let the inline script run
    assert_accessible(page)

    page.get_by_role("link", name="Sign in", exact=True).first.click()
    assert page.url.endswith("/account/sign-in/")
    assert_accessible(page)
    sign_in(page, "analyst")
    page.get_by_role("link", name="Your account", exact=True).click()
    assert "Avon and Somerset" in page.locator("main").inner_text()

    page.goto(METRIC)
    assert page.locator("h1").count() == 1
    assert "R3.confirmation_5wd" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Cymraeg").click()
    page.wait_for_url(f"**/cy{METRIC}")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("button", name="Allgofnodi").count() == 1  # still signed in, in Welsh
    assert_accessible(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_url(f"**{METRIC}")
    assert not page.url.split("//", 1)[1].split("/", 1)[1].startswith("cy/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_a_wrong_password_shows_an_accessible_error_summary(page, reference_data):
    page.goto("/account/sign-in/")
    page.get_by_label("User name").fill("analyst")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/no-such-page/", "/cy/no-such-page/"])
def test_the_404_page_is_accessible(page, path):
    response = page.goto(path)
    assert response.status == 404
    assert_accessible(page)


def test_the_403_page_is_accessible_and_the_audit_log_shows_the_refusal(page, reference_data):
    sign_in(page, "analyst")
    response = page.goto("/account/audit-log/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "You do not have permission to see this page"
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "admin")
    page.goto("/account/audit-log/")
    rows = page.locator("tbody tr").all_inner_texts()
    assert any("analyst" in row and "access.refused" in row for row in rows)
    assert_accessible(page)

    # The administrator narrows the log to the refusal, then mistypes a day.
    page.get_by_text("Find events").click()
    page.get_by_label("Action").select_option("access.refused")
    page.get_by_label("Who").fill("ANALYST")
    page.get_by_role("button", name="Show events").click()
    rows = page.locator("tbody tr").all_inner_texts()
    assert len(rows) == 1 and "access.refused" in rows[0]
    assert page.get_by_text("1 event matches the filters.").is_visible()
    assert_accessible(page)
    page.get_by_label("From").fill("31/02/2026")
    page.get_by_role("button", name="Show events").click()
    assert page.locator(".govuk-error-summary").is_visible() and page.locator("tbody tr").count() == 0
    page.locator(".govuk-error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "id_since"
    assert_accessible(page)


@pytest.mark.parametrize("kind", ["400", "500", "csrf"])
def test_the_pages_rendered_without_a_request_are_accessible(page, kind):
    from django.test import RequestFactory
    from django.views.csrf import csrf_failure

    from config import views

    request = RequestFactory().get("/")
    render = {"400": views.bad_request, "500": views.server_error, "csrf": csrf_failure}[kind]
    response = render(request)
    page.goto("/")  # the page's own address, so its stylesheet and scripts load from the live server
    page.set_content(response.content.decode())
    assert page.locator("h1").inner_text() == "Sorry, there is a problem with the service"
    assert "GDS Transport" in page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert_accessible(page)


def test_the_api_documentation_page_works_within_the_content_security_policy(page):
    page.goto("/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Justice Journey API")
    assert "/api/submissions/file" in page.locator(".opblock-summary-path").all_inner_texts()
    assert page.csp_violations == []


def test_a_wide_table_scrolls_in_its_own_box_at_320_pixels_and_the_page_does_not(page, reference_data):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/standard/tables/crimes/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator(".jj-table-scroll").first
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    caption = page.locator(".jj-table-scroll caption").first.inner_text()
    region = page.get_by_role("region", name=" ".join(caption.split()))
    assert region.count() == 1 and region.get_attribute("tabindex") == "0"
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})  # wide enough again: no longer a tab stop
    # `expect` polls without evaluating a string in the page, which its Content Security Policy forbids.
    expect(box).not_to_have_attribute("tabindex", "0")
    expect(box).not_to_have_attribute("role", "region")
