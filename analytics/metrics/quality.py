"""Data-quality metrics, per submitting body and quarter. They are about the data, not the Code, so they
are not in the standard's catalogue; their definitions live here beside the SQL that computes them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class QualityMetric:
    id: str
    title: str
    higher_is_better: bool


QUALITY_METRICS = (
    QualityMetric("DQ.sex_recorded", "Victims of crimes recorded in the quarter with sex recorded", True),
    QualityMetric(
        "DQ.ethnicity_recorded", "Victims of crimes recorded in the quarter with ethnicity recorded", True
    ),
    QualityMetric(
        "DQ.disability_recorded", "Victims of crimes recorded in the quarter with disability recorded", True
    ),
    QualityMetric(
        "DQ.dob_recorded", "Victims of crimes recorded in the quarter with date of birth recorded", True
    ),
    QualityMetric(
        "DQ.no_outcome_90d", "Crimes recorded more than 90 days before the cut-off with no outcome", False
    ),
    QualityMetric("DQ.unknown_crime", "Events whose crime is not known", False),
    QualityMetric("DQ.response_without_trigger", "Responses with no trigger to answer", False),
    QualityMetric("DQ.future_timestamp", "Events and crimes dated after the computation", False),
    QualityMetric(
        "DQ.before_report",
        "Events dated before their crime was reported, and crimes recorded before they were reported",
        False,
    ),
)
