import io

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.factories import accounts as people
from tests.factories.journeys import FORCE, crime, event, victim, write_csv

WCU = f"WCU-{FORCE}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def bodies(db):
    people.organisation(FORCE, name="Avon and Somerset")
    people.organisation("E23000005", name="Greater Manchester")
    people.organisation(WCU, kind="witness_care_unit", name="Avon and Somerset Witness Care", forces=[FORCE])
    people.organisation("CPS-SW", kind="cps_area", name="CPS South West", forces=[FORCE])
    people.organisation(
        "LPB-E23000036", kind="local_policing_body", name="Avon and Somerset PCC", forces=[FORCE]
    )
    people.organisation("MOJ", kind="national", name="Ministry of Justice")


def ingest(body: str, *paths) -> str:
    out = io.StringIO()
    call_command("ingest", "--body", body, *[str(p) for p in paths], stdout=out)
    return out.getvalue()


@pytest.fixture
def submitted(bodies, tmp_path):
    """Two crimes recorded Friday 11 April 2025 (confirmation due Tuesday 22 April, after Easter): one
    confirmed on time, one a day late; a hearing passed on by the Witness Care Unit on time."""
    ingest(FORCE, write_csv(tmp_path / "victims.csv", [victim(1), victim(2, sex="M")]))
    ingest(
        FORCE,
        write_csv(
            tmp_path / "crimes.csv",
            [
                crime(1, reported_at="2025-04-11T09:00", recorded_at="2025-04-11T10:00"),
                crime(2, reported_at="2025-04-11T09:00", recorded_at="2025-04-11T10:00"),
            ],
        ),
    )
    ingest(
        FORCE,
        write_csv(
            tmp_path / "events.csv",
            [
                event(1, crime_ref="C1", person_ref="P1", occurred_at="2025-04-22T16:00"),
                event(2, crime_ref="C2", person_ref="P2", occurred_at="2025-04-23T09:00"),
            ],
        ),
    )
    ingest(
        WCU,
        write_csv(
            tmp_path / "events-wcu.csv",
            [
                event(1, event_type="hearing_info_received", occurred_at="2025-05-12T09:00"),
                event(2, event_type="hearing_info_given", occurred_at="2025-05-13T09:00"),
            ],
            table="events",
        ),
    )
