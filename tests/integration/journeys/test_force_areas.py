"""A body sends rows only for the police force areas it covers, and only police forces send crimes."""

import pytest

from journeys.actions import Actor, submit
from tests.factories import accounts as people
from tests.factories.journeys import crime, event, return_row

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SERVICE = Actor(user=None, label="test")


@pytest.fixture
def cps(bodies):
    return people.organisation("CPS-SW", kind="cps_area", name="CPS South West", forces=["E23000036"])


def send(body: str, table: str, records: list[dict]):
    return submit(by=SERVICE, body_code=body, file_name=f"{table}.json", records=records, table=table)


def test_a_force_cannot_send_crimes_events_or_returns_for_another_force(bodies, lake):
    crimes = send("E23000036", "crimes", [crime(1), crime(2, force="E23000005")])
    events = send("E23000036", "events", [event(1), event(2, force="E23000005")])
    returns = send("E23000036", "returns", [return_row(), return_row(force="E23000005")])
    for submission in (crimes, events, returns):
        assert (submission.status, submission.accepted, submission.rejected) == ("stored", 1, 1)
    assert lake("SELECT DISTINCT force FROM crimes UNION SELECT DISTINCT force FROM events") == [
        ("E23000036",)
    ]
    assert lake("SELECT force FROM returns") == [("E23000036",)]


def test_the_refusal_names_the_row_the_column_and_the_areas_the_body_covers(cps):
    submission = send("CPS-SW", "events", [event(1), event(2, force="E23000005")])
    assert (submission.accepted, submission.rejected) == (1, 1)
    [line] = [row for row in _report(submission) if row["column"] == "force"]
    assert line["row"] == "2" and line["value"] == "E23000005"
    assert line["reason"] == "is a police force area this body does not cover (it covers E23000036)"


def test_a_partner_body_sends_events_of_the_non_territorial_forces_crimes_and_a_force_does_not(cps, lake):
    people.organisation("BTP", kind="non_territorial_force", name="British Transport Police")
    partner = send("CPS-SW", "events", [event(1, force="BTP")])
    force = send("E23000036", "events", [event(2, force="BTP")])
    assert (partner.accepted, force.accepted, force.rejected) == (1, 0, 1)
    assert lake("SELECT body, force FROM events") == [("CPS-SW", "BTP")]


def test_only_police_forces_send_crimes(cps, lake):
    submission = send("CPS-SW", "crimes", [crime(1)])
    assert submission.status == "rejected"
    assert submission.reason.startswith("only police forces send crimes, and CPS South West is not one")
    assert lake("SELECT count(*) FROM crimes") == [(0,)]


def _report(submission) -> list[dict[str, str]]:
    from journeys.queries import report_rows

    return list(report_rows(submission))
