from identity.models.registry import JusticeJourneyNumber, RegistryEvent
from identity.models.review import ReviewItem
from identity.models.sharing import SharingAgreement
from identity.models.vault import BlockingKey, VaultKeyCheck, VictimRecord, VictimRecordVersion

__all__ = [
    "BlockingKey",
    "JusticeJourneyNumber",
    "RegistryEvent",
    "ReviewItem",
    "SharingAgreement",
    "VaultKeyCheck",
    "VictimRecord",
    "VictimRecordVersion",
]
