from datetime import date

import pytest

from accounts.models import AuditEvent
from identity import jjn
from identity.models import VictimRecord
from identity.services import MatchRefused, VictimIdentity, match_person, register_victims
from tests.factories.identity import person, staff

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def vault():
    return register_victims(
        body="E23000036",
        records=[
            person("P1"),
            person("P2", given_name="Rowan", family_name="Achterberg", date_of_birth=date(1990, 2, 3),
                   postcode="M1 1AE", email="rowan@example.org", phone="07700 900555"),
            person("P3", given_name="Amelie", family_name="Thornbury", date_of_birth=date(1988, 4, 12),
                   postcode="BS1 4DJ", email=None, phone=None),
        ],
        by=None,
    )  # fmt: skip


def test_a_unique_certain_match_returns_the_number(vault):
    officer = staff("officer", role="analyst")
    result = match_person(
        {"given_name": "Rowan", "family_name": "Achterberg", "date_of_birth": date(1990, 2, 3),
         "postcode": "m1 1ae", "email": "ROWAN@example.org"},
        by=officer, purpose="victim called the front desk",
    )  # fmt: skip
    assert (result.status, result.jjn) == ("matched", vault["P2"])
    event = AuditEvent.objects.get(action="identity.match")
    assert (event.purpose, event.target) == ("victim called the front desk", f"jjn:{vault['P2']}")
    assert "Rowan" not in str(event.detail)


def test_an_uncertain_match_returns_candidates_without_personal_details(vault):
    result = match_person(
        VictimIdentity(
            person_ref="", given_name="A", family_name="Thornbury", date_of_birth=date(1988, 4, 12)
        ),
        by=None,
        purpose="front desk check",
    )
    assert result.status in {"candidates", "none"}
    assert result.jjn is None
    assert all(jjn.is_valid(candidate.jjn) for candidate in result.candidates)


def test_allocation_on_request_stores_the_person_so_they_are_found_next_time(vault):
    officer = staff("officer", role="analyst")
    details = {"given_name": "Ezinne", "family_name": "Okonkwo-Barras", "date_of_birth": date(2001, 7, 30),
               "postcode": "LS1 4AP", "email": "ezinne@example.org"}  # fmt: skip
    assert match_person(details, by=officer, purpose="new report").status == "none"
    allocated = match_person(details, allocate=True, by=officer, purpose="new report")
    assert allocated.status == "allocated" and jjn.is_valid(allocated.jjn)
    assert VictimRecord.objects.using("vault").get(jjn__number=jjn.parse(allocated.jjn)).body == "E23000036"
    again = match_person(details, by=officer, purpose="follow-up call")
    assert (again.status, again.jjn) == ("matched", allocated.jjn)


def test_matching_needs_a_purpose_and_something_to_search_on(vault):
    for purpose in (" ", "check", " check    "):
        with pytest.raises(MatchRefused, match=r"say why .* at least 10 characters"):
            match_person({"given_name": "Rowan"}, by=None, purpose=purpose)
    for details in ({"given_name": "Rowan"}, {"date_of_birth": date(1990, 2, 3)}):
        with pytest.raises(
            MatchRefused, match="a date of birth with a name, or a given name with a postcode"
        ):
            match_person(details, by=None, purpose="front desk check")
    assert match_person({"phone": "07700 900123"}, by=None, purpose="front desk check").status == "none"


def test_candidate_search_uses_the_index(vault, django_assert_max_num_queries):
    with django_assert_max_num_queries(4, connection=None):
        match_person({"given_name": "Rowan", "family_name": "Achterberg", "date_of_birth": date(1990, 2, 3)},
                     by=None, purpose="front desk check")  # fmt: skip


def test_only_a_recording_body_can_issue_a_new_number(vault):
    national = staff("national", role="national_analyst", organisation_code="NAT")
    details = {"given_name": "Ezinne", "family_name": "Okonkwo", "date_of_birth": date(2001, 7, 30)}
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with (
        CaptureQueriesContext(connections["vault"]) as vault_queries,
        pytest.raises(MatchRefused, match="only a body that records victims"),
    ):
        match_person(details, allocate=True, by=national, purpose="front desk check")
    assert len(vault_queries) == 0  # refused before the vault is searched


def test_a_new_number_is_held_back_while_candidates_are_unchecked(vault):
    officer = staff("officer", role="analyst")
    details = {"given_name": "Perpetua", "postcode": "TA1 1AA"}
    first = match_person(details, allocate=True, by=officer, purpose="new report at the desk")
    assert first.status == "allocated"
    held = VictimRecord.objects.using("vault").count()  # the fixture's people and this one
    # The same page sent again: the number just issued is a candidate, so no second one is issued.
    again = match_person(details, allocate=True, by=officer, purpose="new report at the desk")
    assert (again.status, again.jjn, again.new_number_held) == ("candidates", None, True)
    assert [candidate.jjn for candidate in again.candidates] == [first.jjn]
    assert VictimRecord.objects.using("vault").count() == held
    checked = match_person(details, allocate=True, none_of_these=True, by=officer, purpose="checked by phone")
    assert checked.status == "allocated" and checked.jjn != first.jjn
    assert VictimRecord.objects.using("vault").count() == held + 1
