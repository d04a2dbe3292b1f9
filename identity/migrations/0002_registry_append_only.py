"""The registry is permanent: the vault database refuses deletes of numbers and of their history,
any change to an event, and any change to a number except marking it superseded, once."""

from django.db import migrations

REFUSE_EVENT = "the history of a Justice Journey Number is append-only"
REFUSE_NUMBER = "a Justice Journey Number is permanent: it can only be marked superseded, once"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER identity_registryevent_no_update BEFORE UPDATE ON identity_registryevent
       BEGIN SELECT RAISE(ABORT, '{REFUSE_EVENT}'); END;""",
    f"""CREATE TRIGGER identity_registryevent_no_delete BEFORE DELETE ON identity_registryevent
       BEGIN SELECT RAISE(ABORT, '{REFUSE_EVENT}'); END;""",
    f"""CREATE TRIGGER identity_jjn_no_delete BEFORE DELETE ON identity_justicejourneynumber
       BEGIN SELECT RAISE(ABORT, '{REFUSE_NUMBER}'); END;""",
    f"""CREATE TRIGGER identity_jjn_only_supersede BEFORE UPDATE ON identity_justicejourneynumber
       WHEN OLD.superseded_by_id IS NOT NULL OR NEW.superseded_by_id IS NULL
         OR NEW.number IS NOT OLD.number OR NEW.issued_at IS NOT OLD.issued_at OR NEW.origin IS NOT OLD.origin
         OR NEW.id IS NOT OLD.id
       BEGIN SELECT RAISE(ABORT, '{REFUSE_NUMBER}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS identity_registryevent_no_update;",
    "DROP TRIGGER IF EXISTS identity_registryevent_no_delete;",
    "DROP TRIGGER IF EXISTS identity_jjn_no_delete;",
    "DROP TRIGGER IF EXISTS identity_jjn_only_supersede;",
]
POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION identity_registryevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '{REFUSE_EVENT}'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER identity_registryevent_append_only BEFORE UPDATE OR DELETE ON identity_registryevent
       FOR EACH ROW EXECUTE FUNCTION identity_registryevent_refuse();""",
    """CREATE TRIGGER identity_registryevent_no_truncate BEFORE TRUNCATE ON identity_registryevent
       FOR EACH STATEMENT EXECUTE FUNCTION identity_registryevent_refuse();""",
    f"""CREATE OR REPLACE FUNCTION identity_jjn_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND OLD.superseded_by_id IS NULL AND NEW.superseded_by_id IS NOT NULL
            AND NEW.id = OLD.id AND NEW.number = OLD.number AND NEW.issued_at = OLD.issued_at
            AND NEW.origin = OLD.origin THEN
           RETURN NEW;
         END IF;
         RAISE EXCEPTION '{REFUSE_NUMBER}';
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER identity_jjn_guard BEFORE UPDATE OR DELETE ON identity_justicejourneynumber
       FOR EACH ROW EXECUTE FUNCTION identity_jjn_guard();""",
    """CREATE TRIGGER identity_jjn_no_truncate BEFORE TRUNCATE ON identity_justicejourneynumber
       FOR EACH STATEMENT EXECUTE FUNCTION identity_registryevent_refuse();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS identity_registryevent_append_only ON identity_registryevent;",
    "DROP TRIGGER IF EXISTS identity_registryevent_no_truncate ON identity_registryevent;",
    "DROP TRIGGER IF EXISTS identity_jjn_guard ON identity_justicejourneynumber;",
    "DROP TRIGGER IF EXISTS identity_jjn_no_truncate ON identity_justicejourneynumber;",
    "DROP FUNCTION IF EXISTS identity_jjn_guard();",
    "DROP FUNCTION IF EXISTS identity_registryevent_refuse();",
]


def forward(apps, schema_editor):
    statements = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]
    # The registry lives in the vault database (identity.routers).
    operations = [migrations.RunPython(forward, backward, hints={"vault": True})]
