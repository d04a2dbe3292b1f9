"""The submission API: a body's systems send records as JSON, or a file, with a bearer token.

Tokens are issued on the Submissions pages; each belongs to one body and can submit only for it.
"""

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.http.request import RawPostDataException
from ninja import File, Form, Query, Router, Schema, Status
from ninja.errors import Throttled
from ninja.files import UploadedFile
from ninja.security import HttpBearer

from accounts.audit import record
from accounts.models import AuditEvent
from analytics.ingest import FileRejected, file_format
from journeys import actions, queries, refusals, workspace
from journeys.figures import figures_of
from journeys.models import ApiToken, Submission

MAX_RECORDS = 100_000
ERRORS_SHOWN = 100
MAX_LISTED = 500
MAX_OFFSET = 1_000_000_000
Table = Literal["victims", "crimes", "events", "returns"]


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> ApiToken | None:
        given = request.headers.get(self.header, "")
        scheme, _, token = given.partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            # Answered 401 before `authenticate` is reached: recorded here, as every refused call is.
            _refused(request, "no token" if not given else "not a bearer token")
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = actions.token_for(token)
        if found is None:
            _refused(request, actions.token_refusal(token), detail={"token": token[:10]})
        return found


def _refused(request: HttpRequest, reason: str, *, detail: dict[str, str] | None = None) -> None:
    """Records a call refused for its token. Beyond the limit in a minute from one address, the call is
    answered 429 and not recorded (the first one over the limit is, once), so that nobody can fill the audit
    log by sending bad tokens."""
    address = request.META.get("REMOTE_ADDR", "")
    seen, wait = refusals.count(address)
    if seen > refusals.limit():
        if seen == refusals.limit() + 1:
            record(
                by=None,
                action="api.throttled",
                target=request.path,
                outcome=AuditEvent.Outcome.REFUSED,
                purpose=f"more than {refusals.limit()} refused calls in a minute; the rest of the minute's "
                "refusals from this address are answered 429 and not recorded",
                detail={"address": address},
                actor_label="api",
            )
        raise Throttled(wait=wait)
    record(
        by=None,
        action="api.refused",
        target=request.path,
        outcome=AuditEvent.Outcome.REFUSED,
        purpose=reason,
        detail=detail or {},
        actor_label="api",
    )


router = Router(tags=["Submissions"], auth=TokenAuth())


class RecordsIn(Schema):
    body: str
    table: Table
    dry_run: bool = False
    records: list[dict[str, Any]]


class RowErrorOut(Schema):
    row: int
    column: str
    value: str
    reason: str


class SubmissionOut(Schema):
    id: int
    body: str
    table: str
    file_name: str
    status: str
    reason: str
    submitted_at: datetime
    accepted: int
    rejected: int
    unchanged: int
    corrected: int
    events_without_crime: int
    errors: list[RowErrorOut]
    summary: str
    figures: str | None = None
    figures_period: str = ""
    figures_older_periods: list[str] = []


class Problem(Schema):
    detail: str


def _out(submission: Submission, *, errors: bool = True) -> dict[str, Any]:
    """One submission; `errors=False` (the list) leaves out its rejected rows and where its figures stand."""
    shown = list(queries.report_rows(submission, ERRORS_SHOWN)) if errors else []
    figures = figures_of(submission) if errors else None
    return {
        "id": submission.pk,
        "body": submission.body.code,
        "table": submission.table,
        "file_name": submission.file_name,
        "status": submission.status,
        "reason": submission.reason,
        "submitted_at": submission.submitted_at,
        "accepted": submission.accepted,
        "rejected": submission.rejected,
        "unchanged": submission.unchanged,
        "corrected": submission.corrected,
        "events_without_crime": submission.events_without_crime,
        "errors": [{**row, "row": int(row["row"])} for row in shown],
        "summary": submission.summary,
        "figures": figures.state.value if figures else None,
        "figures_period": figures.period if figures else "",
        "figures_older_periods": list(figures.older) if figures else [],
    }


def _actor(request: HttpRequest) -> actions.Actor:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return actions.Actor(user=None, label=f"api token {token.prefix}", token=token)


def _body_refused(request: HttpRequest, body_code: str) -> Status[dict[str, Any]] | None:
    """403 (audited) when the token may not submit for the body: asked first, so that a refusal is recorded
    whatever else is wrong with the request."""
    try:
        actions.check_may_submit(actor=_actor(request), body_code=body_code)
    except actions.SubmissionRefused:
        return Status(403, {"detail": "this token cannot submit for that body"})
    return None


SUBMITTING_ROUTES = ("submissions", "submissions/file")


def refused_before_validation(request: HttpRequest) -> dict[str, str] | None:
    """For a submission whose fields did not validate (an unknown table, records that are not a list, no file):
    the 403 answer, audited, when its token may not submit for the body it names, since that is checked before
    anything else in the request. None for any other request, which is answered 422 as usual."""
    token = getattr(request, "auth", None)
    route = request.resolver_match.route if request.resolver_match else ""
    if request.method != "POST" or not isinstance(token, ApiToken) or not route.endswith(SUBMITTING_ROUTES):
        return None
    if route.endswith("file"):
        body = request.POST.get("body")
    else:
        try:
            payload = json.loads(request.body)
        except (ValueError, RawPostDataException):
            return None
        body = payload.get("body") if isinstance(payload, dict) else None
    if not isinstance(body, str):
        return None
    refused = _body_refused(request, body)
    return refused.value if refused is not None else None


def _answer(submission: Submission) -> Status[dict[str, Any]]:
    return Status(422 if submission.status == Submission.Status.REJECTED else 200, _out(submission))


@router.post(
    "/submissions",
    response={200: SubmissionOut, 403: Problem, 413: Problem, 422: SubmissionOut},
    summary="Submit records as JSON",
)
def submit_records(request: HttpRequest, payload: RecordsIn) -> Any:
    """Validates the records against the minimum dataset and stores the good ones (unless `dry_run`).

    Each record is an object whose keys are the table's columns; a field left out is empty. The answer
    counts accepted, rejected, unchanged and corrected records and lists the first rejected ones.
    A whole batch refused (for example an unknown field) is answered with 422.
    """
    refused = _body_refused(request, payload.body)
    if refused is not None:
        return refused
    if len(payload.records) > MAX_RECORDS:
        return Status(413, {"detail": f"send at most {MAX_RECORDS} records per request, or upload a file"})
    try:
        submission = actions.submit(
            by=_actor(request),
            body_code=payload.body,
            file_name=f"api-{payload.table}.json",
            records=payload.records,
            table=payload.table,
            dry_run=payload.dry_run,
            source=Submission.Source.API,
        )
    except actions.SubmissionRefused:
        return Status(403, {"detail": "this token cannot submit for that body"})
    return _answer(submission)


@router.post(
    "/submissions/file",
    response={200: SubmissionOut, 403: Problem, 413: Problem, 422: SubmissionOut | Problem},
    summary="Submit a CSV, XLSX or Parquet file",
)
def submit_file(
    request: HttpRequest,
    file: File[UploadedFile],
    body: Form[str],
    table: Form[Table | None] = None,
    dry_run: Form[bool] = False,
) -> Any:
    """The same as the upload page: the table comes from `table` or from the start of the file name."""
    refused = _body_refused(request, body)
    if refused is not None:
        return refused
    name = Path(file.name or "upload").name
    try:
        file_format(name)
    except FileRejected as rejection:
        return Status(422, {"detail": rejection.reason})
    if (file.size or 0) > actions.MAX_UPLOAD_BYTES:
        return Status(413, {"detail": "the file must be smaller than 500 MB; send it in parts"})
    with workspace.receiving(Path(settings.DATA_DIR)) as folder:
        path = actions.scratch_path(folder, name)
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        try:
            submission = actions.submit(
                by=_actor(request),
                body_code=body,
                file_name=name,
                path=path,
                table=table,
                dry_run=dry_run,
                source=Submission.Source.API,
            )
        except actions.SubmissionRefused:
            return Status(403, {"detail": "this token cannot submit for that body"})
    return _answer(submission)


@router.get("/submissions", response=list[SubmissionOut], summary="The body's submissions, newest first")
def list_submissions(
    request: HttpRequest,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED, description="How many to list")] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="How many of the newest to skip")] = 0,
) -> Any:
    """A page of the body's submissions: every one is reachable by stepping `offset` on by `limit` until a
    page comes back shorter than `limit`."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return [_out(s, errors=False) for s in queries.submissions_of(token.body)[offset : offset + limit]]


@router.get(
    "/submissions/{submission_id}", response={200: SubmissionOut, 404: Problem}, summary="One submission"
)
def get_submission(request: HttpRequest, submission_id: int) -> Any:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    submission = queries.submissions_of(token.body).filter(pk=submission_id).first()
    if submission is None:
        return Status(404, {"detail": "no such submission for this body"})
    return Status(200, _out(submission))
