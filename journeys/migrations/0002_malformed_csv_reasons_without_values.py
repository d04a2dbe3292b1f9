"""Earlier refusals of malformed CSV files quoted the parser's words, which could repeat a row's values (a
victim's name, in a victims file). This keeps only where the problem was: personal data lives only in the
identity vault, never in a submission's reason."""

import re

from django.db import migrations

PREFIX = "the file is not well-formed CSV"
RULE = "(each row must have as many values as the header, and quotes must be closed)"
_LINE = re.compile(r"^the file is not well-formed CSV near line (\d+)")


def without_values(reason: str) -> str:
    line = _LINE.match(reason)
    where = f" near line {line[1]} of the file" if line else ""
    return f"{PREFIX}{where} {RULE}"


def forwards(apps, schema_editor):
    Submission = apps.get_model("journeys", "Submission")
    for submission in Submission.objects.filter(reason__startswith=f"{PREFIX} near line").only("pk", "reason"):
        Submission.objects.filter(pk=submission.pk).update(reason=without_values(submission.reason))


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
