"""Files written exactly to the minimum dataset page pass the published schemas; a wrong code does not."""

import json
from pathlib import Path

import pytest
from django.test import Client
from frictionless import Resource, Schema

from tests.factories.standard import loaded_standard

pytestmark = pytest.mark.django_db

# Written by hand from the spec: every timestamp form it allows, empty optional cells, a BOM.
SPEC_FILES = {
    "victims": (
        "person_ref,jjn,given_name,family_name,date_of_birth,postcode,sex,ethnicity,disability,email,phone\r\n"
        "P1,,Ann,Smith,1980-02-29,bs1 4dj,F,W1,N,ann@example.org,07700 900123\r\n"
        "P2,,Bilal,Khan,,,M,A2,NS,,\r\n"
        "P3,,Ceri,Jones,2001-12-31,CF10 1AA,NS,NS,Y,,\r\n"
    ),
    "crimes": (
        "crime_ref,force,person_ref,offence_group,reported_at,recorded_at,enhanced_rights,enhanced_reason,"
        "domestic_abuse,outcome_type,outcome_date\r\n"
        "CR/1,E23000036,P1,violence,2025-04-17T09:30:00+01:00,2025-04-17T10:00Z,Y,vulnerable,Y,1,2025-06-02\r\n"
        "CR/2,E23000036,P2,theft,2025-04-17T09:30,2025-04-18T08:00:15.250,N,,,,\r\n"
        "CR/3,BTP,P3,fraud,2025-10-26T01:30,2025-10-26T01:30:00-00:30,N,,N,18,2025-11-01\r\n"
    ),
    "events": (
        "event_id,force,crime_ref,person_ref,jjn,event_type,occurred_at,detail\r\n"
        "E1,E23000036,CR/1,P1,,written_confirmation_sent,2025-04-22T12:00+01:00,\r\n"
        "E2,E23000036,CR/1,P1,,suspect_update_due,2025-04-23T16:00Z,arrest\r\n"
        "E3,E23000036,CR/1,P1,,sentenced,2025-09-01T10:00,custody_12m_plus\r\n"
        "E4,E23000036,CR/2,P2,,victim_withdrew,2025-05-01T09:00:00.5,pre_charge\r\n"
    ),
    "returns": (
        "period,force,metric,numerator,denominator\r\n"
        "2025-26 Q1,E23000036,R3.confirmation_5wd,812,900\r\n"
        "2025-26 Q1,E23000036,R12.complaints,14,14\r\n"
    ),
}

BAD_CODES = {
    "victims": ("P1,,Ann,Smith,1980-02-29,bs1 4dj,F,", "P1,,Ann,Smith,1980-02-29,bs1 4dj,f,"),
    "crimes": ("CR/2,E23000036,P2,theft", "CR/2,E23000099,P2,theft"),
    "events": ("written_confirmation_sent", "written_confirmation_posted"),
    "returns": ("R12.complaints", "R12.compliments"),
}


@pytest.fixture
def schemas() -> dict[str, dict]:
    loaded_standard()
    client = Client()
    downloaded = {}
    for name in SPEC_FILES:
        response = client.get(f"/standard/schemas/{name}.json")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        downloaded[name] = json.loads(response.content)
    return downloaded


def validate(folder: Path, name: str, text: str, schema: dict, *, bom: bool = False) -> list[tuple]:
    (folder / f"{name}.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    resource = Resource(
        path=f"{name}.csv",
        basepath=str(folder),
        schema=Schema.from_descriptor(schema),
    )
    report = resource.validate()
    # Frictionless counts the header as row 1, so the first record is row 2.
    return [tuple(error) for error in report.flatten(["rowNumber", "fieldName", "type"])]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SPEC_FILES))
def test_a_spec_file_passes_its_published_schema(tmp_path, schemas, name):
    assert validate(tmp_path, name, SPEC_FILES[name], schemas[name]) == []


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SPEC_FILES))
def test_a_spec_file_with_a_byte_order_mark_passes(tmp_path, schemas, name):
    assert validate(tmp_path, name, SPEC_FILES[name], schemas[name], bom=True) == []


@pytest.mark.slow
def test_columns_may_come_in_any_order(tmp_path, schemas):
    rows = [line.split(",") for line in SPEC_FILES["returns"].splitlines()]
    reordered = "".join(",".join([row[2], row[0], row[4], row[3], row[1]]) + "\r\n" for row in rows)
    assert validate(tmp_path, "returns", reordered, schemas["returns"]) == []


@pytest.mark.slow
def test_an_unknown_column_is_rejected(tmp_path, schemas):
    lines = SPEC_FILES["returns"].splitlines()
    text = "".join(
        line + (",colour" if number == 0 else ",red") + "\r\n" for number, line in enumerate(lines)
    )
    assert validate(tmp_path, "returns", text, schemas["returns"]) == [(None, "", "extra-label")]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(SPEC_FILES))
def test_a_wrong_code_is_rejected(tmp_path, schemas, name):
    good, bad = BAD_CODES[name]
    assert good in SPEC_FILES[name]
    errors = validate(tmp_path, name, SPEC_FILES[name].replace(good, bad, 1), schemas[name])
    assert errors
    assert all(error[2] == "constraint-error" for error in errors)


@pytest.mark.slow
@pytest.mark.parametrize(
    "timestamp",
    ["2025-04-17 09:30", "17/04/2025 09:30", "2025-04-17T25:00", "2025-13-01T09:00", "2025-04-17T09:30+1"],
)
def test_timestamps_the_spec_does_not_allow_are_rejected(tmp_path, schemas, timestamp):
    text = SPEC_FILES["events"].replace("2025-04-22T12:00+01:00", timestamp)
    assert validate(tmp_path, "events", text, schemas["events"]) == [(2, "occurred_at", "constraint-error")]


@pytest.mark.slow
def test_a_missing_required_value_is_rejected(tmp_path, schemas):
    text = SPEC_FILES["crimes"].replace(
        "CR/2,E23000036,P2,theft,2025-04-17T09:30", "CR/2,E23000036,P2,,2025-04-17T09:30"
    )
    assert validate(tmp_path, "crimes", text, schemas["crimes"]) == [(3, "offence_group", "constraint-error")]


def test_the_schema_carries_types_keys_and_code_lists(schemas):
    crimes = schemas["crimes"]
    fields = {field["name"]: field for field in crimes["fields"]}
    assert crimes["primaryKey"] == ["force", "crime_ref", "person_ref"]
    assert [field["name"] for field in crimes["fields"]][:3] == ["crime_ref", "force", "person_ref"]
    assert fields["outcome_date"]["type"] == "date"
    assert fields["reported_at"]["constraints"]["required"] is True
    assert "pattern" in fields["reported_at"]["constraints"]
    assert "required" not in fields.get("enhanced_reason", {}).get("constraints", {})
    assert "required when enhanced_rights is Y" in fields["enhanced_reason"]["description"]
    assert "19" not in fields["outcome_type"]["constraints"]["enum"]
    assert len(fields["force"]["constraints"]["enum"]) == 45
    assert schemas["returns"]["fields"][3] == {
        "name": "numerator",
        "description": schemas["returns"]["fields"][3]["description"],
        "type": "integer",
        "constraints": {"required": True, "minimum": 0},
    }
