import duckdb
import pytest
from django.conf import settings
from django.utils import translation

from analytics.ingest import register_current_views
from tests.factories import accounts as people


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def bodies(db):
    people.organisation("E23000036", name="Avon and Somerset")
    people.organisation("E23000005", name="Greater Manchester")
    people.organisation("WCU-E23000036", kind="witness_care_unit", name="Avon and Somerset Witness Care")
    people.organisation("MOJ", kind="national", name="Ministry of Justice")


@pytest.fixture
def submitter(bodies):
    from accounts.models import Role

    return people.user("submitter", role=Role.SUBMITTER)


@pytest.fixture
def lake():
    def query(sql: str) -> list[tuple]:
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        register_current_views(con, settings.LAKE_DIR)
        return con.execute(sql).fetchall()

    return query
