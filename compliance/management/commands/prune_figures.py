from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance.retention import prune_figures

MAX_DAYS = 36_500


class Command(BaseCommand):
    help = (
        "Removes the figures of computation runs older than --older-than-days that no quarter reads any more "
        "(the newest run of each quarter keeps its figures); every run keeps what it was computed from."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=30, help="retention in days (default 30)")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be removed; remove nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than_days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--older-than-days must be between 1 and {MAX_DAYS:,} (a hundred years)")
        result = prune_figures(
            older_than=timedelta(days=days), dry_run=options["dry_run"], actor_label="command line"
        )
        verb = "Would remove" if options["dry_run"] else "Removed"
        self.stdout.write(
            f"{verb} the figures of {result.runs:,} runs ({result.figures:,} figures) finished before "
            f"{result.before:%Y-%m-%d %H:%M}; {result.kept_in_use:,} older runs are still the newest of a "
            "quarter and keep theirs."
        )
