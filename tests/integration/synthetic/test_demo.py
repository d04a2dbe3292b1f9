"""The demo builder, on the demo's own data narrowed to one police force area and two quarters."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import Organisation, Role, User
from compliance.models import ComputationRun
from compliance.queries import latest_run
from identity.models import VictimRecord
from identity.queries import person_view
from journeys.models import Submission
from synthetic.demo import CORRECTIONS_BODY, CORRECTIONS_FILE, build_demo, demo_dir, partners_of

pytestmark = [pytest.mark.django_db(databases=["default", "vault"]), pytest.mark.slow]

AREA = {"E23000036", "WCU-E23000036", "CPS-SW", "PR-SW"}
COUNTED = ("metric", "force", "body", "period", "breakdown", "breakdown_value", "source", "met", "late", "missed",
           "pending", "numerator", "denominator", "rate", "ci95_low", "ci95_high")  # fmt: skip


@pytest.fixture
def demo():
    call_command("load_standard", stdout=io.StringIO())
    said: list[str] = []
    summary = build_demo(say=said.append, period_from="2025-26 Q1", period_to="2025-26 Q2", bodies=AREA)
    return summary, said


def test_the_demo_submits_every_file_links_people_and_computes_each_quarter(demo):
    summary, said = demo
    files = [p for body in AREA for p in (demo_dir() / "synthetic" / "bodies" / body).iterdir()]
    # Every generated file, and the corrections file of the demo submitter's force.
    assert summary.submissions == len(files) + 1 == Submission.objects.count()
    assert summary.rejected_whole == []
    assert set(Submission.objects.values_list("body__code", flat=True)) == AREA
    assert not Submission.objects.exclude(status=Submission.Status.STORED).exists()
    # People are linked: fewer numbers than records, since victims appear at several bodies.
    records = VictimRecord.objects.using("vault")
    assert records.count() > records.values("jjn").distinct().count() > 0
    # Every quarter's figures, for every body, from the latest computation holding that quarter.
    for period in ("2025-26 Q1", "2025-26 Q2"):
        run = latest_run(period)
        assert run is not None
        # Probation's obligations start after sentence, so a two-quarter demo may have none yet.
        assert set(run.results.filter(period=period).values_list("body", flat=True)) >= AREA - {"PR-SW"}
    assert summary.figures == sum(run.row_count for run in ComputationRun.objects.all()) > 0
    assert any("Linking" in line for line in said)

    # The force sees its partners' records of its victims; the demo names a victim to follow across them.
    partners = partners_of(CORRECTIONS_BODY)
    assert set(partners) == {"WCU-E23000036", "CPS-SW", "PR-SW", "HMCTS"}
    analyst = User.objects.create_user("a", organisation=Organisation.objects.get(code=CORRECTIONS_BODY),
                                       role=Role.ANALYST)  # fmt: skip
    view = person_view(analyst, summary.person, purpose="demo check")
    shown_bodies = {row["body"] for row in view.events}
    assert view.withheld_bodies == [] and CORRECTIONS_BODY in shown_bodies and shown_bodies & set(partners)

    # Only the corrections file has refused rows; its report names each refused row and column.
    corrections = Submission.objects.get(rejected__gt=0)
    assert (corrections.body.code, corrections.file_name) == (CORRECTIONS_BODY, CORRECTIONS_FILE)
    # One new row, one corrected.
    assert (corrections.rows, corrections.accepted, corrections.corrected) == (8, 1, 1)
    assert summary.refused_rows == [
        f"{CORRECTIONS_BODY}/{CORRECTIONS_FILE}: {corrections.rejected} of 8 rows refused"
    ]
    with (Path(settings.DATA_DIR) / corrections.report_file).open(newline="", encoding="utf-8") as handle:
        refused = {(row["row"], row["column"]) for row in csv.DictReader(handle)}
    # Data rows 1 (corrected) and 2 (new) are stored; both rows sharing an event id are refused.
    assert refused == {("3", "event_type"), ("4", "occurred_at"), ("5", "crime_ref"), ("6", "detail"),
                       ("7", "event_id"), ("8", "event_id")}  # fmt: skip
    assert corrections.rejected == 6

    again = build_demo(say=said.append)
    assert not again.built and again.submissions == summary.submissions
    assert Submission.objects.count() == summary.submissions


@pytest.mark.spark
def test_duckdb_and_spark_give_identical_figures_on_the_demo_data(demo):
    duck_run = ComputationRun.objects.get()
    printed = io.StringIO()
    call_command(
        "compute", "--period", duck_run.period, "--cutoff", duck_run.cutoff.isoformat(), "--engine", "spark",
        stdout=printed,
    )  # fmt: skip
    spark_run = ComputationRun.objects.exclude(pk=duck_run.pk).get()
    assert (duck_run.engine, spark_run.engine) == ("duckdb", "spark")
    assert spark_run.submissions == duck_run.submissions
    assert (
        f"on spark from {len(duck_run.submissions)} submissions (run {spark_run.pk})." in printed.getvalue()
    )
    figures = [sorted(run.results.values_list(*COUNTED)) for run in (duck_run, spark_run)]
    assert len(figures[0]) > 1000
    assert figures[0] == figures[1]
