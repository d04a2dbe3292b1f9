"""`justice-journey jjn check VALUE...` and `justice-journey jjn export --out FILE`."""

import csv
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.audit import record as audit
from identity import jjn
from identity.models import VictimRecord
from identity.routers import VAULT_DB


class Command(BaseCommand):
    help = "Check Justice Journey Numbers, or export every victims record's JJN (an operator's tool)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check,export}")
        check = actions.add_parser("check", help="Exit 0 when every value is a valid JJN, 1 otherwise.")
        check.add_argument("values", nargs="+", metavar="VALUE", help="numbers to check, as typed")
        export = actions.add_parser("export", help="Write body, person_ref, jjn for every victims record.")
        export.add_argument(
            "--out",
            required=True,
            type=Path,
            metavar="FILE",
            help="the CSV file to write (a new file, mode 600)",
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "check":
            self._check(options["values"])
        else:
            self._export(options["out"])

    def _check(self, values: list[str]) -> None:
        invalid = 0
        for value in values:
            try:
                self.stdout.write(f"{value}: valid ({jjn.display(value)})")
            except jjn.InvalidJJN as error:
                invalid += 1
                self.stdout.write(f"{value}: invalid — {error}")
        if invalid:
            sys.exit(1)

    def _export(self, out: Path) -> None:
        try:
            if out.is_dir():
                raise CommandError(f"{out} is a folder; give a file name")
            if out.is_symlink() or (out.exists() and not out.is_file()):
                # The file is moved into place, which would replace a link, a pipe or a device with it.
                raise CommandError(
                    f"{out} is not a plain file; give the name of a new file or of one to replace"
                )
            # A new file of its own beside the export (never one left over, nor a link someone put there), which
            # only its owner can read: it ties each body's references to their numbers.
            descriptor, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".partial")
        except OSError as error:
            raise CommandError(f"cannot write {out}: {error.strerror or error}") from None
        partial = Path(name)
        rows = 0
        try:
            with open(descriptor, "w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file)
                writer.writerow(["body", "person_ref", "jjn"])
                for body, person_ref, number in (
                    VictimRecord.objects.using(VAULT_DB)
                    .order_by("body", "person_ref")
                    .values_list("body", "person_ref", "jjn__number")
                    .iterator(chunk_size=10_000)
                ):
                    writer.writerow([body, person_ref, jjn.display(number)])
                    rows += 1
            partial.replace(out)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"cannot write {out}: {error}") from None
        audit(
            by=None,
            action="identity.jjn_export",
            target=str(out),
            detail={"rows": rows},
            actor_label="operator",
        )
        self.stdout.write(f"{rows} records written to {out}")
