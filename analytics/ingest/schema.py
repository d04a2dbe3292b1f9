"""The shape of one submitted table, taken from the versioned minimum dataset (`analytics.standard`).

Validation and storage read only this small structure, so a new version of the standard (new columns,
new code lists) needs no change here.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Fields of a `victims` row that go to the identity vault and nowhere else.
PERSONAL_COLUMNS = frozenset({"given_name", "family_name", "date_of_birth", "postcode", "email", "phone"})
# The only fields of a `victims` row whose refused values an error repeats: the references that find the row.
# Every other value there describes the person (sex, ethnicity, disability; a name typed into the wrong
# column), so it is not shown back, in the report or anywhere else.
VICTIMS_SHOWN_COLUMNS = frozenset({"person_ref", "jjn"})

TYPES = frozenset({"string", "code", "flag", "date", "datetime", "integer"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    # (other column, value): required when the other column holds that value; value "" means "is empty".
    required_when: tuple[str, str] | None = None
    codelist: str = ""
    codes: frozenset[str] | None = None
    is_key: bool = False

    @property
    def personal(self) -> bool:
        return self.name in PERSONAL_COLUMNS


@dataclass(frozen=True)
class TableSchema:
    name: str
    version: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # For events.detail: event type -> the detail codes it takes (absent: the type takes no detail).
    detail_codes: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def value_shown(self, column: Column) -> bool:
        """Whether a refused value of the column is repeated in errors and reports."""
        if self.name == "victims":
            return column.name in VICTIMS_SHOWN_COLUMNS
        return not column.personal

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _codes_of(standard: Any, codelist: str) -> frozenset[str] | None:
    if not codelist:
        return None
    if codelist == "force":
        return frozenset(_keys(_get(standard, "forces")))
    if codelist == "metric":
        return frozenset(_keys(_get(standard, "metrics")))
    if codelist == "event_type":
        return frozenset(_keys(_get(standard, "event_types")))
    codes = _get(standard, "codes") or {}
    return frozenset(_keys(_get(codes, codelist) or {}))


def _keys(collection: Any) -> list[str]:
    if collection is None:
        return []
    if isinstance(collection, Mapping):
        return [str(key) for key in collection]
    return [str(_get(item, "code", None) or _get(item, "id", None)) for item in collection]


def _parse_required_when(text: str) -> tuple[str, str] | None:
    if not text:
        return None
    other, _, value = text.partition("=")
    return other.strip(), value.strip()


def table_schema(standard: Any, table: str) -> TableSchema:
    """The schema of `table` in `standard` (a `analytics.standard.Standard`)."""
    tables = _get(standard, "tables") or {}
    spec = _get(tables, table)
    if spec is None:
        raise KeyError(table)
    raw_columns = _get(spec, "columns")
    if isinstance(raw_columns, Mapping):
        raw_columns = list(raw_columns.values())
    columns: list[Column] = []
    keyed: list[tuple[int, str]] = []
    for raw in raw_columns:
        name = str(_get(raw, "name", None) or _get(raw, "column"))
        required = _get(raw, "required", False)
        if isinstance(required, str):
            required = required.strip().upper() == "Y"
        codelist = str(_get(raw, "codelist", "") or "")
        key_position = _get(raw, "key", None)
        if key_position not in (None, "", 0, False):
            keyed.append((int(key_position), name))
        columns.append(
            Column(
                name=name,
                type=str(_get(raw, "type", "string")),
                required=bool(required),
                required_when=_parse_required_when(str(_get(raw, "required_when", "") or "")),
                codelist=codelist,
                codes=_codes_of(standard, codelist),
                is_key=key_position not in (None, "", 0, False),
            )
        )
    key = _get(spec, "key", None) or tuple(name for _, name in sorted(keyed))
    detail_codes: dict[str, frozenset[str]] = {}
    if table == "events":
        event_types = _get(standard, "event_types") or {}
        items = (
            event_types.items()
            if isinstance(event_types, Mapping)
            else ((_get(e, "code"), e) for e in event_types)
        )
        for code, event_type in items:
            detail_list = _get(event_type, "detail_codelist", "") or ""
            if detail_list:
                detail_codes[str(code)] = _codes_of(standard, str(detail_list)) or frozenset()
    return TableSchema(
        name=table,
        version=str(_get(standard, "version", "1")),
        columns=tuple(columns),
        key=tuple(key),
        detail_codes=detail_codes,
    )
