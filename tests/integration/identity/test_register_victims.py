from datetime import date

import pytest

from accounts.models import AuditEvent
from identity import jjn
from identity.models import JusticeJourneyNumber, RegistryEvent, VictimRecord
from identity.services import InvalidVictimRecord, VictimIdentity, age_bands, register_victims
from tests.factories.identity import person

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def test_the_same_person_at_two_bodies_gets_one_number():
    police = register_victims(body="E23000036", records=[person("P1")], by=None)
    cps = register_victims(
        body="CPS-SW",
        records=[person("C9", given_name=" amélia ", family_name="THORN-BURY", postcode="bs14dj")],
        by=None,
    )
    assert cps["C9"] == police["P1"]
    assert jjn.is_valid(police["P1"])
    assert police["P1"] == jjn.display(police["P1"])


def test_different_people_get_different_numbers_and_same_batch_duplicates_share_one():
    numbers = register_victims(
        body="E23000036",
        records=[
            person("P1"),
            person("P2", date_of_birth=date(1988, 4, 13)),
            person("P3", given_name="AMELIA"),
            person("P4", date_of_birth=None),
            person("P5", date_of_birth=None),
        ],
        by=None,
    )
    assert numbers["P1"] == numbers["P3"]
    # Without a date of birth a name alone is never enough to join two people.
    assert len({numbers["P1"], numbers["P2"], numbers["P4"], numbers["P5"]}) == 4
    assert JusticeJourneyNumber.objects.using("vault").count() == 4
    assert RegistryEvent.objects.using("vault").filter(kind="issued").count() == 4


def test_a_valid_given_number_is_used_and_an_invalid_one_is_ignored():
    issued = register_victims(body="E23000036", records=[person("P1")], by=None)["P1"]
    numbers = register_victims(
        body="CPS-SW",
        records=[
            person("C1", given_name="Someone", family_name="Else", jjn=issued.lower().replace("-", " ")),
            person(
                "C2",
                given_name="Third",
                family_name="Person",
                jjn=issued[:-1] + ("3" if issued[-1] != "3" else "4"),
            ),
        ],
        by=None,
    )
    assert numbers["C1"] == issued
    assert numbers["C2"] != issued
    event = AuditEvent.objects.get(action="identity.register_victims", target="body:CPS-SW")
    assert event.detail["invalid_jjn_ignored"] == 1


def test_a_well_formed_number_never_issued_here_is_recorded_as_received():
    outside = jjn.display(jjn.generate())
    numbers = register_victims(
        body="E23000036", records=[VictimIdentity(person_ref="P1", jjn=outside)], by=None
    )
    assert numbers["P1"] == outside
    assert JusticeJourneyNumber.objects.using("vault").get(number=jjn.parse(outside)).origin == "received"


def test_resubmission_keeps_numbers_and_updates_changed_details():
    first = register_victims(body="E23000036", records=[person("P1"), person("P2", given_name="Bo")], by=None)
    again = register_victims(
        body="E23000036", records=[person("P1", postcode="BS2 0JA"), person("P2", given_name="Bo")], by=None
    )
    assert again == first
    record = VictimRecord.objects.using("vault").get(person_ref="P1")
    assert record.decrypted("postcode") == "BS2 0JA"
    detail = AuditEvent.objects.filter(action="identity.register_victims").first().detail
    assert (detail["records_updated"], detail["records_unchanged"]) == (1, 1)


def test_bad_records_are_refused_naming_row_and_column():
    with pytest.raises(InvalidVictimRecord, match="row 2, columns given_name and family_name"):
        register_victims(body="E23000036", records=[person("P1"), VictimIdentity(person_ref="P2")], by=None)
    with pytest.raises(InvalidVictimRecord, match="row 2, column person_ref: 'P1' is also on row 1"):
        register_victims(body="E23000036", records=[person("P1"), person("P1")], by=None)
    assert not VictimRecord.objects.using("vault").exists()


def test_personal_fields_are_encrypted_in_the_vault():
    register_victims(body="E23000036", records=[person("P1")], by=None)
    stored = VictimRecord.objects.using("vault").values("given_name", "postcode").get()
    assert b"Amelia" not in bytes(stored["given_name"])
    assert VictimRecord.objects.using("vault").get().decrypted("given_name") == "Amelia"


def test_age_bands_come_from_the_vault():
    register_victims(
        body="E23000036",
        records=[person("P1", date_of_birth=date(2008, 6, 1)), person("P2", date_of_birth=None)],
        by=None,
    )
    bands = age_bands(
        [
            ("E23000036", "P1", date(2026, 5, 31)),
            ("E23000036", "P1", date(2026, 6, 1)),
            ("E23000036", "P2", date(2026, 6, 1)),
            ("E23000036", "nobody", date(2026, 6, 1)),
        ]
    )
    assert bands == ["0-17", "18-24", None, None]


@pytest.mark.slow
def test_a_large_batch_is_registered_with_few_queries(django_assert_max_num_queries):
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    records = [
        person(
            f"P{index}",
            given_name="Jo" + letters[index % 26] + letters[index // 26 % 26] + letters[index // 676],
        )
        for index in range(5000)
    ]
    with django_assert_max_num_queries(200, connection=None):
        numbers = register_victims(body="E23000036", records=records, by=None)
    assert len(set(numbers.values())) == 5000


def test_dates_of_birth_given_as_text_are_read_and_bad_ones_named():
    numbers = register_victims(
        body="E23000036", records=[person("P1"), person("P2", date_of_birth="1988-04-12")], by=None
    )
    assert numbers["P1"] == numbers["P2"]
    with pytest.raises(InvalidVictimRecord, match="row 1, column date_of_birth: '12/04/1988' is not a date"):
        register_victims(body="E23000036", records=[person("P3", date_of_birth="12/04/1988")], by=None)


def test_a_person_sent_before_keeps_their_number_when_the_body_names_another():
    first = register_victims(body="E23000036", records=[person("P1"), person("P2", given_name="Bo")], by=None)
    again = register_victims(body="E23000036", records=[person("P1", jjn=first["P2"])], by=None)
    assert again["P1"] == first["P1"]
    assert AuditEvent.objects.filter(action="identity.register_victims").first().detail["jjn_conflicts"] == 1


def test_long_youth_justice_service_codes_are_accepted():
    body = "YJS-" + "BRISTOL-AND-SOUTH-GLOUCESTERSHIRE-JOINT"[:34]
    assert len(body) == 38
    numbers = register_victims(body=body, records=[person("Y1")], by=None)
    assert VictimRecord.objects.using("vault").get(person_ref="Y1").body == body and numbers["Y1"]
