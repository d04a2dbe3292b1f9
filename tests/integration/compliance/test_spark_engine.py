import io

import pytest
from django.core.management import call_command

from compliance.models import ComputationRun

pytestmark = [pytest.mark.django_db(databases=["default", "vault"]), pytest.mark.spark, pytest.mark.slow]

COUNTED = ("metric", "force", "body", "period", "breakdown", "breakdown_value", "source", "met", "late", "missed",
           "pending", "numerator", "denominator", "rate", "ci95_low", "ci95_high")  # fmt: skip


def test_compute_on_spark_stores_the_same_figures_as_duckdb(submitted):
    for engine in ("duckdb", "spark"):
        call_command(
            "compute",
            "--period",
            "2025-26 Q1",
            "--cutoff",
            "2025-08-15",
            "--engine",
            engine,
            stdout=io.StringIO(),
        )
    spark_run, duck_run = ComputationRun.objects.all()[:2]
    assert (spark_run.engine, duck_run.engine) == ("spark", "duckdb")
    assert spark_run.submissions == duck_run.submissions
    figures = [sorted(run.results.values_list(*COUNTED)) for run in (duck_run, spark_run)]
    assert len(figures[0]) > 100
    assert figures[0] == figures[1]
