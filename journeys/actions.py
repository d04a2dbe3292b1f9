"""Writes for journey data: submit a file or records, issue and revoke API tokens, load code mappings.

Each action takes the acting user as `by=` (None for a system process, named by `actor_label`), writes one
audit event, and leaves validation and storage to the Django-free core in `analytics.ingest`.
"""

import csv
import hashlib
import importlib
import logging
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.audit import record
from accounts.models import AuditEvent, Organisation, OrganisationKind, User
from analytics import ingest as core
from analytics.ingest.lake import commit_marker
from analytics.ingest.sources import first_non_utf8, how_many_values, lift_csv_field_limit, other_separator
from analytics.standard import TABLE_NAMES, load_standard
from journeys import workspace
from journeys.models import TOKEN_LIFETIMES, ApiToken, CodeMapping, Submission

STANDARD_VERSION = "1"
logger = logging.getLogger(__name__)
# The largest file one upload or API call may send (a quarter of a large force's events is far smaller).
MAX_UPLOAD_BYTES = 500 * 1024 * 1024
TOKEN_PREFIX = "jj_"  # noqa: S105 - a marker that helps secret scanners, not a secret
_NOT_BODIES = (OrganisationKind.LOCAL_POLICING_BODY, OrganisationKind.NATIONAL)
# Crimes are recorded by the police: every other body keys its events to the crimes a force recorded.
_RECORDS_CRIMES = (OrganisationKind.POLICE_FORCE, OrganisationKind.NON_TERRITORIAL_FORCE)


class SubmissionRefused(PermissionError):
    """The actor may not submit for that body; the refusal is in the audit log."""


@dataclass(frozen=True)
class Actor:
    """Who is submitting: a signed-in user, an API token, or the command line."""

    user: User | None
    label: str
    token: ApiToken | None = None


def _refuse(*, actor: Actor, body_code: str, action: str, reason: str) -> SubmissionRefused:
    record(
        by=actor.user,
        action=action,
        target=f"body:{body_code}",
        outcome=AuditEvent.Outcome.REFUSED,
        purpose=reason,
        detail={"token": actor.token.prefix} if actor.token else {},
        actor_label=actor.label,
    )
    return SubmissionRefused(reason)


def check_may_submit(*, actor: Actor, body_code: str) -> Organisation:
    """The body, if `actor` may submit for it; otherwise refuses, audits and raises SubmissionRefused."""
    if actor.token is not None:
        allowed = actor.token.is_active and actor.token.body.code == body_code
    elif actor.user is not None:
        allowed = access.can_submit_for(actor.user, body_code)
    else:
        allowed = True  # the command line runs as the service itself, on the server
    body = Organisation.objects.filter(code=body_code, is_active=True).exclude(kind__in=_NOT_BODIES).first()
    if not allowed or body is None:
        reason = (
            "not a submitter for this body" if body is not None or not allowed else "no such submitting body"
        )
        raise _refuse(actor=actor, body_code=body_code, action="submission.refused", reason=reason)
    return body


def covered_forces(body: Organisation) -> frozenset[str]:
    """The police force areas `body` may send rows for: those it serves (from the reference data) and, for a
    body that is not a police force, the non-territorial forces' too (British Transport Police, MoD Police),
    whose cases go to the CPS area, Witness Care Unit, court and probation region where they arise."""
    served = set(body.forces.values_list("code", flat=True))
    if body.kind not in _RECORDS_CRIMES:
        served |= set(
            Organisation.objects.filter(kind=OrganisationKind.NON_TERRITORIAL_FORCE).values_list(
                "code", flat=True
            )
        )
    return frozenset(served)


def code_maps(body: Organisation, table: str) -> dict[str, dict[str, str]]:
    maps: dict[str, dict[str, str]] = {}
    for column, local, standard in CodeMapping.objects.filter(body=body, table=table).values_list(
        "column", "local_code", "standard_code"
    ):
        maps.setdefault(column, {})[local] = standard
    return maps


def _identity_for(body: str, by: Actor, submission: int) -> core.pipeline.Identity:
    from identity.services import VictimIdentity, register_victims

    def register(people: list[dict[str, Any]]) -> Mapping[str, tuple[str, bool]]:
        corrected: set[str] = set()
        numbers = register_victims(
            body=body,
            records=[VictimIdentity(**person) for person in people],
            by=by.user,
            corrected=corrected,
            submission=submission,
            actor_label=by.label,
        )
        return {person_ref: (number, person_ref in corrected) for person_ref, number in numbers.items()}

    return register


def _age_bands(keys: list[tuple[str, str, date]]) -> Mapping[tuple[str, str, date], str]:
    from identity.services import age_bands

    return {key: band for key, band in zip(keys, age_bands(keys), strict=True) if band is not None}


def _enqueue_recompute(submission: Submission) -> None:
    try:
        tasks = importlib.import_module("compliance.tasks")
    except ImportError:
        return
    recompute = getattr(tasks, "recompute", None)
    if recompute is None:
        return

    def enqueue() -> None:
        # The submission is stored whatever happens here; a failed recompute is logged, never raised.
        try:
            recompute.enqueue(body=submission.body.code, submission=submission.pk)
        except Exception:
            logger.exception("could not enqueue the compliance recompute for submission %s", submission.pk)

    transaction.on_commit(enqueue)


def _failure_reason(error: BaseException) -> str:
    return (
        f"the service failed while storing the file ({type(error).__name__}), and stored nothing from it; send it "
        "again later, and if it fails again, administrators can see why in the service's log"
    )


def scratch_path(folder: Path, name: str) -> Path:
    """Where an uploaded file is kept while it is checked: named by its format alone, since a submitted name
    may be longer than the file system allows (255 bytes: 128 accented letters) or hold any character."""
    return folder / f"submitted{Path(name).suffix.lower()}"


FILE_NAME_MAX = Submission._meta.get_field("file_name").max_length or 255


def shown_name(name: str) -> str:
    """The submitted file name as the submission keeps it: shortened in the middle, keeping its end (the format),
    when it is longer than FILE_NAME_MAX characters."""
    name = Path(name).name
    if len(name) <= FILE_NAME_MAX:
        return name
    suffix = Path(name).suffix[:16]
    return name[: FILE_NAME_MAX - len(suffix) - 1] + "…" + suffix


def submit(
    *,
    by: Actor,
    body_code: str,
    file_name: str,
    path: Path | None = None,
    records: Sequence[Mapping[str, Any]] | None = None,
    table: str | None = None,
    dry_run: bool = False,
    source: str = Submission.Source.WEB,
    progress: Callable[[str, float], None] | None = None,
    recompute: bool = True,
) -> Submission:
    """Validates and (unless `dry_run`) stores one file or batch of records for `body_code`.

    A stored submission enqueues the compliance recompute for its body; a bulk load that computes every
    figure itself at the end (the demo) passes `recompute=False`.

    Returns the Submission, whose status says whether it was stored, rejected whole, or only checked.
    Raises SubmissionRefused (audited) when the actor may not submit for the body.
    """
    body = check_may_submit(actor=by, body_code=body_code)
    sweep_abandoned()
    standard = load_standard(STANDARD_VERSION)
    table_name = table or core.table_from_name(file_name, TABLE_NAMES) or ""
    submission = Submission.objects.create(
        body=body,
        submitted_by=by.user,
        submitted_by_label=by.label[:150],
        source=source,
        file_name=shown_name(file_name),
        checksum=core.file_checksum(path) if path is not None else "",
        table=table_name if table_name in TABLE_NAMES else "",
        standard_version=standard.version,
        dry_run=dry_run,
    )
    folder = ExitStack()
    work_dir = folder.enter_context(workspace.working_folder(Path(settings.DATA_DIR), submission.pk))
    try:
        if table_name not in TABLE_NAMES:
            raise core.FileRejected(
                "the table is not named: start the file name with victims, crimes, events or returns "
                "(for example crimes-2025-06.csv), or name the table (--table on the command line, the table field "
                "on the page and in the API)"
                if not table
                else f"there is no table called {table!r}; the tables are {', '.join(TABLE_NAMES)}"
            )
        if table_name == "crimes" and body.kind not in _RECORDS_CRIMES:
            raise core.FileRejected(
                f"only police forces send crimes, and {body.name} is not one: send the events of the crimes "
                "a force recorded, keyed to its force and crime_ref"
            )
        con = core.open_connection(work_dir)
        try:
            result = core.ingest(
                con,
                path=path,
                records=records,
                file_name=submission.file_name,
                schema=core.table_schema(standard, table_name),
                body=body.code,
                submission=submission.pk,
                lake_dir=Path(settings.LAKE_DIR),
                work_dir=work_dir,
                code_maps=code_maps(body, table_name),
                forces=covered_forces(body),
                identity=_identity_for(body.code, by, submission.pk),
                age_bands=_age_bands,
                dry_run=dry_run,
                progress=progress,
            )
        finally:
            con.close()
    except core.FileRejected as rejection:
        _finish(submission, by, status=Submission.Status.REJECTED, reason=rejection.reason)
    except Exception as error:
        core.discard_uncommitted(Path(settings.LAKE_DIR), submission.pk)
        # The exception's own words can quote a value (a database naming the key it refused): the reason, which
        # the sender reads, keeps only its kind; the traceback goes to the service's log as the error rises.
        _finish(submission, by, status=Submission.Status.FAILED, reason=_failure_reason(error))
        raise
    else:
        if result.report_csv is not None:
            reports = Path(settings.DATA_DIR) / "reports"
            reports.mkdir(parents=True, exist_ok=True)
            target = reports / f"submission-{submission.pk}.csv"
            shutil.copyfile(result.report_csv, target)
            submission.report_file = str(target.relative_to(settings.DATA_DIR))
        for name in (
            "rows",
            "accepted",
            "rejected",
            "unchanged",
            "corrected",
            "events_without_crime",
            "error_count",
        ):
            setattr(submission, name, getattr(result, name))
        status = Submission.Status.VALIDATED if dry_run else Submission.Status.STORED
        _finish(submission, by, status=status, recompute=recompute)
    finally:
        folder.close()
    return submission


ABANDONED = "the service stopped while storing the file, and stored nothing from it; send it again"
ABANDONED_AFTER_STORING = (
    "the service stopped after storing the file's rows and before counting them: the rows are stored, and "
    "the counts of this submission are not known"
)


def sweep_abandoned() -> list[int]:
    """Tidies after submissions whose process died part-way (killed, or the machine stopped): removes the files
    their requests had received and their working folders, which can hold what the file held, personal data
    included; removes what they left in the event store unless they had committed it; and finishes them, failed
    (or stored, if they had committed).
    Runs before every submission. Returns the submissions' numbers."""
    lake_dir = Path(settings.LAKE_DIR)
    workspace.sweep_received(Path(settings.DATA_DIR))
    swept = []
    for number, working in workspace.abandoned(Path(settings.DATA_DIR)):
        core.discard_uncommitted(lake_dir, number)
        shutil.rmtree(working, ignore_errors=True)
        swept.append(number)
    service = Actor(user=None, label="service")
    finished = []
    for submission in Submission.objects.filter(
        pk__in=swept, status=Submission.Status.PROCESSING
    ).select_related("body"):
        finished.append(submission.pk)
        if commit_marker(lake_dir, submission.pk).exists():
            _finish(submission, service, status=Submission.Status.STORED, reason=ABANDONED_AFTER_STORING)
            _enqueue_recompute(submission)
        else:
            _finish(submission, service, status=Submission.Status.FAILED, reason=ABANDONED)
    if finished:
        logger.warning("Finished the submissions whose process stopped part-way: %s", finished)
    return swept


def _finish(
    submission: Submission,
    by: Actor,
    *,
    status: str,
    reason: str = "",
    recompute: bool = True,
) -> None:
    submission.status = status
    submission.reason = reason
    submission.finished_at = timezone.now()
    with transaction.atomic():
        submission.save()
        record(
            by=by.user,
            action="submission.dry_run" if submission.dry_run else "submission.create",
            target=f"submission:{submission.pk}",
            # Rejected whole or failed: nothing of it was stored.
            outcome=AuditEvent.Outcome.FAILED
            if status in (Submission.Status.FAILED, Submission.Status.REJECTED)
            else AuditEvent.Outcome.OK,
            detail={
                "body": submission.body.code,
                "table": submission.table,
                "file": submission.file_name,
                "status": status,
                "accepted": submission.accepted,
                "rejected": submission.rejected,
                "unchanged": submission.unchanged,
                "corrected": submission.corrected,
                **({"token": by.token.prefix} if by.token else {}),
            },
            actor_label=by.label,
        )
        if recompute and status == Submission.Status.STORED and (submission.accepted or submission.corrected):
            _enqueue_recompute(submission)


# API tokens


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_manage_tokens(user: User | None, body_code: str) -> bool:
    """The body's own submitters, and administrators for any body that sends data."""
    if access.can_administer(user):
        return access.submitting_organisations().filter(code=body_code).exists()
    return access.can_submit_for(user, body_code)


def issue_token(
    *, by: User, body_code: str, name: str, days: int = TOKEN_LIFETIMES[0]
) -> tuple[ApiToken, str]:
    """A new token for the body's systems, working for `days` days (one of TOKEN_LIFETIMES). The secret is
    returned once and never stored."""
    if days not in TOKEN_LIFETIMES:
        raise ValueError(
            f"a token lasts one of {', '.join(map(str, sorted(TOKEN_LIFETIMES)))} days, not {days}"
        )
    if not may_manage_tokens(by, body_code):
        raise _refuse(
            actor=Actor(by, by.get_username()), body_code=body_code, action="api_token.refused", reason="role"
        )
    body = Organisation.objects.get(code=body_code)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            body=body,
            name=name,
            prefix=secret[:10],
            token_hash=hash_token(secret),
            created_by=by,
            expires_at=timezone.now() + timedelta(days=days),
        )
        record(
            by=by,
            action="api_token.issue",
            target=f"api_token:{token.pk}",
            detail={"body": body_code, "expires": token.expires_at.date().isoformat()},
        )
    return token, secret


def revoke_token(*, by: User, token: ApiToken) -> ApiToken:
    if not may_manage_tokens(by, token.body.code):
        raise _refuse(
            actor=Actor(by, by.get_username()),
            body_code=token.body.code,
            action="api_token.refused",
            reason="role",
        )
    with transaction.atomic():
        current = ApiToken.objects.select_for_update().get(pk=token.pk)
        if current.revoked_at is not None:  # revoked already: nothing changes, and nothing is recorded again
            return current
        current.revoked_at = timezone.now()
        current.revoked_by = by
        current.save(update_fields=["revoked_at", "revoked_by"])
        record(
            by=by, action="api_token.revoke", target=f"api_token:{token.pk}", detail={"body": token.body.code}
        )
    return current


def token_for(secret: str) -> ApiToken | None:
    """The active token with this secret, with its last use recorded; None for an unknown, revoked or expired
    one, or one of a body that is deactivated (an inactive organisation may do nothing)."""
    token = (
        ApiToken.objects.select_related("body")
        .filter(
            token_hash=hash_token(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            body__is_active=True,
        )
        .first()
    )
    if token is not None:
        token.last_used_at = timezone.now()
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)
    return token


def token_refusal(secret: str) -> str:
    """Why `token_for` found no token for this secret, in the words the audit log records."""
    token = ApiToken.objects.select_related("body").filter(token_hash=hash_token(secret)).first()
    if token is None:
        return "unknown token"
    if token.revoked_at is not None:
        return "revoked token"
    if token.has_expired:
        return "expired token"
    return "the token's body is deactivated"


# Local code mappings


class InvalidMapping(ValueError):
    pass


LOCAL_CODE_MAX = CodeMapping._meta.get_field("local_code").max_length or 100


MAPPING_COLUMNS = ("table", "column", "local_code", "standard_code")


def read_mapping_file(path: Path) -> list[dict[str, str]]:
    """The rows of a mapping file; its errors leave naming the file to the caller, which knows its name."""
    lift_csv_field_limit()  # a local code longer than Python's default limit is refused as too long
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, strict=True)
            header = [name.strip() for name in next(reader, [])]
            refusal = other_separator(header, MAPPING_COLUMNS)
            if refusal is not None:
                raise InvalidMapping(refusal)
            if sorted(header) != sorted(MAPPING_COLUMNS):
                raise InvalidMapping(f"the header must be exactly {', '.join(MAPPING_COLUMNS)}")
            rows: list[dict[str, str]] = []
            for values in reader:
                if not values:  # a blank line is not a row
                    continue
                if len(values) != len(header):
                    raise InvalidMapping(
                        f"row {len(rows) + 1} (line {reader.line_num} of the file) has "
                        f"{how_many_values(len(values))} where the header has {len(header)}"
                    )
                row = {name: value.strip() for name, value in zip(header, values, strict=True)}
                # No code holds one, and a database such as PostgreSQL cannot store one in text.
                nul = next((name for name in MAPPING_COLUMNS if "\x00" in row[name]), None)
                if nul is not None:
                    raise InvalidMapping(
                        f"row {len(rows) + 1}, column {nul}: the file contains NUL bytes (zero bytes), so it is "
                        "not a text CSV file"
                    )
                rows.append(row)
            return rows
    except UnicodeDecodeError:
        raise InvalidMapping(
            f"the file is not UTF-8 encoded{_where_not_utf8(path)}; save it as 'CSV UTF-8 (comma delimited)'"
        ) from None
    except csv.Error as error:
        raise InvalidMapping(f"the file is not well-formed CSV ({error})") from None


def _where_not_utf8(path: Path) -> str:
    with path.open("rb") as raw:
        header = raw.readline()
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        return ": its header row has a character that is not"
    found = first_non_utf8(path)
    return f": row {found[0]}, column {found[1]}, has a character that is not" if found else ""


def load_code_mappings(
    *, by: User | None, body_code: str, rows: Iterable[Mapping[str, str]], actor_label: str = ""
) -> int:
    """Adds or replaces a body's local codes; every row is checked against the standard first."""
    if by is not None and not may_manage_tokens(by, body_code):
        raise _refuse(
            actor=Actor(by, by.get_username()),
            body_code=body_code,
            action="code_mapping.refused",
            reason="role",
        )
    body = Organisation.objects.get(code=body_code)
    standard = load_standard(STANDARD_VERSION)
    checked: list[tuple[str, str, str, str]] = []
    seen: dict[tuple[str, str, str], tuple[int, str]] = {}
    schemas: dict[str, core.TableSchema] = {}
    for number, row in enumerate(rows, start=1):
        table, column, local, wanted = row["table"], row["column"], row["local_code"], row["standard_code"]
        if table not in TABLE_NAMES:
            raise InvalidMapping(f"row {number}, column table: there is no table {table!r}")
        if table not in schemas:
            schemas[table] = core.table_schema(standard, table)
        schema = schemas[table]
        if column not in schema.names or not schema.column(column).codes:
            raise InvalidMapping(f"row {number}, column column: {table}.{column} is not a coded column")
        if wanted not in (schema.column(column).codes or ()):
            raise InvalidMapping(
                f"row {number}, column standard_code: {wanted!r} is not a code of {table}.{column}"
            )
        if not local or local == wanted:
            raise InvalidMapping(
                f"row {number}, column local_code: give a local code different from the standard one"
            )
        if local in (schema.column(column).codes or ()):
            # A file written exactly to the standard would have this code silently changed.
            raise InvalidMapping(
                f"row {number}, column local_code: {local!r} is itself a code of {table}.{column} in the standard, "
                "so it cannot stand for another"
            )
        if len(local) > LOCAL_CODE_MAX:
            raise InvalidMapping(f"row {number}, column local_code: longer than {LOCAL_CODE_MAX} characters")
        earlier = seen.setdefault((table, column, local), (number, wanted))
        if earlier[1] != wanted:
            raise InvalidMapping(
                f"row {number}, column local_code: {local!r} is mapped to {earlier[1]!r} on row {earlier[0]}; "
                "a local code means one standard code"
            )
        if earlier[0] == number:  # the same line again adds nothing
            checked.append((table, column, local, wanted))
    with transaction.atomic():
        # One statement per batch, adding new codes and replacing the meaning of known ones.
        CodeMapping.objects.bulk_create(
            [
                CodeMapping(
                    body=body,
                    table=table,
                    column=column,
                    local_code=local,
                    standard_code=wanted,
                    updated_by=by,
                )
                for table, column, local, wanted in checked
            ],
            batch_size=500,
            update_conflicts=True,
            unique_fields=["body", "table", "column", "local_code"],
            update_fields=["standard_code", "updated_by", "updated_at"],
        )
        record(
            by=by,
            action="code_mapping.load",
            target=f"body:{body_code}",
            detail={"rows": len(checked)},
            actor_label=actor_label,
        )
    return len(checked)
