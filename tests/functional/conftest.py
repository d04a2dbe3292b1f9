"""Browser tests: Playwright drives Debian's Chromium against the live test server; axe-core checks each page."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

from accounts.demo import create_demo_accounts, demo_password

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API keeps an event loop running in this thread; the test code's own database calls are
# still synchronous, so Django's guard against database calls from async code does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/functional/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.functional)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}. Install it with "
            "`apt-get update && apt-get install -y chromium` (the tests never download a browser).",
            pytrace=False,
        )
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make install` (npm ci).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session", autouse=True)
def _short_lived_connections():
    """The live server's request threads close their connections, so the test database can be dropped after."""
    for alias in connections:
        connections.settings[alias]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="module", autouse=True)
def _live_server_flush(append_only_tables_clearable):
    """Every browser test runs against the live server, on a transactional database that is flushed after."""


@pytest.fixture
def http_cookies(settings):
    # The live server speaks plain HTTP; secure cookies would never come back.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def page(browser, live_server, http_cookies):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.add_init_script(path=str(AXE))  # init scripts are not subject to the page's CSP
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [node["target"] for node in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    assert axe_violations(page) == [], page.url
    assert page.csp_violations == [], page.url


@pytest.fixture
def reference_data():
    """The standard, every organisation, and the demo's accounts (one per role)."""
    call_command("load_standard", verbosity=0)
    call_command("sync_organisations", verbosity=0)
    return create_demo_accounts()


def sign_in(page, username: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(demo_password(username))
    page.get_by_role("button", name="Sign in").click()
