"""Submissions of journey data, the API tokens bodies submit with, and bodies' local code mappings.

The rows themselves live in the Parquet event store (see analytics.ingest); the database keeps the record
of each submission.
"""

from datetime import timedelta
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from config.privacy import Data


class Submission(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", _("Processing")
        STORED = "stored", _("Stored")
        REJECTED = "rejected", _("Rejected whole")
        VALIDATED = "validated", _("Checked, not stored (dry run)")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        WEB = "web", _("Upload")
        API = "api", _("API")
        CLI = "cli", _("Command line")

    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by_label = models.CharField(
        max_length=150, help_text=_("User name, API token or system process.")
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    checksum = models.CharField(max_length=64, blank=True, help_text=_("SHA-256 of the file as received."))
    table = models.CharField(max_length=32, blank=True)
    standard_version = models.CharField(max_length=8, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    reason = models.TextField(blank=True, help_text=_("Why the whole file was rejected, or what failed."))
    rows = models.PositiveBigIntegerField(default=0)
    accepted = models.PositiveBigIntegerField(default=0)
    rejected = models.PositiveBigIntegerField(default=0)
    unchanged = models.PositiveBigIntegerField(default=0)
    corrected = models.PositiveBigIntegerField(default=0)
    events_without_crime = models.PositiveBigIntegerField(default=0)
    error_count = models.PositiveBigIntegerField(default=0)
    report_file = models.CharField(
        max_length=255, blank=True, help_text=_("Rejected-rows report, under DATA_DIR.")
    )

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "body": Data.REFERENCE,
        "submitted_by": Data.OPERATIONAL,
        "submitted_by_label": Data.STAFF,
        "source": Data.OPERATIONAL,
        "submitted_at": Data.OPERATIONAL,
        "finished_at": Data.OPERATIONAL,
        "file_name": Data.OPERATIONAL,
        "checksum": Data.OPERATIONAL,
        "table": Data.REFERENCE,
        "standard_version": Data.REFERENCE,
        "dry_run": Data.OPERATIONAL,
        "status": Data.OPERATIONAL,
        "reason": Data.OPERATIONAL,
        "rows": Data.OPERATIONAL,
        "accepted": Data.OPERATIONAL,
        "rejected": Data.OPERATIONAL,
        "unchanged": Data.OPERATIONAL,
        "corrected": Data.OPERATIONAL,
        "events_without_crime": Data.OPERATIONAL,
        "error_count": Data.OPERATIONAL,
        "report_file": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["processing", "stored", "rejected", "validated", "failed"]),
                name="submission_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["web", "api", "cli"]), name="submission_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(rows__gte=F("accepted") + F("rejected") + F("unchanged") + F("corrected")),
                name="submission_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.code} {self.file_name} ({self.status})"

    @property
    def summary(self) -> str:
        if self.status == self.Status.REJECTED:
            return f"{self.file_name}: rejected whole: {self.reason}"
        if self.status == self.Status.FAILED:
            return f"{self.file_name}: failed: {self.reason}"
        if self.status == self.Status.PROCESSING:
            return f"{self.file_name}: being checked and stored"
        if self.reason:  # stored, and cut off before its rows were counted: its counts are not known
            return f"{self.file_name}: stored: {self.reason}"
        return (
            f"{self.file_name}: accepted {self.accepted}, rejected {self.rejected}, "
            f"unchanged {self.unchanged}, corrected {self.corrected}"
        )


# The lifetimes a token may be given, in days; the first is offered first. A year at most.
TOKEN_LIFETIMES = (90, 30, 180, 365)
# The tokens page warns of a token that expires within this time.
TOKEN_EXPIRY_WARNING = timedelta(days=14)


class ApiToken(models.Model):
    """A secret a body's systems submit with. Only its SHA-256 is kept; the token is shown once."""

    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text=_("What the token is for, e.g. 'nightly export'."))
    prefix = models.CharField(max_length=12, help_text=_("The token's first characters, to recognise it."))
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Every token stops working on its expiry: a secret copied into a system is rotated, not kept for ever.
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "body": Data.REFERENCE,
        "name": Data.OPERATIONAL,
        "prefix": Data.OPERATIONAL,
        "token_hash": Data.SECRET,
        "created_by": Data.OPERATIONAL,
        "created_at": Data.OPERATIONAL,
        "expires_at": Data.OPERATIONAL,
        "last_used_at": Data.OPERATIONAL,
        "revoked_at": Data.OPERATIONAL,
        "revoked_by": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.body.code} {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.has_expired

    @property
    def has_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def expires_soon(self) -> bool:
        """Within the warning period and not yet expired: time to create its successor."""
        return not self.has_expired and self.expires_at <= timezone.now() + TOKEN_EXPIRY_WARNING


class CodeMapping(models.Model):
    """A body's local code and the standard code it means, for one column of one table."""

    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="code_mappings")
    table = models.CharField(max_length=32)
    column = models.CharField(max_length=64)
    local_code = models.CharField(max_length=100)
    standard_code = models.CharField(max_length=100)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "body": Data.REFERENCE,
        "table": Data.REFERENCE,
        "column": Data.REFERENCE,
        "local_code": Data.REFERENCE,
        "standard_code": Data.REFERENCE,
        "updated_by": Data.OPERATIONAL,
        "updated_at": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["table", "column", "local_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "table", "column", "local_code"], name="code_mapping_unique"
            ),
            models.CheckConstraint(
                condition=~Q(local_code=F("standard_code")), name="code_mapping_changes_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body.code} {self.table}.{self.column}: {self.local_code} → {self.standard_code}"
