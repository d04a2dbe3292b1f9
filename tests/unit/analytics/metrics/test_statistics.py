import pytest

from analytics.metrics.statistics import Z998, compare, load_similar_areas, trend, wilson_interval


# Values from the closed form, as published in Newcombe (1998), table I, and any statistics package.
@pytest.mark.parametrize(
    ("numerator", "denominator", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),  # Newcombe's example 81/263
        (15, 148, 0.0624, 0.1605),  # Newcombe's example 15/148
        (0, 20, 0.0, 0.1611),  # Newcombe's example 0/20
        (1, 29, 0.0061, 0.1718),  # Newcombe's example 1/29
        (5, 10, 0.2366, 0.7634),
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_95_against_published_values(numerator, denominator, low, high):
    interval = wilson_interval(numerator, denominator)
    assert interval == pytest.approx((low, high), abs=5e-5)


def test_wilson_998_is_wider():
    # p = 0.5, n = 100, z = 3.0902: 0.5 ± z·sqrt(0.0025 + z²/40000) / (1 + z²/100)
    assert wilson_interval(50, 100, Z998) == pytest.approx((0.3524, 0.6476), abs=5e-5)


def test_no_interval_without_a_denominator():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="outside"):
        wilson_interval(5, 4)


@pytest.mark.parametrize(
    ("interval", "comparator", "higher_is_better", "expected"),
    [
        ((0.8, 0.9), 0.7, True, "better"),
        ((0.8, 0.9), 0.7, False, "worse"),
        ((0.5, 0.6), 0.7, True, "worse"),
        ((0.6, 0.8), 0.7, True, "similar"),
        ((0.6, 0.8), None, True, ""),
    ],
)
def test_comparison_uses_the_interval_and_the_polarity(interval, comparator, higher_is_better, expected):
    assert compare(interval, comparator, higher_is_better) == expected


def test_trend_direction_follows_polarity():
    assert trend([0.5, 0.6, 0.7], True) == "improving"
    assert trend([0.5, 0.6, 0.7], False) == "worsening"
    assert trend([0.5, None, 0.505], True) == "steady"
    assert trend([0.5], True) == ""


def test_similar_areas_file_errors_name_the_row(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_text("force,group\nE23000001,big\nE23000001,small\n")
    with pytest.raises(ValueError, match=r"row 2, column force: E23000001 is already in group big"):
        load_similar_areas(path)


def test_default_similar_areas_cover_every_force():
    from analytics.metrics import load_forces

    groups = load_similar_areas()
    assert {force.code for force in load_forces()} <= set(groups)


def _series(rates_by_period):
    from analytics.metrics.pipeline import MetricRow

    return [
        MetricRow(
            "R2", "E23000036", "E23000036", period, "all", "all", None, None, None, None, met, 100, "events"
        )
        for period, met in rates_by_period.items()
    ]


def test_a_trend_spans_its_quarter_and_the_three_before_with_gaps_kept_in_place():
    from analytics.metrics.pipeline import MetricInfo, add_statistics

    infos = {"R2": MetricInfo("R2", "proportion", "Recorded", True)}
    # 2024-25 Q3 1/1... no figure in 2025-26 Q1: Q4 then Q2 are two quarters apart, not neighbours.
    rows = _series({"2024-25 Q3": 50, "2024-25 Q4": 50, "2025-26 Q2": 52})
    add_statistics(rows, infos, {})
    trends = {row.period: row.trend for row in rows}
    # Taken as neighbours, 50, 50, 52 would climb a point a quarter (improving); in place the slope is under one.
    assert trends == {"2024-25 Q3": "", "2024-25 Q4": "steady", "2025-26 Q2": "steady"}

    # Only the quarter and the three before it count: the fall of the first year is out of the window.
    rows = _series({"2023-24 Q4": 90, "2024-25 Q1": 50, "2024-25 Q2": 50, "2024-25 Q3": 50, "2024-25 Q4": 50})
    add_statistics(rows, infos, {})
    assert {row.period: row.trend for row in rows}["2024-25 Q4"] == "steady"
    assert {row.period: row.trend for row in rows}["2024-25 Q3"] == "worsening"


def test_a_body_is_compared_with_bodies_of_its_kind_and_an_area_with_all_bodies():
    from analytics.metrics.pipeline import MetricInfo, MetricRow, add_statistics

    def row(force, body, numerator, denominator):
        return MetricRow("R6.vrr_overturned", force, body, "2025-26 Q1", "all", "all", None, None, None, None,
                         numerator, denominator, "events")  # fmt: skip

    # Reviews the police decide overturn 20% of decisions; those the CPS decide, 80%.
    police_sw, cps_sw = row("E23000036", "E23000036", 10, 50), row("E23000036", "CPS-SW", 40, 50)
    police_ln, cps_ln = row("E23000001", "E23000001", 10, 50), row("E23000001", "CPS-LN", 40, 50)
    area, nation = row("E23000036", "ALL", 50, 100), row("ALL", "ALL", 100, 200)
    rows = [police_sw, cps_sw, police_ln, cps_ln, area, nation]
    kinds = {
        "E23000036": "police_force",
        "E23000001": "police_force",
        "CPS-SW": "cps_area",
        "CPS-LN": "cps_area",
    }
    similar = {"E23000036": "Large", "E23000001": "Large"}
    add_statistics(rows, {"R6.vrr_overturned": MetricInfo("R6.vrr_overturned", "proportion", "VRR", False)},
                   similar, kinds)  # fmt: skip
    assert (cps_sw.national_rate, police_sw.national_rate, area.national_rate) == (0.8, 0.2, 0.5)
    assert (cps_sw.similar_rate, police_sw.similar_rate, area.similar_rate) == (0.8, 0.2, 0.5)
    # Against all bodies (50%), the CPS area's 80% would have been "worse"; among CPS areas it is as they are.
    assert cps_sw.national_comparison == "similar"
