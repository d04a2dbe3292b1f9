"""The form the service's two keys must have, checked when the settings are read: a key that is missing, the
placeholder of .env.example or too short stops the service at start-up, not at the first sign-in or match."""

import base64
import binascii

from config.env import SettingError

_HINT = (
    "Hint: run `make install`, which writes .env with fresh random keys, or see docs/operations.md (Secrets)."
)
SECRET_KEY_MIN_LENGTH = 32


def secret_key(value: str) -> str:
    if len(value.strip()) < SECRET_KEY_MIN_LENGTH or value.strip() == "change-me":
        raise SettingError(
            f"SECRET_KEY must be a random value of at least {SECRET_KEY_MIN_LENGTH} characters. {_HINT}"
        )
    return value


def vault_master_key(encoded: str) -> bytes:
    """The 32 or more random bytes that VAULT_KEY encodes (urlsafe base64, padding optional)."""
    try:
        master = base64.b64decode(encoded + "=" * (-len(encoded) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as error:
        raise SettingError(f"VAULT_KEY is not urlsafe base64. {_HINT}") from error
    if len(master) < 32:
        raise SettingError(f"VAULT_KEY must encode at least 32 random bytes. {_HINT}")
    return master
