import pytest

from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

NEW_PASSWORD = "a fresh long passphrase 7"


def test_an_administrator_creates_an_account_and_its_holder_chooses_a_password(
    page, browser, live_server, reference_data
):
    sign_in(page, "admin")
    page.get_by_role("link", name="Accounts", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Create an account").click()
    page.get_by_role("button", name="Create the account").click()  # nothing filled in
    assert page.locator(".govuk-error-summary").count() == 1
    assert_accessible(page)

    page.get_by_label("User name").fill("j.smith")
    page.get_by_label("Organisation").select_option(label="CPS South West")
    page.get_by_label("Role").select_option(label="Analyst")
    page.get_by_role("button", name="Create the account").click()
    assert page.locator("h1").inner_text() == "Account created"
    password = page.locator("[data-temporary-password]").inner_text()
    assert_accessible(page)

    person = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    person.goto("/account/sign-in/")
    person.get_by_label("User name").fill("j.smith")
    person.get_by_label("Password").fill(password)
    person.get_by_role("button", name="Sign in").click()
    person.goto("/compliance/")
    assert person.url.endswith("/account/password/")  # nothing else until a password is chosen
    person.get_by_label("Your current password").fill(password)
    person.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    person.get_by_label("New password again").fill(NEW_PASSWORD)
    person.get_by_role("button", name="Change the password").click()
    assert person.url.endswith("/account/")
    assert "Your password has been changed." in person.locator("main").inner_text()
    person.goto("/compliance/")
    assert person.url.endswith("/compliance/")
    person.context.close()

    page.goto("/account/users/j.smith/")
    assert "Active" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Computations", exact=True).click()
    assert page.locator("h1").inner_text() == "Computations"
    assert_accessible(page)
