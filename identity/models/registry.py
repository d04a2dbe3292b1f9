"""The permanent registry of Justice Journey Numbers and the append-only history of each one.

A number row is written once; the database refuses deletes and every update except the one that
marks it superseded (see migration 0002). Its history is a list of events that is never changed.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.privacy import Data
from identity import jjn


class JusticeJourneyNumber(models.Model):
    class Origin(models.TextChoices):
        ALLOCATED = "allocated", _("Allocated here at random")
        RECEIVED = "received", _("Received from a submitting body and checked")
        SPLIT = "split", _("Allocated when one number was found to be two people")

    number = models.CharField(max_length=14, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.ALLOCATED)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="absorbed"
    )

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "number": Data.PSEUDONYMOUS,
        "issued_at": Data.OPERATIONAL,
        "origin": Data.OPERATIONAL,
        "superseded_by": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(origin__in=["allocated", "received", "split"]), name="jjn_origin_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(superseded_by=models.F("id")), name="jjn_not_superseded_by_itself"
            ),
        ]

    def __str__(self) -> str:
        return jjn.display(self.number)

    @property
    def display(self) -> str:
        return jjn.display(self.number)


class RegistryEvent(models.Model):
    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        RECEIVED = "received", _("Received from a body")
        MERGED_INTO = "merged_into", _("Merged into another number (superseded)")
        ABSORBED = "absorbed", _("Absorbed another number")
        SPLIT_REQUESTED = "split_requested", _("Split requested")
        SPLIT_DECIDED = "split_decided", _("Split decided: records moved to a new number")
        SPLIT_FROM = "split_from", _("Issued for records split from another number")
        SPLIT_REJECTED = "split_rejected", _("Split rejected: one person")

    number = models.ForeignKey(JusticeJourneyNumber, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    other = models.ForeignKey(
        JusticeJourneyNumber, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    actor_label = models.CharField(max_length=150)
    detail = models.JSONField(default=dict, blank=True)

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "number": Data.OPERATIONAL,
        "kind": Data.OPERATIONAL,
        "other": Data.OPERATIONAL,
        "at": Data.OPERATIONAL,
        "actor_label": Data.STAFF,
        "detail": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "issued",
                        "received",
                        "merged_into",
                        "absorbed",
                        "split_requested",
                        "split_decided",
                        "split_from",
                        "split_rejected",
                    ]
                ),
                name="registry_event_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.kind}"
