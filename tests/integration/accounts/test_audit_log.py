"""The audit log page: an administrator finds events by action, person, target, outcome and day, a page at a time."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from accounts.audit import record
from accounts.models import AuditEvent, Role
from tests.factories import accounts as factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, settings):
    settings.SESSION_COOKIE_SECURE = False
    factories.organisation("MOJ", name="Ministry of Justice")
    person = factories.user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ")
    client.force_login(person)
    return person


def logged_at(monkeypatch, when: datetime, **event):
    monkeypatch.setattr("django.utils.timezone.now", lambda: when)
    return record(by=None, **event)


@pytest.fixture
def log(admin, monkeypatch):
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time): a London day decides.
    return {
        "view": logged_at(monkeypatch, datetime(2026, 6, 30, 12, tzinfo=UTC), action="identity.person_view",
                          target="jjn:JJ-7KDA-94FX-HMQF", purpose="Checking a repeat victim's record", actor_label="ana"),
        "late": logged_at(monkeypatch, datetime(2026, 7, 1, 23, 30, tzinfo=UTC), action="identity.person_view",
                          target="jjn:JJ-3RTW-8PXC-2MNB", purpose="Clerical review", actor_label="Ben"),
        "refused": logged_at(monkeypatch, datetime(2026, 7, 3, 9, tzinfo=UTC), action="access.refused",
                             target="/identity/people/", outcome=AuditEvent.Outcome.REFUSED, actor_label="ben"),
    }  # fmt: skip


def shown(client, **filters):
    page = client.get("/account/audit-log/", filters).content.decode()
    return page, [int(pk) for pk in re.findall(r'data-event="(\d+)"', page)]


def test_every_filter_narrows_the_log(client, log):
    ids = {name: event.pk for name, event in log.items()}
    assert shown(client, action="identity.person_view")[1] == [ids["late"], ids["view"]]
    assert shown(client, who="BEN")[1] == [ids["refused"], ids["late"]]
    assert shown(client, target="jj-7kda-94fx")[1] == [ids["view"]]
    assert shown(client, outcome="refused")[1] == [ids["refused"]]
    assert shown(client, since="2026-07-02")[1] == [ids["refused"], ids["late"]]
    assert shown(client, until="01/07/2026")[1] == [ids["view"]]
    assert shown(client, action="identity.person_view", who="ben", since="2026-07-02", until="2026-07-02")[
        1
    ] == [ids["late"]]
    page, _found = shown(client, action="identity.person_view")
    assert "2 events match the filters." in page and "Checking a repeat victim&#x27;s record" in page


def test_the_first_and_last_days_there_are_bound_nothing(client, log):
    assert sorted(shown(client, since="0001-01-01", until="9999-12-31")[1]) == sorted(
        e.pk for e in log.values()
    )
    download = client.get("/account/audit-log.csv", {"until": "9999-12-31"})
    assert download.status_code == 200


def test_an_action_not_logged_yet_finds_nothing_rather_than_an_error(client, log):
    page, found = shown(client, action="identity.jjn_export")
    assert found == [] and "govuk-error-summary" not in page and "0 events match the filters." in page


def test_a_wrong_day_is_an_error_naming_the_field_and_lists_nothing(client, log):
    page, found = shown(client, since="31/02/2026")
    assert found == [] and "govuk-error-summary" in page
    assert 'href="#id_since">Enter the first day as a date, for example 2026-11-30<' in page
    page, found = shown(client, since="2026-07-03", until="2026-07-01")
    assert found == [] and 'href="#id_until">The last day must be on or after the first day<' in page


def test_the_whole_log_is_reachable_a_page_at_a_time_keeping_the_filters(client, admin, monkeypatch):
    monkeypatch.setattr("accounts.views.AUDIT_EVENTS_PER_PAGE", 2)
    events = [record(by=admin, action="report.read", target=f"report:{n}").pk for n in range(5)]
    record(by=admin, action="sign_out")
    pages = [shown(client, action="report.read", page=number) for number in (1, 2, 3)]
    assert [found for _page, found in pages] == [events[4:2:-1], events[2:0:-1], events[:1]]
    assert 'href="?action=report.read&amp;page=2" rel="next"' in pages[0][0]
    assert "5 events match the filters." in pages[2][0]
    everything, _found = shown(client)
    assert "6 events in the log." in everything


def test_the_filters_are_in_welsh_too(client, log):
    page = client.get("/cy/account/audit-log/", {"who": "ben"}).content.decode()
    assert "Find events" not in page and "Show events" not in page


def test_the_events_found_download_as_csv_and_the_download_is_audited(client, log, admin):
    page = client.get("/account/audit-log/", {"who": "ben", "page": "1"}).content.decode()
    assert 'href="/account/audit-log.csv?who=ben"' in page and "Download these events (CSV)" in page
    response = client.get("/account/audit-log.csv", {"who": "ben"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="audit-log-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [(row["action"], row["who"], row["outcome"]) for row in rows] == [
        ("access.refused", "ben", "refused"),
        ("identity.person_view", "Ben", "ok"),
    ]
    assert rows[1]["at"] == "2026-07-02T00:30:00+01:00" and rows[1]["purpose"] == "Clerical review"
    export = AuditEvent.objects.get(action="audit.export")
    assert (export.actor_label, export.detail) == ("admin", {"who": "ben", "events": 2})


def test_text_a_spreadsheet_would_run_is_escaped_in_the_download(client, admin):
    record(by=admin, action="identity.person_view", target="jjn:JJ-7KDA-94FX-HMQF", purpose='=HYPERLINK("x")')
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client.get("/account/audit-log.csv").streaming_content).decode()))
    )
    assert rows[0]["purpose"] == '\'=HYPERLINK("x")'


def test_only_administrators_download_the_log_and_a_wrong_filter_goes_back_to_the_page(client, admin, log):
    response = client.get("/account/audit-log.csv", {"since": "31/02/2026"})
    assert response.status_code == 302 and response["Location"] == "/account/audit-log/?since=31%2F02%2F2026"
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    factories.organisation("E23000036", name="Avon and Somerset")
    client.force_login(factories.user("analyst", role=Role.ANALYST))
    assert client.get("/account/audit-log.csv").status_code == 403
