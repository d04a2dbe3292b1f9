import re
from datetime import date

import duckdb
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import AuditEvent
from identity import actions, queries, registry
from identity.models import ReviewItem, SharingAgreement, VictimRecord
from identity.services import register_victims
from tests.factories.identity import agreement, organisation, person, staff

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def pair():
    register_victims(body="E23000036", records=[person("P1")], by=None)
    register_victims(body="CPS-SW", records=[person("C1", given_name="Amelie", email=None)], by=None)
    left, right = VictimRecord.objects.using("vault").order_by("id")
    actions.raise_pairs([(left.id, right.id, 0.8)], by=None, actor_label="linkage")
    return ReviewItem.objects.using("vault").get(kind="pair")


def test_a_reviewer_sees_the_pair_only_after_giving_a_purpose_and_the_decision_merges(client, pair):
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    client.force_login(reviewer)
    queue = client.get(reverse("identity:review"))
    assert queue.status_code == 200 and f"review/{pair.id}/" in queue.content.decode()
    assert "Avon and Somerset, CPS South West" in queue.content.decode()  # the bodies, by name

    asked = client.get(reverse("identity:review_item", args=[pair.id]))
    assert b"Amelie" not in asked.content and b"Why do you need to see this?" in asked.content

    shown = client.post(
        reverse("identity:review_item", args=[pair.id]), {"purpose": "weekly review of matches"}
    )
    assert b"Amelia" in shown.content and b"Amelie" in shown.content
    assert b'<td class="govuk-table__cell">CPS South West</td>' in shown.content  # bodies by name
    read = AuditEvent.objects.get(action="identity.vault_read")
    assert (read.purpose, read.actor_label) == ("weekly review of matches", "national")

    decided = client.post(
        reverse("identity:review_item", args=[pair.id]),
        {"decide": "1", "decision": "same", "note": "", "purpose": "weekly review of matches"},
    )
    assert decided.status_code == 302
    numbers = set(VictimRecord.objects.using("vault").values_list("jjn_id", flat=True))
    assert len(numbers) == 1
    assert AuditEvent.objects.filter(
        action="identity.pair_decided", purpose="weekly review of matches"
    ).exists()


@pytest.mark.parametrize("purpose", [None, "", "x"])
def test_a_decision_without_a_purpose_shows_and_decides_nothing(client, pair, purpose):
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    posted = {"decide": "1", "decision": "bogus", "note": ""}
    if purpose is not None:
        posted["purpose"] = purpose
    page = client.post(reverse("identity:review_item", args=[pair.id]), posted)
    assert page.status_code == 200
    assert b"Amelia" not in page.content and b"Amelie" not in page.content
    assert b"Why do you need to see this?" in page.content
    assert not AuditEvent.objects.filter(action="identity.vault_read").exists()

    page = client.post(reverse("identity:review_item", args=[pair.id]), {**posted, "decision": "same"})
    assert b"Why do you need to see this?" in page.content
    pair.refresh_from_db()
    assert pair.status == ReviewItem.Status.OPEN
    assert len(set(VictimRecord.objects.using("vault").values_list("jjn_id", flat=True))) == 2


def test_a_split_decision_without_a_purpose_reads_no_record(client):
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="Zofia")], by=None
    )
    item = actions.request_split(value=numbers["P1"], reason="two people", by=None, actor_label="t")
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    page = client.post(reverse("identity:review_item", args=[item.id]), {"decide": "1", "move": ["x"]})
    assert b"Zofia" not in page.content and b"Why do you need to see this?" in page.content
    assert not AuditEvent.objects.filter(action="identity.vault_read").exists()


def test_an_analyst_needs_an_agreement_covering_both_bodies_to_review(client, pair):
    analyst = staff("analyst", role="analyst", organisation_code="E23000036")
    client.force_login(analyst)
    assert client.get(reverse("identity:review")).status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", outcome="refused").exists()

    agreement(analyst, "CPS-SW", scope=SharingAgreement.Scope.CLERICAL_REVIEW)
    assert client.get(reverse("identity:review")).status_code == 200
    assert client.get(reverse("identity:review_item", args=[pair.id])).status_code == 200


def test_someone_who_may_not_review_cannot_tell_whether_a_review_item_exists(client, pair):
    missing = pair.id + 1000
    for username, role in (("sender", "submitter"), ("analyst", "analyst")):
        client.force_login(staff(username, role=role, organisation_code="E23000036"))
        for item_id in (pair.id, missing):
            assert client.get(reverse("identity:review_item", args=[item_id])).status_code == 403
    # An analyst whose agreements let them review some items: a missing item is refused as one not covered.
    wcu = staff("wcu", role="analyst", organisation_code="WCU-E23000036")
    agreement(wcu, "E23000036", scope=SharingAgreement.Scope.CLERICAL_REVIEW)
    client.force_login(wcu)
    for item_id in (pair.id, missing):
        assert client.get(reverse("identity:review_item", args=[item_id])).status_code == 403
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    assert client.get(reverse("identity:review_item", args=[missing])).status_code == 404


def test_a_submitter_cannot_open_the_person_view(client):
    client.force_login(staff("sender", role="submitter"))
    assert client.get(reverse("identity:find_person")).status_code == 403


def test_only_someone_who_may_see_a_record_of_a_number_sends_it_to_clerical_review(client):
    numbers = register_victims(body="E23000001", records=[person("M1")], by=None)
    unissued = "JJ-9NN4-K7CM-3A7W"
    split = reverse("identity:request_split", args=[numbers["M1"]])
    client.force_login(staff("analyst", role="analyst", organisation_code="E23000036"))
    for value in (numbers["M1"], unissued):
        answer = client.post(reverse("identity:request_split", args=[value]), {"reason": "two people"})
        assert answer.status_code == 403  # an unissued number is answered the same way
    assert not ReviewItem.objects.using("vault").exists()
    assert AuditEvent.objects.filter(action="access.refused", target=split).exists()

    client.force_login(staff("met", role="analyst", organisation_code="E23000001"))
    assert client.post(split, {"reason": "two people"}).status_code == 302
    assert ReviewItem.objects.using("vault").get().kind == "split"

    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    for value in (unissued, "garbage"):
        answer = client.post(reverse("identity:request_split", args=[value]), {"reason": "two people"})
        assert answer.status_code == 404


def test_the_person_page_offers_a_split_only_to_those_who_may_request_one(client, tmp_path, settings):
    numbers = register_victims(body="E23000001", records=[person("M1")], by=None)
    settings.LAKE_DIR = tmp_path / "lake"
    page = reverse("identity:person", args=[numbers["M1"]])
    client.force_login(staff("analyst", role="analyst", organisation_code="E23000036"))
    assert b"This number may be two people" not in client.post(page, {"purpose": "case conference"}).content
    client.force_login(staff("met", role="analyst", organisation_code="E23000001"))
    assert b"This number may be two people" in client.post(page, {"purpose": "case conference"}).content


def lake_with_two_bodies(numbers: dict[str, str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE crimes (body VARCHAR, force VARCHAR, crime_ref VARCHAR, person_ref VARCHAR, jjn VARCHAR,"
        " offence_group VARCHAR, reported_at TIMESTAMPTZ, reported_on DATE, recorded_on DATE, enhanced_rights VARCHAR,"
        " domestic_abuse VARCHAR, outcome_type VARCHAR, outcome_date DATE)"
    )
    con.execute(
        "CREATE TABLE events (body VARCHAR, force VARCHAR, crime_ref VARCHAR, person_ref VARCHAR, jjn VARCHAR,"
        " event_type VARCHAR, occurred_at TIMESTAMPTZ, occurred_on DATE, detail VARCHAR, seq BIGINT)"
    )
    jjn = numbers["P1"]
    con.execute(
        "INSERT INTO crimes VALUES"
        f" ('E23000036', 'E23000036', 'CR1', 'P1', '{jjn}', 'violence', '2026-01-05 10:00+00', '2026-01-05', '2026-01-05', 'Y', 'N', NULL, NULL),"
        f" ('E23000036', 'E23000036', 'CR2', 'P1', '{jjn}', 'theft', '2026-03-01 10:00+00', '2026-03-01', '2026-03-01', 'N', 'N', '18', '2026-04-01')"
    )
    con.execute(
        "INSERT INTO events VALUES"
        f" ('E23000036', 'E23000036', 'CR1', 'P1', '{jjn}', 'written_confirmation_sent', '2026-01-06 09:00+00', '2026-01-06', NULL, 1),"
        f" ('CPS-SW', 'E23000036', 'CR1', 'P1', '{jjn}', 'decision_not_to_proceed', '2026-02-01 09:00+00', '2026-02-01', 'cps_no_charge', 2)"
    )
    return con


def test_rows_from_a_body_without_an_agreement_are_withheld_and_the_refusal_audited():
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    viewer = staff("cps", role="analyst", organisation_code="CPS-SW")
    view = queries.person_view(
        viewer, numbers["P1"], purpose="case conference", con=lake_with_two_bodies(numbers)
    )
    assert [row["event_type"] for row in view.events] == ["decision_not_to_proceed"]
    assert view.crimes == [] and view.withheld_bodies == ["E23000036"]
    refused = AuditEvent.objects.get(action="identity.person_view", outcome="refused")
    assert refused.detail["withheld_bodies"] == ["E23000036"] and refused.purpose == "case conference"


def test_with_an_agreement_the_view_shows_crimes_across_merged_numbers_and_repeat_indicators():
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    other = register_victims(body="CPS-SW", records=[person("C1", given_name="Millie")], by=None)["C1"]
    survivor = actions.merge(first=other, second=numbers["P1"], by=None, reason="test")
    viewer = staff("cps", role="analyst", organisation_code="CPS-SW")
    agreement(viewer, "E23000036", starts_on=date(2025, 1, 1))
    view = queries.person_view(viewer, other, purpose="case conference", con=lake_with_two_bodies(numbers))
    assert view.jjn == survivor == registry.resolve(other)
    assert (view.crime_count, view.forces, view.repeat_victim) == (2, ["E23000036"], True)
    assert (view.first_report, view.last_report) == (date(2026, 1, 5), date(2026, 3, 1))
    assert not AuditEvent.objects.filter(action="identity.person_view", outcome="refused").exists()


def test_after_a_split_each_number_shows_only_its_own_records_crimes_and_events():
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="AMELIA")], by=None
    )
    shared = numbers["P1"]
    assert numbers["P2"] == shared
    con = lake_with_two_bodies(numbers)
    con.execute(
        "INSERT INTO crimes VALUES ('E23000036', 'E23000036', 'CR9', 'P2', ?, 'theft', '2026-05-01 10:00+00',"
        " '2026-05-01', '2026-05-01', 'N', 'N', NULL, NULL)",
        [shared],
    )
    con.execute(
        "INSERT INTO events VALUES ('CPS-SW', 'E23000036', 'CR9', 'P2', ?, 'decision_not_to_proceed',"
        " '2026-06-01 09:00+00', '2026-06-01', 'cps_no_charge', 3)",
        [shared],
    )
    item = actions.request_split(value=shared, reason="two people", by=None, actor_label="analyst")
    moved = VictimRecord.objects.using("vault").get(person_ref="P2")
    reviewer = staff("national", role="national_analyst", organisation_code="NAT")
    new = actions.decide_split(item=item, move_records=[moved.id], by=reviewer, note="", purpose="review")
    viewer = staff("analyst", role="analyst")
    agreement(viewer, "CPS-SW")
    first = queries.person_view(viewer, shared, purpose="case conference", con=con)
    second = queries.person_view(viewer, new, purpose="case conference", con=con)
    assert [row["crime_ref"] for row in first.crimes] == ["CR1", "CR2"] and first.repeat_victim
    assert [row["crime_ref"] for row in first.events] == ["CR1", "CR1"]
    assert [row["crime_ref"] for row in second.crimes] == ["CR9"]
    assert [row["crime_ref"] for row in second.events] == ["CR9"]


def test_the_journey_reads_in_the_standard_s_words_not_its_codes():
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    viewer = staff("cps", role="analyst", organisation_code="CPS-SW")
    agreement(viewer, "E23000036", starts_on=date(2025, 1, 1))
    view = queries.person_view(
        viewer, numbers["P1"], purpose="case conference", con=lake_with_two_bodies(numbers)
    )
    page = render_to_string("identity/person.html", {"view": view, "split_form": None})
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', page)
    assert cells[:6] == [
        "5 January 2026",
        "Avon and Somerset",
        "CR1",
        "Violence against the person",
        "Yes",
        "—",
    ]
    assert cells[6:12] == ["1 March 2026", "Avon and Somerset", "CR2", "Theft", "No",
                           "Investigation complete, no suspect identified"]  # fmt: skip
    assert "CPS decision not to charge" in page and "6 January 2026" in page
    assert "decision_not_to_proceed" not in page and "E23000036" not in page


def test_an_expired_agreement_no_longer_counts():
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    viewer = staff("cps", role="analyst", organisation_code="CPS-SW")
    agreement(viewer, "E23000036", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31))
    view = queries.person_view(
        viewer, numbers["P1"], purpose="case conference", con=lake_with_two_bodies(numbers)
    )
    assert view.withheld_bodies == ["E23000036"]


def test_the_person_page_asks_why_then_shows_the_journey(client):
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    client.force_login(staff("analyst", role="analyst"))
    typed = numbers["P1"].lower().replace("-", " ")
    found = client.get(reverse("identity:find_person"), {"jjn": typed})
    assert found.status_code == 302 and found.url.endswith(f"/identity/people/{numbers['P1']}/")
    asked = client.get(found.url)
    assert b"Why do you need to see this?" in asked.content
    shown = client.post(found.url, {"purpose": "checking repeat victimisation"})
    assert shown.status_code == 200 and numbers["P1"].encode() in shown.content
    assert AuditEvent.objects.filter(
        action="identity.person_view", purpose="checking repeat victimisation"
    ).exists()


def test_a_mistyped_number_is_explained(client):
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    client.force_login(staff("analyst", role="analyst"))
    wrong = numbers["P1"][:-1] + ("3" if numbers["P1"][-1] != "3" else "4")
    page = client.get(reverse("identity:find_person"), {"jjn": wrong})
    assert "the check character is wrong — a character may be mistyped" in page.content.decode()


def test_the_match_page_finds_a_person(client):
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    client.force_login(staff("officer", role="submitter"))
    page = client.post(
        reverse("identity:match"),
        {"given_name": "Amelia", "family_name": "Thornbury", "date_of_birth": "1988-04-12", "postcode": "BS1 4DJ",
         "email": "amelia@example.org", "purpose": "victim at the front counter"},
    )  # fmt: skip
    assert numbers["P1"].encode() in page.content
    too_few = client.post(
        reverse("identity:match"), {"given_name": "Amelia", "purpose": "victim at the counter"}
    )
    assert "Give an e-mail address, a phone number, a date of birth with a name" in too_few.content.decode()


def test_possible_splits_come_first_and_a_full_queue_says_more_are_waiting(client, pair, monkeypatch):
    register_victims(body="E23000005", records=[person("W1", given_name="Amy", email=None)], by=None)
    third = VictimRecord.objects.using("vault").order_by("-id")[0]
    actions.raise_pairs([(pair.left_id, third.id, 0.9)], by=None, actor_label="linkage")
    split = actions.request_split(
        value=VictimRecord.objects.using("vault").order_by("id")[0].jjn.display,
        reason="two dates of birth",
        by=None,
        actor_label="linkage",
    )
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    page = client.get(reverse("identity:review")).content.decode()
    items = [int(found) for found in re.findall(r'href="/identity/review/(\d+)/"', page)]
    assert items[0] == split.id and len(items) == 3
    assert "data-more-waiting" not in page
    monkeypatch.setattr("identity.queries.QUEUE_SHOWN", 2)
    page = client.get(reverse("identity:review")).content.decode()
    assert re.findall(r'href="/identity/review/(\d+)/"', page) == [str(split.id), str(items[1])]
    assert "The first 2 items you can decide are listed." in page


def test_the_review_queue_needs_few_queries(client, pair, django_assert_max_num_queries):
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    with django_assert_max_num_queries(12):
        client.get(reverse("identity:review"))


def test_the_api_checks_numbers_without_signing_in(client):
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    good = client.get("/api/identity/jjn/check", {"value": numbers["P1"].lower()}).json()
    assert good == {"value": numbers["P1"].lower(), "valid": True, "jjn": numbers["P1"], "reason": None}
    bad = client.get("/api/identity/jjn/check", {"value": "JJ-7KDA"}).json()
    assert bad["valid"] is False and "12 characters" in bad["reason"]


def test_the_api_matches_for_signed_in_front_line_staff_only(client):
    numbers = register_victims(body="E23000036", records=[person("P1")], by=None)
    details = {"given_name": "Amelia", "family_name": "Thornbury", "date_of_birth": "1988-04-12",
               "postcode": "BS1 4DJ", "email": "amelia@example.org", "purpose": "victim on the phone"}  # fmt: skip
    assert client.post("/api/identity/match", details, content_type="application/json").status_code == 401
    client.force_login(staff("officer", role="analyst"))
    answer = client.post("/api/identity/match", details, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["jjn"] == numbers["P1"]
    short = client.post("/api/identity/match", {**details, "purpose": "x"}, content_type="application/json")
    assert short.status_code == 400 and "at least 10 characters" in short.json()["detail"]
    without = client.post(
        "/api/identity/match",
        {name: value for name, value in details.items() if name != "purpose"},
        content_type="application/json",
    )
    assert (
        without.status_code == 400 and without.json()["detail"] == "purpose: Enter why you need to see this"
    )
    # The page's rules for each detail hold here too; nothing is searched, stored or audited as a match.
    for field, value, said in (("purpose", "p" * 501, "at most 500"), ("email", "not-an-email", "valid email"),
                               ("given_name", "A" * 101, "at most 100"), ("postcode", "B" * 11, "at most 10")):  # fmt: skip
        refused = client.post(
            "/api/identity/match",
            {**details, field: value, "allocate": True},
            content_type="application/json",
        )
        assert refused.status_code == 400 and refused.json()["detail"].startswith(f"{field}: "), field
        assert said in refused.json()["detail"], field
    assert VictimRecord.objects.using("vault").count() == 1
    assert AuditEvent.objects.filter(action="identity.match").count() == 1
    client.force_login(staff("admin", role="administrator", organisation_code="NAT"))
    assert client.post("/api/identity/match", details, content_type="application/json").status_code == 403


def test_the_api_refuses_a_date_of_birth_that_is_not_a_date_as_the_page_does(client):
    register_victims(body="E23000036", records=[person("P1")], by=None)
    client.force_login(staff("officer", role="analyst"))
    details = {"given_name": "Amelia", "family_name": "Thornbury", "purpose": "victim on the phone"}
    for value in ("1985-13-45", "12 April 1988", "1988-04"):
        refused = client.post(
            "/api/identity/match", {**details, "date_of_birth": value}, content_type="application/json"
        )
        assert refused.status_code == 400, value
        assert refused.json() == {"detail": "date_of_birth: Enter a valid date."}, value
    assert AuditEvent.objects.filter(action="identity.match").count() == 0
    for value in ("1988-04-12", "12/04/1988"):  # as the page takes it
        good = client.post(
            "/api/identity/match", {**details, "date_of_birth": value}, content_type="application/json"
        )
        assert good.status_code == 200 and good.json()["status"] == "matched", value


def test_administrators_record_and_end_agreements_which_are_audited(client):
    admin = staff("admin", role="administrator", organisation_code="NAT")
    cps = staff("cps", role="analyst", organisation_code="CPS-SW")
    organisation("E23000036", name="Avon and Somerset")
    client.force_login(admin)
    answer = client.post(
        reverse("identity:agreements"),
        {"organisation": cps.organisation.pk, "source_body": "E23000036", "scope": "person_view",
         "reference": "ISA-2026-014", "starts_on": "2026-01-01", "ends_on": ""},
    )  # fmt: skip
    assert answer.status_code == 302
    assert "E23000036" in queries.access.agreed_bodies(cps, "person_view", on=date(2026, 6, 1))
    agreement_id = SharingAgreement.objects.get().pk
    assert (
        reverse("identity:end_agreement", args=[agreement_id])
        in client.get(reverse("identity:agreements")).content.decode()
    )
    client.post(reverse("identity:end_agreement", args=[agreement_id]), {"ends_on": "2026-03-31"})
    assert "E23000036" not in queries.access.agreed_bodies(cps, "person_view", on=date(2026, 6, 1))
    assert (
        AuditEvent.objects.filter(
            action__in=["identity.agreement_recorded", "identity.agreement_ended"]
        ).count()
        == 2
    )
    page = client.get(reverse("identity:agreements")).content.decode()
    # Ended (31 March 2026 is past): no end form any more, only its dates, written out.
    assert "data-ended" in page and reverse("identity:end_agreement", args=[agreement_id]) not in page
    assert "1 Jan 2026" in page and "31 Mar 2026" in page
    client.force_login(cps)
    assert client.get(reverse("identity:agreements")).status_code == 403


def test_the_identity_start_page_lists_only_the_tools_a_role_may_use(client):
    client.force_login(staff("sender", role="submitter"))
    page = client.get(reverse("identity:index")).content.decode()
    assert reverse("identity:match") in page
    assert reverse("identity:review") not in page and reverse("identity:find_person") not in page
    assert reverse("identity:agreements") not in page
    admin = staff("admin", role="administrator", organisation_code="NAT")
    client.force_login(admin)
    page = client.get(reverse("identity:index")).content.decode()
    assert reverse("identity:agreements") in page and reverse("identity:review") not in page
    assert reverse("identity:find_person") not in page
    # Administrators see no one's personal data: the review queue is refused them.
    assert client.get(reverse("identity:review")).status_code == 403


def test_a_split_is_decided_on_the_review_page(client):
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", given_name="AMELIA")], by=None
    )
    item = actions.request_split(
        value=numbers["P1"], reason="two people at one address", by=None, actor_label="t"
    )
    moved = VictimRecord.objects.using("vault").get(person_ref="P2")
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    shown = client.post(
        reverse("identity:review_item", args=[item.id]), {"purpose": "split requested by a force"}
    )
    assert b"two people at one address" in shown.content and b"P2" in shown.content
    decided = client.post(
        reverse("identity:review_item", args=[item.id]),
        {"decide": "1", "move": [str(moved.id)], "note": "", "purpose": "split requested by a force"},
    )
    assert decided.status_code == 302
    moved.refresh_from_db()
    assert moved.jjn.display != numbers["P1"]
    assert registry.resolve(numbers["P1"]) == numbers["P1"]


def test_national_analysts_see_numbers_shared_across_forces_and_nobody_else_does(client):
    register_victims(body="E23000036", records=[person("P1")], by=None)
    register_victims(body="E23000001", records=[person("Q1")], by=None)
    register_victims(body="CPS-SW", records=[person("C1")], by=None)
    register_victims(
        body="E23000036", records=[person("P2", given_name="Zofia", family_name="Nowak")], by=None
    )
    first, second, third = VictimRecord.objects.using("vault").order_by("id")[:3]
    actions.merge(first=first.jjn.number, second=second.jjn.number, by=None, reason="test")
    actions.merge(first=first.jjn.number, second=third.jjn.number, by=None, reason="test")
    shared = registry.resolve(first.jjn.number)

    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    page = client.get(reverse("identity:index")).content.decode()
    assert "Numbers with records from more than one police force" in page
    assert shared in page and "Avon and Somerset, CPS South West, Metropolitan Police" in page
    assert "Nowak" not in page and "Amelia" not in page

    client.force_login(staff("analyst", role="analyst", organisation_code="E23000036"))
    assert shared not in client.get(reverse("identity:index")).content.decode()


def test_the_overview_counts_numbers_not_records():
    register_victims(body="E23000036", records=[person("P1"), person("P2", given_name="Zofia")], by=None)
    register_victims(body="BTP", records=[person("B1")], by=None)
    one, _, other = VictimRecord.objects.using("vault").order_by("id")
    actions.merge(first=one.jjn.number, second=other.jjn.number, by=None, reason="test")
    overview = queries.linkage_overview(force_codes={"E23000036", "BTP"}, examples=5)
    assert (overview.numbers, overview.records) == (2, 3)
    assert (overview.in_several_bodies, overview.in_several_forces) == (1, 1)
    assert overview.examples[0].bodies == ("BTP", "E23000036")


def test_the_start_page_counts_what_waits_for_review_in_good_english(client, pair):
    numbers = register_victims(body="E23000036", records=[person("P9", given_name="Zofia")], by=None)
    actions.request_split(value=numbers["P9"], reason="two people", by=None, actor_label="t")
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    page = client.get(reverse("identity:index")).content.decode()
    assert "(1 pair waiting, 1 split waiting)" in " ".join(page.split())


def test_the_overview_separates_thousands():
    overview = queries.LinkageOverview(
        numbers=17010, records=20619, in_several_bodies=2226, in_several_forces=363, examples=[]
    )
    page = render_to_string("identity/index.html", {"overview": overview})
    assert all(f">{count}<" in page for count in ("17,010", "20,619", "2,226", "363"))


def test_a_split_request_without_a_reason_or_with_too_long_a_one_says_so_on_the_next_page(client):
    numbers = register_victims(body="E23000001", records=[person("M1")], by=None)
    client.force_login(staff("met", role="analyst", organisation_code="E23000001"))
    split = reverse("identity:request_split", args=[numbers["M1"]])
    for reason, said in (("", "Say why this number may be two people."),
                         ("x" * 501, "Say why in 500 characters or fewer.")):  # fmt: skip
        page = client.post(split, {"reason": reason}, follow=True).content.decode()
        assert said in page and 'class="govuk-notification-banner__title"' in page
        assert "There is a problem" in page
    assert not ReviewItem.objects.using("vault").exists()


def test_asking_for_a_number_never_issued_is_audited(client):
    client.force_login(staff("analyst", role="analyst"))
    unissued = "JJ-9NN4-K7CM-3A7W"
    answer = client.post(reverse("identity:person", args=[unissued]), {"purpose": "checking a letter"})
    assert answer.status_code == 404
    refused = AuditEvent.objects.get(action="identity.person_view", outcome="refused")
    assert refused.target == f"jjn:{unissued}" and refused.detail == {"reason": "number never issued"}
    assert refused.purpose == "checking a letter"


def test_the_start_page_counts_only_the_items_an_agreement_lets_the_analyst_decide(client, pair):
    register_victims(body="E23000001", records=[person("M1"), person("M2", given_name="AMELIA")], by=None)
    actions.request_split(
        value=VictimRecord.objects.using("vault").get(person_ref="M1").jjn.display,
        reason="two people",
        by=None,
        actor_label="linkage",
    )
    analyst = staff("hmcts", role="analyst", organisation_code="HMCTS")
    for body in ("E23000036", "CPS-SW"):
        agreement(analyst, body, scope="clerical_review")
    client.force_login(analyst)
    page = client.get(reverse("identity:index")).content.decode()
    assert "1 pair waiting" in page and "0 splits waiting" in page
    client.force_login(staff("national", role="national_analyst", organisation_code="NAT"))
    page = client.get(reverse("identity:index")).content.decode()
    assert "1 pair waiting" in page and "1 split waiting" in page


def test_the_match_page_holds_back_a_second_number_until_the_candidates_are_checked(client):
    client.force_login(staff("analyst", role="analyst"))
    form = {
        "given_name": "Perpetua",
        "postcode": "TA1 1AA",
        "purpose": "new report at the desk",
        "allocate": "on",
    }
    assert "New JJN issued" in client.post(reverse("identity:match"), form).content.decode()
    again = client.post(reverse("identity:match"), form).content.decode()
    assert "data-held" in again and "New JJN issued" not in again
    checked = client.post(reverse("identity:match"), {**form, "none_of_these": "on"}).content.decode()
    assert "New JJN issued" in checked
    assert VictimRecord.objects.using("vault").count() == 2
