"""The minimum dataset as data: rights, metrics, tables, code lists and bodies of one Code version.

Everything here is read from the CSV files in `standard/data/v<version>/`; a new version of the Victims' Code is
a new folder, never a code change. Free of Django so that ingest, metrics and linkage can use it anywhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_ROOT = Path(__file__).resolve().parent.parent / "standard" / "data"

COLUMN_TYPES = frozenset({"string", "date", "datetime", "integer", "code", "flag"})
TABLE_NAMES = ("victims", "crimes", "events", "returns")
BODY_TYPES = (
    "police_force",
    "non_territorial_force",
    "cps_area",
    "witness_care_unit",
    "hmcts",
    "probation_region",
    "youth_justice_service",
    "local_policing_body",
)
# A metric's responsible body may also be the body that recorded the event counted (a complaint is made to the
# body it is about, whichever that is), which is no kind of organisation.
RECORDING_BODY = "recording_body"
NON_TERRITORIAL_FORCES = frozenset({"BTP", "MDP"})
ALL_FORCES = "*"


_RESPONSIBLE_RULE = re.compile(r"^(?P<then>\w+) if detail=(?P<detail>\w+) else (?P<otherwise>\w+)$")


class StandardFileError(ValueError):
    """A standard data file is wrong; the message names the file, row and column."""

    def __init__(self, path: Path, row: int | None, column: str | None, problem: str) -> None:
        self.path = path
        self.row = row
        self.column = column
        self.problem = problem
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Right:
    number: int
    title: str
    summary: str
    responsible: str = ""


@dataclass(frozen=True)
class Metric:
    id: str
    right: int
    kind: str  # obligation, proportion or count
    title: str
    trigger: str
    trigger_detail: str | None
    responses: tuple[str, ...]
    deadline_unit: str | None  # hours or working_days
    deadline: int | None
    enhanced_deadline: int | None
    responsible: str
    higher_is_better: bool | None
    description: str = ""  # the metric in one plain-English sentence

    def responsible_body_type(self, detail: str | None = None) -> str:
        """The body type that must respond, given the trigger's detail code where the rule depends on it."""
        rule = _RESPONSIBLE_RULE.match(self.responsible)
        if rule is None:
            return self.responsible
        return rule["then"] if detail == rule["detail"] else rule["otherwise"]

    @property
    def responsible_body_types(self) -> tuple[str, ...]:
        rule = _RESPONSIBLE_RULE.match(self.responsible)
        if rule is None:
            return (self.responsible,)
        return (rule["then"], rule["otherwise"])

    @property
    def responsible_detail(self) -> str | None:
        """The detail code that switches the responsible body, if any."""
        rule = _RESPONSIBLE_RULE.match(self.responsible)
        return rule["detail"] if rule else None


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    required_when: str | None
    codelist: str | None
    description: str

    @property
    def condition(self) -> tuple[str, str] | None:
        """`required_when` as (column, value): `jjn=` means "when jjn is empty"."""
        if self.required_when is None:
            return None
        other, _, value = self.required_when.partition("=")
        return other, value


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


@dataclass(frozen=True)
class EventType:
    code: str
    right: int | None  # None for journey events such as victim_withdrew
    detail_codelist: str | None
    description: str


@dataclass(frozen=True)
class Body:
    code: str
    name: str
    body_type: str
    force_codes: tuple[str, ...]
    country: str
    mapping_verified: bool = True
    role_holder_type: str | None = None  # local policing bodies only: pcc, pfcc, mayor, common_council
    role_holder: str | None = None
    notes: str = ""

    @property
    def forces(self) -> tuple[str, ...]:
        return self.force_codes


@dataclass(frozen=True)
class Force:
    code: str
    name: str
    country: str
    local_policing_body: str | None
    cps_area: str | None
    probation_region: str | None
    annual_crimes: int
    national_oversight: str | None
    witness_care_unit: str | None
    youth_justice_services: tuple[str, ...]

    @property
    def territorial(self) -> bool:
        return self.code not in NON_TERRITORIAL_FORCES


@dataclass(frozen=True)
class CodeVersion:
    version: str
    name: str
    in_force_from: str
    description: str


@dataclass(frozen=True)
class Standard:
    version: str
    code_version: CodeVersion
    rights: tuple[Right, ...]
    metrics: dict[str, Metric]
    tables: dict[str, Table]
    codes: dict[str, dict[str, str]]
    code_groups: dict[str, dict[str, str]]
    event_types: dict[str, EventType]
    bodies: dict[str, Body]
    forces: dict[str, Force]
    folder: Path = field(compare=False)

    def right(self, number: int) -> Right:
        for right in self.rights:
            if right.number == number:
                return right
        raise KeyError(number)

    def bodies_of_type(self, body_type: str) -> list[Body]:
        return [body for body in self.bodies.values() if body.body_type == body_type]


def available_versions(root: Path | None = None) -> list[str]:
    """The Code versions that have a folder, oldest first."""
    root = root or DATA_ROOT
    return sorted(
        (folder.name[1:] for folder in root.glob("v*") if folder.is_dir() and folder.name[1:].isdigit()),
        key=int,
    )


def load_standard(version: str = "1") -> Standard:
    """The standard of one Code version, read once per process."""
    return _load_standard(str(version))


@lru_cache(maxsize=8)
def _load_standard(version: str) -> Standard:
    folder = DATA_ROOT / f"v{version}"
    if not folder.is_dir():
        known = ", ".join(available_versions()) or "none"
        raise LookupError(f"No standard version {version!r} in {DATA_ROOT} (versions available: {known})")
    return read_standard(folder)


def read_standard(folder: Path) -> Standard:
    """Reads and checks one version folder; raises StandardFileError naming the file, row and column."""
    version = folder.name.removeprefix("v")
    code_version = _read_version(folder / "version.csv", version)
    rights = _read_rights(folder / "rights.csv")
    right_numbers = {right.number for right in rights}
    forces_rows = list(_rows(folder / "forces.csv"))
    codes, groups = _read_codes(folder / "codes.csv")
    codes["force"] = {row["code"]: row["name"] for _, row in forces_rows}
    event_types = _read_event_types(folder / "event_types.csv", right_numbers, codes)
    codes["event_type"] = {code: event.description for code, event in event_types.items()}
    metrics = _read_metrics(folder / "metrics.csv", right_numbers, event_types)
    codes["metric"] = {metric_id: metric.title for metric_id, metric in metrics.items()}
    tables = _read_tables(folder / "tables.csv", codes)
    bodies = _read_bodies(folder, forces_rows)
    forces = _forces(folder / "forces.csv", forces_rows, bodies)
    return Standard(
        version=version,
        code_version=code_version,
        rights=rights,
        metrics=metrics,
        tables=tables,
        codes=codes,
        code_groups=groups,
        event_types=event_types,
        bodies=bodies,
        forces=forces,
        folder=folder,
    )


def _rows(path: Path, required: tuple[str, ...] = ()) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number counting data rows from 1, row) for each record of a standard file."""
    if not path.is_file():
        raise StandardFileError(path, None, None, "the file is missing")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for name in required:
            if name not in header:
                raise StandardFileError(path, None, name, "the header has no such column")
        for number, row in enumerate(reader, start=1):
            if None in row:
                raise StandardFileError(path, number, None, "the row has more cells than the header")
            yield number, {key: (value or "").strip() for key, value in row.items()}


def _need(path: Path, number: int, row: dict[str, str], column: str) -> str:
    value = row.get(column, "")
    if not value:
        raise StandardFileError(path, number, column, "a value is required")
    return value


def _integer(
    path: Path, number: int, row: dict[str, str], column: str, *, optional: bool = False
) -> int | None:
    value = row.get(column, "")
    if not value:
        if optional:
            return None
        raise StandardFileError(path, number, column, "a whole number is required")
    try:
        return int(value)
    except ValueError:
        raise StandardFileError(path, number, column, f"{value!r} is not a whole number") from None


def _flag(
    path: Path, number: int, row: dict[str, str], column: str, *, optional: bool = False
) -> bool | None:
    value = row.get(column, "")
    if value == "" and optional:
        return None
    if value not in ("Y", "N"):
        raise StandardFileError(path, number, column, f"{value!r} must be Y or N")
    return value == "Y"


def _read_version(path: Path, folder_version: str) -> CodeVersion:
    rows = list(_rows(path, ("code_version", "name")))
    if len(rows) != 1:
        raise StandardFileError(path, None, None, f"expected exactly one row, found {len(rows)}")
    number, row = rows[0]
    if row["code_version"] != folder_version:
        raise StandardFileError(
            path,
            number,
            "code_version",
            f"{row['code_version']!r} does not match its folder v{folder_version}",
        )
    return CodeVersion(
        version=folder_version,
        name=_need(path, number, row, "name"),
        in_force_from=row.get("in_force_from", ""),
        description=row.get("description", ""),
    )


def _read_rights(path: Path) -> tuple[Right, ...]:
    rights = []
    seen: set[int] = set()
    for number, row in _rows(path, ("number", "title", "summary")):
        right_number = _integer(path, number, row, "number")
        assert right_number is not None
        if right_number in seen:
            raise StandardFileError(path, number, "number", f"right {right_number} appears twice")
        seen.add(right_number)
        rights.append(
            Right(
                number=right_number,
                title=_need(path, number, row, "title"),
                summary=_need(path, number, row, "summary"),
                responsible=row.get("responsible", ""),
            )
        )
    return tuple(sorted(rights, key=lambda right: right.number))


def _read_codes(path: Path) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    codes: dict[str, dict[str, str]] = {}
    groups: dict[str, dict[str, str]] = {}
    for number, row in _rows(path, ("codelist", "code", "label")):
        codelist = _need(path, number, row, "codelist")
        code = _need(path, number, row, "code")
        if code in codes.get(codelist, {}):
            raise StandardFileError(path, number, "code", f"{code!r} appears twice in code list {codelist!r}")
        codes.setdefault(codelist, {})[code] = _need(path, number, row, "label")
        if row.get("group"):
            groups.setdefault(codelist, {})[code] = row["group"]
    for codelist, grouped in groups.items():
        group_list = codes.get(_group_codelist(codelist), {})
        for code, group in grouped.items():
            if group_list and group not in group_list:
                raise StandardFileError(
                    path, None, "group", f"group {group!r} of {codelist} {code} is not a known group"
                )
    return codes, groups


def _group_codelist(codelist: str) -> str:
    return {"ethnicity": "ethnic_group"}.get(codelist, f"{codelist}_group")


def _read_event_types(
    path: Path, right_numbers: set[int], codes: dict[str, dict[str, str]]
) -> dict[str, EventType]:
    event_types: dict[str, EventType] = {}
    for number, row in _rows(path, ("code", "right", "detail_codelist", "description")):
        code = _need(path, number, row, "code")
        if code in event_types:
            raise StandardFileError(path, number, "code", f"event type {code!r} appears twice")
        right = _integer(path, number, row, "right", optional=True)
        if right is not None and right not in right_numbers:
            raise StandardFileError(path, number, "right", f"right {right} is not in rights.csv")
        detail_codelist = row["detail_codelist"] or None
        if detail_codelist is not None and detail_codelist not in codes:
            raise StandardFileError(
                path, number, "detail_codelist", f"{detail_codelist!r} is not a code list in codes.csv"
            )
        event_types[code] = EventType(
            code=code,
            right=right,
            detail_codelist=detail_codelist,
            description=_need(path, number, row, "description"),
        )
    return event_types


def _read_metrics(
    path: Path, right_numbers: set[int], event_types: dict[str, EventType]
) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    columns = (
        "id",
        "right",
        "kind",
        "title",
        "trigger",
        "response",
        "deadline_unit",
        "deadline",
        "responsible",
    )
    for number, row in _rows(path, columns):
        metric_id = _need(path, number, row, "id")
        if metric_id in metrics:
            raise StandardFileError(path, number, "id", f"metric {metric_id!r} appears twice")
        right = _integer(path, number, row, "right")
        assert right is not None
        if right not in right_numbers:
            raise StandardFileError(path, number, "right", f"right {right} is not in rights.csv")
        kind = _need(path, number, row, "kind")
        if kind not in ("obligation", "proportion", "count"):
            raise StandardFileError(path, number, "kind", f"{kind!r} must be obligation, proportion or count")
        responses = tuple(part for part in _need(path, number, row, "response").split("|") if part)
        for response in responses:
            if response not in event_types and not response.startswith("crime."):
                raise StandardFileError(path, number, "response", f"{response!r} is not an event type")
        trigger = row["trigger"]
        if kind == "obligation":
            if not trigger:
                raise StandardFileError(path, number, "trigger", "an obligation needs a trigger")
            if trigger not in event_types and not trigger.startswith("crime."):
                raise StandardFileError(path, number, "trigger", f"{trigger!r} is not an event type")
        deadline_unit = row["deadline_unit"] or None
        if kind == "obligation" and deadline_unit not in ("hours", "working_days"):
            raise StandardFileError(
                path, number, "deadline_unit", "must be hours or working_days for an obligation"
            )
        deadline = _integer(path, number, row, "deadline", optional=kind != "obligation")
        metric = Metric(
            id=metric_id,
            right=right,
            kind=kind,
            title=_need(path, number, row, "title"),
            trigger=trigger,
            trigger_detail=row.get("trigger_detail") or None,
            responses=responses,
            deadline_unit=deadline_unit,
            deadline=deadline,
            enhanced_deadline=_integer(path, number, row, "enhanced_deadline", optional=True),
            responsible=_need(path, number, row, "responsible"),
            higher_is_better=_flag(path, number, row, "higher_is_better", optional=True),
            description=row.get("description", ""),
        )
        for body_type in metric.responsible_body_types:
            if body_type not in BODY_TYPES and body_type != RECORDING_BODY:
                raise StandardFileError(path, number, "responsible", f"{body_type!r} is not a body type")
        metrics[metric_id] = metric
    return metrics


def _read_tables(path: Path, codes: dict[str, dict[str, str]]) -> dict[str, Table]:
    columns: dict[str, list[Column]] = {}
    keys: dict[str, list[tuple[int, str]]] = {}
    required_columns = (
        "table",
        "column",
        "type",
        "required",
        "required_when",
        "codelist",
        "key",
        "description",
    )
    for number, row in _rows(path, required_columns):
        table = _need(path, number, row, "table")
        name = _need(path, number, row, "column")
        column_type = _need(path, number, row, "type")
        if column_type not in COLUMN_TYPES:
            raise StandardFileError(
                path, number, "type", f"{column_type!r} must be one of {', '.join(sorted(COLUMN_TYPES))}"
            )
        if any(column.name == name for column in columns.get(table, [])):
            raise StandardFileError(path, number, "column", f"{table}.{name} appears twice")
        codelist = row["codelist"] or None
        if codelist is not None and codelist not in codes:
            raise StandardFileError(path, number, "codelist", f"{codelist!r} is not a code list")
        required_when = row["required_when"] or None
        if required_when is not None and "=" not in required_when:
            raise StandardFileError(path, number, "required_when", "must be written column=value")
        columns.setdefault(table, []).append(
            Column(
                name=name,
                type=column_type,
                required=bool(_flag(path, number, row, "required")),
                required_when=required_when,
                codelist=codelist,
                description=row["description"],
            )
        )
        position = _integer(path, number, row, "key", optional=True)
        if position is not None:
            keys.setdefault(table, []).append((position, name))
    for table, table_columns in columns.items():
        names = {column.name for column in table_columns}
        for column in table_columns:
            if column.condition and column.condition[0] not in names:
                raise StandardFileError(
                    path, None, "required_when", f"{table}.{column.name} depends on an unknown column"
                )
        if table not in keys:
            raise StandardFileError(path, None, "key", f"table {table!r} has no key column")
    return {
        table: Table(
            name=table, columns=tuple(table_columns), key=tuple(name for _, name in sorted(keys[table]))
        )
        for table, table_columns in columns.items()
    }


def _read_bodies(folder: Path, forces_rows: list[tuple[int, dict[str, str]]]) -> dict[str, Body]:
    bodies: dict[str, Body] = {}
    force_codes = tuple(row["code"] for _, row in forces_rows)
    forces_path = folder / "forces.csv"

    def add(body: Body, path: Path, number: int) -> None:
        if body.code in bodies:
            raise StandardFileError(path, number, "code", f"body {body.code!r} appears twice")
        bodies[body.code] = body

    for number, row in forces_rows:
        code = _need(forces_path, number, row, "code")
        territorial = code not in NON_TERRITORIAL_FORCES
        add(
            Body(
                code=code,
                name=_need(forces_path, number, row, "name"),
                body_type="police_force" if territorial else "non_territorial_force",
                force_codes=(code,),
                country=_need(forces_path, number, row, "country"),
            ),
            forces_path,
            number,
        )
        if territorial:
            add(
                Body(
                    code=f"WCU-{code}",
                    name=f"{row['name']} Witness Care Unit",
                    body_type="witness_care_unit",
                    force_codes=(code,),
                    country=row["country"],
                ),
                forces_path,
                number,
            )

    lpb_path = folder / "local_policing_bodies.csv"
    countries = {row["code"]: row["country"] for _, row in forces_rows}
    for number, row in _rows(lpb_path, ("code", "force", "name", "role_holder_type", "role_holder")):
        force = _need(lpb_path, number, row, "force")
        if force not in countries or force in NON_TERRITORIAL_FORCES:
            raise StandardFileError(
                lpb_path, number, "force", f"{force!r} is not a territorial force in forces.csv"
            )
        code = _need(lpb_path, number, row, "code")
        if code != f"LPB-{force}":
            raise StandardFileError(lpb_path, number, "code", f"must be LPB-{force}")
        role_holder_type = _need(lpb_path, number, row, "role_holder_type")
        if role_holder_type not in ("pcc", "pfcc", "mayor", "common_council"):
            raise StandardFileError(
                lpb_path,
                number,
                "role_holder_type",
                f"{role_holder_type!r} must be pcc, pfcc, mayor or common_council",
            )
        add(
            Body(
                code=code,
                name=_need(lpb_path, number, row, "name"),
                body_type="local_policing_body",
                force_codes=(force,),
                country=countries[force],
                mapping_verified=bool(
                    _flag(lpb_path, number, row, "verified", optional=True) in (True, None)
                ),
                role_holder_type=role_holder_type,
                role_holder=_need(lpb_path, number, row, "role_holder"),
            ),
            lpb_path,
            number,
        )

    bodies_path = folder / "bodies.csv"
    for number, row in _rows(bodies_path, ("code", "body_type", "name", "country", "force_codes")):
        body_type = _need(bodies_path, number, row, "body_type")
        if body_type not in BODY_TYPES:
            raise StandardFileError(bodies_path, number, "body_type", f"{body_type!r} is not a body type")
        covered = _need(bodies_path, number, row, "force_codes")
        if covered == ALL_FORCES:
            covered_forces = force_codes
        else:
            covered_forces = tuple(covered.split("|"))
            for force in covered_forces:
                if force not in countries:
                    raise StandardFileError(
                        bodies_path, number, "force_codes", f"{force!r} is not a force in forces.csv"
                    )
        add(
            Body(
                code=_need(bodies_path, number, row, "code"),
                name=_need(bodies_path, number, row, "name"),
                body_type=body_type,
                force_codes=covered_forces,
                country=_need(bodies_path, number, row, "country"),
                mapping_verified=bool(
                    _flag(bodies_path, number, row, "mapping_verified", optional=True) in (True, None)
                ),
                notes=row.get("notes", ""),
            ),
            bodies_path,
            number,
        )

    for number, row in forces_rows:
        for column, body_type in (
            ("local_policing_body", "local_policing_body"),
            ("cps_area", "cps_area"),
            ("probation_region", "probation_region"),
        ):
            code = row.get(column, "")
            if not code:
                continue
            body = bodies.get(code)
            if body is None or body.body_type != body_type:
                raise StandardFileError(forces_path, number, column, f"{code!r} is not a {body_type} body")
            if row["code"] not in body.force_codes:
                raise StandardFileError(
                    forces_path, number, column, f"{code} does not list {row['code']} among its forces"
                )
    return bodies


def _forces(
    path: Path, forces_rows: list[tuple[int, dict[str, str]]], bodies: dict[str, Body]
) -> dict[str, Force]:
    youth_justice: dict[str, list[str]] = {}
    for body in bodies.values():
        if body.body_type == "youth_justice_service":
            for force in body.force_codes:
                youth_justice.setdefault(force, []).append(body.code)
    forces = {}
    for number, row in forces_rows:
        code = row["code"]
        territorial = code not in NON_TERRITORIAL_FORCES
        annual_crimes = _integer(path, number, row, "annual_crimes")
        assert annual_crimes is not None
        forces[code] = Force(
            code=code,
            name=row["name"],
            country=row["country"],
            local_policing_body=row["local_policing_body"] or None,
            cps_area=row["cps_area"] or None,
            probation_region=row["probation_region"] or None,
            annual_crimes=annual_crimes,
            national_oversight=row.get("national_oversight") or None,
            witness_care_unit=f"WCU-{code}" if territorial else None,
            youth_justice_services=tuple(youth_justice.get(code, ())),
        )
    return forces
