"""Refusals and failures stored before reasons stopped quoting values keep where the problem was, or its kind."""

from importlib import import_module

import pytest
from django.apps import apps

from journeys.models import Submission
from tests.factories import accounts as people

pytestmark = pytest.mark.django_db

migration = import_module("journeys.migrations.0002_reasons_without_values")

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


def test_old_failures_keep_only_the_kind_of_error():
    body = people.organisation("E23000036")
    failed = Submission.objects.create(
        body=body, source="web", file_name="victims.csv", status="failed",
        reason='IntegrityError: duplicate key value violates unique constraint DETAIL: Key (name)=(Harry Campbell)',
    )  # fmt: skip
    migration.forwards(apps, None)
    failed.refresh_from_db()
    assert failed.reason.startswith(
        "the service failed while storing the file (IntegrityError), and stored nothing"
    )
    assert "Harry" not in failed.reason
    before = failed.reason
    migration.forwards(apps, None)
    failed.refresh_from_db()
    assert failed.reason == before


def test_old_lists_of_unknown_columns_that_look_like_data_are_dropped():
    body = people.organisation("E23000036")
    stem = "the header does not match the victims table of the minimum dataset version 1: "
    headerless = Submission.objects.create(
        body=body, source="web", file_name="victims.csv", status="rejected",
        reason=f"{stem}missing columns person_ref, given_name, family_name; unknown columns ASP1, Mia, Knight, 1990-01-02",
    )  # fmt: skip
    typo = Submission.objects.create(
        body=body,
        source="web",
        file_name="events.csv",
        status="rejected",
        reason=f"{stem}unknown column notes",
    )
    migration.forwards(apps, None)
    headerless.refresh_from_db()
    typo.refresh_from_db()
    assert headerless.reason == (
        f"{stem}missing columns person_ref, given_name, family_name; "
        "unknown columns (not shown: the first row may have been data)"
    )
    assert typo.reason == f"{stem}unknown column notes"
