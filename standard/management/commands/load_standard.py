from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.standard import StandardFileError, available_versions
from standard.actions import load_standard_version


class Command(BaseCommand):
    help = (
        "Loads the minimum dataset (rights, metrics, tables, code lists, event types and bodies) from "
        "standard/data/v<N>/ into the database. Idempotent: a second run changes nothing."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Django's own --version (which prints Django's version) gives way to the Code version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--version",
            dest="code_version",
            metavar="N",
            help="The Code version to load (the folder standard/data/vN). Default: every version there is.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        versions = [options["code_version"]] if options["code_version"] else available_versions()
        if not versions:
            raise CommandError("No Code versions found in standard/data/.")
        for version in versions:
            try:
                result = load_standard_version(version=version, fresh=True)
            except (LookupError, StandardFileError) as error:
                raise CommandError(str(error)) from error
            if not result.changed:
                self.stdout.write(f"Code version {version}: unchanged ({_totals(result)}).")
                continue
            created = sum(result.created.values())
            updated = sum(result.updated.values())
            deleted = sum(result.deleted.values())
            self.stdout.write(
                f"Code version {version}: {created} created, {updated} updated, {deleted} removed ({_totals(result)})."
            )


def _totals(result: Any) -> str:
    labels = {"right": "rights", "metric": "metrics", "table": "tables", "code": "codes", "body": "bodies"}
    return ", ".join(f"{result.totals.get(name, 0)} {label}" for name, label in labels.items())
