"""The clerical review queue: pairs linkage could not decide, and numbers that may be two people."""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.privacy import Data
from identity.models.registry import JusticeJourneyNumber
from identity.models.vault import VictimRecord


class ReviewItem(models.Model):
    class Kind(models.TextChoices):
        PAIR = "pair", _("Are these two records one person?")
        SPLIT = "split", _("Is this number two people?")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # A pair: left.id < right.id, so one pair has one row and one decision forever.
    left = models.ForeignKey(VictimRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    right = models.ForeignKey(VictimRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A split: the number that may hold two people.
    number = models.ForeignKey(
        JusticeJourneyNumber, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    probability = models.FloatField(null=True, blank=True)
    reason = models.TextField(blank=True)
    raised_by = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True)
    decision_note = models.TextField(blank=True)

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "kind": Data.OPERATIONAL,
        "status": Data.OPERATIONAL,
        "left": Data.OPERATIONAL,
        "right": Data.OPERATIONAL,
        "number": Data.OPERATIONAL,
        "probability": Data.OPERATIONAL,
        "reason": Data.OPERATIONAL,
        "raised_by": Data.STAFF,
        "created_at": Data.OPERATIONAL,
        "decided_at": Data.OPERATIONAL,
        "decided_by": Data.STAFF,
        "decision_note": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["pair", "split"]), name="review_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "confirmed", "rejected"]), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="pair", left__isnull=False, right__isnull=False, left__lt=models.F("right"))
                    | models.Q(kind="split", number__isnull=False)
                ),
                name="review_item_shape",
            ),
            models.UniqueConstraint(
                fields=["left", "right"], condition=models.Q(kind="pair"), name="review_one_row_per_pair"
            ),
            models.UniqueConstraint(
                fields=["number"],
                condition=models.Q(kind="split", status="open"),
                name="review_one_open_split",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
