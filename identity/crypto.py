"""Field-level encryption and blind indexes for the identity vault.

`settings.VAULT_KEY` (32 random bytes, urlsafe base64) is stretched with HKDF into two unrelated
keys: one for AES-256-GCM encryption of each personal field, one for HMAC-SHA256 blind indexes
that allow exact lookups without storing the value. Each ciphertext is bound to its field name
(associated data), so a value copied into another column fails to decrypt.
"""

import hmac
import os
import unicodedata
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from config.env import SettingError
from config.keys import vault_master_key

_NONCE_BYTES = 12
_VERSION = b"\x01"


@dataclass(frozen=True, slots=True)
class VaultKeys:
    encryption: AESGCM
    index: bytes


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"justice-journey-vault", info=purpose).derive(
        master
    )


_cached: VaultKeys | None = None


def keys() -> VaultKeys:
    # Derived once per process (and again when tests change the setting): batches call this a million times.
    global _cached
    if _cached is None:
        master = vault_master_key(settings.VAULT_KEY)
        derived = VaultKeys(
            encryption=AESGCM(_derive(master, b"field-encryption")),
            index=_derive(master, b"blind-index"),
        )
        _check_against_vault(derived)
        _cached = derived
    return _cached


class WrongVaultKey(SettingError):
    """The command line prints its message alone (config.cli); a page answers 500 and logs it."""


_WRONG_KEY = (
    "VAULT_KEY is not the key this identity vault was written with: nothing was read from or written to it. "
    "Set VAULT_KEY to the vault's own key (from the secret store it was kept in)."
)


def _fingerprint(derived: VaultKeys) -> str:
    return hmac.digest(derived.index, b"vault key check", "sha256").hex()


def _check_against_vault(derived: VaultKeys) -> None:
    """Stops a process whose VAULT_KEY is not the vault's before it matches or writes anything: with another
    key, known people would get new numbers and their records could never be read again.

    The first process to use the vault records a fingerprint of its key (a keyed hash of a fixed text); a vault
    written before the fingerprint existed is checked by decrypting one of its records."""
    from identity.models.vault import VaultKeyCheck, VictimRecord
    from identity.routers import VAULT_DB

    fingerprint = _fingerprint(derived)
    checks = VaultKeyCheck.objects.using(VAULT_DB)
    held = checks.values_list("fingerprint", flat=True).first()
    if held is None:
        sample = (
            VictimRecord.objects.using(VAULT_DB)
            .exclude(family_name=None)
            .values_list("family_name", flat=True)
            .first()
        )
        if sample is not None:
            try:
                _opened(derived.encryption, "family_name", sample)
            except InvalidTag:
                raise WrongVaultKey(_WRONG_KEY) from None
        held = checks.get_or_create(id=1, defaults={"fingerprint": fingerprint})[0].fingerprint
    if not hmac.compare_digest(held, fingerprint):
        raise WrongVaultKey(_WRONG_KEY)


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    global _cached
    if setting == "VAULT_KEY":
        _cached = None


def encrypt(field: str, value: str | None) -> bytes | None:
    if value is None or value == "":
        return None
    nonce = os.urandom(_NONCE_BYTES)
    return _VERSION + nonce + keys().encryption.encrypt(nonce, value.encode(), field.encode())


def decrypt(field: str, token: bytes | memoryview | None) -> str | None:
    if token is None:
        return None
    return _opened(keys().encryption, field, token)


def _opened(encryption: AESGCM, field: str, token: bytes | memoryview) -> str:
    raw = bytes(token)
    nonce, ciphertext = raw[1 : 1 + _NONCE_BYTES], raw[1 + _NONCE_BYTES :]
    return encryption.decrypt(nonce, ciphertext, field.encode()).decode()


def blind_index(kind: str, *parts: str) -> str | None:
    """A keyed hash of normalised parts; None when any part is empty (nothing to look up)."""
    if not parts or any(not part for part in parts):
        return None
    message = "\x1f".join((kind, *parts)).encode()
    return hmac.digest(keys().index, message, "sha256").hex()[:40]


# Normalisation: the same person written two ways by two bodies should give the same key.


def normal_name(value: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    return "".join(character for character in decomposed if character.isalpha()).upper()


def normal_postcode(value: str | None) -> str:
    return "".join(character for character in (value or "") if character.isalnum()).upper()


def normal_email(value: str | None) -> str:
    return (value or "").strip().lower()


def normal_phone(value: str | None) -> str:
    digits = "".join(character for character in (value or "") if character.isdigit())
    if digits.startswith("44") and len(digits) == 12:
        digits = "0" + digits[2:]
    return digits


def name_dob_index(given_name: str | None, family_name: str | None, date_of_birth: date | None) -> str | None:
    if date_of_birth is None:
        return None
    return blind_index(
        "name_dob", normal_name(given_name), normal_name(family_name), date_of_birth.isoformat()
    )


def postcode_index(postcode: str | None) -> str | None:
    return blind_index("postcode", normal_postcode(postcode))


def email_index(email: str | None) -> str | None:
    return blind_index("email", normal_email(email))
