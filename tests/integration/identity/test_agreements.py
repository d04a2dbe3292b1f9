"""Information-sharing agreements: when they count, ending them, and agreements that would overlap."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from identity import access, actions
from identity.models import SharingAgreement
from tests.factories.identity import agreement, organisation, staff

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

SCOPE = SharingAgreement.Scope.PERSON_VIEW


@pytest.fixture
def cps():
    return staff("cps", role="analyst", organisation_code="CPS-SW")


@pytest.fixture
def admin():
    return staff("admin", role="administrator", organisation_code="NAT")


def sees_force(user, on):
    return "E23000036" in access.agreed_bodies(user, SCOPE, on=on)


def record(admin, viewer, starts_on, ends_on=None, reference="ISA-2"):
    return actions.record_agreement(
        by=admin, organisation=viewer.organisation, source_body="E23000036", scope=SCOPE,
        reference=reference, starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip


def test_an_agreement_counts_until_the_day_before_its_end_date(cps):
    agreement(cps, "E23000036", starts_on=date(2026, 1, 1), ends_on=date(2026, 4, 1))
    assert not sees_force(cps, date(2025, 12, 31))
    assert sees_force(cps, date(2026, 1, 1)) and sees_force(cps, date(2026, 3, 31))
    assert not sees_force(cps, date(2026, 4, 1))


def test_ending_an_agreement_today_stops_the_sharing_at_once(client, admin, cps):
    shared = agreement(cps, "E23000036", starts_on=date(2025, 1, 1))
    today = timezone.localdate()
    client.force_login(admin)
    page = client.get(reverse("identity:agreements")).content.decode()
    assert f'value="{today:%Y-%m-%d}"' in page  # the end form offers today
    client.post(reverse("identity:end_agreement", args=[shared.pk]), {"ends_on": f"{today:%Y-%m-%d}"})
    assert not sees_force(cps, today)
    assert "data-ended" in client.get(reverse("identity:agreements")).content.decode()


def test_a_future_agreement_is_withdrawn_by_ending_it_on_its_start_date(admin, cps):
    starts = timezone.localdate() + timedelta(days=30)
    future = agreement(cps, "E23000036", starts_on=starts)
    actions.end_agreement(by=admin, agreement=future, ends_on=starts)
    assert not sees_force(cps, starts) and not sees_force(cps, starts + timedelta(days=400))
    with pytest.raises(actions.AgreementError, match="cannot end before it starts"):
        actions.end_agreement(
            by=admin, agreement=agreement(cps, "WCU-1", starts_on=starts), ends_on=starts - timedelta(1)
        )


def test_a_withdrawn_agreement_cannot_be_ended_again(client, admin, cps):
    starts = timezone.localdate() + timedelta(days=30)
    future = agreement(cps, "E23000036", starts_on=starts)
    client.force_login(admin)
    end = reverse("identity:end_agreement", args=[future.pk])
    withdrawn = client.post(end, {"ends_on": f"{starts:%Y-%m-%d}"}, follow=True).content.decode()
    assert "Agreement end date recorded." in withdrawn
    # Shown as ended, with no end form, although its end date has not come.
    assert "data-ended" in withdrawn and end not in withdrawn
    again = client.post(end, {"ends_on": f"{starts:%Y-%m-%d}"}, follow=True).content.decode()
    assert "This agreement has already ended." in again and "Agreement end date recorded." not in again
    assert AuditEvent.objects.filter(action="identity.agreement_ended").count() == 1


def test_an_ended_agreement_cannot_be_reopened_nor_an_end_date_put_back(client, admin, cps):
    today = timezone.localdate()
    ended = agreement(cps, "E23000036", starts_on=date(2024, 1, 1), ends_on=date(2025, 1, 1))
    client.force_login(admin)
    client.post(reverse("identity:end_agreement", args=[ended.pk]), {"ends_on": "2099-12-31"})
    ended.refresh_from_db()
    assert ended.ends_on == date(2025, 1, 1) and not sees_force(cps, today)
    assert "This agreement has already ended." in client.get(reverse("identity:agreements")).content.decode()

    ending = agreement(cps, "WCU-1", starts_on=date(2024, 1, 1), ends_on=today + timedelta(days=10))
    with pytest.raises(actions.AgreementError, match="only be brought forward"):
        actions.end_agreement(by=admin, agreement=ending, ends_on=today + timedelta(days=20))
    actions.end_agreement(by=admin, agreement=ending, ends_on=today + timedelta(days=5))
    ending.refresh_from_db()
    assert ending.ends_on == today + timedelta(days=5)
    actions.end_agreement(by=admin, agreement=ending, ends_on=today + timedelta(days=5))  # the same day again
    logged = AuditEvent.objects.filter(action="identity.agreement_ended").get()
    assert logged.detail == {
        "ends_on": str(today + timedelta(days=5)),
        "previous_ends_on": str(today + timedelta(days=10)),
    }


def test_an_agreement_that_overlaps_another_for_the_same_bodies_and_scope_is_refused(client, admin, cps):
    record(admin, cps, date(2026, 1, 1), date(2026, 7, 1), reference="ISA-1")
    with pytest.raises(actions.AgreementError, match="ISA-1 already covers these dates"):
        record(admin, cps, date(2026, 6, 30))
    with pytest.raises(actions.AgreementError, match="ISA-1 already covers these dates"):
        record(admin, cps, date(2025, 1, 1), date(2026, 1, 2))
    record(admin, cps, date(2026, 7, 1), reference="ISA-2")  # the day the first one stops
    record(admin, cps, date(2025, 1, 1), date(2026, 1, 1), reference="ISA-0")  # until the day it starts
    assert SharingAgreement.objects.count() == 3

    organisation("E23000036", name="Avon and Somerset")
    client.force_login(admin)
    answer = client.post(
        reverse("identity:agreements"),
        {"organisation": cps.organisation.pk, "source_body": "E23000036", "scope": SCOPE,
         "reference": "ISA-DUP", "starts_on": "2027-01-01", "ends_on": ""},
    )  # fmt: skip
    assert answer.status_code == 200
    assert "ISA-2 already covers these dates" in answer.content.decode()
    assert not SharingAgreement.objects.filter(reference="ISA-DUP").exists()


def test_a_withdrawn_agreement_does_not_stand_in_the_way_of_a_new_one(admin, cps):
    withdrawn = agreement(cps, "E23000036", starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 1))
    assert not withdrawn.in_force_on(date(2026, 1, 1))
    record(admin, cps, date(2026, 1, 1))
    assert sees_force(cps, date(2026, 1, 1))


def test_an_empty_agreement_form_says_what_each_field_needs(client, admin):
    client.force_login(admin)
    page = client.post(reverse("identity:agreements"), {"starts_on": "31/02/2026"}).content.decode()
    for said in ("Select the organisation that may see the data", "Select the body whose data may be seen",
                 "Select what the agreement is for", "Enter the agreement&#x27;s reference",
                 "Enter the start date as a real date, for example 2026-04-01"):  # fmt: skip
        assert said in page, said
    assert "This field is required." not in page


def test_the_reason_asked_before_personal_data_is_shown_says_what_is_missing(client):
    client.force_login(staff("analyst", role="analyst"))
    page = reverse("identity:person", args=["JJ-9NN4-K7CM-3A7W"])
    assert "Enter why you need to see this" in client.post(page, {"purpose": ""}).content.decode()
    assert "Say why in at least 10 characters" in client.post(page, {"purpose": "short"}).content.decode()
