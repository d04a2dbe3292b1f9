from argparse import ArgumentParser
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from synthetic.generator import generate
from synthetic.generator.run import DEFAULT_FROM, DEFAULT_TO


class Command(BaseCommand):
    help = (
        "Writes realistic synthetic submissions (victims, crimes, events, returns) for every criminal justice "
        "body, and the truth behind them, to a new folder."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--out", required=True, type=Path, help="folder to write (must not hold earlier output)"
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed; the same seed gives the same bytes (default 1)"
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=0.01,
            help="1 is a national year of crimes per year of the period (default 0.01)",
        )
        parser.add_argument(
            "--from",
            dest="period_from",
            default=DEFAULT_FROM,
            help=f'first quarter (default "{DEFAULT_FROM}")',
        )
        parser.add_argument(
            "--to", dest="period_to", default=DEFAULT_TO, help=f'last quarter (default "{DEFAULT_TO}")'
        )
        parser.add_argument(
            "--format",
            dest="fmt",
            choices=("csv", "parquet"),
            default="csv",
            help="file format (default csv)",
        )
        parser.add_argument(
            "--workers", type=int, default=None, help="processes generating in parallel (default: up to 2)"
        )

    def handle(self, *args: object, **options: object) -> None:
        out = options["out"]
        assert isinstance(out, Path)
        try:
            summary = generate(
                out,
                seed=int(str(options["seed"])),
                scale=float(str(options["scale"])),
                period_from=str(options["period_from"]),
                period_to=str(options["period_to"]),
                fmt=str(options["fmt"]),
                workers=options["workers"] if isinstance(options["workers"], int) else None,
            )
        except (ValueError, FileExistsError) as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(f"{count:,} {table}" for table, count in sorted(summary.rows.items()))
        self.stdout.write(
            f"Wrote {rows} for {summary.bodies} bodies, {summary.periods[0]} to {summary.periods[-1]}, "
            f"to {summary.out_dir} in {summary.seconds:.1f} s (truth in {summary.out_dir / 'truth'})."
        )
