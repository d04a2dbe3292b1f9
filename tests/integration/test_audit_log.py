import pytest
from django.db import DatabaseError, transaction

from accounts.audit import record
from accounts.models import AuditEvent, Organisation, Role, User

pytestmark = pytest.mark.django_db


def make_user() -> User:
    organisation = Organisation.objects.create(
        code="E23000036", name="Avon and Somerset", kind="police_force"
    )
    return User.objects.create_user(
        "analyst", password="a long passphrase 1", organisation=organisation, role=Role.ANALYST
    )


def test_record_names_actor_and_organisation():
    user = make_user()
    event = record(by=user, action="submission.create", target="submission:1", detail={"rows": 3})
    assert (event.actor_label, event.organisation_code, event.detail) == ("analyst", "E23000036", {"rows": 3})


def test_system_events_are_labelled():
    assert record(by=None, action="linkage.run", actor_label="linkage").actor_label == "linkage"


def test_audit_rows_cannot_be_updated_or_deleted():
    event = record(by=make_user(), action="report.read")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "report.read"


def test_the_audit_log_stays_append_only_after_every_migration():
    # SQLite rebuilds a table to alter a column, dropping its triggers; a later migration must restore them.
    event = record(by=None, action="linkage.run", actor_label="linkage")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_a_target_longer_than_its_column_is_shortened_not_a_failure():
    # A refused page or API call is recorded with its address, which anyone can make as long as they like.
    event = record(by=None, action="api.refused", target="/api/" + "x" * 1000, actor_label="api")
    event.refresh_from_db()
    limit = AuditEvent._meta.get_field("target").max_length
    assert event.target.startswith("/api/xxx") and len(event.target) == limit


def test_a_target_with_a_null_character_is_recorded_with_a_replacement_character():
    # An address may hold %00, which PostgreSQL refuses in text: a refusal must still be recorded.
    event = record(by=None, action="access.refused", target="/account/users/a\x00b/", actor_label="anonymous")
    event.refresh_from_db()
    assert event.target == "/account/users/a\ufffdb/"
