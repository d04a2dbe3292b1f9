"""Password rules of our own, besides Django's (see AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class UserNameNotInPasswordValidator:
    """Refuses a password that contains the account's user name, whatever its case.

    Django's UserAttributeSimilarityValidator compares the user name with the whole password, so a long
    password with the user name inside it passes. User names shorter than `min_length` are left alone: a
    two-letter name inside a passphrase is chance, not a clue.
    """

    def __init__(self, min_length: int = 3) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: object = None) -> None:
        username = str(getattr(user, "username", "") or "")
        if len(username) >= self.min_length and username.casefold() in password.casefold():
            raise ValidationError(
                gettext("Your password must not contain your user name."), code="password_contains_username"
            )

    def get_help_text(self) -> str:
        return gettext("Your password must not contain your user name.")
