import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from compliance.models import ComputationRun, MetricResult
from journeys.models import Submission
from tests.factories.journeys import FORCE, crime, return_row, write_csv

from .conftest import WCU, ingest

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_compute_stores_figures_with_their_provenance(submitted):
    out = run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    computation = ComputationRun.objects.get()
    assert out.startswith(
        f"Computed {computation.row_count} figures for 2024-25 Q2, 2024-25 Q3, 2024-25 Q4, 2025-26 Q1"
    )
    stored = sorted(Submission.objects.filter(status="stored").values_list("pk", flat=True))
    assert computation.submissions == stored
    assert (computation.period, str(computation.cutoff), computation.engine, computation.standard_version) == (
        "2025-26 Q1", "2025-08-15", "duckdb", "1",
    )  # fmt: skip
    confirmation = MetricResult.objects.get(
        run=computation, metric="R3.confirmation_5wd", force=FORCE, body=FORCE, breakdown="all"
    )
    assert (confirmation.met, confirmation.late, confirmation.missed, confirmation.pending) == (1, 1, 0, 0)
    assert confirmation.rate == 0.5
    assert confirmation.ci95_low == pytest.approx(0.0945, abs=1e-4)
    assert AuditEvent.objects.filter(action="compliance.compute", target=f"run {computation.pk}").exists()


@pytest.mark.parametrize("lake", ["missing", "empty", "a-file"])
def test_compute_from_a_wrong_event_store_is_refused_and_keeps_the_figures(submitted, tmp_path, lake):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    before = run("metrics", "--period", "2025-26 Q1", "--format", "csv")
    wrong = tmp_path / lake
    if lake == "empty":
        wrong.mkdir()
    elif lake == "a-file":
        wrong.write_text("not a folder")
    said = (
        f"the event store {wrong} holds no submissions"
        if lake == "empty"
        else f"no event store folder {wrong}"
    )
    with pytest.raises(CommandError, match=said):
        run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", "--lake", str(wrong))
    assert ComputationRun.objects.count() == 1
    assert run("metrics", "--period", "2025-26 Q1", "--format", "csv") == before
    assert AuditEvent.objects.filter(action="compliance.compute", outcome="failed").exists()


def test_metrics_prints_csv_with_the_documented_columns(submitted):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    out = run("metrics", "--period", "2025-26 Q1", "--format", "csv", "--metric", "R8.hearing_info_1wd")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "metric", "force", "body", "period", "breakdown", "breakdown_value", "met", "late", "missed", "pending",
        "numerator", "denominator", "rate", "ci95_low", "ci95_high",
    ]  # fmt: skip
    by_place = {(r[1], r[2], r[4], r[5]): r for r in rows[1:]}
    assert by_place[(FORCE, WCU, "all", "all")][6:13] == ["1", "0", "0", "0", "1", "1", "1.000000"]
    assert by_place[("ALL", "ALL", "sex", "F")][6:10] == ["1", "0", "0", "0"]


def test_metrics_prints_a_readable_table(submitted):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    out = run("metrics", "--period", "2025-26 Q1", "--metric", "R3.confirmation_5wd", "--breakdown", "all")
    assert "ci95_high" in out
    assert "50.0%" in out
    assert " figures. A rate is numerator / denominator: for an obligation met / (met + late + missed)" in out
    counted = run("metrics", "--period", "2025-26 Q1", "--metric", "DQ.unknown_crime", "--breakdown", "all")
    assert "for a proportion or a data-quality figure the share of its denominator" in counted


def test_metrics_names_the_quarter_asked_for_in_its_title(submitted):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    out = run("metrics", "--period", "2024-25 Q4", "--metric", "R3.confirmation_5wd", "--breakdown", "all")
    assert "Compliance figures, 2024-25 Q4 (cut-off 2025-08-15, duckdb, run " in out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--metric",
            "R3.confirmation",
            "'R3.confirmation' is not a metric; the metrics are R2.",
        ),
        ("--body", "E2300036", "'E2300036' is not a body code"),
        ("--breakdown", "gender", "'gender' is not a breakdown; the breakdowns are all, offence_group"),
    ],
)
def test_metrics_says_a_filter_is_mistyped_rather_than_printing_no_figures(submitted, option, value, message):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    with pytest.raises(CommandError, match=re.escape(message)):
        run("metrics", "--period", "2025-26 Q1", "--format", "csv", option, value)


def test_metrics_prints_a_data_quality_metric_and_lists_every_metric_with_figures(submitted):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    out = run("metrics", "--period", "2025-26 Q1", "--format", "csv", "--metric", "DQ.unknown_crime")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {row["metric"] for row in rows} == {"DQ.unknown_crime"}
    with pytest.raises(CommandError) as refused:
        run("metrics", "--period", "2025-26 Q1", "--metric", "DQ.unknown")
    listed = str(refused.value).split("; the metrics are ")[1].split(", ")
    assert "R12.complaints" in listed and listed[-9:] == [
        "DQ.sex_recorded", "DQ.ethnicity_recorded", "DQ.disability_recorded", "DQ.dob_recorded",
        "DQ.no_outcome_90d", "DQ.unknown_crime", "DQ.response_without_trigger", "DQ.future_timestamp",
        "DQ.before_report",
    ]  # fmt: skip


class Closed(io.StringIO):
    """Standard output whose reader has stopped (`| head`)."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("output", ["csv", "table"])
def test_metrics_stops_quietly_when_its_reader_stops(submitted, output):
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    call_command("metrics", "--period", "2025-26 Q1", "--format", output, stdout=Closed())  # no exit 1


def test_compute_stops_quietly_when_its_reader_stops_and_keeps_what_it_computed(submitted):
    call_command("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", stdout=Closed())
    assert ComputationRun.objects.get().row_count == MetricResult.objects.count() > 0


def test_metrics_before_any_computation_says_what_to_do(bodies):
    with pytest.raises(CommandError, match=r"No figures for 2025-26 Q1; compute them first"):
        run("metrics", "--period", "2025-26 Q1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025 Q1", "--cutoff", "2025-08-15"], "is not a period"),
        (["--period", "2025-26 Q1", "--cutoff", "15/08/2025"], "is not a date"),
        (
            ["--period", "2025-26 Q1", "--cutoff", "2019-01-01"],
            r"the cut-off 2019-01-01 is before 2025-26 Q1 begins",
        ),
        (
            ["--period", "1999-00 Q3", "--cutoff", "2025-08-15"],
            "before the working-day calendar begins: the calendar covers 2000 to 2040 only",
        ),
    ],
)
def test_compute_rejects_bad_arguments(bodies, args, message):
    with pytest.raises(CommandError, match=message):
        run("compute", *args)


def test_a_return_replaces_the_figure_from_the_same_body_s_events_and_is_reported(submitted, tmp_path):
    ingest(FORCE, write_csv(tmp_path / "returns.csv", [return_row(metric="R3.confirmation_5wd")]))
    out = run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    assert f"{FORCE} R3.confirmation_5wd 2025-26 Q1: the body's return replaced the figure" in out
    figures = MetricResult.objects.filter(metric="R3.confirmation_5wd", body=FORCE, period="2025-26 Q1")
    assert {(f.breakdown, f.source, f.numerator, f.denominator) for f in figures} == {
        ("all", "returns", 8, 10)
    }
    assert ComputationRun.objects.get().superseded == [[FORCE, "R3.confirmation_5wd", "2025-26 Q1"]]
    audit = AuditEvent.objects.get(action="compliance.compute", outcome="ok")
    assert audit.detail["returns_replaced_figures"] == 1


def test_a_return_stands_for_a_body_without_events(bodies, tmp_path):
    ingest(
        "E23000005",
        write_csv(tmp_path / "returns.csv", [return_row(force="E23000005", numerator="8", denominator="10")]),
    )
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    figure = MetricResult.objects.get(metric="R2.recorded_24h", force="E23000005", body="E23000005")
    assert (figure.numerator, figure.denominator, figure.source, figure.met) == (8, 10, "returns", None)


def test_the_first_stored_quarter_s_trend_counts_the_quarters_before_it_which_are_not_stored(
    bodies, tmp_path
):
    from tests.factories.journeys import crime

    crimes = [
        crime(1, reported_at="2024-05-01T09:00", recorded_at="2024-05-03T09:00"),  # 2024-25 Q1, late
        crime(2, reported_at="2024-08-01T09:00", recorded_at="2024-08-01T10:00"),  # 2024-25 Q2, on time
    ]
    ingest(FORCE, write_csv(tmp_path / "crimes.csv", crimes))
    run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15")
    computation = ComputationRun.objects.get()
    assert computation.periods == ["2024-25 Q2", "2024-25 Q3", "2024-25 Q4", "2025-26 Q1"]
    assert not MetricResult.objects.filter(period="2024-25 Q1").exists()
    first = MetricResult.objects.get(
        run=computation,
        metric="R2.recorded_24h",
        force=FORCE,
        body=FORCE,
        breakdown="all",
        period="2024-25 Q2",
    )
    assert (first.numerator, first.denominator, first.trend) == (1, 1, "improving")


def test_the_first_quarter_the_standard_accepts_is_computed_without_the_quarters_before_the_calendar(
    bodies, tmp_path
):
    # 23:30 on 31 December 1999 an hour west of Greenwich is the first half hour of 2000 in London.
    recorded = crime(1, reported_at="1999-12-31T23:00-01:00", recorded_at="1999-12-31T23:30-01:00")
    ingest(FORCE, write_csv(tmp_path / "crimes.csv", [recorded]))
    run("compute", "--period", "1999-00 Q4", "--cutoff", "2000-06-30")
    computation = ComputationRun.objects.get()
    assert computation.periods == ["1999-00 Q4"]
    assert MetricResult.objects.filter(
        run=computation, metric="R2.recorded_24h", period="1999-00 Q4"
    ).exists()


def test_a_wrong_similar_areas_file_is_refused_before_anything_is_computed(bodies, tmp_path):
    groups = tmp_path / "groups.csv"
    groups.write_text("area,family\nE23000036,south west\n", encoding="utf-8")
    with pytest.raises(CommandError, match="the header must have the columns force and group"):
        run("compute", "--period", "2025-26 Q1", "--cutoff", "2025-08-15", "--similar-areas", str(groups))
    assert not ComputationRun.objects.exists()
