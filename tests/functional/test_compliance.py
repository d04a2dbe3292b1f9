"""An analyst finds their body's figure for one right, opens it, and reads the chart and the counts behind it."""

import io
import re

import pytest
from django.core.management import call_command

from tests.factories.journeys import FORCE, crime, event, victim, write_csv
from tests.functional.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "vault"]), pytest.mark.slow]

CONFIRMATION = "Written confirmation of the crime within 5 working days"


@pytest.fixture
def computed(reference_data, tmp_path):
    """Two crimes recorded Friday 11 April 2025 (confirmation due Tuesday 22 April, after Easter): one victim
    confirmed on time, the other a day late."""
    files = [
        write_csv(tmp_path / "victims.csv", [victim(1), victim(2, sex="M")]),
        write_csv(
            tmp_path / "crimes.csv",
            [crime(n, reported_at="2025-04-11T09:00", recorded_at="2025-04-11T10:00") for n in (1, 2)],
        ),
        write_csv(
            tmp_path / "events.csv",
            [
                event(1, crime_ref="C1", person_ref="P1", occurred_at="2025-04-22T16:00"),
                event(2, crime_ref="C2", person_ref="P2", occurred_at="2025-04-23T09:00"),
            ],
        ),
    ]
    for path in files:
        call_command("ingest", "--body", FORCE, str(path), stdout=io.StringIO())
    call_command("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", stdout=io.StringIO())


def test_an_analyst_narrows_the_list_opens_a_figure_and_reads_its_chart_and_counts(page, computed):
    sign_in(page, "analyst")
    page.get_by_role("link", name="Compliance", exact=True).click()
    page.get_by_label("Quarter").select_option("2025-26 Q1")
    page.get_by_role("button", name="Show figures").click()
    assert page.get_by_role("link", name=CONFIRMATION).count() == 1
    assert_accessible(page)

    page.get_by_label("Metric").select_option(label=CONFIRMATION)
    page.get_by_label("Area").select_option(label="Avon and Somerset")
    page.get_by_role("button", name="Show figures").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 1
    cells = rows.first.locator("td").all_inner_texts()
    # The link's hidden words name its area and body: its accessible name says which figure it opens.
    assert cells[0].splitlines()[0] == CONFIRMATION
    assert cells[1:4] == ["Avon and Somerset", "Avon and Somerset", "50.0%"]
    named = re.compile(rf"^{re.escape(CONFIRMATION)}\s*, Avon and Somerset, Avon and Somerset$")
    assert page.get_by_role("link", name=named).count() == 1
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures with every breakdown (CSV)").click()
    assert download.value.suggested_filename == "compliance-2025-26-Q1.csv"
    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("metric,force,body,period,breakdown,breakdown_value,met,late,missed,pending")
    assert {line.split(",")[0] for line in lines[1:]} == {"R3.confirmation_5wd"}

    page.get_by_role("link", name=CONFIRMATION).click()
    assert page.locator("h1").inner_text() == CONFIRMATION
    chart = page.get_by_role("img", name=f"{CONFIRMATION} by quarter, with 95% intervals")
    assert chart.is_visible()
    assert chart.evaluate("svg => getComputedStyle(svg).fontFamily").startswith('"GDS Transport"')
    assert "2025-26 Q1\t50.0%" in page.get_by_role("table", name="The numbers in the chart").inner_text()
    counts = page.locator("table").last.inner_text()
    assert "Sex\tFemale\t1\t0\t0\t0\t1\t1\t100.0%" in counts and "Sex\tMale\t0\t1\t0\t0\t0\t1\t0.0%" in counts
    assert_accessible(page)
