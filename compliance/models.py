"""Stored compliance results, each row traceable to the run (cut-off, standard version, submissions, engine)
that produced it."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.privacy import Data


class Engine(models.TextChoices):
    DUCKDB = "duckdb", "DuckDB"
    SPARK = "spark", "Spark"


class ComputationRun(models.Model):
    """One computation of the whole catalogue: what was read, how, and when."""

    period = models.CharField(max_length=16, db_index=True, help_text=_("The quarter asked for."))
    periods = models.JSONField(
        default=list, help_text=_("Every quarter computed: the period and those before it.")
    )
    cutoff = models.DateField(
        help_text=_("Data cut-off date: unanswered obligations due before it are missed.")
    )
    as_of = models.DateTimeField(help_text=_("When the computation ran; later timestamps are in the future."))
    standard_version = models.CharField(max_length=16)
    engine = models.CharField(max_length=16, choices=Engine.choices)
    submissions = models.JSONField(
        default=list, help_text=_("Identifiers of the committed submissions read.")
    )
    requested_by_label = models.CharField(max_length=150)
    finished_at = models.DateTimeField(auto_now_add=True, db_index=True)
    row_count = models.PositiveIntegerField(default=0)
    figures_pruned_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When this run's figures were removed (a later run of every quarter it computed was kept); "
            "what it was computed from stays."
        ),
    )
    superseded = models.JSONField(
        default=list,
        help_text=_(
            "[body, metric, period] whose return replaced the figures its crimes or events would have given."
        ),
    )

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "superseded": Data.OPERATIONAL,
        "period": Data.REFERENCE,
        "periods": Data.REFERENCE,
        "cutoff": Data.OPERATIONAL,
        "as_of": Data.OPERATIONAL,
        "standard_version": Data.REFERENCE,
        "engine": Data.OPERATIONAL,
        "submissions": Data.OPERATIONAL,
        "requested_by_label": Data.STAFF,
        "finished_at": Data.OPERATIONAL,
        "row_count": Data.OPERATIONAL,
        "figures_pruned_at": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["-finished_at", "-id"]
        # The newest run asked for each quarter, found without reading every run (queries.newest_runs).
        indexes = [models.Index(fields=["period", "-finished_at", "-id"], name="run_newest_of_period")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(engine__in=Engine.values), name="computation_engine_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} (cut-off {self.cutoff}, {self.engine}, run {self.pk})"


class MetricResult(models.Model):
    """One figure: a metric for an area and body (`ALL` where summed over them), a quarter and a breakdown."""

    class Source(models.TextChoices):
        EVENTS = "events", _("Events")
        RETURNS = "returns", _("Returns")
        MIXED = "mixed", _("Events and returns")

    run = models.ForeignKey(ComputationRun, on_delete=models.CASCADE, related_name="results")
    metric = models.CharField(max_length=64)
    force = models.CharField(max_length=64)
    body = models.CharField(max_length=64)
    period = models.CharField(max_length=16)
    breakdown = models.CharField(max_length=32)
    breakdown_value = models.CharField(max_length=64)
    source = models.CharField(max_length=16, choices=Source.choices)
    met = models.PositiveIntegerField(null=True)
    late = models.PositiveIntegerField(null=True)
    missed = models.PositiveIntegerField(null=True)
    pending = models.PositiveIntegerField(null=True)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField(null=True)
    rate = models.FloatField(null=True)
    ci95_low = models.FloatField(null=True)
    ci95_high = models.FloatField(null=True)
    ci998_low = models.FloatField(null=True)
    ci998_high = models.FloatField(null=True)
    national_rate = models.FloatField(null=True)
    national_comparison = models.CharField(max_length=8, blank=True)
    similar_group = models.CharField(max_length=64, blank=True)
    similar_rate = models.FloatField(null=True)
    similar_comparison = models.CharField(max_length=8, blank=True)
    trend = models.CharField(max_length=12, blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "run": Data.OPERATIONAL,
        "metric": Data.REFERENCE,
        "force": Data.REFERENCE,
        "body": Data.REFERENCE,
        "period": Data.REFERENCE,
        "breakdown": Data.REFERENCE,
        "breakdown_value": Data.CHARACTERISTIC,
        "source": Data.OPERATIONAL,
        "met": Data.OPERATIONAL,
        "late": Data.OPERATIONAL,
        "missed": Data.OPERATIONAL,
        "pending": Data.OPERATIONAL,
        "numerator": Data.OPERATIONAL,
        "denominator": Data.OPERATIONAL,
        "rate": Data.OPERATIONAL,
        "ci95_low": Data.OPERATIONAL,
        "ci95_high": Data.OPERATIONAL,
        "ci998_low": Data.OPERATIONAL,
        "ci998_high": Data.OPERATIONAL,
        "national_rate": Data.OPERATIONAL,
        "national_comparison": Data.OPERATIONAL,
        "similar_group": Data.REFERENCE,
        "similar_rate": Data.OPERATIONAL,
        "similar_comparison": Data.OPERATIONAL,
        "trend": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["metric", "period", "force", "body", "breakdown", "breakdown_value"]
        indexes = [models.Index(fields=["run", "period", "metric", "body"], name="result_run_period_metric")]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "metric", "force", "body", "period", "breakdown", "breakdown_value"],
                name="result_unique_figure",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["events", "returns", "mixed"]), name="result_source_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True)
                | models.Q(numerator__lte=models.F("denominator")),
                name="result_numerator_within_denominator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.force}/{self.body} {self.period} {self.breakdown}={self.breakdown_value}"
