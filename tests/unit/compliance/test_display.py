"""The order and names of figures on the compliance pages."""

from analytics.metrics import metric_infos
from compliance import display
from compliance.labels import English, labels_for
from compliance.models import MetricResult

ALL = "ALL"
LABELS = labels_for("1")


def figure(metric="R3.confirmation_5wd", force="E23000036", body="E23000036", breakdown="all", value="all"):
    return MetricResult(
        metric=metric, force=force, body=body, period="2025-26 Q1", breakdown=breakdown, breakdown_value=value,
        numerator=1, denominator=2,
    )  # fmt: skip


def test_a_body_in_one_area_is_listed_once_and_a_body_in_several_keeps_its_total():
    rows = [
        figure(body="E23000036"),
        figure(force=ALL, body="E23000036"),
        figure(force="E23000036", body="CPS-SW"),
        figure(force="E23000035", body="CPS-SW"),
        figure(force=ALL, body="CPS-SW"),
        figure(force="E23000036", body=ALL),
    ]
    kept = display.without_repeated_totals(rows)
    assert [(r.force, r.body) for r in kept] == [
        ("E23000036", "E23000036"),
        ("E23000036", "CPS-SW"),
        ("E23000035", "CPS-SW"),
        (ALL, "CPS-SW"),
        ("E23000036", ALL),
    ]
    # Filtered to the all-areas figures, a one-area body's total is all there is: it stays.
    assert display.without_repeated_totals([figure(force=ALL, body="E23000036")]) != []


def test_figures_come_by_metric_in_catalogue_order_then_totals_first_then_names():
    rows = display.figure_rows(
        [
            figure(metric="DQ.sex_recorded"),
            figure(metric="R10.expenses_10wd", body="WCU-E23000036"),
            figure(force="E23000005", body="E23000005"),
            figure(force="E23000036", body="E23000036"),
            figure(force="E23000036", body=ALL),
            figure(force="E23000036", body="CPS-SW"),
            figure(force="E23000035", body="CPS-SW"),
            figure(force=ALL, body="CPS-SW"),
            figure(force=ALL, body=ALL),
        ],
        metric_infos(),
        LABELS,
    )
    assert [(r.figure.metric, r.area, r.body) for r in rows] == [
        ("R3.confirmation_5wd", "England and Wales", "All bodies"),
        ("R3.confirmation_5wd", "All areas", "CPS South West"),
        ("R3.confirmation_5wd", "Avon and Somerset", "All bodies"),
        ("R3.confirmation_5wd", "Avon and Somerset", "Avon and Somerset"),
        ("R3.confirmation_5wd", "Avon and Somerset", "CPS South West"),
        ("R3.confirmation_5wd", "Devon and Cornwall", "CPS South West"),
        ("R3.confirmation_5wd", "Greater Manchester", "Greater Manchester"),
        ("R10.expenses_10wd", "Avon and Somerset", "Avon and Somerset Witness Care Unit"),
        ("DQ.sex_recorded", "Avon and Somerset", "Avon and Somerset"),
    ]


def test_the_metric_filter_offers_the_code_s_metrics_in_order_and_data_quality_apart():
    choices = display.metric_choices(
        ["DQ.unknown_crime", "R10.expenses_10wd", "R2.recorded_24h"], metric_infos()
    )
    assert [c.value for c in choices["code"]] == ["R2.recorded_24h", "R10.expenses_10wd"]
    assert [c.value for c in choices["quality"]] == ["DQ.unknown_crime"]
    assert choices["code"][0].label == "Crime recorded within 24 hours of the report"


def test_areas_are_offered_by_name_with_all_areas_last():
    choices = display.area_choices({ALL, "E23000036", "E23000005"}, LABELS)
    assert [(c.value, c.label) for c in choices] == [
        ("E23000036", "Avon and Somerset"),
        ("E23000005", "Greater Manchester"),
        (ALL, "All areas"),
    ]


def test_breakdown_groups_carry_the_standard_s_names_in_its_order_with_not_recorded_last():
    groups = display.breakdown_groups(
        [
            figure(breakdown="sex", value="unknown"),
            figure(breakdown="sex", value="M"),
            figure(breakdown="sex", value="F"),
            figure(breakdown="offence_group", value="theft"),
            figure(breakdown="offence_group", value="violence"),
            figure(breakdown="age_band", value="18-24"),
            figure(breakdown="age_band", value="0-17"),
            figure(breakdown="ethnic_group", value="B"),
            figure(breakdown="domestic_abuse", value="Y"),
            figure(breakdown="something_new", value="x"),
            figure(),
        ],
        LABELS,
    )
    assert [(g.breakdown, g.value) for g in groups] == [
        ("Offence group", "Violence against the person"),
        ("Offence group", "Theft"),
        ("Domestic abuse", "Yes"),
        ("Sex", "Female"),
        ("Sex", "Male"),
        ("Sex", "Not recorded"),
        ("Age band", "0-17"),
        ("Age band", "18-24"),
        ("Ethnic group", "Black, Black British, Black Welsh, Caribbean or African"),
        ("something_new", "x"),
    ]


def test_similar_area_groups_have_names_and_a_new_group_reads_plainly():
    assert LABELS.similar_group("small_mostly_rural") == "Small, mostly rural forces"
    assert LABELS.similar_group("coastal_towns") == "coastal towns"


def test_every_data_quality_title_is_translatable_and_reads_as_the_engine_s_in_english():
    from django.utils import translation
    from django.utils.functional import Promise

    from analytics.metrics.quality import QUALITY_METRICS
    from compliance.labels import QUALITY_TITLES, metric_title

    assert set(QUALITY_TITLES) == {metric.id for metric in QUALITY_METRICS}
    infos = metric_infos()
    with translation.override("en"):
        for metric in QUALITY_METRICS:
            assert isinstance(QUALITY_TITLES[metric.id], Promise)
            assert str(QUALITY_TITLES[metric.id]) == metric.title
            assert metric_title(metric.id, infos[metric.id]) == metric.title
            assert not isinstance(metric_title(metric.id, infos[metric.id]), English)
    assert isinstance(metric_title("R3.confirmation_5wd", infos["R3.confirmation_5wd"]), English)


def test_the_standard_s_group_names_are_its_english_text_and_the_project_s_own_are_not():
    assert isinstance(LABELS.group("sex", "F"), English) and LABELS.group("sex", "F") == "Female"
    assert isinstance(LABELS.group("domestic_abuse", "Y"), English)
    assert isinstance(LABELS.group("offence_group", "theft"), English)
    assert not isinstance(LABELS.group("sex", "unknown"), English)
    assert not isinstance(LABELS.group("age_band", "18-24"), English)
