from datetime import date

import pytest

from analytics.linkage import Thresholds, cluster_accuracy, link_records

from .conftest import victims_table

ROBERT = {
    "unique_id": "a1",
    "given_name": "Robert",
    "family_name": "O'Brien",
    "date_of_birth": date(1980, 3, 5),
    "postcode": "CF10 1AA",
    "email": "robert.obrien@example.org",
}
ROBERT_AGAIN = {
    "unique_id": "b1",
    "source_body": "CPS-WA",
    "given_name": "BOB",
    "family_name": "OBrien",
    "date_of_birth": date(1980, 5, 3),  # day and month swapped
    "postcode": "cf101aa",
}
OTHER_ROBERT = {
    "unique_id": "c1",
    "given_name": "Robert",
    "family_name": "O'Brien",
    "date_of_birth": date(1962, 11, 20),
    "postcode": "LL57 2DG",
}
SIAN = {
    "unique_id": "d1",
    "given_name": "Siân",
    "family_name": "Gruffudd",
    "date_of_birth": date(1991, 7, 14),
    "postcode": "SA1 1AA",
    "phone": "07700 900123",
    "email": "sian@example.org",
}
SIAN_PLAIN = {**SIAN, "unique_id": "d2", "given_name": "Sian", "email": None}
SIAN_MOVED = {
    **SIAN,
    "unique_id": "d3",
    "given_name": "SIAN",
    "family_name": "GRUFFYDD",
    "date_of_birth": date(1991, 7, 15),
    "postcode": "LL57 2DG",
}


def test_two_variant_records_of_one_person_link(con):
    victims_table(con, [ROBERT, ROBERT_AGAIN, OTHER_ROBERT])
    clusters = link_records(con, "victims").clusters()
    assert clusters["a1"] == clusters["b1"]


def test_two_people_with_the_same_name_and_different_dates_of_birth_do_not_link(con):
    victims_table(con, [ROBERT, ROBERT_AGAIN, OTHER_ROBERT])
    clusters = link_records(con, "victims").clusters()
    assert clusters["c1"] not in (clusters["a1"], clusters["b1"])
    assert len(clusters) == 3


def test_scored_pairs_carry_probability_and_the_level_each_comparison_reached(con):
    victims_table(con, [ROBERT, ROBERT_AGAIN, OTHER_ROBERT])
    result = link_records(con, "victims")
    pairs = {(p.unique_id_l, p.unique_id_r): p for p in result.scored_pairs()}
    pair = pairs[("a1", "b1")]
    assert pair.match_probability >= result.thresholds.upper
    assert pair.levels["given_name"] == "nickname or alias"
    assert pair.levels["date_of_birth"] == "day and month swapped"
    assert pair.levels["postcode"] == "exact"
    assert pair.levels["email"] == "missing"
    assert all(p.match_probability >= result.thresholds.lower for p in pairs.values())


def test_a_rejected_pair_is_never_in_one_cluster_even_through_a_third_record(con):
    victims_table(con, [SIAN, SIAN_PLAIN, SIAN_MOVED])
    linked = link_records(con, "victims").clusters()
    assert linked["d1"] == linked["d2"] == linked["d3"]

    result = link_records(con, "victims", must_not_link=[("d3", "d1")])
    clusters = result.clusters()
    assert clusters["d1"] != clusters["d3"]
    # The weakest link is the one cut: the two records that agree on everything stay together.
    assert clusters["d1"] == clusters["d2"]
    pairs = {(p.unique_id_l, p.unique_id_r): p for p in result.scored_pairs()}
    assert pairs[("d1", "d3")].clerical_decision == "rejected"


def test_a_confirmed_pair_is_always_in_one_cluster(con):
    victims_table(con, [ROBERT, OTHER_ROBERT, SIAN])
    assert len(set(link_records(con, "victims").clusters().values())) == 3
    clusters = link_records(con, "victims", must_link=[("a1", "d1")]).clusters()
    assert clusters["a1"] == clusters["d1"]
    assert clusters["c1"] != clusters["a1"]


def test_a_confirmed_pair_that_contradicts_a_rejection_is_reported(con):
    victims_table(con, [SIAN, SIAN_PLAIN, SIAN_MOVED])
    result = link_records(
        con, "victims", must_link=[("d1", "d3")], must_not_link=[("d2", "d3"), ("d1", "d2")]
    )
    clusters = result.clusters()
    assert clusters["d1"] == clusters["d3"] != clusters["d2"]
    assert result.conflicts == []
    result = link_records(
        con, "victims", must_link=[("d1", "d3"), ("d2", "d3")], must_not_link=[("d1", "d2")]
    )
    assert clusters_differ(result.clusters(), "d1", "d2")
    assert len(result.conflicts) == 1


def clusters_differ(clusters, a, b):
    return clusters[a] != clusters[b]


def test_a_malformed_decision_is_refused_with_its_position(con):
    victims_table(con, [SIAN, SIAN_PLAIN])
    with pytest.raises(ValueError, match="must_not_link: item 2"):
        link_records(con, "victims", must_not_link=[("d1", "d2"), ("d1", "d1")])


def test_progress_is_reported_from_start_to_finish(con):
    victims_table(con, [SIAN, SIAN_PLAIN])
    stages = []
    link_records(con, "victims", progress=lambda stage, fraction: stages.append(fraction))
    assert stages[0] == 0.0 and stages[-1] == 1.0 and stages == sorted(stages)


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError, match="lower"):
        Thresholds(upper=0.5, lower=0.9)


@pytest.mark.slow
def test_f1_on_a_few_hundred_generated_people(people_con):
    result = link_records(people_con, "victims")
    accuracy = cluster_accuracy(people_con, result.clusters_table, "victims")
    assert accuracy.true_pairs > 100
    assert accuracy.f1 >= 0.95, accuracy
