"""Earlier refusals of malformed CSV files quoted the parser's words, failed submissions the error's, and a file
with no header row had its first row listed as unknown columns: each could repeat a row's values (a victim's
name, in a victims file). This keeps only where the problem was, or the kind of error, and drops a list of
unknown columns unless every name in it looks like a column name: personal data lives only in the identity
vault, never in a submission's reason."""

import re

from django.db import migrations

MALFORMED = "the file is not well-formed CSV"
RULE = "(each row must have as many values as the header, and quotes must be closed)"
_LINE = re.compile(r"^the file is not well-formed CSV near line (\d+)")
_KIND = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")
_FAILED_FROM = "the service failed while storing the file"
_UNKNOWN = re.compile(r"unknown columns? (.+)$", re.S)
_COLUMN_NAME = re.compile(r"[a-z][a-z0-9_]*")


def malformed_without_values(reason: str) -> str:
    line = _LINE.match(reason)
    where = f" near line {line[1]} of the file" if line else ""
    return f"{MALFORMED}{where} {RULE}"


def failure_without_values(reason: str) -> str:
    kind = _KIND.match(reason)
    return (
        f"{_FAILED_FROM} ({kind[1] if kind else 'an error'}), and stored nothing from it; send it again later, and "
        "if it fails again, administrators can see why in the service's log"
    )


def unknown_without_values(reason: str) -> str:
    unknown = _UNKNOWN.search(reason)
    if unknown is None or all(_COLUMN_NAME.fullmatch(name) for name in unknown[1].split(", ")):
        return reason
    return reason[: unknown.start()] + "unknown columns (not shown: the first row may have been data)"


def forwards(apps, schema_editor):
    Submission = apps.get_model("journeys", "Submission")
    for submission in Submission.objects.filter(reason__startswith=f"{MALFORMED} near line").only("pk", "reason"):
        Submission.objects.filter(pk=submission.pk).update(reason=malformed_without_values(submission.reason))
    failed = Submission.objects.filter(status="failed").exclude(reason="").exclude(reason__startswith=_FAILED_FROM)
    for submission in failed.only("pk", "reason"):
        Submission.objects.filter(pk=submission.pk).update(reason=failure_without_values(submission.reason))
    for submission in Submission.objects.filter(reason__contains="unknown column").only("pk", "reason"):
        scrubbed = unknown_without_values(submission.reason)
        if scrubbed != submission.reason:
            Submission.objects.filter(pk=submission.pk).update(reason=scrubbed)


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
