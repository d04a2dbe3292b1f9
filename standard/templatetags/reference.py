"""Names from the standard for the codes pages show: `{{ code|body_name }}`, `{{ codes|body_names|join:", " }}`
(in alphabetical order), `{{ code|code_name:"offence_group" }}` (any code list), and
`{{ event.detail|detail_name:event.event_type }}` (the detail of an event, from its type's code list), and
`{{ text|english }}` for the standard's English-only text on a page in another language.

The newest Code version names them; a code it does not know is shown as it is.
"""

from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

from analytics.standard import Standard, available_versions, load_standard

register = template.Library()


@lru_cache(maxsize=1)
def _newest() -> Standard:
    """Found once per process: the versions on disk change only with a release."""
    return load_standard(available_versions()[-1])


@register.filter
def code_name(code: str | None, codelist: str) -> str:
    if code is None or code == "":
        return ""
    return _newest().codes.get(codelist, {}).get(str(code), str(code))


@register.filter
def detail_name(detail: str | None, event_type: str) -> str:
    event = _newest().event_types.get(event_type)
    codelist = event.detail_codelist if event is not None else None
    return code_name(detail, codelist) if codelist else (detail or "")


@register.filter
def body_name(code: str) -> str:
    body = _newest().bodies.get(code)
    return body.name if body is not None else code


@register.filter
def body_names(codes: Iterable[str]) -> list[str]:
    """The bodies' names, in alphabetical order."""
    return sorted(body_name(code) for code in codes)


@register.filter
def english(text: object) -> object:
    """Reference text, which the standard gives in English only, marked as English on a page in another
    language, so that a screen reader reads it in English (WCAG 3.1.2). Unchanged on an English page."""
    if not text or (get_language() or "en").split("-")[0] == "en":
        return text
    return format_html('<span lang="en">{}</span>', text)
