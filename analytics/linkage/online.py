"""Scoring one incoming record against candidates in pure Python, for online matching in the vault.

The score is the model's Fellegi-Sunter match probability, computed exactly as Splink computes it: the
prior match weight plus, for each comparison, the match weight log2(m/u) of the first level the pair
reaches, plus a term frequency adjustment on exact name matches when frequencies are supplied.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analytics.linkage.comparisons import BLOCKING_RULES, COMPARISONS, Record, Test
from analytics.linkage.model import DEFAULT_MODEL_PATH, Model, load_model
from analytics.linkage.normalise import normalise_record

_CLAMP = 1e-300  # Splink's floor for m and u before taking logs


@dataclass(frozen=True)
class _ScoredLevel:
    test: Test
    match_weight: float
    tf_column: str | None
    tf_log2_u_exact: float
    tf_weight: float
    tf_minimum_u: float


def _match_probability(match_weight: float) -> float:
    if match_weight >= 0:
        return 1.0 / (1.0 + 2.0 ** (-match_weight))
    odds = 2.0**match_weight
    return odds / (1.0 + odds)


def _is_normalised(record: Record) -> bool:
    return "given_compact" in record


class OnlineScorer:
    """`blocking_keys(record)` for the vault's index; `score(query, candidate)` for each candidate found."""

    def __init__(self, model: Model, term_frequencies: Mapping[str, Mapping[str, float]] | None = None):
        self.model = model
        self.term_frequencies = term_frequencies or {}
        prior = model.probability_two_random_records_match
        self.prior_match_weight = math.log2(prior / (1 - prior))
        definitions = {c.name: c for c in COMPARISONS}
        self._comparisons: list[tuple[str, list[_ScoredLevel]]] = []
        for comparison in model.settings["comparisons"]:
            name = comparison["output_column_name"]
            levels = comparison["comparison_levels"]
            exact_u = {
                lv["tf_adjustment_column"]: lv["u_probability"]
                for lv in levels
                if lv.get("tf_adjustment_column") and lv.get("u_probability") is not None
            }
            scored = []
            for level, definition in zip(levels, definitions[name].levels, strict=True):
                if level.get("is_null_level"):
                    weight = 0.0
                else:
                    m = max(level["m_probability"], _CLAMP)
                    u = max(level["u_probability"], _CLAMP)
                    weight = math.log2(m / u)
                tf_column = level.get("tf_adjustment_column")
                scored.append(
                    _ScoredLevel(
                        test=definition.test,
                        match_weight=weight,
                        tf_column=tf_column,
                        tf_log2_u_exact=math.log2(exact_u[tf_column]) if tf_column else 0.0,
                        tf_weight=float(level.get("tf_adjustment_weight", 1.0 if tf_column else 0.0)),
                        tf_minimum_u=float(level.get("tf_minimum_u_value", 0.0)),
                    )
                )
            self._comparisons.append((name, scored))

    @classmethod
    def from_model(
        cls,
        path: str | Path = DEFAULT_MODEL_PATH,
        term_frequencies: Mapping[str, Mapping[str, float]] | None = None,
    ) -> OnlineScorer:
        """`term_frequencies`: column → value → share of records with that value (e.g. from the vault)."""
        return cls(load_model(path), term_frequencies)

    @staticmethod
    def normalise(record: Record) -> dict[str, Any]:
        return normalise_record(record)

    def blocking_keys(self, record: Record) -> dict[str, str]:
        """Blocking rule name → key; two records are candidates for each other when any key is equal."""
        normalised = record if _is_normalised(record) else normalise_record(record)
        keys = {}
        for rule in BLOCKING_RULES:
            key = rule.key(normalised)
            if key is not None:
                keys[rule.name] = key
        return keys

    def match_weight(self, query: Record, candidate: Record) -> float:
        left = query if _is_normalised(query) else normalise_record(query)
        right = candidate if _is_normalised(candidate) else normalise_record(candidate)
        total = self.prior_match_weight
        for _, levels in self._comparisons:
            for level in levels:
                if level.test(left, right):
                    total += level.match_weight
                    if level.tf_column and level.tf_weight:
                        total += self._tf_adjustment(level, left[level.tf_column], right[level.tf_column])
                    break
        return total

    def _tf_adjustment(self, level: _ScoredLevel, left_value: Any, right_value: Any) -> float:
        frequencies = self.term_frequencies.get(level.tf_column or "")
        if not frequencies:
            return 0.0
        tf_left, tf_right = frequencies.get(left_value), frequencies.get(right_value)
        if tf_left is None and tf_right is None:
            return 0.0
        both = [v for v in (tf_left, tf_right) if v is not None]
        value = max(*both, level.tf_minimum_u)
        return level.tf_weight * (level.tf_log2_u_exact - math.log2(value))

    def score(self, query: Record, candidate: Record) -> float:
        """Match probability of the pair; records may be raw victims records or `normalise()`d ones."""
        return _match_probability(self.match_weight(query, candidate))

    def explain(self, query: Record, candidate: Record) -> dict[str, str]:
        """Comparison → the level the pair reached, for showing a reviewer why a pair scored as it did."""
        left = query if _is_normalised(query) else normalise_record(query)
        right = candidate if _is_normalised(candidate) else normalise_record(candidate)
        labels = {c.name: c for c in COMPARISONS}
        reached = {}
        for name, levels in self._comparisons:
            for level, definition in zip(levels, labels[name].levels, strict=True):
                if level.test(left, right):
                    reached[name] = definition.label
                    break
        return reached


def term_frequencies_sql(table_name: str, column: str) -> str:
    """Share of the non-missing values of `column` taken by each value, as Splink computes it."""
    return f"""
    select {column} as value, cast(count(*) as double) / sum(count(*)) over () as frequency
    from {table_name}
    where {column} is not null
    group by {column}
    """


def term_frequencies(con: Any, prepared_table: str) -> dict[str, dict[str, float]]:
    """Term frequencies of the name columns the model adjusts for, from a `prepare_records` table."""
    columns = sorted({lv.tf_column for c in COMPARISONS for lv in c.levels if lv.tf_column})
    return {
        column: dict(con.sql(term_frequencies_sql(prepared_table, column)).fetchall()) for column in columns
    }
