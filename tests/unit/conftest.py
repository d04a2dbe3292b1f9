"""Unit tests need no database: CI runs them once, and only the integration tests again on PostgreSQL."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/unit/" in str(item.path) and item.get_closest_marker("django_db") is not None:
            raise pytest.UsageError(
                f"{item.nodeid} uses the database: move it to tests/integration, which CI runs on PostgreSQL too"
            )
