"""The `ingest` and `codemap` commands, end to end: files in, Parquet and submission records out."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from identity.models import VictimRecord
from journeys.models import CodeMapping, Submission
from tests.factories.journeys import HEADERS, crime, victim, write_csv

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def ingest(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("ingest", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_one_summary_line_per_file_and_a_report(bodies, tmp_path, lake):
    good = write_csv(tmp_path / "crimes-2025-06.csv", [crime(1), crime(2)])
    mixed = write_csv(tmp_path / "crimes-2025-07.csv", [crime(3), crime(4, force="E99")])
    report = tmp_path / "report.csv"
    code, out = ingest("--body", "E23000036", "--report", str(report), str(good), str(mixed))
    assert code == 0
    assert out.splitlines() == [
        "crimes-2025-06.csv: accepted 2, rejected 0, unchanged 0, corrected 0",
        "crimes-2025-07.csv: accepted 1, rejected 1, unchanged 0, corrected 0",
    ]
    with report.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["file", "row", "column", "value", "reason"]
    assert rows[1][:4] == ["crimes-2025-07.csv", "2", "force", "E99"]
    assert lake("SELECT count(*) FROM crimes") == [(3,)]
    stored = Submission.objects.get(file_name="crimes-2025-07.csv")
    assert (stored.status, stored.source, stored.accepted, stored.rejected, len(stored.checksum)) == (
        "stored",
        "cli",
        1,
        1,
        64,
    )
    assert AuditEvent.objects.filter(action="submission.create", target=f"submission:{stored.pk}").exists()


def test_a_report_that_cannot_be_written_is_refused_before_anything_is_sent(bodies, tmp_path, lake):
    path = write_csv(tmp_path / "crimes.csv", [crime(1)])
    for report, message in (
        (tmp_path, "is a folder; give a file name"),
        (tmp_path / "no-such-folder" / "report.csv", r"cannot write it \(No such file or directory\)"),
    ):
        with pytest.raises(CommandError, match=message):
            ingest("--body", "E23000036", "--report", str(report), str(path))
    assert not Submission.objects.exists()
    with pytest.raises(CommandError, match="is a folder; name the files in it"):
        ingest("--body", "E23000036", str(tmp_path))


def test_a_refused_body_leaves_an_earlier_report_as_it_was(bodies, tmp_path, lake):
    path = write_csv(tmp_path / "crimes.csv", [crime(1)])
    report = tmp_path / "report.csv"
    report.write_text("yesterday's report\n")
    with pytest.raises(CommandError, match="NOPE"):
        ingest("--body", "NOPE", "--report", str(report), str(path))
    assert report.read_text() == "yesterday's report\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_file_rejected_whole_exits_2(bodies, tmp_path, lake):
    good = write_csv(tmp_path / "crimes.csv", [crime(1)])
    bad = write_csv(tmp_path / "crimes-bad.csv", [crime(2)], header=[*HEADERS["crimes"], "notes"])
    code, out = ingest("--body", "E23000036", str(good), str(bad))
    assert code == 2
    assert out.splitlines()[1].startswith("crimes-bad.csv: rejected whole: the header does not match")
    assert lake("SELECT crime_ref FROM crimes") == [("C1",)]
    outcomes = (
        AuditEvent.objects.filter(action="submission.create").order_by("id").values_list("outcome", flat=True)
    )
    assert list(outcomes) == [AuditEvent.Outcome.OK, AuditEvent.Outcome.FAILED]


def test_resubmission_and_correction(bodies, tmp_path, lake):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2)])
    ingest("--body", "E23000036", str(path))
    _, again = ingest("--body", "E23000036", str(path))
    assert again.strip() == "crimes.csv: accepted 0, rejected 0, unchanged 2, corrected 0"
    fixed = write_csv(tmp_path / "crimes-fix.csv", [crime(2, outcome_type="1")])
    _, out = ingest("--body", "E23000036", str(fixed))
    assert out.strip() == "crimes-fix.csv: accepted 0, rejected 0, unchanged 0, corrected 1"
    assert lake("SELECT count(*) FROM crimes_versions WHERE crime_ref = 'C2'") == [(2,)]
    assert lake("SELECT outcome_type FROM crimes WHERE crime_ref = 'C2'") == [("1",)]


def test_dry_run_and_explicit_table(bodies, tmp_path, lake):
    path = write_csv(tmp_path / "export.csv", [crime(1)], table="crimes")
    code, out = ingest("--body", "E23000036", "--dry-run", "--table", "crimes", str(path))
    assert (code, out.strip()) == (0, "export.csv: accepted 1, rejected 0, unchanged 0, corrected 0")
    assert lake("SELECT count(*) FROM crimes") == [(0,)]
    assert Submission.objects.get().status == "validated"


def test_file_without_a_table_name_is_rejected(bodies, tmp_path):
    path = write_csv(tmp_path / "export.csv", [crime(1)], table="crimes")
    code, out = ingest("--body", "E23000036", str(path))
    assert code == 2
    assert "the table is not named" in out and "--table on the command line" in out


def test_victims_go_to_the_vault_and_only_the_jjn_to_the_lake(bodies, tmp_path, lake):
    path = write_csv(tmp_path / "victims.csv", [victim(1), victim(2, given_name="Sam")])
    code, _ = ingest("--body", "E23000036", str(path))
    assert code == 0
    assert VictimRecord.objects.using("vault").filter(body="E23000036").count() == 2
    [(jjn_1,), (jjn_2,)] = lake("SELECT jjn FROM victims ORDER BY person_ref")
    assert jjn_1 and jjn_2 and jjn_1 != jjn_2
    write_csv(
        tmp_path / "crimes.csv", [crime(1, reported_at="2025-05-17T10:00", recorded_at="2025-05-17T11:00")]
    )
    ingest("--body", "E23000036", str(tmp_path / "crimes.csv"))
    assert lake("SELECT jjn, age_band FROM crimes") == [(jjn_1, "35-49")]


def test_the_vault_entry_of_a_command_line_submission_names_the_command_line(bodies, tmp_path):
    ingest("--body", "E23000036", str(write_csv(tmp_path / "victims.csv", [victim(1)])))
    sent = AuditEvent.objects.get(action="submission.create")
    numbered = AuditEvent.objects.get(action="identity.register_victims")
    assert (sent.actor_label, numbered.actor_label) == ("command line", "command line")


def test_unknown_body_is_refused(bodies, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such submitting body"):
        ingest("--body", "NOPE", str(write_csv(tmp_path / "crimes.csv", [crime(1)])))


def test_codemap_then_ingest_with_local_codes(bodies, tmp_path, lake):
    mapping = tmp_path / "codes.csv"
    mapping.write_text("table,column,local_code,standard_code\ncrimes,offence_group,VAP,violence\n")
    out = io.StringIO()
    call_command("codemap", "--body", "E23000036", "--load", str(mapping), stdout=out)
    assert "1 code mappings loaded" in out.getvalue()
    assert CodeMapping.objects.get().standard_code == "violence"
    ingest("--body", "E23000036", str(write_csv(tmp_path / "crimes.csv", [crime(1, offence_group="VAP")])))
    assert lake("SELECT offence_group, mapped_columns FROM crimes_versions") == [
        ("violence", ["offence_group"])
    ]


def test_codemap_refuses_a_code_not_in_the_standard(bodies, tmp_path):
    from django.core.management.base import CommandError

    mapping = tmp_path / "codes.csv"
    mapping.write_text("table,column,local_code,standard_code\ncrimes,offence_group,VAP,violent\n")
    with pytest.raises(CommandError, match="row 1, column standard_code"):
        call_command("codemap", "--body", "E23000036", "--load", str(mapping))
    assert not CodeMapping.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("crimes,offence_group,V\xe9P,violence\n", r"the file is not UTF-8 encoded: row 1, column local_code, has a"),
        ("crimes,offence_group,VAP,violence\n\ncrimes,offence_group,X,violence,extra\n",
         r"row 2 \(line 4 of the file\) has 5 values where the header has 4"),
        ("crimes,offence_group,DUP,violence\ncrimes,offence_group,DUP,vehicle\n",
         r"row 2, column local_code: 'DUP' is mapped to 'violence' on row 1"),
        (f"crimes,offence_group,{'L' * 101},violence\n", r"row 1, column local_code: longer than 100 characters"),
        ("crimes,offence_group,VAP,violence\ncrimes,offence_group,theft,violence\n",
         r"row 2, column local_code: 'theft' is itself a code of crimes.offence_group in the standard"),
        (f"crimes,offence_group,{'L' * 200_000},violence\n", r"row 1, column local_code: longer than 100 characters"),
    ],
)  # fmt: skip
def test_codemap_refuses_a_broken_file_naming_row_and_column(bodies, tmp_path, body, message):
    mapping = tmp_path / "codes.csv"
    mapping.write_bytes(("table,column,local_code,standard_code\n" + body).encode("latin-1"))
    with pytest.raises(CommandError, match=f"codes.csv: {message}"):
        call_command("codemap", "--body", "E23000036", "--load", str(mapping))
    assert not CodeMapping.objects.exists()


def test_codemap_accepts_the_same_mapping_twice(bodies, tmp_path):
    mapping = tmp_path / "codes.csv"
    mapping.write_text("table,column,local_code,standard_code\n" + "crimes,offence_group,VAP,violence\n" * 2)
    call_command("codemap", "--body", "E23000036", "--load", str(mapping), stdout=io.StringIO())
    assert list(CodeMapping.objects.values_list("local_code", "standard_code")) == [("VAP", "violence")]
    first = CodeMapping.objects.get().updated_at
    mapping.write_text("table,column,local_code,standard_code\ncrimes,offence_group,VAP,vehicle\n")
    call_command("codemap", "--body", "E23000036", "--load", str(mapping), stdout=io.StringIO())
    replaced = CodeMapping.objects.get()
    assert (replaced.standard_code, replaced.updated_at > first) == ("vehicle", True)


def test_a_stored_submission_asks_for_a_compliance_recompute(
    bodies, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ingest("--body", "E23000036", str(write_csv(tmp_path / "crimes.csv", [crime(1)])))
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ingest("--body", "E23000036", "--dry-run", str(write_csv(tmp_path / "crimes-2.csv", [crime(2)])))
    assert callbacks == []


def test_a_failure_outside_the_data_stores_nothing_and_its_reason_repeats_no_value(
    bodies, tmp_path, settings
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the event store should be")
    settings.LAKE_DIR = blocked / "lake"
    path = write_csv(tmp_path / "crimes.csv", [crime(1, crime_ref="Harry-Campbell-1")])

    with pytest.raises(OSError):
        call_command("ingest", "--body", "E23000036", str(path), stdout=io.StringIO())

    failed = Submission.objects.get()
    assert failed.status == Submission.Status.FAILED
    assert failed.reason.startswith("the service failed while storing the file (")
    assert "stored nothing from it" in failed.reason and "Harry" not in failed.reason
    assert str(blocked) not in failed.reason
    event = AuditEvent.objects.get(action="submission.create")
    assert event.outcome == AuditEvent.Outcome.FAILED


def test_codemap_says_plainly_that_a_file_cannot_be_read(bodies, tmp_path):
    missing = tmp_path / "no-such-codes.csv"
    with pytest.raises(
        CommandError, match=r"no-such-codes.csv: cannot be read \(No such file or directory\)$"
    ):
        call_command("codemap", "--body", "E23000036", "--load", str(missing))


def test_a_very_long_rejected_value_is_shortened_in_the_report(bodies, tmp_path, lake):
    path = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2, offence_group="x" * 500_000)])
    report = tmp_path / "report.csv"
    code, out = ingest("--body", "E23000036", "--report", str(report), str(path))
    assert (code, out.splitlines()) == (0, ["crimes.csv: accepted 1, rejected 1, unchanged 0, corrected 0"])
    with report.open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["value"]) for r in rows] == [
        ("2", "offence_group", "x" * 200 + "… (500,000 characters)")
    ]
    assert rows[0]["reason"].startswith("is not ")
    assert lake("SELECT crime_ref FROM crimes") == [("C1",)]
