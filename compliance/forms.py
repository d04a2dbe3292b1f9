"""The compliance list's filters, checked as the address gives them."""

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _


class FigureFilterForm(forms.Form):
    """One metric and one area, either left empty. A value is checked against every metric and area there
    is, not only those of the figures the user may see: it is refused for being unknown, never for being
    another body's (which would tell what others have)."""

    metric = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": _("%(value)s is not a metric: choose one from the list")},
    )
    force = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": _("%(value)s is not an area: choose one from the list")},
    )

    def __init__(self, data: Any, *, metrics: Iterable[str], areas: Iterable[str]) -> None:
        # The page draws its own selects, with these ids, so the error summary's links reach them.
        super().__init__(data, auto_id="%s")
        cast(forms.ChoiceField, self.fields["metric"]).choices = [(metric, metric) for metric in metrics]
        cast(forms.ChoiceField, self.fields["force"]).choices = [(area, area) for area in areas]
