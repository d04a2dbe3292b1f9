"""Probabilistic record linkage of victims records: the engine behind the Justice Journey Number.

Django-free. The identity app uses this public API only:

- `link_records(con, table_name, model=None, thresholds=Thresholds(), engine="duckdb", *, must_link=(),
  must_not_link=(), progress=None) -> LinkageResult`: batch linkage of a table of victims records.
- `OnlineScorer.from_model(path)`: `blocking_keys(record)` for the vault's index and
  `score(query, candidate)` for online matching.
- `train_model`, `save_model`, `load_model`, `DEFAULT_MODEL_PATH`: the Splink model as JSON.
- `normalise_record`, `prepare_records`: the normalised form both of the above compare.
"""

from analytics.linkage.comparisons import BLOCKING_RULES
from analytics.linkage.evaluation import PairwiseAccuracy, cluster_accuracy
from analytics.linkage.linking import (
    DEFAULT_THRESHOLDS,
    LinkageResult,
    ScoredPair,
    Thresholds,
    link_records,
)
from analytics.linkage.model import DEFAULT_MODEL_PATH, Model, load_model, save_model, train_model
from analytics.linkage.normalise import NORMALISED_COLUMNS, nicknames, normalise_record, prepare_records
from analytics.linkage.online import OnlineScorer, term_frequencies

BLOCKING_KEY_NAMES = tuple(rule.name for rule in BLOCKING_RULES)

__all__ = [
    "BLOCKING_KEY_NAMES",
    "DEFAULT_MODEL_PATH",
    "DEFAULT_THRESHOLDS",
    "NORMALISED_COLUMNS",
    "LinkageResult",
    "Model",
    "OnlineScorer",
    "PairwiseAccuracy",
    "ScoredPair",
    "Thresholds",
    "cluster_accuracy",
    "link_records",
    "load_model",
    "nicknames",
    "normalise_record",
    "prepare_records",
    "save_model",
    "term_frequencies",
    "train_model",
]
