"""Plain names for the codes in stored figures (areas, bodies, breakdowns and their groups), for the pages.

Names come from the standard the figures were computed under, so a figure reads as it did when it was computed.
A code the standard does not name is shown as it is.
"""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
        if value == NOT_RECORDED:
            return str(_("Not recorded"))
        return self.groups.get(breakdown, {}).get(value, value)

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
