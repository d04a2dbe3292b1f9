import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich import box
from rich.console import Console
from rich.table import Table

from analytics.metrics import OUTPUT_COLUMNS, PeriodError
from analytics.metrics.periods import parse_period
from compliance import export
from compliance.queries import figures, latest_run


class Command(BaseCommand):
    help = "Prints the latest stored figures for a quarter: a readable table, or CSV with --format csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="financial-year quarter, e.g. '2025-26 Q1'")
        parser.add_argument("--format", choices=["table", "csv"], default="table")
        parser.add_argument("--metric", help="only this metric, e.g. R3.confirmation_5wd")
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
        rows = figures(
            run, period=period, metric=options["metric"], body=options["body"], breakdown=options["breakdown"]
        )
        if options["format"] == "csv":
            self._write_csv(rows)
        else:
            self._write_table(rows, run_label=str(run))

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
        console = Console(file=self.stdout, width=220, force_terminal=False, color_system=None)  # type: ignore[arg-type]
        console.print(table)
        console.print(f"{count} figures. Rates are met / (met + late + missed); pending is left out.")
