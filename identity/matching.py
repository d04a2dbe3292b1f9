"""Blocking keys in the vault and the scorer for online matching.

The blocking rules and the scorer come from the linkage core (`analytics.linkage`), so a person is
found online exactly as batch linkage would pair them. The vault stores only keyed hashes of the
blocking keys. When no trained model file is present, a simple scorer stands in.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

import jellyfish

from analytics.linkage.comparisons import BLOCKING_RULES
from analytics.linkage.linking import DEFAULT_THRESHOLDS, Thresholds
from analytics.linkage.model import DEFAULT_MODEL_PATH
from analytics.linkage.normalise import normalise_record
from identity import crypto

THRESHOLDS: Thresholds = DEFAULT_THRESHOLDS


class Scorer(Protocol):
    def score(self, query: Mapping[str, Any], candidate: Mapping[str, Any]) -> float: ...


def normalised(record: Mapping[str, Any]) -> dict[str, Any]:
    return normalise_record(record)


def blocking_hashes(normal: Mapping[str, Any]) -> list[str]:
    """The keyed hashes of a normalised record's blocking keys, one per rule that has a key."""
    hashes = []
    for rule in BLOCKING_RULES:
        key = rule.key(normal)
        if key is not None:
            hashed = crypto.blind_index("block", rule.name, key)
            if hashed is not None:
                hashes.append(hashed)
    return hashes


@dataclass(frozen=True)
class SimpleScorer:
    """Agreement weights on names, date of birth, postcode and e-mail, turned into a probability.

    Used only until a trained model is shipped; the weights are deliberately cautious so that it
    sends doubtful pairs to review rather than merging them.
    """

    prior_weight: float = -16.0

    def match_weight(self, query: Mapping[str, Any], candidate: Mapping[str, Any]) -> float:
        total = self.prior_weight
        total += self._name(query.get("given_compact"), candidate.get("given_compact"), 7.0)
        total += self._name(query.get("family_compact"), candidate.get("family_compact"), 9.0)
        if query.get("dob") and candidate.get("dob"):
            total += 10.0 if query["dob"] == candidate["dob"] else -8.0
        for column, weight in (("postcode", 6.0), ("email", 8.0), ("phone", 7.0)):
            if query.get(column) and candidate.get(column):
                total += weight if query[column] == candidate[column] else -1.0
        return total

    @staticmethod
    def _name(left: str | None, right: str | None, weight: float) -> float:
        if not left or not right:
            return 0.0
        similarity = jellyfish.jaro_winkler_similarity(left, right)
        if similarity == 1.0:
            return weight
        if similarity >= 0.9:
            return weight / 2
        return -weight / 2

    def score(self, query: Mapping[str, Any], candidate: Mapping[str, Any]) -> float:
        weight = self.match_weight(query, candidate)
        return 1.0 / (1.0 + math.pow(2.0, -weight))


@cache
def scorer() -> Scorer:
    if DEFAULT_MODEL_PATH.exists():
        from analytics.linkage.online import OnlineScorer

        return OnlineScorer.from_model(DEFAULT_MODEL_PATH)
    return SimpleScorer()
