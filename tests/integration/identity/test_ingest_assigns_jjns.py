"""Ingest hands victims' personal fields to the vault and stores only the JJN downstream."""

from pathlib import Path

import duckdb
import pytest
from django.conf import settings

from accounts.models import Organisation
from analytics.ingest import register_current_views
from identity import jjn
from identity.models import VictimRecord, VictimRecordVersion
from journeys.actions import Actor, submit

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def victims(rows: list[dict[str, str]], body: str) -> None:
    Organisation.objects.get_or_create(code=body, defaults={"name": body, "kind": "police_force"})
    submission = submit(
        by=Actor(user=None, label="test"),
        body_code=body,
        file_name="victims.csv",
        records=rows,
        table="victims",
    )
    assert submission.status == "stored", (submission.status, submission.reason)


def lake_bytes() -> bytes:
    return b"".join(path.read_bytes() for path in Path(settings.LAKE_DIR).rglob("*") if path.is_file())


def test_ingest_gives_the_same_person_at_two_forces_one_jjn_and_keeps_names_out_of_the_lake():
    row = {"given_name": "Ottoline", "family_name": "Quibbleworth", "date_of_birth": "1977-09-23",
           "postcode": "BS7 8QX", "sex": "F", "ethnicity": "W1", "disability": "N"}  # fmt: skip
    victims([{"person_ref": "AS-1", **row}], "E23000036")
    victims([{"person_ref": "GM-9", **row, "given_name": "OTTOLINE", "postcode": "bs78qx"}], "E23000005")

    con = duckdb.connect()
    register_current_views(con, settings.LAKE_DIR)
    stored = dict(con.execute("SELECT person_ref, jjn FROM victims ORDER BY person_ref").fetchall())
    assert stored["AS-1"] == stored["GM-9"] and jjn.is_valid(stored["AS-1"])
    assert VictimRecord.objects.using("vault").count() == 2
    assert b"Quibbleworth" not in lake_bytes() and b"Ottoline" not in lake_bytes()


def test_a_change_to_personal_details_is_a_correction_and_the_vault_keeps_what_it_replaced():
    row = {"person_ref": "AS-2", "given_name": "Bob", "family_name": "Brown", "date_of_birth": "1970-05-06",
           "postcode": "BS1 4ST", "sex": "M", "ethnicity": "W1", "disability": "N"}  # fmt: skip
    victims([row], "E23000036")

    def send(rows):
        return submit(
            by=Actor(user=None, label="test"), body_code="E23000036", file_name="victims.csv", records=rows,
            table="victims",
        )  # fmt: skip

    again = send([row])
    assert (again.accepted, again.unchanged, again.corrected) == (0, 1, 0)
    assert not VictimRecordVersion.objects.using("vault").exists()

    moved = send([{**row, "family_name": "Green", "postcode": "GL1 1AA"}])
    assert (moved.accepted, moved.unchanged, moved.corrected) == (0, 0, 1)
    record = VictimRecord.objects.using("vault").get(person_ref="AS-2")
    assert (record.decrypted("family_name"), record.decrypted("postcode")) == ("Green", "GL1 1AA")
    before = VictimRecordVersion.objects.using("vault").get(record=record)
    assert (before.decrypted("family_name"), before.decrypted("postcode")) == ("Brown", "BS1 4ST")
    assert before.replaced_by == f"submission {moved.pk}" and before.held_from <= before.replaced_at

    con = duckdb.connect()
    register_current_views(con, settings.LAKE_DIR)
    # The stored row holds no personal details: its history shows the correction, and the JJN is kept.
    versions = con.execute("SELECT jjn FROM victims_versions WHERE person_ref = 'AS-2'").fetchall()
    assert len(versions) == 2 and versions[0] == versions[1]
    assert b"Green" not in lake_bytes() and b"Brown" not in lake_bytes()
