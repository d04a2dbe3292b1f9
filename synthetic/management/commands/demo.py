"""`justice-journey demo`: builds the demo (once) and prints the demo accounts."""

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from accounts.demo import create_demo_accounts
from synthetic.demo import build_demo


class Command(BaseCommand):
    help = (
        "Fills this installation with a demo on synthetic data: one account per role, every body's "
        "submissions, linked Justice Journey Numbers and computed figures. Runs once; later runs only "
        "print the accounts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="build again (needs an empty data folder)")
        parser.add_argument("--force", action="store_true", help="allow demo accounts when DEBUG is off")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="bodies whose files are ingested at once, each in its own process (default: one per core)",
        )

    def handle(self, *args: Any, rebuild: bool, force: bool, workers: int, **options: Any) -> None:
        if not (settings.DEBUG or force):
            raise CommandError(
                "The demo creates accounts with known passwords: run it with DEBUG=true or --force."
            )
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        self._set_up()
        try:
            summary = build_demo(say=self.stdout.write, rebuild=rebuild, workers=workers)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        if not summary.built:
            self.stdout.write(
                f"The demo is ready ({summary.submissions} submissions, {summary.figures:,} figures)."
            )
        for problem in summary.rejected_whole:
            self.stderr.write(f"Rejected whole: {problem}")
        for refused in summary.refused_rows:
            self.stdout.write(f"Rows refused, as the demo intends (see the submission's report): {refused}")
        accounts = create_demo_accounts()
        self.stdout.write("")
        self.stdout.write("Demo accounts (sign in at http://127.0.0.1:8000/account/sign-in/):")
        width = max(len(a.username) for a in accounts)
        password_width = max(len(a.password) for a in accounts)
        role_width = max(len(a.role) for a in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.password:<{password_width}}  "
                f"{account.role:<{role_width}}  {account.organisation_name}"
            )
        if summary.person:
            self.stdout.write("")
            self.stdout.write(
                "A victim's journey across the force and its partners (sign in as analyst, give a reason): "
                f"http://127.0.0.1:8000/identity/people/{summary.person}/"
            )

    def _set_up(self) -> None:
        """Sets up an installation that has never been (`make install` does the same): the demo can be run on
        a new data folder without a database error."""
        databases = [alias for alias in settings.DATABASES if _unapplied_migrations(alias)]
        if not databases:
            return
        self.stdout.write(
            f"Setting up the database{'s' if len(databases) > 1 else ''} ({', '.join(databases)}) ..."
        )
        for alias in databases:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
        call_command("load_standard", stdout=self.stdout)


def _unapplied_migrations(alias: str) -> bool:
    executor = MigrationExecutor(connections[alias])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
