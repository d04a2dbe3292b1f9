"""The generator's entry point: plan the chunks, build each one, stream every body's files and the truth."""

import csv
import json
import math
import multiprocessing
import os
import re
import shutil
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from synthetic.generator import compliance, journeys, people, reference, targets, text
from synthetic.generator.journeys import POLICE, ChunkPlan, JourneyBuilder, Setting
from synthetic.generator.output import Output, write_csv

MAX_CHUNK = 100_000
NEW_PERSON_SHARE = 1 - journeys.REPEAT_SHARE
PERIOD = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")
DEFAULT_FROM = "2024-25 Q1"
DEFAULT_TO = "2025-26 Q2"

# Bodies whose systems cannot send events yet: they send quarterly `returns` instead.
RETURNS_BODIES = ("MDP", "WCU-E23000002", "PR-NE")
# Forces that write some columns in their own local codes; truth/code_mappings.csv maps them.
LOCAL_OFFENCE_CODES = {
    "E23000013": {
        "violence": "VAP",
        "sexual": "SXO",
        "robbery": "ROB",
        "burglary": "BUR",
        "vehicle": "VEH",
        "theft": "THF",
        "arson_criminal_damage": "CDA",
        "drugs": "DRG",
        "public_order": "POD",
        "weapons": "WPN",
        "misc_society": "MSC",
        "fraud": "FRD",
    }
}
LOCAL_SEX_CODES = {"W15000004": {"M": "1", "F": "2", "NS": "9"}}
# How bodies write timestamps: most as naive London time; a few in UTC with Z or with an offset.
TIMESTAMP_STYLES = {
    "BTP": "utc",
    "E23000029": "utc",
    "CPS-TC": "utc",
    "HMCTS": "offset",
    "E23000010": "offset",
    "E23000005": "minutes",
    "E23000020": "minutes",
}
EVENT_ID_PREFIX = ("EV", "CPSE", "WCE", "HMC", "PRE", "YJE")
PERSON_PREFIX = ("", "URN", "WC", "HM", "PR", "YJ")
LATE_CRIMES_SHARE = 0.05  # of crimes recorded in a quarter's last ten days, sent with the next quarter's file


@dataclass(frozen=True)
class Period:
    label: str  # 2025-26 Q1
    start: date
    end: date  # first day of the next quarter

    @property
    def slug(self) -> str:
        return self.label.replace(" ", "-")


def parse_period(label: str) -> Period:
    match = PERIOD.match(label.strip())
    if not match:
        raise ValueError(f"period {label!r} is not a financial-year quarter such as '2025-26 Q1'")
    first, second, quarter = int(match[1]), int(match[2]), int(match[3])
    if (first + 1) % 100 != second:
        raise ValueError(f"period {label!r}: {first}-{second:02d} is not a financial year")
    month = 4 + 3 * (quarter - 1)
    year = first + (month - 1) // 12
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    end = date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
    return Period(f"{first}-{second:02d} Q{quarter}", start, end)


def periods_between(period_from: str, period_to: str) -> tuple[Period, ...]:
    first, last = parse_period(period_from), parse_period(period_to)
    if last.start < first.start:
        raise ValueError(f"--to {period_to!r} is before --from {period_from!r}")
    result = [first]
    while result[-1].start < last.start:
        end = result[-1].end
        fy = end.year if end.month >= 4 else end.year - 1
        quarter = (end.month - 4) % 12 // 3 + 1
        result.append(parse_period(f"{fy}-{(fy + 1) % 100:02d} Q{quarter}"))
    return tuple(result)


@dataclass
class Summary:
    out_dir: Path
    seed: int
    scale: float
    periods: tuple[str, ...]
    cutoff: date
    rows: dict[str, int] = field(default_factory=dict)
    bodies: int = 0
    seconds: float = 0.0

    @property
    def crimes(self) -> int:
        return self.rows.get("crimes", 0)

    @property
    def events(self) -> int:
        return self.rows.get("events", 0)


def _abbreviation(name: str, code: str) -> str:
    if not code.startswith(("E", "W")):
        return code
    words = [w for w in re.split(r"[\s-]+", name) if w.lower() not in ("and", "of", "the")]
    return "".join(w[0] for w in words).upper()


def plan_chunks(periods: tuple[Period, ...], scale: float) -> list[ChunkPlan]:
    forces = reference.forces()
    territorial = sum(f.annual_crimes for f in forces if f.territorial)
    plans: list[ChunkPlan] = []
    pid = 0
    for period_index, _ in enumerate(periods):
        for force_index, force in enumerate(forces):
            annual = force.annual_crimes * (
                targets.NATIONAL_ANNUAL_CRIMES / territorial if force.territorial else 1
            )
            crimes = max(1, round(annual * scale / 4))
            pieces = -(-crimes // MAX_CHUNK)
            for piece in range(pieces):
                size = crimes // pieces + (1 if piece < crimes % pieces else 0)
                new = max(1, round(size * NEW_PERSON_SHARE))
                plans.append(ChunkPlan(len(plans), force_index, period_index, size, pid, new))
                pid += new
    return plans


def _setting(seed: int, periods: tuple[Period, ...], plans: list[ChunkPlan]) -> Setting:
    forces = reference.forces()
    territorial = [f for f in forces if f.territorial]
    if any(not f.territorial for f in forces[: len(territorial)]):
        raise ValueError("forces.csv must list the territorial forces before BTP and MDP")
    labels = tuple(p.label for p in periods)
    rng = np.random.default_rng([seed, 5_555])
    exclude = (*RETURNS_BODIES, *LOCAL_OFFENCE_CODES, *LOCAL_SEX_CODES)
    return Setting(
        seed=seed,
        period_labels=labels,
        period_starts=np.array(
            [text.day_number(p.start) for p in periods] + [text.day_number(periods[-1].end)]
        ),
        propensities=compliance.design(seed, labels, exclude),
        force_codes=tuple(f.code for f in forces),
        force_bodies=[(f.code, f.cps_area, f.witness_care_unit, "HMCTS", f.probation_region) for f in forces],
        youth_services=[f.youth_justice_services for f in forces],
        enhanced_recognition=np.clip(rng.normal(0.9, 0.05, len(forces)), 0.7, 1.0),
        chunk_force=np.array([p.force_index for p in plans], dtype=np.int64),
        chunk_pid_start=np.array([p.pid_start for p in plans], dtype=np.int64),
        chunk_new=np.array([p.new_people for p in plans], dtype=np.int64),
        home_weights=np.array([f.annual_crimes for f in territorial], dtype=np.float64),
        force_welsh=np.array([f.welsh for f in forces]),
        force_region=np.array(
            [1 if f.code in reference.LONDON_FORCES else 2 if f.welsh else 0 for f in forces], dtype=np.int64
        ),
    )


def _styles(seed: int, bodies: tuple[str, ...]) -> dict[str, people.RecordingStyle]:
    rng = np.random.default_rng([seed, 3_333])
    styles = {}
    for body in bodies:
        police = compliance.body_kind(body) == "police"
        styles[body] = people.RecordingStyle(
            careful=police,
            sex_missing=float(rng.uniform(0.005, 0.03)) if police else 0.05,
            ethnicity_missing=float(rng.uniform(0.05, 0.35)) if police else 0.4,
            disability_missing=float(rng.uniform(0.1, 0.5)) if police else 0.5,
            dob_missing=float(rng.uniform(0.01, 0.05)) if police else 0.1,
            local_sex_codes=LOCAL_SEX_CODES.get(body),
        )
    return styles


def _subset(found: people.People, index: np.ndarray) -> people.People:
    return people.People(**{name: getattr(found, name)[index] for name in found.__dataclass_fields__})


class _Seen:
    """Which (body, person, record) victims rows are already written, so re-sent people are not repeated."""

    def __init__(self) -> None:
        self._keys: dict[str, np.ndarray] = {}

    def fresh(self, body: str, keys: np.ndarray) -> np.ndarray:
        known = self._keys.get(body)
        mask = np.ones(len(keys), dtype=bool) if known is None else ~np.isin(keys, known)
        self._keys[body] = keys[mask] if known is None else np.union1d(known, keys[mask])
        return mask


@dataclass
class Piece:
    """One file's worth of rows from a chunk; victims pieces carry the keys used to drop re-sent people."""

    body: str
    table: str
    name: str
    rows: pa.Table
    keys: np.ndarray | None = None
    pids: np.ndarray | None = None


@dataclass
class ChunkResult:
    pieces: list[Piece]
    obligations: dict[tuple[str, str, int], np.ndarray]


class Renderer:
    """Builds one chunk's journeys and turns them into each body's rows; runs in worker processes."""

    def __init__(self, seed: int, periods: tuple[Period, ...], setting: Setting) -> None:
        self.seed, self.periods, self.setting = seed, periods, setting
        self.bodies = compliance.all_bodies()
        self.salt = {body: index + 1 for index, body in enumerate(self.bodies)}
        self.styles = _styles(seed, self.bodies)
        self.abbreviations = [_abbreviation(f.name, f.code) for f in reference.forces()]

    def render(self, plan: ChunkPlan) -> ChunkResult:
        s = self.setting
        built, found, person = JourneyBuilder(s, plan).build()
        bodies = journeys.chunk_bodies(s, plan)
        force = s.force_codes[plan.force_index]
        obligations = {
            (bodies[position], force, metric): counts
            for (position, metric), counts in built.obligations.items()
        }
        pieces: list[Piece] = []
        keep = built.keep
        abbreviation = self.abbreviations[plan.force_index]
        police_refs = people.person_refs(f"{abbreviation}P", built.pid, built.record, self.salt[force])
        crime_refs = text.numbered(f"{abbreviation}/", plan.number * 1_000_000 + built.crime_number, 10)
        pieces += self.crimes(plan, built, force, crime_refs, police_refs)
        kept = np.flatnonzero(keep)
        keys = built.pid[kept].astype(np.int64) * 8 + built.record[kept]
        pieces += self.victims(
            force, keys, built.crime_period[kept], found, person[kept], police_refs.take(pa.array(kept))
        )

        rows, kinds, types, times, details = built.events
        inside = (times < s.cutoff_day * text.DAY) & keep[rows]
        rows, kinds, types, times, details = (
            rows[inside],
            kinds[inside],
            types[inside],
            times[inside],
            details[inside],
        )
        event_types = pa.array(journeys.EVENT_TYPES, pa.string())
        detail_codes = pa.array(journeys.DETAILS, pa.string())
        for position, body in enumerate(bodies):
            if body in RETURNS_BODIES:
                continue
            mine = np.flatnonzero(kinds == position)
            if not len(mine):
                continue
            mine = mine[np.argsort(times[mine], kind="stable")]
            r, t, when, d = rows[mine], types[mine], times[mine], details[mine]
            period = s.period_of(when // text.DAY)
            table = pa.table(
                {
                    "event_id": text.numbered(
                        EVENT_ID_PREFIX[position], plan.number * 10_000_000 + np.arange(len(r)), 10
                    ),
                    "force": pa.array(np.full(len(r), force)),
                    "crime_ref": crime_refs.take(pa.array(r)),
                    "person_ref": police_refs.take(pa.array(r)),
                    "event_type": text.take(event_types, t.astype(np.int64)),
                    "occurred_at": text.timestamps(when, TIMESTAMP_STYLES.get(body, "naive")),
                    "detail": text.take(detail_codes, np.maximum(d, 0).astype(np.int64), d >= 0),
                }
            )
            pieces += self.by_period(body, "events", period, table)
            if position != POLICE:
                touched, first = np.unique(r, return_index=True)
                zero = np.zeros(len(touched), dtype=np.int64)
                refs = people.person_refs(PERSON_PREFIX[position], built.pid[touched], zero, self.salt[body])
                pieces += self.victims(
                    body, built.pid[touched].astype(np.int64) * 8, period[first], found, person[touched], refs
                )
        return ChunkResult(pieces, obligations)

    def by_period(
        self, body: str, table: str, period: np.ndarray, rows: pa.Table, keys: np.ndarray | None = None
    ) -> list[Piece]:
        pieces = []
        for p in np.unique(period):
            chosen = period == p
            name = f"{table}-{self.periods[int(p)].slug}"
            pieces.append(
                Piece(
                    body, table, name, rows.filter(pa.array(chosen)), None if keys is None else keys[chosen]
                )
            )
        return pieces

    def crimes(
        self,
        plan: ChunkPlan,
        built: journeys.Journeys,
        force: str,
        crime_refs: pa.Array,
        police_refs: pa.Array,
    ) -> list[Piece]:
        s = self.setting
        keep = built.keep
        rng = np.random.default_rng([self.seed, plan.number, 1])
        period = built.crime_period.copy()
        recorded_day = built.recorded // text.DAY
        near_end = s.period_starts[np.minimum(period + 1, len(self.periods))] - recorded_day <= 10
        late = near_end & (rng.random(len(period)) < LATE_CRIMES_SHARE) & (period + 1 < len(self.periods))
        period = np.where(late, period + 1, period)
        style = TIMESTAMP_STYLES.get(force, "naive")
        offences = [LOCAL_OFFENCE_CODES.get(force, {}).get(o, o) for o in journeys.OFFENCES]
        outcome_codes = pa.array(list(journeys.OUTCOMES), pa.string())
        has_outcome = built.outcome != journeys.NO_OUTCOME
        table = pa.table(
            {
                "crime_ref": crime_refs,
                "force": pa.array(np.full(len(keep), force)),
                "person_ref": police_refs,
                "offence_group": text.take(pa.array(offences, pa.string()), built.offence),
                "reported_at": text.timestamps(built.reported, style),
                "recorded_at": text.timestamps(built.recorded, style),
                "enhanced_rights": text.take(
                    pa.array(["N", "Y"], pa.string()), built.enhanced.astype(np.int64)
                ),
                "enhanced_reason": text.take(
                    pa.array(journeys.ENHANCED_REASONS, pa.string()),
                    np.maximum(built.enhanced_reason, 0),
                    built.enhanced_reason >= 0,
                ),
                "domestic_abuse": text.take(
                    pa.array(["N", "Y"], pa.string()),
                    built.domestic_abuse.astype(np.int64),
                    built.domestic_abuse_recorded,
                ),
                "outcome_type": text.take(outcome_codes, built.outcome, has_outcome),
                "outcome_date": pc.if_else(
                    pa.array(has_outcome),
                    text.dates(built.outcome_time // text.DAY),
                    pa.scalar(None, pa.string()),
                ),
            }
        ).filter(pa.array(keep))
        return self.by_period(force, "crimes", period[keep], table)

    def victims(
        self,
        body: str,
        keys: np.ndarray,
        period: np.ndarray,
        found: people.People,
        person: np.ndarray,
        refs: pa.Array,
    ) -> list[Piece]:
        """Victims rows for each distinct (person, record) among `keys`, in the quarter it first appears."""
        if body in RETURNS_BODIES and body != "MDP":
            return []
        unique, first = np.unique(keys, return_index=True)
        if not len(first):
            return []
        subset = _subset(found, person[first])
        record = unique % 8
        table = people.victims_table(
            self.seed, subset, self.salt[body], record, refs.take(pa.array(first)), self.styles[body]
        )
        return self.by_period(body, "victims", period[first], table, unique)


_WORKER: Renderer | None = None


def _start_worker(renderer: Renderer) -> None:
    global _WORKER
    _WORKER = renderer


def _render(plan: ChunkPlan) -> ChunkResult:
    assert _WORKER is not None
    return _WORKER.render(plan)


class Generator:
    def __init__(
        self, out_dir: Path, seed: int, scale: float, periods: tuple[Period, ...], fmt: str, workers: int
    ) -> None:
        self.out_dir, self.seed, self.scale, self.periods = out_dir, seed, scale, periods
        self.plans = plan_chunks(periods, scale)
        self.setting = _setting(seed, periods, self.plans)
        self.renderer = Renderer(seed, periods, self.setting)
        self.workers = workers
        self.output = Output(out_dir, fmt)
        self.seen = _Seen()
        self.obligations: dict[tuple[str, str, int], np.ndarray] = {}
        self.truth_people = out_dir / "truth" / "people.csv"
        self.truth_started = False

    def results(self) -> Iterator[ChunkResult]:
        if self.workers <= 1:
            yield from (self.renderer.render(plan) for plan in self.plans)
            return
        context = multiprocessing.get_context("forkserver")
        window = 2 * self.workers
        with context.Pool(self.workers, initializer=_start_worker, initargs=(self.renderer,)) as pool:
            pending: deque = deque()
            plans = iter(self.plans)
            for plan in plans:
                pending.append(pool.apply_async(_render, (plan,)))
                if len(pending) >= window:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()

    def run(self) -> Summary:
        started = time.perf_counter()
        for result in self.results():
            self.absorb(result)
        self.output.close()
        self.write_returns()
        self.write_truth()
        written = {p.parent.name for p in (self.out_dir / "bodies").glob("*/*")}
        return Summary(
            out_dir=self.out_dir,
            seed=self.seed,
            scale=self.scale,
            periods=tuple(p.label for p in self.periods),
            cutoff=self.periods[-1].end,
            rows=dict(self.output.rows),
            bodies=len(written),
            seconds=time.perf_counter() - started,
        )

    def absorb(self, result: ChunkResult) -> None:
        for key, counts in result.obligations.items():
            self.obligations[key] = self.obligations.get(key, 0) + counts
        for piece in result.pieces:
            rows = piece.rows
            if piece.keys is not None:
                fresh = self.seen.fresh(piece.body, piece.keys)
                rows = rows.filter(pa.array(fresh))
                if not rows.num_rows:
                    continue
                truth = pa.table(
                    {
                        "body": pa.array(np.full(rows.num_rows, piece.body)),
                        "person_ref": rows["person_ref"],
                        "true_person_id": pa.array(piece.keys[fresh] // 8),
                    }
                )
                write_csv(self.truth_people, truth, header=not self.truth_started)
                self.truth_started = True
            self.output.write(piece.body, piece.table, piece.name, rows)

    # -- returns and truth ----------------------------------------------------------------------------
    def write_returns(self) -> None:
        for body in RETURNS_BODIES:
            rows = []
            for (owner, force, metric_index), counts in sorted(self.obligations.items()):
                if owner != body:
                    continue
                metric = compliance.METRICS[metric_index]
                for p, label in enumerate(self.setting.period_labels):
                    met, late, missed, _ = (int(x) for x in counts[p])
                    if met + late + missed:
                        rows.append((label, force, metric, met, met + late + missed))
            if rows:
                columns = list(zip(*rows, strict=True))
                table = pa.table(
                    {
                        name: list(values)
                        for name, values in zip(
                            ("period", "force", "metric", "numerator", "denominator"), columns, strict=True
                        )
                    }
                )
                self.output.write(body, "returns", "returns", table)
        self.output.close()

    def write_truth(self) -> None:
        truth = self.out_dir / "truth"
        truth.mkdir(parents=True, exist_ok=True)
        p = self.setting.propensities
        with (truth / "propensities.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["body", "metric", "period", "met", "late", "missed", "pattern"])
            for (body, metric), pattern in sorted(
                p.pattern.items(), key=lambda item: (p.index(item[0][0]), item[0][1])
            ):
                b, m = p.index(body), compliance.METRIC_INDEX[metric]
                for q, label in enumerate(p.periods):
                    met, late = float(p.met[b, m, q]), float(p.late[b, m, q])
                    writer.writerow(
                        [
                            body,
                            metric,
                            label,
                            f"{met:.4f}",
                            f"{late:.4f}",
                            f"{max(0.0, 1 - met - late):.4f}",
                            pattern,
                        ]
                    )
        with (truth / "severe_persistent.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["body", "metric", "periods"])
            for case in p.severe:
                writer.writerow([case.body, case.metric, ";".join(case.periods)])
        with (truth / "code_mappings.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["body", "column", "local_code", "standard_code"])
            for body, mapping in LOCAL_OFFENCE_CODES.items():
                for standard, local in mapping.items():
                    writer.writerow([body, "offence_group", local, standard])
            for body, mapping in LOCAL_SEX_CODES.items():
                for standard, local in mapping.items():
                    writer.writerow([body, "sex", local, standard])
        with (truth / "obligations.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["body", "force", "metric", "period", "met", "late", "missed", "pending"])
            for (body, force, metric_index), counts in sorted(self.obligations.items()):
                for q, label in enumerate(self.setting.period_labels):
                    if counts[q].sum():
                        writer.writerow(
                            [
                                body,
                                force,
                                compliance.METRICS[metric_index],
                                label,
                                *(int(x) for x in counts[q]),
                            ]
                        )
        summary = {
            "seed": self.seed,
            "scale": self.scale,
            "periods": [period.label for period in self.periods],
            "cutoff": self.periods[-1].end.isoformat(),
            "rows": dict(sorted(self.output.rows.items())),
            "returns_bodies": list(RETURNS_BODIES),
            "local_codes": sorted({*LOCAL_OFFENCE_CODES, *LOCAL_SEX_CODES}),
            "timestamp_styles": dict(sorted(TIMESTAMP_STYLES.items())),
        }
        (truth / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


def generate(
    out_dir: Path | str,
    *,
    seed: int = 1,
    scale: float = 0.01,
    period_from: str = DEFAULT_FROM,
    period_to: str = DEFAULT_TO,
    fmt: str = "csv",
    workers: int | None = None,
) -> Summary:
    """Writes synthetic submissions for every body under `out_dir/bodies/` and the truth under `out_dir/truth/`."""
    if not math.isfinite(scale) or scale <= 0:
        raise ValueError("scale must be a number greater than 0")
    if workers is not None and workers < 1:
        raise ValueError("workers must be at least 1")
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"format must be csv or parquet, not {fmt!r}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"{out_dir} is a file; give a folder")
    if (out_dir / "bodies").exists() or (out_dir / "truth").exists():
        raise FileExistsError(
            f"{out_dir} already holds generated data (bodies/ or truth/); choose an empty folder"
        )
    periods = periods_between(period_from, period_to)
    plans = plan_chunks(periods, scale)
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if sum(p.crimes for p in plans) > 200_000 else 1
    # Written to a hidden staging folder and moved into place at the end, so a failed run leaves nothing behind.
    staging = out_dir / f".synth-incomplete-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        summary = Generator(staging, seed, scale, periods, fmt, workers).run()
        for part in ("bodies", "truth"):
            (staging / part).rename(out_dir / part)
        staging.rmdir()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    summary.out_dir = out_dir
    return summary


__all__ = ["Summary", "generate", "parse_period", "periods_between"]
