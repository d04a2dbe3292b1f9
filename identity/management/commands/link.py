"""`justice-journey link [--engine duckdb|spark]`: batch linkage over every victims record in the vault."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from identity.linkage import run_linkage


class Command(BaseCommand):
    help = "Link every victims record in the identity vault: merge numbers, queue doubtful pairs for review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--engine", choices=["duckdb", "spark"], default="duckdb", help="Where pairs are scored."
        )
        parser.add_argument(
            "--model", default=None, help="A linkage model file (default: the shipped model)."
        )

    def handle(self, *args: Any, engine: str, model: str | None, **options: Any) -> None:
        if model is not None and not Path(model).is_file():
            raise CommandError(f"--model {model}: no such file")
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True, disable=options["verbosity"] == 0) as bar:
            task = bar.add_task("linking", total=1.0)

            def progress(stage: str, fraction: float) -> None:
                bar.update(task, completed=fraction, description=stage)

            try:
                summary = run_linkage(by=None, engine=engine, model=model, progress=progress)
            except (ValueError, FileNotFoundError) as error:
                raise CommandError(str(error)) from None
        self.stdout.write(summary.line())
