"""Open split requests on a number merged since they were raised now ask about the number it resolves to."""

from django.db import migrations


def follow_merges(apps, schema_editor):
    db = schema_editor.connection.alias
    numbers = apps.get_model("identity", "JusticeJourneyNumber")
    items = apps.get_model("identity", "ReviewItem")
    stale = items.objects.using(db).filter(kind="split", status="open", number__superseded_by__isnull=False)
    for item in stale:
        current = item.number_id
        seen = {current}
        while (following := numbers.objects.using(db).get(id=current).superseded_by_id) is not None:
            if following in seen:  # a cycle cannot be written, but never loop for ever
                break
            seen.add(following)
            current = following
        items.objects.using(db).filter(id=item.id).update(number_id=current)


class Migration(migrations.Migration):
    dependencies = [("identity", "0005_blocking_keys_replace_dob_indexes")]

    operations = [migrations.RunPython(follow_merges, migrations.RunPython.noop, hints={"vault": True})]
