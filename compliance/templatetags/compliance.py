from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

register = template.Library()


@register.filter
def percent(value: float | None, places: int = 1) -> str:
    if value is None:
        return "\N{EN DASH}"
    return f"{value * 100:.{places}f}%"


@register.filter
def whole(value: int | None) -> str:
    """A count with thousands separated as the language separates them (12,345); a dash where there is none."""
    if value is None:
        return "\N{EN DASH}"
    return str(intcomma(value))
