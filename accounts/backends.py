"""How a session finds its account: Django's own way, and the account's organisation must be active."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class AccountBackend(ModelBackend):
    """Signs in as Django's backend does (the sign-in form then refuses an account whose organisation is
    deactivated, with its own message); a session of such an account opens nothing while it is deactivated."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("organisation").filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user) or user.organisation_deactivated:
            return None
        return user
