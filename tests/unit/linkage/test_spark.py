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
def victims(spark, tmp_path_factory):
    spark.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("checkpoints")))
    spark.createDataFrame(ROWS, SCHEMA).createOrReplaceTempView("victims")
    return spark


def test_spark_links_like_duckdb_and_respects_a_rejected_pair(victims, con):
    spark = victims
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
    # A rejected pair (two records a reviewer decided are different people) as well, on both engines.
    rejected = [("d1", "d3")]
    on_duckdb = link_records(con, "victims", must_not_link=rejected).clusters()
    on_spark = link_records(spark, "victims", engine="spark", must_not_link=rejected)
    clusters = on_spark.clusters()
    assert clusters == on_duckdb
    assert clusters["a1"] == clusters["b1"] != clusters["c1"]
    assert clusters["d1"] == clusters["d2"] != clusters["d3"]
    pairs = {(p.unique_id_l, p.unique_id_r): p for p in on_spark.scored_pairs()}
    assert pairs[("a1", "b1")].levels["given_name"] == "nickname or alias"
    # Only the rejection keeps them apart: scored as certain, and recorded as rejected.
    assert (
        pairs[("d1", "d3")].match_probability > 0.95 and pairs[("d1", "d3")].clerical_decision == "rejected"
    )
