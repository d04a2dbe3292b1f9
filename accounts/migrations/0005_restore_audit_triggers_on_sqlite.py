"""SQLite alters a column by rebuilding its table, which drops the table's triggers: 0004 did so to the audit
log. This puts the append-only guard back (PostgreSQL keeps triggers through ALTER COLUMN)."""

import importlib

from django.db import migrations


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    append_only = importlib.import_module("accounts.migrations.0002_audit_append_only")
    append_only.backward(apps, schema_editor)
    append_only.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_longer_body_codes")]
    operations = [migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop)]
