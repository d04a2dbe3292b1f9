"""Reads that the submission pages, the API and the command line share."""

import csv
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from accounts.models import Organisation
from analytics.ingest.sources import lift_csv_field_limit
from analytics.ingest.validate import unescape_formula
from journeys.models import ApiToken, CodeMapping, Submission


def submissions_of(body: Organisation) -> QuerySet[Submission]:
    return Submission.objects.filter(body=body).select_related("body", "submitted_by")


def tokens_of(body: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(body=body).select_related("body", "created_by", "revoked_by")


def mappings_of(body: Organisation) -> QuerySet[CodeMapping]:
    return CodeMapping.objects.filter(body=body).select_related("body")


def report_path(submission: Submission) -> Path | None:
    if not submission.report_file:
        return None
    path = Path(settings.DATA_DIR) / submission.report_file
    return path if path.is_file() else None


def report_rows(
    submission: Submission, limit: int | None = None, *, for_spreadsheet: bool = False
) -> Iterator[dict[str, str]]:
    """The rejected rows of the report, their text as sent (for a page or the API); `for_spreadsheet`: as the
    report file holds them, formula-like text escaped with an apostrophe (for a CSV someone opens)."""
    path = report_path(submission)
    if path is None:
        return iter(())

    def rows() -> Iterator[dict[str, str]]:
        lift_csv_field_limit()  # a report written before values were shortened in it may hold a long one
        with path.open(newline="", encoding="utf-8") as handle:
            for row in islice(csv.DictReader(handle), limit):
                yield row if for_spreadsheet else {name: unescape_formula(text) for name, text in row.items()}

    return rows()
