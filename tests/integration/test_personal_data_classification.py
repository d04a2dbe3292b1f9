"""Every field of every installed model is classified, and personal data appears only in the vault."""

from datetime import date

import pytest
from django.apps import apps
from django.db import connections

from config.privacy import Data
from identity.models import VictimRecord
from identity.services import VictimIdentity, register_victims

OP, R, ST, SE = Data.OPERATIONAL, Data.REFERENCE, Data.STAFF, Data.SECRET

# Models that Django and third-party apps bring: classified here, since their classes are not ours.
# None of them may ever hold a victim's details (the vault models are not registered in the admin).
OTHER_APPS: dict[str, dict[str, Data]] = {
    "admin.LogEntry": {"id": OP, "action_time": OP, "user": OP, "content_type": OP, "object_id": OP,
                       "object_repr": OP, "action_flag": OP, "change_message": OP},
    "auth.Permission": {"id": OP, "name": R, "content_type": OP, "codename": R},
    "auth.Group": {"id": OP, "name": R, "permissions": OP},
    "contenttypes.ContentType": {"id": OP, "app_label": R, "model": R},
    "sessions.Session": {"session_key": SE, "session_data": ST, "expire_date": OP},
    "axes.AccessFailureLog": {"id": OP, "user_agent": ST, "ip_address": ST, "username": ST, "http_accept": OP,
                              "path_info": OP, "attempt_time": OP, "locked_out": OP},
    "axes.AccessAttempt": {"id": OP, "user_agent": ST, "ip_address": ST, "username": ST, "http_accept": OP,
                           "path_info": OP, "attempt_time": OP, "get_data": ST, "post_data": ST,
                           "failures_since_start": OP},
    "axes.AccessAttemptExpiration": {"access_attempt": OP, "expires_at": OP},
    "axes.AccessLog": {"id": OP, "user_agent": ST, "ip_address": ST, "username": ST, "http_accept": OP,
                       "path_info": OP, "attempt_time": OP, "logout_time": OP, "session_hash": SE},
    # Background tasks: their arguments and results are identifiers and counts (a body code, a submission
    # number, a run), never a person's details.
    "django_tasks_database.DBTaskResult": {"id": OP, "status": OP, "enqueued_at": OP, "started_at": OP,
                                           "finished_at": OP, "args_kwargs": OP, "priority": OP, "task_path": OP,
                                           "worker_ids": OP, "queue_name": OP, "backend_name": OP,
                                           "run_after": OP, "return_value": OP, "exception_class_path": OP,
                                           "traceback": OP},
}  # fmt: skip


def all_models():
    # Many-to-many join tables are covered by the field that declares them.
    return [model for model in apps.get_models() if not model._meta.auto_created]


def field_names(model) -> set[str]:
    return {field.name for field in model._meta.concrete_fields} | {
        field.name for field in model._meta.local_many_to_many
    }


def classification(model) -> dict[str, Data] | None:
    return OTHER_APPS.get(model._meta.label) or getattr(model, "data_classification", None)


def test_the_walk_covers_the_vault_and_the_audit_log():
    labels = {model._meta.label for model in all_models()}
    assert {"identity.VictimRecord", "accounts.AuditEvent", "identity.SharingAgreement"} <= labels


@pytest.mark.parametrize("model", all_models(), ids=lambda model: model._meta.label)
def test_every_field_is_classified(model):
    declared = classification(model)
    assert declared is not None, f"{model._meta.label} declares no data_classification"
    names = field_names(model)
    missing = sorted(names - set(declared))
    assert not missing, f"{model._meta.label}: fields without a classification: {missing}"
    stale = sorted(set(declared) - names)
    assert not stale, f"{model._meta.label}: classification names fields that do not exist: {stale}"
    assert all(isinstance(value, Data) for value in declared.values())


@pytest.mark.parametrize("model", all_models(), ids=lambda model: model._meta.label)
def test_personal_data_only_in_vault_models(model):
    personal = sorted(name for name, kind in (classification(model) or {}).items() if kind == Data.PERSONAL)
    if personal:
        assert getattr(model, "vault_model", False), (
            f"{model._meta.label} holds personal data outside the vault: {personal}"
        )


def test_vault_models_live_in_the_vault_database_only():
    from django.db import router

    assert router.db_for_write(VictimRecord) == "vault"
    assert router.allow_migrate("default", "identity", model_name="victimrecord") is False
    assert router.allow_migrate("vault", "identity", model_name="victimrecord") is True
    assert router.allow_migrate("vault", "accounts", model_name="auditevent") is False


def _raw_vault_bytes() -> bytes:
    connection = connections["vault"]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return connection.connection.serialize()
    with connection.cursor() as cursor:
        cursor.execute("SELECT t::text FROM identity_victimrecord t")
        return "\n".join(row[0] for row in cursor.fetchall()).encode()


@pytest.mark.django_db(databases=["default", "vault"])
def test_the_raw_vault_database_holds_no_plaintext_personal_data():
    register_victims(
        body="E23000036",
        records=[
            VictimIdentity(
                person_ref="P1",
                given_name="Ottoline",
                family_name="Quibbleworth",
                date_of_birth=date(1977, 9, 23),
                postcode="BS7 8QX",
                email="ottoline.q@example.org",
                phone="07700 900987",
            )
        ],
        by=None,
    )
    raw = _raw_vault_bytes()
    assert b"P1" in raw  # the reading works: the pseudonymous reference is there in clear
    for secret in [
        b"Ottoline",
        b"OTTOLINE",
        b"Quibbleworth",
        b"QUIBBLEWORTH",
        b"1977-09-23",
        b"BS7 8QX",
        b"BS78QX",
        b"ottoline.q",
        b"900987",
    ]:
        assert secret not in raw, secret
