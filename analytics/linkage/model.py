"""Training, saving and loading the Splink linkage model.

A model file is Splink's own JSON settings dictionary with trained m and u probabilities, so Splink can
read it directly (`Linker(table, "default.json")`); `analytics/linkage/model/default.json` is trained on
synthetic people by `python -m analytics.linkage.retrain` and shipped with each release.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from analytics.linkage.comparisons import COMPARISONS, DETERMINISTIC_RULES, TRAINING_BLOCKS, settings_dict
from analytics.linkage.normalise import prepare_records

DEFAULT_MODEL_PATH = Path(__file__).parent / "model" / "default.json"

Progress = Callable[[str, float], None]

# The share of true matches that the deterministic rules are taken to find, when estimating the prior.
DETERMINISTIC_RECALL = 0.8


@dataclass
class Model:
    """A trained linkage model: Splink's settings dictionary, m and u probabilities included."""

    settings: dict[str, Any]
    source: str = field(default="")

    @property
    def probability_two_random_records_match(self) -> float:
        return float(self.settings["probability_two_random_records_match"])

    def level_labels(self) -> dict[str, list[str]]:
        """Comparison name → level labels, indexed by the comparison vector value (gamma)."""
        labels: dict[str, list[str]] = {}
        for comparison in self.settings["comparisons"]:
            levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
            # Splink numbers non-null levels from the last (0) to the first (n - 1); null is -1.
            labels[comparison["output_column_name"]] = [
                lv.get("label_for_charts", lv["sql_condition"]) for lv in reversed(levels)
            ]
        return labels

    def splink_settings(self) -> dict[str, Any]:
        settings = copy.deepcopy(self.settings)
        settings.pop("linker_uid", None)
        return settings


def _notify(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, fraction)


def train_model(
    con: duckdb.DuckDBPyConnection,
    table_name: str,
    *,
    seed: int = 1,
    max_pairs_for_u: float = 5e6,
    deterministic_recall: float = DETERMINISTIC_RECALL,
    progress: Progress | None = None,
) -> Model:
    """Train a model on the victims records in `table_name`: u by random sampling, m by EM on training blocks.

    No labelled pairs are needed. The probability that two random records match is estimated from
    deterministic rules whose recall is taken as `deterministic_recall`.
    """
    from splink import DuckDBAPI, Linker

    _notify(progress, "normalising", 0.0)
    prepared = prepare_records(con, table_name, "__jj_training_records")
    db_api = DuckDBAPI(con)
    records = db_api.register(prepared)
    linker = Linker(records, settings_dict(), log_level=logging.WARNING)
    _notify(progress, "estimating the match rate", 0.1)
    linker.training.estimate_probability_two_random_records_match(
        list(DETERMINISTIC_RULES), recall=deterministic_recall
    )
    _notify(progress, "estimating u by random sampling", 0.2)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs_for_u, seed=seed)
    for number, block in enumerate(TRAINING_BLOCKS):
        _notify(
            progress,
            f"estimating m by expectation maximisation ({block})",
            0.4 + 0.5 * number / len(TRAINING_BLOCKS),
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block)
    settings = _with_unobserved_levels_floored(linker.misc.save_model_to_json())
    con.execute(f"drop table if exists {prepared}")
    _notify(progress, "trained", 1.0)
    return Model(settings=_without_run_details(settings), source="trained")


# A level never seen among matches (or non-matches) in training gets this probability rather than none,
# so that a small training set still gives a complete model; it makes the level strong evidence against
# (or for) a match, as its absence from training suggests.
UNOBSERVED_PROBABILITY = 1e-6


def _with_unobserved_levels_floored(settings: dict[str, Any]) -> dict[str, Any]:
    for comparison in settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            for parameter in ("m_probability", "u_probability"):
                if level.get(parameter) is None:
                    level[parameter] = UNOBSERVED_PROBABILITY
    return settings


def _without_run_details(settings: dict[str, Any]) -> dict[str, Any]:
    settings = copy.deepcopy(settings)
    settings.pop("linker_uid", None)
    return settings


def save_model(model: Model, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.settings, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return path


def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> Model:
    """Read a model file, checking that it holds a trained model of the comparisons this code defines."""
    path = Path(path)
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path}: no such model file") from None
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path}: line {error.lineno}, column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    if not isinstance(settings, dict) or "comparisons" not in settings:
        raise ValueError(f"{path}: not a Splink model (no 'comparisons')")
    try:
        check_model_matches_definitions(settings, str(path))
    except (AttributeError, KeyError, TypeError) as error:
        # A comparison or level that is not an object, or lacks a field every Splink model has.
        raise ValueError(
            f"{path}: not a Splink model (its comparisons are not in Splink's form: {type(error).__name__} {error})"
        ) from None
    return Model(settings=settings, source=str(path))


def check_model_matches_definitions(settings: dict[str, Any], where: str) -> None:
    """A model is only usable if every level is the one defined in `comparisons.py` and is trained."""
    expected = {c.name: c for c in COMPARISONS}
    found = [c.get("output_column_name") for c in settings["comparisons"]]
    if sorted(found) != sorted(expected):
        raise ValueError(f"{where}: the model compares {found}, but this version defines {sorted(expected)}")
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        defined = expected[name].levels
        levels = comparison["comparison_levels"]
        if [lv["sql_condition"] for lv in levels] != [lv.sql for lv in defined]:
            raise ValueError(
                f"{where}: comparison {name!r}: the levels differ from this version's definitions"
            )
        for number, level in enumerate(levels):
            if level.get("is_null_level"):
                continue
            if level.get("m_probability") is None or level.get("u_probability") is None:
                raise ValueError(
                    f"{where}: comparison {name!r}, level {number} ({level.get('label_for_charts')}): "
                    "m or u probability was not estimated; retrain the model"
                )
