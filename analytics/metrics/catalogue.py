"""The metric catalogue and the force reference list, as the engine needs them.

Both come from the standard's data files (`standard/data/v<N>/`). `analytics.standard.load_standard` is
the reader the project shares; until it is importable this module reads the same CSV files itself, so
metric definitions stay data and never move into SQL.
"""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

STANDARD_DATA = Path(__file__).resolve().parents[2] / "standard" / "data"

OBLIGATION = "obligation"
PROPORTION = "proportion"
COUNT = "count"
QUALITY = "quality"

# Body kinds a catalogue row may name as responsible.
BODY_KINDS = (
    "police_force",
    "witness_care_unit",
    "cps_area",
    "probation_region",
    "hmcts",
    "youth_justice_service",
    "recording_body",  # the body that sent the event counted
)


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class Responsibility:
    """`police_force if detail=police_nfa else cps_area` reads as kind=cps_area, when_detail=police_nfa, then=police_force."""

    kind: str
    when_detail: str | None = None
    then_kind: str | None = None

    @classmethod
    def parse(cls, text: str, *, metric: str) -> "Responsibility":
        text = text.strip()
        if " if detail=" in text:
            then_kind, _, rest = text.partition(" if detail=")
            detail, _, otherwise = rest.partition(" else ")
            parsed = cls(kind=otherwise.strip(), when_detail=detail.strip(), then_kind=then_kind.strip())
        else:
            parsed = cls(kind=text)
        for kind in (parsed.kind, parsed.then_kind):
            if kind is not None and kind not in BODY_KINDS:
                raise CatalogueError(
                    f"metrics.csv, metric {metric}, column responsible: unknown body kind {kind!r}"
                )
        return parsed


@dataclass(frozen=True)
class Metric:
    id: str
    right: str
    kind: str
    title: str
    trigger: str
    trigger_detail: str
    responses: tuple[str, ...]
    deadline_unit: str
    deadline: int | None
    enhanced_deadline: int | None
    responsible: Responsibility
    higher_is_better: bool | None

    @property
    def trigger_from_crime(self) -> bool:
        return self.trigger.startswith("crime.")


@dataclass(frozen=True)
class Force:
    code: str
    name: str
    local_policing_body: str
    cps_area: str
    probation_region: str
    annual_crimes: int
    # Empty for a force with none of its own (BTP, MDP): its cases go to the unit of the area that tries them.
    witness_care_unit: str = ""


def _get(item: Any, name: str) -> Any:
    if isinstance(item, Mapping):
        return item.get(name)
    return getattr(item, name, None)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    return str(value).strip()


def _whole(value: Any, *, metric: str, column: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise CatalogueError(
            f"metrics.csv, metric {metric}, column {column}: {text!r} is not a whole number"
        ) from None


def metric_from_record(record: Any) -> Metric:
    metric_id = _text(_get(record, "id"))
    kind = _text(_get(record, "kind"))
    if kind not in (OBLIGATION, PROPORTION, COUNT):
        raise CatalogueError(f"metrics.csv, metric {metric_id}, column kind: unknown kind {kind!r}")
    unit = _text(_get(record, "deadline_unit"))
    if kind == OBLIGATION and unit not in ("hours", "working_days"):
        raise CatalogueError(f"metrics.csv, metric {metric_id}, column deadline_unit: {unit!r}")
    polarity = _text(_get(record, "higher_is_better"))
    return Metric(
        id=metric_id,
        right=_text(_get(record, "right")),
        kind=kind,
        title=_text(_get(record, "title")),
        trigger=_text(_get(record, "trigger")),
        trigger_detail=_text(_get(record, "trigger_detail")),
        responses=tuple(
            r for r in _text(_get(record, "responses") or _get(record, "response")).split("|") if r
        ),
        deadline_unit=unit,
        deadline=_whole(_get(record, "deadline"), metric=metric_id, column="deadline"),
        enhanced_deadline=_whole(
            _get(record, "enhanced_deadline"), metric=metric_id, column="enhanced_deadline"
        ),
        responsible=Responsibility.parse(_text(_get(record, "responsible")), metric=metric_id),
        higher_is_better=None if not polarity else polarity == "Y",
    )


def force_from_record(record: Any) -> Force:
    crimes = _text(_get(record, "annual_crimes"))
    return Force(
        code=_text(_get(record, "code")),
        name=_text(_get(record, "name")),
        local_policing_body=_text(_get(record, "local_policing_body")),
        cps_area=_text(_get(record, "cps_area")),
        probation_region=_text(_get(record, "probation_region")),
        annual_crimes=int(crimes) if crimes.isdigit() else 0,
        witness_care_unit=_witness_care_unit(record),
    )


def _witness_care_unit(record: Any) -> str:
    """The standard names each territorial force's unit; the bare forces file does not, and there a force
    with a local policing body (every territorial force) has the unit `WCU-<code>`."""
    if isinstance(record, Mapping) and "witness_care_unit" not in record:
        code = _text(_get(record, "code"))
        return f"WCU-{code}" if _text(_get(record, "local_policing_body")) else ""
    return _text(_get(record, "witness_care_unit"))


def _shared_standard(version: str) -> Any | None:
    try:
        from analytics.standard import load_standard  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return load_standard(version=version)


def _csv_records(version: str, name: str) -> list[dict[str, str]]:
    path = STANDARD_DATA / f"v{version}" / f"{name}.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _records(collection: Any) -> Iterable[Any]:
    if isinstance(collection, Mapping):
        return collection.values()
    return collection


def load_catalogue(version: str = "1") -> list[Metric]:
    standard = _shared_standard(version)
    records = _records(standard.metrics) if standard is not None else _csv_records(version, "metrics")
    return [metric_from_record(record) for record in records]


def load_forces(version: str = "1") -> list[Force]:
    standard = _shared_standard(version)
    records = _records(standard.forces) if standard is not None else _csv_records(version, "forces")
    return [force_from_record(record) for record in records]


def load_body_kinds(version: str = "1") -> dict[str, str]:
    """Each body code of the standard with its kind, to compare a body's figure with bodies like it: every police
    force (BTP and MDP too) is `police_force`, each force's Witness Care Unit `witness_care_unit`."""
    kinds = {}
    for force in load_forces(version):
        kinds[force.code] = "police_force"
        if force.witness_care_unit:
            kinds[force.witness_care_unit] = "witness_care_unit"
    standard = _shared_standard(version)
    records = _records(standard.bodies) if standard is not None else _csv_records(version, "bodies")
    for record in records:
        kind = _text(_get(record, "body_type"))
        kinds[_text(_get(record, "code"))] = "police_force" if kind == "non_territorial_force" else kind
    return kinds
