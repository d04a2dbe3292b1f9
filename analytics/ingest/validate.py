"""Set-wise validation in DuckDB: one pass over `raw_input` gives each row's typed values and, per column,
the reason it was refused (NULL when the value is good). Each step is a small function ending `_sql`.
"""

import re
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import duckdb
from duckdb.sqltypes import VARCHAR

from analytics.ingest.schema import Column, TableSchema
from analytics.ingest.sources import RAW_VIEW, literal, quote
from identity import jjn

CHECKED_TABLE = "ingest_checked"
LONDON = "Europe/London"
FIRST_TZ_YEAR = 1972  # since when the UK has had one summer time a year
LAST_TZ_YEAR = 2100
FIRST_QUARTER_YEAR = 1900
LAST_QUARTER_YEAR = 2101
EARLIEST = date(2000, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
MAX_TEXT = 200
MAX_REFERENCE = 100
# A timestamp as the standard writes it, YYYY-MM-DDThh:mm[:ss[.fff]], then nothing, Z or an offset of at most
# ±14:00: a T (not a space), hours 00 to 23 (a T24:00 would be the next day), minutes and seconds 00 to 59.
_OFFSET = r"(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?"
_TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,3})?)?" + _OFFSET + "$"
)
# A typed timestamp (a Parquet TIMESTAMP column) as `sources` writes it out: always with seconds and six digits
# of fraction, its own precision, which text may not have.
_TYPED_TIMESTAMP_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z?$"
TIMESTAMP_FORM = (
    "YYYY-MM-DDThh:mm[:ss[.fff]] (a T between date and time, hours 00 to 23, seconds to at most 3 decimal "
    "places), optionally followed by Z or an offset from -14:00 to +14:00 such as +01:00"
)
_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_PERIOD_PATTERN = r"^[0-9]{4}-[0-9]{2} Q[1-4]$"
_INTEGER_PATTERN = r"^-?[0-9]{1,18}$"
# The largest count a return may give: far beyond any body's quarter, and sums of many stay exact.
MAX_COUNT = 2_147_483_647
# A JJN as stored: JJ-7KDA-94FX-HMQF (identity.jjn holds the rules; the check is repeated here in SQL).
JJN_ALPHABET = jjn.ALPHABET
# Text a spreadsheet would run as a formula; and text starting with an apostrophe, so that the apostrophe added
# to the first is the only one ever added, and `unescape_formula` gives back exactly what was sent.
_FORMULA_PATTERN = r"^[=+\-@\t\r\x27]"
# Whitespace as Python's `str.isspace` has it: tab to carriage return, the separators \x1c to \x1f, next line,
# and every Unicode space separator (the no-break spaces included). A value made only of it is empty.
_WHITESPACE = r"[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]"
_BLANK_PATTERN = _WHITESPACE + "*"
# A UK postcode once its whitespace is taken out and it is upper-cased: outward code (area, district) and inward
# code (sector, unit), and the one postcode outside that form, GIR 0AA.
_POSTCODE_PATTERN = r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA"


@lru_cache(maxsize=1)
def _london_changes() -> tuple[list[datetime], list[datetime], list[datetime], list[datetime]]:
    """For each year from FIRST_TZ_YEAR, when summer time starts and ends, as local and as UTC wall times.

    A local time at or after the local boundary takes the new offset: in the hour the clocks skip or
    repeat, the offset in force before the change applies, as the standard says.
    """
    zone = ZoneInfo(LONDON)

    def offset(instant: datetime) -> timedelta:
        return instant.astimezone(zone).utcoffset() or timedelta(0)

    local_from, local_until, utc_from, utc_until = [], [], [], []
    for year in range(FIRST_TZ_YEAR, LAST_TZ_YEAR + 1):
        changes: list[tuple[datetime, timedelta, timedelta]] = []
        moment, before = datetime(year, 1, 1, tzinfo=UTC), offset(datetime(year, 1, 1, tzinfo=UTC))
        while moment.year == year:
            following = moment + timedelta(days=1)
            if offset(following) != before:
                change = moment
                while offset(change) == before:
                    change += timedelta(minutes=15)
                changes.append((change.replace(tzinfo=None), before, offset(change)))
                before = offset(change)
            moment = following
        if len(changes) != 2 or changes[0][2] <= changes[0][1]:
            raise ValueError(f"{LONDON} does not have one summer time per year in {year}")
        (start, start_before, start_after), (end, end_before, end_after) = changes
        local_from.append(start + max(start_before, start_after))
        local_until.append(end + max(end_before, end_after))
        utc_from.append(start)
        utc_until.append(end)
    return local_from, local_until, utc_from, utc_until


def _timestamps(values: list[datetime]) -> str:
    return "[" + ", ".join(f"TIMESTAMP '{value.isoformat(sep=' ')}'" for value in values) + "]"


def macros_sql() -> str:
    # Europe/London conversions by lookup of each year's summer-time boundaries: ICU's per-row time zone
    # arithmetic is several times slower, and in the repeated hour it picks the later reading.
    local_from, local_until, utc_from, utc_until = _london_changes()
    years = f"BETWEEN {FIRST_TZ_YEAR} AND {LAST_TZ_YEAR}"
    index = f"year(ts) - {FIRST_TZ_YEAR - 1}"
    hour = 3_600_000_000
    return f"""
    CREATE OR REPLACE TEMP MACRO jj_london(ts) AS
        CASE WHEN year(ts) {years} THEN make_timestamptz(epoch_us(ts) - CASE
            WHEN ts >= ({_timestamps(local_from)})[{index}] AND ts < ({_timestamps(local_until)})[{index}]
            THEN {hour} ELSE 0 END)
        ELSE timezone('{LONDON}', ts) END;
    CREATE OR REPLACE TEMP MACRO jj_local_date(instant) AS
        CASE WHEN year(instant) {years} THEN CAST(make_timestamp(epoch_us(instant) + CASE
            WHEN CAST(instant AS TIMESTAMP) >= ({_timestamps(utc_from)})[year(instant) - {FIRST_TZ_YEAR - 1}]
             AND CAST(instant AS TIMESTAMP) < ({_timestamps(utc_until)})[year(instant) - {FIRST_TZ_YEAR - 1}]
            THEN {hour} ELSE 0 END) AS DATE)
        ELSE CAST(timezone('{LONDON}', instant) AS DATE) END;
    CREATE OR REPLACE TEMP MACRO jj_instant(txt) AS
        CASE WHEN NOT regexp_full_match(txt, '{_TIMESTAMP_PATTERN}') THEN NULL
             WHEN txt[-1:] = 'Z' OR txt[-6:-6] IN ('+', '-') THEN try_cast(txt AS TIMESTAMPTZ)
             ELSE jj_london(try_cast(txt AS TIMESTAMP)) END;
    CREATE OR REPLACE TEMP MACRO jj_date(txt) AS
        CASE WHEN regexp_full_match(txt, '{_DATE_PATTERN}') THEN try_cast(txt AS DATE) END;
    CREATE OR REPLACE TEMP MACRO jj_quarter(d) AS
        CASE WHEN year(d) BETWEEN {FIRST_QUARTER_YEAR} AND {LAST_QUARTER_YEAR}
        THEN ({_quarter_labels()})[(year(d) - CASE WHEN month(d) < 4 THEN 1 ELSE 0 END - {FIRST_QUARTER_YEAR - 1}) * 4
                                   + (month(d) + 8) % 12 // 3 + 1] END;
    """


def _quarter_labels() -> str:
    """'2025-26Q1' … for every financial year: a lookup is much faster than building each label."""
    labels = [
        f"'{year}-{(year + 1) % 100:02d}Q{quarter}'"
        for year in range(FIRST_QUARTER_YEAR - 1, LAST_QUARTER_YEAR + 1)
        for quarter in range(1, 5)
    ]
    return "[" + ", ".join(labels) + "]"


def mapped_sql(column: Column, code_map: Mapping[str, str] | None, source: str) -> str:
    if not code_map:
        return source
    cases = " ".join(
        f"WHEN {literal(local)} THEN {literal(standard)}" for local, standard in sorted(code_map.items())
    )
    return f"CASE {source} {cases} ELSE {source} END"


def blank_as_empty_sql(value: str) -> str:
    """`value`, or NULL when it is made only of whitespace, which counts as empty wherever it is written.

    Only a value starting with a control character, a space or a character beyond ASCII can be blank: a byte
    comparison picks those out, and the pattern is matched on them alone (several times cheaper than on all).
    """
    return (
        f"CASE WHEN ({value} < '!' OR {value} >= chr(128)) AND regexp_full_match({value}, '{_BLANK_PATTERN}') "
        f"THEN NULL ELSE {value} END"
    )


def local_date_column(name: str) -> str:
    """The column of `ingest_checked` holding the Europe/London date of the timestamp column `name`."""
    return f"_date_{name}"


def timestamp_steps_sql(
    column: Column, value: str, *, from_typed: bool = False
) -> tuple[list[str], list[str], list[str]]:
    """A timestamp parsed in three steps, each expression over every row: `jj_instant` and `jj_local_date`
    give the same values, but a summer-time lookup inside a CASE branch costs several times as much.

    A time without an offset is UK local time; its local date is the date written. `from_typed`: the column's
    values were typed timestamps, written out by `sources` at their own precision (to the microsecond).
    """
    name = column.name
    pattern = _TYPED_TIMESTAMP_PATTERN if from_typed else _TIMESTAMP_PATTERN
    parsed = [
        f"regexp_full_match({value}, '{pattern}') AS ok_{name}",
        f"(ends_with({value}, 'Z') OR substr({value}, length({value}) - 5, 1) IN ('+', '-')) AS off_{name}",
        f"try_cast({value} AS TIMESTAMP) AS wall_{name}",
    ]
    zoned = [
        f"jj_london(wall_{name}) AS london_{name}",
        f"try_cast(CASE WHEN off_{name} THEN {value} END AS TIMESTAMPTZ) AS aware_{name}",
    ]
    typed = [
        f"CASE WHEN ok_{name} THEN CASE WHEN off_{name} THEN aware_{name} ELSE london_{name} END END AS t_{name}",
        f"CASE WHEN ok_{name} THEN CASE WHEN off_{name} THEN jj_local_date(aware_{name}) "
        f"ELSE CAST(wall_{name} AS DATE) END END AS d_{name}",
    ]
    return parsed, zoned, typed


def _character_class(characters: Iterable[str]) -> str:
    """A regular-expression class of `characters`, each written by its code point (runs as ranges)."""
    points = sorted(ord(character) for character in characters)
    runs: list[list[int]] = []
    for point in points:
        if runs and runs[-1][1] == point - 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return "[" + "".join(f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in runs) + "]"


JJN_COMPACT_FUNCTION = "jj_jjn_compact"


def register_functions(con: duckdb.DuckDBPyConnection) -> None:
    """The functions the rules call that are Python's rather than SQL's, on a connection that will check rows:
    `jj_jjn_compact` is `identity.jjn.compact` itself, so a file's JJN is read exactly as a typed one."""
    con.create_function(JJN_COMPACT_FUNCTION, jjn.compact, [VARCHAR], VARCHAR)


@lru_cache(maxsize=1)
def _ascii_dropped() -> str:
    """The class of ASCII characters `identity.jjn.compact` drops (spaces, hyphens, control characters)."""
    return _character_class(chr(point) for point in range(128) if jjn.compact(chr(point)) == "")


def jjn_compact_sql(value: str) -> str:
    """`value` read as `identity.jjn.compact` reads a typed number (JJ7KDA94FXHMQF from "jj 7kda-94fx hmqf",
    from full-width letters, or with a zero-width space).

    Plain ASCII (as many characters as bytes) needs only `upper` and dropping separators, in SQL; a number
    written otherwise (rare) is read by `compact` itself (`register_functions`), which a table of every
    character's reading would give too, at many times the cost of planning each query."""
    return (
        f"CASE WHEN strlen({value}) = length({value}) "
        f"THEN regexp_replace(upper({value}), '{_ascii_dropped()}', '', 'g') ELSE {JJN_COMPACT_FUNCTION}({value}) END"
    )


def _jjn_formed_sql(text: str) -> str:
    """Whether `text`, a compact form, is JJ and twelve characters of the alphabet."""
    return f"regexp_full_match({text}, '^JJ[{JJN_ALPHABET}]{{12}}$')"


def jjn_sql(value: str) -> str:
    """A JJN written in any way `identity.jjn.parse` accepts, in its stored form JJ-7KDA-94FX-HMQF; NULL when it
    is not one (a character no JJN uses, the wrong length, or a wrong check character)."""
    digits = f"[strpos('{JJN_ALPHABET}', substr(p, 3 + i, 1)) - 1 FOR i IN range(12)]"
    weighted = f"list_sum([(12 - i) * ({digits})[i + 1] FOR i IN range(12)])"
    stored = "'JJ-' || substr(p, 3, 4) || '-' || substr(p, 7, 4) || '-' || substr(p, 11, 4)"
    # A one-item list comprehension names the compact text once; a subquery would be a join, and could reorder
    # the rows that `stream.CheckedRows` numbers as they come.
    return (
        f"([CASE WHEN {_jjn_formed_sql('p')} AND {weighted} % {jjn.MODULUS} = 0 "
        f"THEN {stored} END FOR p IN [{jjn_compact_sql(value)}]])[1]"
    )


def typed_sql(column: Column, value: str) -> str:
    if column.name == "jjn":
        return jjn_sql(value)
    if column.type == "datetime":
        return f"jj_instant({value})"
    if column.type == "date":
        return f"jj_date({value})"
    if column.type == "integer":
        return f"CASE WHEN regexp_full_match({value}, '{_INTEGER_PATTERN}') THEN CAST({value} AS BIGINT) END"
    return value


def _codes_text(column: Column) -> str:
    codes = sorted(column.codes or ())
    if codes and all(code.isascii() and code.isdigit() for code in codes):
        codes.sort(key=int)  # 1, 2, … 10, not 1, 10, 11, … 2
    if 0 < len(codes) <= 22:
        return f"one of {', '.join(codes)}"
    return f"a code from the {column.codelist.replace('_', ' ')} list of the standard"


def value_error_sql(
    column: Column,
    value: str,
    latest: date,
    schema: TableSchema,
    forces: frozenset[str] | None = None,
) -> str:
    """A CASE giving the reason `value` (the mapped text) is wrong, or NULL. `forces`, when given, are the
    police force areas the sending body covers: a `force` outside them is refused."""
    checks: list[tuple[str, str]] = []
    if column.required:
        checks.append((f"{value} IS NULL", "is required and is empty"))
    if column.required_when is not None:
        other, wanted = column.required_when
        if other in schema.names:
            other_value = f"m_{other}"
            if wanted == "":
                condition = f"{other_value} IS NULL"
                because = f"is required when {other} is empty"
            else:
                condition = f"{other_value} = {literal(wanted)}"
                because = f"is required when {other} is {wanted}"
            checks.append((f"{value} IS NULL AND {condition}", because))
    if column.type == "datetime":
        checks.append(
            (
                f"t_{column.name} IS NULL",
                f"is not a date and time in the form {TIMESTAMP_FORM}",
            )
        )
        checks.append(
            (
                # The last day named is accepted whole, as for dates.
                f"t_{column.name} < TIMESTAMPTZ '{EARLIEST.isoformat()} 00:00:00+00' OR t_{column.name} >= TIMESTAMPTZ '{(latest + timedelta(days=1)).isoformat()} 00:00:00+00'",
                f"is outside the accepted range ({EARLIEST.isoformat()} to {latest.isoformat()})",
            )
        )
    elif column.type == "date":
        earliest = EARLIEST_BIRTH if column.name == "date_of_birth" else EARLIEST
        last = date.today() if column.name == "date_of_birth" else latest
        checks.append((f"t_{column.name} IS NULL", "is not a date in the form YYYY-MM-DD"))
        checks.append(
            (
                f"t_{column.name} < DATE '{earliest.isoformat()}' OR t_{column.name} > DATE '{last.isoformat()}'",
                f"is outside the accepted range ({earliest.isoformat()} to {last.isoformat()})",
            )
        )
    elif column.type == "integer":
        checks.append((f"t_{column.name} IS NULL", "is not a whole number"))
        checks.append((f"t_{column.name} < 0", "must not be negative"))
        checks.append((f"t_{column.name} > {MAX_COUNT}", f"is larger than {MAX_COUNT:,}"))
    elif column.type in {"code", "flag"} and column.codes:
        checks.append(
            (
                f"{not_a_code_sql(value, column.codes)}",
                f"is not {_codes_text(column)} (codes are case-sensitive)",
            )
        )
    elif column.name == "jjn":
        # The typed value is NULL for both; the form is judged again only for the rows refused.
        checks.append(
            (
                f"t_{column.name} IS NULL AND NOT {_jjn_formed_sql(jjn_compact_sql(value))}",
                "is not a Justice Journey Number (JJ and 12 characters, such as JJ-7KDA-94FX-HMQF)",
            )
        )
        checks.append(
            (
                f"t_{column.name} IS NULL",
                "is not a Justice Journey Number: the check character is wrong — a character may be mistyped",
            )
        )
    elif column.type == "string":
        if column.name == "postcode":  # any spacing or case
            plain = f"upper(regexp_replace({value}, '{_WHITESPACE}', '', 'g'))"
            checks.append((f"NOT regexp_full_match({plain}, '{_POSTCODE_PATTERN}')", "is not a UK postcode"))
        # References are keys here and in the identity vault, which takes up to 100 characters.
        longest = MAX_REFERENCE if column.is_key or column.name.endswith("_ref") else MAX_TEXT
        checks.append((f"length({value}) > {longest}", f"is longer than {longest} characters"))
    if column.name == "force" and forces is not None:
        # After the code check: a code the standard does not know is refused as such, first.
        checks.append((not_a_code_sql(value, forces) if forces else "true", _outside_forces_text(forces)))
    if schema.name == "returns" and column.name == "period":
        checks.append(
            (
                f"NOT regexp_full_match({value}, '{_PERIOD_PATTERN}') OR "
                f"(TRY_CAST(substr({value}, 1, 4) AS INTEGER) + 1) % 100 <> TRY_CAST(substr({value}, 6, 2) AS INTEGER)",
                "is not a financial-year quarter such as 2025-26 Q1",
            )
        )
    if schema.name == "returns" and column.name == "numerator":
        checks.append(("t_numerator > t_denominator", "must not be larger than the denominator"))
    if schema.name == "events" and column.name == "detail":
        checks.extend(_detail_checks(schema, value))
    if not checks:
        return "NULL"
    # A value that is absent only fails the "required" checks; the others judge values that are present.
    whens = []
    for condition, reason in checks:
        guard = (
            ""
            if "IS NULL AND" in condition or condition == f"{value} IS NULL"
            else f"{value} IS NOT NULL AND "
        )
        whens.append(f"WHEN {guard}({condition}) THEN {literal(reason)}")
    return "CASE " + " ".join(whens) + " END"


def _outside_forces_text(forces: frozenset[str]) -> str:
    if not forces:
        return "names a police force area, and this body covers none: it cannot send rows for an area"
    listed = sorted(forces)
    shown = ", ".join(listed[:10]) + (f" and {len(listed) - 10} more" if len(listed) > 10 else "")
    return f"is a police force area this body does not cover (it covers {shown})"


def not_a_code_sql(value: str, codes: Iterable[str]) -> str:
    """True when `value` (not NULL) is none of `codes`. A cast to an ENUM of the codes is a lookup in the row's
    own pipeline: several times faster than `NOT IN` a long list, which DuckDB turns into a join, and a join
    would lose the file's row order that `stream.CheckedRows` relies on."""
    listed = ", ".join(literal(code) for code in sorted(codes))
    return f"try_cast({value} AS ENUM({listed})) IS NULL"


def _detail_checks(schema: TableSchema, value: str) -> list[tuple[str, str]]:
    if "event_type" not in schema.names:
        return []
    takes = sorted(schema.detail_codes)
    checks: list[tuple[str, str]] = []
    for event_type in takes:
        codes = sorted(schema.detail_codes[event_type])
        checks.append(
            (
                f"m_event_type = {literal(event_type)} AND {not_a_code_sql(value, codes)}",
                f"is not a detail that {event_type} takes (one of {', '.join(codes)})",
            )
        )
    taking = f"m_event_type IS NOT NULL AND {not_a_code_sql('m_event_type', takes)}" if takes else "true"
    checks.append((taking, "must be empty: this event type takes no detail"))
    return checks


def checked_sql(
    schema: TableSchema,
    header: list[str],
    code_maps: Mapping[str, Mapping[str, str]],
    *,
    today: date,
    forces: frozenset[str] | None = None,
    typed_timestamps: Collection[str] = (),
) -> str:
    """A SELECT over the raw rows giving, per row, each column's value (typed, local codes mapped), the
    columns whose codes were mapped, and `problems`: (column, value, reason) for each refused value.
    `forces`: the police force areas the sending body covers (None: any area). `typed_timestamps`: the
    columns the file held as typed timestamps rather than text (`sources.Loaded`).

    It is a view, never stored: each pass over the file computes only the columns it reads. The raw text
    survives only inside `problems`.
    """
    latest = today + timedelta(days=366)
    raw = [
        f"{blank_as_empty_sql(quote(c.name)) if c.name in header else 'CAST(NULL AS VARCHAR)'} AS r_{c.name}"
        for c in schema.columns
    ]
    mapped = [f"{mapped_sql(c, code_maps.get(c.name), 'r_' + c.name)} AS m_{c.name}" for c in schema.columns]
    mapped_flags = [
        f"CASE WHEN NOT {not_a_code_sql('r_' + c.name, code_maps[c.name])} THEN {literal(c.name)} END"
        for c in schema.columns
        if code_maps.get(c.name)
    ]
    mapped_list = (
        f"[x FOR x IN [{', '.join(mapped_flags)}] IF x IS NOT NULL]"
        if mapped_flags
        else "CAST([] AS VARCHAR[])"
    )
    parsed: list[str] = []
    zoned: list[str] = []
    typed: list[str] = []
    for c in schema.columns:
        if c.type == "datetime":
            steps = timestamp_steps_sql(c, "m_" + c.name, from_typed=c.name in typed_timestamps)
            parsed += steps[0]
            zoned += steps[1]
            typed += steps[2]
        elif _is_typed(c):
            typed.append(f"{typed_sql(c, 'm_' + c.name)} AS t_{c.name}")
    local_dates = "".join(
        f", d_{c.name} AS {local_date_column(c.name)}" for c in schema.columns if c.type == "datetime"
    )
    errors = [
        f"{value_error_sql(c, 'm_' + c.name, latest, schema, forces)} AS e_{c.name}" for c in schema.columns
    ]
    problems = ", ".join(
        f"CASE WHEN e_{c.name} IS NOT NULL THEN {{'column': {literal(c.name)}, "
        f"'value': {'r_' + c.name if schema.value_shown(c) else literal('')}, "
        f"'reason': e_{c.name}{'' if schema.value_shown(c) else ' || ' + literal(' (value not shown: personal data)')}}} END"
        for c in schema.columns
    )
    values = [f"{'t_' if _is_typed(c) else 'm_'}{c.name} AS {quote(c.name)}" for c in schema.columns]
    key = ", ".join(f"m_{name}" for name in schema.key)
    key_present = " AND ".join(f"m_{name} IS NOT NULL" for name in schema.key)
    # Built only for rows with a problem: most rows have none, and lists cost.
    any_problem = " OR ".join(f"e_{c.name} IS NOT NULL" for c in schema.columns)
    return f"""
    WITH raw AS (SELECT _row, {", ".join(raw)} FROM {RAW_VIEW}),
    mapped AS (SELECT *, {", ".join(mapped)}, {mapped_list} AS mapped_columns FROM raw),
    parsed AS (SELECT *{"".join(", " + t for t in parsed)} FROM mapped),
    zoned AS (SELECT *{"".join(", " + t for t in zoned)} FROM parsed),
    typed AS (SELECT *{"".join(", " + t for t in typed)} FROM zoned),
    judged AS (SELECT *, {", ".join(errors)} FROM typed)
    SELECT _row, {", ".join(values)}{local_dates}, mapped_columns,
           CASE WHEN {any_problem} THEN [p FOR p IN [{problems}] IF p IS NOT NULL] END AS problems,
           hash({key}) AS _key_hash, {key_present} AS _has_key
    FROM judged
    """


_TYPED = frozenset({"datetime", "date", "integer"})


def _is_typed(column: Column) -> bool:
    """Whether the stored value is the typed one (`t_`) rather than the mapped text: typed columns, and the
    JJN, stored in its one written form."""
    return column.type in _TYPED or column.name == "jjn"


def duplicate_keys_sql(schema: TableSchema, *, any_repeated: bool) -> str:
    """The keys that appear more than once in the file, with their hash and their text for the report.

    Only rows whose key hash repeats (`ingest_repeated`: the repeated keys, and the rare collision) are
    grouped by the key itself, so a collision never rejects a row; when no hash repeats the file is not read
    again.
    """
    key = ", ".join(quote(name) for name in schema.key)
    key_text = " || ' / ' || ".join(f"CAST({quote(name)} AS VARCHAR)" for name in schema.key)
    candidates = (
        f"SELECT * FROM {CHECKED_TABLE} WHERE _has_key AND _key_hash IN (SELECT h FROM ingest_repeated)"
        if any_repeated
        else f"SELECT * FROM {CHECKED_TABLE} WHERE false"
    )
    return f"""
    CREATE OR REPLACE TABLE ingest_duplicate_keys AS
    SELECT {key}, any_value(_key_hash) AS _key_hash, any_value({key_text}) AS key_text
    FROM ({candidates}) GROUP BY {key} HAVING count(*) > 1
    """


def valid_sql(schema: TableSchema) -> str:
    """The rows to store. A returns period is kept as its partition name, 2025-26Q1."""
    columns = "c.* REPLACE (replace(c.period, ' ', '') AS period)" if "period" in schema.names else "c.*"
    key = ", ".join(quote(name) for name in schema.key)
    return (
        f"SELECT {columns} FROM {CHECKED_TABLE} c ANTI JOIN ingest_duplicate_keys d USING ({key}) "
        "WHERE c.problems IS NULL"
    )


REJECTED_TABLE = "ingest_rejected"


def errors_sql(schema: TableSchema, file_name: str) -> str:
    """Every refusal as (file, row, column, value, reason); personal values are never repeated back.

    Reads the refused rows' problems, kept from the pass that stored the good rows, and the duplicates.
    """
    key_label = ", ".join(schema.key)
    return f"""
    SELECT {literal(file_name)} AS file, row, "column", value, reason FROM (
        SELECT row, problem.column AS "column", problem.value AS value, problem.reason AS reason
        FROM (SELECT row, unnest(problems) AS problem FROM {REJECTED_TABLE} WHERE problems IS NOT NULL)
        UNION ALL
        SELECT _row, {literal(key_label)}, key_text,
               'the key ({key_label}) appears more than once in this file (rows '
               || array_to_string(rows[1:10], ', ') || CASE WHEN len(rows) > 10 THEN ', …' ELSE '' END
               || '); each record must appear once'
        FROM ingest_duplicates
    ) ORDER BY row, "column"
    """


def escape_formula(text: str) -> str:
    """The same rule in Python, for text written to CSV outside DuckDB."""
    return f"'{text}" if re.match(_FORMULA_PATTERN, text) else text


def unescape_formula(text: str) -> str:
    """What was sent, from text `escape_formula` wrote: for pages and JSON, where nothing runs formulas."""
    return text[1:] if text.startswith("'") else text


def escape_formula_sql(expression: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return f"CASE WHEN regexp_matches({expression}, '{_FORMULA_PATTERN}') THEN '''' || {expression} ELSE {expression} END"
