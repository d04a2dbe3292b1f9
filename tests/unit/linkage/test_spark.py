from datetime import date

import pytest

from analytics.linkage import link_records

pytestmark = [pytest.mark.spark, pytest.mark.slow]

ROWS = [
    ("a1", "Robert", "O'Brien", date(1980, 3, 5), "CF10 1AA", "r@example.org", None),
    ("b1", "BOB", "OBrien", date(1980, 5, 3), "cf101aa", None, None),
    ("c1", "Robert", "O'Brien", date(1962, 11, 20), "LL57 2DG", None, None),
    ("d1", "Siân", "Gruffudd", date(1991, 7, 14), "SA1 1AA", "sian@example.org", "07700 900123"),
    ("d2", "Sian", "Gruffudd", date(1991, 7, 14), "SA1 1AA", None, "07700 900123"),
    ("d3", "SIAN", "GRUFFYDD", date(1991, 7, 15), "LL57 2DG", "sian@example.org", "07700 900123"),
]
SCHEMA = (
    "unique_id string, given_name string, family_name string, date_of_birth date, postcode string, "
    "email string, phone string"
)


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark.sql")
    from analytics.spark import local_session

    session = local_session(cores=2)
    session.conf.set("spark.sql.shuffle.partitions", "4")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("checkpoints")))
    session.createDataFrame(ROWS, SCHEMA).createOrReplaceTempView("victims")
    yield session
    session.stop()


def test_spark_links_like_duckdb_and_respects_a_rejected_pair(spark, con):
    from .conftest import victims_table

    victims_table(
        con,
        [
            dict(
                zip(
                    ("unique_id", "given_name", "family_name", "date_of_birth", "postcode", "email", "phone"),
                    row,
                    strict=True,
                )
            )
            for row in ROWS
        ],
    )
    on_duckdb = link_records(con, "victims").clusters()
    on_spark = link_records(spark, "victims", engine="spark")
    assert on_spark.clusters() == on_duckdb
    assert on_spark.clusters()["a1"] == on_spark.clusters()["b1"] != on_spark.clusters()["c1"]
    pairs = {(p.unique_id_l, p.unique_id_r): p.levels for p in on_spark.scored_pairs()}
    assert pairs[("a1", "b1")]["given_name"] == "nickname or alias"

    split = link_records(spark, "victims", engine="spark", must_not_link=[("d1", "d3")]).clusters()
    assert split["d1"] == split["d2"] != split["d3"]
