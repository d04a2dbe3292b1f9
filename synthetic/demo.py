"""Fills an empty installation with a complete demo: accounts, synthetic submissions, linkage and figures.

Each step goes through the same actions people use (ingest, linkage, compute), so the demo shows the
product as it is. The steps are idempotent: a finished demo is recorded in `DATA_DIR/demo/complete.json`
and not built again unless asked.
"""

import csv
import json
import multiprocessing
import shutil
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings

from analytics.standard import load_standard

DEMO_SEED = 2024
DEMO_SCALE = 0.002
DEMO_FROM = "2024-25 Q1"
DEMO_TO = "2025-26 Q2"
# Tables in the order a body's systems would send them: people before the crimes that name them.
TABLE_ORDER = ("victims", "crimes", "events", "returns")
# The body whose data team signs in as the demo submitter; it also sends a corrections file with faulty rows.
CORRECTIONS_BODY = "E23000036"
CORRECTIONS_FILE = "events-corrections.csv"

Say = Callable[[str], None]


@dataclass
class DemoSummary:
    built: bool
    periods: list[str] = field(default_factory=list)
    submissions: int = 0
    rejected_whole: list[str] = field(default_factory=list)
    # "<body>/<file>: <n> of <m> rows refused" for each demo file with refused rows.
    refused_rows: list[str] = field(default_factory=list)
    linkage: str = ""
    figures: int = 0
    # A victim whose journey the demo analyst can follow across their force and its partners.
    person: str = ""


def demo_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo"


def _marker() -> Path:
    return demo_dir() / "complete.json"


def is_built() -> bool:
    return _marker().is_file()


def _files_in_order(body_dir: Path) -> list[Path]:
    def rank(path: Path) -> tuple[int, str]:
        table = next((t for t in TABLE_ORDER if path.name.startswith(t)), "")
        return (TABLE_ORDER.index(table) if table else len(TABLE_ORDER), path.name)

    return sorted((p for p in body_dir.iterdir() if p.suffix in {".csv", ".parquet", ".xlsx"}), key=rank)


def _code_mapping_rows(truth: Path) -> dict[str, list[dict[str, str]]]:
    """Reads truth/code_mappings.csv, naming the table of each coded column where the file does not."""
    path = truth / "code_mappings.csv"
    if not path.is_file():
        return {}
    standard = load_standard()
    table_of: dict[str, str] = {}
    for table in TABLE_ORDER:
        for column in standard.tables[table].columns:
            if column.codelist:
                table_of.setdefault(column.name, table)
    by_body: dict[str, list[dict[str, str]]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_body.setdefault(row["body"], []).append(
                {
                    "table": row.get("table") or table_of[row["column"]],
                    "column": row["column"],
                    "local_code": row["local_code"],
                    "standard_code": row["standard_code"],
                }
            )
    return by_body


def _corrections_file(body_dir: Path) -> Path | None:
    """A late events file from the body, as data teams send them: one event corrected (its time was wrong),
    one new event, and six rows that validation refuses, so the demo's submission history shows a report
    of refused rows naming each row and column. Built from the body's own last events file (so its codes and
    formats are the body's own); None when the body sent no events file in CSV."""
    if not body_dir.is_dir():
        return None
    sent = [p for p in _files_in_order(body_dir) if p.name.startswith("events") and p.suffix == ".csv"]
    if not sent:
        return None
    with sent[-1].open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    if not rows:
        return None
    last = rows[-1]
    corrected = {**last, "occurred_at": _an_hour_later(last["occurred_at"])}

    def new(number: int, **changes: str) -> dict[str, str]:
        return {**last, "event_id": f"{last['event_id']}-C{number}", "detail": "", **changes}

    faulty_and_new = [
        corrected,
        new(1, event_type="vps_offered"),
        new(2, event_type="letter_posted"),  # not in the event vocabulary
        new(3, event_type="vps_offered", occurred_at="2025-09-31T10:00:00"),  # no 31 September
        new(4, event_type="vps_offered", crime_ref=""),  # the crime is required
        new(5, event_type="suspect_update_due", detail="charged"),  # not one of its detail codes
        new(6, event_type="vps_offered"),
        new(6, event_type="vps_made"),  # the same event id twice in one file
    ]
    path = body_dir.parent.parent / "corrections" / body_dir.name / CORRECTIONS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(faulty_and_new)
    return path


def _an_hour_later(stamp: str) -> str:
    """The ISO 8601 time an hour after `stamp`; `stamp` itself if it is written some other way."""
    try:
        return (datetime.fromisoformat(stamp) + timedelta(hours=1)).isoformat()
    except ValueError:
        return stamp


def _ingest_body(body_dir: Path) -> str:
    """Submits one body's files in the order its systems would send them, as the demo."""
    from journeys.actions import Actor, submit

    actor = Actor(user=None, label="demo")
    for path in _files_in_order(body_dir):
        submit(by=actor, body_code=body_dir.name, file_name=path.name, path=path, recompute=False)
    return body_dir.name


def _set_up_worker() -> None:
    import django

    django.setup()


def _ingest_bodies(body_dirs: Sequence[Path], *, workers: int) -> Iterator[str]:
    """Ingests each body's files and yields its code when they are all stored. With several workers, each
    body goes to a process of its own (the database makes concurrent writers wait their turn; the event store
    locks each table per body); the largest bodies start first, so that no long one is left for the end."""
    if workers <= 1:
        for body_dir in body_dirs:
            yield _ingest_body(body_dir)
        return
    from django.db import connections

    connections.close_all()  # nothing open is handed to the workers
    largest_first = sorted(body_dirs, key=lambda d: -sum(f.stat().st_size for f in _files_in_order(d)))
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_set_up_worker)
    try:
        for future in as_completed([pool.submit(_ingest_body, body_dir) for body_dir in largest_first]):
            yield future.result()
    finally:
        # On an error (or an interruption) the bodies not yet started are not started; those running finish,
        # and the next build carries on from the bodies recorded as done.
        pool.shutdown(wait=True, cancel_futures=True)


def partners_of(force_code: str) -> list[str]:
    """The bodies that serve a force's victims after the police: its Witness Care Unit, CPS area and probation
    region (from the standard), and the courts."""
    from analytics.metrics.catalogue import load_forces

    force = next(f for f in load_forces() if f.code == force_code)
    local = [force.witness_care_unit, force.cps_area, force.probation_region]
    return [code for code in [*local, "HMCTS"] if code]


def _share_with_partners(starts_on: date) -> list[str]:
    """The demo submitter's force records a person-view sharing agreement with each partner, as an
    administrator would on the agreements page, so the demo analyst sees a victim's whole journey."""
    from accounts.models import Organisation
    from identity.actions import record_agreement
    from identity.models import SharingAgreement

    force = Organisation.objects.get(code=CORRECTIONS_BODY)
    partners = partners_of(CORRECTIONS_BODY)
    for partner in partners:
        if not SharingAgreement.objects.filter(organisation=force, source_body=partner).exists():
            record_agreement(
                by=None,
                organisation=force,
                source_body=partner,
                scope=SharingAgreement.Scope.PERSON_VIEW,
                reference=f"ISA-DEMO-{CORRECTIONS_BODY}-{partner}",
                starts_on=starts_on,
                ends_on=None,
                actor_label="demo",
            )
    return partners


def _person_to_follow(bodies: set[str]) -> str:
    """The number whose records come from the most of `bodies`, one of them the demo submitter's force."""
    from django.db.models import Count

    from identity import jjn
    from identity.models import VictimRecord
    from identity.routers import VAULT_DB

    records = VictimRecord.objects.using(VAULT_DB)
    known_to_force = records.filter(body=CORRECTIONS_BODY).values("jjn_id")
    best = (
        records.filter(body__in=bodies, jjn_id__in=known_to_force)
        .values("jjn_id", "jjn__number")
        .annotate(bodies=Count("body", distinct=True))
        .filter(bodies__gt=1)
        .order_by("-bodies", "jjn_id")
        .first()
    )
    return jjn.display(best["jjn__number"]) if best else ""


class _Progress:
    """The steps already done, in `DATA_DIR/demo/progress.json`, so an interrupted build resumes."""

    def __init__(self) -> None:
        self.path = demo_dir() / "progress.json"
        self.state: dict[str, Any] = (
            json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else {}
        )

    def save(self, **values: Any) -> None:
        self.state.update(values)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        staged = self.path.with_suffix(".tmp")
        staged.write_text(json.dumps(self.state, indent=2), encoding="utf-8")
        staged.replace(self.path)


def build_demo(
    *,
    say: Say,
    rebuild: bool = False,
    period_from: str = DEMO_FROM,
    period_to: str = DEMO_TO,
    bodies: set[str] | None = None,
    workers: int = 1,
) -> DemoSummary:
    """Builds the demo once; an interrupted build carries on where it stopped (re-sending a file that was
    already stored changes nothing). `period_from`, `period_to` and `bodies` narrow it, for tests; `workers`
    bodies' files are ingested at once, each body in a process of its own."""
    # Imported here: these pull in every app, and this module is imported by the command at start-up.
    from accounts.actions import sync_organisations
    from analytics.metrics.periods import period_start
    from compliance.actions import TREND_QUARTERS, compute_compliance
    from identity.linkage import run_linkage
    from journeys.actions import Actor, load_code_mappings, submit
    from journeys.models import Submission
    from synthetic.generator import generate

    if is_built() and not rebuild:
        return DemoSummary(built=False, **json.loads(_marker().read_text(encoding="utf-8")))
    if rebuild and Submission.objects.exists():
        raise RuntimeError(
            "This installation already holds submissions. To rebuild the demo, start from an empty data "
            "folder: `make clean` then `make demo` (`make clean` empties ./var; with JJ_DATA_DIR set, empty that "
            "folder yourself)."
        )
    progress = _Progress()
    if progress.state:
        say("Carrying on with the demo build that stopped part-way ...")
    sync_organisations()
    out = demo_dir() / "synthetic"
    if "generated" not in progress.state:
        say(f"Generating synthetic submissions (scale {DEMO_SCALE}, {period_from} to {period_to}) ...")
        shutil.rmtree(out, ignore_errors=True)
        generated = generate(
            out, seed=DEMO_SEED, scale=DEMO_SCALE, period_from=period_from, period_to=period_to
        )
        say(f"  {generated.crimes:,} crimes and {generated.events:,} events from {generated.bodies} bodies.")
        progress.save(generated={"periods": list(generated.periods), "cutoff": generated.cutoff.isoformat()})
    periods: list[str] = progress.state["generated"]["periods"]
    cutoff = date.fromisoformat(progress.state["generated"]["cutoff"])

    if not progress.state.get("mappings"):
        for body, rows in _code_mapping_rows(out / "truth").items():
            if bodies is not None and body not in bodies:
                continue
            count = load_code_mappings(by=None, body_code=body, rows=rows, actor_label="demo")
            say(f"  {body} registered {count} local codes.")
        progress.save(mappings=True)

    summary = DemoSummary(built=True, periods=periods)
    actor = Actor(user=None, label="demo")
    body_dirs = sorted(
        p for p in (out / "bodies").iterdir() if p.is_dir() and (bodies is None or p.name in bodies)
    )
    done: list[str] = progress.state.get("ingested", [])
    pending = [body_dir for body_dir in body_dirs if body_dir.name not in done]
    at_once = min(workers, len(pending))
    say(
        f"Ingesting every body's files ({len(body_dirs)} bodies"
        + (f", {at_once} at a time" if at_once > 1 else "")
        + ") ..."
    )
    for name in _ingest_bodies(pending, workers=at_once):
        done = [*done, name]
        progress.save(ingested=done)
        if len(done) % 10 == 0 or len(done) == len(body_dirs):
            say(f"  {len(done)} of {len(body_dirs)} bodies")
    if "corrections" not in progress.state:
        wanted = bodies is None or CORRECTIONS_BODY in bodies
        corrections = _corrections_file(out / "bodies" / CORRECTIONS_BODY) if wanted else None
        if corrections is not None:
            say(f"  {CORRECTIONS_BODY} sends {corrections.name}, a late file with faulty rows ...")
            submit(
                by=actor,
                body_code=CORRECTIONS_BODY,
                file_name=corrections.name,
                path=corrections,
                recompute=False,
            )
        progress.save(corrections=True)
    summary.submissions = Submission.objects.filter(submitted_by_label="demo").count()
    summary.refused_rows = [
        f"{body}/{name}: {rejected} of {rows} rows refused"
        for body, name, rejected, rows in Submission.objects.filter(
            submitted_by_label="demo", rejected__gt=0
        ).values_list("body__code", "file_name", "rejected", "rows")
    ]
    summary.rejected_whole = [
        f"{body}/{name}: {reason}"
        for body, name, reason in Submission.objects.filter(
            submitted_by_label="demo", status=Submission.Status.REJECTED
        ).values_list("body__code", "file_name", "reason")
    ]

    if "linkage" not in progress.state:
        say("Linking victims' records across bodies ...")
        progress.save(linkage=run_linkage(by=None).line())
    summary.linkage = progress.state["linkage"]
    say(f"  {summary.linkage}")

    if "person" not in progress.state:
        partners = _share_with_partners(period_start(periods[0]))
        say(
            f"  {CORRECTIONS_BODY} agrees to see its partners' records of its victims: {', '.join(partners)}."
        )
        progress.save(person=_person_to_follow({CORRECTIONS_BODY, *partners}))
    summary.person = progress.state["person"]

    say(f"Computing every metric for each quarter (cut-off {cutoff}) ...")
    computed: dict[str, int] = progress.state.get("computed", {})
    # Each computation also gives the three quarters before its own (for trends), so one run in four covers
    # every quarter; the earliest run goes first, so each quarter is shown from the latest run holding it.
    for period in reversed(periods[::-1][::TREND_QUARTERS]):
        if period not in computed:
            run = compute_compliance(period=period, cutoff=cutoff, by=None, actor_label="demo")
            progress.save(computed={**computed, period: run.row_count})
            computed = progress.state["computed"]
    summary.figures = sum(computed.values())
    say(f"  {summary.figures:,} figures.")

    _marker().write_text(
        json.dumps(
            {
                "periods": summary.periods,
                "submissions": summary.submissions,
                "rejected_whole": summary.rejected_whole,
                "refused_rows": summary.refused_rows,
                "linkage": summary.linkage,
                "figures": summary.figures,
                "person": summary.person,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return summary
