"""A submitter sends a file through the browser, sees what was refused, and downloads the report."""

import pytest

from journeys.models import Submission
from tests.factories.journeys import crime, write_csv
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "vault"]), pytest.mark.slow]


def test_upload_a_file_and_download_the_rejected_rows(page, reference_data, tmp_path):
    path = write_csv(tmp_path / "crimes-2025-06.csv", [crime(1), crime(2), crime(3, enhanced_rights="yes")])
    sign_in(page, "submitter")
    page.goto("/submissions/")
    assert_accessible(page)
    page.get_by_role("button", name="Submit a file").click()
    assert_accessible(page)

    page.get_by_role("button", name="Send the file").click()  # nothing chosen yet
    assert page.title().startswith("Error:")
    assert page.locator(".govuk-error-summary").get_by_text("Select a file").is_visible()
    assert_accessible(page)

    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Send the file").click()
    page.wait_for_url("**/submissions/*/")
    assert page.locator('[data-count="accepted"]').inner_text() == "2"
    assert page.locator('[data-count="rejected"]').inner_text() == "1"
    assert "enhanced_rights" in page.locator("table").inner_text()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    report = download.value.path().read_text()
    assert report.splitlines()[0] == "file,row,column,value,reason"
    assert "crimes-2025-06.csv,3,enhanced_rights,yes," in report

    page.get_by_role("link", name="Back to submissions").click()
    assert "crimes-2025-06.csv" in page.locator("table").inner_text()
    assert Submission.objects.get().status == "stored"


def test_a_file_rejected_whole_says_why(page, reference_data, tmp_path):
    path = tmp_path / "crimes.csv"
    path.write_text("crime_ref,colour\nC1,blue\n")
    sign_in(page, "submitter")
    page.goto("/submissions/new/")
    page.get_by_label("Upload a file").set_input_files(str(path))
    page.get_by_role("button", name="Send the file").click()
    page.wait_for_url("**/submissions/*/")
    warning = page.locator(".govuk-warning-text").inner_text()  # not an error summary: no form was wrong
    assert "nothing was stored" in warning and "unknown column colour" in warning
    assert_accessible(page)
