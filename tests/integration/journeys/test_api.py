"""The submission API with a valid, a revoked and a wrong-body token."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuditEvent, Role
from journeys import actions, refusals
from journeys.models import ApiToken, Submission
from tests.factories import accounts as people
from tests.factories.journeys import HEADERS, crime, victim, write_csv

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture
def secret(submitter):
    _token, secret = actions.issue_token(by=submitter, body_code="E23000036", name="nightly export")
    return secret


def post(client, secret, payload):
    return client.post(
        "/api/submissions",
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_valid_token_submits_records(client, secret, lake):
    records = [crime(1), {**crime(2), "enhanced_rights": "maybe"}]
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": records})
    assert response.status_code == 200
    answer = response.json()
    assert (answer["status"], answer["accepted"], answer["rejected"]) == ("stored", 1, 1)
    assert answer["errors"][0] == {
        "row": 2,
        "column": "enhanced_rights",
        "value": "maybe",
        "reason": "is not one of N, Y (codes are case-sensitive)",
    }
    assert lake("SELECT crime_ref FROM crimes") == [("C1",)]
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    assert token.token_hash != secret and secret not in token.token_hash
    submission = Submission.objects.get()
    assert (submission.source, submission.submitted_by_label) == ("api", f"api token {token.prefix}")


def test_the_audit_log_names_the_token_for_the_vault_entry_of_an_api_submission(client, secret, lake):
    assert (
        post(client, secret, {"body": "E23000036", "table": "victims", "records": [victim(1)]}).status_code
        == 200
    )
    label = f"api token {ApiToken.objects.get().prefix}"
    client.force_login(people.user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ"))
    page = client.get("/account/audit-log/", {"who": label}).content.decode()
    listed = {int(pk) for pk in re.findall(r'data-event="(\d+)"', page)}
    assert set(AuditEvent.objects.filter(pk__in=listed).values_list("action", flat=True)) == {
        "submission.create",
        "identity.register_victims",
    }
    numbered = AuditEvent.objects.get(action="identity.register_victims")
    assert numbered.actor_label == AuditEvent.objects.get(action="submission.create").actor_label == label


def test_an_api_answer_carrying_data_is_never_stored(client, secret, lake):
    post(client, secret, {"body": "E23000036", "table": "crimes", "records": [crime(1)]})
    listed = client.get("/api/submissions", headers={"Authorization": f"Bearer {secret}"})
    assert listed.status_code == 200 and len(listed.json()) == 1
    assert {"no-store", "private"} <= {part.strip() for part in listed["Cache-Control"].split(",")}


def test_revoked_token_is_refused_and_audited(client, submitter, secret):
    actions.revoke_token(by=submitter, token=ApiToken.objects.get())
    revoked_at = ApiToken.objects.get().revoked_at
    again = actions.revoke_token(by=submitter, token=ApiToken.objects.get())  # a second click, another tab
    assert (
        again.revoked_at == revoked_at and AuditEvent.objects.filter(action="api_token.revoke").count() == 1
    )
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": [crime(1)]})
    assert response.status_code == 401
    assert not Submission.objects.exists()
    assert AuditEvent.objects.get(action="api.refused", outcome="refused").purpose == "revoked token"


def test_an_expired_token_is_refused_and_audited(client, secret):
    token = ApiToken.objects.get()
    token.expires_at = timezone.now() - timedelta(seconds=1)
    token.save(update_fields=["expires_at"])
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": [crime(1)]})
    assert response.status_code == 401
    assert not Submission.objects.exists()
    assert AuditEvent.objects.get(action="api.refused", outcome="refused").purpose == "expired token"
    token.refresh_from_db()
    assert token.last_used_at is None


def test_refusals_beyond_the_limit_are_answered_429_and_recorded_once_while_good_tokens_still_work(
    client, secret, settings, lake, monkeypatch
):
    settings.API_REFUSALS_PER_MINUTE = 3
    monkeypatch.setattr(refusals, "_now", lambda: 6_000_015.0)  # 45 s before the minute ends
    payload = {"body": "E23000036", "table": "crimes", "records": [crime(1)]}
    answers = [post(client, "jj_not-a-token", payload) for _ in range(6)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429, 429, 429]
    assert answers[-1]["Retry-After"] == "45"
    assert AuditEvent.objects.filter(action="api.refused").count() == 3
    throttled = AuditEvent.objects.get(action="api.throttled")
    assert throttled.detail == {"address": "127.0.0.1"} and throttled.outcome == "refused"
    assert post(client, secret, payload).status_code == 200
    monkeypatch.setattr(refusals, "_now", lambda: 6_000_061.0)  # the next minute
    assert post(client, "jj_not-a-token", payload).status_code == 401


def test_a_token_lasts_a_lifetime_on_offer_only(submitter):
    with pytest.raises(ValueError, match="30, 90, 180, 365 days, not 3650"):
        actions.issue_token(by=submitter, body_code="E23000036", name="for ever", days=3650)
    assert not ApiToken.objects.exists()


def test_a_deactivated_bodys_tokens_read_nothing(client, secret, lake):
    post(client, secret, {"body": "E23000036", "table": "crimes", "records": [crime(1)]})
    submission = Submission.objects.get()
    token = ApiToken.objects.select_related("body").get()
    token.body.is_active = False
    token.body.save()
    headers = {"Authorization": f"Bearer {secret}"}
    for address in ("/api/submissions", f"/api/submissions/{submission.pk}"):
        assert client.get(address, headers=headers).status_code == 401
    refused = AuditEvent.objects.filter(action="api.refused").latest("at")
    assert refused.purpose == "the token's body is deactivated"


@pytest.mark.parametrize(
    ("header", "reason"),
    [(None, "no token"), ("Token abc", "not a bearer token"), ("Bearer ", "not a bearer token")],
)
def test_a_call_without_a_bearer_token_is_refused_and_audited(client, header, reason):
    headers = {"Authorization": header} if header is not None else {}
    assert client.get("/api/submissions", headers=headers).status_code == 401
    refused = AuditEvent.objects.get(action="api.refused")
    assert (refused.purpose, refused.target, refused.outcome) == (reason, "/api/submissions", "refused")


@pytest.mark.parametrize("value", [{"a": 1}, ["P2"], float("nan")])
def test_a_value_no_cell_could_hold_refuses_the_batch_naming_record_and_field(client, secret, lake, value):
    records = [crime(1), {**crime(2), "person_ref": value}]
    response = client.post(
        "/api/submissions",
        json.dumps({"body": "E23000036", "table": "crimes", "records": records}, allow_nan=True),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 422
    assert response.json()["reason"] == (
        "record 2, field person_ref: a value must be text, a number, true, false or null"
    )
    assert lake("SELECT count(*) FROM crimes") == [(0,)]


def test_token_cannot_submit_for_another_body(client, secret):
    response = post(client, secret, {"body": "E23000005", "table": "crimes", "records": [crime(1)]})
    assert response.status_code == 403
    assert not Submission.objects.exists()
    refusal = AuditEvent.objects.get(action="submission.refused")
    assert (refusal.outcome, refusal.target) == ("refused", "body:E23000005")


def test_unknown_field_rejects_the_batch_naming_the_record_and_the_field(client, secret):
    records = [crime(1), {**crime(2), "notes": "1"}]
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": records})
    assert response.status_code == 422
    assert response.json()["reason"].startswith(
        "record 2, field notes: the crimes table has no such field; its fields are crime_ref, force, "
    )


def test_file_upload_and_listing(client, secret, tmp_path):
    path = write_csv(tmp_path / "crimes.csv", [crime(1)], header=HEADERS["crimes"])
    with path.open("rb") as handle:
        response = client.post(
            "/api/submissions/file",
            {"file": handle, "body": "E23000036", "dry_run": "true"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 200
    assert response.json()["status"] == "validated"
    listing = client.get("/api/submissions", headers={"Authorization": f"Bearer {secret}"}).json()
    assert [s["file_name"] for s in listing] == ["crimes.csv"]


def test_a_file_over_the_size_limit_is_refused_and_nothing_is_stored(client, secret, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "crimes.csv", [crime(1)], header=HEADERS["crimes"])
    monkeypatch.setattr(actions, "MAX_UPLOAD_BYTES", path.stat().st_size - 1)
    with path.open("rb") as handle:
        response = client.post(
            "/api/submissions/file",
            {"file": handle, "body": "E23000036"},
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert response.status_code == 413
    assert "smaller than 500 MB" in response.json()["detail"]
    assert not Submission.objects.exists()


def test_every_submission_is_listed_a_page_at_a_time(client, secret, tmp_path):
    for n in range(5):
        path = write_csv(tmp_path / f"crimes-{n}.csv", [crime(n)], header=HEADERS["crimes"])
        with path.open("rb") as handle:
            client.post(
                "/api/submissions/file",
                {"file": handle, "body": "E23000036", "dry_run": "true"},
                headers={"Authorization": f"Bearer {secret}"},
            )
    auth = {"Authorization": f"Bearer {secret}"}

    def names(**page):
        return [s["file_name"] for s in client.get("/api/submissions", page, headers=auth).json()]

    assert names(limit=2) == ["crimes-4.csv", "crimes-3.csv"]
    assert names(limit=2, offset=2) == ["crimes-2.csv", "crimes-1.csv"]
    assert names(limit=2, offset=4) == ["crimes-0.csv"]
    assert names(offset=5) == []
    for wrong in ({"limit": 0}, {"limit": 501}, {"offset": -1}, {"offset": 9223372036854775808}):
        response = client.get("/api/submissions", wrong, headers=auth)
        assert response.status_code == 422, wrong
        assert list(wrong) == [response.json()["detail"][0]["loc"][-1]]


def test_no_token_no_access(client, bodies):
    assert client.get("/api/submissions").status_code == 401


def test_openapi_documents_the_submission_api(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/submissions" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_only_administrators_or_the_bodys_submitter_issue_tokens(bodies):
    analyst = people.user("analyst", role=Role.ANALYST)
    with pytest.raises(actions.SubmissionRefused):
        actions.issue_token(by=analyst, body_code="E23000036", name="x")
    admin = people.user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ")
    token, _secret = actions.issue_token(by=admin, body_code="E23000005", name="for GMP")
    assert token.body.code == "E23000005"
    with pytest.raises(actions.SubmissionRefused):  # the ministry sends no data: a token would be of no use
        actions.issue_token(by=admin, body_code="MOJ", name="x")


def test_an_administrator_chooses_the_body_whose_tokens_to_manage(client, bodies):
    client.force_login(people.user("admin", role=Role.ADMINISTRATOR, organisation_code="MOJ"))
    home = client.get("/standard/").content.decode()
    assert 'href="/submissions/tokens/"' in home  # in the navigation
    chooser = client.get("/submissions/tokens/").content.decode()
    assert "Which body&#x27;s tokens?" in chooser and "Greater Manchester" in chooser
    assert "Ministry of Justice" not in chooser
    refused = client.get("/submissions/tokens/", {"body": "MOJ"}).content.decode()
    assert "Select a body that sends data" in refused
    page = client.get("/submissions/tokens/", {"body": "E23000005"}).content.decode()
    assert "Greater Manchester (E23000005)" in page and "This body has no tokens yet." in page
    assert "Choose another body" in page and "Back to submissions" not in page
    client.post("/submissions/tokens/?body=E23000005", {"name": "nightly export", "days": "90"})
    assert ApiToken.objects.get().body.code == "E23000005"


def test_a_submission_says_whether_the_figures_count_it_yet(
    client, secret, django_capture_on_commit_callbacks
):
    payload = {"body": "E23000036", "table": "crimes", "records": [crime(1)]}
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, secret, payload).json()
    again = post(client, secret, payload).json()
    auth = {"Authorization": f"Bearer {secret}"}

    answer = client.get(f"/api/submissions/{first['id']}", headers=auth).json()
    assert (answer["figures"], answer["figures_period"]) == ("waiting", "")  # until the worker runs it
    assert (again["unchanged"], again["figures"]) == (1, "unchanged")
    listing = client.get("/api/submissions", headers=auth).json()
    assert [s["figures"] for s in listing] == [None, None]


def test_a_request_larger_than_the_service_reads_is_answered_413(client, secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    records = [crime(n) for n in range(1, 5_001)]  # about 1.3 MB of JSON
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": records})
    assert response.status_code == 413
    assert response.json()["detail"] == (
        "the request is larger than 1 MB; send fewer records per request, or upload a file"
    )
    assert not Submission.objects.exists()


def test_a_very_long_rejected_value_is_answered_shortened_and_the_good_records_once(client, secret, lake):
    records = [crime(1), crime(2, offence_group="x" * 500_000)]
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": records})
    assert response.status_code == 200
    answer = response.json()
    assert (answer["status"], answer["accepted"], answer["rejected"]) == ("stored", 1, 1)
    shortened = "x" * 200 + "… (500,000 characters)"
    assert [(e["row"], e["column"], e["value"]) for e in answer["errors"]] == [
        (2, "offence_group", shortened)
    ]
    again = client.get(f"/api/submissions/{answer['id']}", headers={"Authorization": f"Bearer {secret}"})
    assert again.status_code == 200 and again.json()["errors"][0]["value"] == shortened
    assert lake("SELECT crime_ref FROM crimes") == [("C1",)]


def test_a_nul_character_in_a_value_refuses_the_batch_naming_record_and_field(client, secret, lake):
    records = [crime(1), crime(2, crime_ref="AUDN/x\x00y")]
    response = post(client, secret, {"body": "E23000036", "table": "crimes", "records": records})
    assert response.status_code == 422
    assert response.json()["reason"] == (
        "record 2, field crime_ref: a value must not hold a NUL character (\\u0000)"
    )
    assert lake("SELECT count(*) FROM crimes") == [(0,)]


def test_a_file_name_longer_than_the_file_system_allows_is_checked_and_kept_as_sent(client, secret, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    name = "crimes-" + "é" * 200 + ".csv"  # 411 bytes: more than a file name may have on disk
    content = write_csv(tmp_path / "crimes.csv", [crime(1)]).read_bytes()
    response = client.post(
        "/api/submissions/file",
        {"file": SimpleUploadedFile(name, content), "body": "E23000036", "dry_run": "true"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["file_name"]) == ("validated", name)


def test_a_file_for_another_body_is_refused_and_audited_before_its_type_is_looked_at(client, secret):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/submissions/file",
        {"body": "E23000005", "file": SimpleUploadedFile("notes.txt", b"hello")},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 403
    assert AuditEvent.objects.get(action="submission.refused").target == "body:E23000005"


def test_a_rejected_value_is_answered_as_it_was_sent_without_a_spreadsheet_apostrophe(client, secret):
    records = [crime(1, offence_group="-1"), crime(2, offence_group="'quoted")]
    answer = post(client, secret, {"body": "E23000036", "table": "crimes", "records": records}).json()
    assert [error["value"] for error in answer["errors"]] == ["-1", "'quoted"]


@pytest.mark.parametrize(
    "fields",
    [
        {"table": "bogus", "records": [crime(1)]},
        {"table": "crimes", "records": "not a list"},
        {"table": "crimes", "records": [crime(1)], "dry_run": "maybe"},
    ],
)
def test_a_batch_for_another_body_is_refused_and_audited_whatever_else_is_wrong_with_it(
    client, secret, fields
):
    response = post(client, secret, {"body": "E23000005", **fields})
    assert response.status_code == 403 and response.json() == {
        "detail": "this token cannot submit for that body"
    }
    assert AuditEvent.objects.get(action="submission.refused").target == "body:E23000005"
    # For its own body, the same mistakes are answered 422, naming the field.
    mistaken = post(client, secret, {"body": "E23000036", **fields})
    assert mistaken.status_code == 422 and mistaken.json()["detail"][0]["loc"][0] == "body"
    assert AuditEvent.objects.filter(action="submission.refused").count() == 1


@pytest.mark.parametrize("fields", [{"table": "bogus"}, {"dry_run": "maybe"}])
def test_a_file_for_another_body_is_refused_and_audited_whatever_else_is_wrong_with_it(
    client, secret, fields
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sent = {"body": "E23000005", "file": SimpleUploadedFile("crimes.csv", b"crime_ref\n"), **fields}
    response = client.post("/api/submissions/file", sent, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(action="submission.refused").target == "body:E23000005"
    # Without a file at all, too.
    response = client.post(
        "/api/submissions/file", {"body": "E23000005"}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 403 and AuditEvent.objects.filter(action="submission.refused").count() == 2


def test_the_summary_of_a_failed_or_unfinished_submission_does_not_give_counts_it_does_not_have(
    client, secret
):
    from accounts.models import Organisation

    body = Organisation.objects.get(code="E23000036")
    for status, reason in [
        ("failed", actions.ABANDONED),
        ("stored", actions.ABANDONED_AFTER_STORING),
        ("processing", ""),
    ]:
        Submission.objects.create(
            body=body, file_name=f"{status}.csv", table="crimes", submitted_by_label="x", source="api",
            status=status, reason=reason,
        )  # fmt: skip
    summaries = {
        answer["file_name"]: answer["summary"]
        for answer in client.get("/api/submissions", headers={"Authorization": f"Bearer {secret}"}).json()
    }
    assert summaries == {
        "failed.csv": f"failed.csv: failed: {actions.ABANDONED}",
        "stored.csv": f"stored.csv: stored: {actions.ABANDONED_AFTER_STORING}",
        "processing.csv": "processing.csv: being checked and stored",
    }
