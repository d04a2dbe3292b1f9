from collections.abc import Iterator
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from config.privacy import Data


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", _("Territorial police force")
    NON_TERRITORIAL_FORCE = "non_territorial_force", _("Non-territorial police force")
    CPS_AREA = "cps_area", _("CPS area")
    WITNESS_CARE_UNIT = "witness_care_unit", _("Witness Care Unit")
    HMCTS = "hmcts", _("HM Courts and Tribunals Service")
    PROBATION_REGION = "probation_region", _("Probation region")
    YOUTH_JUSTICE_SERVICE = "youth_justice_service", _("Youth justice service")
    LOCAL_POLICING_BODY = "local_policing_body", _("Local policing body")
    NATIONAL = "national", _("National oversight")


class Role(models.TextChoices):
    SUBMITTER = "submitter", _("Submitter")
    ANALYST = "analyst", _("Analyst")
    LOCAL_REVIEWER = "local_reviewer", _("Local reviewer")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Organisation(models.Model):
    """A criminal justice body, local policing body or national role; its code is the body's code."""

    code = models.CharField(max_length=64, unique=True)  # youth justice service codes run to 38 characters
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    is_active = models.BooleanField(default=True)
    # The police force areas the body serves: itself for a force, its force for a Witness Care Unit, the forces
    # of its area for a CPS area, probation region, youth justice service or local policing body.
    forces = models.ManyToManyField("self", symmetrical=False, related_name="served_by", blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "code": Data.REFERENCE,
        "name": Data.REFERENCE,
        "kind": Data.REFERENCE,
        "is_active": Data.OPERATIONAL,
        "forces": Data.REFERENCE,
    }

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff in one organisation, with one role."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.ANALYST)
    must_change_password = models.BooleanField(
        default=False,
        help_text=_(
            "Signed in with a temporary password an administrator issued: choose one before anything else."
        ),
    )
    temporary_password_expires = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When the temporary password stops working, if the holder has not chosen their own by then."
        ),
    )
    # When the temporary password signed in: it signs in once, and no more after that.
    temporary_password_used = models.DateTimeField(null=True, blank=True)
    # Goes up by one each time the account is deactivated: part of every session's check, so the sessions the
    # account had stay ended when it is reactivated.
    session_generation = models.PositiveIntegerField(default=0)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "password": Data.SECRET,
        "last_login": Data.OPERATIONAL,
        "is_superuser": Data.OPERATIONAL,
        "username": Data.STAFF,
        "first_name": Data.STAFF,
        "last_name": Data.STAFF,
        "email": Data.STAFF,
        "is_staff": Data.OPERATIONAL,
        "is_active": Data.OPERATIONAL,
        "date_joined": Data.OPERATIONAL,
        "organisation": Data.OPERATIONAL,
        "role": Data.OPERATIONAL,
        "must_change_password": Data.OPERATIONAL,
        "temporary_password_expires": Data.OPERATIONAL,
        "temporary_password_used": Data.OPERATIONAL,
        "session_generation": Data.OPERATIONAL,
        "groups": Data.OPERATIONAL,
        "user_permissions": Data.OPERATIONAL,
    }

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid")
        ]

    # An account never deactivated keeps Django's own check of its password hash, so its sessions carry on.
    def get_session_auth_hash(self) -> str:
        if not self.session_generation:
            return super().get_session_auth_hash()
        return self._generation_hash()

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        if not self.session_generation:
            yield from super().get_session_auth_fallback_hash()
            return
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._generation_hash(secret=fallback_secret)

    def _generation_hash(self, secret: str | bytes | None = None) -> str:
        """The check of the password hash, with the session generation mixed in."""
        return salted_hmac(
            "accounts.models.User.get_session_auth_hash",
            f"{self.session_generation}:{self.password}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def organisation_deactivated(self) -> bool:
        """The account's organisation is deactivated: the account signs in to nothing meanwhile."""
        return self.organisation is not None and not self.organisation.is_active

    @property
    def temporary_password_spent(self) -> bool:
        """The account's temporary password has signed in once already: it signs in no more."""
        return self.must_change_password and self.temporary_password_used is not None

    @property
    def temporary_password_expired(self) -> bool:
        """The account holds a temporary password its holder did not replace in time: it no longer signs in."""
        expires = self.temporary_password_expires
        return self.must_change_password and expires is not None and timezone.now() >= expires


class AuditEvent(models.Model):
    """One append-only line of the audit log: who did what, to what, when, why, and with what result.

    Rows are never updated or deleted; database triggers refuse both (see the migration).
    """

    class Outcome(models.TextChoices):
        OK = "ok", _("Done")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=150, help_text="The actor's user name, or the system process.")
    organisation_code = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OK)
    purpose = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    data_classification: ClassVar[dict[str, Data]] = {
        "id": Data.OPERATIONAL,
        "at": Data.OPERATIONAL,
        "actor": Data.OPERATIONAL,
        "actor_label": Data.STAFF,
        "organisation_code": Data.REFERENCE,
        "action": Data.OPERATIONAL,
        "target": Data.PSEUDONYMOUS,
        "outcome": Data.OPERATIONAL,
        "purpose": Data.OPERATIONAL,
        "detail": Data.OPERATIONAL,
    }

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["ok", "refused", "failed"]), name="audit_outcome_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target} ({self.outcome})"
