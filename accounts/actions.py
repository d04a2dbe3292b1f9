"""Writes to organisations and accounts. Each is one transaction with one audit event."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext

from accounts.audit import record
from accounts.models import Organisation, OrganisationKind, User
from accounts.roles import role_fits, role_refusal

USERNAME_MAX = User._meta.get_field("username").max_length or 150

# National organisations, which the reference data does not list.
NATIONAL_ORGANISATIONS = {
    "MOJ": "Ministry of Justice",
    "VC": "Victims' Commissioner's office",
}


@dataclass(frozen=True)
class OrganisationRow:
    code: str
    name: str
    kind: str
    forces: frozenset[str]


def _field(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _items(collection: Any) -> list[Any]:
    if collection is None:
        return []
    if isinstance(collection, Mapping):
        return list(collection.values())
    return list(collection)


def _codes(value: Any) -> frozenset[str]:
    if not value:
        return frozenset()
    if isinstance(value, str):
        return frozenset(code.strip() for code in value.replace(";", "|").split("|") if code.strip())
    return frozenset(str(code) for code in value)


def organisation_rows(bodies: Iterable[Any], forces: Iterable[Any]) -> list[OrganisationRow]:
    """Every organisation that should exist, from the standard's bodies and forces, plus the national ones.

    A body serves the forces named by its own `force`/`forces` field if it has one; otherwise the forces
    table says which CPS area, probation region and local policing body each force belongs to.
    """
    force_list = _items(forces)
    serves: dict[str, set[str]] = {}
    force_names: dict[str, str] = {}
    for force in force_list:
        code = str(_field(force, "code"))
        force_names[code] = str(_field(force, "name", code))
        serves.setdefault(code, set()).add(code)
        serves.setdefault(f"WCU-{code}", set()).add(code)
        for column in ("local_policing_body", "cps_area", "probation_region"):
            for body_code in _codes(_field(force, column)):
                serves.setdefault(body_code, set()).add(code)

    rows: dict[str, OrganisationRow] = {}
    for body in _items(bodies):
        code = str(_field(body, "code"))
        own = _codes(_field(body, "forces")) | _codes(_field(body, "force"))
        rows[code] = OrganisationRow(
            code=code,
            name=str(_field(body, "name", code)),
            kind=str(_field(body, "body_type")),
            forces=frozenset(own or serves.get(code, set())),
        )
    # Local policing bodies named by the forces table but not listed among the bodies.
    for force in force_list:
        for body_code in _codes(_field(force, "local_policing_body")):
            if body_code not in rows:
                force_name = force_names[str(_field(force, "code"))]
                rows[body_code] = OrganisationRow(
                    code=body_code,
                    name=f"Local policing body for {force_name}",
                    kind=OrganisationKind.LOCAL_POLICING_BODY,
                    forces=frozenset(serves.get(body_code, set())),
                )
    for code, name in NATIONAL_ORGANISATIONS.items():
        rows.setdefault(code, OrganisationRow(code, name, OrganisationKind.NATIONAL, frozenset()))
    return sorted(rows.values(), key=lambda row: row.code)


def sync_organisations(*, by: User | None = None, version: str = "1") -> dict[str, int]:
    """Creates and updates organisations from the minimum dataset's reference data (idempotent)."""
    from analytics.standard import load_standard  # the loader lives in the analytical core

    standard = load_standard(version=version)
    return apply_organisation_rows(organisation_rows(standard.bodies, standard.forces), by=by)


def apply_organisation_rows(rows: list[OrganisationRow], *, by: User | None = None) -> dict[str, int]:
    unknown = sorted({row.kind for row in rows} - set(OrganisationKind.values))
    if unknown:
        raise ValueError(f"Unknown body type(s) in the reference data: {', '.join(unknown)}")
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {organisation.code: organisation for organisation in Organisation.objects.all()}
        created = [
            Organisation(code=row.code, name=row.name, kind=row.kind)
            for row in rows
            if row.code not in existing
        ]
        Organisation.objects.bulk_create(created)
        counts["created"] = len(created)
        for row in rows:
            organisation = existing.get(row.code)
            if organisation is None:
                continue
            if (organisation.name, organisation.kind) != (row.name, row.kind):
                organisation.name, organisation.kind = row.name, row.kind
                organisation.save(update_fields=["name", "kind"])
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        _set_forces(rows)
        record(by=by, action="organisations.sync", detail=counts, actor_label="load_standard")
    return counts


def _set_forces(rows: list[OrganisationRow]) -> None:
    pks = dict(Organisation.objects.values_list("code", "pk"))
    link = Organisation.forces.through
    wanted = {(pks[row.code], pks[code]) for row in rows for code in row.forces if code in pks}
    synced = {pks[row.code] for row in rows}
    current = set(
        link.objects.filter(from_organisation_id__in=synced).values_list(
            "from_organisation_id", "to_organisation_id"
        )
    )
    for from_pk, to_pk in current - wanted:
        link.objects.filter(from_organisation_id=from_pk, to_organisation_id=to_pk).delete()
    link.objects.bulk_create(
        [
            link(from_organisation_id=from_pk, to_organisation_id=to_pk)
            for from_pk, to_pk in sorted(wanted - current)
        ]
    )


def create_user(
    *,
    by: User | None,
    username: str,
    password: str | None,
    organisation: Organisation,
    role: str,
    email: str = "",
    actor_label: str = "accounts",
) -> User:
    """Makes an account in one organisation with one role; refuses a role that does not fit the organisation,
    and a user name or e-mail address the account form would refuse (the command line comes here too)."""
    if not role_fits(role, organisation.kind):
        raise AccountRefused(role_refusal(role, organisation))
    _check_identity(username, email)
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, email=email, organisation=organisation, role=role
        )
        record(
            by=by,
            action="account.create",
            target=f"user:{username}",
            detail={"role": role, "organisation": organisation.code},
            actor_label=actor_label or "accounts",
        )
    return user


class AccountRefused(ValidationError):
    """A change to an account that the rules do not allow (an administrator's own account, a role that does
    not fit the organisation)."""


def _check_identity(username: str, email: str) -> None:
    try:
        if len(username) > USERNAME_MAX:
            raise ValidationError("too long")
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise AccountRefused(
            gettext("A user name is 1 to %(most)d letters, digits and @ . + - _ only.")
            % {"most": USERNAME_MAX}
        ) from None
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise AccountRefused(
                gettext("Enter an email address in the correct format, like name@example.gov.uk")
            ) from None


# What a temporary password is made of besides its hash, saved together.
_TEMPORARY_FIELDS = ["must_change_password", "temporary_password_expires", "temporary_password_used"]
# No 0/o, 1/l/i: a temporary password is read off a screen and typed or passed on by hand.
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def temporary_password() -> str:
    """Sixteen random characters in groups of four (about 79 bits): for one sign-in, then replaced."""
    raw = get_random_string(16, _TEMPORARY_ALPHABET)
    return "-".join(raw[index : index + 4] for index in range(0, 16, 4))


def _not_yourself(by: User | None, user: User) -> None:
    """An administrator never changes their own account here: no one locks themselves out, or raises
    themselves, without a second person."""
    if by is not None and by.pk == user.pk:
        raise AccountRefused(gettext("You cannot change your own account here; ask another administrator."))


# Words in the accounts pages' addresses (/account/users/new/), and the names a browser reads as folders
# (/account/users/../ is /account/): an account so named could not be opened.
RESERVED_USERNAMES = frozenset({"new", ".", ".."})


def username_refusal(username: str) -> str | None:
    """Why `username` cannot be given to a new account (kept for the pages, or taken in any case), or None."""
    username = User.normalize_username(username)  # as the account would store it, and signs in with it
    if username.lower() in RESERVED_USERNAMES:
        return gettext("This user name is kept for the service's own pages; choose another")
    if username_taken(username):
        return gettext("There is already an account with this user name")
    return None


def username_taken(username: str) -> bool:
    """Whether an account has this user name, whatever its case. Compared here, not by the database: SQLite
    matches only ASCII letters whatever their case (JÖHN is not jöhn there)."""
    username = User.normalize_username(username).lower()
    same_length = User.objects.annotate(length=Length("username")).filter(length=len(username))
    return any(name.lower() == username for name in same_length.values_list("username", flat=True))


def open_account(
    *,
    by: User | None,
    username: str,
    organisation: Organisation,
    role: str,
    email: str = "",
    actor_label: str = "",
) -> tuple[User, str]:
    """Makes an account with a temporary password, which its holder must replace at their first sign-in.
    Returns the account and the password, which is shown once and stored only as a hash."""
    refusal = username_refusal(username)
    if refusal is not None:
        raise AccountRefused(refusal)
    password = temporary_password()
    with transaction.atomic():
        user = create_user(
            by=by, username=username, password=password, organisation=organisation, role=role, email=email,
            actor_label=actor_label,
        )  # fmt: skip
        _make_temporary(user)
        user.save(update_fields=_TEMPORARY_FIELDS)
    return user, password


def _make_temporary(user: User) -> None:
    """The account's password is a temporary one, for one sign-in: its holder must replace it, within
    TEMPORARY_PASSWORD_DAYS."""
    user.must_change_password = True
    user.temporary_password_expires = timezone.now() + timedelta(days=settings.TEMPORARY_PASSWORD_DAYS)
    user.temporary_password_used = None


def spend_temporary_password(*, user: User) -> bool:
    """A sign-in with the account's temporary password uses it up: it signs in once. False when it was used
    already (by another sign-in at the same moment), and this one must be refused. True for any other password."""
    if not user.must_change_password:
        return True
    now = timezone.now()
    spent = User.objects.filter(
        pk=user.pk, must_change_password=True, temporary_password_used__isnull=True
    ).update(temporary_password_used=now)
    if spent:
        user.temporary_password_used = now
    return bool(spent)


def issue_password(*, by: User | None, user: User, actor_label: str = "") -> str:
    """Replaces an account's password with a temporary one (a forgotten password, a first sign-in that never
    happened). Every session of the account ends."""
    _not_yourself(by, user)
    password = temporary_password()
    with transaction.atomic():
        user.set_password(password)
        _make_temporary(user)
        user.save(update_fields=["password", *_TEMPORARY_FIELDS])
        record(
            by=by, action="account.password_issue", target=f"user:{user.username}", actor_label=actor_label
        )
    return password


def change_role(*, by: User | None, user: User, role: str, actor_label: str = "") -> None:
    _not_yourself(by, user)
    if not role_fits(role, user.organisation.kind if user.organisation else ""):
        raise AccountRefused(role_refusal(role, user.organisation))
    if role == user.role:
        return
    with transaction.atomic():
        before, user.role = user.role, role
        user.save(update_fields=["role"])
        record(
            by=by, action="account.role_change", target=f"user:{user.username}",
            detail={"from": before, "to": role}, actor_label=actor_label,
        )  # fmt: skip


def set_active(*, by: User | None, user: User, active: bool, actor_label: str = "") -> None:
    """Deactivates an account (it can no longer sign in, and its sessions end for good) or reactivates it (its
    holder signs in again: the old sessions do not come back)."""
    _not_yourself(by, user)
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        if not active:
            # Every session of the account ends, and stays ended when it is reactivated.
            user.session_generation += 1
        user.save(update_fields=["is_active", "session_generation"])
        record(
            by=by, action="account.reactivate" if active else "account.deactivate",
            target=f"user:{user.username}", actor_label=actor_label,
        )  # fmt: skip


def password_changed(*, user: User) -> None:
    """Records that the account's holder chose a new password, which ends any temporary one."""
    with transaction.atomic():
        if user.must_change_password or user.temporary_password_expires is not None:
            user.must_change_password = False
            user.temporary_password_expires = None
            user.temporary_password_used = None
            user.save(update_fields=_TEMPORARY_FIELDS)
        record(by=user, action="account.password_change", target=f"user:{user.username}")
