"""Normalisation of victims records before linkage, in SQL for tables and in Python for one record.

Both forms must give the same values: the online scorer normalises a record in Python and compares it
with records the vault normalised in SQL. `tests/unit/linkage/test_normalise.py` holds them together.

Each SQL step is a small function ending `_sql` that reads one table and returns a SELECT.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import jellyfish
import pyarrow as pa

NICKNAMES_CSV = Path(__file__).parent / "data" / "nicknames.csv"

REQUIRED_COLUMNS = ("unique_id", "given_name", "family_name", "date_of_birth", "postcode", "email", "phone")

# Every column the model and the blocking rules read, in the order the prepared table holds them.
NORMALISED_COLUMNS = (
    "unique_id",
    "given_name",
    "given_compact",
    "given_canonical",
    "given_metaphone",
    "family_name",
    "family_compact",
    "family_metaphone",
    "dob",
    "dob_year",
    "dob_month",
    "dob_day",
    "postcode",
    "postcode_outward",
    "email",
    "phone",
)

_APOSTROPHES = "\u2019\u2018`\u00b4"
_NOT_NAME_CHARACTER = re.compile(r"[^a-z0-9' -]")
_SPACES = re.compile(r"\s+")
_JOINERS = re.compile(r"[' -]")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_NOT_DIGIT = re.compile(r"[^0-9]")


@lru_cache(maxsize=1)
def nicknames() -> dict[str, str]:
    """Nickname or alias → canonical given name (bob → robert, dai → david), from `data/nicknames.csv`."""
    mapping: dict[str, str] = {}
    with NICKNAMES_CSV.open(newline="", encoding="utf-8") as f:
        for row_number, row in enumerate(csv.DictReader(f), start=1):
            name, canonical = (row.get("name") or "").strip(), (row.get("canonical") or "").strip()
            if not name or not canonical:
                raise ValueError(
                    f"{NICKNAMES_CSV}: row {row_number}: 'name' and 'canonical' are both required"
                )
            if name in mapping and mapping[name] != canonical:
                raise ValueError(
                    f"{NICKNAMES_CSV}: row {row_number}: column 'name': {name!r} is mapped twice"
                )
            mapping[name] = canonical
    return mapping


def phonetic_key(compact_name: str | None) -> str | None:
    if not compact_name:
        return None
    return jellyfish.metaphone(compact_name) or None


# ---- Python: one record ------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def clean_name(value: str | None) -> str | None:
    """Lower case, no accents, punctuation other than apostrophes and hyphens turned into spaces."""
    if value is None:
        return None
    text = _strip_accents(value.lower())
    for mark in _APOSTROPHES:
        text = text.replace(mark, "'")
    text = _SPACES.sub(" ", _NOT_NAME_CHARACTER.sub(" ", text)).strip()
    return text or None


def compact_name(clean: str | None) -> str | None:
    """The cleaned name without apostrophes, hyphens or spaces: O'Brien and OBrien agree."""
    if clean is None:
        return None
    return _JOINERS.sub("", clean) or None


def canonical_given_name(clean: str | None) -> str | None:
    if clean is None:
        return None
    first = _JOINERS.sub("", clean.split(" ")[0])
    if not first:
        return None
    return nicknames().get(first, first)


def clean_postcode(value: str | None) -> str | None:
    if value is None:
        return None
    return _NOT_ALNUM.sub("", value.upper()) or None


def outward_code(postcode: str | None) -> str | None:
    if postcode is None or not 5 <= len(postcode) <= 7:
        return None
    return postcode[:-3]


def clean_email(value: str | None) -> str | None:
    if value is None:
        return None
    return value.strip().lower() or None


def clean_phone(value: str | None) -> str | None:
    if value is None:
        return None
    digits = _NOT_DIGIT.sub("", value)
    if len(digits) == 12 and digits.startswith("44"):
        digits = "0" + digits[2:]
    elif len(digits) == 13 and digits.startswith("440"):
        digits = digits[2:]
    return digits or None


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"date_of_birth {value!r} is not a date (expected YYYY-MM-DD)") from None


def normalise_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """The normalised form of one victims record, as `prepare_records` would make it in SQL."""
    given = clean_name(record.get("given_name"))
    family = clean_name(record.get("family_name"))
    given_compact = compact_name(given)
    family_compact = compact_name(family)
    dob = _as_date(record.get("date_of_birth"))
    postcode = clean_postcode(record.get("postcode"))
    unique_id = record.get("unique_id")
    return {
        "unique_id": None if unique_id is None else str(unique_id),
        "given_name": given,
        "given_compact": given_compact,
        "given_canonical": canonical_given_name(given),
        "given_metaphone": phonetic_key(given_compact),
        "family_name": family,
        "family_compact": family_compact,
        "family_metaphone": phonetic_key(family_compact),
        "dob": dob,
        "dob_year": dob.year if dob else None,
        "dob_month": dob.month if dob else None,
        "dob_day": dob.day if dob else None,
        "postcode": postcode,
        "postcode_outward": outward_code(postcode),
        "email": clean_email(record.get("email")),
        "phone": clean_phone(record.get("phone")),
    }


# ---- SQL: a table --------------------------------------------------------------------------------


def _clean_name_sql(column: str) -> str:
    text = f"strip_accents(lower({column}))"
    for mark in _APOSTROPHES:
        text = f"replace({text}, '{mark}', '''')"
    text = f"regexp_replace({text}, '[^a-z0-9'' -]', ' ', 'g')"
    return f"nullif(trim(regexp_replace({text}, '\\s+', ' ', 'g')), '')"


def _compact_sql(column: str) -> str:
    return f"nullif(regexp_replace({column}, '[''\\- ]', '', 'g'), '')"


def clean_records_sql(table_name: str) -> str:
    """Step 1: cleaned names, date parts, postcode and outward code, e-mail and phone."""
    postcode = "nullif(regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g'), '')"
    phone_digits = "regexp_replace(phone, '[^0-9]', '', 'g')"
    return f"""
    select
        cast(unique_id as varchar) as unique_id,
        {_clean_name_sql("given_name")} as given_name,
        {_clean_name_sql("family_name")} as family_name,
        cast(date_of_birth as date) as dob,
        {postcode} as postcode,
        nullif(lower(trim(email)), '') as email,
        nullif(
            case when length({phone_digits}) = 12 and starts_with({phone_digits}, '44')
                     then '0' || substr({phone_digits}, 3)
                 when length({phone_digits}) = 13 and starts_with({phone_digits}, '440')
                     then substr({phone_digits}, 3)
                 else {phone_digits} end,
            '') as phone
    from {table_name}
    """


def derived_columns_sql(table_name: str) -> str:
    """Step 2: compact names, the first given name without joiners, date parts, outward code."""
    return f"""
    select
        *,
        {_compact_sql("given_name")} as given_compact,
        {_compact_sql("family_name")} as family_compact,
        nullif(regexp_replace(split_part(given_name, ' ', 1), '[''\\-]', '', 'g'), '') as given_first,
        year(dob) as dob_year,
        month(dob) as dob_month,
        day(dob) as dob_day,
        case when length(postcode) between 5 and 7 then left(postcode, length(postcode) - 3) end
            as postcode_outward
    from {table_name}
    """


def distinct_names_sql(table_name: str) -> str:
    return f"""
    select given_compact as name from {table_name} where given_compact is not null
    union
    select family_compact from {table_name} where family_compact is not null
    """


def keys_sql(table_name: str, nickname_table: str, phonetic_table: str) -> str:
    """Step 3: the nickname map and the phonetic keys joined on; the final column order."""
    return f"""
    select
        r.unique_id, r.given_name, r.given_compact,
        coalesce(n.canonical, r.given_first) as given_canonical,
        pg.key as given_metaphone,
        r.family_name, r.family_compact,
        pf.key as family_metaphone,
        r.dob, r.dob_year, r.dob_month, r.dob_day,
        r.postcode, r.postcode_outward, r.email, r.phone
    from {table_name} as r
    left join {nickname_table} as n on n.name = r.given_first
    left join {phonetic_table} as pg on pg.name = r.given_compact
    left join {phonetic_table} as pf on pf.name = r.family_compact
    """


def check_input_columns(con: duckdb.DuckDBPyConnection, table_name: str) -> None:
    try:
        columns = {row[0] for row in con.execute(f"describe {table_name}").fetchall()}
    except duckdb.Error as error:
        raise ValueError(f"table {table_name!r} cannot be read: {error}") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValueError(f"table {table_name!r} lacks the column(s) {', '.join(missing)}")
    problems = con.execute(
        f"""
        select 'a missing unique_id', null from {table_name} where unique_id is null
        union all
        (select 'unique_id ' || cast(unique_id as varchar) || ' appears more than once', null
         from {table_name} group by unique_id having count(*) > 1)
        union all
        select 'unique_id ' || cast(unique_id as varchar) || ': column date_of_birth: '
               || cast(date_of_birth as varchar) || ' is not a date (expected YYYY-MM-DD)', null
        from {table_name}
        where date_of_birth is not null and try_cast(date_of_birth as date) is null
        limit 1
        """
    ).fetchall()
    if problems:
        raise ValueError(f"table {table_name!r}: {problems[0][0]}")


def prepare_records(con: duckdb.DuckDBPyConnection, table_name: str, output_table: str) -> str:
    """Write the normalised form of `table_name` to the table `output_table` and return its name."""
    check_input_columns(con, table_name)
    con.execute(f"create or replace temp table __jj_clean as {clean_records_sql(table_name)}")
    con.execute(f"create or replace temp table __jj_derived as {derived_columns_sql('__jj_clean')}")
    names = con.sql(distinct_names_sql("__jj_derived")).to_arrow_table().column("name").to_pylist()
    phonetic = pa.table({"name": pa.array(names, pa.string()), "key": [phonetic_key(n) for n in names]})
    nickname_map = nicknames()
    nick = pa.table({"name": list(nickname_map), "canonical": list(nickname_map.values())})
    con.register("__jj_phonetic_view", phonetic)
    con.register("__jj_nickname_view", nick)
    try:
        con.execute(
            f"create or replace table {output_table} as "
            f"{keys_sql('__jj_derived', '__jj_nickname_view', '__jj_phonetic_view')}"
        )
    finally:
        con.unregister("__jj_phonetic_view")
        con.unregister("__jj_nickname_view")
        con.execute("drop table if exists __jj_clean")
        con.execute("drop table if exists __jj_derived")
    return output_table
