"""How well each body meets each obligation, per quarter: the propensities the journeys are drawn from.

Every body gets its own level per metric, drifting a little each quarter; a few improve or decline steadily,
and a few are made severely poor on one metric for two or more consecutive quarters (the severe and persistent
cases detection should find), while a few dip for a single quarter only (which it should not escalate).
"""

from dataclasses import dataclass

import numpy as np

from synthetic.generator import reference

# metric id -> (body kind responsible, national share met, national share late); the rest are missed.
# For proportion metrics only the first share is used: the share of crimes with the event.
OBLIGATIONS = {
    "R2.recorded_24h": ("police", 0.93, 0.07),
    "R3.confirmation_5wd": ("police", 0.78, 0.12),
    "R4.referral_2wd": ("police", 0.70, 0.15),
    "R6.suspect_update": ("police", 0.66, 0.20),
    "R6.decision_letter": ("police", 0.72, 0.18),
    "R8.hearing_info_1wd": ("wcu", 0.80, 0.12),
    "R8.witness_required_1wd": ("wcu", 0.82, 0.10),
    "R9.outcome_info_1wd": ("wcu", 0.78, 0.12),
    "R9.appeal_info_1wd": ("wcu", 0.75, 0.12),
    "R10.expenses_10wd": ("cps", 0.85, 0.12),
    "R11.vcs_referral_10wd": ("probation", 0.75, 0.15),
    "R11.vlo_contact_20wd": ("probation", 0.70, 0.18),
}
PROPORTIONS = {
    "R4.needs_assessed": ("police", 0.80),
    "R7.vps_offered": ("police", 0.17),
    "R7.vps_read": ("hmcts", 0.55),
}
# The CPS also answers for its own decisions not to proceed.
CPS_DECISION_LETTER = "R6.decision_letter"
METRICS = (*OBLIGATIONS, *PROPORTIONS)
METRIC_INDEX = {metric: index for index, metric in enumerate(METRICS)}
SEVERE_MET = 0.35
SEVERE_PAIRS = 6
SINGLE_DIPS = 3


@dataclass(frozen=True)
class SevereCase:
    body: str
    metric: str
    periods: tuple[str, ...]


@dataclass
class Propensities:
    bodies: tuple[str, ...]
    periods: tuple[str, ...]
    met: np.ndarray  # (body, metric, period)
    late: np.ndarray
    pattern: dict[tuple[str, str], str]
    severe: tuple[SevereCase, ...]

    def index(self, body: str) -> int:
        return self._lookup[body]

    def __post_init__(self) -> None:
        self._lookup = {body: index for index, body in enumerate(self.bodies)}


def body_kind(code: str) -> str:
    for prefix, kind in (("CPS-", "cps"), ("WCU-", "wcu"), ("PR-", "probation"), ("YJS-", "probation")):
        if code.startswith(prefix):
            return kind
    return "hmcts" if code == "HMCTS" else "police"


def _metrics_for(kind: str) -> list[str]:
    names = [m for m, (k, _, _) in OBLIGATIONS.items() if k == kind]
    names += [m for m, (k, _) in PROPORTIONS.items() if k == kind]
    if kind == "cps":
        names.append(CPS_DECISION_LETTER)
    return names


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def all_bodies() -> tuple[str, ...]:
    codes: list[str] = []
    for force in reference.forces():
        codes.append(force.code)
    for force in reference.forces():
        for code in (
            force.cps_area,
            force.witness_care_unit,
            force.probation_region,
            *force.youth_justice_services,
        ):
            if code not in codes:
                codes.append(code)
    codes.append("HMCTS")
    return tuple(codes)


def design(seed: int, periods: tuple[str, ...], exclude: tuple[str, ...] = ()) -> Propensities:
    """The propensities for every body, metric and quarter; `exclude` bodies are never made severe."""
    rng = np.random.default_rng([seed, 7_777_777])
    bodies = all_bodies()
    n_periods = len(periods)
    met = np.zeros((len(bodies), len(METRICS), n_periods))
    late = np.zeros_like(met)
    pattern: dict[tuple[str, str], str] = {}
    steps = np.arange(n_periods) - (n_periods - 1) / 2
    for b, body in enumerate(bodies):
        kind = body_kind(body)
        level = rng.normal(0, 0.45)
        trend_kind = rng.choice(["steady", "improving", "declining"], p=[0.8, 0.1, 0.1])
        for metric in _metrics_for(kind):
            m = METRIC_INDEX[metric]
            if metric in OBLIGATIONS:
                _, base_met, base_late = OBLIGATIONS[metric]
            else:
                base_met, base_late = PROPORTIONS[metric][1], 0.0
            effect = level + rng.normal(0, 0.35)
            slope = {"steady": rng.normal(0, 0.04), "improving": 0.3, "declining": -0.3}[str(trend_kind)]
            noise = rng.normal(0, 0.08, n_periods)
            p_met = _expit(_logit(np.array(base_met)) + effect + slope * steps + noise)
            met[b, m] = np.clip(p_met, 0.02, 0.995)
            late_share = base_late / max(1 - base_met, 1e-9)
            late[b, m] = (1 - met[b, m]) * late_share if metric != "R2.recorded_24h" else 1 - met[b, m]
            pattern[(body, metric)] = str(trend_kind)

    severe: list[SevereCase] = []
    candidates = [
        (body, metric)
        for body in bodies
        if body not in exclude and body not in ("MDP", "E23000034")
        for metric in _metrics_for(body_kind(body))
        if metric in OBLIGATIONS and body_kind(body) in ("police", "wcu")
    ]
    order = rng.permutation(len(candidates))
    used_bodies: set[str] = set()
    picks: list[tuple[str, str]] = []
    for index in order:
        body, metric = candidates[int(index)]
        if body not in used_bodies:
            picks.append((body, metric))
            used_bodies.add(body)
        if len(picks) == SEVERE_PAIRS + SINGLE_DIPS:
            break
    for number, (body, metric) in enumerate(picks):
        b, m = bodies.index(body), METRIC_INDEX[metric]
        if number < SEVERE_PAIRS and n_periods >= 2:
            length = int(rng.integers(2, min(4, n_periods) + 1))
            start = int(rng.integers(0, n_periods - length + 1))
            chosen = list(range(start, start + length))
            severe.append(SevereCase(body, metric, tuple(periods[p] for p in chosen)))
            pattern[(body, metric)] = "severe_persistent"
        else:
            chosen = [int(rng.integers(0, n_periods))]
            pattern[(body, metric)] = "single_quarter_dip"
        for p in chosen:
            met[b, m, p] = SEVERE_MET + rng.uniform(-0.05, 0.05)
            late[b, m, p] = (1 - met[b, m, p]) * (1.0 if metric == "R2.recorded_24h" else 0.4)
    return Propensities(bodies, periods, met, late, pattern, tuple(severe))
