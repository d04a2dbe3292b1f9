"""Personal data: one row per person a body has told us about, every personal field encrypted."""

from datetime import date
from typing import ClassVar

from django.db import models
from django.utils import timezone

from config.privacy import Data
from identity import crypto
from identity.models.registry import JusticeJourneyNumber

ENCRYPTED_FIELDS = (
    "given_name",
    "family_name",
    "previous_names",
    "date_of_birth",
    "postcode",
    "email",
    "phone",
)


# Every field of a person's details is PERSONAL.
_DETAILS_CLASSIFICATION = dict.fromkeys(ENCRYPTED_FIELDS, Data.PERSONAL)


class EncryptedDetails(models.Model):
    """A person's details as a body gave them, each field an AES-GCM ciphertext (identity.crypto); never
    plaintext."""

    given_name = models.BinaryField(null=True)
    family_name = models.BinaryField(null=True)
    previous_names = models.BinaryField(null=True)
    date_of_birth = models.BinaryField(null=True)
    postcode = models.BinaryField(null=True)
    email = models.BinaryField(null=True)
    phone = models.BinaryField(null=True)

    class Meta:
        abstract = True

    def decrypted(self, field: str) -> str | None:
        return crypto.decrypt(field, getattr(self, field))


class VaultKeyCheck(models.Model):
    """One row: a keyed hash of a fixed text under the vault's index key, written by the first process to use
    the vault. A process with another VAULT_KEY finds it differs and stops before reading or writing anything
    (identity.crypto.keys)."""

    fingerprint = models.CharField(max_length=64)
    written_at = models.DateTimeField(default=timezone.now)

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "fingerprint": Data.SECRET,
        "written_at": Data.OPERATIONAL,
    }

    def __str__(self) -> str:
        return f"vault key check of {self.written_at:%Y-%m-%d}"


class VictimRecord(EncryptedDetails):
    body = models.CharField(max_length=64)
    person_ref = models.CharField(max_length=100)
    jjn = models.ForeignKey(JusticeJourneyNumber, on_delete=models.PROTECT, related_name="records")
    # Keyed hashes for exact lookups (identity.crypto.blind_index); matching uses BlockingKey below. NULL, not '', when
    # the value is missing, so that missing values never look alike.
    name_dob_index = models.CharField(max_length=40, null=True, db_index=True)  # noqa: DJ001
    postcode_index = models.CharField(max_length=40, null=True, db_index=True)  # noqa: DJ001
    email_index = models.CharField(max_length=40, null=True, db_index=True)  # noqa: DJ001
    # A keyed hash of every personal field: an unchanged resubmission is skipped without decrypting.
    fields_digest = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "body": Data.REFERENCE,
        "person_ref": Data.PSEUDONYMOUS,
        "jjn": Data.PSEUDONYMOUS,
        **_DETAILS_CLASSIFICATION,
        "name_dob_index": Data.PERSONAL,
        "postcode_index": Data.PERSONAL,
        "email_index": Data.PERSONAL,
        "fields_digest": Data.PERSONAL,
        "created_at": Data.OPERATIONAL,
        "updated_at": Data.OPERATIONAL,
    }

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "person_ref"], name="victim_record_unique_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.body}/{self.person_ref}"

    def birth_date(self) -> date | None:
        value = self.decrypted("date_of_birth")
        return date.fromisoformat(value) if value else None


class BlockingKey(models.Model):
    """A keyed hash of one linkage blocking key of a record (analytics.linkage BLOCKING_RULES).

    Online matching looks candidates up here by equality on an indexed column: no scan, and no
    readable name or date of birth in the index.
    """

    record = models.ForeignKey(VictimRecord, on_delete=models.CASCADE, related_name="blocking_keys")
    key = models.CharField(max_length=40, db_index=True)

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "record": Data.OPERATIONAL,
        "key": Data.PERSONAL,
    }

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "key"], name="blocking_key_once_per_record")]

    def __str__(self) -> str:
        return f"{self.record_id}:{self.key[:8]}"


class VictimRecordVersion(EncryptedDetails):
    """A record's personal details as they were before a body corrected them, encrypted as the record is.

    A correction replaces the record's details (matching and the person view use the current ones); the
    details it replaced are kept here, so that what the body said before, and when it changed, can be found.
    """

    record = models.ForeignKey(VictimRecord, on_delete=models.CASCADE, related_name="versions")
    # When these details were first held, when a correction replaced them, and what replaced them
    # ("submission 412", or the account or process that registered the correction).
    held_from = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.CharField(max_length=150)

    vault_model = True
    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "record": Data.OPERATIONAL,
        **_DETAILS_CLASSIFICATION,
        "held_from": Data.OPERATIONAL,
        "replaced_at": Data.OPERATIONAL,
        "replaced_by": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["record", "replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.record_id} until {self.replaced_at:%Y-%m-%d %H:%M}"
