"""Copies a Code version's files into the database: idempotent, in one transaction, audited when anything changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models, transaction

from accounts.audit import record
from analytics.standard import Standard, load_standard, read_standard
from standard.models import (
    Body,
    Code,
    CodeVersion,
    Column,
    EventType,
    LocalPolicingBody,
    Metric,
    Right,
    Table,
)

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class LoadResult:
    version: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
        }


def load_standard_version(*, version: str = "1", by: User | None = None, fresh: bool = False) -> LoadResult:
    """Makes the database's copy of one Code version match its files; a second run changes nothing.

    `fresh` re-reads the files rather than using the copy cached in this process.
    """
    standard = read_standard(load_standard(version).folder) if fresh else load_standard(version)
    result = LoadResult(version=standard.version)
    with transaction.atomic():
        code_version = _sync_code_version(standard, result)
        rights = _sync(
            Right,
            code_version,
            ("number",),
            {
                (right.number,): {
                    "title": right.title,
                    "summary": right.summary,
                    "responsible": right.responsible,
                }
                for right in standard.rights
            },
            result,
        )
        rights_by_number = {key[0]: right for key, right in rights.items()}
        _sync(
            Metric,
            code_version,
            ("code",),
            {
                (metric.id,): {
                    "right": rights_by_number[metric.right],
                    "kind": metric.kind,
                    "title": metric.title,
                    "trigger": metric.trigger,
                    "trigger_detail": metric.trigger_detail or "",
                    "responses": list(metric.responses),
                    "deadline_unit": metric.deadline_unit or "",
                    "deadline": metric.deadline,
                    "enhanced_deadline": metric.enhanced_deadline,
                    "responsible": metric.responsible,
                    "higher_is_better": metric.higher_is_better,
                    "description": metric.description,
                    "position": position,
                }
                for position, metric in enumerate(standard.metrics.values())
            },
            result,
        )
        tables = _sync(
            Table,
            code_version,
            ("name",),
            {
                (table.name,): {"key": list(table.key), "position": position}
                for position, table in enumerate(standard.tables.values())
            },
            result,
        )
        _sync(
            Column,
            code_version,
            ("table", "name"),
            {
                (tables[(table.name,)], column.name): {
                    "position": position,
                    "type": column.type,
                    "required": column.required,
                    "required_when": column.required_when or "",
                    "codelist": column.codelist or "",
                    "description": column.description,
                }
                for table in standard.tables.values()
                for position, column in enumerate(table.columns)
            },
            result,
        )
        _sync(
            Code,
            code_version,
            ("codelist", "code"),
            {
                (codelist, code): {
                    "label": label,
                    "group": standard.code_groups.get(codelist, {}).get(code, ""),
                    "position": position,
                }
                for codelist, codes in standard.codes.items()
                for position, (code, label) in enumerate(codes.items())
            },
            result,
        )
        _sync(
            EventType,
            code_version,
            ("code",),
            {
                (event.code,): {
                    "right": rights_by_number.get(event.right) if event.right is not None else None,
                    "detail_codelist": event.detail_codelist or "",
                    "description": event.description,
                    "position": position,
                }
                for position, event in enumerate(standard.event_types.values())
            },
            result,
        )
        bodies = _sync(Body, code_version, ("code",), _body_rows(standard), result)
        _sync_covered_forces(standard, bodies, result)
        _sync(
            LocalPolicingBody,
            code_version,
            ("body",),
            {
                (bodies[(body.code,)],): {
                    "role_holder_type": body.role_holder_type,
                    "role_holder": body.role_holder,
                }
                for body in standard.bodies.values()
                if body.body_type == "local_policing_body"
            },
            result,
        )
        if result.changed:
            record(
                by=by,
                action="standard.loaded",
                target=f"code version {standard.version}",
                detail=result.as_dict(),
                actor_label="load_standard",
            )
    return result


def _checksum(standard: Standard) -> str:
    digest = hashlib.sha256()
    for path in sorted(standard.folder.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sync_code_version(standard: Standard, result: LoadResult) -> CodeVersion:
    wanted = {
        "name": standard.code_version.name,
        "in_force_from": date.fromisoformat(standard.code_version.in_force_from)
        if standard.code_version.in_force_from
        else None,
        "description": standard.code_version.description,
        "checksum": _checksum(standard),
    }
    code_version = CodeVersion.objects.select_for_update().filter(version=standard.version).first()
    name = CodeVersion._meta.model_name or "codeversion"
    if code_version is None:
        result.created[name] = 1
        return CodeVersion.objects.create(version=standard.version, **wanted)
    changed = [field for field, value in wanted.items() if getattr(code_version, field) != value]
    if changed:
        for field_name in changed:
            setattr(code_version, field_name, wanted[field_name])
        code_version.save(update_fields=changed)
        result.updated[name] = 1
    return code_version


def _sync[M: models.Model](
    model: type[M],
    code_version: CodeVersion,
    key_fields: tuple[str, ...],
    wanted: dict[tuple[Any, ...], dict[str, Any]],
    result: LoadResult,
) -> dict[tuple[Any, ...], M]:
    """Creates, updates and deletes rows of one version so that they are exactly `wanted` (keyed by `key_fields`)."""
    name = model._meta.model_name or model.__name__
    attnames = {field.name: field.attname for field in model._meta.concrete_fields}
    existing: dict[tuple[Any, ...], M] = {
        tuple(getattr(row, attnames[key]) for key in key_fields): row
        for row in model._default_manager.filter(code_version=code_version)
    }
    created = updated = 0
    rows: dict[tuple[Any, ...], M] = {}
    for key, values in wanted.items():
        row = existing.pop(tuple(_stored(part) for part in key), None)
        if row is None:
            row = model._default_manager.create(
                code_version=code_version, **dict(zip(key_fields, key, strict=True)), **values
            )
            created += 1
        else:
            changed = [
                field for field, value in values.items() if getattr(row, attnames[field]) != _stored(value)
            ]
            if changed:
                for field_name in changed:
                    setattr(row, field_name, values[field_name])
                row.save(update_fields=changed)
                updated += 1
        rows[key] = row
    for row in existing.values():
        row.delete()
    result.created[name] = created
    result.updated[name] = updated
    result.deleted[name] = len(existing)
    result.totals[name] = len(rows)
    return rows


def _stored(value: Any) -> Any:
    """A value as the row stores it: a related row by its primary key."""
    return value.pk if isinstance(value, models.Model) else value


def _body_rows(standard: Standard) -> dict[tuple[Any, ...], dict[str, Any]]:
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for body in standard.bodies.values():
        force = standard.forces.get(body.code) if body.body_type.endswith("force") else None
        rows[(body.code,)] = {
            "name": body.name,
            "body_type": body.body_type,
            "country": body.country,
            "mapping_verified": body.mapping_verified,
            "notes": body.notes,
            "national_oversight": (force.national_oversight or "") if force else "",
            "annual_crimes": force.annual_crimes if force else None,
        }
    return rows


def _sync_covered_forces(standard: Standard, bodies: dict[tuple[Any, ...], Body], result: LoadResult) -> None:
    through = Body.forces.through
    existing = {
        (link.from_body_id, link.to_body_id)
        for link in through.objects.filter(from_body__in=[body.pk for body in bodies.values()])
    }
    wanted = {
        (bodies[(body.code,)].pk, bodies[(force,)].pk)
        for body in standard.bodies.values()
        for force in body.force_codes
    }
    missing = wanted - existing
    extra = existing - wanted
    through.objects.bulk_create(
        [through(from_body_id=left, to_body_id=right) for left, right in sorted(missing)]
    )
    for left, right in extra:
        through.objects.filter(from_body_id=left, to_body_id=right).delete()
    result.created["covered_force"] = len(missing)
    result.deleted["covered_force"] = len(extra)
    result.totals["covered_force"] = len(wanted)
