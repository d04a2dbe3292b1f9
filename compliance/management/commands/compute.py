from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.metrics import MetricsError, PeriodError
from analytics.metrics.periods import parse_period
from analytics.metrics.statistics import load_similar_areas
from compliance.actions import compute_compliance
from compliance.management.output import quiet_when_the_reader_stops
from compliance.models import Engine


class Command(BaseCommand):
    help = (
        "Computes every metric of the catalogue for a quarter (and the three before it, for trends) from the "
        "event store, and stores the figures with their provenance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="financial-year quarter, e.g. '2025-26 Q1'")
        parser.add_argument("--cutoff", required=True, help="data cut-off date, YYYY-MM-DD")
        parser.add_argument(
            "--engine", choices=Engine.values, default=Engine.DUCKDB, help="where the SQL runs"
        )
        parser.add_argument(
            "--lake",
            type=Path,
            default=None,
            help="event store folder (default: JJ_LAKE_DIR, or the lake folder in JJ_DATA_DIR)",
        )
        parser.add_argument(
            "--similar-areas",
            type=Path,
            default=None,
            help="CSV with columns force, group (default: the packaged groups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            parse_period(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        try:
            cutoff = date.fromisoformat(options["cutoff"])
        except ValueError:
            raise CommandError(f"--cutoff {options['cutoff']!r} is not a date; write YYYY-MM-DD") from None
        similar = options["similar_areas"]
        if similar is not None and not similar.is_file():
            raise CommandError(f"--similar-areas {similar}: no such file")
        if similar is not None:
            try:
                load_similar_areas(similar)  # read first: a wrong file is said before minutes of computing
            except (ValueError, OSError, UnicodeDecodeError) as error:
                raise CommandError(str(error)) from None
        try:
            run = compute_compliance(
                period=options["period"].strip(),
                cutoff=cutoff,
                by=None,
                actor_label="compute command",
                engine=options["engine"],
                lake_dir=options["lake"],
                similar_areas=similar,
            )
        except (MetricsError, ValueError) as error:
            raise CommandError(str(error)) from None
        # The run is stored: a reader that stops early (`| head`) changes nothing.
        with quiet_when_the_reader_stops(self.stdout):
            self.stdout.write(
                f"Computed {run.row_count} figures for {', '.join(run.periods)} with cut-off {run.cutoff} "
                f"on {run.engine} from {len(run.submissions)} submissions (run {run.pk})."
            )
            for body, metric, period in run.superseded:
                self.stdout.write(
                    f"  {body} {metric} {period}: the body's return replaced the figure from its crimes and events."
                )
