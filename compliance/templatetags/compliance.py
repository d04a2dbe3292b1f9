from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from compliance.labels import English
from standard.templatetags.reference import english

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


@register.filter
def marked(text: object) -> object:
    """The standard's English-only text (`labels.English`) marked as English on a page in another language,
    as `|english` marks it on the standard's pages; the project's own, translated, text as it is."""
    return english(text) if isinstance(text, English) else text


@register.filter
def lang_attribute(text: object) -> SafeString:
    """` lang="en"` for an element holding the standard's English-only text on a page in another language,
    where the text cannot be wrapped in a `<span lang="en">` (an `<option>` holds text only)."""
    if isinstance(text, English) and (get_language() or "en").split("-")[0] != "en":
        return SafeString(' lang="en"')
    return SafeString("")
