"""Every API token expires. Tokens issued before expiry existed work for 90 days from the upgrade, so that
the systems using them can be given new ones in time (docs/operations.md, "Upgrading")."""

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone

GRACE = timedelta(days=90)


def give_existing_tokens_an_expiry(apps, schema_editor):
    ApiToken = apps.get_model("journeys", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=timezone.now() + GRACE)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0002_reasons_without_values")]

    operations = [
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(give_existing_tokens_an_expiry, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
    ]
