"""Information-sharing agreements: which organisation may see which body's person-level data, for what."""

from datetime import date
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from config.privacy import Data


class SharingAgreement(models.Model):
    class Scope(models.TextChoices):
        PERSON_VIEW = "person_view", _("See a person's crimes and journey")
        CLERICAL_REVIEW = "clerical_review", _("Review possible matches side by side")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sharing_agreements"
    )
    source_body = models.CharField(max_length=64, help_text=_("The code of the body whose data may be seen."))
    scope = models.CharField(max_length=24, choices=Scope.choices)
    reference = models.CharField(max_length=100, help_text=_("The signed agreement's reference."))
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "organisation": Data.OPERATIONAL,
        "source_body": Data.REFERENCE,
        "scope": Data.OPERATIONAL,
        "reference": Data.OPERATIONAL,
        "starts_on": Data.OPERATIONAL,
        "ends_on": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["organisation", "source_body", "scope"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["person_view", "clerical_review"]), name="sharing_scope_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="sharing_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.code} ← {self.source_body} ({self.scope})"

    # `ends_on` is the first day the agreement no longer counts: ending one today stops it at once, and ending
    # one on its start date withdraws it before it ever counted.
    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)

    def has_ended(self, day: date) -> bool:
        """It no longer counts on `day` and never will again: there is nothing left to end. That is so from its
        end date, and at once for one withdrawn before it started (ended on its start date), which never counts."""
        return self.ends_on is not None and (self.ends_on <= day or self.ends_on <= self.starts_on)
