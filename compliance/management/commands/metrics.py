import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich import box
from rich.table import Table

from accounts.models import Organisation
from analytics.metrics import OUTPUT_COLUMNS, PeriodError, load_catalogue, metric_infos
from analytics.metrics.periods import parse_period
from analytics.metrics.sql import ALL, BREAKDOWNS
from compliance import export
from compliance.management.output import PipedConsole, quiet_when_the_reader_stops
from compliance.queries import figures, latest_run

# Under the table, true of every kind of row it can hold.
RATES_EXPLAINED = (
    "A rate is numerator / denominator: for an obligation met / (met + late + missed), pending left out; "
    "for a proportion or a data-quality figure the share of its denominator; a count has no rate."
)


class Command(BaseCommand):
    help = "Prints the latest stored figures for a quarter: a readable table, or CSV with --format csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="financial-year quarter, e.g. '2025-26 Q1'")
        parser.add_argument(
            "--format", choices=["table", "csv"], default="table", help="a readable table (default), or CSV"
        )
        parser.add_argument("--metric", help="only this metric, e.g. R3.confirmation_5wd or DQ.sex_recorded")
        parser.add_argument("--body", help="only this body code, or ALL for area and national totals")
        parser.add_argument("--breakdown", help="only this breakdown, e.g. all or sex")

    def handle(self, *args: Any, **options: Any) -> None:
        period = options["period"].strip()
        try:
            parse_period(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        run = latest_run(period)
        if run is None:
            raise CommandError(
                f'No figures for {period}; compute them first: justice-journey compute --period "{period}" --cutoff YYYY-MM-DD'
            )
        _check_filters(options, standard_version=run.standard_version)
        rows = figures(
            run, period=period, metric=options["metric"], body=options["body"], breakdown=options["breakdown"]
        )
        with quiet_when_the_reader_stops(self.stdout):
            if options["format"] == "csv":
                self._write_csv(rows)
            else:
                self._write_table(
                    rows, run_label=f"{period} (cut-off {run.cutoff}, {run.engine}, run {run.pk})"
                )

    def _write_csv(self, rows: Any) -> None:
        csv.writer(self.stdout, lineterminator="\n").writerows(export.rows(export.values(rows)))

    def _write_table(self, rows: Any, *, run_label: str) -> None:
        table = Table(*OUTPUT_COLUMNS, box=box.SIMPLE, title=f"Compliance figures, {run_label}")
        count = 0
        for row in rows.iterator(chunk_size=5000):
            table.add_row(
                *(export.cell(getattr(row, column), rates_as_fractions=False) for column in OUTPUT_COLUMNS)
            )
            count += 1
        console = PipedConsole(file=self.stdout, width=220, force_terminal=False, color_system=None)  # type: ignore[arg-type]
        console.print(table)
        console.print(f"{count} figures. {RATES_EXPLAINED}")


def _check_filters(options: dict[str, Any], *, standard_version: str) -> None:
    """A mistyped metric, body or breakdown is said to be one, not answered with no figures."""
    metric, body, breakdown = options["metric"], options["body"], options["breakdown"]
    known = list(metric_infos(load_catalogue(standard_version)))  # the catalogue's, then data quality's
    if metric and metric not in known:
        raise CommandError(f"{metric!r} is not a metric; the metrics are {', '.join(known)}")
    if body and body != ALL and not Organisation.objects.filter(code=body).exists():
        raise CommandError(
            f"{body!r} is not a body code; give a body's code, or {ALL} for area and national totals"
        )
    if breakdown and breakdown not in BREAKDOWNS:
        raise CommandError(f"{breakdown!r} is not a breakdown; the breakdowns are {', '.join(BREAKDOWNS)}")
