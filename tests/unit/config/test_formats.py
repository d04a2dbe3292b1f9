"""Dates read the British way in English, and in Welsh as Django writes them."""

from datetime import date, datetime

from django.template import Context, Template
from django.utils import translation


def rendered(value, language):
    with translation.override(language):
        return Template("{{ value }}|{{ value|date }}").render(Context({"value": value}))


def test_english_dates_are_day_month_year():
    assert rendered(date(2024, 6, 18), "en") == "18 June 2024|18 June 2024"
    assert rendered(datetime(2024, 6, 18, 14, 5), "en").startswith("18 June 2024 14:05|")


def test_welsh_dates_name_the_month_in_welsh():
    assert rendered(date(2024, 6, 18), "cy") == "18 Mehefin 2024|18 Mehefin 2024"
