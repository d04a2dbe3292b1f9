"""The standard loaded into the test database, and copies of its files to change."""

import shutil
from pathlib import Path

from analytics.standard import load_standard
from standard.actions import LoadResult, load_standard_version


def loaded_standard(version: str = "1") -> LoadResult:
    return load_standard_version(version=version)


def copy_of_version(destination: Path, version: str = "1") -> Path:
    """A writable copy of a version's folder, named v<version> as the loader expects."""
    folder = destination / f"v{version}"
    shutil.copytree(load_standard(version).folder, folder)
    return folder
