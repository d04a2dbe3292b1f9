import shutil

import pytest

from analytics.standard import StandardFileError, load_standard, read_standard

SPEC_COLUMNS = {
    "victims": [
        "person_ref",
        "jjn",
        "given_name",
        "family_name",
        "date_of_birth",
        "postcode",
        "sex",
        "ethnicity",
        "disability",
        "email",
        "phone",
    ],
    "crimes": [
        "crime_ref",
        "force",
        "person_ref",
        "offence_group",
        "reported_at",
        "recorded_at",
        "enhanced_rights",
        "enhanced_reason",
        "domestic_abuse",
        "outcome_type",
        "outcome_date",
    ],
    "events": ["event_id", "force", "crime_ref", "person_ref", "jjn", "event_type", "occurred_at", "detail"],
    "returns": ["period", "force", "metric", "numerator", "denominator"],
}


@pytest.fixture(scope="module")
def standard():
    return load_standard("1")


def test_version_one_has_twelve_rights_and_seventeen_metrics(standard):
    assert standard.version == "1"
    assert [right.number for right in standard.rights] == list(range(1, 13))
    assert standard.right(8).title.startswith("To be given information about the trial")
    assert len(standard.metrics) == 17


def test_loading_twice_returns_the_same_object():
    assert load_standard("1") is load_standard()


def test_tables_have_the_spec_columns_in_order(standard):
    assert {name: list(table.column_names) for name, table in standard.tables.items()} == SPEC_COLUMNS
    assert standard.tables["crimes"].key == ("force", "crime_ref", "person_ref")
    assert standard.tables["events"].key == ("event_id",)
    assert standard.tables["victims"].key == ("person_ref",)


def test_required_and_conditional_columns(standard):
    crimes = standard.tables["crimes"]
    assert crimes.column("reported_at").type == "datetime"
    assert crimes.column("reported_at").required is True
    assert crimes.column("enhanced_reason").required is False
    assert crimes.column("enhanced_reason").required_when == "enhanced_rights=Y"
    assert crimes.column("enhanced_rights").codelist == "yes_no"
    assert standard.tables["victims"].column("given_name").condition == ("jjn", "")


def test_metric_fields_are_typed(standard):
    referral = standard.metrics["R4.referral_2wd"]
    assert referral.responses == ("support_referral_made", "support_referral_declined")
    assert (referral.deadline_unit, referral.deadline, referral.enhanced_deadline) == (
        "working_days",
        2,
        None,
    )
    assert standard.metrics["R6.suspect_update"].enhanced_deadline == 1
    assert standard.metrics["R12.complaints"].higher_is_better is None
    assert standard.metrics["R6.vrr_overturned"].higher_is_better is False
    assert standard.metrics["R4.needs_assessed"].deadline is None


@pytest.mark.parametrize(
    ("metric", "detail", "body_type"),
    [
        ("R6.decision_letter", "police_nfa", "police_force"),
        ("R6.decision_letter", "cps_no_charge", "cps_area"),
        ("R6.decision_letter", None, "cps_area"),
        ("R8.hearing_info_1wd", None, "witness_care_unit"),
        ("R11.vcs_referral_10wd", None, "probation_region"),
        ("R6.vrr_overturned", "police", "police_force"),
    ],
)
def test_responsible_body_type_follows_the_rule(standard, metric, detail, body_type):
    assert standard.metrics[metric].responsible_body_type(detail) == body_type


def test_code_lists(standard):
    codes = standard.codes
    assert len(codes["force"]) == 45
    assert codes["force"]["E23000036"] == "Avon and Somerset"
    assert {"BTP", "MDP"} <= set(codes["force"])
    assert len(codes["ethnicity"]) == 20
    assert standard.code_groups["ethnicity"]["A2"] == "A"
    assert set(codes["sex"]) == {"F", "M", "NS"}
    assert set(codes["yes_no"]) == {"Y", "N"}
    assert set(codes["disability"]) == {"Y", "N", "NS"}
    assert list(codes["outcome_type"]) == [str(n) for n in range(1, 23) if n != 19]
    assert len(codes["offence_group"]) == 12
    assert set(codes["enhanced_reason"]) == {
        "most_serious_crime",
        "persistently_targeted",
        "vulnerable",
        "intimidated",
        "bereaved",
    }
    assert set(codes["decision_type"]) == {
        "police_nfa",
        "cps_no_charge",
        "cps_discontinued",
        "charge_altered",
    }
    assert list(codes["sentence_type"]) == [
        "custody_12m_plus",
        "custody_under_12m",
        "community",
        "other",
        "hospital_order",
    ]
    assert set(codes["metric"]) == set(standard.metrics)
    assert "vcs_contacted" in codes["event_type"]


def test_event_types_name_their_right_and_detail_list(standard):
    assert standard.event_types["sentenced"].detail_codelist == "sentence_type"
    assert standard.event_types["sentenced"].right == 9
    assert standard.event_types["victim_withdrew"].right is None
    assert standard.event_types["vps_made"].detail_codelist is None
    for metric in standard.metrics.values():
        for response in metric.responses:
            assert response in standard.event_types or response.startswith("crime.")


def test_bodies_cover_every_organisation_type(standard):
    counts: dict[str, int] = {}
    for body in standard.bodies.values():
        counts[body.body_type] = counts.get(body.body_type, 0) + 1
    assert counts["police_force"] == 43
    assert counts["non_territorial_force"] == 2
    assert counts["cps_area"] == 14
    assert counts["witness_care_unit"] == 43
    assert counts["probation_region"] == 12
    assert counts["local_policing_body"] == 43
    assert counts["hmcts"] == 1
    assert counts["youth_justice_service"] >= 150


def test_london_is_covered_by_both_london_cps_areas(standard):
    assert "E23000001" in standard.bodies["CPS-LN"].force_codes
    assert "E23000001" in standard.bodies["CPS-LS"].force_codes
    assert standard.bodies["CPS-LS"].mapping_verified is False
    assert len(standard.bodies["HMCTS"].force_codes) == 45


def test_local_policing_bodies_model_the_role(standard):
    holders = [body.role_holder_type for body in standard.bodies_of_type("local_policing_body")]
    assert holders.count("pcc") + holders.count("pfcc") == 37
    assert holders.count("mayor") == 5
    assert holders.count("common_council") == 1
    assert standard.bodies["LPB-E23000001"].role_holder_type == "mayor"
    assert "MOPAC" in (standard.bodies["LPB-E23000001"].role_holder or "")


def test_forces_carry_their_bodies(standard):
    cumbria = standard.forces["E23000002"]
    assert cumbria.witness_care_unit == "WCU-E23000002"
    assert cumbria.local_policing_body == "LPB-E23000002"
    assert cumbria.youth_justice_services == ("YJS-CUMBERLAND", "YJS-WESTMORLAND-AND-FURNESS")
    assert cumbria.annual_crimes == 37000
    btp = standard.forces["BTP"]
    assert btp.local_policing_body is None
    assert btp.witness_care_unit is None
    assert btp.national_oversight == "British Transport Police Authority"
    assert standard.forces["MDP"].national_oversight == "Secretary of State for Defence"
    assert all(force.youth_justice_services for force in standard.forces.values() if force.territorial)


def test_unknown_version_is_a_clear_error():
    with pytest.raises(LookupError, match="versions available: 1"):
        load_standard("99")


@pytest.fixture
def copy_of_v1(tmp_path):
    folder = tmp_path / "v1"
    shutil.copytree(load_standard("1").folder, folder)
    return folder


def test_a_bad_column_type_names_file_row_and_column(copy_of_v1):
    path = copy_of_v1 / "tables.csv"
    path.write_text(path.read_text().replace("crimes,reported_at,datetime", "crimes,reported_at,timestamp"))
    with pytest.raises(StandardFileError) as error:
        read_standard(copy_of_v1)
    assert error.value.path == path
    assert error.value.row == 16
    assert error.value.column == "type"
    assert "'timestamp'" in str(error.value)


def test_a_version_file_for_another_folder_is_rejected(copy_of_v1):
    (copy_of_v1 / "version.csv").write_text("code_version,name\n2,Another Code\n")
    with pytest.raises(StandardFileError, match=r"version.csv, row 1, column code_version"):
        read_standard(copy_of_v1)


def test_a_force_whose_cps_area_does_not_list_it_is_rejected(copy_of_v1):
    path = copy_of_v1 / "forces.csv"
    path.write_text(
        path.read_text().replace(
            "E23000002,Cumbria,England,LPB-E23000002,CPS-NW", "E23000002,Cumbria,England,LPB-E23000002,CPS-WX"
        )
    )
    with pytest.raises(StandardFileError, match=r"forces.csv, row 2, column cps_area"):
        read_standard(copy_of_v1)
