import importlib

import pytest
from django.core.cache import cache
from django.db import connections


@pytest.fixture(autouse=True)
def _isolated_data_dir(settings, tmp_path):
    """Each test gets its own data folder and event store, never the developer's var/."""
    settings.DATA_DIR = tmp_path / "data"
    settings.LAKE_DIR = tmp_path / "data" / "lake"
    settings.DATA_DIR.mkdir(parents=True)


@pytest.fixture(autouse=True)
def _quick_password_hashing(settings):
    """Accounts made and signed in by tests hash their passwords cheaply (tests/hashers.py)."""
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(scope="session")
def spark():
    """The local Spark session, one for every Spark test in a test process: starting one takes seconds.

    The commands under test (`compute --engine spark`, `link --engine spark`) ask for it as they always do and
    get this one; nothing stops it before the tests end."""
    pytest.importorskip("pyspark.sql")
    from analytics.spark import local_session

    session = local_session(cores=2)
    yield session
    session.stop()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Counts kept in the cache (refused API calls per address and minute) start at nought in each test."""
    cache.clear()


# Append-only guards (database triggers) and the database each lives in.
APPEND_ONLY_GUARDS = [
    ("accounts.migrations.0002_audit_append_only", "default"),
    ("identity.migrations.0002_registry_append_only", "vault"),
]


@pytest.fixture(scope="module")
def append_only_tables_clearable(django_db_setup, django_db_blocker):
    """Lets a transactional test's database flush empty the append-only tables, then restores the guards.

    Module-scoped, so it is set up before and torn down after every test's transactional database fixture,
    whose flush would otherwise be refused by the append-only triggers (the audit log, the JJN registry).
    """
    guards = [(importlib.import_module(module), alias) for module, alias in APPEND_ONLY_GUARDS]
    with django_db_blocker.unblock():
        for guard, alias in guards:
            with connections[alias].schema_editor() as editor:
                guard.backward(None, editor)
    yield
    with django_db_blocker.unblock():
        for guard, alias in guards:
            with connections[alias].schema_editor() as editor:
                guard.forward(None, editor)
        # Opened by a live server's threads or a worker, these connections are not the ones Django closes before
        # dropping the test databases; PostgreSQL refuses to drop a database still in use.
        connections.close_all()
