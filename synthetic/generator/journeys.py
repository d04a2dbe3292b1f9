"""One chunk of journeys: the crimes one force recorded from reports in one quarter, and everything that
follows for their victims at every body, vectorised with numpy.

A chunk is reproducible on its own from (seed, chunk number): its random draws come from a generator seeded
with both, and the people in it from the counter-based hash in `people`.
"""

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from analytics.calendar import add_working_days
from synthetic.generator import compliance, targets, text
from synthetic.generator.people import People, true_people, uniform

DAY = text.DAY
HOUR = 3600

EVENT_TYPES = (
    "written_confirmation_sent",
    "needs_assessment_done",
    "support_referral_made",
    "support_referral_declined",
    "compensation_info_given",
    "suspect_update_due",
    "suspect_update_given",
    "decision_not_to_proceed",
    "decision_letter_sent",
    "vrr_requested",
    "vrr_decided",
    "vps_offered",
    "vps_made",
    "vps_read_in_court",
    "hearing_info_received",
    "hearing_info_given",
    "witness_required_received",
    "witness_required_given",
    "convicted",
    "sentenced",
    "outcome_info_received",
    "outcome_info_given",
    "appeal_info_received",
    "appeal_info_given",
    "expenses_claim_received",
    "expenses_paid",
    "property_returned",
    "vcs_eligible",
    "vcs_referred",
    "vcs_contacted",
    "complaint_received",
    "complaint_resolved",
    "victim_withdrew",
)
EV = {name: code for code, name in enumerate(EVENT_TYPES)}
DETAILS = (
    "arrest",
    "interview",
    "release",
    "bail",
    "police_nfa",
    "cps_no_charge",
    "cps_discontinued",
    "charge_altered",
    "police",
    "cps",
    "upheld",
    "overturned",
    "custody_12m_plus",
    "custody_under_12m",
    "community",
    "other",
    "hospital_order",
    "pre_charge",
    "post_charge",
)
DT = {name: code for code, name in enumerate(DETAILS)}
NO_DETAIL = -1

# Who records an event: indexes into Chunk.bodies.
POLICE, CPS, WCU, HMCTS, PROBATION, YOUTH = range(6)
KINDS = ("police", "cps", "wcu", "hmcts", "probation", "probation")

OFFENCES = tuple(targets.OFFENCE_MIX)
OUTCOMES = tuple(targets.OUTCOME_SHARES)
NO_OUTCOME = OUTCOMES.index("")
OFFENCE = {name: code for code, name in enumerate(OFFENCES)}
OUTCOME = {name: code for code, name in enumerate(OUTCOMES)}
ENHANCED_REASONS = ("most_serious_crime", "persistently_targeted", "vulnerable", "intimidated", "bereaved")
DOMESTIC_ABUSE_BY_OFFENCE = {
    "violence": 0.36,
    "sexual": 0.30,
    "arson_criminal_damage": 0.12,
    "public_order": 0.06,
    "theft": 0.03,
    "burglary": 0.05,
    "misc_society": 0.05,
}
HOUR_WEIGHTS = np.array(
    [2, 1.5, 1, 0.8, 0.6, 0.6, 1, 2, 3, 3.5, 4, 4.5, 5, 5, 5, 5.5, 6, 6, 6, 5.5, 5, 4.5, 4, 3]
)
CUSTODY_12M_BY_OFFENCE = {
    "violence": 0.14,
    "sexual": 0.45,
    "robbery": 0.5,
    "burglary": 0.3,
    "weapons": 0.2,
    "drugs": 0.15,
}
REPEAT_SHARE = 0.15
DUPLICATE_RECORD_SHARE = 0.2


@lru_cache(maxsize=1)
def outcome_matrix() -> np.ndarray:
    """P(outcome | offence): the offence leanings, scaled so the national shares hold over the offence mix."""
    mix = np.array([targets.OFFENCE_MIX[o] for o in OFFENCES])
    target = np.array([targets.OUTCOME_SHARES[o] for o in OUTCOMES])
    lean = np.ones((len(OFFENCES), len(OUTCOMES)))
    for offence, leanings in targets.OUTCOME_LEANINGS.items():
        for outcome, factor in leanings.items():
            lean[OFFENCE[offence], OUTCOME[outcome]] = factor
    base = target.copy()
    for _ in range(200):
        conditional = lean * base
        conditional /= conditional.sum(axis=1, keepdims=True)
        marginal = mix @ conditional
        base *= target / marginal
    conditional = lean * base
    return conditional / conditional.sum(axis=1, keepdims=True)


@lru_cache(maxsize=4096)
def _deadline(day: int, working_days: int) -> int:
    return text.day_number(add_working_days(text.from_day_number(day), working_days))


def deadlines(days: np.ndarray, working_days: np.ndarray) -> np.ndarray:
    result = np.empty(len(days), dtype=np.int64)
    if not len(days):
        return result
    pairs = days.astype(np.int64) * 64 + working_days
    unique, inverse = np.unique(pairs, return_inverse=True)
    looked_up = np.array([_deadline(int(p // 64), int(p % 64)) for p in unique], dtype=np.int64)
    result[:] = looked_up[inverse.ravel()]
    return result


@dataclass
class Events:
    row: list[np.ndarray] = field(default_factory=list)
    kind: list[np.ndarray] = field(default_factory=list)
    type: list[np.ndarray] = field(default_factory=list)
    time: list[np.ndarray] = field(default_factory=list)
    detail: list[np.ndarray] = field(default_factory=list)

    def add(
        self,
        rows: np.ndarray,
        kind: int | np.ndarray,
        event: int,
        time: np.ndarray,
        detail: int | np.ndarray = NO_DETAIL,
    ) -> None:
        n = len(rows)
        if not n:
            return
        self.row.append(rows)
        self.kind.append(np.broadcast_to(np.asarray(kind, dtype=np.int8), (n,)))
        self.type.append(np.full(n, event, dtype=np.int8))
        self.time.append(time.astype(np.int64))
        self.detail.append(np.broadcast_to(np.asarray(detail, dtype=np.int8), (n,)))

    def arrays(self) -> tuple[np.ndarray, ...]:
        if not self.row:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty.astype(np.int8), empty.astype(np.int8), empty, empty.astype(np.int8)
        return (
            np.concatenate(self.row),
            np.concatenate(self.kind),
            np.concatenate(self.type),
            np.concatenate(self.time),
            np.concatenate(self.detail),
        )


@dataclass
class ChunkPlan:
    number: int
    force_index: int
    period_index: int
    crimes: int
    pid_start: int
    new_people: int


@dataclass
class Setting:
    """What every chunk shares: the calendar of the run, the propensities and the population plan."""

    seed: int
    period_labels: tuple[str, ...]
    period_starts: np.ndarray  # day numbers; one more entry than periods: the cut-off day
    propensities: compliance.Propensities
    force_codes: tuple[str, ...]
    force_bodies: list[tuple[str, str, str, str, str]]  # per force: police, cps, wcu, hmcts, probation
    youth_services: list[tuple[str, ...]]  # per force: its youth justice services, one used per chunk in turn
    enhanced_recognition: np.ndarray  # per force
    chunk_force: np.ndarray
    chunk_pid_start: np.ndarray
    chunk_new: np.ndarray
    home_weights: np.ndarray  # territorial forces' shares, for non-territorial forces' victims
    force_welsh: np.ndarray
    force_region: np.ndarray  # 0 England outside London, 1 London, 2 Wales

    @property
    def cutoff_day(self) -> int:
        return int(self.period_starts[-1])

    def period_of(self, days: np.ndarray) -> np.ndarray:
        index = np.searchsorted(self.period_starts, days, side="right") - 1
        return np.clip(index, 0, len(self.period_labels) - 1)


@dataclass
class Journeys:
    """The chunk's crimes (one row per crime and victim) and events, as arrays."""

    pid: np.ndarray
    record: np.ndarray
    repeat: np.ndarray
    crime_number: np.ndarray
    offence: np.ndarray
    reported: np.ndarray
    recorded: np.ndarray
    enhanced: np.ndarray
    enhanced_reason: np.ndarray
    domestic_abuse: np.ndarray
    domestic_abuse_recorded: np.ndarray
    outcome: np.ndarray
    outcome_time: np.ndarray
    keep: np.ndarray  # recorded before the cut-off
    crime_period: np.ndarray  # the quarter whose crimes file carries the row
    events: tuple[np.ndarray, ...]
    obligations: dict[tuple[int, int], np.ndarray]  # (body position, metric) -> counts (period, status)


def chunk_bodies(setting: Setting, plan: ChunkPlan) -> tuple[str, ...]:
    """The bodies a chunk's events go to, by position (POLICE ... YOUTH)."""
    services = setting.youth_services[plan.force_index] or setting.youth_services[0]
    return (*setting.force_bodies[plan.force_index], services[plan.number % len(services)])


class JourneyBuilder:
    def __init__(self, setting: Setting, plan: ChunkPlan) -> None:
        self.s = setting
        self.plan = plan
        self.rng = np.random.default_rng([setting.seed, plan.number])
        self.events = Events()
        self.bodies = chunk_bodies(setting, plan)
        self.body_index = [setting.propensities.index(code) for code in self.bodies]
        self.obligations: dict[tuple[int, int], np.ndarray] = {}
        self.cutoff = setting.cutoff_day * DAY

    # -- people --------------------------------------------------------------------------------------
    def victims(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        plan, s, rng = self.plan, self.s, self.rng
        n, new = plan.crimes, plan.new_people
        pid = np.empty(n, dtype=np.int64)
        record = np.zeros(n, dtype=np.int64)
        fresh = plan.pid_start + np.arange(new)
        pid[:new] = fresh
        repeats = n - new
        kind = rng.random(repeats)
        same_chunk = fresh[rng.integers(0, new, repeats)]
        earlier = s.chunk_force[: plan.number] == plan.force_index
        starts, counts = s.chunk_pid_start[: plan.number][earlier], s.chunk_new[: plan.number][earlier]
        if counts.sum():
            cumulative = np.cumsum(counts)
            position = rng.integers(0, cumulative[-1], repeats)
            chunk = np.searchsorted(cumulative, position, side="right")
            before = starts[chunk] + position - np.concatenate([[0], cumulative])[chunk]
        else:
            before = same_chunk
        anywhere = rng.integers(0, plan.pid_start + new, repeats)
        repeat_pid = np.where(kind < 0.4, same_chunk, np.where(kind < 0.88, before, anywhere))
        duplicate = (
            (kind >= 0.4)
            & (kind < 0.88)
            & (rng.random(repeats) < DUPLICATE_RECORD_SHARE)
            & bool(counts.sum())
        )
        pid[new:] = repeat_pid
        record[new:] = duplicate.astype(np.int64)
        repeat = np.zeros(n, dtype=bool)
        repeat[new:] = True
        order = rng.permutation(n)
        return pid[order], record[order], repeat[order]

    def home_of(self, pid: np.ndarray) -> np.ndarray:
        s = self.s
        chunk = np.searchsorted(s.chunk_pid_start, pid, side="right") - 1
        home = s.chunk_force[chunk]
        territorial = len(s.home_weights)
        away = home >= territorial
        if away.any():
            cdf = np.cumsum(s.home_weights) / s.home_weights.sum()
            home = home.copy()
            home[away] = np.minimum(
                np.searchsorted(cdf, uniform(s.seed, pid[away], 30), side="right"), territorial - 1
            )
        return home

    # -- obligations ----------------------------------------------------------------------------------
    def _propensity(self, position: int, metric: str, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = self.s.propensities
        body = self.body_index[position]
        m = compliance.METRIC_INDEX[metric]
        period = self.s.period_of(days)
        return p.met[body, m, period], p.late[body, m, period]

    def share(self, position: int, metric: str, days: np.ndarray) -> np.ndarray:
        return self._propensity(position, metric, days)[0]

    def _count(self, position: int, metric: str, trigger_days: np.ndarray, status: np.ndarray) -> None:
        periods = len(self.s.period_labels)
        keep = trigger_days < self.s.cutoff_day
        index = self.s.period_of(trigger_days[keep]) * 4 + status[keep]
        counts = np.bincount(index, minlength=periods * 4).reshape(periods, 4)
        key = (position, compliance.METRIC_INDEX[metric])
        self.obligations[key] = self.obligations.get(key, 0) + counts

    def count_proportion(self, position: int, metric: str, days: np.ndarray, has_event: np.ndarray) -> None:
        # Stored as met (numerator) and missed, so that met / (met + missed) is the proportion.
        self._count(position, metric, days, np.where(has_event, 0, 2))

    def obligation(
        self,
        metric: str,
        position: int,
        rows: np.ndarray,
        trigger: np.ndarray,
        working_days: np.ndarray | int,
        response_event: int | np.ndarray,
        response_detail: int | np.ndarray = NO_DETAIL,
    ) -> np.ndarray:
        """Draws met/late/missed for each trigger, adds the responses and returns their times (-1 if none)."""
        rng = self.rng
        n = len(rows)
        days = trigger // DAY
        p_met, p_late = self._propensity(position, metric, days)
        draw = rng.random(n)
        met = draw < p_met
        late = ~met & (draw < p_met + p_late)
        wd = np.broadcast_to(np.asarray(working_days, dtype=np.int64), (n,))
        deadline = deadlines(days, wd)
        response_day = np.where(
            met,
            days + np.floor(rng.random(n) ** 2 * (deadline - days + 1)).astype(np.int64),
            deadline + 1 + rng.geometric(0.25, n),
        )
        office = response_day * DAY + 8 * HOUR + (rng.random(n) * 10 * HOUR).astype(np.int64)
        same_day = response_day == days
        rest_of_day = (days + 1) * DAY - 60 - trigger
        response = np.where(
            same_day, trigger + (rng.random(n) * np.maximum(rest_of_day, 0)).astype(np.int64), office
        )
        response = np.maximum(response, trigger)
        answered = met | late
        response = np.where(answered, response, -1)
        if isinstance(response_event, np.ndarray):
            events = response_event[answered]
            for code in np.unique(events):
                chosen = answered.copy()
                chosen[answered] = events == code
                detail = (
                    response_detail[chosen] if isinstance(response_detail, np.ndarray) else response_detail
                )
                self.events.add(rows[chosen], position, int(code), response[chosen], detail)
        else:
            detail = response_detail[answered] if isinstance(response_detail, np.ndarray) else response_detail
            self.events.add(rows[answered], position, response_event, response[answered], detail)
        in_data = answered & (response < self.cutoff)
        status = np.where(
            in_data & (response // DAY <= deadline),
            0,
            np.where(in_data, 1, np.where(deadline < self.s.cutoff_day, 2, 3)),
        )
        self._count(position, metric, days, status)
        return np.where(in_data, response, -1)

    # -- the journey ----------------------------------------------------------------------------------
    def people(self, pid: np.ndarray) -> tuple[People, np.ndarray]:
        """The true details of each distinct person in `pid`, and each row's position among them."""
        unique, inverse = np.unique(pid, return_inverse=True)
        home = self.home_of(unique)
        found = true_people(self.s.seed, unique, home, self.s.force_welsh[home], self.s.force_region[home])
        return found, inverse.ravel()

    def build(self) -> tuple[Journeys, People, np.ndarray]:
        s, plan, rng, ev = self.s, self.plan, self.rng, self.events
        n = plan.crimes
        pid, record, repeat = self.victims()
        found, person = self.people(pid)
        dob, disabled = found.dob[person], found.disabled[person]
        rows = np.arange(n)

        # Several victims of one crime share its reference, offence and times.
        share_previous = np.zeros(n, dtype=bool)
        share_previous[1:] = (rng.random(n - 1) < 0.02) & (pid[1:] != pid[:-1])
        crime_number = np.cumsum(~share_previous) - 1
        groups = int(crime_number[-1]) + 1 if n else 0

        mix = np.array([targets.OFFENCE_MIX[o] for o in OFFENCES])
        offence = rng.choice(len(OFFENCES), size=groups, p=mix / mix.sum())[crime_number]
        start, end = int(s.period_starts[plan.period_index]), int(s.period_starts[plan.period_index + 1])
        day = rng.integers(start, end, groups)
        hour = rng.choice(24, size=groups, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
        reported_g = text.skip_missing_hour(day * DAY + hour * HOUR + rng.integers(0, HOUR, groups))
        p_met, _ = self._propensity(POLICE, "R2.recorded_24h", reported_g // DAY)
        on_time_g = rng.random(groups) < p_met
        delay_g = np.where(
            on_time_g,
            rng.integers(300, 22 * HOUR, groups),
            (25 * HOUR + rng.exponential(3 * DAY, groups)).astype(np.int64),
        )
        reported = reported_g[crime_number]
        recorded = text.skip_missing_hour(reported_g + delay_g)[crime_number]
        keep = recorded < self.cutoff
        self._count(
            POLICE, "R2.recorded_24h", (reported // DAY)[keep], np.where(on_time_g[crime_number], 0, 1)[keep]
        )

        age = (reported // DAY - dob) / 365.25
        adult = age >= 16
        da_p = np.array([DOMESTIC_ABUSE_BY_OFFENCE.get(o, 0.01) for o in OFFENCES])[offence]
        domestic_abuse = adult & (rng.random(n) < da_p)
        domestic_abuse_recorded = rng.random(n) >= 0.03

        draws = rng.random((5, n))
        violence, sexual = offence == OFFENCE["violence"], offence == OFFENCE["sexual"]
        bereaved = violence & (draws[0] < 0.002)
        most_serious = (
            domestic_abuse
            | sexual
            | (violence & (draws[1] < 0.06))
            | ((offence == OFFENCE["public_order"]) & (draws[1] < 0.15))
            | ((offence == OFFENCE["arson_criminal_damage"]) & (draws[1] < 0.02))
        )
        vulnerable = (age < 18) | (disabled & (draws[2] < 0.25))
        targeted = repeat & (draws[3] < 0.5)
        intimidated = draws[4] < 0.015
        reason = np.select(
            [bereaved, most_serious, vulnerable, targeted, intimidated], [4, 0, 2, 1, 3], default=-1
        )
        recognised = rng.random(n) < s.enhanced_recognition[plan.force_index]
        enhanced = (reason >= 0) & recognised
        reason = np.where(enhanced, reason, -1)
        short = np.where(enhanced, 1, 5)

        conditional = outcome_matrix()
        cdf = np.cumsum(conditional, axis=1)
        outcome = (rng.random(n)[:, None] > cdf[offence]).sum(axis=1)
        outcome = np.minimum(outcome, len(OUTCOMES) - 1)
        median = np.full(n, 30.0)
        median[outcome == OUTCOME["18"]] = 14
        median[outcome == OUTCOME["1"]] = np.where(sexual, 200, 45)[outcome == OUTCOME["1"]]
        median[np.isin(outcome, [OUTCOME["14"], OUTCOME["16"]])] = 35
        median[outcome == OUTCOME["15"]] = 60
        outcome_day = recorded // DAY + np.maximum(1, rng.lognormal(np.log(median), 0.6)).astype(np.int64)
        outcome_time = outcome_day * DAY + 8 * HOUR + rng.integers(0, 10 * HOUR, n)
        has_outcome = (outcome != NO_OUTCOME) & (outcome_time < self.cutoff)

        # Police: confirmation, needs, referral, compensation.
        self.obligation("R3.confirmation_5wd", POLICE, rows, recorded, 5, EV["written_confirmation_sent"])
        referral = np.where(
            rng.random(n) < 0.45, EV["support_referral_made"], EV["support_referral_declined"]
        )
        self.obligation("R4.referral_2wd", POLICE, rows, reported, 2, referral.astype(np.int64))
        needs = rng.random(n) < self.share(POLICE, "R4.needs_assessed", recorded // DAY)
        ev.add(
            rows[needs],
            POLICE,
            EV["needs_assessment_done"],
            recorded[needs] + rng.integers(0, 3 * DAY, needs.sum()),
        )
        self.count_proportion(
            POLICE,
            "R4.needs_assessed",
            recorded[keep] // DAY,
            (needs & (recorded + 3 * DAY < self.cutoff))[keep],
        )
        review = needs & (enhanced | (rng.random(n) < 0.3)) & (rng.random(n) < 0.75)
        reviewed_at = recorded + rng.integers(20 * DAY, 40 * DAY, n)
        ev.add(rows[review], POLICE, EV["needs_assessment_done"], reviewed_at[review])
        told = rng.random(n) < 0.75
        ev.add(
            rows[told],
            POLICE,
            EV["compensation_info_given"],
            recorded[told] + rng.integers(0, 14 * DAY, told.sum()),
        )

        # Suspect updates: arrest, interview, bail, release, each told within 5 (1 if enhanced) working days.
        suspect = ~np.isin(outcome, [OUTCOME["18"], OUTCOME["20"]]) & (
            (outcome != NO_OUTCOME) | (rng.random(n) < 0.5)
        )
        # Pre-charge bail is often extended, with an update to the victim each time.
        steps = rng.choice(np.arange(1, 7), size=n, p=[0.08, 0.12, 0.2, 0.2, 0.2, 0.2])
        sequences = {
            1: ["arrest"],
            2: ["arrest", "interview"],
            3: ["arrest", "interview", "release"],
            4: ["arrest", "interview", "bail", "release"],
            5: ["arrest", "interview", "bail", "bail", "release"],
            6: ["arrest", "interview", "bail", "bail", "bail", "release"],
        }
        detail_table = np.full((7, 6), NO_DETAIL, dtype=np.int64)
        for k, names in sequences.items():
            detail_table[k, : len(names)] = [DT[x] for x in names]
        moment = recorded + rng.exponential(7 * DAY, n).astype(np.int64)
        for step in range(6):
            chosen = suspect & (steps > step)
            if step:
                gap = rng.integers(HOUR, DAY, n) if step < 3 else rng.integers(20 * DAY, 35 * DAY, n)
                moment = moment + gap
            r = rows[chosen]
            detail = detail_table[steps[chosen], step]
            ev.add(r, POLICE, EV["suspect_update_due"], moment[chosen], detail)
            self.obligation(
                "R6.suspect_update",
                POLICE,
                r,
                moment[chosen],
                short[chosen],
                EV["suspect_update_given"],
            )

        # Decisions not to proceed, their letters and the right to review.
        police_nfa = np.isin(
            outcome, [OUTCOME[o] for o in ("10", "11", "12", "13", "14", "15", "16", "17", "18", "21")]
        )
        cps_no_charge = (outcome == OUTCOME["9"]) | (
            np.isin(outcome, [OUTCOME["15"], OUTCOME["16"]]) & (rng.random(n) < 0.2)
        )
        police_nfa &= ~cps_no_charge & has_outcome
        cps_no_charge &= has_outcome
        self.decision(rows[police_nfa], outcome_time[police_nfa], short[police_nfa], POLICE, DT["police_nfa"])
        self.decision(
            rows[cps_no_charge], outcome_time[cps_no_charge], short[cps_no_charge], CPS, DT["cps_no_charge"]
        )

        withdrew = np.isin(outcome, [OUTCOME["14"], OUTCOME["16"]]) & has_outcome & (rng.random(n) < 0.5)
        ev.add(
            rows[withdrew],
            POLICE,
            EV["victim_withdrew"],
            np.maximum(recorded, outcome_time - rng.integers(0, 5 * DAY, n))[withdrew],
            DT["pre_charge"],
        )

        charged = (outcome == OUTCOME["1"]) & has_outcome
        vps_weight = np.where(charged, 3.0, 1.0) * np.where(enhanced, 1.4, 1.0)
        vps_p = (
            self.share(POLICE, "R7.vps_offered", recorded // DAY) * vps_weight / max(vps_weight.mean(), 1e-9)
        )
        offered = rng.random(n) < np.minimum(vps_p, 0.95)
        offered_at = np.where(
            charged & (rng.random(n) < 0.5),
            outcome_time + HOUR,
            recorded + rng.exponential(5 * DAY, n).astype(np.int64),
        )
        ev.add(rows[offered], POLICE, EV["vps_offered"], offered_at[offered])
        self.count_proportion(
            POLICE, "R7.vps_offered", recorded[keep] // DAY, (offered & (offered_at < self.cutoff))[keep]
        )
        made = offered & (rng.random(n) < 0.55)
        made_at = offered_at + rng.integers(0, 10 * DAY, n)
        ev.add(rows[made], POLICE, EV["vps_made"], made_at[made])

        stolen = np.isin(offence, [OFFENCE[o] for o in ("theft", "burglary", "robbery", "vehicle")])
        returned = stolen & (rng.random(n) < 0.06)
        ev.add(
            rows[returned],
            POLICE,
            EV["property_returned"],
            recorded[returned] + rng.integers(5 * DAY, 90 * DAY, returned.sum()),
        )
        complaint = rng.random(n) < 0.006
        complained_at = recorded + rng.integers(10 * DAY, 200 * DAY, n)
        ev.add(rows[complaint], POLICE, EV["complaint_received"], complained_at[complaint])
        resolved = complaint & (rng.random(n) < 0.85)
        ev.add(
            rows[resolved],
            POLICE,
            EV["complaint_resolved"],
            complained_at[resolved] + rng.integers(5 * DAY, 60 * DAY, resolved.sum()),
        )

        self.court(
            rows[charged],
            outcome_time[charged],
            offence[charged],
            short[charged],
            made[charged],
            made_at[charged],
            bereaved[charged],
        )

        return (
            Journeys(
                pid=pid,
                record=record,
                repeat=repeat,
                crime_number=crime_number,
                offence=offence,
                reported=reported,
                recorded=recorded,
                enhanced=enhanced,
                enhanced_reason=reason,
                domestic_abuse=domestic_abuse,
                domestic_abuse_recorded=domestic_abuse_recorded,
                outcome=np.where(has_outcome, outcome, NO_OUTCOME),
                outcome_time=outcome_time,
                keep=keep,
                crime_period=s.period_of(recorded // DAY),
                events=ev.arrays(),
                obligations=self.obligations,
            ),
            found,
            person,
        )

    def decision(
        self, rows: np.ndarray, at: np.ndarray, short: np.ndarray, position: int, detail: int
    ) -> None:
        rng, ev = self.rng, self.events
        ev.add(rows, position, EV["decision_not_to_proceed"], at, detail)
        self.obligation("R6.decision_letter", position, rows, at, short, EV["decision_letter_sent"])
        n = len(rows)
        requested = rng.random(n) < targets.VRR_REQUEST_RATE
        requested_at = at + rng.integers(3 * DAY, 40 * DAY, n)
        review = DT["police"] if position == POLICE else DT["cps"]
        ev.add(rows[requested], position, EV["vrr_requested"], requested_at[requested], review)
        overturned = rng.random(n) < targets.VRR_OVERTURNED_RATE
        decided_at = requested_at + rng.integers(10 * DAY, 60 * DAY, n)
        ev.add(
            rows[requested],
            position,
            EV["vrr_decided"],
            decided_at[requested],
            np.where(overturned, DT["overturned"], DT["upheld"])[requested],
        )

    def court(self, rows, charged_at, offence, short, vps_made, vps_made_at, bereaved) -> None:
        rng, ev = self.rng, self.events
        n = len(rows)
        if not n:
            return
        serious = np.isin(offence, [OFFENCE[o] for o in ("sexual", "robbery", "weapons")])
        crown = rng.random(n) < np.where(serious, 0.35, np.where(offence == OFFENCE["violence"], 0.12, 0.05))
        median = np.where(crown, np.where(offence == OFFENCE["sexual"], 400, 180), 50)
        span_days = np.maximum(14, rng.lognormal(np.log(median), 0.5)).astype(np.int64)
        completed_day = charged_at // DAY + span_days
        completed_at = completed_day * DAY + 10 * HOUR + rng.integers(0, 6 * HOUR, n)

        discontinued = rng.random(n) < 0.10
        stop_at = charged_at + ((completed_at - charged_at) * rng.uniform(0.2, 0.9, n)).astype(np.int64)
        stop_at = np.where(discontinued, stop_at, completed_at + DAY)
        self.decision(
            rows[discontinued], stop_at[discontinued], short[discontinued], CPS, DT["cps_discontinued"]
        )
        gave_up = discontinued & (rng.random(n) < 0.4)
        ev.add(
            rows[gave_up],
            POLICE,
            EV["victim_withdrew"],
            stop_at[gave_up] - rng.integers(DAY, 10 * DAY, n)[gave_up],
            DT["post_charge"],
        )
        altered = ~discontinued & (rng.random(n) < 0.05)
        altered_at = charged_at + ((completed_at - charged_at) * 0.3).astype(np.int64)
        self.decision(rows[altered], altered_at[altered], short[altered], CPS, DT["charge_altered"])

        hearings = np.where(crown, rng.integers(3, 8, n), rng.integers(1, 5, n))
        for h in range(7):
            chosen = hearings > h
            last = hearings == h + 1
            fraction = rng.uniform(0.1, 0.95, n)
            hearing_at = np.where(
                last,
                completed_at,
                charged_at + 10 * DAY + ((completed_at - charged_at - 10 * DAY) * fraction).astype(np.int64),
            )
            chosen &= hearing_at < stop_at
            received = np.maximum(charged_at + HOUR, hearing_at - rng.integers(3 * DAY, 20 * DAY, n))
            received = (received // DAY) * DAY + 9 * HOUR + rng.integers(0, 8 * HOUR, n)
            ev.add(rows[chosen], WCU, EV["hearing_info_received"], received[chosen])
            self.obligation(
                "R8.hearing_info_1wd", WCU, rows[chosen], received[chosen], 1, EV["hearing_info_given"]
            )

        active = ~discontinued
        trial = active & (rng.random(n) < 0.35)
        needed = completed_at - rng.integers(14 * DAY, 40 * DAY, n)
        needed = np.maximum(needed, charged_at + HOUR)
        ev.add(rows[trial], WCU, EV["witness_required_received"], needed[trial])
        self.obligation(
            "R8.witness_required_1wd", WCU, rows[trial], needed[trial], 1, EV["witness_required_given"]
        )
        claims = trial & (rng.random(n) < 0.55)
        claimed = completed_at + rng.integers(DAY, 15 * DAY, n)
        ev.add(rows[claims], CPS, EV["expenses_claim_received"], claimed[claims])
        self.obligation("R10.expenses_10wd", CPS, rows[claims], claimed[claims], 10, EV["expenses_paid"])

        convicted = active & np.where(trial, rng.random(n) < 0.55, True)
        ev.add(rows[convicted], HMCTS, EV["convicted"], completed_at[convicted])
        told = active.copy()
        received = completed_at + rng.integers(HOUR, DAY, n)
        ev.add(rows[told], WCU, EV["outcome_info_received"], received[told])
        self.obligation("R9.outcome_info_1wd", WCU, rows[told], received[told], 1, EV["outcome_info_given"])

        later = rng.random(n) < 0.5
        sentenced_at = np.where(
            later, completed_at + rng.integers(14 * DAY, 42 * DAY, n), completed_at + HOUR
        )
        custody_share = np.array([CUSTODY_12M_BY_OFFENCE.get(o, 0.04) for o in OFFENCES])[offence]
        draw = rng.random(n)
        sentence = np.select(
            [
                draw < custody_share,
                draw < custody_share + 0.005,
                draw < custody_share + 0.155,
                draw < custody_share + 0.455,
            ],
            [DT["custody_12m_plus"], DT["hospital_order"], DT["custody_under_12m"], DT["community"]],
            default=DT["other"],
        )
        ev.add(rows[convicted], HMCTS, EV["sentenced"], sentenced_at[convicted], sentence[convicted])
        again = convicted & later
        received = sentenced_at + rng.integers(HOUR, DAY, n)
        ev.add(rows[again], WCU, EV["outcome_info_received"], received[again])
        self.obligation("R9.outcome_info_1wd", WCU, rows[again], received[again], 1, EV["outcome_info_given"])

        with_vps = convicted & vps_made & (vps_made_at < sentenced_at)
        read = with_vps & (rng.random(n) < self.share(HMCTS, "R7.vps_read", sentenced_at // DAY))
        ev.add(rows[read], HMCTS, EV["vps_read_in_court"], sentenced_at[read])
        self.count_proportion(
            HMCTS,
            "R7.vps_read",
            (completed_at // DAY)[with_vps],
            (read & (sentenced_at < self.cutoff))[with_vps],
        )

        appeal = convicted & (rng.random(n) < 0.03)
        appealed = sentenced_at + rng.integers(20 * DAY, 90 * DAY, n)
        ev.add(rows[appeal], WCU, EV["appeal_info_received"], appealed[appeal])
        self.obligation("R9.appeal_info_1wd", WCU, rows[appeal], appealed[appeal], 1, EV["appeal_info_given"])

        violent = np.isin(offence, [OFFENCE[o] for o in ("violence", "sexual", "robbery")])
        custody = sentence == DT["custody_12m_plus"]
        eligible = convicted & ((custody & (violent | bereaved)) | (sentence == DT["hospital_order"]))
        youth = rng.random(n) < np.where(offence == OFFENCE["robbery"], 0.25, 0.10)
        eligible_at = sentenced_at + rng.integers(0, 2 * DAY, n)
        for position, chosen in ((PROBATION, eligible & ~youth), (YOUTH, eligible & youth)):
            ev.add(rows[chosen], position, EV["vcs_eligible"], eligible_at[chosen])
            referred = self.obligation(
                "R11.vcs_referral_10wd", position, rows[chosen], eligible_at[chosen], 10, EV["vcs_referred"]
            )
            onward = referred >= 0
            self.obligation(
                "R11.vlo_contact_20wd",
                position,
                rows[chosen][onward],
                referred[onward],
                20,
                EV["vcs_contacted"],
            )
