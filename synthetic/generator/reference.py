"""Reference data the generator draws on: forces and the bodies behind them, names, postcode areas.

Forces and bodies come from the standard (`analytics.standard.load_standard`); names and postcode areas from
`synthetic/data/`. Nothing here needs Django.
"""

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from analytics.standard import load_standard

DATA_DIR = Path(__file__).resolve().parents[1] / "data"

NON_TERRITORIAL = ("BTP", "MDP")
# Non-territorial forces' cases go to the London CPS area, Witness Care Unit and probation region.
NON_TERRITORIAL_CPS = "CPS-LN"
NON_TERRITORIAL_WCU = "WCU-E23000001"
NON_TERRITORIAL_PROBATION = "PR-LON"
LONDON_FORCES = ("E23000001", "E23000034")


@dataclass(frozen=True)
class Force:
    code: str
    name: str
    country: str
    annual_crimes: int
    cps_area: str
    witness_care_unit: str
    probation_region: str
    youth_justice_services: tuple[str, ...]

    @property
    def territorial(self) -> bool:
        return self.code not in NON_TERRITORIAL

    @property
    def welsh(self) -> bool:
        return self.country == "Wales"


@dataclass(frozen=True)
class NameList:
    names: tuple[str, ...]
    weights: tuple[float, ...]
    welsh: tuple[bool, ...]
    sexes: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def forces() -> tuple[Force, ...]:
    """Every force with the bodies its cases go to, from the standard (forces.csv and bodies.csv)."""
    result = []
    for force in load_standard().forces.values():
        territorial = force.code not in NON_TERRITORIAL
        result.append(
            Force(
                code=force.code,
                name=force.name,
                country=force.country,
                annual_crimes=force.annual_crimes,
                cps_area=force.cps_area or NON_TERRITORIAL_CPS,
                witness_care_unit=force.witness_care_unit or NON_TERRITORIAL_WCU,
                probation_region=force.probation_region or NON_TERRITORIAL_PROBATION,
                youth_justice_services=force.youth_justice_services or (f"YJS-{force.code}",)
                if territorial
                else (),
            )
        )
    return tuple(result)


def territorial_forces() -> tuple[Force, ...]:
    return tuple(force for force in forces() if force.territorial)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def given_names() -> NameList:
    rows = _rows("given_names.csv")
    return NameList(
        names=tuple(r["name"] for r in rows),
        weights=tuple(float(r["weight"]) for r in rows),
        welsh=tuple(r["welsh"] == "Y" for r in rows),
        sexes=tuple(r["sex"] for r in rows),
    )


@lru_cache(maxsize=1)
def family_names() -> NameList:
    rows = _rows("family_names.csv")
    return NameList(
        names=tuple(r["name"] for r in rows),
        weights=tuple(float(r["weight"]) for r in rows),
        welsh=tuple(r["welsh"] == "Y" for r in rows),
    )


@lru_cache(maxsize=1)
def nicknames() -> dict[str, tuple[str, ...]]:
    result: dict[str, list[str]] = {}
    for row in _rows("nicknames.csv"):
        result.setdefault(row["name"], []).append(row["nickname"])
    return {name: tuple(values) for name, values in result.items()}


@lru_cache(maxsize=1)
def postcode_areas() -> dict[str, tuple[tuple[str, int], ...]]:
    """Force code -> (postcode area, highest district number) pairs."""
    result: dict[str, list[tuple[str, int]]] = {}
    for row in _rows("postcode_areas.csv"):
        result.setdefault(row["force"], []).append((row["area"], int(row["max_district"])))
    return {force: tuple(values) for force, values in result.items()}
