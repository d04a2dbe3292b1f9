"""Refusals stored before malformed CSV files were reported by row keep where the problem was, not its values."""

from importlib import import_module

import pytest
from django.apps import apps

from journeys.models import Submission
from tests.factories import accounts as people

pytestmark = pytest.mark.django_db

migration = import_module("journeys.migrations.0002_malformed_csv_reasons_without_values")

OLD = (
    "the file is not well-formed CSV near line 4: ASP0155814809328,Harry,Campbell,1990-02-23,,NS,W1,Y,,07700 900543 "
    "(each row must have as many values as the header, and quotes must be closed)"
)


def test_old_refusals_lose_the_values_the_parser_quoted_and_keep_their_line():
    body = people.organisation("E23000036")
    old = Submission.objects.create(
        body=body, source="web", file_name="victims.csv", status="rejected", reason=OLD
    )
    other = Submission.objects.create(
        body=body,
        source="web",
        file_name="crimes.csv",
        status="rejected",
        reason="the file is empty: it has no header row",
    )

    migration.forwards(apps, None)

    old.refresh_from_db()
    other.refresh_from_db()
    assert old.reason == (
        "the file is not well-formed CSV near line 4 of the file "
        "(each row must have as many values as the header, and quotes must be closed)"
    )
    assert "Harry" not in old.reason and "07700" not in old.reason
    assert other.reason == "the file is empty: it has no header row"
    migration.forwards(apps, None)  # running again changes nothing
    old.refresh_from_db()
    assert old.reason.endswith(
        "near line 4 of the file (each row must have as many values as the header, and quotes must be closed)"
    )
