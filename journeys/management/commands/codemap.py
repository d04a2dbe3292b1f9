from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from journeys import queries
from journeys.actions import InvalidMapping, load_code_mappings, read_mapping_file


class Command(BaseCommand):
    help = (
        "Registers a body's local codes and the standard codes they mean. The file is a CSV with the columns "
        "table, column, local_code, standard_code. Without --load, lists the body's mappings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--body", required=True, metavar="CODE", help="the body whose local codes these are"
        )
        parser.add_argument(
            "--load",
            type=Path,
            metavar="FILE",
            help="a CSV of table,column,local_code,standard_code to load first (adding to the body's mappings, replacing any for the same local codes)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        body = Organisation.objects.filter(code=options["body"]).first()
        if body is None:
            raise CommandError(f"{options['body']}: no such body")
        if options["load"]:
            try:
                count = load_code_mappings(
                    by=None,
                    body_code=body.code,
                    rows=read_mapping_file(options["load"]),
                    actor_label="command line",
                )
            except InvalidMapping as error:
                raise CommandError(f"{options['load']}: {error}") from error
            except OSError as error:
                raise CommandError(
                    f"{options['load']}: cannot be read ({error.strerror or error})"
                ) from error
            self.stdout.write(f"{body.code}: {count} code mappings loaded")
        for mapping in queries.mappings_of(body):
            self.stdout.write(
                f"{mapping.table}.{mapping.column}\t{mapping.local_code}\t{mapping.standard_code}"
            )
