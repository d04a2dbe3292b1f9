"""Plain names for the codes in stored figures (areas, bodies, breakdowns and their groups), for the pages.

Names come from the standard the figures were computed under, so a figure reads as it did when it was computed.
A code the standard does not name is shown as it is. The standard's text is in English only: it comes as
`English`, which the pages mark as English on a page in another language (`{{ name|marked }}`); the project's
own names (breakdowns, "Not recorded", similar-area groups, the data-quality metrics) are translated.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from analytics.metrics import MetricInfo
from analytics.metrics.catalogue import QUALITY
from analytics.metrics.sql import ALL
from analytics.standard import Standard, available_versions, load_standard

BREAKDOWN_TITLES: dict[str, Promise] = {
    "offence_group": _("Offence group"),
    "enhanced_rights": _("Enhanced rights"),
    "domestic_abuse": _("Domestic abuse"),
    "sex": _("Sex"),
    "age_band": _("Age band"),
    "ethnic_group": _("Ethnic group"),
    "disability": _("Disability"),
}
# The code list that names each breakdown's groups (age bands are shown as they are: 0-17, 18-24, ...).
BREAKDOWN_CODELISTS = {
    "offence_group": "offence_group",
    "enhanced_rights": "yes_no",
    "domestic_abuse": "yes_no",
    "sex": "sex",
    "ethnic_group": "ethnic_group",
    "disability": "disability",
}
# A breakdown's group when the crime or victim did not record it.
NOT_RECORDED = "unknown"
# The groups of analytics/metrics/data/similar_areas.csv; a group a deployment adds is shown as it is named.
SIMILAR_GROUPS: dict[str, Promise] = {
    "metropolitan": _("Metropolitan forces"),
    "large_mixed": _("Large mixed forces"),
    "medium": _("Medium forces"),
    "small_mostly_rural": _("Small, mostly rural forces"),
    "specialist": _("Specialist forces"),
}
# The titles of the data-quality metrics (analytics/metrics/quality.py, which is free of Django and keeps them
# in English), by id: they are the project's own text, not the standard's.
QUALITY_TITLES: dict[str, Promise] = {
    "DQ.sex_recorded": _("Victims of crimes recorded in the quarter with sex recorded"),
    "DQ.ethnicity_recorded": _("Victims of crimes recorded in the quarter with ethnicity recorded"),
    "DQ.disability_recorded": _("Victims of crimes recorded in the quarter with disability recorded"),
    "DQ.dob_recorded": _("Victims of crimes recorded in the quarter with date of birth recorded"),
    "DQ.no_outcome_90d": _("Crimes recorded more than 90 days before the cut-off with no outcome"),
    "DQ.unknown_crime": _("Events whose crime is not known"),
    "DQ.response_without_trigger": _("Responses with no trigger to answer"),
    "DQ.future_timestamp": _("Events and crimes dated after the computation"),
    "DQ.before_report": _(
        "Events dated before their crime was reported, and crimes recorded before they were reported"
    ),
}


class English(str):
    """Text of the standard, which is in English only: marked as English on a page in another language."""

    __slots__ = ()


def metric_title(metric: str, info: MetricInfo | None) -> str:
    """A data-quality metric's title in the page's language (in English if `QUALITY_TITLES` lacks it); a
    metric of the standard's catalogue has its English title; a metric neither knows, its id."""
    if metric in QUALITY_TITLES:
        return str(QUALITY_TITLES[metric])
    if info is None:
        return metric
    return info.title if info.kind == QUALITY else English(info.title)


@dataclass(frozen=True)
class Labels:
    areas: dict[str, str]
    bodies: dict[str, str]
    groups: dict[str, dict[str, str]]

    def area(self, code: str) -> str:
        return str(_("All areas")) if code == ALL else self.areas.get(code, code)

    def area_of(self, force: str, body: str) -> str:
        """The area a figure covers: every body in every area is the whole of England and Wales."""
        return str(_("England and Wales")) if force == body == ALL else self.area(force)

    def body(self, code: str) -> str:
        return str(_("All bodies")) if code == ALL else self.bodies.get(code, code)

    def breakdown(self, name: str) -> str:
        return str(BREAKDOWN_TITLES.get(name, name))

    def group(self, breakdown: str, value: str) -> str:
        """The name the standard's code list gives the group (`English`); "Not recorded" in the page's
        language; an age band, or a code the standard does not name, as it is."""
        if value == NOT_RECORDED:
            return str(_("Not recorded"))
        named = self.groups.get(breakdown, {}).get(value)
        return value if named is None else English(named)

    def group_order(self, breakdown: str) -> dict[str, int]:
        """{code: position} in the breakdown's code list."""
        return {code: index for index, code in enumerate(self.groups.get(breakdown, {}))}

    def similar_group(self, group: str) -> str:
        return str(SIMILAR_GROUPS.get(group, group.replace("_", " ")))


@lru_cache(maxsize=4)
def labels_for(standard_version: str) -> Labels:
    """The names of the standard `standard_version` (the newest there is, if that one is not on disk)."""
    try:
        standard = load_standard(standard_version)
    except LookupError:
        standard = load_standard(available_versions()[-1])
    return Labels(
        areas={code: force.name for code, force in standard.forces.items()},
        bodies={code: body.name for code, body in standard.bodies.items()},
        groups=_groups(standard),
    )


def _groups(standard: Standard) -> dict[str, dict[str, str]]:
    return {
        breakdown: dict(standard.codes.get(codelist, {}))
        for breakdown, codelist in BREAKDOWN_CODELISTS.items()
    }
