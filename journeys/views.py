"""Submitter pages: send a file, see the history of submissions, download rejected rows, manage API tokens."""

import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from accounts.access import can_administer, refuse, role_required
from accounts.models import Organisation, Role, User
from config.paging import paged
from journeys import actions, queries, workspace
from journeys.figures import figures_of
from journeys.forms import MappingForm, TokenBodyForm, TokenForm, UploadForm
from journeys.models import TOKEN_EXPIRY_WARNING, ApiToken, Submission

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 100_000
ERRORS_SHOWN = 50
# A body sending each table every night has about a year of files in 1,100 submissions.
SUBMISSIONS_PER_PAGE = 50
MAPPINGS_PER_PAGE = 200


def _body(request: HttpRequest) -> Organisation:
    user = request.user
    assert isinstance(user, User) and user.organisation is not None  # role_required let them through
    return user.organisation


@role_required(Role.SUBMITTER)
@require_safe
def submission_list(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    listed = paged(request, queries.submissions_of(body), SUBMISSIONS_PER_PAGE)
    return render(
        request,
        "journeys/list.html",
        {"body": body, "submissions": listed["page"].object_list, **listed},
    )


@role_required(Role.SUBMITTER)
def upload(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        actor = actions.Actor(user=request.user, label=request.user.get_username())  # type: ignore[arg-type]
        asked = request.POST.get("body", "")
        if asked and asked != body.code:
            # Refused (and audited) whatever else is wrong with the form, as the API does.
            try:
                actions.check_may_submit(actor=actor, body_code=asked)
            except actions.SubmissionRefused:
                return refuse(request, reason="submit for another body", detail={"body": asked})
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            name = Path(upload_file.name).name
            try:
                with workspace.receiving(Path(settings.DATA_DIR)) as folder:
                    path = actions.scratch_path(folder, name)
                    with path.open("wb") as handle:
                        for chunk in upload_file.chunks():
                            handle.write(chunk)
                    submission = actions.submit(
                        by=actor,
                        body_code=form.cleaned_data["body"],
                        file_name=name,
                        path=path,
                        table=form.cleaned_data["table"] or None,
                        dry_run=form.cleaned_data["dry_run"],
                        source=Submission.Source.WEB,
                    )
            except actions.SubmissionRefused:
                return refuse(
                    request, reason="submit for another body", detail={"body": form.cleaned_data["body"]}
                )
            return redirect("journeys:detail", submission_id=submission.pk)
    else:
        form = UploadForm(initial={"body": body.code})
    return render(request, "journeys/upload.html", {"body": body, "form": form})


def _own_submission(request: HttpRequest, submission_id: int) -> Submission:
    return get_object_or_404(queries.submissions_of(_body(request)), pk=submission_id)


@role_required(Role.SUBMITTER)
@require_safe
def detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _own_submission(request, submission_id)
    errors = list(queries.report_rows(submission, ERRORS_SHOWN))
    return render(
        request,
        "journeys/detail.html",
        {
            "submission": submission,
            "errors": errors,
            "more_errors": submission.error_count > len(errors),
            "figures": figures_of(submission),
        },
    )


@role_required(Role.SUBMITTER)
@require_safe
def rejected_rows_csv(request: HttpRequest, submission_id: int) -> HttpResponse:
    submission = _own_submission(request, submission_id)
    path = queries.report_path(submission)
    if path is None:
        raise Http404(_("This submission has no rejected rows."))
    return FileResponse(  # type: ignore[return-value]  # streamed, not held in memory
        path.open("rb"),
        as_attachment=True,
        filename=f"rejected-rows-{submission.pk}.csv",
        content_type="text/csv",
    )


def _xlsx_text(text: str | None) -> str | None:
    """A worksheet cannot hold control characters (a file may send them): each is shown as U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text) if text else text


def _text_cell(sheet: Any, text: str | None) -> Any:
    """A cell holding `text` as text, whatever it starts with: a worksheet never runs it as a formula, and
    shows it as it was sent."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    if text:
        cell.data_type = "s"
    return cell


@role_required(Role.SUBMITTER)
@require_safe
def rejected_rows_xlsx(request: HttpRequest, submission_id: int) -> HttpResponse:
    from openpyxl import Workbook

    submission = _own_submission(request, submission_id)
    if queries.report_path(submission) is None:
        raise Http404(_("This submission has no rejected rows."))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rejected rows"))
    sheet.append(["file", "row", "column", "value", "reason"])
    # A workbook takes seconds per hundred thousand rows to build: beyond that the CSV, which has every row.
    for listed, row in enumerate(queries.report_rows(submission, limit=XLSX_MAX_ROWS + 1), start=1):
        if listed > XLSX_MAX_ROWS:
            sheet.append([_("More rejected rows are in the CSV download, which has every one.")])
            break
        cells = (row["file"], row["column"], row["value"], row["reason"])
        file, column, value, reason = (_text_cell(sheet, _xlsx_text(cell)) for cell in cells)
        sheet.append([file, int(row["row"]), column, value, reason])
    # Built in a temporary file and sent from it, so a large report never sits whole in memory.
    built = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    workbook.save(built)
    built.seek(0)
    return FileResponse(  # type: ignore[return-value]  # streamed, not held in memory
        built, as_attachment=True, filename=f"rejected-rows-{submission.pk}.xlsx", content_type=XLSX_TYPE
    )


@role_required(Role.SUBMITTER, Role.ADMINISTRATOR)
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if user.role == Role.ADMINISTRATOR:
        # An administrator manages any sending body's tokens: first, which one.
        chosen = TokenBodyForm(request.GET or None)
        if not chosen.is_valid():
            return render(request, "journeys/token_bodies.html", {"form": chosen})
        body_code = chosen.cleaned_data["body"].code
    else:
        body_code = request.GET.get("body") or (user.organisation.code if user.organisation else "")
    if not actions.may_manage_tokens(user, body_code):
        return refuse(request, reason="manage tokens for another body", detail={"body": body_code})
    body = get_object_or_404(Organisation, code=body_code)
    secret = ""
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            _token, secret = actions.issue_token(
                by=user, body_code=body.code, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
            form = TokenForm()
    else:
        form = TokenForm()
    tokens = list(queries.tokens_of(body))
    return render(
        request,
        "journeys/tokens.html",
        {
            "body": body,
            "form": form,
            "secret": secret,
            "tokens": tokens,
            "expiring": [token for token in tokens if token.revoked_at is None and token.expires_soon],
            "warning_days": TOKEN_EXPIRY_WARNING.days,
            "own_body": user.role != Role.ADMINISTRATOR,
        },
    )


@role_required(Role.SUBMITTER, Role.ADMINISTRATOR)
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    token = ApiToken.objects.select_related("body").filter(pk=token_id).first()
    if token is None:
        # A submitter is answered for a missing token as for another body's: nothing tells whether one exists.
        if not can_administer(user):
            return refuse(request, reason="revoke another body's token", detail={"token_id": token_id})
        raise Http404
    try:
        actions.revoke_token(by=user, token=token)
    except actions.SubmissionRefused:
        return refuse(request, reason="revoke another body's token", detail={"token": token.prefix})
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    url = redirect("journeys:tokens").url
    return redirect(f"{url}?body={token.body.code}")


@role_required(Role.SUBMITTER)
def mappings(request: HttpRequest) -> HttpResponse:
    body = _body(request)
    if request.method == "POST":
        form = MappingForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            with workspace.receiving(Path(settings.DATA_DIR)) as folder:
                path = folder / "mappings.csv"
                with path.open("wb") as copy:
                    for chunk in uploaded.chunks():
                        copy.write(chunk)
                try:
                    count = actions.load_code_mappings(
                        by=request.user,  # type: ignore[arg-type]
                        body_code=body.code,
                        rows=actions.read_mapping_file(path),
                    )
                except actions.InvalidMapping as error:
                    form.add_error("file", f"{Path(uploaded.name).name}: {error}")
                else:
                    loaded = ngettext(
                        "%(count)d code mapping loaded.", "%(count)d code mappings loaded.", count
                    )
                    messages.success(request, loaded % {"count": count})
                    return redirect("journeys:mappings")
    else:
        form = MappingForm()
    listed = paged(request, queries.mappings_of(body), MAPPINGS_PER_PAGE)
    return render(request, "journeys/mappings.html", {"body": body, "form": form, **listed})
