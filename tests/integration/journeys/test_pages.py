"""The submitter pages: upload, history, rejected-rows downloads, tokens; and refusals."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role, User
from journeys.models import ApiToken, CodeMapping, Submission
from tests.factories import accounts as people
from tests.factories.journeys import crime, write_csv

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def signed_in(client, submitter, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    client.force_login(submitter)
    return client


def test_control_characters_in_a_rejected_value_do_not_break_the_excel_download(signed_in, tmp_path, lake):
    upload(signed_in, write_csv(tmp_path / "crimes.csv", [crime(1, offence_group="\x01\x0b=cmd")]))
    submission = Submission.objects.get()
    download = signed_in.get(f"/submissions/{submission.pk}/rejected-rows.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    values = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values == ["\ufffd\ufffd=cmd"]


def upload(client, path, **fields):
    with path.open("rb") as handle:
        return client.post("/submissions/new/", {"body": "E23000036", "file": handle, **fields})


def test_upload_stores_good_rows_and_shows_the_rejected_ones(signed_in, tmp_path, lake):
    rows = [crime(1), crime(2, offence_group="=cmd|' /C calc'!A0")]
    response = upload(signed_in, write_csv(tmp_path / "crimes-2025-06.csv", rows))
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/submissions/{submission.pk}/"
    page = signed_in.get(response["Location"]).content.decode()
    assert 'data-count="accepted">1<' in page and 'data-count="rejected">1<' in page
    assert "offence_group" in page
    # The page shows the value as it was sent: only spreadsheets get the apostrophe.
    assert '<td class="govuk-table__cell">=cmd|&#x27; /C calc&#x27;!A0</td>' in page
    assert lake("SELECT count(*) FROM crimes") == [(1,)]

    report = signed_in.get(f"/submissions/{submission.pk}/rejected-rows.csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[0] == ["file", "row", "column", "value", "reason"]
    assert rows[1][3].startswith("'=cmd")  # a spreadsheet will not run it

    workbook = load_workbook(
        io.BytesIO(
            b"".join(signed_in.get(f"/submissions/{submission.pk}/rejected-rows.xlsx").streaming_content)
        )
    )
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == ["file", "row", "column", "value", "reason"]
    # Text, never a formula, and as it was sent.
    assert sheet["D2"].value == "=cmd|' /C calc'!A0" and sheet["D2"].data_type == "s"


def test_counts_have_their_thousands_separated_in_english_and_welsh(signed_in, tmp_path):
    upload(signed_in, write_csv(tmp_path / "crimes-2025-06.csv", [crime(1)]))
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(rows=123456, accepted=123455, rejected=1)
    for prefix in ("", "/cy"):
        listed = signed_in.get(f"{prefix}/submissions/").content.decode()
        assert ">123,455<" in listed, prefix
        detail = signed_in.get(f"{prefix}/submissions/{submission.pk}/").content.decode()
        assert ">123,456<" in detail and 'data-count="accepted">123,455<' in detail, prefix


def test_who_sent_a_file_is_said_once(signed_in, tmp_path):
    from django.core.management import call_command

    upload(signed_in, write_csv(tmp_path / "crimes-1.csv", [crime(1)]))
    call_command(
        "ingest",
        "--body",
        "E23000036",
        str(write_csv(tmp_path / "crimes-2.csv", [crime(2)])),
        stdout=io.StringIO(),
    )
    by_page, by_command = Submission.objects.order_by("pk")
    detail = signed_in.get(f"/submissions/{by_page.pk}/").content.decode()
    assert f"by {by_page.submitted_by_label} (Upload)" in detail
    detail = signed_in.get(f"/submissions/{by_command.pk}/").content.decode()
    assert "by command line</dd>" in detail and "(Command line)" not in detail
    listed = signed_in.get("/submissions/").content.decode()
    assert "Command line</span>" in listed and "Command line, command line" not in listed


def test_history_lists_the_bodys_submissions(signed_in, tmp_path, django_assert_max_num_queries):
    for n in range(3):
        upload(signed_in, write_csv(tmp_path / f"crimes-{n}.csv", [crime(n)]))
    with django_assert_max_num_queries(8):
        page = signed_in.get("/submissions/").content.decode()
    assert page.count("/submissions/") >= 3 and "crimes-2.csv" in page


def test_every_submission_stays_reachable_a_page_at_a_time(signed_in, tmp_path, monkeypatch):
    monkeypatch.setattr("journeys.views.SUBMISSIONS_PER_PAGE", 2)
    for n in range(5):
        upload(signed_in, write_csv(tmp_path / f"crimes-{n}.csv", [crime(n)]))
    names = [f"crimes-{n}.csv" for n in reversed(range(5))]  # newest first
    pages = [signed_in.get("/submissions/", {"page": number}).content.decode() for number in (1, 2, 3)]
    for number, page in enumerate(pages):
        shown = [name for name in names if f">{name}</a>" in page]
        assert shown == names[number * 2 : number * 2 + 2], number
    assert 'href="?page=2" rel="next"' in pages[0] and 'aria-current="page">3<' in pages[2]
    assert 'rel="next"' not in pages[2]


def test_dry_run_from_the_page_stores_nothing(signed_in, tmp_path, lake):
    upload(signed_in, write_csv(tmp_path / "crimes.csv", [crime(1)]), dry_run="on")
    assert Submission.objects.get().status == "validated"
    assert lake("SELECT count(*) FROM crimes") == [(0,)]


def test_file_that_is_not_data_gets_an_error_summary(signed_in, tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    page = upload(signed_in, path).content.decode()
    assert "govuk-error-summary" in page and "must be a CSV, XLSX or Parquet file" in page


def test_rejected_whole_file_explains_why(signed_in, tmp_path):
    response = upload(signed_in, write_csv(tmp_path / "crimes.csv", [crime(1)], header=["crime_ref"]))
    page = signed_in.get(response["Location"]).content.decode()
    assert "The whole file was rejected" in page and "missing columns" in page


def test_submitting_for_another_body_is_refused_and_audited(signed_in, tmp_path, lake):
    path = write_csv(tmp_path / "crimes.csv", [crime(1, force="E23000005")])
    with path.open("rb") as handle:
        response = signed_in.post("/submissions/new/", {"body": "E23000005", "file": handle})
    assert response.status_code == 403
    assert not Submission.objects.exists()
    assert lake("SELECT count(*) FROM crimes") == [(0,)]
    refusal = AuditEvent.objects.get(action="submission.refused")
    assert (refusal.outcome, refusal.actor_label, refusal.target) == (
        "refused",
        "submitter",
        "body:E23000005",
    )


def test_submitting_for_another_body_is_refused_and_audited_whatever_the_file(signed_in, tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK")
    response = upload(signed_in, path, body="E23000005")
    assert response.status_code == 403 and not Submission.objects.exists()
    assert AuditEvent.objects.get(action="submission.refused").target == "body:E23000005"


def test_other_roles_cannot_use_the_pages(client, bodies):
    analyst = people.user("analyst", role=Role.ANALYST)
    client.force_login(analyst)
    assert client.get("/submissions/").status_code == 403
    assert client.get("/submissions/new/").status_code == 403


def test_another_bodys_submission_is_not_found(signed_in, bodies, tmp_path):
    other = people.user("gmp", role=Role.SUBMITTER, organisation_code="E23000005")
    signed_in.force_login(other)
    upload_path = write_csv(tmp_path / "crimes.csv", [crime(1, force="E23000005")])
    with upload_path.open("rb") as handle:
        signed_in.post("/submissions/new/", {"body": "E23000005", "file": handle})
    theirs = Submission.objects.get()
    signed_in.force_login(User.objects.get(username="submitter"))
    assert signed_in.get(f"/submissions/{theirs.pk}/").status_code == 404


def test_token_shown_once_stored_hashed_and_revocable(signed_in):
    assert "Your body has no tokens yet." in signed_in.get("/submissions/tokens/").content.decode()
    page = signed_in.post("/submissions/tokens/", {"name": "nightly export", "days": "90"}).content.decode()
    token = ApiToken.objects.get()
    start = page.index('<code id="new-token">') + len('<code id="new-token">')
    secret = page[start : page.index("</code>", start)]
    assert secret.startswith("jj_") and len(secret) > 40
    listed = signed_in.get("/submissions/tokens/").content.decode()
    assert secret not in listed and "nightly export" in listed and "no tokens yet" not in listed
    signed_in.post(f"/submissions/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").exists()


def test_a_token_works_for_the_days_chosen_and_the_page_warns_before_it_expires(signed_in):
    missing = signed_in.post("/submissions/tokens/", {"name": "nightly export"}).content.decode()
    assert "Select how long the token should work" in missing and not ApiToken.objects.exists()
    made = timezone.now()
    signed_in.post("/submissions/tokens/", {"name": "nightly export", "days": "30"})
    token = ApiToken.objects.get()
    assert made + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    issued = AuditEvent.objects.get(action="api_token.issue")
    assert issued.detail["expires"] == token.expires_at.date().isoformat()
    listed = signed_in.get("/submissions/tokens/").content.decode()
    assert "Expires soon" not in listed and "expires within" not in listed

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=3))
    listed = signed_in.get("/submissions/tokens/").content.decode()
    assert "Expires soon" in listed and "A token expires within 14 days." in listed

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    listed = signed_in.get("/submissions/tokens/").content.decode()
    assert "Expired" in listed and "expires within" not in listed
    assert f"/submissions/tokens/{token.pk}/revoke/" not in listed  # nothing left to revoke


def test_local_code_mappings_are_loaded_listed_and_refused_by_file_row_and_column(signed_in, tmp_path):
    page = signed_in.get("/submissions/code-mappings/").content.decode()
    assert "Your body has registered no local codes yet" in page

    def load(name, text):
        path = tmp_path / name
        path.write_text(text)
        with path.open("rb") as handle:
            return signed_in.post("/submissions/code-mappings/", {"file": handle}, follow=True)

    header = "table,column,local_code,standard_code\n"
    refused = load("force-codes.csv", header + "crimes,offence_group,VAP,violent\n").content.decode()
    assert (
        "force-codes.csv: row 1, column standard_code: &#x27;violent&#x27; is not a code of crimes.offence_group"
        in refused
    )
    assert not CodeMapping.objects.exists()
    wrong_header = load("force-codes.csv", "table,column,code\n").content.decode()
    assert (
        "force-codes.csv: the header must be exactly table, column, local_code, standard_code" in wrong_header
    )

    semicolons = load("force-codes.csv", header.replace(",", ";") + "crimes;offence_group;VAP;violence\n")
    assert (
        "force-codes.csv: its columns are separated by semicolons, not commas" in semicolons.content.decode()
    )

    too_big = load("force-codes.csv", header + "crimes,offence_group,VAP,violence\n" * 70_000)
    assert "The selected file must be smaller than 2 MB" in too_big.content.decode()
    assert not CodeMapping.objects.exists()
    (tmp_path / "latin.csv").write_bytes(b"tab\xffle,column\nx\xff,y\n")
    with (tmp_path / "latin.csv").open("rb") as handle:
        latin = signed_in.post("/submissions/code-mappings/", {"file": handle})
    assert latin.status_code == 200 and "its header row has a character that is not" in latin.content.decode()
    extra = load("force-codes.csv", header + "crimes,offence_group,VAP,violence,extra\n")
    assert extra.status_code == 200
    assert (
        "force-codes.csv: row 1 (line 2 of the file) has 5 values where the header has 4"
        in extra.content.decode()
    )

    # A NUL is in no code, and PostgreSQL cannot store one: refused, not a server error there.
    nul = load(
        "force-codes.csv", header + "crimes,offence_group,VAP,violence\ncrimes,offence_group,V\x00P,theft\n"
    )
    assert nul.status_code == 200 and (
        "force-codes.csv: row 2, column local_code: the file contains NUL bytes (zero bytes)"
        in nul.content.decode()
    )
    assert not CodeMapping.objects.exists()

    loaded = load("force-codes.csv", header + "crimes,offence_group,VAP,violence\n").content.decode()
    assert "1 code mapping loaded." in loaded and "Your body's local codes (1)</caption>" in loaded
    assert '<td class="govuk-table__cell">VAP</td><td class="govuk-table__cell">violence</td>' in loaded
    assert CodeMapping.objects.get().standard_code == "violence"


def test_the_excel_download_stops_at_its_limit_and_points_to_the_csv(signed_in, tmp_path, monkeypatch):
    from journeys import views

    monkeypatch.setattr(views, "XLSX_MAX_ROWS", 2)
    rows = [crime(n, enhanced_rights="maybe") for n in range(1, 4)]
    upload(signed_in, write_csv(tmp_path / "crimes.csv", rows))
    submission = Submission.objects.get()
    download = signed_in.get(f"/submissions/{submission.pk}/rejected-rows.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    listed = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row[1] for row in listed[:2]] == [1, 2]
    assert listed[2][0] == "More rejected rows are in the CSV download, which has every one."
    csv_rows = b"".join(signed_in.get(f"/submissions/{submission.pk}/rejected-rows.csv").streaming_content)
    assert csv_rows.decode().count("\n") == 4  # the header and all three


def test_local_code_mappings_are_listed_a_page_at_a_time(signed_in, tmp_path, monkeypatch):
    from journeys import views

    monkeypatch.setattr(views, "MAPPINGS_PER_PAGE", 2)
    path = tmp_path / "codes.csv"
    path.write_text(
        "table,column,local_code,standard_code\n"
        + "".join(f"crimes,offence_group,L{n},violence\n" for n in range(1, 6))
    )
    with path.open("rb") as handle:
        signed_in.post("/submissions/code-mappings/", {"file": handle})
    first = signed_in.get("/submissions/code-mappings/").content.decode()
    last = signed_in.get("/submissions/code-mappings/", {"page": 3}).content.decode()
    assert "Your body's local codes (5)" in first
    assert ">L1<" in first and ">L2<" in first and ">L3<" not in first and 'href="?page=2"' in first
    assert ">L5<" in last and ">L1<" not in last


def test_a_very_long_rejected_value_is_shown_shortened_on_the_page_and_in_both_downloads(signed_in, tmp_path):
    shortened = "x" * 200 + "… (500,000 characters)"
    upload(signed_in, write_csv(tmp_path / "crimes.csv", [crime(1), crime(2, offence_group="x" * 500_000)]))
    submission = Submission.objects.get()
    page = signed_in.get(f"/submissions/{submission.pk}/")
    assert page.status_code == 200
    assert shortened in page.content.decode() and "x" * 201 not in page.content.decode()
    report = signed_in.get(f"/submissions/{submission.pk}/rejected-rows.csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert rows[1][1:4] == ["2", "offence_group", shortened]
    download = signed_in.get(f"/submissions/{submission.pk}/rejected-rows.xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [row[1:4] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        (2, "offence_group", shortened)
    ]


def test_a_report_holding_a_value_longer_than_any_csv_field_limit_is_still_shown(
    signed_in, tmp_path, settings
):
    # A report written before values were shortened in it keeps the whole value.
    upload(signed_in, write_csv(tmp_path / "crimes.csv", [crime(1, offence_group="nonsense")]))
    submission = Submission.objects.get()
    report = tmp_path / "old-report.csv"
    with report.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                ["file", "row", "column", "value", "reason"],
                ["crimes.csv", "1", "offence_group", "y" * 500_000, "is not a code"],
            ]
        )
    Submission.objects.filter(pk=submission.pk).update(report_file=str(report.relative_to(tmp_path)))
    settings.DATA_DIR = tmp_path
    assert signed_in.get(f"/submissions/{submission.pk}/").status_code == 200
    download = signed_in.get(f"/submissions/{submission.pk}/rejected-rows.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert [row[1:3] for row in sheet.iter_rows(min_row=2, values_only=True)] == [(1, "offence_group")]


def test_a_file_name_longer_than_the_file_system_allows_is_checked_and_kept_as_sent(
    signed_in, tmp_path, lake
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    name = "crimes-" + "é" * 200 + ".csv"  # 411 bytes: more than a file name may have on disk
    content = write_csv(tmp_path / "crimes.csv", [crime(1), crime(2, offence_group="nonsense")]).read_bytes()
    response = signed_in.post(
        "/submissions/new/", {"body": "E23000036", "file": SimpleUploadedFile(name, content)}
    )
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/submissions/{submission.pk}/"
    assert (submission.status, submission.file_name, submission.accepted, submission.rejected) == (
        "stored",
        name,
        1,
        1,
    )
    assert AuditEvent.objects.filter(
        action="submission.create", target=f"submission:{submission.pk}"
    ).exists()
    assert lake("SELECT crime_ref FROM crimes") == [("C1",)]


@pytest.mark.parametrize(
    ("status", "reason"),
    [("failed", "ABANDONED"), ("stored", "ABANDONED_AFTER_STORING"), ("failed", "failure")],
)
def test_a_submission_cut_off_or_failed_says_why_on_its_page(signed_in, status, reason):
    from accounts.models import Organisation
    from journeys import actions

    why = actions._failure_reason(OSError()) if reason == "failure" else getattr(actions, reason)
    submission = Submission.objects.create(
        body=Organisation.objects.get(code="E23000036"), file_name="victims.xlsx", table="victims",
        submitted_by_label="x", source="web", status=status, reason=why,
    )  # fmt: skip
    for prefix in ("", "/cy"):
        page = signed_in.get(f"{prefix}/submissions/{submission.pk}/").content.decode()
        assert why[1:].replace("'", "&#x27;") in page, prefix


def test_revoking_a_token_of_another_body_or_none_gets_the_same_refusal(signed_in):
    other = people.user("manchester", organisation_code="E23000005", role=Role.SUBMITTER)
    from journeys import actions

    token, _secret = actions.issue_token(by=other, body_code="E23000005", name="their export")
    theirs = signed_in.post(f"/submissions/tokens/{token.pk}/revoke/")
    missing = signed_in.post(f"/submissions/tokens/{token.pk + 1000}/revoke/")
    # The answer never tells whether another body's token exists.
    assert theirs.status_code == missing.status_code == 403
    varying = re.compile(r'(nonce|value)="[^"]*"')  # the CSP nonce and the CSRF token differ
    assert varying.sub("", missing.content.decode()) == varying.sub("", theirs.content.decode())
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.filter(action="access.refused").count() == 2
