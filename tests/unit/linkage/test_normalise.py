from datetime import date

import pytest

from analytics.linkage import NORMALISED_COLUMNS, nicknames, normalise_record, prepare_records
from analytics.linkage.normalise import clean_name, compact_name

from .conftest import victims_table


@pytest.mark.parametrize(
    ("raw", "clean", "compact"),
    [
        ("  O\u2019Brien ", "o'brien", "obrien"),
        ("SIÂN", "sian", "sian"),
        ("Mary-Jane", "mary-jane", "maryjane"),
        ("Lloyd  Davies.", "lloyd davies", "lloyddavies"),
        ("Zoë", "zoe", "zoe"),
        ("ap Rhŷs", "ap rhys", "aprhys"),
        ("  ", None, None),
    ],
)
def test_names_lose_case_accents_and_punctuation(raw, clean, compact):
    assert clean_name(raw) == clean
    assert compact_name(clean_name(raw)) == compact


@pytest.mark.parametrize(
    ("nickname", "canonical"),
    [("bob", "robert"), ("liz", "elizabeth"), ("dai", "david"), ("dafydd", "david")],
)
def test_nickname_map(nickname, canonical):
    assert nicknames()[nickname] == canonical
    assert normalise_record({"given_name": nickname.upper()})["given_canonical"] == canonical


def test_a_name_outside_the_map_is_its_own_canonical_form():
    assert normalise_record({"given_name": "Ffion"})["given_canonical"] == "ffion"


def test_postcode_phone_email_and_date_parts():
    record = normalise_record(
        {
            "postcode": "cf10 1aa",
            "phone": "+44 (0)7700 900123",
            "email": " Siân@Example.ORG ",
            "date_of_birth": "1980-03-05",
        }
    )
    assert record["postcode"] == "CF101AA"
    assert record["postcode_outward"] == "CF10"
    assert record["phone"] == "07700900123"
    assert record["email"] == "siân@example.org"
    assert (record["dob"], record["dob_year"], record["dob_month"], record["dob_day"]) == (
        date(1980, 3, 5),
        1980,
        3,
        5,
    )


def test_uk_phone_prefix_becomes_a_leading_zero():
    assert normalise_record({"phone": "+44 7700 900123"})["phone"] == "07700900123"


def test_a_date_of_birth_that_is_not_a_date_is_refused_with_its_value():
    with pytest.raises(ValueError, match="31/02/1980"):
        normalise_record({"date_of_birth": "31/02/1980"})


def test_sql_and_python_normalise_every_generated_record_alike(people_con):
    prepare_records(people_con, "victims", "prepared")
    columns = ", ".join(NORMALISED_COLUMNS)
    sql_rows = {
        row[0]: dict(zip(NORMALISED_COLUMNS, row, strict=True))
        for row in people_con.execute(f"select {columns} from prepared").fetchall()
    }
    raw = people_con.execute("select * from victims").fetchall()
    names = [d[0] for d in people_con.description]
    assert len(sql_rows) == len(raw) > 400
    for values in raw:
        record = dict(zip(names, values, strict=True))
        assert normalise_record(record) == sql_rows[record["unique_id"]], record


def test_hand_written_awkward_records_normalise_alike_in_sql_and_python(con):
    rows = [
        {
            "unique_id": "1",
            "given_name": "Siôn",
            "family_name": "D\u2019Souza",
            "postcode": " sa1 1aa",
            "phone": "+44 (0)7700 900 123",
        },
        {"unique_id": "2", "given_name": "Mary-Jane", "family_name": "Lloyd-Davies", "postcode": "EC1A1BB"},
        {"unique_id": "3", "given_name": "!!", "family_name": None, "postcode": "X", "email": " "},
    ]
    victims_table(con, rows)
    prepare_records(con, "victims", "prepared")
    columns = ", ".join(NORMALISED_COLUMNS)
    sql_rows = [
        dict(zip(NORMALISED_COLUMNS, row, strict=True))
        for row in con.execute(f"select {columns} from prepared order by unique_id").fetchall()
    ]
    assert sql_rows == [normalise_record(row) for row in rows]
    assert sql_rows[0]["family_compact"] == "dsouza"
    assert sql_rows[2]["given_name"] is None and sql_rows[2]["email"] is None


def test_a_table_without_a_required_column_is_refused_by_name(con):
    con.execute("create table victims as select '1' as unique_id, 'Ann' as given_name")
    with pytest.raises(ValueError, match="family_name"):
        prepare_records(con, "victims", "prepared")


def test_a_date_of_birth_that_is_not_a_date_is_refused_naming_the_record(con):
    con.execute(
        "create table victims as select * from (values ('7', 'Ann', 'Jones', '1980-02-31', null, null, null)) "
        "t(unique_id, given_name, family_name, date_of_birth, postcode, email, phone)"
    )
    with pytest.raises(ValueError, match=r"unique_id 7: column date_of_birth: 1980-02-31 is not a date"):
        prepare_records(con, "victims", "prepared")


def test_a_repeated_unique_id_is_refused(con):
    victims_table(con, [{"unique_id": "1", "given_name": "Ann"}, {"unique_id": "1", "given_name": "Anne"}])
    with pytest.raises(ValueError, match="unique_id 1 appears more than once"):
        prepare_records(con, "victims", "prepared")
