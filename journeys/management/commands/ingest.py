import csv
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from analytics.ingest import REPORT_COLUMNS
from analytics.standard import TABLE_NAMES
from journeys import queries
from journeys.actions import Actor, SubmissionRefused, submit
from journeys.models import Submission

EXIT_REJECTED = 2


class Command(BaseCommand):
    help = (
        "Validates files of the minimum dataset (CSV, XLSX or Parquet) and stores their good rows for a body. "
        "Prints one line per file; exits 0 when every file is stored, 2 when any file is rejected whole."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            nargs="+",
            metavar="FILE",
            type=Path,
            help="CSV, XLSX or Parquet files, sent one after another",
        )
        parser.add_argument("--body", required=True, metavar="CODE", help="the submitting body's code")
        parser.add_argument(
            "--report",
            type=Path,
            metavar="FILE",
            help="write every rejected row to this CSV (file, row, column, value, reason)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the files without storing anything")
        parser.add_argument(
            "--table", choices=TABLE_NAMES, help="the table of every file (default: from each file's name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        for path in files:
            if path.is_dir():
                raise CommandError(f"{path} is a folder; name the files in it")
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
        console = Console(file=sys.stderr)
        report: Path | None = options["report"]
        report_writer = None
        report_handle = None
        # Written beside it and moved into place once a file has been submitted: a refusal before that
        # (an unknown body, say) leaves an earlier report as it was.
        partial = report.with_name(report.name + ".partial") if report is not None else None
        if report is not None and report.is_dir():
            raise CommandError(f"--report {report} is a folder; give a file name")
        if partial is not None:
            try:
                report_handle = partial.open("w", newline="", encoding="utf-8")
            except OSError as error:
                raise CommandError(f"--report {report}: cannot write it ({error.strerror})") from None
            report_writer = csv.writer(report_handle)
            report_writer.writerow(REPORT_COLUMNS)
        any_rejected = False
        submitted = False
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
                disable=not console.is_terminal,
            ) as bar:
                for path in files:
                    task = bar.add_task(f"{path.name}: reading", total=1.0)

                    def progress(
                        stage: str, fraction: float, task: Any = task, name: str = path.name
                    ) -> None:
                        bar.update(task, completed=fraction, description=f"{name}: {stage}")

                    try:
                        submission = submit(
                            by=Actor(user=None, label="command line"),
                            body_code=options["body"],
                            file_name=path.name,
                            path=path,
                            table=options["table"],
                            dry_run=options["dry_run"],
                            source=Submission.Source.CLI,
                            progress=progress,
                        )
                    except SubmissionRefused as refusal:
                        raise CommandError(f"{options['body']}: {refusal}") from refusal
                    submitted = True
                    bar.remove_task(task)
                    self.stdout.write(submission.summary)
                    if submission.status == Submission.Status.REJECTED:
                        any_rejected = True
                    if report_writer is not None:
                        for row in queries.report_rows(submission, for_spreadsheet=True):
                            report_writer.writerow([row[name] for name in REPORT_COLUMNS])
        finally:
            if report_handle is not None:
                report_handle.close()
            if partial is not None and report is not None:
                if submitted:
                    partial.replace(report)
                else:
                    partial.unlink(missing_ok=True)
        if any_rejected:
            sys.exit(EXIT_REJECTED)
