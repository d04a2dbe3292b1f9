import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from synthetic.generator import generate


@pytest.fixture(scope="session")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small national run (scale 0.001, the default six quarters), shared by the read-only tests."""
    out = tmp_path_factory.mktemp("synth-small")
    generate(out, seed=11, scale=0.001)
    return out


@pytest.fixture(scope="session")
def rates_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scale 0.01 run over one financial year, big enough to measure rates against the targets."""
    out = tmp_path_factory.mktemp("synth-rates")
    generate(out, seed=5, scale=0.01, period_from="2024-25 Q1", period_to="2024-25 Q4")
    return out


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)
