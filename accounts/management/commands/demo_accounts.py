from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.demo import create_demo_accounts


class Command(BaseCommand):
    help = "Creates one demonstration account per role, with a known password, and prints them (DEBUG only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create them even though DEBUG is off (never on a live service).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with known passwords while DEBUG is off. "
                "Set DEBUG=true for a local demo, or pass --force if you are sure."
            )
        accounts = create_demo_accounts()
        header = ("username", "password", "role", "organisation")
        rows = [
            (a.username, a.password, a.role, f"{a.organisation_code} {a.organisation_name}") for a in accounts
        ]
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
