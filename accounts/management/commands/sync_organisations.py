from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.actions import sync_organisations


class Command(BaseCommand):
    help = "Creates and updates organisations from the minimum dataset's bodies and forces (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--standard-version", default="1", help="Version of the Code (default 1).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = sync_organisations(version=options["standard_version"])
        except LookupError as error:
            raise CommandError(str(error).strip("'\"")) from None
        if options["verbosity"] > 0:
            self.stdout.write(
                f"Organisations: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
