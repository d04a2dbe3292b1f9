"""The linkage model's comparisons and blocking rules, each written twice: SQL for Splink, Python for one pair.

A level's SQL condition and its Python test sit side by side so that they cannot drift apart unnoticed:
the online scorer refuses a model whose SQL differs from the definitions here, and
`tests/unit/linkage/test_online.py` checks that both give the same match probability.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jellyfish

Record = Mapping[str, Any]
Test = Callable[[Record, Record], bool]


@dataclass(frozen=True)
class Level:
    label: str
    sql: str
    test: Test
    is_null: bool = False
    tf_column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        level: dict[str, Any] = {"sql_condition": self.sql, "label_for_charts": self.label}
        if self.is_null:
            level["is_null_level"] = True
        if self.tf_column:
            level["tf_adjustment_column"] = self.tf_column
            level["tf_adjustment_weight"] = 1.0
        return level


@dataclass(frozen=True)
class Comparison:
    name: str
    description: str
    levels: tuple[Level, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "output_column_name": self.name,
            "comparison_description": self.description,
            "comparison_levels": [level.as_dict() for level in self.levels],
        }


def _same(column: str) -> Test:
    def test(left: Record, right: Record) -> bool:
        value = left[column]
        return value is not None and value == right[column]

    return test


def _crossed(left_column: str, right_column: str) -> Test:
    def test(left: Record, right: Record) -> bool:
        value = left[left_column]
        return value is not None and value == right[right_column]

    return test


def _missing(*columns: str) -> Test:
    def test(left: Record, right: Record) -> bool:
        return any(left[c] is None or right[c] is None for c in columns)

    return test


def _jaro_winkler_at_least(column: str, threshold: float) -> Test:
    def test(left: Record, right: Record) -> bool:
        a, b = left[column], right[column]
        return a is not None and b is not None and jellyfish.jaro_winkler_similarity(a, b) >= threshold

    return test


def _else(left: Record, right: Record) -> bool:
    return True


def _null_level(column: str) -> Level:
    return Level("missing", f"{column}_l IS NULL OR {column}_r IS NULL", _missing(column), is_null=True)


def _exact(column: str, label: str = "exact", tf: bool = False) -> Level:
    return Level(label, f"{column}_l = {column}_r", _same(column), tf_column=column if tf else None)


def _name_comparison(part: str, other: str) -> Comparison:
    compact, other_compact = f"{part}_compact", f"{other}_compact"
    levels = [
        _null_level(compact),
        _exact(compact, tf=True),
    ]
    if part == "given":
        levels.append(_exact("given_canonical", label="nickname or alias"))
    levels += [
        Level(
            f"swapped with {other} name",
            f"{compact}_l = {other_compact}_r",
            _crossed(compact, other_compact),
        ),
        Level(
            "Jaro-Winkler >= 0.92",
            f"jaro_winkler_similarity({compact}_l, {compact}_r) >= 0.92",
            _jaro_winkler_at_least(compact, 0.92),
        ),
        _exact(f"{part}_metaphone", label="sounds alike"),
        Level(
            "Jaro-Winkler >= 0.8",
            f"jaro_winkler_similarity({compact}_l, {compact}_r) >= 0.8",
            _jaro_winkler_at_least(compact, 0.8),
        ),
        Level("different", "ELSE", _else),
    ]
    return Comparison(f"{part}_name", f"{part} name", tuple(levels))


def _dob_swapped(left: Record, right: Record) -> bool:
    return (
        left["dob_year"] == right["dob_year"]
        and left["dob_month"] == right["dob_day"]
        and left["dob_day"] == right["dob_month"]
    )


def _dob_within_days(days: int) -> Test:
    def test(left: Record, right: Record) -> bool:
        return abs((left["dob"] - right["dob"]).days) <= days

    return test


def _dob_year_off_by_one(left: Record, right: Record) -> bool:
    return (
        left["dob_month"] == right["dob_month"]
        and left["dob_day"] == right["dob_day"]
        and abs(left["dob_year"] - right["dob_year"]) == 1
    )


def _dob_same_month(left: Record, right: Record) -> bool:
    return left["dob_year"] == right["dob_year"] and left["dob_month"] == right["dob_month"]


DATE_OF_BIRTH = Comparison(
    "date_of_birth",
    "date of birth",
    (
        _null_level("dob"),
        _exact("dob"),
        Level(
            "day and month swapped",
            "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
            _dob_swapped,
        ),
        Level("within 3 days", "abs(date_diff('day', dob_l, dob_r)) <= 3", _dob_within_days(3)),
        Level(
            "year off by one",
            "dob_month_l = dob_month_r AND dob_day_l = dob_day_r AND abs(dob_year_l - dob_year_r) = 1",
            _dob_year_off_by_one,
        ),
        Level(
            "same year and month", "dob_year_l = dob_year_r AND dob_month_l = dob_month_r", _dob_same_month
        ),
        Level("different", "ELSE", _else),
    ),
)

POSTCODE = Comparison(
    "postcode",
    "postcode",
    (
        _null_level("postcode"),
        _exact("postcode"),
        Level("same outward code", "postcode_outward_l = postcode_outward_r", _same("postcode_outward")),
        Level("different", "ELSE", _else),
    ),
)

EMAIL = Comparison(
    "email", "e-mail address", (_null_level("email"), _exact("email"), Level("different", "ELSE", _else))
)
PHONE = Comparison(
    "phone", "phone number", (_null_level("phone"), _exact("phone"), Level("different", "ELSE", _else))
)

COMPARISONS: tuple[Comparison, ...] = (
    _name_comparison("given", "family"),
    _name_comparison("family", "given"),
    DATE_OF_BIRTH,
    POSTCODE,
    EMAIL,
    PHONE,
)


@dataclass(frozen=True)
class BlockingRule:
    """Pairs agreeing on `key(record)` are compared; the vault indexes the same key for online matching."""

    name: str
    sql: str
    key: Callable[[Record], str | None]


def _joined(*values: Any) -> str | None:
    if any(v is None or v == "" for v in values):
        return None
    return "|".join(str(v) for v in values)


def _initial(name: str | None) -> str | None:
    return name[:1] if name else None


def _initials(record: Record) -> str | None:
    given, family = _initial(record["given_compact"]), _initial(record["family_compact"])
    if given is None or family is None:
        return None
    return "".join(sorted((given, family)))


# Each rule is an equality of one key, so that the vault can index the key and find candidates online.
# Most rules pair a date of birth (or part of one) with an initial: a shared birthday alone would
# compare every record with about 60 others per million, nearly all of them strangers.
BLOCKING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(
        "dob_family_initial",
        "l.dob = r.dob AND substr(l.family_compact, 1, 1) = substr(r.family_compact, 1, 1)",
        lambda r: _joined(r["dob"], _initial(r["family_compact"])),
    ),
    BlockingRule(
        "dob_given_initial",
        "l.dob = r.dob AND substr(l.given_compact, 1, 1) = substr(r.given_compact, 1, 1)",
        lambda r: _joined(r["dob"], _initial(r["given_compact"])),
    ),
    BlockingRule(
        # Both initials in alphabetical order: finds given and family names written the wrong way round.
        "dob_initials",
        "l.dob = r.dob AND least(substr(l.given_compact, 1, 1), substr(l.family_compact, 1, 1)) "
        "|| greatest(substr(l.given_compact, 1, 1), substr(l.family_compact, 1, 1)) "
        "= least(substr(r.given_compact, 1, 1), substr(r.family_compact, 1, 1)) "
        "|| greatest(substr(r.given_compact, 1, 1), substr(r.family_compact, 1, 1))",
        lambda r: _joined(r["dob"], _initials(r)),
    ),
    BlockingRule(
        "family_initial_year",
        "l.family_metaphone = r.family_metaphone AND substr(l.given_compact, 1, 1) = substr(r.given_compact, 1, 1) "
        "AND l.dob_year = r.dob_year",
        lambda r: _joined(r["family_metaphone"], _initial(r["given_compact"]), r["dob_year"]),
    ),
    BlockingRule(
        "family_initial_birthday",
        "l.family_metaphone = r.family_metaphone AND substr(l.given_compact, 1, 1) = substr(r.given_compact, 1, 1) "
        "AND l.dob_month = r.dob_month AND l.dob_day = r.dob_day",
        lambda r: _joined(r["family_metaphone"], _initial(r["given_compact"]), r["dob_month"], r["dob_day"]),
    ),
    BlockingRule(
        "postcode_initial",
        "l.postcode = r.postcode AND substr(l.given_compact, 1, 1) = substr(r.given_compact, 1, 1)",
        lambda r: _joined(r["postcode"], _initial(r["given_compact"])),
    ),
    BlockingRule("email", "l.email = r.email", lambda r: _joined(r["email"])),
    BlockingRule("phone", "l.phone = r.phone", lambda r: _joined(r["phone"])),
    BlockingRule(
        "name_area",
        "l.given_canonical = r.given_canonical AND l.family_metaphone = r.family_metaphone "
        "AND l.postcode_outward = r.postcode_outward",
        lambda r: _joined(r["given_canonical"], r["family_metaphone"], r["postcode_outward"]),
    ),
)


def blocking_rules_settings() -> list[dict[str, str]]:
    return [{"blocking_rule": rule.sql, "sql_dialect": "duckdb"} for rule in BLOCKING_RULES]


# Training blocks for expectation maximisation: each leaves the other comparisons free to be estimated.
TRAINING_BLOCKS: tuple[str, ...] = (
    "l.dob = r.dob",
    "l.family_compact = r.family_compact AND l.given_compact = r.given_compact",
)

# Rules of which nearly every pair is a match, to estimate the share of pairs that match.
DETERMINISTIC_RULES: tuple[str, ...] = (
    "l.given_compact = r.given_compact AND l.family_compact = r.family_compact AND l.dob = r.dob",
    "l.email = r.email",
)


def settings_dict(probability_two_random_records_match: float = 1e-5) -> dict[str, Any]:
    """An untrained Splink settings dictionary for the DuckDB backend."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability_two_random_records_match,
        "comparisons": [c.as_dict() for c in COMPARISONS],
        "blocking_rules_to_generate_predictions": blocking_rules_settings(),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "sql_dialect": "duckdb",
    }
